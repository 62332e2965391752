"""What every figure notebook shares: its parameters cell, its presets, the
recordings it needs, the notebooks whose sweeps it reads.

A notebook declares its parameters once, in the cell tagged ``parameters``
(papermill replaces them with ``-p name value``). The cell right after calls::

    notebook.check_parameters(globals(), "boerlin2013_fig1")

which reads the defaults from that notebook's parameters cell and checks each
current value against its default: same kind (``-p n_trials abc`` gives a
string where an integer is expected, and is refused with the parameter's
name), and the same sign constraints (counts stay >= 1, seeds >= 0, durations
and rates stay > 0, a default of 0 stays >= 0; values whose default is negative,
or that the notebook lists in ``signed``, may take any sign). Nothing is
clamped: a bad value raises :class:`ParameterError`. Parameters named
``*probability*`` or ``*fraction*`` stay in [0, 1].
"""
from __future__ import annotations

import ast
import json
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .paths import REPO_ROOT

#: The presets every notebook accepts: they scale trials and durations, never the model.
PRESETS = ("quick", "default", "paper")

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


class ParameterError(ValueError):
    """A notebook parameter has the wrong kind or is out of its allowed range.

    Raised by :func:`check_parameters`; the message names the parameter, what
    it must be, its default and the value it got. A ``ValueError``.

    Examples
    --------
    >>> values = parameter_defaults(notebook_path("deneve2016_fig1"))
    >>> values["n_values"] = "abc"  # what `papermill -p n_values abc` passes
    >>> try:
    ...     check_parameters(values, "deneve2016_fig1")
    ... except ParameterError as error:
    ...     print(error)
    parameter n_values must be an integer (default 2000), got 'abc' (str)
    """


def notebook_path(name: str) -> Path:
    """Path of the repository's notebook ``name`` (with or without ``.ipynb``).

    Parameters
    ----------
    name : str
        Notebook name in ``notebooks/``, e.g. ``"boerlin2013_fig1"`` or
        ``"boerlin2013_fig1.ipynb"``.

    Returns
    -------
    pathlib.Path
        ``<repository>/notebooks/<name>.ipynb`` (an existing file).

    Raises
    ------
    FileNotFoundError
        If there is no such notebook in :data:`NOTEBOOKS_DIR`.

    Examples
    --------
    >>> notebook_path("deneve2016_fig1").name
    'deneve2016_fig1.ipynb'
    >>> notebook_path("deneve2016_fig1.ipynb") == notebook_path("deneve2016_fig1")
    True
    """
    stem = name[:-6] if name.endswith(".ipynb") else name
    path = NOTEBOOKS_DIR / f"{stem}.ipynb"
    if not path.is_file():
        raise FileNotFoundError(f"no notebook {path.name} in {NOTEBOOKS_DIR}")
    return path


def _metadata_list(path, key: str) -> list:
    """The list under ``key`` in a notebook's ``"pcn_core"`` metadata (empty if absent)."""
    meta = json.loads(Path(path).read_text()).get("metadata", {})
    return list(meta.get("pcn_core", {}).get(key, []))


def notebook_requirements(path: str | os.PathLike) -> list[str]:
    """Registry keys of the recordings a notebook needs (its metadata
    ``"pcn_core": {"requires_data": [...]}``; see :data:`pcn_core.datasets.REGISTRY`).

    Parameters
    ----------
    path : str or os.PathLike
        A notebook file (``.ipynb``, JSON).

    Returns
    -------
    list of str
        The registry keys (e.g. ``["h1"]``), empty when the notebook uses only
        simulations.

    Raises
    ------
    OSError
        If the file cannot be read.
    json.JSONDecodeError
        If it is not JSON.

    See Also
    --------
    pcn_core.datasets.available : whether a recording is present.

    Examples
    --------
    >>> notebook_requirements(notebook_path("bialek1991_fig1"))
    ['h1']
    >>> notebook_requirements(notebook_path("deneve2016_fig1"))
    []
    """
    return _metadata_list(path, "requires_data")


def notebook_sweep_sources(path: str | os.PathLike) -> list[str]:
    """Notebooks whose sweep cells this notebook reads back (its metadata
    ``"pcn_core": {"reads_sweeps_of": [...]}``).

    Such a notebook runs the same cells under the same sweep name as the one
    it names (e.g. Koren Fig 7 re-uses Fig 6's ν grid), so after that notebook
    it only reads them from the sweep cache. ``tools/run_notebooks.py --jobs``
    therefore never runs it concurrently with, or before, the ones it names.

    Parameters
    ----------
    path : str or os.PathLike
        A notebook file (``.ipynb``, JSON).

    Returns
    -------
    list of str
        Notebook names (e.g. ``["koren2017_fig6"]``), empty for most notebooks.

    Raises
    ------
    OSError
        If the file cannot be read.
    json.JSONDecodeError
        If it is not JSON.

    Examples
    --------
    >>> notebook_sweep_sources(notebook_path("koren2017_fig12"))
    ['koren2017_fig10']
    >>> notebook_sweep_sources(notebook_path("deneve2016_fig1"))
    []
    """
    return _metadata_list(path, "reads_sweeps_of")


def parameter_defaults(path: str | os.PathLike) -> dict:
    """The ``name = literal`` assignments of a notebook's cell tagged ``parameters``.

    Parameters
    ----------
    path : str or os.PathLike
        A notebook file (``.ipynb``, JSON).

    Returns
    -------
    dict
        Parameter name to its default value (a Python literal: number, bool,
        str, None, list, tuple, ...), in the order of the cell.

    Raises
    ------
    ValueError
        If the notebook does not have exactly one code cell tagged
        ``parameters``, the cell holds anything other than single
        ``name = literal`` assignments, or a value is not a literal
        (``ast.literal_eval`` refuses it).
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> defaults = parameter_defaults(notebook_path("deneve2016_fig1"))
    >>> defaults["preset"], defaults["seed"], defaults["scheme_spikes"]
    ('default', 2016, 20)
    """
    cells = [c for c in json.loads(Path(path).read_text())["cells"]
             if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{Path(path).name} must have exactly one cell tagged 'parameters', has {len(cells)}")
    source = "".join(cells[0]["source"])
    defaults = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise ValueError(f"{Path(path).name}: the parameters cell may only hold `name = literal` lines, "
                             f"found {ast.unparse(node)!r}")
        defaults[node.targets[0].id] = ast.literal_eval(node.value)
    return defaults


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_scalar(name: str, value, default, signed: bool) -> None:
    """Check one value against the kind and sign of its default."""
    def fail(expected: str):
        raise ParameterError(f"parameter {name} must be {expected} (default {default!r}), "
                             f"got {value!r} ({type(value).__name__})")

    if isinstance(default, bool):
        if not isinstance(value, bool):
            fail("True or False")
    elif _is_int(default):
        if not _is_int(value):
            fail("an integer")
        if not signed:
            low = 0 if default == 0 or "seed" in name else 1 if default >= 1 else None
            if low is not None and value < low:
                fail(f"an integer >= {low}")
    elif _is_real(default):
        if not _is_real(value) or not math.isfinite(value):
            fail("a finite number")
        if not signed:
            if default > 0 and not value > 0:
                fail("a number > 0")
            if default == 0 and value < 0:
                fail("a number >= 0")
        if ("probabilit" in name or "fraction" in name) and not 0 <= value <= 1:
            fail("a probability in [0, 1]")
    elif isinstance(default, str):
        if not isinstance(value, str):
            fail("a string")
    elif default is None:
        if value is not None and not isinstance(value, (str, os.PathLike)):
            fail("None or a path")
    else:
        raise TypeError(f"parameter {name}: unsupported default {default!r}")


def check_parameters(namespace: Mapping, notebook: str, *, signed: Sequence[str] = ()) -> None:
    """Check the current parameter values of notebook ``notebook`` (its name, e.g.
    ``"koren2017_fig2"``) in ``namespace`` (pass ``globals()``) against its defaults.

    Each value must have its default's kind and sign (see the module
    docstring): integer defaults stay integers (>= 1 if the default is >= 1,
    >= 0 for seeds and zero defaults), real defaults finite numbers (> 0 if
    the default is > 0, >= 0 if it is 0; names containing ``probabilit`` or
    ``fraction`` in [0, 1]), booleans booleans, strings strings, and a None
    default None or a path. Nothing is clamped or converted.

    Parameters
    ----------
    namespace : Mapping
        Holds every parameter of the notebook's parameters cell (pass
        ``globals()``); other names are ignored.
    notebook : str
        The notebook's name in ``notebooks/`` (its parameters cell gives the defaults).
    signed : sequence of str, default ()
        Names of numeric parameters (or lists) that may take either sign even
        though their default is >= 0.

    Raises
    ------
    ParameterError
        Naming the first parameter of the wrong kind, out of range, not
        defined in ``namespace``, or (for ``preset``) not one of
        :data:`PRESETS`. Lists and tuples keep their default's kind of
        elements (the smallest default element sets the sign rule) and must not
        be empty; tuples (pairs, intervals) keep their length too, and
        two-element intervals named ``*_window`` stay increasing.
    ValueError
        If ``signed`` names a parameter the notebook does not have, or the
        notebook's parameters cell is malformed (see :func:`parameter_defaults`).
    FileNotFoundError
        If there is no such notebook (see :func:`notebook_path`).
    TypeError
        If a default has a kind the check does not support (e.g. a dict).

    Examples
    --------
    >>> values = parameter_defaults(notebook_path("deneve2016_fig1"))
    >>> check_parameters(values, "deneve2016_fig1")  # the defaults pass
    >>> values["value_low"] = -0.5
    >>> try:
    ...     check_parameters(values, "deneve2016_fig1")
    ... except ParameterError as error:
    ...     print(error)
    parameter value_low must be a number > 0 (default 0.5), got -0.5 (float)
    >>> check_parameters(values, "deneve2016_fig1", signed=["value_low"])  # allowed either sign
    """
    defaults = parameter_defaults(notebook_path(notebook))
    unknown = sorted(set(signed) - set(defaults))
    if unknown:
        raise ValueError(f"signed names parameters that {notebook} does not have: {unknown}")
    for name, default in defaults.items():
        if name not in namespace:
            raise ParameterError(f"parameter {name} of {notebook} is not defined")
        value = namespace[name]
        if name == "preset":
            if value not in PRESETS:
                raise ParameterError(f"parameter preset must be one of {PRESETS}, got {value!r}")
            continue
        if isinstance(default, (list, tuple)):
            if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
                raise ParameterError(f"parameter {name} must be a list of values like its default "
                                     f"{default!r}, got {value!r} ({type(value).__name__})")
            if isinstance(default, tuple) and len(value) != len(default):
                raise ParameterError(f"parameter {name} must have {len(default)} elements like its default "
                                     f"{default!r}, got {value!r}")
            if len(value) == 0:
                raise ParameterError(f"parameter {name} must not be empty (default {default!r})")
            # the smallest default element sets the sign rule; any float makes the list real-valued
            element = min(default) if default else 0.0
            if any(isinstance(d, float) for d in default):
                element = float(element)
            any_sign = name in signed or (_is_real(element) and element < 0)
            for index, item in enumerate(value):
                _check_scalar(f"{name}[{index}]", item, element, any_sign)
            if name.endswith("_window") and len(default) == 2 and not value[0] < value[1]:
                raise ParameterError(f"parameter {name} must be an increasing pair (start, stop), got {value!r}")
            continue
        any_sign = name in signed or (_is_real(default) and default < 0)
        _check_scalar(name, value, default, any_sign)


def by_preset(preset: str, *, quick, default, paper):
    """The value of a setting at ``preset``: one line per notebook instead of a dict and a check.

    Presets scale trials and durations, never the model; every notebook states its
    factors (or values) per preset through this function, so an unknown preset gets
    one message everywhere.

    Parameters
    ----------
    preset : str
        One of :data:`PRESETS` (``"quick"``, ``"default"``, ``"paper"``).
    quick, default, paper
        The value at each preset (a scale factor, a duration in s, a count, ...).

    Returns
    -------
    object
        The value given for ``preset``.

    Raises
    ------
    ParameterError
        If ``preset`` is not one of :data:`PRESETS`.

    Examples
    --------
    >>> by_preset("quick", quick=0.25, default=1.0, paper=4.0)
    0.25
    >>> n_trials = int(20 * by_preset("paper", quick=0.25, default=1.0, paper=4.0))
    >>> n_trials
    80
    """
    if preset not in PRESETS:
        raise ParameterError(f"parameter preset must be one of {PRESETS}, got {preset!r}")
    return {"quick": quick, "default": default, "paper": paper}[preset]
