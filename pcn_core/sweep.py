"""Parameter-grid sweeps: one function call per grid cell, run in parallel
processes (joblib/loky) or on a Dask cluster, with an on-disk cache per cell
so that an interrupted sweep resumes where it stopped.

Typical use (the cell function must be defined at module level, e.g. in a
``pcn_core`` module or a notebook cell, so worker processes can import it)::

    from pcn_core.sweep import run_sweep, results_frame

    def koren_cell(linear_cost, quadratic_cost, seed):
        ...                          # simulate, summarise
        return {"error": err, "cost": cost, "counts": n_k}

    cells = [dict(linear_cost=nu, quadratic_cost=mu, seed=trial)
             for nu in nus for mu in mus for trial in range(5)]
    results = run_sweep(koren_cell, cells, name="koren2017_fig5")
    table = results_frame(cells, results, outputs=["error", "cost"])

On a Dask cluster the same call runs the cells on the cluster's workers::

    from distributed import Client
    import joblib
    client = Client("tcp://scheduler:8786")      # or Client(LocalCluster(...))
    with joblib.parallel_config(backend="dask"):
        results = run_sweep(koren_cell, cells, name="koren2017_fig5")

Cache files are written by the calling process (never by a worker), so the
cache folder only has to be reachable from where ``run_sweep`` is called.
"""
from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import inspect
import json
import os
import pickle
import sys
import textwrap
import time
import traceback
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from . import validation
from .paths import REPO_ROOT

__all__ = ["run_sweep", "stack_results", "results_frame", "cache_key", "canonical_params",
           "code_version", "cache_directory", "CacheWarning"]

#: Name of the metadata entry inside each cell's ``.npz`` file.
_META_KEY = "__sweep_meta__"
#: The progress bar appears only for sweeps that last longer than this (s).
_PROGRESS_DELAY = 2.0


class CacheWarning(UserWarning):
    """A cache file could not be read (it is recomputed) or written (the result is kept in memory).

    Issued by :func:`run_sweep`; filter it with the :mod:`warnings` module.

    Examples
    --------
    A damaged cache file is recomputed with a warning:

    >>> import tempfile, warnings
    >>> cells = [{"results": [{"x": 1.0}]}]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = run_sweep(stack_results, cells, cache_dir=tmp, name="demo", version="v1",
    ...                   n_jobs=1, progress=False)
    ...     for path in (Path(tmp) / "demo").glob("*.npz"):
    ...         _ = path.write_bytes(b"damaged")
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         again = run_sweep(stack_results, cells, cache_dir=tmp, name="demo", version="v1",
    ...                           n_jobs=1, progress=False)
    >>> caught[0].category is CacheWarning, again
    (True, [{'x': array([1.])}])
    """


# ---------------------------------------------------------------------------
# Identity of a cell: function, canonical parameters, code version
# ---------------------------------------------------------------------------

def _canonical(value, where: str):
    """JSON-ready form of one parameter value (see :func:`canonical_params`)."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        # json writes floats with repr, which round-trips exactly; float() of a
        # float32 is its exact binary value, so np.float32(0.1) != 0.1 here
        return float(value)
    if isinstance(value, (complex, np.complexfloating)):
        return {"__complex__": [float(value.real), float(value.imag)]}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError(f"{where} is an object array; use a numeric, boolean or string array")
        data = np.ascontiguousarray(value)
        return {"__ndarray__": {"dtype": data.dtype.str, "shape": list(data.shape),
                                "sha256": hashlib.sha256(data.tobytes()).hexdigest()}}
    if isinstance(value, (list, tuple)):
        return [_canonical(v, f"{where}[{k}]") for k, v in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"{where} has a non-string key {k!r}; nested dicts need string keys")
            out[k] = _canonical(v, f"{where}[{k!r}]")
        return out
    if isinstance(value, np.random.Generator):
        raise TypeError(f"{where} is a np.random.Generator; pass an int seed so the cell is "
                        "reproducible and can be cached")
    raise TypeError(f"{where} has type {type(value).__name__}; allowed parameter values are None, bool, "
                    "int, float, complex, str, numpy scalars and non-object arrays, and lists, tuples "
                    "and string-keyed dicts of these")


def canonical_params(params: Mapping, where: str = "params") -> str:
    """Canonical text of one cell's parameters, the basis of its cache key.

    Parameters
    ----------
    params : mapping of str to values
        One grid cell (keyword arguments of the cell function, seed included).
    where : str
        Name used in error messages.

    Returns
    -------
    str
        JSON with sorted keys. Rules: numpy scalars become the Python value
        they hold (``np.float64(1.0)`` ≡ ``1.0``, ``np.int64(1)`` ≡ ``1``) but
        types stay apart (``1`` ≠ ``1.0`` ≠ ``True``), because a function may
        treat an int differently from a float; floats are written exactly
        (``repr``), so ``np.float32(0.1)`` ≠ ``0.1``; lists and tuples are the
        same; arrays are keyed by dtype, shape and a SHA-256 of their bytes.

    Raises
    ------
    TypeError
        If ``params`` is not a mapping with string keys, or holds a value of
        another type (objects, generators, ...).

    Examples
    --------
    >>> canonical_params({"seed": 1, "nu": np.float64(0.5), "grid": (1, 2)})
    '{"grid":[1,2],"nu":0.5,"seed":1}'
    >>> canonical_params({"nu": 1}) == canonical_params({"nu": 1.0})
    False
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"{where} must be a dict of parameters, got {type(params).__name__}")
    for key in params:
        if not isinstance(key, str):
            raise TypeError(f"{where} has a non-string key {key!r}; cell parameters are keyword arguments")
    return json.dumps(_canonical(params, where), sort_keys=True, separators=(",", ":"))


def _code_fingerprint(source: str, where: str) -> bytes:
    """The code of a module without its comments, docstrings and layout: the AST dump with every
    docstring removed, so editing documentation does not invalidate cached results."""
    return _tree_fingerprint(ast.parse(source, filename=where))


def _tree_fingerprint(tree: ast.AST) -> bytes:
    """:func:`_code_fingerprint` of an already parsed module (its docstrings are removed in place)."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


def _local_imports(tree: ast.AST, package: str) -> set[str]:
    """Names of the sibling modules of ``package`` that a module's syntax tree imports,
    at top level or inside functions (``from . import x``, ``from .x import y``,
    ``import package.x``, ``from package.x import y``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                found.update([module.split(".")[0]] if module else [alias.name for alias in node.names])
            elif node.level == 0 and (module == package or module.startswith(package + ".")):
                rest = module[len(package) + 1:]
                found.update([rest.split(".")[0]] if rest else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(package + "."):
                    found.add(alias.name[len(package) + 1:].split(".")[0])
    return found


def code_version(package_dir: str | os.PathLike | None = None, module: str | None = None) -> str:
    """SHA-256 of the code of the ``pcn_core`` package, or of one module and what it imports.

    Comments, docstrings and formatting do not count (the hash is taken over
    each module's syntax tree with docstrings removed), so documentation edits
    keep the sweep cache; any change to what the code does changes the hash.
    With ``module``, only that module and the package modules it imports,
    directly or through others, count: editing an unrelated module keeps the
    cached results of a cell function defined in ``module``.

    Parameters
    ----------
    package_dir : path, optional
        Folder to hash instead of the installed ``pcn_core`` package.
    module : str, optional
        A module of the package (e.g. ``"koren"``): hash it and its imports only.
        Default: every ``*.py`` file of the package.

    Returns
    -------
    str
        Hex digest.

    Raises
    ------
    ValueError
        If ``module`` is not a module of the package.

    Examples
    --------
    >>> len(code_version())
    64
    >>> code_version(module="koren") == code_version(module="koren")
    True
    """
    folder = Path(package_dir) if package_dir is not None else Path(__file__).resolve().parent
    sources = {path.stem: path for path in sorted(folder.glob("*.py"))}
    trees = {name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for name, path in sources.items()}
    if module is None:
        wanted = sorted(sources)
    else:
        if module not in sources:
            raise ValueError(f"module must be a module of the package in {folder}, got {module!r}")
        wanted, todo = set(), [module]
        while todo:
            name = todo.pop()
            if name in wanted or name not in trees:
                continue
            wanted.add(name)
            todo.extend(_local_imports(trees[name], folder.name))
        wanted = sorted(wanted | ({"__init__"} & set(sources)))  # the package's own import always runs
    digest = hashlib.sha256()
    for name in wanted:
        digest.update(sources[name].name.encode() + b"\0" + _tree_fingerprint(trees[name]) + b"\0")
    return digest.hexdigest()


def _default_version(function: Callable) -> str:
    # the code of the function's own pcn_core module and everything it imports (all of
    # pcn_core for a function defined elsewhere, e.g. in a notebook), plus the function's
    # own code, so editing a notebook-defined cell function also invalidates its cells
    try:
        source = textwrap.dedent(inspect.getsource(function))
        fingerprint = _code_fingerprint(source, "<cell function>").decode()
    except (OSError, TypeError, SyntaxError):
        fingerprint = ""
    module = getattr(function, "__module__", "") or ""
    package = Path(__file__).resolve().parent.name
    own = module[len(package) + 1:] if module.startswith(package + ".") else None
    return hashlib.sha256((code_version(module=own) + "\0" + fingerprint).encode()).hexdigest()


def _function_name(function) -> str:
    """``module:qualname`` of a module-level function, or a TypeError saying why it must be one."""
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", None)
    why = ("process workers import the cell function by its module and name, so it must be a function "
           "defined at module level (def in a module or a notebook cell), not a lambda, a nested "
           "function, a bound method or a functools.partial; put fixed arguments in the cells instead")
    if not inspect.isfunction(function) or module is None or qualname is None:
        raise TypeError(f"function {function!r} is not a plain function: {why}")
    if "<lambda>" in qualname or "<locals>" in qualname:
        raise TypeError(f"function {module}.{qualname} is not importable: {why}")
    try:
        owner = sys.modules[module] if module == "__main__" else importlib.import_module(module)
        found = owner
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError, KeyError):
        found = None
    if found is not function:
        raise TypeError(f"function {module}.{qualname} cannot be found by importing {module}: {why}")
    return f"{module}:{qualname}"


def cache_key(function: Callable, params: Mapping, version: str | None = None) -> str:
    """Stable hash identifying one cell's result in the cache.

    Parameters
    ----------
    function : callable
        Module-level cell function.
    params : mapping
        The cell's parameters (seed included), canonicalised by :func:`canonical_params`.
    version : str, optional
        Code version; default: hash of the ``pcn_core`` sources and of
        ``function``'s source (see :func:`run_sweep`).

    Returns
    -------
    str
        64 hex digits (SHA-256 of function name, canonical parameters and version).

    Raises
    ------
    TypeError
        If ``function`` is not an importable module-level function, ``params``
        holds a value :func:`canonical_params` refuses, or ``version`` is not a
        non-empty str.

    Examples
    --------
    Any module-level function will do (it is not called). Passing ``version``
    skips hashing the sources:

    >>> key = cache_key(stack_results, {"results": [{"x": 1.0}]}, version="v1")
    >>> len(key)
    64
    >>> key == cache_key(stack_results, {"results": [{"x": np.float64(1.0)}]}, version="v1")
    True
    >>> key == cache_key(stack_results, {"results": [{"x": 1.0}]}, version="v2")
    False
    >>> cache_key(lambda: None, {})
    Traceback (most recent call last):
    ...
    TypeError: function ...<lambda> is not importable: ...
    """
    name = _function_name(function)
    version = _default_version(function) if version is None else _check_version(version)
    return _key(name, canonical_params(params), version)


def _key(name: str, canonical: str, version: str) -> str:
    text = json.dumps({"function": name, "params": canonical, "version": version}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _check_version(version) -> str:
    if not isinstance(version, str) or not version:
        raise TypeError(f"version must be a non-empty str (or None for the source hash), got {version!r}")
    return version


def cache_directory(name: str, cache_dir: str | os.PathLike | None = None) -> Path:
    """Folder holding one sweep's cell files: ``<root>/<name>/``.

    Parameters
    ----------
    name : str
        Sweep name (a relative folder name, e.g. ``"koren2017_fig5b"``).
    cache_dir : path, optional
        Root folder. Default: the ``PCN_CACHE_DIR`` environment variable if
        set, else ``build/cache/`` in the repository.

    Returns
    -------
    pathlib.Path
        The folder (not created here).

    Raises
    ------
    ValueError
        If ``name`` is empty, absolute or contains ``..``.

    Examples
    --------
    >>> cache_directory("koren2017_fig5b", "cache_root").parts
    ('cache_root', 'koren2017_fig5b')
    >>> cache_directory("../elsewhere", "cache_root")
    Traceback (most recent call last):
    ...
    ValueError: name must be a non-empty relative folder name without '..', got '../elsewhere'
    """
    if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"name must be a non-empty relative folder name without '..', got {name!r}")
    if cache_dir is not None:
        root = Path(cache_dir)
    else:
        root = Path(os.environ.get("PCN_CACHE_DIR") or REPO_ROOT / "build" / "cache")
    return root.expanduser() / name


# ---------------------------------------------------------------------------
# Cell files
# ---------------------------------------------------------------------------

def _normalise_result(result, name: str) -> dict:
    """The cell's outputs as numpy arrays (0-d ones as numpy scalars), the same form a cache load gives."""
    if not isinstance(result, Mapping):
        raise TypeError(f"{name} must return a dict of numpy arrays or numbers, got {type(result).__name__}")
    out = {}
    for key, value in result.items():
        if not isinstance(key, str) or not key or key.startswith("__sweep"):
            raise TypeError(f"{name} returned an output named {key!r}; output names must be non-empty "
                            "str not starting with '__sweep'")
        array = np.asarray(value)
        if array.dtype.hasobject:
            raise TypeError(f"{name} returned output {key!r} of object dtype; return numeric, boolean or "
                            "string arrays (ragged lists need one array per item or padding)")
        out[key] = array[()] if array.ndim == 0 else array
    return out


def _write_cell(path: Path, result: dict, meta: dict) -> None:
    """Write an ``.npz`` atomically: a temporary file in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                # written entry by entry (as np.savez does) so any output name is allowed
                entries = {_META_KEY: np.array(json.dumps(meta, sort_keys=True)), **result}
                for key, value in entries.items():
                    with archive.open(key + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_cell(path: Path, key: str) -> dict:
    # our own file handle: np.load leaks its handle when the archive is corrupt
    with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
        meta = json.loads(str(data[_META_KEY][()]))
        if meta.get("key") != key:
            raise ValueError(f"file holds cell {meta.get('key')!r}, expected {key!r}")
        return {name: (data[name][()] if data[name].ndim == 0 else data[name])
                for name in data.files if name != _META_KEY}


# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------

def _numba_cache_dir() -> str | None:
    """The calling process's numba cache folder, if one is set."""
    folder = os.environ.get("NUMBA_CACHE_DIR")
    if not folder and "numba" in sys.modules:
        folder = getattr(sys.modules["numba"].config, "CACHE_DIR", "")
    return folder or None


def _run_cell(index: int, function_payload: bytes, params: dict, numba_cache_dir: str | None, name: str):
    """Worker side of one cell: returns ``(index, True, outputs)`` or ``(index, False, (exception, traceback))``."""
    if numba_cache_dir and os.environ.get("NUMBA_CACHE_DIR") != numba_cache_dir:
        # Set before the function is unpickled: numba fixes a kernel's cache
        # folder when its module is imported (decoration), not when it compiles.
        os.environ["NUMBA_CACHE_DIR"] = numba_cache_dir
        if "numba" in sys.modules:
            sys.modules["numba"].config.CACHE_DIR = numba_cache_dir
    try:
        function = pickle.loads(function_payload)
        return index, True, _normalise_result(function(**params), name)
    except Exception as exc:
        text = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(repr(exc))
        return index, False, (exc, text)


def _resolve_n_jobs(n_jobs) -> int:
    source = "n_jobs"
    if n_jobs is None:
        text = os.environ.get("PCN_JOBS", "").strip()
        if not text:
            return -1
        source = "PCN_JOBS"
        try:
            n_jobs = int(text)
        except ValueError:
            raise ValueError(f"PCN_JOBS must be a positive integer or -1, got {text!r}") from None
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, (int, np.integer)):
        raise TypeError(f"{source} must be a positive int, -1 (all cores) or None, got {n_jobs!r}")
    if n_jobs < 1 and n_jobs != -1:
        raise ValueError(f"{source} must be a positive int, -1 (all cores) or None, got {n_jobs}")
    return int(n_jobs)


#: Dask clients opened from ``PCN_DASK_SCHEDULER``, by address (one per process).
_DASK_CLIENTS: dict = {}


def _dask_from_environment(jobs: int):
    """The joblib Dask backend on the cluster named by ``PCN_DASK_SCHEDULER`` (a scheduler
    address, or ``local`` for a local cluster of ``jobs`` single-threaded worker processes),
    or a no-op when it is unset. Lets a whole batch run (``make figures``) use a cluster
    without editing notebooks."""
    address = os.environ.get("PCN_DASK_SCHEDULER", "").strip()
    if not address:
        return contextlib.nullcontext()
    import joblib
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError("PCN_DASK_SCHEDULER is set but the 'distributed' package is not installed") from None
    client = _DASK_CLIENTS.get(address)
    if client is None or client.status not in ("running", "connecting"):
        if address == "local":
            cluster = LocalCluster(n_workers=None if jobs == -1 else jobs, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address)
        _DASK_CLIENTS[address] = client
    return joblib.parallel_config(backend="dask")


def _backend_description(jobs: int) -> str:
    """Where the cells of a sweep run, for the sweep log."""
    address = os.environ.get("PCN_DASK_SCHEDULER", "").strip()
    if address:
        client = _DASK_CLIENTS.get(address)
        if client is not None:
            return f"dask {address} ({len(client.scheduler_info()['workers'])} workers)"
        return f"dask {address}"
    return f"loky, n_jobs={jobs}" if jobs != 1 else "serial"


def _log_sweep(name: str, **fields) -> None:
    """Append one JSON line per sweep to the file named by ``PCN_SWEEP_LOG`` (if set): how many
    cells came from the cache and how many were computed, where, and the wall time (s). A long
    batch run (``make figures PRESET=paper``) leaves a record of what it resumed and where it ran."""
    path = os.environ.get("PCN_SWEEP_LOG", "").strip()
    if not path:
        return
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "sweep": name, **fields}
    record["seconds"] = round(record["seconds"], 3)
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")


# ---------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------

def run_sweep(function: Callable, cells: Iterable[Mapping], *, name: str | None = None,
              cache_dir: str | os.PathLike | bool | None = None, n_jobs: int | None = None,
              version: str | None = None, progress: bool | None = None, desc: str | None = None) -> list[dict]:
    """Call ``function(**cell)`` for every cell of a parameter grid, in parallel, with a per-cell disk cache.

    Parameters
    ----------
    function : callable
        Module-level function (importable by worker processes: not a lambda,
        nested function, method or partial) returning a dict of numpy arrays
        and numbers (no object arrays). Every random draw must come from a
        seed passed in the cell, so a cell's result depends on its parameters only.
    cells : iterable of dict
        One dict of keyword arguments per cell, string keys, seed included.
        Values: None, bool, int, float, complex, str, numpy scalars and arrays,
        and lists/tuples/dicts of these (see :func:`canonical_params` for
        which values count as the same cell: ``1.0`` ≡ ``np.float64(1.0)``,
        but ``1`` ≠ ``1.0``).
    name : str, optional
        Sweep name, the cache sub-folder. Default: the function's
        ``module.qualname``.
    cache_dir : path, False or None
        Cache root; files go to ``<cache_dir>/<name>/<key>.npz``. None: the
        ``PCN_CACHE_DIR`` environment variable if set, else ``build/cache/``
        in the repository. False: no cache (nothing read or written).
    n_jobs : int, optional
        Number of parallel workers, a positive int or -1 (all cores). None:
        the ``PCN_JOBS`` environment variable if set, else -1. 1 runs the
        cells one after the other in this process. Under
        ``joblib.parallel_config(backend="dask")`` (with a ``distributed.Client``
        created), -1 means all threads of the cluster's workers.
    version : str, optional
        Code version entering every cache key. Default: SHA-256 of the code of
        ``function`` and of the ``pcn_core`` modules it depends on (its module and
        what that imports; all of ``pcn_core`` for a function defined elsewhere),
        comments and docstrings excluded, so editing either recomputes the cells. Helpers outside ``pcn_core`` that the
        function calls are not covered: pass a new ``version`` after changing them.
    progress : bool or None
        Show a tqdm progress bar (``tqdm.auto``: a widget in JupyterLab). It
        counts cached cells as done at once, and appears only if the sweep
        takes more than 2 s. None (default): shown unless the environment sets
        ``PCN_PROGRESS=0``, as ``make figures`` and ``make test`` do, so saved
        notebook outputs hold no progress bars (and no timings).
    desc : str, optional
        Progress-bar label (default: ``name``).

    Returns
    -------
    list of dict
        One dict per cell, in cell order: each output as a numpy array, 0-d
        outputs as numpy scalars (the same whether computed or loaded, for
        any ``n_jobs``). See :func:`stack_results` and :func:`results_frame`.

    Raises
    ------
    TypeError
        If ``function`` is not an importable module-level function, a cell is
        not a dict with string keys and allowed values, a cell's keys do not
        match ``function``'s signature, or ``n_jobs``/``version`` have the wrong type.
    ValueError
        If ``n_jobs`` (or ``PCN_JOBS``) is 0 or below -1.
    Exception
        If cells raise: all other cells still run and are cached, then the
        first failing cell's exception is re-raised, with notes naming the
        cell, its worker traceback and how many cells failed. Rerunning
        resumes from the cache.

    Warns
    -----
    CacheWarning
        A cache file that cannot be read (truncated, corrupt, foreign) is
        recomputed and overwritten; a file that cannot be written is skipped.

    Notes
    -----
    Parallelism uses joblib: loky worker processes on this machine by
    default, or any joblib backend set with ``joblib.parallel_config`` —
    including ``backend="dask"`` to run on a Dask cluster (needs the
    ``distributed`` package and a ``distributed.Client``). Setting the
    environment variable ``PCN_DASK_SCHEDULER`` to a scheduler address (or to
    ``local``: a local cluster of ``n_jobs`` worker processes) sends every
    sweep there without changing any code, e.g. a whole ``make figures`` run.
    Setting ``PCN_SWEEP_LOG`` to a file appends one JSON line per sweep
    (cells from the cache, cells computed, backend, wall time), the record
    of what a long run resumed and where it ran.

    Caching: a cell's key is a SHA-256 of the function's qualified name, its
    canonical parameters and ``version``. Results are written by the calling
    process as each cell completes (temporary file then ``os.replace``, so a
    killed run never leaves a half-written file that looks valid). Identical
    cells are computed once when caching is on. Old files are never deleted;
    remove the folder to reclaim space.

    Workers get the caller's ``NUMBA_CACHE_DIR`` (set before the cell function
    is loaded), so compiled numba kernels are shared through the on-disk cache
    rather than recompiled per worker.

    Examples
    --------
    Any importable function returning a dict works; here pcn_core's own
    :func:`stack_results` stands in for a simulation cell. Without a cache:

    >>> cells = [{"results": [{"x": 1.0}, {"x": 2.0}]}, {"results": [{"x": 3.0}, {"x": 4.0}]}]
    >>> run_sweep(stack_results, cells, cache_dir=False, n_jobs=1, progress=False)
    [{'x': array([1., 2.])}, {'x': array([3., 4.])}]

    With a cache (in a temporary folder), one file per cell, named by its
    :func:`cache_key`; a second call loads them:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     first = run_sweep(stack_results, cells, cache_dir=tmp, name="demo", version="v1",
    ...                       n_jobs=1, progress=False)
    ...     files = sorted(path.name for path in (Path(tmp) / "demo").iterdir())
    ...     again = run_sweep(stack_results, cells, cache_dir=tmp, name="demo", version="v1",
    ...                       n_jobs=1, progress=False)
    >>> files == sorted(cache_key(stack_results, cell, version="v1") + ".npz" for cell in cells)
    True
    >>> all(np.array_equal(a["x"], b["x"]) for a, b in zip(first, again))
    True
    """
    function_name = _function_name(function)
    cells = list(cells)
    canonical = [canonical_params(cell, f"cells[{i}]") for i, cell in enumerate(cells)]
    signature = inspect.signature(function)
    for i, cell in enumerate(cells):
        try:
            signature.bind(**cell)
        except TypeError as exc:
            raise TypeError(f"cells[{i}] does not match {function_name}{signature}: {exc}") from None
    jobs = _resolve_n_jobs(n_jobs)
    progress = validation.progress(progress)  # None: batch runs set PCN_PROGRESS=0
    if name is None:
        name = function_name.replace(":", ".")
    caching = cache_dir is not False
    if cache_dir is True:
        raise TypeError("cache_dir must be a path, None (default folder) or False (no cache), got True")
    directory = cache_directory(name, cache_dir) if caching else None
    if caching:
        version = _default_version(function) if version is None else _check_version(version)
    elif version is not None:
        _check_version(version)

    results: list[dict | None] = [None] * len(cells)
    # cells sharing a key are computed once (caching only; without a cache
    # every cell is its own call, e.g. repeated seed=None trials)
    groups: dict[str, list[int]] = {}
    for i in range(len(cells)):
        key = _key(function_name, canonical[i], version) if caching else str(i)
        groups.setdefault(key, []).append(i)
    todo: list[tuple[str, list[int]]] = []
    for key, indices in groups.items():
        if caching and (path := directory / f"{key}.npz").exists():
            try:
                loaded = _read_cell(path, key)
            except Exception as exc:  # any read failure means the file is not a valid cell
                warnings.warn(f"cache file {path} for cells[{indices[0]}] is unreadable ({exc!r}); recomputing",
                              CacheWarning, stacklevel=2)
            else:
                for i in indices:
                    results[i] = dict(loaded)
                continue
        todo.append((key, indices))

    failures: list[tuple[int, BaseException, str]] = []
    started = time.perf_counter()
    backend = "none"
    if todo:
        from joblib import Parallel, delayed

        try:  # a dependency of joblib >= 1.6, vendored by earlier versions
            import cloudpickle
        except ImportError:
            from joblib.externals import cloudpickle
        from tqdm.auto import tqdm

        # pickled once here and unpickled by the worker after it has set NUMBA_CACHE_DIR
        payload = cloudpickle.dumps(function)
        numba_dir = _numba_cache_dir()
        by_first = {indices[0]: (key, indices) for key, indices in todo}
        tasks = (delayed(_run_cell)(indices[0], payload, cells[indices[0]], numba_dir, function_name)
                 for _, indices in todo)
        done = len(cells) - sum(len(indices) for _, indices in todo)
        with tqdm(total=len(cells), initial=done, desc=desc or name, unit="cell",
                  disable=not progress, delay=_PROGRESS_DELAY) as bar, _dask_from_environment(jobs):
            backend = _backend_description(jobs)
            for index, ok, value in Parallel(n_jobs=jobs, return_as="generator_unordered")(tasks):
                key, indices = by_first[index]
                if ok:
                    for i in indices:
                        results[i] = dict(value)
                    if caching:
                        meta = {"key": key, "function": function_name, "params": canonical[index],
                                "version": version}
                        try:
                            _write_cell(directory / f"{key}.npz", value, meta)
                        except OSError as exc:
                            warnings.warn(f"could not write cache file for cells[{index}] in {directory} "
                                          f"({exc!r}); result kept in memory only", CacheWarning,
                                          stacklevel=2)
                else:
                    failures.append((index, *value))
                bar.update(len(indices))

    _log_sweep(name, n_cells=len(cells), from_cache=len(cells) - sum(len(i) for _, i in todo),
               computed=len(todo), failed=len(failures), backend=backend,
               seconds=time.perf_counter() - started)
    if failures:
        failures.sort(key=lambda item: item[0])
        index, exc, text = failures[0]
        exc.add_note(f"raised by cells[{index}] = {cells[index]!r} in a sweep worker; its traceback:\n{text}")
        where = f"cached in {directory}; rerun to resume" if caching else "not cached (cache_dir=False)"
        exc.add_note(f"{len(failures)} of {len(cells)} cells failed (cells "
                     f"{[item[0] for item in failures]}); the others completed and are {where}")
        raise exc
    return results


# ---------------------------------------------------------------------------
# Collecting results
# ---------------------------------------------------------------------------

def stack_results(results: Sequence[Mapping]) -> dict[str, np.ndarray]:
    """Stack each output over cells: ``{name: array of shape (n_cells, *output_shape)}``.

    Parameters
    ----------
    results : sequence of dict
        Output of :func:`run_sweep`.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per output name, cells along axis 0.

    Raises
    ------
    ValueError
        If ``results`` is empty, cells have different output names, or an
        output's shape differs between cells.

    Examples
    --------
    >>> stacked = stack_results([{"error": 0.5, "trace": np.zeros(3)},
    ...                          {"error": 0.25, "trace": np.ones(3)}])
    >>> stacked["error"], stacked["trace"].shape
    (array([0.5 , 0.25]), (2, 3))
    """
    if len(results) == 0:
        raise ValueError("results is empty; nothing to stack")
    names = list(results[0])
    for i, result in enumerate(results):
        if set(result) != set(names):
            raise ValueError(f"results[{i}] has outputs {sorted(result)}, results[0] has {sorted(names)}")
    stacked = {}
    for output in names:
        shapes = {np.shape(result[output]) for result in results}
        if len(shapes) > 1:
            raise ValueError(f"output {output!r} has different shapes across cells: {sorted(shapes)}")
        stacked[output] = np.stack([np.asarray(result[output]) for result in results])
    return stacked


def results_frame(cells: Sequence[Mapping], results: Sequence[Mapping],
                  outputs: Sequence[str] | None = None):
    """One row per cell: its parameters, then its scalar outputs (a pandas DataFrame).

    Parameters
    ----------
    cells : sequence of dict
        The cells given to :func:`run_sweep`.
    results : sequence of dict
        Its output, same length and order.
    outputs : sequence of str, optional
        Output names to include. Default: all outputs, which must then all be scalars.

    Returns
    -------
    pandas.DataFrame
        Parameter columns (non-scalar parameters as object columns) followed
        by one column per selected output.

    Raises
    ------
    ValueError
        If lengths differ, an output is missing or not a scalar, or an output
        name equals a parameter name.

    Examples
    --------
    >>> cells = [{"nu": 1.0, "seed": 0}, {"nu": 2.0, "seed": 0}]
    >>> results = [{"error": np.float64(0.5), "trace": np.zeros(3)},
    ...            {"error": np.float64(0.25), "trace": np.zeros(3)}]
    >>> results_frame(cells, results, outputs=["error"])
        nu  seed  error
    0  1.0     0   0.50
    1  2.0     0   0.25
    """
    import pandas as pd

    if len(cells) != len(results):
        raise ValueError(f"cells has {len(cells)} entries but results has {len(results)}")
    rows = []
    for i, (cell, result) in enumerate(zip(cells, results)):
        selected = list(result) if outputs is None else list(outputs)
        row = dict(cell)
        for output in selected:
            if output not in result:
                raise ValueError(f"results[{i}] has no output {output!r} (it has {sorted(result)})")
            if output in cell:
                raise ValueError(f"output {output!r} has the same name as a parameter of cells[{i}]")
            if np.ndim(result[output]) != 0:
                raise ValueError(f"output {output!r} of results[{i}] has shape {np.shape(result[output])}, "
                                 "not a scalar; pass outputs=[...] with scalar outputs only, or use "
                                 "stack_results for arrays")
            row[output] = result[output].item() if hasattr(result[output], "item") else result[output]
        rows.append(row)
    return pd.DataFrame(rows)
