"""Argument checks shared by every module: one message style, naming the
parameter and the allowed range, and never a silent clip or truncation."""
from __future__ import annotations

import math
import numbers

import numpy as np


def rng(seed, name: str = "seed") -> np.random.Generator:
    """A numpy Generator from ``seed``: None (fresh entropy), an integer >= 0, a
    ``np.random.SeedSequence`` or a Generator (used as is, so draws continue its stream)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise TypeError(f"{name} must be None, an integer >= 0, a SeedSequence or a np.random.Generator, "
                    f"got {seed!r} ({type(seed).__name__})")


def real(value, name: str, *, low: float | None = None, high: float | None = None,
         low_open: bool = False, unit: str = "") -> float:
    """``value`` as a finite float in [low, high] (``(low, high]`` with ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number{unit and ' (' + unit + ')'}, got {value!r}")
    value = float(value)
    ok = math.isfinite(value) and (low is None or (value > low if low_open else value >= low)) \
        and (high is None or value <= high)
    if not ok:
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            bounds.append(f"<= {high:g}")
        rng_txt = " and ".join(bounds)
        raise ValueError(f"{name} must be a finite number{' ' + rng_txt if rng_txt else ''}"
                         f"{' ' + unit if unit else ''}, got {value}")
    return value


def indices(values, size: int, name: str) -> np.ndarray:
    """Integer indices in [0, size - 1] as an int64 array; floats (even 2.0) are refused,
    since a silently truncated index would pick the wrong neuron."""
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer indices in [0, {size - 1}], got {arr.ravel()[:5].tolist()} "
                        f"(dtype {arr.dtype})")
    arr = arr.astype(np.int64).ravel()
    if arr.min() < 0 or arr.max() >= size:
        raise ValueError(f"{name} must hold indices in [0, {size - 1}], got values from {arr.min()} to {arr.max()}")
    return arr


def samples(values, name: str) -> np.ndarray:
    """A 1-D float array of at least 2 finite samples (a signal on a time grid)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 samples, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def spike_counts(counts, n: int | None = None, name: str = "counts") -> np.ndarray:
    """Spikes per bin as a float ``(n, channels)`` array (a 1-D array is one channel), finite and
    >= 0, with ``n`` bins when ``n`` is given."""
    arr = np.asarray(counts, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 1:
        raise ValueError(f"{name} must be (n,) or (n, channels) spike counts per bin, got shape {np.shape(counts)}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0 (spikes per bin)")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} bins but the stimulus has {n} samples")
    return arr
