"""Up states and population analyses of Koren & Denève (2017), on step-indexed simulator output.

Inputs are per-step spike counts ``n_k`` (int, one value per step of length ``dt`` s) and
spike events as ``(spike_steps, spike_neurons)`` integer arrays (step index k, neuron index).
A neuron fires at most once per step, so ``n_k <= n_neurons``. The definitions are those of
``shared/koren2017.md`` §2 (our exact reading of the paper's Methods); each function cites
its subsection. Results come out in s and Hz.

References
----------
.. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
   as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
   Methods §3 (statistics) and the Results on Up states and efficiency.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numba
import numpy as np
import scipy.signal
import scipy.stats
from statsmodels.nonparametric.kde import KDEUnivariate

from pcn_core.spikestats import cv2, trains_from_events


# ---------------------------------------------------------------- validation
def _int_array(values, name: str, ndims=(1,)) -> np.ndarray:
    a = np.asarray(values)
    if a.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimension(s), got shape {a.shape}")
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"{name} must hold integers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.floating) and not (np.all(np.isfinite(a)) and np.all(a == np.round(a))):
        raise TypeError(f"{name} must hold whole numbers")
    a = a.astype(np.int64)
    if np.any(a < 0):
        raise ValueError(f"{name} must be >= 0")
    return a


def _counts(counts, name="counts", ndims=(1,), max_count=None) -> np.ndarray:
    c = _int_array(counts, name, ndims)
    if c.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one step")
    if max_count is not None and np.any(c > max_count):
        raise ValueError(f"{name} must be <= the number of neurons ({np.max(max_count)}): "
                         "a neuron fires at most once per step")
    return c


def _positive(value, name: str, unit: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0{unit}, got {value!r}")
    return float(value)


def _count(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _events(spike_steps, spike_neurons, n_neurons: int, n_steps: int | None = None):
    steps = _int_array(spike_steps, "spike_steps")
    neurons = _int_array(spike_neurons, "spike_neurons")
    if steps.shape != neurons.shape:
        raise ValueError(f"spike_steps and spike_neurons must have equal length, got {steps.size} and {neurons.size}")
    if neurons.size and neurons.max() >= n_neurons:
        raise ValueError(f"spike_neurons must be in [0, {n_neurons - 1}], got {neurons.max()}")
    if n_steps is not None and steps.size and steps.max() >= n_steps:
        raise ValueError(f"spike_steps must be in [0, {n_steps - 1}], got {steps.max()}")
    return steps, neurons


def _group_sizes(group_sizes, n_groups: int) -> np.ndarray:
    sizes = _int_array(np.atleast_1d(group_sizes), "group_sizes")
    if sizes.size not in (1, n_groups) or np.any(sizes < 1):
        raise ValueError(f"group_sizes must be one integer or {n_groups} integers, each >= 1")
    return np.broadcast_to(sizes, (n_groups,))


def _sample(values, name: str, minimum: int) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < minimum or not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be a finite 1-D array of at least {minimum} values, got shape {x.shape}")
    return x


def _whole_steps(value: float, dt: float, name: str) -> int:
    steps = value / dt
    if abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
        raise ValueError(f"{name} = {value} s must be a whole number of steps of dt = {dt} s")
    return int(round(steps))


# ------------------------------------------------------- counts, synchrony, MUA
def step_counts(spike_steps, spike_neurons, n_steps: int, group_of_neuron=None) -> np.ndarray:
    """Spike count per step, population ``(n_steps,)`` or per group ``(n_steps, G)``.

    Parameters
    ----------
    spike_steps, spike_neurons : (n_spikes,) array_like of int
        Step index in [0, n_steps) and neuron index (>= 0) of each spike; whole
        numbers (integer or integral float dtype), equal lengths.
    n_steps : int
        Record length (steps) >= 1.
    group_of_neuron : (N,) array_like of int, optional
        Each neuron's group in [0, G); ``spike_neurons`` must then lie in
        [0, N). Without it ``spike_neurons`` is only checked to be >= 0.

    Returns
    -------
    int ndarray, shape (n_steps,) or (n_steps, G)
        Spikes per step (spikes per bin of ``dt``), of the population or of each
        group, ``G = max(group_of_neuron) + 1``.

    Raises
    ------
    ValueError
        Unequal lengths, indices out of range or negative, ``n_steps`` not an
        integer >= 1.
    TypeError
        Indices that are not whole numbers.

    Examples
    --------
    >>> step_counts([0, 0, 2, 3], [0, 1, 1, 0], n_steps=5)
    array([2, 0, 1, 1, 0])
    >>> step_counts([0, 0, 2, 3], [0, 1, 1, 0], n_steps=5, group_of_neuron=[0, 1])
    array([[1, 1],
           [0, 0],
           [0, 1],
           [1, 0],
           [0, 0]])
    """
    n_steps = _count(n_steps, "n_steps")
    if group_of_neuron is None:
        steps, _ = _events(spike_steps, spike_neurons, np.iinfo(np.int64).max, n_steps)
        return np.bincount(steps, minlength=n_steps)
    groups = _int_array(group_of_neuron, "group_of_neuron")
    steps, neurons = _events(spike_steps, spike_neurons, groups.size, n_steps)
    n_groups = int(groups.max()) + 1 if groups.size else 0
    flat = np.bincount(steps * n_groups + groups[neurons], minlength=n_steps * n_groups)
    return flat.reshape(n_steps, n_groups)


def percent_synchrony(counts, n_neurons: int) -> float:
    """Percent of neurons active per step, ``100 · mean_k n_k / N`` (koren2017.md §2.1, Fig 2A caption).

    Parameters
    ----------
    counts : (n_steps,) array_like of int
        Population spike count per step, each in [0, N], at least one step.
    n_neurons : int
        N >= 1.

    Returns
    -------
    float
        Percent (50 means half of the neurons spike in every step).

    Raises
    ------
    ValueError
        Empty or negative counts, counts above N, or ``n_neurons`` not an integer >= 1.
    TypeError
        Counts that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Fig 2A caption.

    Examples
    --------
    Two alternating halves of four neurons (ping-pong) give 50 %:

    >>> percent_synchrony([2, 2, 2, 2], n_neurons=4)
    50.0
    >>> percent_synchrony([0, 4, 0, 0], n_neurons=4)
    25.0
    """
    n_neurons = _count(n_neurons, "n_neurons")
    return float(100.0 * np.mean(_counts(counts, max_count=n_neurons)) / n_neurons)


def transition_sharpness(values) -> float:
    """Sharpness of a sweep: largest drop between adjacent grid points divided by the total drop
    ``values[0] - values[-1]`` (koren2017.md §2.1).

    Parameters
    ----------
    values : (n,) array_like of float
        n >= 2 finite values along the grid (e.g. % synchrony against ν).

    Returns
    -------
    float
        Dimensionless: 1 for a single step, 1/(n-1) for a linear ramp; can exceed 1
        for a non-monotone curve; NaN when the total drop is <= 0 (no transition to
        measure).

    Raises
    ------
    ValueError
        Fewer than 2 values, not 1-D or not finite.

    Examples
    --------
    >>> transition_sharpness([50, 50, 5, 5])
    1.0
    >>> round(transition_sharpness([40, 30, 20, 10]), 3)
    0.333
    >>> transition_sharpness([10, 20])
    nan
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size < 2 or not np.all(np.isfinite(v)):
        raise ValueError(f"values must be a finite 1-D array of >= 2 grid values, got shape {v.shape}")
    total = v[0] - v[-1]
    return float(np.max(v[:-1] - v[1:]) / total) if total > 0 else float("nan")


def multi_unit_activity(counts, dt: float, decay_rate: float = 50.0) -> np.ndarray:
    """Multi-unit activity, unnormalised causal exponential kernel (Methods §3.1, eq 18; koren2017.md §2.2).

    ``MUA_k = exp(-λ_D dt) · MUA_{k-1} + n_k``: each spike adds 1 and decays at ``λ_D``.

    Parameters
    ----------
    counts : (n_steps,) or (n_steps, G) array_like of int
        Spike counts per step (per group), >= 0, at least one step.
    dt : float
        Step (s) > 0.
    decay_rate : float
        λ_D (Hz) > 0, 50 Hz in the paper.

    Returns
    -------
    float ndarray, shape of ``counts``
        MUA after each step (spikes, dimensionless).

    Raises
    ------
    ValueError
        Bad counts (negative, wrong dimensions, empty), or dt / decay_rate not
        finite and > 0.
    TypeError
        Counts that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.1, eq 18.

    Examples
    --------
    With ``dt · λ_D = 0.5`` each step multiplies the MUA by ``e^-0.5 = 0.607``:

    >>> np.round(multi_unit_activity([1, 0, 0, 2], dt=0.01, decay_rate=50.0), 3)
    array([1.   , 0.607, 0.368, 2.223])
    """
    c = _counts(counts, ndims=(1, 2))
    decay = math.exp(-_positive(decay_rate, "decay_rate", " Hz") * _positive(dt, "dt", " s"))
    return scipy.signal.lfilter([1.0], [1.0, -decay], c.astype(float), axis=0)


# ------------------------------------------------------------------ Up states
@dataclass(frozen=True)
class UpStates:
    """Detected Up states. ``onsets``/``offsets`` are inclusive step indices; ``peak_fraction``
    is ``max n_k / N`` over each event; ``n_steps`` steps of ``dt`` s were analysed.

    Returned by :func:`detect_up_states` and :func:`detect_group_up_states`.

    Attributes
    ----------
    onsets, offsets : (n_events,) int ndarray
        First and last step of each event (inclusive step indices).
    peak_fraction : (n_events,) float ndarray
        Largest per-step count over each event divided by N (fraction of the neurons).
    dt : float
        Step (s).
    n_steps : int
        Number of steps analysed.

    Examples
    --------
    >>> up = detect_up_states([0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0], n_neurons=10,
    ...                       dt=0.001, merge_gap=0.005)
    >>> up.n_events, up.durations, up.ibis
    (2, array([0.003, 0.004]), array([0.01]))
    >>> round(up.frequency, 2), round(up.percent_time, 2), up.at_edges
    (133.33, 46.67, array([False,  True]))
    """
    onsets: np.ndarray
    offsets: np.ndarray
    peak_fraction: np.ndarray
    dt: float
    n_steps: int

    @property
    def n_events(self) -> int:
        """Number of detected Up states.
        """
        return int(self.onsets.size)

    @property
    def durations(self) -> np.ndarray:
        """Duration of each event (s), ``(offset - onset + 1) · dt``."""
        return (self.offsets - self.onsets + 1) * self.dt

    @property
    def frequency(self) -> float:
        """Events per s of analysed time (Hz)."""
        return self.n_events / (self.n_steps * self.dt)

    @property
    def ibis(self) -> np.ndarray:
        """Inter-burst intervals (s): differences of consecutive onsets (Methods §3.2)."""
        return np.diff(self.onsets) * self.dt

    @property
    def percent_time(self) -> float:
        """Percent of analysed steps inside an Up state (Fig 12A)."""
        return 100.0 * float(np.sum(self.offsets - self.onsets + 1)) / self.n_steps

    @property
    def at_edges(self) -> np.ndarray:
        """True for events touching the first or last step: their durations may be cut by the record."""
        return (self.onsets == 0) | (self.offsets == self.n_steps - 1)


def _detect(counts, size, dt, threshold, window_steps, merge_gap) -> UpStates:
    csum = np.concatenate(([0], np.cumsum(counts)))
    k = np.arange(1, counts.size + 1)
    window = csum[k] - csum[np.maximum(k - window_steps, 0)]   # partial window over the first W-1 steps
    need = math.ceil(threshold * size - 1e-9)                   # counts are whole: A >= θN up to rounding of θN
    edges = np.diff(np.concatenate(([0], (window >= need).astype(np.int8), [0])))
    firsts, lasts = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    if firsts.size > 1:
        gaps = firsts[1:] - lasts[:-1] - 1                      # non-Up steps between runs
        # merge close runs, and runs whose back-dated onsets would overlap the previous event
        merge = (gaps < merge_gap / dt - 1e-9) | (gaps < window_steps - 1)
        firsts, lasts = firsts[np.r_[True, ~merge]], lasts[np.r_[~merge, True]]
    onsets = np.maximum(firsts - (window_steps - 1), 0)
    bounds = np.column_stack((onsets, lasts + 1)).ravel()
    peaks = np.maximum.reduceat(np.r_[counts, 0], bounds)[::2] if onsets.size else np.zeros(0, np.int64)
    return UpStates(onsets, lasts, peaks / size, dt, int(counts.size))


def _up_parameters(dt, threshold, window_steps, merge_gap):
    dt = _positive(dt, "dt", " s")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a fraction of neurons in (0, 1], got {threshold!r}")
    if isinstance(merge_gap, bool) or not isinstance(merge_gap, numbers.Real) or not (
            math.isfinite(merge_gap) and merge_gap >= 0):
        raise ValueError(f"merge_gap must be a finite number >= 0 s, got {merge_gap!r}")
    return dt, float(threshold), _count(window_steps, "window_steps"), float(merge_gap)


def detect_up_states(counts, n_neurons: int, dt: float, *, threshold: float = 0.2, window_steps: int = 2,
                     merge_gap: float = 0.010) -> UpStates:
    """Up states: periods with at least ``threshold · N`` neurons active together
    (Methods §3.2; koren2017.md §2.3).

    Window count ``A_k = Σ_{m=k-W+1..k} n_m`` (the first W-1 steps use the steps available).
    A step is Up if ``A_k >= θN``; an Up state is a maximal run of Up steps. Runs separated by
    fewer than ``merge_gap`` s of non-Up steps (``first_next - last_prev - 1`` steps) are merged,
    and so are runs whose back-dated onsets would overlap (only possible if merge_gap < (W-1)·dt).
    Onset = first Up step - (W-1), clipped at step 0 (an event already Up at the start keeps
    onset 0; see ``UpStates.at_edges``); offset = last Up step; duration = offset - onset + 1 steps.

    Parameters
    ----------
    counts : (n_steps,) array_like of int
        Population spike count per step, each in [0, N], at least one step.
    n_neurons : int
        N >= 1.
    dt : float
        Step (s) > 0.
    threshold : float
        θ in (0, 1], fraction of N (0.2 in the paper).
    window_steps : int
        W >= 1 steps (2 = one ping-pong cycle at a 1-step delay).
    merge_gap : float
        G >= 0 s.

    Returns
    -------
    UpStates
        Onsets, offsets, peak_fraction; durations, frequency, ibis, percent_time.

    Raises
    ------
    ValueError
        Bad counts (negative, above N, empty) or parameters out of the ranges above.
    TypeError
        Counts that are not whole numbers.

    See Also
    --------
    detect_group_up_states : the same per group of neurons.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.2 (criterion: at least 20 percent of the neurons simultaneously active).

    Examples
    --------
    Ten neurons, 1 ms steps: two bursts 8 steps apart stay separate with a
    5 ms merge gap and merge with the default 10 ms.

    >>> counts = [0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0]
    >>> up = detect_up_states(counts, n_neurons=10, dt=0.001, merge_gap=0.005)
    >>> up.onsets, up.offsets, up.peak_fraction
    (array([ 1, 11]), array([ 3, 14]), array([0.3, 0.2]))
    >>> detect_up_states(counts, n_neurons=10, dt=0.001).n_events
    1
    """
    n_neurons = _count(n_neurons, "n_neurons")
    params = _up_parameters(dt, threshold, window_steps, merge_gap)
    return _detect(_counts(counts, max_count=n_neurons), n_neurons, *params)


def detect_group_up_states(group_counts, group_sizes, dt: float, *, threshold: float = 0.2,
                           window_steps: int = 2, merge_gap: float = 0.010) -> list[UpStates]:
    """Local Up states of each group (e.g. ring segments, koren2017.md §2.3): group g is Up when its
    window count is >= ``threshold · n_g``. Same rules and arguments as :func:`detect_up_states`.

    Parameters
    ----------
    group_counts : (n_steps, G) array_like of int
        Spike counts per step and group, each in [0, n_g].
    group_sizes : int or (G,) array_like of int
        Neurons per group n_g, each >= 1 (one value for all groups).
    dt : float
        Step (s) > 0.
    threshold : float
        θ in (0, 1], fraction of n_g.
    window_steps : int
        W >= 1 steps.
    merge_gap : float
        G >= 0 s.

    Returns
    -------
    list of UpStates
        One per group (peak_fraction relative to n_g).

    Raises
    ------
    ValueError
        As :func:`detect_up_states`; group_sizes not 1 or G integers >= 1; counts above n_g.
    TypeError
        Counts or sizes that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.2.

    Examples
    --------
    >>> first, second = detect_group_up_states([[0, 0], [3, 0], [0, 0], [0, 5], [0, 0]],
    ...                                        group_sizes=[10, 20], dt=0.001)
    >>> first.onsets, first.offsets, first.peak_fraction
    (array([0]), array([2]), array([0.3]))
    >>> second.onsets, second.offsets, second.peak_fraction
    (array([2]), array([4]), array([0.25]))
    """
    params = _up_parameters(dt, threshold, window_steps, merge_gap)
    c = _counts(group_counts, "group_counts", ndims=(2,))
    sizes = _group_sizes(group_sizes, c.shape[1])
    _counts(c, "group_counts", (2,), max_count=sizes)
    return [_detect(c[:, g], int(sizes[g]), *params) for g in range(c.shape[1])]


class Recruitment(NamedTuple):
    """Participation of the neurons in each Up state (returned by :func:`recruitment`).

    Attributes
    ----------
    fraction : (n_events,) float ndarray
        Distinct neurons with >= 1 spike in the event / N.
    median_spikes : (n_events,) float ndarray
        Median spikes per participating neuron (NaN if none).

    Examples
    --------
    >>> steps, neurons = [2, 2, 2, 3, 3, 12, 13, 13], [0, 1, 2, 0, 5, 3, 3, 4]
    >>> up = detect_up_states(step_counts(steps, neurons, 15), 10, 0.001, merge_gap=0.005)
    >>> recruitment(up, steps, neurons, 10)
    Recruitment(fraction=array([0.4, 0.2]), median_spikes=array([1. , 1.5]))
    """
    fraction: np.ndarray       # distinct neurons with >= 1 spike in the event / N
    median_spikes: np.ndarray  # median spikes per participating neuron (NaN if none)


def recruitment(up: UpStates, spike_steps, spike_neurons, n_neurons: int) -> Recruitment:
    """Per Up state: fraction of the N neurons that spike in [onset, offset], and the median number
    of spikes of those neurons (koren2017.md §2.3; text of Fig 3A: "around 60 %" recruited).

    Parameters
    ----------
    up : UpStates
        Up states detected on the same record.
    spike_steps, spike_neurons : (n_spikes,) array_like of int
        Spike events: steps in [0, up.n_steps), neurons in [0, N).
    n_neurons : int
        N >= 1.

    Returns
    -------
    Recruitment
        ``(fraction, median_spikes)``, one value per event.

    Raises
    ------
    TypeError
        ``up`` is not an UpStates, or events are not whole numbers.
    ValueError
        Events out of range or of unequal lengths.

    Examples
    --------
    Four of ten neurons spike in the first event (neuron 0 twice), one neuron
    (twice) and another (once) in the second:

    >>> steps, neurons = [2, 2, 2, 3, 3, 12, 13, 13], [0, 1, 2, 0, 5, 3, 3, 4]
    >>> up = detect_up_states(step_counts(steps, neurons, 15), 10, 0.001, merge_gap=0.005)
    >>> rec = recruitment(up, steps, neurons, 10)
    >>> rec.fraction, rec.median_spikes
    (array([0.4, 0.2]), array([1. , 1.5]))
    """
    if not isinstance(up, UpStates):
        raise TypeError(f"up must be an UpStates from detect_up_states, got {type(up).__name__}")
    n_neurons = _count(n_neurons, "n_neurons")
    steps, neurons = _events(spike_steps, spike_neurons, n_neurons, up.n_steps)
    order = np.argsort(steps, kind="stable")
    steps, neurons = steps[order], neurons[order]
    lo = np.searchsorted(steps, up.onsets, "left")
    hi = np.searchsorted(steps, up.offsets, "right")
    fraction, median = np.zeros(up.n_events), np.full(up.n_events, np.nan)
    for e in range(up.n_events):
        _, per_neuron = np.unique(neurons[lo[e]:hi[e]], return_counts=True)
        fraction[e] = per_neuron.size / n_neurons
        if per_neuron.size:
            median[e] = np.median(per_neuron)
    return Recruitment(fraction, median)


# ------------------------------------------------------- IBI and duration fits
class GammaFit(NamedTuple):
    """Gamma distribution fitted to inter-burst intervals (returned by :func:`fit_gamma_ibi`).

    Attributes
    ----------
    shape : float
        k (dimensionless).
    scale : float
        θ (s).
    mean : float
        k θ (s).
    cv : float
        Coefficient of variation 1/√k.

    Examples
    --------
    >>> fit = fit_gamma_ibi([0.1, 0.2, 0.15, 0.3, 0.25])
    >>> bool(np.isclose(fit.mean, fit.shape * fit.scale) and np.isclose(fit.cv, fit.shape ** -0.5))
    True
    """
    shape: float  # k
    scale: float  # θ (s)
    mean: float   # k θ (s)
    cv: float     # 1/√k


def fit_gamma_ibi(ibis) -> GammaFit:
    """Maximum-likelihood Gamma fit of inter-burst intervals with location 0, as MATLAB ``gamfit``
    (Methods §3.2), via ``scipy.stats.gamma.fit(ibis, floc=0)``.

    Parameters
    ----------
    ibis : (n,) array_like of float
        n >= 2 intervals (s), finite and > 0, not all equal, e.g. ``UpStates.ibis``.

    Returns
    -------
    GammaFit
        ``(shape k, scale θ (s), mean kθ (s), cv 1/√k)``.

    Raises
    ------
    ValueError
        Fewer than 2 IBIs, values not finite and > 0, or all equal (the shape estimate diverges).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.2.

    Examples
    --------
    2000 intervals drawn from a Gamma distribution of shape 4 and scale 50 ms:

    >>> ibis = np.random.default_rng(0).gamma(4.0, 0.05, 2000)
    >>> fit = fit_gamma_ibi(ibis)
    >>> round(fit.shape, 1), round(fit.mean, 2), round(fit.cv, 2)
    (4.0, 0.2, 0.5)
    """
    x = _sample(ibis, "ibis", 2)
    if np.any(x <= 0):
        raise ValueError("ibis must be > 0 s")
    if np.ptp(x) == 0:
        raise ValueError("all ibis are equal: the Gamma shape estimate diverges")
    shape, _, scale = scipy.stats.gamma.fit(x, floc=0)
    return GammaFit(float(shape), float(scale), float(shape * scale), float(1 / math.sqrt(shape)))


def matlab_bandwidth(values) -> float:
    """MATLAB's default kernel bandwidth (``ksdensity``/``fitdist``): ``σ̂ (4 / (3n))^{1/5}`` with
    ``σ̂ = MAD / 0.6745`` (median absolute deviation from the median).

    As in MATLAB, σ̂ falls back to the range when the MAD is 0 (more than half the values equal).

    Parameters
    ----------
    values : (n,) array_like of float
        n >= 2 finite values, not all equal.

    Returns
    -------
    float
        Bandwidth, in the units of ``values``.

    Raises
    ------
    ValueError
        Fewer than 2 values, not finite, or all equal.

    Examples
    --------
    For 1..5 the MAD is 1:

    >>> round(matlab_bandwidth([1, 2, 3, 4, 5]), 4)
    1.1382
    >>> round(1 / 0.6745 * (4 / 15) ** 0.2, 4)
    1.1382
    """
    x = _sample(values, "values", 2)
    sigma = np.median(np.abs(x - np.median(x))) / 0.6745
    if sigma <= 0:
        sigma = np.ptp(x)
    if sigma <= 0:
        raise ValueError("all values are equal: no bandwidth can be estimated; pass one explicitly")
    return float(sigma * (4.0 / (3.0 * x.size)) ** 0.2)


def epanechnikov_density(durations, bandwidth: float | None = None, gridsize: int = 512):
    """Epanechnikov kernel density of Up-state durations, as MATLAB
    ``fitdist(d, 'Kernel', 'Kernel', 'epanechnikov')`` (Methods §3.2; koren2017.md §2.4), computed by
    ``statsmodels`` ``KDEUnivariate.fit(kernel="epa", fft=False)``.

    MATLAB's kernel has unit variance (support ±√5·h); statsmodels' ``"epa"`` kernel has support
    ±bw, so statsmodels gets ``bw = √5 · h``. Unbounded support (no boundary correction).

    Parameters
    ----------
    durations : (n,) array_like of float
        Finite values (s), n >= 2.
    bandwidth : float, optional
        h (s) > 0, MATLAB convention (kernel s.d.); default :func:`matlab_bandwidth`.
    gridsize : int
        Number of grid points >= 2.

    Returns
    -------
    grid : (gridsize,) float ndarray
        Points (s) from ``min - √5 h`` to ``max + √5 h`` (the whole support, so the
        density integrates to 1; restrict the plot to >= 0 s, as the paper does).
    density : (gridsize,) float ndarray
        Density (1/s) at each grid point.
    bandwidth : float
        h (s), the one given or the default.

    Raises
    ------
    ValueError
        Fewer than 2 finite durations, bad bandwidth or gridsize.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.2.

    Examples
    --------
    >>> durations = np.random.default_rng(0).gamma(4.0, 0.05, 500)
    >>> grid, density, h = epanechnikov_density(durations)
    >>> grid.shape, round(float(np.sum(density) * (grid[1] - grid[0])), 3)
    ((512,), 1.0)
    >>> bool(np.isclose(grid[0], durations.min() - np.sqrt(5) * h))
    True
    """
    x = _sample(durations, "durations", 2)
    h = matlab_bandwidth(x) if bandwidth is None else _positive(bandwidth, "bandwidth", " s")
    kde = KDEUnivariate(x)
    # cut = 1 bandwidth: the grid ends where the outermost kernels reach zero
    kde.fit(kernel="epa", fft=False, bw=math.sqrt(5.0) * h, gridsize=_count(gridsize, "gridsize", 2), cut=1)
    return kde.support, kde.density, h


# ---------------------------------------------------------- spike-triggered MUA
@numba.njit(cache=True)
def _self_term(ptr_a, steps_a, ptr_b, steps_b, weights, n_steps, max_lag, decay):
    """Σ_i weights[:, i] Σ_{k in a_i} m_i(k + τ), with m_i neuron i's own train in ``b`` filtered by
    the MUA kernel, for τ = -L..L (terms with k + τ >= n_steps are 0). Exact in O(spikes + pairs
    within ±L): impulses per lag index, then the kernel's recursion over τ."""
    n_lags = 2 * max_lag + 1
    impulses = np.zeros((weights.shape[0], n_lags))
    for i in range(ptr_a.size - 1):
        a = steps_a[ptr_a[i]:ptr_a[i + 1]]
        b = steps_b[ptr_b[i]:ptr_b[i + 1]]
        if a.size == 0 or b.size == 0:
            continue
        after = np.empty(b.size)          # m_i just after each of its spikes
        acc = 0.0
        for l in range(b.size):
            acc = (acc * decay ** (b[l] - b[l - 1]) if l > 0 else 0.0) + 1.0
            after[l] = acc
        at_end = acc * decay ** (n_steps - 1 - b[-1])
        first = 0                         # first spike of b later than k - L
        for k in a:
            while first < b.size and b[first] <= k - max_lag:
                first += 1
            seed = after[first - 1] * decay ** (k - max_lag - b[first - 1]) if first > 0 else 0.0
            cut = n_steps - k             # first lag past the record
            for w in range(weights.shape[0]):
                wi = weights[w, i]
                impulses[w, 0] += wi * seed
                j = first
                while j < b.size and b[j] <= k + max_lag:
                    impulses[w, b[j] - k + max_lag] += wi
                    j += 1
                if cut <= max_lag:
                    impulses[w, cut + max_lag] -= wi * decay * at_end
    out = np.empty_like(impulses)
    for w in range(weights.shape[0]):
        g = 0.0
        for t in range(n_lags):
            g = decay * g + impulses[w, t]
            out[w, t] = g
    return out


class SpikeTriggeredMUA(NamedTuple):
    """Spike-triggered multi-unit activity (returned by :func:`spike_triggered_mua`).

    Attributes
    ----------
    lags : (2L + 1,) float ndarray
        τ (s), ``-max_lag .. max_lag`` in steps of ``dt``.
    mean : (2L + 1,) float ndarray
        SMUA(τ) = mean over neurons of C_i(τ) (spikes per trigger spike).
    pooled : (2L + 1,) float ndarray
        Σ_i Σ_r [raw - shuffle] / Σ_i Σ_r n_i^r (alternative, flagged).
    n_neurons_used : int
        Neurons with >= 1 spike over all trials.

    Examples
    --------
    >>> trials = [(np.repeat(e, 4), np.tile(np.arange(4), len(e)), 300)
    ...           for e in ([50, 150, 250], [100, 200], [30, 180, 270])]
    >>> smua = spike_triggered_mua(trials, n_neurons=4, dt=0.001, max_lag=0.01)
    >>> smua.lags[[0, 10, 20]], smua.mean.shape, smua.n_neurons_used
    (array([-0.01,  0.  ,  0.01]), (21,), 4)
    """
    lags: np.ndarray      # τ (s), -max_lag..max_lag
    mean: np.ndarray      # SMUA(τ) = mean over neurons of C_i(τ) (spikes per trigger spike)
    pooled: np.ndarray    # Σ_i Σ_r [raw - shuffle] / Σ_i Σ_r n_i^r (alternative, flagged)
    n_neurons_used: int   # neurons with >= 1 spike over all trials


def spike_triggered_mua(trials, n_neurons: int, dt: float, *, max_lag: float = 0.1,
                        decay_rate: float = 50.0) -> SpikeTriggeredMUA:
    """Spike-triggered MUA with self-exclusion and the incongruent-trial correction
    (Methods §3.1; koren2017.md §2.5).

    For neuron i and trial r: ``raw_i^r(τ) = Σ_{k in spikes} MUA^r_{-i}(k+τ)`` (MUA without neuron
    i's own spikes; terms with k+τ outside the trial count 0), ``shuf_i^r`` the same on trial
    ``r' = (r+1) mod R``; ``C_i = Σ_r (raw - shuf) / Σ_r n_i^r`` over neurons with >= 1 spike;
    SMUA = mean_i C_i. Computed with one FFT cross-correlation per trial and an exact sparse
    self term; memory O(n_steps + spikes).

    Parameters
    ----------
    trials : sequence of tuple
        R >= 2 tuples ``(spike_steps, spike_neurons, n_steps)`` with equal n_steps
        (frozen input in the active state; only the noise differs).
    n_neurons : int
        N >= 1.
    dt : float
        Step (s) > 0.
    max_lag : float
        L (s) > 0, whole steps, < n_steps · dt (0.1 s in the paper).
    decay_rate : float
        λ_D (Hz) > 0 of the MUA kernel (50 Hz in the paper).

    Returns
    -------
    SpikeTriggeredMUA
        ``(lags (s), mean, pooled, n_neurons_used)``; mean and pooled in MUA units
        (spikes) per trigger spike.

    Raises
    ------
    ValueError
        Fewer than 2 trials, unequal trial lengths, events out of range, max_lag not a whole
        number of steps or not shorter than a trial.
    TypeError
        Events that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.1, eqs 18-19.

    Examples
    --------
    Four neurons that always fire together, at different times in each trial:
    the MUA of the three others peaks when a neuron fires, and the shuffled
    trials remove the part not locked to the spikes.

    >>> events = ([50, 150, 250], [100, 200], [30, 180, 270])   # steps of the bursts
    >>> trials = [(np.repeat(e, 4), np.tile(np.arange(4), len(e)), 300) for e in events]
    >>> smua = spike_triggered_mua(trials, n_neurons=4, dt=0.001, max_lag=0.01)
    >>> float(smua.lags[np.argmax(smua.mean)]), round(float(smua.mean.max()), 2)
    (0.0, 2.58)
    """
    n_neurons = _count(n_neurons, "n_neurons")
    dt = _positive(dt, "dt", " s")
    decay = math.exp(-_positive(decay_rate, "decay_rate", " Hz") * dt)
    trials = list(trials)
    if len(trials) < 2:
        raise ValueError(f"trials must hold at least 2 trials for the shuffle correction, got {len(trials)}")
    parsed = []
    for r, trial in enumerate(trials):
        if len(trial) != 3:
            raise ValueError(f"trials[{r}] must be (spike_steps, spike_neurons, n_steps)")
        n_steps = _count(trial[2], f"trials[{r}] n_steps")
        steps, neurons = _events(trial[0], trial[1], n_neurons, n_steps)
        order = np.lexsort((steps, neurons))
        ptr = np.searchsorted(neurons[order], np.arange(n_neurons + 1))
        parsed.append((steps, neurons, ptr, steps[order], n_steps))
    n_steps = parsed[0][4]
    if any(p[4] != n_steps for p in parsed):
        raise ValueError("all trials must have the same n_steps")
    lag = _whole_steps(_positive(max_lag, "max_lag", " s"), dt, "max_lag")
    if lag >= n_steps:
        raise ValueError(f"max_lag must be shorter than a trial ({n_steps} steps), got {lag} steps")
    spikes = sum(np.bincount(p[1], minlength=n_neurons) for p in parsed)
    used = spikes > 0
    weights = np.zeros((2, n_neurons))
    weights[0, used] = 1.0 / (spikes[used] * used.sum())        # mean over neurons of C_i
    weights[1, used] = 1.0 / spikes.sum() if used.any() else 0.0  # pooled over all spikes
    mua = [multi_unit_activity(np.bincount(p[0], minlength=n_steps), dt, decay_rate) for p in parsed]
    total = np.zeros((2, 2 * lag + 1))
    for r, (steps, neurons, ptr, csr, _) in enumerate(parsed):
        r2 = (r + 1) % len(parsed)
        difference = mua[r] - mua[r2]
        for w in range(2):
            q = np.bincount(steps, weights=weights[w, neurons], minlength=n_steps)
            full = scipy.signal.correlate(difference, q, mode="full", method="fft")
            total[w] += full[n_steps - 1 - lag:n_steps + lag]         # Σ_k q(k) difference(k + τ)
        own = _self_term(ptr, csr, ptr, csr, weights, n_steps, lag, decay)
        other = _self_term(ptr, csr, parsed[r2][2], parsed[r2][3], weights, n_steps, lag, decay)
        total -= own - other
    return SpikeTriggeredMUA(np.arange(-lag, lag + 1) * dt, total[0], total[1], int(used.sum()))


# --------------------------------------------------------------- ± read-out
class SubpopulationReadout(NamedTuple):
    """Read-out of one dimension by the neurons of each weight sign (returned by
    :func:`subpopulation_readout`).

    Attributes
    ----------
    estimate_plus : (n_steps,) float ndarray
        x̂₁⁺ per step (units of x).
    estimate_minus : (n_steps,) float ndarray
        x̂₁⁻ per step (units of x).
    rate_plus : (n_steps,) float ndarray
        Hz per neuron of the w₁ > 0 neurons.
    rate_minus : (n_steps,) float ndarray
        Hz per neuron of the w₁ < 0 neurons.
    n_plus, n_minus : int
        Number of neurons with w₁ > 0 and w₁ < 0.

    Examples
    --------
    >>> out = subpopulation_readout([0.1, 0.1, -0.1, -0.1], [0, 1], [0, 2], n_steps=4, dt=1e-3, leak=10.0)
    >>> out.n_plus, out.n_minus
    (2, 2)
    """
    estimate_plus: np.ndarray   # x̂₁⁺ per step (units of x)
    estimate_minus: np.ndarray  # x̂₁⁻ per step
    rate_plus: np.ndarray       # Hz per neuron of the w₁ > 0 neurons
    rate_minus: np.ndarray      # Hz per neuron of the w₁ < 0 neurons
    n_plus: int
    n_minus: int


def subpopulation_readout(weights_row, spike_steps, spike_neurons, n_steps: int, dt: float, leak: float,
                          decay_rate: float = 50.0) -> SubpopulationReadout:
    """Read-out of one dimension split by the sign of its weights (Figs 4C, 9C/D; koren2017.md §2.8).

    ``x̂₁^± = Σ_{i: ±w_1i > 0} w_1i r_i`` with the simulator's decoder step
    ``r_k = (1 - λ dt) r_{k-1} + o_k`` (so ``x̂₁⁺ + x̂₁⁻`` equals the simulated x̂₁); rates are the
    spikes of each half filtered by ``exp(-λ_D t)`` with unit area on the step grid
    (``(1 - e^{-λ_D dt}) / dt`` per spike, ≈ λ_D) and divided by the half's size. Neurons with
    w_1i = 0 belong to neither half.

    Parameters
    ----------
    weights_row : (N,) array_like of float
        Finite weights w_1 of dimension 1 (units of x per spike), with both signs present.
    spike_steps, spike_neurons : (n_spikes,) array_like of int
        Spike events: step index in [0, n_steps), neuron index in [0, N).
    n_steps : int
        Record length (steps) >= 1.
    dt : float
        Step (s) > 0.
    leak : float
        Decoder leak λ (Hz) > 0, with λ dt < 1.
    decay_rate : float
        λ_D (Hz) > 0 of the rate filter (50 Hz as for the MUA).

    Returns
    -------
    SubpopulationReadout
        ``(estimate_plus, estimate_minus, rate_plus, rate_minus, n_plus, n_minus)``,
        traces of length n_steps (value after each step).

    Raises
    ------
    ValueError
        Weights not finite or of one sign only, events out of range, λ dt >= 1,
        or a non-positive step, leak or decay rate.
    TypeError
        Events that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Figs 4C and 9C-D.

    Examples
    --------
    A spike of positive neuron 0 at step 0 and of negative neuron 2 at step 1;
    the estimates decay by ``1 - λ dt = 0.99`` per step, and each half's rate
    jumps by ``(1 - e^{-0.05}) / dt / 2 = 24.4`` Hz per neuron:

    >>> out = subpopulation_readout([0.1, 0.1, -0.1, -0.1], [0, 1], [0, 2], n_steps=4,
    ...                             dt=1e-3, leak=10.0)
    >>> np.round(out.estimate_plus, 4), np.round(out.estimate_minus, 4)
    (array([0.1  , 0.099, 0.098, 0.097]), array([ 0.   , -0.1  , -0.099, -0.098]))
    >>> np.round(out.rate_plus[:2], 1), np.round(out.rate_minus[:2], 1)
    (array([24.4, 23.2]), array([ 0. , 24.4]))
    """
    w = np.asarray(weights_row, dtype=float)
    if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError(f"weights_row must be a finite non-empty 1-D array, got shape {w.shape}")
    plus, minus = w > 0, w < 0
    if not (plus.any() and minus.any()):
        raise ValueError("weights_row must have both positive and negative weights")
    n_steps = _count(n_steps, "n_steps")
    dt = _positive(dt, "dt", " s")
    leak_factor = 1.0 - _positive(leak, "leak", " Hz") * dt
    if leak_factor <= 0:
        raise ValueError(f"leak · dt must be < 1, got {1 - leak_factor}")
    steps, neurons = _events(spike_steps, spike_neurons, w.size, n_steps)
    decay = math.exp(-_positive(decay_rate, "decay_rate", " Hz") * dt)
    out = []
    for half in (plus, minus):
        sel = half[neurons]
        impulses = np.bincount(steps[sel], weights=w[neurons[sel]], minlength=n_steps)
        estimate = scipy.signal.lfilter([1.0], [1.0, -leak_factor], impulses)
        counts = np.bincount(steps[sel], minlength=n_steps)
        rate = multi_unit_activity(counts, dt, decay_rate) * (1 - decay) / (dt * half.sum())
        out.append((estimate, rate))
    return SubpopulationReadout(out[0][0], out[1][0], out[0][1], out[1][1], int(plus.sum()), int(minus.sum()))


def percent_active(group_counts, group_sizes) -> np.ndarray:
    """Per-step percent of each group's neurons that spike, ``100 · n_k^g / n_g`` (Fig 4C).

    Parameters
    ----------
    group_counts : (n_steps, G) array_like of int
        Spikes per step and group, each in [0, n_g].
    group_sizes : int or (G,) array_like of int
        Neurons per group n_g, each >= 1 (one value for all groups).

    Returns
    -------
    (n_steps, G) float ndarray
        Percent of each group active in each step.

    Raises
    ------
    ValueError
        Bad counts or sizes, or counts above the group size.
    TypeError
        Counts or sizes that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Fig 4C.

    Examples
    --------
    >>> percent_active([[1, 0], [2, 5]], group_sizes=[2, 10])
    array([[ 50.,   0.],
           [100.,  50.]])
    """
    c = _counts(group_counts, "group_counts", ndims=(2,))
    sizes = _group_sizes(group_sizes, c.shape[1])
    _counts(c, "group_counts", (2,), max_count=sizes)
    return 100.0 * c / sizes


# ------------------------------------------------- coding error, cost, optimum
def coding_error_cost(weights, total_spikes: int, *, target=None, estimate=None, error_norm_sum=None,
                      n_steps=None) -> tuple[float, float]:
    """Mean coding error and cost (text eqs 25–26; koren2017.md §2.6).

    ``⟨error⟩ = (1/K) Σ_k ‖x_k - x̂_k‖₂ / (J · w̄)``, ``w̄ = mean_i ‖w_i‖₂`` (column norms of w);
    ``⟨cost⟩ = total spikes / K`` (population spikes per step). Pass either full trajectories
    ``target``, ``estimate`` (K, J), or the streamed ``error_norm_sum = Σ_k ‖x_k - x̂_k‖₂`` and
    ``n_steps = K`` (e.g. ``SimulationResult.error_norm_sum`` and ``n_error_steps``).

    Parameters
    ----------
    weights : (J, N) array_like of float
        Decoding weights w (units of x per spike), finite, not all zero.
    total_spikes : int
        Spikes of all neurons over the K steps, >= 0.
    target, estimate : (K, J) array_like of float, optional
        Target x and read-out x̂ after each step (units of x), finite.
    error_norm_sum : float, optional
        ``Σ_k ‖x_k - x̂_k‖₂`` (units of x), finite and >= 0.
    n_steps : int, optional
        K >= 1, the number of steps summed in ``error_norm_sum``.

    Returns
    -------
    error : float
        Dimensionless mean coding error.
    cost : float
        Spikes per step (per ms at dt = 1 ms).

    Raises
    ------
    ValueError
        Both or neither input forms, shapes that do not match w, non-finite or negative values.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       text eqs 25-26.

    Examples
    --------
    One dimension, ``w̄ = 0.5``, errors 0.1 in each of 2 steps, 4 spikes:

    >>> coding_error_cost([[0.5, -0.5]], 4, error_norm_sum=0.2, n_steps=2)
    (0.2, 2.0)
    >>> error, cost = coding_error_cost([[0.5, -0.5]], 4, target=[[1.0], [1.0]], estimate=[[0.9], [1.1]])
    >>> round(error, 6), cost
    (0.2, 2.0)
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError(f"weights must be a finite (J, N) array, got shape {w.shape}")
    mean_norm = float(np.mean(np.linalg.norm(w, axis=0)))
    if mean_norm == 0:
        raise ValueError("weights are all zero: the error normalisation is undefined")
    trajectories = target is not None or estimate is not None
    if trajectories == (error_norm_sum is not None or n_steps is not None):
        raise ValueError("pass either target and estimate, or error_norm_sum and n_steps")
    if trajectories:
        x, xhat = np.asarray(target, dtype=float), np.asarray(estimate, dtype=float)
        if x.ndim != 2 or x.shape != xhat.shape or x.shape[1] != w.shape[0] or x.shape[0] == 0:
            raise ValueError(f"target and estimate must both be (K, J={w.shape[0]}), got {x.shape} and {xhat.shape}")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(xhat))):
            raise ValueError("target and estimate must be finite")
        error_norm_sum, n_steps = float(np.sum(np.linalg.norm(x - xhat, axis=1))), x.shape[0]
    else:
        if error_norm_sum is None or isinstance(error_norm_sum, bool) or not isinstance(
                error_norm_sum, numbers.Real) or not (math.isfinite(error_norm_sum) and error_norm_sum >= 0):
            raise ValueError(f"error_norm_sum must be a finite number >= 0, got {error_norm_sum!r}")
        n_steps = _count(n_steps, "n_steps")
    total_spikes = _count(total_spikes, "total_spikes", 0)
    return float(error_norm_sum) / (n_steps * w.shape[0] * mean_norm), total_spikes / n_steps


def total_error(error, cost, alpha: float = 1.0, beta: float = 1.0):
    """Total error ``α · error + β · cost`` (text eq 27; koren2017.md §2.6).

    Parameters
    ----------
    error, cost : float or array_like of float
        Mean coding error and cost (see :func:`coding_error_cost`), broadcast
        against each other, finite and >= 0.
    alpha, beta : float
        Weights >= 0 (1 in the paper unless varied, Fig 6D).

    Returns
    -------
    float ndarray or numpy float
        Total errors, broadcast shape of ``error`` and ``cost`` (a numpy scalar
        for scalar inputs).

    Raises
    ------
    ValueError
        Negative or non-finite values.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       text eq 27 and Fig 6D.

    Examples
    --------
    >>> float(total_error(0.2, 2.0))
    2.2
    >>> total_error([0.2, 0.1], [2.0, 3.0], alpha=10.0)
    array([4., 4.])
    """
    for value, name in ((alpha, "alpha"), (beta, "beta")):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    e, c = np.asarray(error, dtype=float), np.asarray(cost, dtype=float)
    if not (np.all(np.isfinite(e)) and np.all(np.isfinite(c))) or np.any(e < 0) or np.any(c < 0):
        raise ValueError("error and cost must be finite and >= 0")
    return alpha * e + beta * c


def optimum(grid_values, error, cost, alpha: float = 1.0, beta: float = 1.0):
    """Grid point minimising the total error; ties (equal within 1e-12 relative) go to the lower
    cost, then to the earlier grid point (koren2017.md §2.6).

    Parameters
    ----------
    grid_values : (K,) or (K, d) array_like
        Grid points (e.g. ν, or (ν, μ) pairs).
    error, cost : (K,) array_like of float
        Per grid point (trial means), finite and >= 0.
    alpha, beta : float
        As :func:`total_error`.

    Returns
    -------
    value : numpy scalar or (d,) ndarray
        ``grid_values[index]``.
    index : int
        Index of the optimal grid point.

    Raises
    ------
    ValueError
        Shapes that do not match, negative or non-finite error/cost (a failed grid cell must be
        removed by the caller, explicitly).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Fig 6.

    Examples
    --------
    Totals 0.6, 0.4 and 0.5: the second grid point wins.

    >>> value, index = optimum([1.0, 2.0, 3.0], error=[0.5, 0.2, 0.1], cost=[0.1, 0.2, 0.4])
    >>> print(value, index)
    2.0 1
    """
    grid = np.asarray(grid_values)
    e, c = np.asarray(error, dtype=float), np.asarray(cost, dtype=float)
    if e.ndim != 1 or e.size == 0 or c.shape != e.shape or grid.shape[:1] != e.shape:
        raise ValueError(f"error and cost must be (K,) and grid_values (K, ...), "
                         f"got {e.shape}, {c.shape}, {grid.shape}")
    total = total_error(e, c, alpha, beta)
    best = np.flatnonzero(total <= total.min() * (1 + 1e-12))
    index = int(best[np.argmin(c[best])])
    return grid[index], index


# --------------------------------------------------------------------- CV2
def population_cv2(spike_steps, spike_neurons, n_neurons: int, dt: float, *, min_isis: int = 10,
                   min_neurons: int = 20) -> tuple[float, int]:
    """Mean CV2 (Methods eq 20; :func:`pcn_core.spikestats.cv2`) over neurons with >= ``min_isis``
    ISIs; NaN if fewer than ``min_neurons`` such neurons (koren2017.md §2.7).

    Parameters
    ----------
    spike_steps, spike_neurons : (n_spikes,) array_like of int
        Step index (>= 0) and neuron index in [0, N) of each spike; at most one
        spike per neuron and step.
    n_neurons : int
        N >= 1.
    dt : float
        Step (s) > 0.
    min_isis, min_neurons : int
        Integers >= 1 (10 and 20 by default).

    Returns
    -------
    mean_cv2 : float
        Mean CV2 over the qualifying neurons (dimensionless), NaN if fewer than
        ``min_neurons``.
    n_used : int
        Number of neurons averaged.

    Raises
    ------
    ValueError
        Events out of range, a neuron with two spikes in one step, or bad counts.
    TypeError
        Events that are not whole numbers.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §3.3, eq 20.

    Examples
    --------
    A regular neuron (CV2 = 0) and one alternating between 2- and 6-step
    intervals (CV2 = 2·4/8 = 1):

    >>> regular = np.arange(0, 200, 10)
    >>> alternating = np.cumsum(np.tile([2, 6], 15))
    >>> steps = np.r_[regular, alternating]
    >>> neurons = np.r_[np.zeros(regular.size, int), np.ones(alternating.size, int)]
    >>> mean_cv2, n_used = population_cv2(steps, neurons, n_neurons=2, dt=0.001, min_neurons=2)
    >>> round(mean_cv2, 6), n_used
    (0.5, 2)
    >>> population_cv2(steps, neurons, n_neurons=2, dt=0.001)   # fewer than 20 neurons
    (nan, 2)
    """
    n_neurons = _count(n_neurons, "n_neurons")
    dt = _positive(dt, "dt", " s")
    min_isis, min_neurons = _count(min_isis, "min_isis"), _count(min_neurons, "min_neurons")
    steps, neurons = _events(spike_steps, spike_neurons, n_neurons)
    # sort-based duplicate check: np.unique's hash path takes seconds on 10^6-spike ping-pong runs
    keys = np.sort(steps.astype(np.int64) * n_neurons + neurons)
    if np.any(keys[1:] == keys[:-1]):
        raise ValueError("a neuron has two spikes in one step (duplicate events)")
    values = [cv2(t) for t in trains_from_events(steps * dt, neurons, n_neurons) if t.size > min_isis]
    return (float(np.mean(values)) if len(values) >= min_neurons else float("nan")), len(values)
