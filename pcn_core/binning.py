"""Spike trains on a regular time grid: binning, smoothing and held-out splits.

A spike train binned with step ``dt`` (s) is the count of spikes in each bin
``[k dt, (k+1) dt)``; the decoders of :mod:`pcn_core.reconstruction` and the
spectra of :mod:`pcn_core.coherence` work on such grids.
"""
from __future__ import annotations

import numpy as np
import scipy.ndimage

from . import validation
from .spikestats import binned_counts


def bin_spikes(spike_times, n_steps: int, dt: float) -> np.ndarray:
    """Spike counts in the bins ``[k dt, (k+1) dt)``, ``k = 0 .. n_steps-1``.

    Raises if a spike lies outside ``[0, n_steps dt)`` (nothing is dropped).
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    t = np.asarray(spike_times, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError("spike_times must be a 1-D array of finite times (s)")
    if t.size and (t.min() < 0 or t.max() >= n_steps * dt):
        raise ValueError(f"spike_times must lie in [0, {n_steps * dt}) s; got range "
                         f"[{t.min()}, {t.max()}] s")
    return binned_counts([np.sort(t)], dt, 0.0, n_steps * dt)[0]


def spike_times_from_counts(counts, dt: float) -> np.ndarray:
    """Spike times (s) at the centres of the bins of a count array (repeated for counts > 1)."""
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    c = np.asarray(counts)
    if c.ndim != 1 or np.any(c < 0):
        raise ValueError("counts must be a 1-D array of non-negative spike counts")
    return (np.repeat(np.arange(c.size), c.astype(np.int64)) + 0.5) * dt


def gaussian_smooth(x, dt: float, half_width: float) -> np.ndarray:
    """Smooth along the first axis with a Gaussian of half-width at half-maximum ``half_width`` (s)."""
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    if not (np.isfinite(half_width) and half_width >= 0):
        raise ValueError(f"half_width must be >= 0 s, got {half_width}")
    x = np.asarray(x, dtype=float)
    if half_width == 0:
        return x.copy()
    sigma = half_width / np.sqrt(2 * np.log(2)) / dt
    return scipy.ndimage.gaussian_filter1d(x, sigma, axis=0, mode="reflect")


def holdout_split(n_steps: int, test_fraction: float = 0.2) -> tuple[slice, slice]:
    """Training and held-out slices: the last ``test_fraction`` of the samples is held out."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    cut = int(round(n_steps * (1 - test_fraction)))
    if cut < 2 or n_steps - cut < 2:
        raise ValueError(f"n_steps={n_steps} is too short to split")
    return slice(0, cut), slice(cut, n_steps)
