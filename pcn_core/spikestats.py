"""Spike-train statistics shared by every paper: ISIs, CV, CV2, Fano factor,
binned counts, count correlations, cross-correlograms and smoothed rates.

Spike trains are 1-D arrays of spike times in seconds, sorted. Conventions
follow Elephant (``elephant.statistics``) so results can be compared with it:
CV and Fano factor use the population variance (``ddof=0``) by default.
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
    """Interspike intervals (s) of one sorted spike train."""
    return np.diff(_train(spike_times))


def cv(spike_times, ddof: int = 0) -> float:
    """Coefficient of variation of the ISIs, std/mean (NaN if fewer than 2 ISIs)."""
    intervals = isi(spike_times)
    if intervals.size < 2:
        return float("nan")
    return float(np.std(intervals, ddof=ddof) / np.mean(intervals))


def cv2(spike_times) -> float:
    """Local variation CV2 (Holt et al. 1996): mean of 2|I_{n+1}-I_n|/(I_{n+1}+I_n).

    Near 1 for a Poisson train, near 0 for a regular one; insensitive to slow
    rate changes. NaN if fewer than 2 ISIs.
    """
    intervals = isi(spike_times)
    if intervals.size < 2:
        return float("nan")
    pair_sum = intervals[1:] + intervals[:-1]
    if np.any(pair_sum <= 0):
        raise ValueError("spike_times has coincident spikes (zero-length ISI pairs); CV2 is undefined")
    return float(np.mean(2.0 * np.abs(np.diff(intervals)) / pair_sum))


def spike_counts(trains, t_start: float, t_stop: float) -> np.ndarray:
    """Number of spikes of each train in the window [t_start, t_stop) (s, finite)."""
    _window(t_start, t_stop)
    counts = []
    for k, train in enumerate(trains):
        t = _train(train, f"trains[{k}]")
        counts.append(np.searchsorted(t, t_stop, "left") - np.searchsorted(t, t_start, "left"))
    return np.asarray(counts, dtype=np.int64)


def fano_factor(counts, ddof: int = 0) -> float:
    """Fano factor var/mean of spike counts (e.g. one count per trial).

    ``ddof=0`` matches ``elephant.statistics.fanofactor``; NaN if the mean is 0.
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 1 or c.size < 2:
        raise ValueError(f"counts must be a 1-D array with at least 2 values, got shape {c.shape}")
    if np.any(c < 0) or not np.all(np.isfinite(c)):
        raise ValueError("counts must be finite and non-negative")
    m = c.mean()
    return float(np.var(c, ddof=ddof) / m) if m > 0 else float("nan")


def binned_counts(trains, bin_width: float, t_start: float, t_stop: float) -> np.ndarray:
    """Spike counts of each train in consecutive bins: array (n_trains, n_bins).

    Bins are [t_start + k*bin_width, t_start + (k+1)*bin_width); the number of
    bins is floor((t_stop - t_start)/bin_width) and spikes beyond the last
    full bin are not counted (as in Elephant's BinnedSpikeTrain).
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
    """Pearson correlation matrix of spike counts, rows = neurons, columns = samples
    (trials or time bins). Rows with zero variance give NaN entries."""
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2 or c.shape[1] < 2:
        raise ValueError(f"counts must be 2-D (neurons, samples) with >= 2 samples, got shape {c.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.corrcoef(c)


def cross_correlogram(counts_a, counts_b, max_lag_bins: int):
    """Cross-correlogram of two binned trains: C[k] = sum_t a[t] b[t+k], k = -max_lag..max_lag.

    Positive lags count spikes of ``b`` after spikes of ``a``. Returns
    ``(lags_in_bins, counts)``; divide ``counts`` by ``a.sum()`` for the
    probability per bin of a ``b`` spike at each delay from an ``a`` spike.
    """
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"counts_a and counts_b must be 1-D of equal length, got {a.shape} and {b.shape}")
    if not 0 <= max_lag_bins < a.size:
        raise ValueError(f"max_lag_bins must be in [0, {a.size - 1}], got {max_lag_bins}")
    full = scipy.signal.correlate(b, a, mode="full")  # index a.size-1 is lag 0
    mid = a.size - 1
    lags = np.arange(-max_lag_bins, max_lag_bins + 1)
    return lags, full[mid + lags]


def mean_pair_cross_correlogram(counts, max_lag_bins: int):
    """Cross-correlogram averaged over all ordered pairs (i, j), i != j, of binned trains.

    ``counts`` is (n_trains, n_bins) as from :func:`binned_counts`. Uses
    sum_{i != j} C_ij = C(p, p) - sum_i C_ii with p the summed population count,
    so it costs n_trains + 1 correlations instead of n_trains². Returns
    ``(lags_in_bins, mean_counts, probability)``: ``mean_counts`` is the mean
    pair correlogram (see :func:`cross_correlogram`); ``probability`` divides
    it by the mean spike count per train, giving the probability per bin of a
    spike of one unit at each delay from a spike of another.
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
    """Fraction of the spikes of ``trains_b`` in [t_start, t_stop) (s) that have a spike of the
    same unit in ``trains_a`` within ``window`` (s, inclusive) — 1 for identical trains, about
    ``2 · window · rate`` for independent ones. NaN if ``trains_b`` has no spike there."""
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

    jitter : median over events of the standard deviation of the event's spike times (s)
    event_jitters : that standard deviation for every event (s)
    event_times : mean spike time of every event (s)
    fraction_in_events : fraction of all spikes that belong to an event
    n_events : number of events
    """
    jitter: float
    event_jitters: np.ndarray
    event_times: np.ndarray
    fraction_in_events: float
    n_events: int


def event_jitter(trains, gap: float, min_trials: float = 0.5) -> EventJitter:
    """Jitter of the spikes that repeat across trials of one repeated stimulus.

    The spikes of all trials are pooled and sorted; a new event starts wherever
    two successive spikes are more than ``gap`` (s) apart. An event counts if it
    holds spikes from at least ``min_trials`` (a fraction) of the trials; its
    jitter is the standard deviation of its spike times, taking each trial's
    spike nearest the event's median time (so a trial contributes once).

    Parameters
    ----------
    trains : sequence of 1-D arrays
        Spike times (s) of each trial, sorted.
    gap : float
        Largest separation (s) of successive pooled spikes within one event (> 0).
    min_trials : float
        Fraction of trials (0, 1] an event must reach.

    Returns
    -------
    EventJitter
        ``jitter`` (s, NaN if there is no event), per-event jitters and times,
        ``fraction_in_events`` (of all spikes, NaN without spikes) and ``n_events``.

    Raises
    ------
    ValueError
        If ``gap`` is not a positive finite number of seconds, ``min_trials`` is
        outside (0, 1], or a train is not a sorted 1-D array of finite times.
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
    """Move every spike by an independent Gaussian displacement of standard deviation
    ``std`` (s); each train is re-sorted. Spike counts are unchanged.

    With ``bounds = (t_start, t_stop)`` (s) the trains must lie in [t_start, t_stop)
    and spikes moved outside are reflected back into it (raises if ``std`` is so
    large that a single reflection cannot keep them inside).
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
    """Causally filtered firing rate (Hz) on a grid of step ``dt`` (s).

    Each spike adds exp(-(t - t_k)/tau)/tau; the sum is divided by ``n_neurons``
    (pass the population size for a population-mean rate). Returns ``(t, rate)``.
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
    """Split simulator output (spike times and neuron indices) into one sorted train per neuron."""
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
    seed : int, None or np.random.Generator
        Source of the draws.

    Returns
    -------
    list of n sorted 1-D arrays of spike times (s).

    Raises
    ------
    ValueError
        If ``rates`` is not 1-D, not finite or negative, or the window is empty.
    """
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"rates must be a 1-D array of finite rates >= 0 Hz, got {rates!r}")
    _window(t_start, t_stop)
    gen = validation.rng(seed)
    counts = gen.poisson(rates * (t_stop - t_start))
    return [np.sort(gen.uniform(t_start, t_stop, n)) for n in counts]
