"""Locations of the project's outputs and of the (uncommitted) real recordings.

Both are settings: an explicit argument wins, then an environment variable,
then the default next to the repository.
"""
from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the folder holding ``pcn_core/``, ``notebooks/``, ``figures/``).
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Folder holding the real recordings (never committed to the repository).

    Order of precedence: ``path`` if given, else the ``PCN_DATA_DIR``
    environment variable, else ``../shared/data`` beside the repository.
    The folder may not exist; loaders raise :class:`DataNotFoundError` then.
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get("PCN_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return REPO_ROOT.parent / "shared" / "data"


def figures_dir(paper: str, path: str | os.PathLike | None = None) -> Path:
    """Folder ``figures/<paper>/`` where a notebook writes its panels and claims.

    ``path`` (or the ``PCN_FIGURES_DIR`` environment variable) replaces the
    top-level ``figures/`` folder. The folder is created if missing.
    """
    root = Path(path) if path is not None else Path(os.environ.get("PCN_FIGURES_DIR", REPO_ROOT / "figures"))
    out = root.expanduser() / paper
    out.mkdir(parents=True, exist_ok=True)
    return out
