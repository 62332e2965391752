"""Loaders for the real recordings used beside the models, and their registry.

The files are never committed. :data:`REGISTRY` names each one with its
checksum, size, public source, citation and licence; :func:`fetch` (``make
data``) downloads them with pooch into the user's cache and verifies them.
Loaders read from :func:`pcn_core.paths.data_dir` (``data_dir`` argument, else
``PCN_DATA_DIR``, else that cache) and verify the checksum of what they read:
a missing file raises :class:`DataNotFoundError` (saying how to get it), a
corrupt or truncated one :class:`DataChecksumError` (naming file and checksum).
Notebooks skip real-data panels plainly with :func:`available`.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.io

from .paths import data_cache_dir, data_dir


@dataclass(frozen=True)
class DataFile:
    """One registered recording: where it comes from and how to check it."""
    name: str          #: file name in the data directory
    sha256: str        #: hex digest of the exact bytes
    size: int          #: bytes
    url: str           #: public source, pinned to a commit
    description: str
    citation: str
    licence: str


#: The recordings the notebooks and tests use, each pinned to the exact bytes of
#: a public copy (repository commit and path in ``url``).
REGISTRY = {
    "h1": DataFile(
        name="c1p8.mat",
        sha256="9447aff94c6f5e2199fb92af495248bd9004110abba5d4b06005968c75c13e05",
        size=5_400_240,
        url="https://raw.githubusercontent.com/glarange/Theoretical-Neuroscience-Exercises/"
            "b17372e48cdfa8ecb4ec18907f4fcc42c6adf17c/exercises/c1/data/c1p8.mat",
        description="blowfly H1 spikes and white-noise motion stimulus, 20 min sampled at 500 Hz "
                    "(Dayan & Abbott, Theoretical Neuroscience, chapter 1 exercise data)",
        citation="de Ruyter van Steveninck & Bialek; Dayan & Abbott (2001), Theoretical Neuroscience",
        licence="no licence stated by the book's exercise page or the source repository; "
                "distributed by the authors as teaching data"),
    "mt": DataFile(
        name="nsa2009_1.mat",
        sha256="9f26a278efcb0b588a73dd94772067fd086ee988fe7912b31686a861a2c7fb4a",
        size=358_836,
        url="https://raw.githubusercontent.com/stevensonlab/teaching/"
            "8359ae6390dcd72b4ab7e5af4bf951b9ff58cffd/sand/labs/lab1/nsa2009_1.mat",
        description="macaque MT, 26 cells, repeated and variable random-dot stimuli "
                    "(Neural Signal Archive nsa2009.1)",
        citation="Britten, Shadlen, Newsome & Movshon (1992) J Neurosci 12:4745; "
                 "Bair & Koch (1996) Neural Comput 8:1185",
        licence="released through the Neural Signal Archive; the source repository is CC BY 4.0"),
}

#: Environment variable naming a mirror: ``<PCN_DATA_URL>/<file name>`` replaces
#: each file's public URL (offline machines, tests against a local server).
MIRROR_VARIABLE = "PCN_DATA_URL"

_verified: dict[tuple, bool] = {}


class DataNotFoundError(FileNotFoundError):
    """A real recording is not in the data directory."""


class DataChecksumError(OSError):
    """A recording's bytes do not match its registered size or sha256."""


def _entry(key: str) -> DataFile:
    if key not in REGISTRY:
        raise ValueError(f"key must be one of {sorted(REGISTRY)}, got {key!r}")
    return REGISTRY[key]


def sha256(path: str | os.PathLike) -> str:
    """Hex sha256 digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(key: str, path: str | os.PathLike) -> Path:
    """Check that ``path`` holds exactly the registered bytes of recording ``key``.

    Raises
    ------
    DataChecksumError
        If the size or the sha256 differs (a truncated or corrupt file); the
        message names the file, the expected and the actual values.
    """
    entry, path = _entry(key), Path(path)
    stat = path.stat()
    token = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if _verified.get(token):
        return path
    if stat.st_size != entry.size:
        raise DataChecksumError(
            f"{path} has {stat.st_size} bytes, expected {entry.size} (sha256 {entry.sha256}): the file is "
            f"truncated or not {entry.name}; delete it and run `make data`")
    actual = sha256(path)
    if actual != entry.sha256:
        raise DataChecksumError(
            f"{path} has sha256 {actual}, expected {entry.sha256}: the file is corrupt or not "
            f"{entry.name}; delete it and run `make data`")
    _verified[token] = True
    return path


def _path(key: str, directory: str | os.PathLike | None) -> Path:
    entry = _entry(key)
    path = data_dir(directory) / entry.name
    if not path.is_file():
        raise DataNotFoundError(
            f"{entry.name} not found in {path.parent}. Run `make data` (or "
            f"`python -m pcn_core.datasets`) to download it into {data_cache_dir()}, or point the "
            f"`data_dir` argument or PCN_DATA_DIR at a folder holding it. Source: {entry.url}")
    return verify(key, path)


def available(key: str, directory: str | os.PathLike | None = None) -> bool:
    """True if recording ``key`` (one of :data:`REGISTRY`) is in the data directory.

    Presence only (cheap); the checksum is verified when the file is loaded.
    An explicit ``directory`` (or ``PCN_DATA_DIR``) that does not exist raises
    :class:`FileNotFoundError` rather than answering False.
    """
    return (data_dir(directory) / _entry(key).name).is_file()


def fetch(keys=None, *, directory: str | os.PathLike | None = None, base_url: str | None = None,
          progress: bool = False) -> dict[str, Path]:
    """Download the recordings ``keys`` (default: all of :data:`REGISTRY`) and verify them.

    Files already present with the right checksum are not downloaded again.

    Parameters
    ----------
    keys : str, iterable of str or None
        Registry keys (``"h1"``, ``"mt"``).
    directory : folder to download into (default: :func:`pcn_core.paths.data_dir`,
        i.e. ``PCN_DATA_DIR`` if set, else the user's cache); created if missing.
    base_url : mirror serving the files by name (default: ``PCN_DATA_URL`` if set,
        else each file's public URL).
    progress : show pooch's download progress bar.

    Returns
    -------
    dict mapping each key to the verified local path.

    Raises
    ------
    DataChecksumError
        If a downloaded or present file does not match the registry.
    """
    import pooch

    keys = list(REGISTRY) if keys is None else [keys] if isinstance(keys, str) else list(keys)
    entries = {k: _entry(k) for k in keys}
    if directory is not None:
        folder = Path(directory).expanduser()
    elif os.environ.get("PCN_DATA_DIR"):
        folder = Path(os.environ["PCN_DATA_DIR"]).expanduser()
    else:
        folder = data_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    base_url = base_url if base_url is not None else os.environ.get(MIRROR_VARIABLE)
    paths = {}
    for key, entry in entries.items():
        url = entry.url if not base_url else base_url.rstrip("/") + "/" + entry.name
        try:
            local = pooch.retrieve(url, known_hash=f"sha256:{entry.sha256}", fname=entry.name,
                                   path=folder, progressbar=progress)
        except ValueError as err:  # pooch's hash mismatch
            raise DataChecksumError(f"{entry.name} downloaded from {url} does not match sha256 "
                                    f"{entry.sha256}: {err}") from err
        paths[key] = verify(key, local)
    return paths


@dataclass
class H1Recording:
    """Blowfly H1 recording with its white-noise motion stimulus.

    Attributes
    ----------
    stimulus : (n,) float array, stimulus velocity (arbitrary units, as distributed)
    spikes : (n,) int array, spike count in each sample bin (0 or 1)
    dt : sample interval in seconds (0.002 s)
    """
    stimulus: np.ndarray
    spikes: np.ndarray
    dt: float

    @property
    def spike_times(self) -> np.ndarray:
        """Spike times in seconds (bin starts)."""
        return np.flatnonzero(self.spikes) * self.dt

    @property
    def duration(self) -> float:
        """Recording length in seconds."""
        return self.spikes.size * self.dt


def load_h1(directory: str | os.PathLike | None = None) -> H1Recording:
    """Load ``c1p8.mat`` (20 min of fly H1 spikes and stimulus sampled every 2 ms)."""
    mat = scipy.io.loadmat(_path("h1", directory))
    return H1Recording(stimulus=mat["stim"].ravel().astype(float),
                       spikes=mat["rho"].ravel().astype(np.int64), dt=0.002)


@dataclass
class MTCell:
    """One file of the MT data set: repeated trials of one cell.

    Attributes
    ----------
    name : file name, ending in ``c`` (repeated stimulus seed) or ``v`` (variable seed)
    trials : list of arrays of spike times in seconds from stimulus onset
    duration : trial duration in seconds (from the file's ``Duration`` field)
    directions : (n_trials,) motion direction of each trial (degrees)
    """
    name: str
    trials: list = field(repr=False)
    duration: float
    directions: np.ndarray = field(repr=False)

    @property
    def repeated_stimulus(self) -> bool:
        """True if every trial used the same random-dot seed."""
        return self.name.endswith("c")


def load_mt(directory: str | os.PathLike | None = None) -> list[MTCell]:
    """Load ``nsa2009_1.mat``: 52 files of macaque MT responses to random dots.

    The first element of each trial's vector in the file is the spike count,
    not a spike time; it is checked against the number of times and dropped.
    """
    mat = scipy.io.loadmat(_path("mt", directory), squeeze_me=True, struct_as_record=False)
    cells = []
    for rec in np.atleast_1d(mat["data"]):
        desc = dict(str(s).split(" ", 1) for s in np.atleast_1d(rec.desc))
        duration = float(desc["Duration"]) / float(desc["Sampling"])
        trials = []
        for vec in np.atleast_1d(rec.spks):
            vec = np.atleast_1d(np.asarray(vec, dtype=float))
            count, times = int(vec[0]), vec[1:]
            if count != times.size:
                raise ValueError(f"{rec.name}: spike count {count} does not match {times.size} times")
            trials.append(times / 1000.0)
        params = np.atleast_2d(rec.trial_params)
        cells.append(MTCell(name=str(rec.name), trials=trials, duration=duration,
                            directions=params[:, 1].astype(float)))
    return cells


def main(argv=None) -> int:
    """``python -m pcn_core.datasets [KEY ...]`` (``make data``): fetch and verify recordings."""
    import argparse

    parser = argparse.ArgumentParser(description="Download and verify the real recordings.")
    parser.add_argument("keys", nargs="*", help=f"registry keys (default: all of {sorted(REGISTRY)})")
    args = parser.parse_args(argv)
    for key, path in fetch(args.keys or None, progress=True).items():
        print(f"{key}: {path} (sha256 verified)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
