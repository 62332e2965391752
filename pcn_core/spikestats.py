"""Spike-train statistics shared by every paper: ISIs, CV, CV2, Fano factor,
binned counts, count correlations, cross-correlograms, spike-time jitter and
smoothed rates, plus Poisson surrogates.

Spike trains are 1-D arrays of spike times in seconds, sorted. Conventions
follow Elephant (``elephant.statistics``) so results can be compared with it:
CV and Fano factor use the population variance (``ddof=0``) by default, and
bins are half-open ``[t, t + bin_width)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.signal

from . import validation


def _train(spike_times, name: str = "spike_times") -> np.ndarray:
    t = np.asarray(spike_times, dtype=float)
    if t.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of spike times (s), got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ValueError(f"{name} must be finite")
    if t.size > 1 and np.any(np.diff(t) < 0):
        raise ValueError(f"{name} must be sorted in increasing time")
    return t


def _window(t_start, t_stop) -> None:
    """A finite analysis window [t_start, t_stop) in s."""
    if not (np.isfinite(t_start) and np.isfinite(t_stop) and t_stop > t_start):
        raise ValueError(f"t_start and t_stop must be finite with t_stop > t_start, got [{t_start}, {t_stop}) s")


def isi(spike_times) -> np.ndarray:
    """Interspike intervals of one sorted spike train.

    Parameters
    ----------
    spike_times : (n,) array_like of float
        Spike times in s, finite and sorted in increasing time.

    Returns
    -------
    (max(n - 1, 0),) float array
        Intervals ``t[k+1] - t[k]`` in s.

    Raises
    ------
    ValueError
        If the train is not a 1-D array of finite spike times sorted in increasing time.

    See Also
    --------
    cv, cv2 : variability of the intervals.

    Examples
    --------
    >>> from pcn_core.spikestats import isi
    >>> isi([0.1, 0.25, 0.7])
    array([0.15, 0.45])
    """
    return np.diff(_train(spike_times))


def cv(spike_times, ddof: int = 0) -> float:
    """Coefficient of variation of the interspike intervals, ``std(ISI) / mean(ISI)``.

    0 for a regular train, 1 for a Poisson train (exponential ISIs).

    Parameters
    ----------
    spike_times : (n,) array_like of float
        Spike times in s, finite and sorted.
    ddof : int, optional
        Delta degrees of freedom of the standard deviation; 0 (default, population
        variance) matches ``elephant.statistics.cv``.

    Returns
    -------
    float
        The CV (dimensionless); NaN if the train has fewer than 2 ISIs (3 spikes).

    Raises
    ------
    ValueError
        If the train is not a 1-D array of finite spike times sorted in increasing time.

    See Also
    --------
    cv2 : a local measure, insensitive to slow rate changes.

    Examples
    --------
    A regular train has CV 0, a Poisson train CV close to 1:

    >>> import numpy as np
    >>> from pcn_core.spikestats import cv, poisson_trains
    >>> cv(np.arange(0.0, 1.0, 0.125))
    0.0
    >>> train = poisson_trains([50.0], 0.0, 100.0, seed=0)[0]
    >>> round(cv(train), 1)
    1.0
    """
    intervals = isi(spike_times)
    if intervals.size < 2:
        return float("nan")
    return float(np.std(intervals, ddof=ddof) / np.mean(intervals))


def cv2(spike_times) -> float:
    """Local variation CV2: mean over n of ``2 |I[n+1] - I[n]| / (I[n+1] + I[n])``.

    Compares each interspike interval ``I[n]`` with the next, so it is near 1 for
    a Poisson train and 0 for a regular one, and insensitive to slow rate changes.

    Parameters
    ----------
    spike_times : (n,) array_like of float
        Spike times in s, finite and sorted.

    Returns
    -------
    float
        CV2 (dimensionless, in [0, 2]); NaN if the train has fewer than 2 ISIs.

    Raises
    ------
    ValueError
        If two successive ISIs are both zero (three coincident spikes: the ratio is
        0/0), or the train is not a 1-D array of finite spike times sorted in increasing time.

    See Also
    --------
    cv : the global coefficient of variation.

    References
    ----------
    .. [1] Holt GR, Softky WR, Koch C, Douglas RJ (1996). Comparison of discharge
       variability in vitro and in vivo in cat visual cortex neurons. J Neurophysiol
       75:1806-1814.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.spikestats import cv2
    >>> cv2(np.arange(0.0, 1.0, 0.125))
    0.0

    Intervals alternating between 0.1 and 0.3 s differ by half their sum every time:

    >>> round(cv2([0.0, 0.1, 0.4, 0.5, 0.8]), 3)
    1.0
    """
    intervals = isi(spike_times)
    if intervals.size < 2:
        return float("nan")
    pair_sum = intervals[1:] + intervals[:-1]
    if np.any(pair_sum <= 0):
        raise ValueError("spike_times has coincident spikes (zero-length ISI pairs); CV2 is undefined")
    return float(np.mean(2.0 * np.abs(np.diff(intervals)) / pair_sum))


def spike_counts(trains, t_start: float, t_stop: float) -> np.ndarray:
    """Number of spikes of each train in the window [t_start, t_stop).

    Parameters
    ----------
    trains : sequence of (n_i,) array_like of float
        Spike times in s, each train sorted.
    t_start, t_stop : float
        Window in s, finite, ``t_stop > t_start``.

    Returns
    -------
    (n_trains,) int64 array
        Spikes of each train in the window.

    Raises
    ------
    ValueError
        If the window is not finite or empty, or a train is not a sorted 1-D array of
        finite times.

    See Also
    --------
    binned_counts : counts in consecutive bins.
    fano_factor : variability of counts across trials.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.spikestats import spike_counts
    >>> spike_counts([np.array([0.1, 0.5, 1.2]), np.array([])], 0.0, 1.0)
    array([2, 0])
    """
    _window(t_start, t_stop)
    counts = []
    for k, train in enumerate(trains):
        t = _train(train, f"trains[{k}]")
        counts.append(np.searchsorted(t, t_stop, "left") - np.searchsorted(t, t_start, "left"))
    return np.asarray(counts, dtype=np.int64)


def fano_factor(counts, ddof: int = 0) -> float:
    """Fano factor ``var(counts) / mean(counts)`` of spike counts (e.g. one count per trial).

    1 for Poisson counts; for a renewal process it tends to ``CV**2`` as the
    counting window grows ([1]_, Results, "Reliability of mean rate coding").

    Parameters
    ----------
    counts : (n,) array_like
        Spike counts, finite and >= 0, at least 2 values.
    ddof : int, optional
        Delta degrees of freedom of the variance; 0 (default) matches
        ``elephant.statistics.fanofactor``.

    Returns
    -------
    float
        The Fano factor (dimensionless); NaN if the mean count is 0.

    Raises
    ------
    ValueError
        If ``counts`` is not 1-D with at least 2 values, or holds negative or
        non-finite values.

    See Also
    --------
    spike_counts : counts of trains in a window.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.spikestats import fano_factor, poisson_trains, spike_counts
    >>> round(fano_factor([2, 4, 6]), 3)
    0.667
    >>> fano_factor([3, 3, 3])
    0.0

    Counts of 1000 Poisson trials have a Fano factor near 1:

    >>> trials = poisson_trains(np.full(1000, 20.0), 0.0, 1.0, seed=1)
    >>> round(fano_factor(spike_counts(trials, 0.0, 1.0)), 1)
    1.0
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 1 or c.size < 2:
        raise ValueError(f"counts must be a 1-D array with at least 2 values, got shape {c.shape}")
    if np.any(c < 0) or not np.all(np.isfinite(c)):
        raise ValueError("counts must be finite and non-negative")
    m = c.mean()
    return float(np.var(c, ddof=ddof) / m) if m > 0 else float("nan")


def binned_counts(trains, bin_width: float, t_start: float, t_stop: float) -> np.ndarray:
    """Spike counts of each train in consecutive bins of width ``bin_width``.

    Bins are ``[t_start + k*bin_width, t_start + (k+1)*bin_width)``; the number of
    bins is ``floor((t_stop - t_start) / bin_width)`` and spikes beyond the last
    full bin (or before ``t_start``) are not counted, as in Elephant's
    ``BinnedSpikeTrain``. A spike lying on a bin edge up to float rounding
    (e.g. 1.755 s with 5 ms bins) is put in the bin that starts there.

    Parameters
    ----------
    trains : sequence of (n_i,) array_like of float
        Spike times in s, each train sorted.
    bin_width : float
        Bin width in s, > 0.
    t_start, t_stop : float
        Window in s, finite, ``t_stop > t_start``.

    Returns
    -------
    (n_trains, n_bins) int64 array
        Spikes per bin of each train.

    Raises
    ------
    ValueError
        If ``bin_width <= 0``, the window is not finite or empty, or a train is not a
        sorted 1-D array of finite times.

    See Also
    --------
    spike_counts : one count per train over the whole window.

    Examples
    --------
    The spike at 1.0 s lies at ``t_stop``, outside the last bin:

    >>> import numpy as np
    >>> from pcn_core.spikestats import binned_counts
    >>> binned_counts([np.array([0.05, 0.15, 0.16, 0.95, 1.0])], 0.25, 0.0, 1.0)
    array([[3, 0, 0, 1]])
    """
    if not bin_width > 0:
        raise ValueError(f"bin_width must be > 0 s, got {bin_width}")
    _window(t_start, t_stop)
    n_bins = int(np.floor((t_stop - t_start) / bin_width + 1e-9))
    out = np.zeros((len(trains), n_bins), dtype=np.int64)
    for k, train in enumerate(trains):
        # Rounding before floor puts a spike lying on an edge (up to float error,
        # e.g. 1.755 s with 5 ms bins) in the bin it starts, as Elephant does.
        idx = np.floor(np.round((_train(train, f"trains[{k}]") - t_start) / bin_width, 9)).astype(np.int64)
        idx = idx[(idx >= 0) & (idx < n_bins)]
        out[k] = np.bincount(idx, minlength=n_bins)
    return out


def count_correlation(counts) -> np.ndarray:
    """Pearson correlation matrix of spike counts.

    Parameters
    ----------
    counts : (n_neurons, n_samples) array_like
        Spike counts, one row per neuron, one column per sample (trial or time bin);
        at least 2 samples.

    Returns
    -------
    (n_neurons, n_neurons) float array
        Correlation coefficients (dimensionless, in [-1, 1]); rows and columns of a
        neuron whose counts do not vary are NaN.

    Raises
    ------
    ValueError
        If ``counts`` is not 2-D with at least 2 samples.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.spikestats import count_correlation
    >>> np.round(count_correlation([[1, 2, 3, 4], [2, 4, 6, 8], [4, 3, 2, 1]]), 2)
    array([[ 1.,  1., -1.],
           [ 1.,  1., -1.],
           [-1., -1.,  1.]])
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2 or c.shape[1] < 2:
        raise ValueError(f"counts must be 2-D (neurons, samples) with >= 2 samples, got shape {c.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.corrcoef(c)


def cross_correlogram(counts_a, counts_b, max_lag_bins: int):
    """Cross-correlogram of two binned trains, ``C[k] = sum_t a[t] b[t + k]`` for ``|k| <= max_lag_bins``.

    Positive lags count spikes of ``b`` after spikes of ``a``. Divide ``C`` by
    ``a.sum()`` for the probability per bin of a ``b`` spike at each delay from an
    ``a`` spike.

    Parameters
    ----------
    counts_a, counts_b : (n_bins,) array_like
        Spike counts per bin of the two trains, same length.
    max_lag_bins : int
        Largest lag in bins, an integer in ``[0, n_bins - 1]``.

    Returns
    -------
    lags : (2 * max_lag_bins + 1,) int array
        Lags in bins (multiply by the bin width for s).
    counts : (2 * max_lag_bins + 1,) float array
        Coincidence counts (spike pairs) at each lag.

    Raises
    ------
    ValueError
        If the arrays are not 1-D of equal length or ``max_lag_bins`` is out of range.
    TypeError
        If ``max_lag_bins`` is not an integer (floats and bools are refused).

    See Also
    --------
    mean_pair_cross_correlogram : average over all pairs of a population.

    Examples
    --------
    ``b`` fires two bins after ``a``:

    >>> import numpy as np
    >>> from pcn_core.spikestats import cross_correlogram
    >>> lags, c = cross_correlogram([1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], 3)
    >>> lags
    array([-3, -2, -1,  0,  1,  2,  3])
    >>> np.round(c, 6)
    array([0., 0., 0., 0., 0., 1., 0.])
    """
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"counts_a and counts_b must be 1-D of equal length, got {a.shape} and {b.shape}")
    max_lag_bins = validation.count(max_lag_bins, "max_lag_bins", low=0)
    if not max_lag_bins < a.size:
        raise ValueError(f"max_lag_bins must be in [0, {a.size - 1}], got {max_lag_bins}")
    full = scipy.signal.correlate(b, a, mode="full")  # index a.size-1 is lag 0
    mid = a.size - 1
    lags = np.arange(-max_lag_bins, max_lag_bins + 1)
    return lags, full[mid + lags]


def mean_pair_cross_correlogram(counts, max_lag_bins: int):
    """Cross-correlogram averaged over all ordered pairs (i, j), i != j, of binned trains.

    Uses ``sum_(i != j) C_ij = C(p, p) - sum_i C_ii`` with ``p`` the summed
    population count, so it costs ``n_trains + 1`` correlations instead of
    ``n_trains**2``.

    Parameters
    ----------
    counts : (n_trains, n_bins) array_like
        Spike counts per bin (as from :func:`binned_counts`), finite and >= 0,
        at least 2 trains.
    max_lag_bins : int
        Largest lag in bins, an integer in ``[0, n_bins - 1]``.

    Returns
    -------
    lags : (2 * max_lag_bins + 1,) int array
        Lags in bins.
    mean_counts : (2 * max_lag_bins + 1,) float array
        Mean pair correlogram (spike pairs per ordered pair, see :func:`cross_correlogram`).
    probability : (2 * max_lag_bins + 1,) float array
        ``mean_counts`` divided by the mean spike count per train: probability per bin
        of a spike of one unit at each delay from a spike of another (NaN without spikes).

    Raises
    ------
    ValueError
        If ``counts`` is not 2-D with at least 2 trains, holds negative or non-finite
        values, or ``max_lag_bins`` is out of range.
    TypeError
        If ``max_lag_bins`` is not an integer (floats and bools are refused).

    See Also
    --------
    cross_correlogram : one pair.

    Examples
    --------
    Two identical trains: every spike has a partner at lag 0 and none at lag 1:

    >>> import numpy as np
    >>> from pcn_core.spikestats import mean_pair_cross_correlogram
    >>> lags, mean_counts, probability = mean_pair_cross_correlogram(
    ...     [[1, 0, 1, 0, 0, 1], [1, 0, 1, 0, 0, 1]], 1)
    >>> np.round(probability, 6)
    array([0., 1., 0.])
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2 or c.shape[0] < 2:
        raise ValueError(f"counts must be 2-D (n_trains >= 2, n_bins), got shape {c.shape}")
    if np.any(c < 0) or not np.all(np.isfinite(c)):
        raise ValueError("counts must be finite and non-negative")
    n = c.shape[0]
    lags, total = cross_correlogram(c.sum(axis=0), c.sum(axis=0), max_lag_bins)
    for row in c:
        total = total - cross_correlogram(row, row, max_lag_bins)[1]
    mean_counts = total / (n * (n - 1))
    spikes_per_train = c.sum() / n
    probability = mean_counts / spikes_per_train if spikes_per_train > 0 else np.full_like(mean_counts, np.nan)
    return lags, mean_counts, probability


def coincidence_fraction(trains_a, trains_b, window: float, t_start: float = -np.inf,
                         t_stop: float = np.inf) -> float:
    """Fraction of the spikes of ``trains_b`` in [t_start, t_stop) that have a spike of the same unit
    in ``trains_a`` within ``window``.

    1 for identical trains, about ``2 * window * rate`` for independent ones.

    Parameters
    ----------
    trains_a, trains_b : sequence of (n_i,) array_like of float
        Spike times in s of the same units, each train sorted.
    window : float
        Largest separation in s counted as a coincidence (inclusive), finite and >= 0.
    t_start, t_stop : float, optional
        Spikes of ``trains_b`` counted, in s (default all); ``t_stop > t_start``.

    Returns
    -------
    float
        Fraction in [0, 1]; NaN if ``trains_b`` has no spike in the window.

    Raises
    ------
    ValueError
        If the two sequences hold different numbers of units, ``window`` is negative
        or not finite, ``t_stop <= t_start``, or a train is not a sorted 1-D array of
        finite times.

    Examples
    --------
    Two of the three spikes are matched within 2 ms:

    >>> import numpy as np
    >>> from pcn_core.spikestats import coincidence_fraction
    >>> a = [np.array([0.1, 0.2, 0.3])]
    >>> b = [np.array([0.101, 0.25, 0.3])]
    >>> round(coincidence_fraction(a, b, 0.002), 3)
    0.667
    """
    if len(trains_a) != len(trains_b):
        raise ValueError(f"trains_a and trains_b must hold the same units, got {len(trains_a)} and {len(trains_b)}")
    if not (np.isfinite(window) and window >= 0):
        raise ValueError(f"window must be a finite number >= 0 s, got {window}")
    if not t_stop > t_start:
        raise ValueError(f"t_stop must exceed t_start, got [{t_start}, {t_stop})")
    matched = total = 0
    for k, (a, b) in enumerate(zip(trains_a, trains_b)):
        a = _train(a, f"trains_a[{k}]")
        b = _train(b, f"trains_b[{k}]")
        b = b[(b >= t_start) & (b < t_stop)]
        total += b.size
        if a.size and b.size:
            j = np.searchsorted(a, b)
            nearest = np.minimum(np.abs(b - a[np.clip(j, 0, a.size - 1)]), np.abs(b - a[np.clip(j - 1, 0, a.size - 1)]))
            matched += int(np.sum(nearest <= window * (1 + 1e-9)))
    return matched / total if total else float("nan")


@dataclass
class EventJitter:
    """Spike-time precision of events repeated across trials (see :func:`event_jitter`).

    Attributes
    ----------
    jitter : float
        Median over events of the standard deviation of the event's spike times, in s
        (NaN if there is no event).
    event_jitters : (n_events,) float array
        That standard deviation for every event, in s.
    event_times : (n_events,) float array
        Mean spike time of every event, in s.
    fraction_in_events : float
        Fraction of all spikes that belong to an event (NaN without spikes).
    n_events : int
        Number of events.

    Examples
    --------
    >>> from pcn_core.spikestats import event_jitter
    >>> trials = [[0.099, 0.499], [0.101, 0.501]]
    >>> result = event_jitter(trials, gap=0.01)
    >>> result.n_events, round(result.jitter, 4)
    (2, 0.001)
    """
    jitter: float
    event_jitters: np.ndarray
    event_times: np.ndarray
    fraction_in_events: float
    n_events: int


def event_jitter(trains, gap: float, min_trials: float = 0.5) -> EventJitter:
    """Jitter of the spikes that repeat across trials of one repeated stimulus.

    The spikes of all trials are pooled and sorted; a new event starts wherever
    two successive spikes are more than ``gap`` apart. An event counts if it
    holds spikes from at least ``min_trials`` (a fraction) of the trials; its
    jitter is the standard deviation of its spike times, taking each trial's
    spike nearest the event's median time (so a trial contributes once).

    Parameters
    ----------
    trains : sequence of (n_i,) array_like of float
        Spike times in s of each trial, sorted; at least one trial.
    gap : float
        Largest separation in s of successive pooled spikes within one event, > 0.
    min_trials : float, optional
        Fraction of trials in (0, 1] an event must reach (default 0.5).

    Returns
    -------
    EventJitter
        ``jitter`` (s, NaN if there is no event), per-event jitters and times (s),
        ``fraction_in_events`` (of all spikes, NaN without spikes) and ``n_events``.

    Raises
    ------
    ValueError
        If ``gap`` is not a positive finite number of seconds, ``min_trials`` is
        outside (0, 1], ``trains`` is empty, or a train is not a sorted 1-D array of
        finite times.

    See Also
    --------
    jitter_spikes : add timing noise to spike trains.

    Examples
    --------
    Four trials with events near 0.1 s and 0.5 s (spikes 1 ms either side) and a
    stray spike at 0.8 s in one trial only, below ``min_trials``:

    >>> import numpy as np
    >>> from pcn_core.spikestats import event_jitter
    >>> trials = [[0.099, 0.499], [0.101, 0.501, 0.8], [0.099, 0.501], [0.101, 0.499]]
    >>> result = event_jitter(trials, gap=0.01)
    >>> result.n_events, round(result.jitter, 4), np.round(result.event_times, 3)
    (2, 0.001, array([0.1, 0.5]))
    >>> round(float(result.fraction_in_events), 3)
    0.889
    """
    if not (np.isfinite(gap) and gap > 0):
        raise ValueError(f"gap must be a positive finite number of seconds, got {gap}")
    if not (0 < min_trials <= 1):
        raise ValueError(f"min_trials must be a fraction in (0, 1], got {min_trials}")
    trains = [_train(t, f"trains[{k}]") for k, t in enumerate(trains)]
    if not trains:
        raise ValueError("trains must hold at least one trial")
    times = np.concatenate(trains) if trains else np.empty(0)
    trial = np.concatenate([np.full(t.size, k) for k, t in enumerate(trains)])
    order = np.argsort(times, kind="stable")
    times, trial = times[order], trial[order]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(times) > gap) + 1]) if times.size else np.empty(0, int)
    stops = np.concatenate([starts[1:], [times.size]]) if times.size else np.empty(0, int)
    jitters, centres, in_events = [], [], 0
    for a, b in zip(starts, stops):
        t, k = times[a:b], trial[a:b]
        if np.unique(k).size < min_trials * len(trains):
            continue
        centre = np.median(t)
        nearest = [t[k == j][np.argmin(np.abs(t[k == j] - centre))] for j in np.unique(k)]
        jitters.append(float(np.std(nearest)))
        centres.append(float(np.mean(nearest)))
        in_events += b - a
    jitters = np.asarray(jitters)
    return EventJitter(float(np.median(jitters)) if jitters.size else float("nan"), jitters, np.asarray(centres),
                       in_events / times.size if times.size else float("nan"), int(jitters.size))


def jitter_spikes(trains, std: float, seed=None, bounds: tuple[float, float] | None = None) -> list[np.ndarray]:
    """Move every spike by an independent Gaussian displacement of standard deviation ``std``.

    Each train is re-sorted; spike counts are unchanged. With
    ``bounds = (t_start, t_stop)`` the trains must lie in [t_start, t_stop) and
    spikes moved outside are reflected back into it.

    Parameters
    ----------
    trains : sequence of (n_i,) array_like of float
        Spike times in s, each train sorted.
    std : float
        Standard deviation of the displacements in s, finite and >= 0.
    seed : int, None or np.random.Generator, optional
        Source of the displacements.
    bounds : (float, float), optional
        Window ``(t_start, t_stop)`` in s that the jittered spikes must stay in.

    Returns
    -------
    list of (n_i,) float arrays
        Jittered spike times in s, each sorted.

    Raises
    ------
    ValueError
        If ``std`` is negative or not finite, a train is not a sorted 1-D array of
        finite times, a train lies outside ``bounds``, or ``std`` is so large that a
        single reflection cannot keep the spikes inside ``bounds``.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    event_jitter : measure the jitter of repeated spikes.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.spikestats import jitter_spikes
    >>> train = np.arange(0.1, 1.0, 0.1)
    >>> moved = jitter_spikes([train], 0.002, seed=0)[0]
    >>> moved.size, bool(np.abs(moved - train).max() < 0.01)
    (9, True)

    A spike at the lower bound moved below it is reflected into the window:

    >>> moved = jitter_spikes([np.array([0.0, 0.5])], 0.01, seed=1, bounds=(0.0, 1.0))[0]
    >>> bool(moved.min() >= 0.0)
    True
    """
    if not (np.isfinite(std) and std >= 0):
        raise ValueError(f"std must be a finite number >= 0 s, got {std}")
    rng = validation.rng(seed)
    out = []
    for k, train in enumerate(trains):
        t = _train(train, f"trains[{k}]")
        moved = t + std * rng.standard_normal(t.size)
        if bounds is not None:
            lo, hi = bounds
            if t.size and (t[0] < lo or t[-1] >= hi):
                raise ValueError(f"trains[{k}] must lie in bounds [{lo}, {hi}) s")
            moved = np.where(moved < lo, 2 * lo - moved, moved)
            moved = np.where(moved >= hi, 2 * hi - moved - 1e-12, moved)
            if moved.size and (moved.min() < lo or moved.max() >= hi):
                raise ValueError(f"std={std} s is comparable to the bounds; reflection cannot keep spikes inside")
        out.append(np.sort(moved))
    return out


def exponential_rate(spike_times, t_start: float, t_stop: float, dt: float, tau: float,
                     n_neurons: int = 1):
    """Causally filtered firing rate on a grid of step ``dt``.

    Each spike at ``t_k`` adds ``exp(-(t - t_k) / tau) / tau`` (Hz) from its bin on;
    the sum is divided by ``n_neurons`` (pass the population size, and the pooled
    spikes of the population, for a population-mean rate). Spikes outside the grid
    ``[t_start, t_start + n * dt)``, ``n = floor((t_stop - t_start) / dt)``, are not counted.

    Parameters
    ----------
    spike_times : (n_spikes,) array_like of float
        Spike times in s, finite; need not be sorted (may pool several neurons).
    t_start, t_stop : float
        Window in s, finite, ``t_stop > t_start``, at least one step long.
    dt : float
        Grid step in s, > 0.
    tau : float
        Time constant of the exponential filter in s, > 0.
    n_neurons : int, optional
        Number of neurons the spikes come from, >= 1 (default 1).

    Returns
    -------
    t : (n,) float array
        Grid times in s, ``t_start + k * dt``.
    rate : (n,) float array
        Filtered rate in Hz (per neuron).

    Raises
    ------
    ValueError
        If ``tau`` or ``dt`` is not positive, ``n_neurons < 1``, the window is not
        finite, empty or shorter than ``dt``, or ``spike_times`` is not a 1-D array of
        finite times.

    Examples
    --------
    One spike at 0 gives ``1/tau`` Hz, decaying by ``e`` after ``tau``:

    >>> import numpy as np
    >>> from pcn_core.spikestats import exponential_rate
    >>> t, rate = exponential_rate([0.0], 0.0, 0.5, dt=0.001, tau=0.1)
    >>> t.size, np.round(rate[[0, 100]], 3)
    (500, array([10.   ,  3.679]))
    """
    if not tau > 0 or not dt > 0:
        raise ValueError(f"tau and dt must be > 0 s, got tau={tau}, dt={dt}")
    if n_neurons < 1:
        raise ValueError(f"n_neurons must be >= 1, got {n_neurons}")
    _window(t_start, t_stop)
    t = np.asarray(spike_times, dtype=float)  # may pool several neurons: need not be sorted
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError("spike_times must be a 1-D array of finite times (s); NaN, inf or wrong shape found")
    n = int(np.floor((t_stop - t_start) / dt + 1e-9))
    if n < 1:
        raise ValueError(f"window [{t_start}, {t_stop}) is shorter than dt={dt}")
    idx = np.floor(np.round((t[(t >= t_start) & (t < t_start + n * dt)] - t_start) / dt, 9)).astype(np.int64)
    idx = idx[idx < n]
    counts = np.bincount(idx, minlength=n).astype(float)
    decay = np.exp(-dt / tau)
    rate = scipy.signal.lfilter([1.0], [1.0, -decay], counts) / (tau * n_neurons)
    return t_start + dt * np.arange(n), rate


def trains_from_events(times, neurons, n_neurons: int) -> list[np.ndarray]:
    """Split simulator output (spike times and neuron indices) into one sorted train per neuron.

    Parameters
    ----------
    times : (n_spikes,) array_like of float
        Spike times in s, finite, in any order.
    neurons : (n_spikes,) array_like of int
        Index of the neuron of each spike, in ``[0, n_neurons - 1]``.
    n_neurons : int
        Number of neurons (trains returned, including silent ones).

    Returns
    -------
    list of n_neurons float arrays
        Sorted spike times in s of each neuron.

    Raises
    ------
    ValueError
        If ``times`` and ``neurons`` are not 1-D of equal length, ``times`` is not
        finite, or an index is out of range.
    TypeError
        If ``neurons`` does not hold integers.

    Examples
    --------
    >>> from pcn_core.spikestats import trains_from_events
    >>> trains_from_events([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 2], 4)
    [array([0.2]), array([0.1, 0.3]), array([0.4]), array([], dtype=float64)]
    """
    times = np.asarray(times, dtype=float)
    if np.ndim(neurons) != 1 or times.shape != np.shape(neurons):
        raise ValueError(f"times and neurons must be 1-D of equal length, got {times.shape} and {np.shape(neurons)}")
    if not np.all(np.isfinite(times)):
        raise ValueError("times must be finite spike times (s); NaN or inf found")
    neurons = validation.indices(neurons, n_neurons, "neurons")
    order = np.lexsort((times, neurons))
    bounds = np.searchsorted(neurons[order], np.arange(n_neurons + 1))
    return [times[order[bounds[i]:bounds[i + 1]]] for i in range(n_neurons)]


def poisson_trains(rates, t_start: float, t_stop: float, seed=None) -> list[np.ndarray]:
    """Independent homogeneous Poisson spike trains, one per rate, on [t_start, t_stop).

    A surrogate with the same rates and window as recorded trains: statistics
    computed on it (CV, CV2, Fano factor across repeats) show how widely they
    scatter from finite sampling alone.

    Parameters
    ----------
    rates : (n,) array_like
        Firing rates in Hz, finite and >= 0.
    t_start, t_stop : float
        Window in s, ``t_stop > t_start``.
    seed : int, None or np.random.Generator, optional
        Source of the draws.

    Returns
    -------
    list of n float arrays
        Sorted spike times in s of each train.

    Raises
    ------
    ValueError
        If ``rates`` is not 1-D, not finite or negative, or the window is not finite
        or empty.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Examples
    --------
    Spike counts over 100 s are close to ``rate * 100``, and the ISIs are
    exponential (CV near 1):

    >>> from pcn_core.spikestats import cv, poisson_trains
    >>> trains = poisson_trains([5.0, 50.0], 0.0, 100.0, seed=0)
    >>> [t.size for t in trains]
    [509, 4819]
    >>> round(cv(trains[1]), 1)
    1.0
    """
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"rates must be a 1-D array of finite rates >= 0 Hz, got {rates!r}")
    _window(t_start, t_stop)
    gen = validation.rng(seed)
    counts = gen.poisson(rates * (t_stop - t_start))
    return [np.sort(gen.uniform(t_start, t_stop, n)) for n in counts]
