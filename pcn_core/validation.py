"""Argument checks shared by every module: one message style, naming the
parameter and the allowed range, and never a silent clip or truncation.

Each function returns the checked value in a canonical form (a float, an int,
an int64 index array, a float sample array, a numpy Generator) or raises
``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, out of range).
"""
from __future__ import annotations

import math
import numbers
import os

import numpy as np


def rng(seed, name: str = "seed") -> np.random.Generator:
    """A numpy random Generator from ``seed``, the source of every random draw.

    Parameters
    ----------
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        None draws fresh entropy from the operating system; an integer >= 0 or
        a ``SeedSequence`` seeds a new PCG64 generator; a Generator is used as
        is, so draws continue its stream. Booleans are refused.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    numpy.random.Generator
        ``seed`` itself if it is a Generator, else ``np.random.default_rng(seed)``.

    Raises
    ------
    TypeError
        If ``seed`` is none of the above (e.g. a negative integer, a float or a bool).

    Examples
    --------
    >>> gen = rng(7)
    >>> bool(gen.random() == np.random.default_rng(7).random())
    True
    >>> rng(gen) is gen
    True
    >>> rng(-1)
    Traceback (most recent call last):
    ...
    TypeError: seed must be None, an integer >= 0, a SeedSequence or a np.random.Generator, got -1 (int)
    """
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
    """``value`` as a finite float in ``[low, high]`` (``(low, high]`` with ``low_open``).

    Parameters
    ----------
    value : real number
        Python or numpy int or float (booleans are refused).
    name : str
        Parameter name used in the error messages.
    low, high : float, optional
        Bounds, inclusive unless ``low_open``; None means unbounded on that side.
    low_open : bool
        Exclude ``low`` itself (e.g. ``low=0, low_open=True`` for ``> 0``).
    unit : str
        Unit named in the error messages (e.g. ``"s"``, ``"mV"``); the value is
        not converted.

    Returns
    -------
    float
        ``value`` as a Python float, in the units it was given in.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a string, a bool, an array, ...).
    ValueError
        If ``value`` is NaN or infinite, or lies outside the bounds.

    Examples
    --------
    >>> real(2, "tau", low=0.0, low_open=True, unit="s")
    2.0
    >>> real(0.0, "tau", low=0.0, low_open=True, unit="s")
    Traceback (most recent call last):
    ...
    ValueError: tau must be a finite number > 0 s, got 0.0
    """
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


def count(value, name: str, *, low: int = 1) -> int:
    """``value`` as a Python int ``>= low``: a number of things (neurons, steps, bins).

    Floats (even ``4.0``) and booleans are refused rather than rounded, since a
    count that is not a whole number is a mistake upstream.

    Parameters
    ----------
    value : int
        Python or numpy integer (booleans are refused).
    name : str
        Parameter name used in the error messages.
    low : int
        Smallest allowed value (1 for a number of items, 0 where none is
        allowed, e.g. a maximal lag).

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float, a bool, a string, an array, ...).
    ValueError
        If ``value < low``.

    Examples
    --------
    >>> count(np.int64(400), "n_neurons")
    400
    >>> count(0, "n_steps")
    Traceback (most recent call last):
    ...
    ValueError: n_steps must be an integer >= 1, got 0
    >>> count(2.0, "n_copies")
    Traceback (most recent call last):
    ...
    TypeError: n_copies must be an integer >= 1, got 2.0 (float)
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {low}, got {value!r} ({type(value).__name__})")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value}")
    return int(value)


def progress(value) -> bool:
    """Whether to show a progress bar: ``value`` itself, or with None the environment.

    Batch runs (``make figures``, ``make test``) set ``PCN_PROGRESS=0`` so that saved
    notebook outputs hold no progress bars (and no timings); interactive runs show them.

    Parameters
    ----------
    value : bool or None
        True or False as given; None: unless the environment sets ``PCN_PROGRESS=0``.

    Returns
    -------
    bool
        Show the bar.

    Raises
    ------
    TypeError
        If ``value`` is neither a bool nor None.

    Examples
    --------
    >>> progress(False)
    False
    >>> progress("yes")
    Traceback (most recent call last):
    ...
    TypeError: progress must be a bool or None, got 'yes'
    """
    if value is None:
        return os.environ.get("PCN_PROGRESS", "1") != "0"
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"progress must be a bool or None, got {value!r}")
    return bool(value)


def indices(values, size: int, name: str) -> np.ndarray:
    """Integer indices in ``[0, size - 1]`` as a flat int64 array.

    Floats (even ``2.0``) are refused, since a silently truncated index would
    pick the wrong neuron.

    Parameters
    ----------
    values : int or array_like of int
        Indices, any shape (flattened); an empty input gives an empty array.
    size : int
        Number of items indexed (e.g. the number of neurons N).
    name : str
        Parameter name used in the error messages.

    Returns
    -------
    (n,) int64 ndarray
        The indices, flattened.

    Raises
    ------
    TypeError
        If the values are not of an integer dtype (floats, booleans, objects).
    ValueError
        If an index is negative or ``>= size``.

    Examples
    --------
    >>> indices([[0, 3], [2, 1]], 4, "neurons")
    array([0, 3, 2, 1])
    >>> indices([2.0], 4, "neurons")
    Traceback (most recent call last):
    ...
    TypeError: neurons must hold integer indices in [0, 3], got [2.0] (dtype float64)
    """
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
    """A 1-D float array of at least 2 finite samples (a signal on a time grid).

    Parameters
    ----------
    values : array_like
        Samples of a signal, one per time step, in any unit (kept as given).
    name : str
        Parameter name used in the error messages.

    Returns
    -------
    (n,) float ndarray
        The samples as floats, ``n >= 2``.

    Raises
    ------
    ValueError
        If ``values`` is not 1-D, has fewer than 2 samples, or holds NaN or
        infinite values.

    Examples
    --------
    >>> samples([1, 2, 3], "stimulus")
    array([1., 2., 3.])
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 samples, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def spike_counts(counts, n: int | None = None, name: str = "counts") -> np.ndarray:
    """Spikes per bin as a float ``(n, channels)`` array, finite and >= 0.

    Parameters
    ----------
    counts : array_like, shape (n,) or (n, channels)
        Spike counts per bin (spikes per bin; need not be integers, e.g. counts
        averaged over trials). A 1-D array is one channel.
    n : int, optional
        Required number of bins (e.g. the number of stimulus samples), or None
        for any number >= 2.
    name : str
        Parameter name used in the error messages.

    Returns
    -------
    (n, channels) float ndarray
        The counts, with at least 2 bins and 1 channel.

    Raises
    ------
    ValueError
        If the shape is not (n,) or (n, channels) with ``n >= 2`` bins and at
        least one channel, a count is negative or not finite, or the number of
        bins differs from ``n``.

    Examples
    --------
    >>> spike_counts([0, 2, 1]).shape
    (3, 1)
    >>> spike_counts([0, 2, 1], n=4)
    Traceback (most recent call last):
    ...
    ValueError: counts has 3 bins but the stimulus has 4 samples
    """
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
