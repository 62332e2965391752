"""Loaders for the real recordings used beside the models.

The files are never committed: they are read from :func:`pcn_core.paths.data_dir`
(``PCN_DATA_DIR`` or ``../shared/data``). ``../shared/data/SOURCES.md`` gives
their provenance, variables and units. A missing file raises
:class:`DataNotFoundError`, whose message says where the file comes from, so
notebooks can skip real-data panels plainly with :func:`available`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.io

from .paths import data_dir

#: File name and where a user obtains it.
SOURCES = {
    "h1": ("c1p8.mat", "Dayan & Abbott, Theoretical Neuroscience, chapter 1 exercise data "
                       "(blowfly H1 recording by R. de Ruyter van Steveninck)"),
    "mt": ("nsa2009_1.mat", "Neural Signal Archive nsa2009.1 (Britten, Shadlen, Newsome & Movshon; "
                            "Bair & Koch 1996), as distributed in stevensonlab/teaching"),
}


class DataNotFoundError(FileNotFoundError):
    """A real recording is not in the data directory."""


def _path(key: str, directory: str | os.PathLike | None) -> Path:
    name, origin = SOURCES[key]
    path = data_dir(directory) / name
    if not path.is_file():
        raise DataNotFoundError(
            f"{name} not found in {path.parent}. Set the data directory (argument `data_dir` "
            f"or environment variable PCN_DATA_DIR) to the folder holding it. Source: {origin}.")
    return path


def available(key: str, directory: str | os.PathLike | None = None) -> bool:
    """True if recording ``key`` (one of ``SOURCES``) is in the data directory."""
    if key not in SOURCES:
        raise ValueError(f"key must be one of {sorted(SOURCES)}, got {key!r}")
    return (data_dir(directory) / SOURCES[key][0]).is_file()


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
