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
    """Spike counts in the bins ``[k*dt, (k+1)*dt)``, ``k = 0 .. n_steps - 1``.

    Nothing is dropped: a spike outside ``[0, n_steps*dt)`` is an error. A spike
    on a bin edge up to float rounding goes to the bin that starts there (as in
    :func:`pcn_core.spikestats.binned_counts`).

    Parameters
    ----------
    spike_times : (n_spikes,) array_like of float
        Spike times in s, finite, in ``[0, n_steps*dt)``, in any order.
    n_steps : int
        Number of bins, an integer >= 1.
    dt : float
        Bin width in s, finite and > 0.

    Returns
    -------
    (n_steps,) int64 array
        Spikes per bin.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, ``n_steps < 1``, ``spike_times`` is
        not a 1-D array of finite times, or a spike lies outside ``[0, n_steps*dt)``.
    TypeError
        If ``dt`` is not a real number or ``n_steps`` is not an integer (2.5
        would otherwise give 2 bins).

    See Also
    --------
    spike_times_from_counts : the inverse, up to the position within each bin.

    Examples
    --------
    >>> from pcn_core.binning import bin_spikes
    >>> bin_spikes([0.0005, 0.0015, 0.0016], 3, 0.001)
    array([1, 2, 0])
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    n_steps = validation.count(n_steps, "n_steps")
    t = np.asarray(spike_times, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError("spike_times must be a 1-D array of finite times (s)")
    if t.size and (t.min() < 0 or t.max() >= n_steps * dt):
        raise ValueError(f"spike_times must lie in [0, {n_steps * dt}) s; got range "
                         f"[{t.min()}, {t.max()}] s")
    return binned_counts([np.sort(t)], dt, 0.0, n_steps * dt)[0]


def spike_times_from_counts(counts, dt: float) -> np.ndarray:
    """Spike times at the centres of the bins of a count array (repeated for counts > 1).

    Parameters
    ----------
    counts : (n,) array_like
        Spikes per bin: whole numbers >= 0 (an integer array, or floats such as
        ``2.0``; a fraction is refused, not truncated).
    dt : float
        Bin width in s, finite and > 0.

    Returns
    -------
    (counts.sum(),) float array
        Spike times in s, sorted: ``(k + 0.5) * dt`` for each spike in bin ``k``.

    Raises
    ------
    ValueError
        If ``counts`` is not 1-D or holds negative, non-finite or non-integer
        values, or ``dt`` is not positive and finite.
    TypeError
        If ``dt`` is not a real number.

    See Also
    --------
    bin_spikes : the inverse.

    Examples
    --------
    >>> from pcn_core.binning import bin_spikes, spike_times_from_counts
    >>> times = spike_times_from_counts([0, 2, 1], 0.001)
    >>> times
    array([0.0015, 0.0015, 0.0025])
    >>> bin_spikes(times, 3, 0.001)
    array([0, 2, 1])
    >>> spike_times_from_counts([1.5, 0.7], 0.001)
    Traceback (most recent call last):
    ...
    ValueError: counts must be whole numbers of spikes, got 1.5 in bin 0
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    c = np.asarray(counts)
    if c.ndim != 1 or np.any(c < 0):
        raise ValueError("counts must be a 1-D array of non-negative spike counts")
    if not np.issubdtype(c.dtype, np.integer):
        # whole-valued floats (e.g. counts stored as float) are fine; 1.5 would be cut to 1
        fractional = np.flatnonzero(~np.isfinite(c) | (c != np.floor(c)))
        if fractional.size:
            raise ValueError(f"counts must be whole numbers of spikes, got {c[fractional[0]]} in bin {fractional[0]}")
    return (np.repeat(np.arange(c.size), c.astype(np.int64)) + 0.5) * dt


def gaussian_smooth(x, dt: float, half_width: float) -> np.ndarray:
    """Smooth along the first axis with a Gaussian of half-width at half-maximum ``half_width``.

    The Gaussian's standard deviation is ``half_width / sqrt(2 ln 2)``; edges are
    reflected (``scipy.ndimage.gaussian_filter1d``, kernel truncated at 4 standard
    deviations). Bialek et al. smooth stimulus and reconstruction with a 5 ms
    half-width Gaussian before comparing them ([1]_, Fig. 1).

    Parameters
    ----------
    x : (n,) or (n, ...) array_like of float
        Samples on a grid of step ``dt``, first axis time.
    dt : float
        Grid step in s, finite and > 0.
    half_width : float
        Half-width at half-maximum in s, finite and >= 0 (0 returns a copy).

    Returns
    -------
    float array, shape of ``x``
        Smoothed samples (same units as ``x``).

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite or ``half_width`` is negative or not finite.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    An impulse keeps its area and falls to half its peak ``half_width`` (5 samples) away:

    >>> import numpy as np
    >>> from pcn_core.binning import gaussian_smooth
    >>> impulse = np.zeros(201)
    >>> impulse[100] = 1.0
    >>> smooth = gaussian_smooth(impulse, 0.001, 0.005)
    >>> round(float(smooth.sum()), 3), round(float(smooth[105] / smooth[100]), 3)
    (1.0, 0.5)
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    if not (np.isfinite(half_width) and half_width >= 0):
        raise ValueError(f"half_width must be >= 0 s, got {half_width}")
    x = np.asarray(x, dtype=float)
    if half_width == 0:
        return x.copy()
    sigma = half_width / np.sqrt(2 * np.log(2)) / dt
    return scipy.ndimage.gaussian_filter1d(x, sigma, axis=0, mode="reflect")


def holdout_split(n_steps: int, test_fraction: float = 0.2) -> tuple[slice, slice]:
    """Training and held-out slices of a recording: the last ``test_fraction`` of the samples is held out.

    Parameters
    ----------
    n_steps : int
        Number of samples, an integer >= 4.
    test_fraction : float, optional
        Fraction held out, in (0, 1) (default 0.2); both parts need at least 2 samples.

    Returns
    -------
    train : slice
        ``slice(0, cut)`` with ``cut = round(n_steps * (1 - test_fraction))``.
    test : slice
        ``slice(cut, n_steps)``.

    Raises
    ------
    ValueError
        If ``n_steps < 4``, ``test_fraction`` is outside (0, 1) or a part would
        hold fewer than 2 samples.
    TypeError
        If ``n_steps`` is not an integer.

    Examples
    --------
    >>> from pcn_core.binning import holdout_split
    >>> holdout_split(10)
    (slice(0, 8, None), slice(8, 10, None))
    """
    n_steps = validation.count(n_steps, "n_steps", low=4)   # two parts of at least 2 samples
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    cut = int(round(n_steps * (1 - test_fraction)))
    if cut < 2 or n_steps - cut < 2:
        raise ValueError(f"n_steps={n_steps} is too short to split")
    return slice(0, cut), slice(cut, n_steps)
