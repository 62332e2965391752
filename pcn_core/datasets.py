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
    """One registered recording: where it comes from and how to check it.

    Attributes
    ----------
    name : str
        File name in the data directory.
    sha256 : str
        Hex sha256 digest of the exact bytes.
    size : int
        File size in bytes.
    url : str
        Public source, pinned to a repository commit.
    description : str
        What the recording holds.
    citation : str
        Whom to cite when using it.
    licence : str
        The licence, or what is known about it.

    See Also
    --------
    REGISTRY : the registered recordings.

    Examples
    --------
    >>> entry = REGISTRY["mt"]
    >>> entry.name, entry.size
    ('nsa2009_1.mat', 358836)
    >>> entry.url.startswith("https://raw.githubusercontent.com/stevensonlab/teaching/")
    True
    """
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
    """A real recording is not in the data directory.

    Raised by the loaders (:func:`load_h1`, :func:`load_mt`); the message says
    how to get the file (``make data``, ``data_dir``, ``PCN_DATA_DIR``) and
    gives its source. A ``FileNotFoundError``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     try:
    ...         load_h1(empty)
    ...     except DataNotFoundError as error:
    ...         print(str(error).split(" not found")[0])
    c1p8.mat
    """


class DataChecksumError(OSError):
    """A recording's bytes do not match its registered size or sha256.

    Raised by :func:`verify` (so by the loaders and :func:`fetch`); the message
    names the file, the expected and the actual size or digest. An ``OSError``.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fake = os.path.join(folder, "nsa2009_1.mat")
    ...     with open(fake, "wb") as fh:
    ...         _ = fh.write(b"not the recording")
    ...     try:
    ...         verify("mt", fake)
    ...     except DataChecksumError as error:
    ...         print("has 17 bytes, expected 358836" in str(error))
    True
    """


def _entry(key: str) -> DataFile:
    if key not in REGISTRY:
        raise ValueError(f"key must be one of {sorted(REGISTRY)}, got {key!r}")
    return REGISTRY[key]


def sha256(path: str | os.PathLike) -> str:
    """Hex sha256 digest of a file's bytes.

    Reads the file in 1 MiB blocks (a 5 MB recording takes milliseconds).

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        64 lower-case hex digits.

    Raises
    ------
    OSError
        If the file cannot be read (``FileNotFoundError`` if it is missing).

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "abc.txt")
    ...     with open(path, "wb") as fh:
    ...         _ = fh.write(b"abc")
    ...     sha256(path)  # the FIPS 180-2 test vector for "abc"
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(key: str, path: str | os.PathLike) -> Path:
    """Check that ``path`` holds exactly the registered bytes of recording ``key``.

    The size is compared first (cheap), then the sha256. A file that passed is
    remembered for the rest of the session by its resolved path, size and
    modification time, so loading it again does not re-hash it.

    Parameters
    ----------
    key : str
        Registry key, one of :data:`REGISTRY` (``"h1"``, ``"mt"``).
    path : str or os.PathLike
        The file to check.

    Returns
    -------
    pathlib.Path
        ``path``, verified.

    Raises
    ------
    DataChecksumError
        If the size or the sha256 differs (a truncated or corrupt file); the
        message names the file, the expected and the actual values.
    ValueError
        If ``key`` is not in :data:`REGISTRY`.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     truncated = os.path.join(folder, "c1p8.mat")
    ...     with open(truncated, "wb") as fh:
    ...         _ = fh.write(b"MATLAB 5.0")
    ...     try:
    ...         verify("h1", truncated)
    ...     except DataChecksumError as error:
    ...         print("truncated" in str(error))
    True
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
    :class:`FileNotFoundError` rather than answering False. Notebooks use it
    to skip real-data panels plainly.

    Parameters
    ----------
    key : str
        Registry key (``"h1"``, ``"mt"``).
    directory : str, os.PathLike or None, default None
        Folder to look in; None uses ``PCN_DATA_DIR`` if set, else the user's
        download cache (:func:`pcn_core.paths.data_dir`).

    Returns
    -------
    bool
        Whether the file ``REGISTRY[key].name`` exists there.

    Raises
    ------
    ValueError
        If ``key`` is not in :data:`REGISTRY`.
    FileNotFoundError
        If ``directory`` (or ``PCN_DATA_DIR``) names a folder that does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     available("h1", empty)
    False
    """
    return (data_dir(directory) / _entry(key).name).is_file()


def fetch(keys=None, *, directory: str | os.PathLike | None = None, base_url: str | None = None,
          progress: bool = False) -> dict[str, Path]:
    """Download the recordings ``keys`` (default: all of :data:`REGISTRY`) and verify them.

    Files already present with the right checksum are not downloaded again.

    Parameters
    ----------
    keys : str, iterable of str or None, default None
        Registry keys (``"h1"``, ``"mt"``); None fetches all of :data:`REGISTRY`.
    directory : str, os.PathLike or None, default None
        Folder to download into (default: as :func:`pcn_core.paths.data_dir`,
        i.e. ``PCN_DATA_DIR`` if set, else the user's cache); created if missing.
    base_url : str or None, default None
        Mirror serving the files by name, ``<base_url>/<file name>`` (default:
        ``PCN_DATA_URL`` if set, else each file's public URL).
    progress : bool, default False
        Show pooch's download progress bar.

    Returns
    -------
    dict of str to pathlib.Path
        Each key mapped to the verified local path.

    Raises
    ------
    DataChecksumError
        If a downloaded or present file does not match the registry.
    ValueError
        If a key is not in :data:`REGISTRY` (checked before any download).
    OSError
        If a download fails (pooch passes on the network error, e.g.
        ``requests.HTTPError``).

    See Also
    --------
    available : whether a recording is present, without downloading.

    Examples
    --------
    Downloading is what ``make data`` is for, so this example only shows what
    would be fetched, and that an unknown key is refused before any download:

    >>> sorted(REGISTRY), [REGISTRY[key].size for key in sorted(REGISTRY)]
    (['h1', 'mt'], [5400240, 358836])
    >>> try:
    ...     fetch("eeg")
    ... except ValueError as error:
    ...     print(error)
    key must be one of ['h1', 'mt'], got 'eeg'
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
    stimulus : (n,) float array
        Stimulus velocity in each sample bin (arbitrary units, as distributed;
        undocumented by the source).
    spikes : (n,) int array
        Spike count in each sample bin (0 or 1 in ``c1p8.mat``).
    dt : float
        Sample interval in s (0.002 s for ``c1p8.mat``).

    See Also
    --------
    load_h1 : reads the recording.

    References
    ----------
    .. [1] Dayan P, Abbott LF (2001). Theoretical Neuroscience: Computational and
       Mathematical Modeling of Neural Systems. MIT Press; chapter 1 exercise 8,
       data file ``c1p8.mat`` (fly H1 recorded and provided by R. de Ruyter van
       Steveninck; 20 min at 500 Hz). Copy used: ``REGISTRY["h1"].url``
       (glarange/Theoretical-Neuroscience-Exercises, commit b17372e).

    Examples
    --------
    A synthetic recording (the real one comes from :func:`load_h1`):

    >>> import numpy as np
    >>> rec = H1Recording(stimulus=np.zeros(5), spikes=np.array([0, 1, 0, 0, 1]), dt=0.002)
    >>> rec.spike_times.tolist(), round(rec.duration, 3)   # centres of bins 1 and 4
    ([0.003, 0.009], 0.01)
    """
    stimulus: np.ndarray
    spikes: np.ndarray
    dt: float

    @property
    def spike_times(self) -> np.ndarray:
        """Spike times in seconds, at the centres of their bins (the convention of
        :func:`pcn_core.binning.spike_times_from_counts`, which the Bialek notebooks use:
        a spike recorded in bin k fell somewhere in [k dt, (k + 1) dt))."""
        from .binning import spike_times_from_counts  # binning imports spikestats; keep datasets light to import
        return spike_times_from_counts(self.spikes, self.dt)

    @property
    def duration(self) -> float:
        """Recording length in seconds."""
        return self.spikes.size * self.dt


def load_h1(directory: str | os.PathLike | None = None) -> H1Recording:
    """Load ``c1p8.mat`` (20 min of fly H1 spikes and stimulus sampled every 2 ms).

    The file's ``stim`` becomes ``stimulus`` (float) and ``rho`` becomes
    ``spikes`` (int64). Its checksum is verified first. Typical use, in a
    notebook: ``if available("h1"): recording = load_h1()``.

    Parameters
    ----------
    directory : str, os.PathLike or None, default None
        Folder holding the file; None uses ``PCN_DATA_DIR`` if set, else the
        user's download cache (:func:`pcn_core.paths.data_dir`).

    Returns
    -------
    H1Recording
        ``stimulus`` and ``spikes`` of 600,000 samples each, ``dt = 0.002`` s
        (1200 s; 53,601 spikes, a mean rate of 44.7 Hz).

    Raises
    ------
    DataNotFoundError
        If ``c1p8.mat`` is not in the folder (the message says how to get it).
    DataChecksumError
        If the file is truncated or corrupt.
    FileNotFoundError
        If ``directory`` (or ``PCN_DATA_DIR``) is not an existing folder.

    See Also
    --------
    available : check for the file before loading.
    fetch : download it.

    References
    ----------
    .. [1] Dayan P, Abbott LF (2001). Theoretical Neuroscience: Computational and
       Mathematical Modeling of Neural Systems. MIT Press; chapter 1 exercise 8,
       data file ``c1p8.mat`` (fly H1 recorded and provided by R. de Ruyter van
       Steveninck; 20 min at 500 Hz). Copy used: ``REGISTRY["h1"].url``
       (glarange/Theoretical-Neuroscience-Exercises, commit b17372e).

    Examples
    --------
    The recording is not committed and may be absent, so this shows its
    registry entry and an empty folder rather than a load:

    >>> import tempfile
    >>> REGISTRY["h1"].name, REGISTRY["h1"].size
    ('c1p8.mat', 5400240)
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     available("h1", empty)
    False
    """
    mat = scipy.io.loadmat(_path("h1", directory))
    return H1Recording(stimulus=mat["stim"].ravel().astype(float),
                       spikes=mat["rho"].ravel().astype(np.int64), dt=0.002)


@dataclass
class MTCell:
    """One file of the MT data set: repeated trials of one cell.

    Attributes
    ----------
    name : str
        File name, ending in ``c`` (repeated stimulus seed) or ``v`` (variable seed).
    trials : list of (n_i,) float arrays
        Spike times of each trial in s from stimulus onset, sorted.
    duration : float
        Trial duration in s (the file's ``Duration`` over its ``Sampling``
        rate: 2.048 s or 2.0 s in ``nsa2009_1.mat``).
    directions : (n_trials,) float array
        Direction of each trial as coded in the file's ``trial_params``
        (column 1). In ``nsa2009_1.mat`` these are codes, not degrees: 0 or 1
        in the ``v`` files, 2 or 3 in the ``c`` files; the archive's page does
        not say which motion directions they stand for.

    See Also
    --------
    load_mt : reads the 52 files.

    References
    ----------
    .. [1] Britten KH, Shadlen MN, Newsome WT, Movshon JA (1992). The analysis of
       visual motion: a comparison of neuronal and psychophysical performance.
       J Neurosci 12:4745-4765.
    .. [2] Bair W, Koch C (1996). Temporal precision of spike trains in
       extrastriate cortex of the behaving macaque monkey. Neural Comput
       8:1185-1202.
    .. [3] Neural Signal Archive, data set nsa2009.1; copy used:
       ``REGISTRY["mt"].url`` (stevensonlab/teaching, commit 8359ae6).

    Examples
    --------
    A synthetic cell (the real ones come from :func:`load_mt`):

    >>> import numpy as np
    >>> cell = MTCell(name="e053c", trials=[np.array([0.1, 0.5]), np.array([0.3])],
    ...               duration=2.048, directions=np.array([90.0, 90.0]))
    >>> cell.repeated_stimulus, [t.size for t in cell.trials]
    (True, [2, 1])
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
    Spike times are converted from ms to s. The checksum is verified first.

    Parameters
    ----------
    directory : str, os.PathLike or None, default None
        Folder holding the file; None uses ``PCN_DATA_DIR`` if set, else the
        user's download cache (:func:`pcn_core.paths.data_dir`).

    Returns
    -------
    list of MTCell
        52 files of 26 cells (names ending in ``c``: repeated stimulus seed,
        ``v``: variable seed; one is named ``e076hc``), in the file's order:
        3,519 trials and 201,560 spikes in all, responses to zero-coherence
        random dots of about 2 s.

    Raises
    ------
    DataNotFoundError
        If ``nsa2009_1.mat`` is not in the folder (the message says how to get it).
    DataChecksumError
        If the file is truncated or corrupt.
    ValueError
        If a trial's leading spike count does not match its number of spike times.
    FileNotFoundError
        If ``directory`` (or ``PCN_DATA_DIR``) is not an existing folder.

    See Also
    --------
    available : check for the file before loading.
    fetch : download it.

    References
    ----------
    .. [1] Britten KH, Shadlen MN, Newsome WT, Movshon JA (1992). The analysis of
       visual motion: a comparison of neuronal and psychophysical performance.
       J Neurosci 12:4745-4765.
    .. [2] Bair W, Koch C (1996). Temporal precision of spike trains in
       extrastriate cortex of the behaving macaque monkey. Neural Comput
       8:1185-1202.
    .. [3] Neural Signal Archive, data set nsa2009.1; copy used:
       ``REGISTRY["mt"].url`` (stevensonlab/teaching, commit 8359ae6).

    Examples
    --------
    The recording is not committed and may be absent, so this shows its
    registry entry and an empty folder rather than a load:

    >>> import tempfile
    >>> REGISTRY["mt"].citation.split(";")[0]
    'Britten, Shadlen, Newsome & Movshon (1992) J Neurosci 12:4745'
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     available("mt", empty)
    False
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
    """``python -m pcn_core.datasets [KEY ...]`` (``make data``): fetch and verify recordings.

    Downloads with a progress bar into ``PCN_DATA_DIR`` or the user's cache
    (see :func:`fetch`) and prints one line per verified file.

    Parameters
    ----------
    argv : list of str or None, default None
        Command-line arguments (registry keys; none means all); None reads
        ``sys.argv[1:]``.

    Returns
    -------
    int
        0, the exit status (errors propagate as exceptions, see :func:`fetch`).

    Examples
    --------
    Only the help (running it downloads):

    >>> try:
    ...     main(["--help"])
    ... except SystemExit as done:
    ...     print("exit status", done.code)
    usage: ... [-h] [keys ...]
    <BLANKLINE>
    Download and verify the real recordings.
    ...
    exit status 0
    """
    import argparse

    parser = argparse.ArgumentParser(description="Download and verify the real recordings.")
    parser.add_argument("keys", nargs="*", help=f"registry keys (default: all of {sorted(REGISTRY)})")
    args = parser.parse_args(argv)
    for key, path in fetch(args.keys or None, progress=True).items():
        print(f"{key}: {path} (sha256 verified)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
