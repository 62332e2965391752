"""Locations of the project's outputs and of the (uncommitted) real recordings.

Both are settings: an explicit argument wins, then an environment variable,
then a default that never touches tracked files:

- figures and claims go to ``build/figures/`` unless ``PCN_FIGURES_DIR`` (or an
  argument) says otherwise; only ``make figures`` points it at the committed
  ``figures/`` folder (``tools/run_notebooks.py``);
- recordings are read from ``PCN_DATA_DIR`` if set, else from the user's
  download cache, where ``make data`` (:func:`pcn_core.datasets.fetch`) puts them.
"""
from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the folder holding ``pcn_core/``, ``notebooks/``, ``figures/``).
REPO_ROOT = Path(__file__).resolve().parent.parent

#: Default output folder for figures of runs other than ``make figures``.
BUILD_FIGURES = REPO_ROOT / "build" / "figures"


def data_cache_dir() -> Path:
    """The per-user download cache of the recordings (``pooch.os_cache("pcn_core")``,
    e.g. ``~/.cache/pcn_core`` on Linux).

    Returns
    -------
    pathlib.Path
        The cache folder. It is not created here and may not exist yet
        (``make data`` fills it).

    Raises
    ------
    ModuleNotFoundError
        If ``pooch`` (a dependency of ``pcn_core``) is not installed.

    See Also
    --------
    data_dir : the folder the loaders actually read.

    Examples
    --------
    >>> data_cache_dir().name
    'pcn_core'
    """
    import pooch  # imported here: only data access needs it

    return Path(pooch.os_cache("pcn_core"))


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Folder holding the real recordings (never committed to the repository).

    Order of precedence: ``path`` if given, else the ``PCN_DATA_DIR``
    environment variable, else :func:`data_cache_dir`.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Folder to use (``~`` is expanded); it must exist.

    Returns
    -------
    pathlib.Path
        The folder. Only the default cache may be missing.

    Raises
    ------
    FileNotFoundError
        If ``path`` or ``PCN_DATA_DIR`` names a folder that does not exist (a
        mistyped folder must not silently skip the real-data panels). The
        default cache may be missing: loaders then say to run ``make data``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data_dir(tmp) == Path(tmp)
    True
    >>> data_dir("/no/such/folder")
    Traceback (most recent call last):
    ...
    FileNotFoundError: data_dir '/no/such/folder' is not an existing folder
    """
    if path is not None:
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise FileNotFoundError(f"data_dir {str(path)!r} is not an existing folder")
        return folder
    env = os.environ.get("PCN_DATA_DIR")
    if env:
        folder = Path(env).expanduser()
        if not folder.is_dir():
            raise FileNotFoundError(f"PCN_DATA_DIR={env!r} is not an existing folder")
        return folder
    return data_cache_dir()


def figures_root(path: str | os.PathLike | None = None) -> Path:
    """Top-level output folder: ``path``, else ``PCN_FIGURES_DIR``, else ``build/figures``.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Folder to use (``~`` is expanded).

    Returns
    -------
    pathlib.Path
        The folder (:data:`BUILD_FIGURES` by default), not created here.

    Examples
    --------
    >>> figures_root("~/pcn_out") == Path.home() / "pcn_out"
    True
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get("PCN_FIGURES_DIR")
    return Path(env).expanduser() if env else BUILD_FIGURES


def figures_dir(paper: str, path: str | os.PathLike | None = None) -> Path:
    """Folder ``<figures root>/<paper>/`` where a notebook writes its panels and claims.

    The root is :func:`figures_root` (``build/figures`` unless ``make figures``
    or the caller chooses). The folder is created if missing.

    Parameters
    ----------
    paper : str
        Sub-folder name of the paper, e.g. ``"boerlin2013"``.
    path : str or os.PathLike, optional
        Root folder (see :func:`figures_root`).

    Returns
    -------
    pathlib.Path
        The existing folder ``<root>/<paper>``.

    Raises
    ------
    OSError
        If the folder cannot be created (e.g. no permission).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = figures_dir("boerlin2013", tmp)
    ...     print(folder.name, folder.is_dir(), folder.parent == Path(tmp))
    boerlin2013 True True
    """
    out = figures_root(path) / paper
    out.mkdir(parents=True, exist_ok=True)
    return out
