"""Koren & Denève (2017): the all-to-all network, its parameters and one run.

Koren's network is a discrete-time model whose step is the synaptic delay
(dt = δ = 1 ms): every neuron above threshold fires in a step (the "all"
rule) and the others see its spike at the next step's threshold check. In
:func:`pcn_core.simulation.simulate`'s exact delay convention that latency is
``dt + delay``, so the paper's δ is ``delay = δ − dt``
(:func:`pcn_core.simulation.koren_kernel_delay`); :func:`run` does this.

The paper's S1 parameter tables are lost. :data:`ALL_TO_ALL` holds our
reconstruction, each value with its source: ``[cap]`` figure caption, ``[txt]``
Results text, ``[M]`` Methods, ``[inf]`` inferred from the text, ``[pilot]``
chosen from exploratory runs (see each notebook's parameters cell).

Noise: "the standard deviation of the noise is in units of ms⁻¹" [txt]; we read
σ as the s.d. added to V per 1 ms step, i.e. a density σ/√(1 ms) per √s
(:func:`voltage_noise_density`), so results hold their meaning at other dt.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numba
import numpy as np

from . import validation
from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import SimulationResult, koren_kernel_delay, simulate
from .upstates import (SpikeTriggeredMUA, coding_error_cost, detect_up_states,
                       multi_unit_activity)

#: One millisecond (s): the unit of the paper's noise s.d. and of its time step.
MS = 1e-3


@dataclass(frozen=True)
class AllToAllParameters:
    """The all-to-all network of Figs 2–9 ("T2*", our reconstruction of S1 Table 2)."""
    n_neurons: int = 400            #: [txt]
    n_inputs: int = 3               #: J [txt]
    dt: float = 1e-3                #: s, = δ [inf: "consecutive time steps", 50 % synchrony]
    synaptic_delay: float = 1e-3    #: δ, s [txt]
    leak: float = 10.0              #: λ = λ_d = λ_V, Hz [pilot; Table 2 lost]
    input_amplitude: float = 20.0   #: A_s, s = A_s·OU per dimension [pilot]
    input_tau: float = 0.2          #: s, OU correlation time of the input [pilot]
    noise: float = 0.25             #: σ, s.d. per 1 ms step [cap, Figs 3B–D, 5A]
    quadratic_cost: float = 5.0     #: μ [cap]
    linear_cost: float = 5.0        #: ν where the paper says "Table 2" [inf: Fig 6C]
    mua_decay_rate: float = 50.0    #: λ_D, Hz [M]
    up_threshold: float = 0.2       #: fraction of neurons active together [M]


ALL_TO_ALL = AllToAllParameters()


def voltage_noise_density(sigma: float) -> float:
    """pcn_core's voltage-noise density (per √s) for the paper's σ (s.d. per 1 ms step)."""
    return validation.real(sigma, "sigma", low=0.0) / math.sqrt(MS)


def weights(n_inputs: int, n_neurons: int, seed) -> np.ndarray:
    """(J, N) decoding weights drawn i.i.d. from a standard normal, not normalised [txt]."""
    if int(n_inputs) != n_inputs or n_inputs < 1 or int(n_neurons) != n_neurons or n_neurons < 1:
        raise ValueError(f"n_inputs and n_neurons must be integers >= 1, got {n_inputs}, {n_neurons}")
    return validation.rng(seed).standard_normal((int(n_inputs), int(n_neurons)))


def network(w, *, linear_cost: float, quadratic_cost: float, leak: float = ALL_TO_ALL.leak) -> Network:
    """The all-to-all Koren network for weights ``w`` (J, N) and the paper's costs ν, μ."""
    return koren_network(w, leak=leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost)


def input_signal(duration: float, *, amplitude: float = ALL_TO_ALL.input_amplitude,
                 tau: float = ALL_TO_ALL.input_tau, n_inputs: int = ALL_TO_ALL.n_inputs,
                 dt: float = ALL_TO_ALL.dt, seed=None) -> np.ndarray:
    """The active-state input s(t): white noise, independent across inputs, smoothed
    by an exponential filter of time constant ``tau`` (s) [txt], with stationary
    s.d. ``amplitude``; shape (n_steps, n_inputs)."""
    return smoothed_white_noise(duration, dt, tau, validation.real(amplitude, "amplitude", low=0.0),
                                shape=n_inputs, seed=seed)


def run(net: Network, command, *, noise: float = ALL_TO_ALL.noise, spike_failure: float = 0.0,
        dt: float = ALL_TO_ALL.dt, synaptic_delay: float = ALL_TO_ALL.synaptic_delay,
        seed=None, **options) -> SimulationResult:
    """Simulate Koren's discrete model: "all" rule, synaptic delay δ mapped onto the
    simulator's delay, the paper's σ (per 1 ms step) as voltage noise.

    Parameters
    ----------
    net : from :func:`network`
    command : (n_steps, J) input s(t) (zeros for the quiescent state)
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step
    spike_failure : 1 − p_spike, probability that a neuron at threshold does not fire
    dt, synaptic_delay : s (δ a whole number >= 1 of steps)
    seed : seed of the noise (and of failures)
    options : passed to :func:`pcn_core.simulation.simulate` (``record="summary"``,
        ``groups``, ``spike_windows``, ``initial_state``, ``record_voltages``, ...)
    """
    return simulate(net, command, dt, voltage_noise=voltage_noise_density(noise),
                    delay=koren_kernel_delay(synaptic_delay, dt), spike_rule="all",
                    spike_failure=spike_failure, seed=seed, **options)


def error_and_cost(result: SimulationResult) -> tuple[float, float]:
    """Mean coding error and cost of a run (:func:`pcn_core.upstates.coding_error_cost`)
    from its running sums: ⟨‖x − x̂‖₂⟩ / (J · mean_i ‖w_i‖₂), and population spikes per step."""
    return coding_error_cost(result.network.decoder, int(result.spike_counts.sum()),
                             error_norm_sum=result.error_norm_sum, n_steps=result.n_error_steps)


# --- Fig 3 ---
def active_then_quiescent(*, noise: float, linear_cost: float, quadratic_cost: float, active_duration: float,
                          quiescent_duration: float, weight_seed: int, input_seed: int, noise_seed: int,
                          store_active_spikes: bool = False) -> dict:
    """Sweep cell of Fig 3 (and of any active → quiescent protocol): one trial whose
    first part is driven by :func:`input_signal` and whose second part has s = 0,
    continued exactly from the first part's final state, in summary mode.

    Parameters
    ----------
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step
    linear_cost, quadratic_cost : the paper's ν, μ >= 0
    active_duration, quiescent_duration : s, > 0 each (whole steps of ``ALL_TO_ALL.dt``)
    weight_seed : seed of the (J, N) weights (:func:`weights`, T2* sizes)
    input_seed : seed of the active-state input
    noise_seed : seed of the voltage noise (one stream through both parts)
    store_active_spikes : also return every spike of the active part as (step, neuron)

    Returns
    -------
    dict of arrays:
    ``active_counts``, ``quiescent_counts`` : int32 population spikes per step of each part
    (step 0 = first step of that part); ``active_spike_counts``, ``quiescent_spike_counts`` :
    int64 spikes per neuron; ``active_spike_steps``, ``active_spike_neurons`` : int64 spikes of
    the active part (empty unless ``store_active_spikes``), steps relative to its first step.

    Raises
    ------
    ValueError, TypeError
        Durations not > 0, or bad costs, noise or seeds (from the simulator).
    """
    params = ALL_TO_ALL
    for name, value in (("active_duration", active_duration), ("quiescent_duration", quiescent_duration)):
        validation.real(value, name, low=0.0, low_open=True, unit="s")
    w = weights(params.n_inputs, params.n_neurons, weight_seed)
    net = network(w, linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    command = input_signal(active_duration, seed=input_seed)
    windows = [(0.0, command.shape[0] * params.dt + params.dt)] if store_active_spikes else None
    active = run(net, command, noise=noise, seed=noise_seed, record="summary", spike_windows=windows)
    quiescent = run(net, np.zeros((int(round(quiescent_duration / params.dt)), params.n_inputs)), noise=noise,
                    record="summary", initial_state=active.final_state)
    steps = (np.round(active.spike_times / params.dt).astype(np.int64) - 1 if store_active_spikes
             else np.zeros(0, np.int64))
    return dict(active_counts=active.population_counts, quiescent_counts=quiescent.population_counts,
                active_spike_counts=active.spike_counts, quiescent_spike_counts=quiescent.spike_counts,
                active_spike_steps=steps,
                active_spike_neurons=active.spike_neurons.astype(np.int64) if store_active_spikes
                else np.zeros(0, np.int64))


def first_spike_rank_correlations(onsets, offsets, spike_steps, spike_neurons, n_neurons: int, *,
                                  min_common: int = 10) -> np.ndarray:
    """Is the order of recruitment into Up states the same from one event to the next? (Fig 3A text:
    "the order in which the neurons are recruited is random").

    For each event [onset, offset] (inclusive steps), each participating neuron's first spike step;
    for each pair of events, the Spearman correlation of these first-spike steps over the neurons that
    take part in both (ties get average ranks). Random order gives correlations near 0, a fixed order 1.

    Parameters
    ----------
    onsets, offsets : (n_events,) int steps, inclusive, e.g. from :func:`pcn_core.upstates.detect_up_states`
    spike_steps, spike_neurons : (n_spikes,) int, step index and neuron of each spike
    n_neurons : N >= 1
    min_common : pairs with fewer common neurons (>= 3) are skipped

    Returns
    -------
    (n_pairs,) float correlations, one per usable pair of events (NaN where a pair's first-spike steps
    are all tied in one event, which leaves the correlation undefined).

    Raises
    ------
    ValueError, TypeError
        Unequal lengths, negative or non-integer steps, neurons outside [0, N), onsets after offsets,
        min_common < 3.
    """
    from scipy.stats import spearmanr

    onsets = np.asarray(onsets)
    offsets = np.asarray(offsets)
    steps = np.asarray(spike_steps)
    neurons = np.asarray(spike_neurons)
    for name, a in (("onsets", onsets), ("offsets", offsets), ("spike_steps", steps), ("spike_neurons", neurons)):
        if a.ndim != 1 or not (a.size == 0 or np.issubdtype(a.dtype, np.integer)):
            raise TypeError(f"{name} must be a 1-D integer array, got shape {a.shape} and dtype {a.dtype}")
        if np.any(a < 0):
            raise ValueError(f"{name} must be >= 0")
    if onsets.shape != offsets.shape or np.any(offsets < onsets):
        raise ValueError("onsets and offsets must have equal lengths and onsets <= offsets")
    if steps.shape != neurons.shape:
        raise ValueError(f"spike_steps and spike_neurons must have equal lengths, got {steps.size}, {neurons.size}")
    if isinstance(n_neurons, bool) or int(n_neurons) != n_neurons or n_neurons < 1:
        raise ValueError(f"n_neurons must be an integer >= 1, got {n_neurons!r}")
    if neurons.size and neurons.max() >= n_neurons:
        raise ValueError(f"spike_neurons must be in [0, {int(n_neurons) - 1}], got {neurons.max()}")
    if isinstance(min_common, bool) or int(min_common) != min_common or min_common < 3:
        raise ValueError(f"min_common must be an integer >= 3, got {min_common!r}")
    order = np.argsort(steps, kind="stable")
    steps, neurons = steps[order], neurons[order]
    first = np.full((onsets.size, int(n_neurons)), np.nan)   # first spike step in each event (NaN: absent)
    lo, hi = np.searchsorted(steps, onsets, "left"), np.searchsorted(steps, offsets, "right")
    for e in range(onsets.size):
        # reversed assignment: the earliest spike of a neuron is written last, so it wins
        first[e, neurons[lo[e]:hi[e]][::-1]] = steps[lo[e]:hi[e]][::-1]
    out = []
    for a in range(onsets.size):
        for b in range(a + 1, onsets.size):
            both = ~np.isnan(first[a]) & ~np.isnan(first[b])
            if both.sum() < min_common:
                continue
            fa, fb = first[a, both], first[b, both]
            out.append(np.nan if np.all(fa == fa[0]) or np.all(fb == fb[0]) else spearmanr(fa, fb)[0])
    return np.asarray(out, float)


# --- Fig 4 ---
# Secondary noise: failure of spike generation (p_spike < 1), ± subpopulations of dimension 1.

def alternation_correlations(percent, onsets, offsets) -> tuple[np.ndarray, np.ndarray]:
    """Lag-0 and lag-1 correlations of two subpopulations' per-step activity inside each event.

    For event e with steps k = onset..offset, ``lag0 = corr(f⁺_k, f⁻_k)`` and
    ``lag1 = corr(f⁺_k, f⁻_{k+1})`` (koren2017.md C4.C1). Alternation on consecutive
    steps gives ``lag0 < 0`` and ``lag1 > 0``; perfect alternation gives −1 and +1.

    Parameters
    ----------
    percent : (n_steps, 2) finite per-step activity of the + and − subpopulations
        (e.g. :func:`pcn_core.upstates.percent_active`)
    onsets, offsets : (E,) int inclusive step indices of the events, within the record

    Returns
    -------
    lag0, lag1 : (E,) float; NaN where an event has fewer than 3 steps or a
        constant series (correlation undefined).

    Raises
    ------
    ValueError
        Wrong shapes, non-finite activity, or events out of range / reversed.
    """
    f = np.asarray(percent, dtype=float)
    if f.ndim != 2 or f.shape[1] != 2 or not np.all(np.isfinite(f)):
        raise ValueError(f"percent must be a finite (n_steps, 2) array, got shape {f.shape}")
    on, off = np.asarray(onsets), np.asarray(offsets)
    if on.shape != off.shape or on.ndim != 1 or not (np.issubdtype(on.dtype, np.integer) or on.size == 0):
        raise ValueError("onsets and offsets must be 1-D integer arrays of equal length")
    if on.size and (on.min() < 0 or off.max() >= f.shape[0] or np.any(off < on)):
        raise ValueError(f"events must satisfy 0 <= onset <= offset < n_steps = {f.shape[0]}")

    def corr(a, b):
        if a.size < 2 or a.std() == 0 or b.std() == 0:
            return np.nan
        return float(np.corrcoef(a, b)[0, 1])

    lag0, lag1 = np.full(on.size, np.nan), np.full(on.size, np.nan)
    for e, (k0, k1) in enumerate(zip(on, off)):
        plus, minus = f[k0:k1 + 1, 0], f[k0:k1 + 1, 1]
        if plus.size >= 3:
            lag0[e], lag1[e] = corr(plus, minus), corr(plus[:-1], minus[1:])
    return lag0, lag1


def participation(onsets, offsets, spike_steps, spike_neurons, n_neurons: int) -> np.ndarray:
    """(N, E) bool: neuron i fires at least once in event e (steps onset..offset, inclusive).

    Parameters
    ----------
    onsets, offsets : (E,) int inclusive step indices, increasing and non-overlapping
    spike_steps, spike_neurons : (n_spikes,) int step and neuron of each spike
    n_neurons : N >= 1

    Returns
    -------
    (N, E) bool array.

    Raises
    ------
    ValueError
        Shapes differ, neurons outside [0, N), or events overlapping / reversed.
    """
    on, off = np.asarray(onsets, dtype=np.int64), np.asarray(offsets, dtype=np.int64)
    steps, neurons = np.asarray(spike_steps, dtype=np.int64), np.asarray(spike_neurons, dtype=np.int64)
    if on.shape != off.shape or on.ndim != 1 or steps.shape != neurons.shape or steps.ndim != 1:
        raise ValueError("onsets/offsets and spike_steps/spike_neurons must be 1-D pairs of equal length")
    if np.any(off < on) or np.any(on[1:] <= off[:-1]):
        raise ValueError("events must be increasing and non-overlapping (onset <= offset < next onset)")
    n_neurons = int(n_neurons)
    if neurons.size and (neurons.min() < 0 or neurons.max() >= n_neurons):
        raise ValueError(f"spike_neurons must lie in [0, {n_neurons})")
    event = np.searchsorted(on, steps, "right") - 1
    inside = event >= 0
    inside[inside] = steps[inside] <= off[event[inside]]
    out = np.zeros((n_neurons, on.size), dtype=bool)
    out[neurons[inside], event[inside]] = True
    return out


def coparticipation_by_selectivity(taking_part, w, *, similar: float = 0.8,
                                   orthogonal: float = 0.2) -> tuple[float, float]:
    """Mean probability that a pair of neurons fires in the same event, for pairs of
    similar or opposite selectivity (|cos∠(w_i, w_j)| > ``similar``) and of
    independent selectivity (|cos| < ``orthogonal``) (koren2017.md C4.T1).

    A pair's probability is the Jaccard index: events in which both fire / events
    in which at least one fires (pairs that never fire are left out).

    Parameters
    ----------
    taking_part : (N, E) bool, from :func:`participation`
    w : (J, N) decoding weights (non-zero columns)
    similar, orthogonal : thresholds on |cos| in [0, 1], orthogonal < similar

    Returns
    -------
    (similar_pairs, orthogonal_pairs) mean Jaccard indices (NaN if a class is empty).

    Raises
    ------
    ValueError
        Shapes disagree, zero weight vectors, or thresholds out of range.
    """
    part = np.asarray(taking_part)
    w = np.asarray(w, dtype=float)
    if part.ndim != 2 or part.dtype != bool or w.ndim != 2 or w.shape[1] != part.shape[0]:
        raise ValueError(f"taking_part must be (N, E) bool and w (J, N); got {part.shape}, {w.shape}")
    if not 0 <= orthogonal < similar <= 1:
        raise ValueError(f"need 0 <= orthogonal < similar <= 1, got {orthogonal}, {similar}")
    norms = np.linalg.norm(w, axis=0)
    if not np.all(np.isfinite(w)) or np.any(norms == 0):
        raise ValueError("w must be finite with non-zero columns")
    unit = w / norms
    cos = np.abs(unit.T @ unit)
    p = part.astype(float)
    both = p @ p.T
    count = p.sum(axis=1)
    either = count[:, None] + count[None, :] - both
    upper = np.triu(np.ones_like(both, dtype=bool), 1) & (either > 0)
    jaccard = np.divide(both, either, out=np.zeros_like(both), where=either > 0)
    mean = lambda sel: float(jaccard[sel].mean()) if sel.any() else math.nan
    return mean(upper & (cos > similar)), mean(upper & (cos < orthogonal))


def fig4_failure_cell(spike_probability: float, active: bool, duration: float, seed: int, *,
                      weight_seed: int, linear_cost: float, quadratic_cost: float, noise: float,
                      up_threshold: float, window_steps: int, merge_gap: float, warmup: float,
                      input_seed: int) -> dict:
    """One run of Fig 4D's sweep: the all-to-all network with spike-generation failure,
    summarised per Up state.

    The network is :data:`ALL_TO_ALL` with weights ``weights(J, N, weight_seed)``; the
    first ``warmup`` s are simulated and dropped (x starts at 0). Up states are detected
    on the per-step population counts of the rest (:func:`pcn_core.upstates.detect_up_states`
    with ``up_threshold``, ``window_steps``, ``merge_gap``).

    Parameters
    ----------
    spike_probability : p_spike in (0, 1]; a neuron above threshold fires with it
        (``spike_failure = 1 − p_spike``) and is not reset if it fails
    active : smoothed white-noise input (seeded by ``input_seed``) if True, s = 0 if False
    duration : analysed time (s) > 0
    seed : seed of the voltage noise and of the failures
    weight_seed, input_seed : seeds of the weights and of the input
    linear_cost, quadratic_cost, noise : ν, μ and σ (s.d. per 1 ms step)
    up_threshold, window_steps, merge_gap : θ_up, W (steps), G (s) of the detector
    warmup : dropped time (s) >= 0

    Returns
    -------
    dict with ``peak_fraction``, ``durations`` (s), ``lag0``, ``lag1``
    (:func:`alternation_correlations` of the ± halves split by the sign of w_1i),
    ``recruitment``, ``median_spikes`` (per event), ``frequency`` (Hz),
    ``rate`` (spikes per neuron per s), ``coparticipation_similar`` and
    ``coparticipation_orthogonal`` (:func:`coparticipation_by_selectivity`).

    Raises
    ------
    ValueError
        ``spike_probability`` outside (0, 1], non-positive ``duration``, negative
        ``warmup`` (and whatever :func:`run` and the detector refuse).
    """
    from . import upstates

    p = validation.real(spike_probability, "spike_probability", low=0.0, high=1.0, low_open=True)
    duration = validation.real(duration, "duration", low=0.0, low_open=True, unit="s")
    warmup = validation.real(warmup, "warmup", low=0.0, unit="s")
    prm = ALL_TO_ALL
    w = weights(prm.n_inputs, prm.n_neurons, weight_seed)
    net = network(w, linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    n_warm = int(round(warmup / prm.dt))
    n_steps = int(round(duration / prm.dt))
    total = (n_warm + n_steps) * prm.dt
    command = (input_signal(total, seed=input_seed) if active
               else np.zeros((n_warm + n_steps, prm.n_inputs)))
    groups = (w[0] < 0).astype(np.int64)          # 0: w_1i > 0, 1: w_1i < 0 (w_1i = 0 has probability 0)
    res = run(net, command, noise=noise, spike_failure=1.0 - p, seed=seed, record="summary",
              groups=groups, spike_windows=[((n_warm + 0.5) * prm.dt, (n_warm + n_steps + 0.5) * prm.dt)])
    counts = res.population_counts[n_warm:]                   # a spike of step k is stamped at (k + 1) dt
    steps = np.round(res.spike_times / prm.dt).astype(np.int64) - 1 - n_warm
    if steps.size != counts.sum() or (steps.size and steps.min() < 0):
        raise RuntimeError("stored spikes do not match the analysed steps' counts")
    up = upstates.detect_up_states(counts, prm.n_neurons, prm.dt, threshold=up_threshold,
                                   window_steps=window_steps, merge_gap=merge_gap)
    percent = upstates.percent_active(res.group_counts[n_warm:], np.bincount(groups, minlength=2))
    lag0, lag1 = alternation_correlations(percent, up.onsets, up.offsets)
    rec = upstates.recruitment(up, steps, res.spike_neurons, prm.n_neurons)
    similar, orthogonal = coparticipation_by_selectivity(
        participation(up.onsets, up.offsets, steps, res.spike_neurons, prm.n_neurons), w)
    return {"peak_fraction": up.peak_fraction, "durations": up.durations, "lag0": lag0, "lag1": lag1,
            "recruitment": rec.fraction, "median_spikes": rec.median_spikes, "frequency": up.frequency,
            "rate": float(counts.sum()) / (prm.n_neurons * duration),
            "coparticipation_similar": similar, "coparticipation_orthogonal": orthogonal}


# --- Fig 5 ---
# Spike-triggered MUA over many long trials (Methods §3.1) and Up-state statistics of
# long runs (Methods §3.2). The S-MUA of a condition is accumulated trial by trial as
# per-neuron shuffle-corrected sums, so memory holds three trials' spikes (the first, kept for
# the last shuffle, the previous and the current), not R (at ν = 0, σ = 0.5 a 200 s trial has
# ~3 million spikes).

def _step_spikes(result: SimulationResult, first_step: int) -> tuple[np.ndarray, np.ndarray]:
    """Steps (relative to ``first_step``) and neurons of the spikes a summary run stored,
    checked against its per-step counts (a run never loses spikes)."""
    steps = np.round(result.spike_times / result.dt).astype(np.int64) - 1 - result.start_step - first_step
    neurons = result.spike_neurons.astype(np.int64)
    expected = result.population_counts[first_step:]
    if steps.size != int(expected.sum()) or not np.array_equal(
            np.bincount(steps, minlength=expected.size), expected):
        raise RuntimeError("the stored spikes do not match the per-step counts")
    return steps, neurons


def _by_neuron(steps: np.ndarray, neurons: np.ndarray, n_neurons: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR form: ``ptr`` (N+1,) and each neuron's spike steps, sorted."""
    order = np.lexsort((steps, neurons))
    return np.searchsorted(neurons[order], np.arange(n_neurons + 1)), steps[order]


@numba.njit(cache=True)
def _shuffle_corrected_sums(ptr_a, steps_a, ptr_b, steps_b, difference, max_lag, decay):
    """Per neuron i: Σ_{k in a_i} g_i(k+τ), τ = −L..L, with g_i = difference − m_i^a + m_i^b
    (m_i^a, m_i^b: neuron i's own exponential trace in trials a and b, which the MUAs hold
    and the self-exclusion removes); terms with k+τ outside the record count 0.
    O(N·n_steps + spikes·L): one pass over the record per spiking neuron, then one
    window per spike."""
    n_neurons = ptr_a.size - 1
    n_steps = difference.size
    n_lags = 2 * max_lag + 1
    out = np.zeros((n_neurons, n_lags))
    g = np.empty(n_steps)
    for i in range(n_neurons):
        a = steps_a[ptr_a[i]:ptr_a[i + 1]]
        b = steps_b[ptr_b[i]:ptr_b[i + 1]]
        if a.size == 0:
            continue
        own = 0.0                       # m_i^a − m_i^b, by the kernel's recursion
        ja = 0
        jb = 0
        for t in range(n_steps):
            own *= decay
            while ja < a.size and a[ja] == t:
                own += 1.0
                ja += 1
            while jb < b.size and b[jb] == t:
                own -= 1.0
                jb += 1
            g[t] = difference[t] - own
        for k in a:
            start = k - max_lag
            for t in range(max(0, -start), min(n_lags, n_steps - start)):
                out[i, t] += g[start + t]
    return out


def _positive_real(value, name: str) -> float:
    return validation.real(value, name, low=0.0, low_open=True)


def _trial(trial, n_neurons: int, name: str):
    if len(trial) != 3:
        raise ValueError(f"{name} must be (spike_steps, spike_neurons, n_steps)")
    n_steps = int(trial[2]) if isinstance(trial[2], numbers.Integral) and trial[2] >= 1 else None
    if n_steps is None or isinstance(trial[2], bool):
        raise ValueError(f"{name} n_steps must be an integer >= 1, got {trial[2]!r}")
    steps = np.asarray(trial[0])
    neurons = np.asarray(trial[1])
    for values, what in ((steps, "spike_steps"), (neurons, "spike_neurons")):
        if values.ndim != 1 or not (values.size == 0 or np.issubdtype(values.dtype, np.integer)):
            raise TypeError(f"{name} {what} must be a 1-D integer array")
    if steps.shape != neurons.shape:
        raise ValueError(f"{name}: spike_steps and spike_neurons must have equal length")
    if steps.size and (steps.min() < 0 or steps.max() >= n_steps):
        raise ValueError(f"{name} spike_steps must be in [0, {n_steps - 1}]")
    if neurons.size and (neurons.min() < 0 or neurons.max() >= n_neurons):
        raise ValueError(f"{name} spike_neurons must be in [0, {n_neurons - 1}]")
    return steps.astype(np.int64), neurons.astype(np.int64), n_steps


def shuffle_corrected_sums(trial, shuffle_trial, n_neurons: int, dt: float = ALL_TO_ALL.dt, *,
                           max_lag: float = 0.1, decay_rate: float = ALL_TO_ALL.mua_decay_rate) -> np.ndarray:
    """One trial's part of the spike-triggered MUA, per neuron (Methods §3.1; koren2017.md §2.5).

    ``D_i(τ) = Σ_{k in spikes of i in trial} [MUA_{-i}(k+τ) − MUA'_{-i}(k+τ)]``, where MUA_{-i}
    is the trial's multi-unit activity without neuron i's own spikes and MUA'_{-i} the same in
    the incongruent ``shuffle_trial``; terms with k+τ outside the record count 0. Summed over
    trials r with shuffle trial r+1 (mod R), :func:`smua_from_sums` turns them into
    :func:`pcn_core.upstates.spike_triggered_mua` exactly, holding only two trials at a time.

    Parameters
    ----------
    trial, shuffle_trial : ``(spike_steps, spike_neurons, n_steps)`` with int steps in
        [0, n_steps) and neurons in [0, N); equal n_steps
    n_neurons : N >= 1
    dt : step (s) > 0
    max_lag : L (s), a whole number of steps, shorter than a trial (0.1 s in the paper)
    decay_rate : λ_D (Hz) > 0 of the MUA kernel (50 Hz in the paper)

    Returns
    -------
    (N, 2L/dt + 1) float array, MUA units (spikes) summed over the neuron's trigger spikes.

    Raises
    ------
    ValueError, TypeError
        Malformed trials, unequal lengths, events out of range, bad dt / max_lag / decay_rate.
    """
    if isinstance(n_neurons, bool) or not isinstance(n_neurons, numbers.Integral) or n_neurons < 1:
        raise ValueError(f"n_neurons must be an integer >= 1, got {n_neurons!r}")
    dt = _positive_real(dt, "dt")
    decay = math.exp(-_positive_real(decay_rate, "decay_rate") * dt)
    steps_a, neurons_a, n_steps = _trial(trial, n_neurons, "trial")
    steps_b, neurons_b, n_b = _trial(shuffle_trial, n_neurons, "shuffle_trial")
    if n_b != n_steps:
        raise ValueError(f"trial and shuffle_trial must have equal n_steps, got {n_steps} and {n_b}")
    lag_steps = _positive_real(max_lag, "max_lag") / dt
    if abs(lag_steps - round(lag_steps)) > 1e-9 * max(1.0, lag_steps) or round(lag_steps) >= n_steps:
        raise ValueError(f"max_lag must be a whole number of steps shorter than a trial, got {max_lag} s")
    difference = (multi_unit_activity(np.bincount(steps_a, minlength=n_steps), dt, decay_rate)
                  - multi_unit_activity(np.bincount(steps_b, minlength=n_steps), dt, decay_rate))
    ptr_a, csr_a = _by_neuron(steps_a, neurons_a, n_neurons)
    ptr_b, csr_b = _by_neuron(steps_b, neurons_b, n_neurons)
    return _shuffle_corrected_sums(ptr_a, csr_a, ptr_b, csr_b, difference, int(round(lag_steps)), decay)


def smua_from_sums(sums, spike_counts, dt: float = ALL_TO_ALL.dt) -> SpikeTriggeredMUA:
    """S-MUA from per-neuron shuffle-corrected sums over all trials (:func:`shuffle_corrected_sums`).

    ``C_i = sums_i / n_i`` over neurons with ``n_i >= 1`` spikes in all trials;
    mean = mean_i C_i (the paper's normalisation), pooled = Σ_i sums_i / Σ_i n_i.

    Parameters
    ----------
    sums : (N, n_lags) float, n_lags odd
    spike_counts : (N,) int >= 0, spikes of each neuron summed over the trials
    dt : step (s) > 0

    Returns
    -------
    :class:`pcn_core.upstates.SpikeTriggeredMUA` (lags in s; mean and pooled in spikes per
    trigger spike; NaN curves if no neuron spiked).

    Raises
    ------
    ValueError
        Shapes that do not match, an even number of lags, negative or non-integer counts,
        non-finite sums.
    """
    s = np.asarray(sums, dtype=float)
    n = np.asarray(spike_counts)
    if s.ndim != 2 or s.shape[1] % 2 != 1 or not np.all(np.isfinite(s)):
        raise ValueError(f"sums must be a finite (N, odd n_lags) array, got shape {s.shape}")
    if n.shape != (s.shape[0],) or not (n.size == 0 or np.issubdtype(n.dtype, np.integer)) or np.any(n < 0):
        raise ValueError(f"spike_counts must be {s.shape[0]} integers >= 0")
    dt = _positive_real(dt, "dt")
    lag = s.shape[1] // 2
    used = n > 0
    if not used.any():
        nan = np.full(s.shape[1], np.nan)
        return SpikeTriggeredMUA(np.arange(-lag, lag + 1) * dt, nan, nan.copy(), 0)
    mean = np.mean(s[used] / n[used, None], axis=0)
    pooled = s[used].sum(axis=0) / n.sum()
    return SpikeTriggeredMUA(np.arange(-lag, lag + 1) * dt, mean, pooled, int(used.sum()))


def _trial_seeds(seed, n_trials: int):
    return np.random.SeedSequence(seed).spawn(n_trials)


def fig5_smua_cell(linear_cost: float, noise: float, active: bool, n_trials: int, duration: float,
                   seed: int, input_seed: int, weight_seed: int,
                   quadratic_cost: float = ALL_TO_ALL.quadratic_cost, burn_in: float = 0.5,
                   max_lag: float = 0.1) -> dict:
    """Fig 5A/B, one condition: S-MUA over ``n_trials`` trials of the all-to-all network (T2*).

    Active state: the same input realisation (``input_seed``) in every trial, only the noise
    seeds differ, so the incongruent-trial predictor (trial r+1) removes stimulus locking
    (koren2017.md §2.5). Quiescent: input 0. Each trial starts at V = 0, x = x̂ = 0 and its
    first ``burn_in`` s are dropped.

    Parameters
    ----------
    linear_cost, noise, quadratic_cost : ν, σ (s.d. per 1 ms step), μ
    active : True for the active state, False for the quiescent one
    n_trials : R >= 2
    duration : analysed s per trial (> max_lag)
    seed : master seed of the trials' noise (one child per trial)
    input_seed : seed of the frozen input
    weight_seed : seed of the decoding weights w
    burn_in : s dropped at the start of each trial
    max_lag : L (s)

    Returns
    -------
    dict: ``lags`` (s), ``smua`` (mean over neurons; NaN if no neuron spiked), ``smua_pooled``,
    ``n_neurons_used``, ``spike_counts`` (N,) over all trials, ``up_frequency`` (R,) Up states per s
    and ``up_spike_fraction`` (R,) fraction of the trial's spikes inside Up states (NaN without
    spikes), Up states by :func:`pcn_core.upstates.detect_up_states` (θ = 0.2, W = 2, G = 10 ms).
    """
    if isinstance(n_trials, bool) or not isinstance(n_trials, numbers.Integral) or n_trials < 2:
        raise ValueError(f"n_trials must be an integer >= 2, got {n_trials!r}")
    p = ALL_TO_ALL
    net = network(weights(p.n_inputs, p.n_neurons, weight_seed), linear_cost=linear_cost,
                  quadratic_cost=quadratic_cost)
    total = _positive_real(duration, "duration") + validation.real(burn_in, "burn_in", low=0.0)
    command = input_signal(total, seed=input_seed)
    if not active:
        command = np.zeros_like(command)
    first = int(round(burn_in / p.dt))
    n_steps = command.shape[0] - first
    counts = np.zeros(p.n_neurons, np.int64)
    sums = None
    up_frequency = np.zeros(n_trials)
    up_spike_fraction = np.full(n_trials, np.nan)
    trials = []  # (steps, neurons) of trial 0 (for the last shuffle) and the previous trial
    for r, trial_seed in enumerate(_trial_seeds(seed, n_trials)):
        result = run(net, command, noise=noise, seed=np.random.default_rng(trial_seed), record="summary",
                     spike_windows=[((first + 0.5) * p.dt, (command.shape[0] + 1) * p.dt)])
        steps, neurons = _step_spikes(result, first)
        population = result.population_counts[first:]
        del result                    # its float spike times are the largest array
        counts += np.bincount(neurons, minlength=p.n_neurons)
        spikes = (steps.astype(np.int32), neurons.astype(np.int16))  # compact: kept for the next trial
        up = detect_up_states(population, p.n_neurons, p.dt, threshold=p.up_threshold)
        up_frequency[r] = up.frequency
        if spikes[0].size:
            before = np.cumsum(np.r_[0, population])  # spikes before each step
            up_spike_fraction[r] = np.sum(before[up.offsets + 1] - before[up.onsets]) / spikes[0].size
        if r > 0:
            part = shuffle_corrected_sums((*trials[-1], n_steps), (*spikes, n_steps), p.n_neurons, p.dt,
                                          max_lag=max_lag, decay_rate=p.mua_decay_rate)
            sums = part if sums is None else sums + part
        trials = [trials[0], spikes] if trials else [spikes]
    sums += shuffle_corrected_sums((*trials[-1], n_steps), (*trials[0], n_steps), p.n_neurons, p.dt,
                                   max_lag=max_lag, decay_rate=p.mua_decay_rate)
    smua = smua_from_sums(sums, counts, p.dt)
    return {"lags": smua.lags, "smua": smua.mean, "smua_pooled": smua.pooled,
            "n_neurons_used": smua.n_neurons_used, "spike_counts": counts, "up_frequency": up_frequency,
            "up_spike_fraction": up_spike_fraction}


def fig5_up_state_cell(linear_cost: float, quadratic_cost: float, noise: float, active: bool,
                       duration: float, seed: int, input_seed: int, weight_seed: int,
                       burn_in: float = 0.5, input_amplitude: float = ALL_TO_ALL.input_amplitude) -> dict:
    """Fig 5C/D, one condition: Up states of one long run (Methods §3.2) of the T2* network.

    Parameters
    ----------
    linear_cost, quadratic_cost, noise : ν, μ, σ (s.d. per 1 ms step)
    active : smoothed white-noise input (``input_seed``) if True, else input 0
    duration : analysed s (after ``burn_in`` s, dropped)
    seed : seed of the voltage noise
    input_seed, weight_seed : seeds of the input and of the decoding weights w
    input_amplitude : A_s, stationary s.d. of the active input (T2*: 20)

    Returns
    -------
    dict: ``onsets``, ``offsets`` (int steps of the analysed record, inclusive),
    ``peak_fraction``, ``n_steps``, ``total_spikes``; Up states by
    :func:`pcn_core.upstates.detect_up_states` (θ = 0.2, W = 2 steps, G = 10 ms).
    """
    p = ALL_TO_ALL
    net = network(weights(p.n_inputs, p.n_neurons, weight_seed), linear_cost=linear_cost,
                  quadratic_cost=quadratic_cost)
    total = _positive_real(duration, "duration") + validation.real(burn_in, "burn_in", low=0.0)
    command = input_signal(total, amplitude=input_amplitude, seed=input_seed)
    if not active:
        command = np.zeros_like(command)
    result = run(net, command, noise=noise, seed=seed, record="summary")
    counts = result.population_counts[int(round(burn_in / p.dt)):]
    up = detect_up_states(counts, p.n_neurons, p.dt, threshold=p.up_threshold)
    return {"onsets": up.onsets.astype(np.int32), "offsets": up.offsets.astype(np.int32),
            "peak_fraction": up.peak_fraction, "n_steps": up.n_steps, "total_spikes": int(counts.sum())}


# --- one trial, summarised (Figs 2, 6, 7, 8, 9) ---
# Cell functions for pcn_core.sweep.run_sweep: each simulates one trial (one seed)
# and returns small summaries, never spike lists.

#: Warm-up (s) dropped before any statistic: x starts at 0 and relaxes in ~5/λ.
TRIAL_WARMUP = 0.5


def _trial_streams(seed) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent generators (input, noise) of one trial, both from its ``seed``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be an integer >= 0 (one seed per trial), got {seed!r}")
    input_seq, noise_seq = np.random.SeedSequence(int(seed)).spawn(2)
    return np.random.default_rng(input_seq), np.random.default_rng(noise_seq)


def _positive_duration(value, name: str) -> float:
    return validation.real(value, name, low=0.0, low_open=True, unit="s")


def trial(*, linear_cost: float, quadratic_cost: float, noise: float, active: bool, weight_seed: int,
          seed: int, duration: float, warmup: float = TRIAL_WARMUP, dt: float = ALL_TO_ALL.dt,
          synaptic_delay: float = ALL_TO_ALL.synaptic_delay,
          input_amplitude: float = ALL_TO_ALL.input_amplitude, spike_failure: float = 0.0,
          cv2: bool = False) -> dict:
    """One trial of the T2* network, summarised (Figs 2, 6, 7, 8 and 9; a cell function
    for :func:`pcn_core.sweep.run_sweep`).

    The run is simulated in two chunks (continued exactly): ``warmup`` s that are
    dropped, then ``duration`` s that are analysed, so every statistic, error and
    cost included, covers the analysed chunk only.

    Parameters
    ----------
    linear_cost, quadratic_cost : ν, μ >= 0 (the paper's units)
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step (a fixed density at any ``dt``)
    active : True: the smoothed white-noise input of :func:`input_signal` (τ_s of T2*,
        s.d. ``input_amplitude``); False: quiescent, s ≡ 0
    weight_seed : int >= 0, seed of the (J, N) = (3, 400) weight draw (fixed per figure)
    seed : int >= 0, seed of this trial: its input realisation and its noise
    duration : analysed time (s) > 0
    warmup : dropped time (s) > 0 before it
    dt : simulation step (s); δ/dt must be a whole number >= 1
    synaptic_delay : δ (s)
    input_amplitude : A_s >= 0, stationary s.d. of the active input (T2*: 20)
    spike_failure : 1 − p_spike, probability in [0, 1] that a neuron at threshold does not fire
    cv2 : also store the analysed chunk's spikes and return their mean CV2 (costs memory
        at low costs: ~16 B per spike)

    Returns
    -------
    dict of floats
        ``synchrony`` (%: 100·mean_k n_k/N, Fig 2A's "% synchronously active", per step of ``dt``),
        ``spikes_per_ms`` (population spikes per ms), ``rate`` (Hz per neuron),
        ``up_frequency`` (Up states per s; window 2δ, θ = 0.2 N, 10 ms merge gap),
        ``up_spikes_per_ms`` (population spikes per ms inside Up states; NaN without any),
        ``error`` and ``cost`` (:func:`error_and_cost`), ``error_sd`` (mean over the J inputs of
        the s.d. over time of x_j − x̂_j, units of x); with ``cv2``, also ``cv2`` (mean CV2
        over neurons with >= 10 ISIs, NaN with fewer than 20 such neurons;
        :func:`pcn_core.upstates.population_cv2`) and ``cv2_neurons`` (how many were averaged).

    Raises
    ------
    ValueError, TypeError
        Costs or σ negative or not finite, durations not > 0, bad seeds or a δ that is
        not a whole number of steps of ``dt``.
    """
    from .upstates import detect_up_states, population_cv2

    duration = _positive_duration(duration, "duration")
    warmup = _positive_duration(warmup, "warmup")
    input_rng, noise_rng = _trial_streams(seed)
    n_warm = int(round(warmup / dt))
    n_steps = int(round(duration / dt))
    net = network(weights(ALL_TO_ALL.n_inputs, ALL_TO_ALL.n_neurons, weight_seed),
                  linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                  quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0))
    if active:
        command = input_signal((n_warm + n_steps) * dt, dt=dt, amplitude=input_amplitude, seed=input_rng)
    else:
        command = np.zeros((n_warm + n_steps, ALL_TO_ALL.n_inputs))
    options = {"noise": noise, "dt": dt, "synaptic_delay": synaptic_delay, "spike_failure": spike_failure,
               "record": "summary"}
    first = run(net, command[:n_warm], seed=noise_rng, **options)
    windows = [(n_warm * dt, (n_warm + n_steps) * dt)] if cv2 else None
    res = run(net, command[n_warm:], initial_state=first.final_state, trajectory_every=1,
              spike_windows=windows, **options)
    counts = res.population_counts
    n_neurons = net.n_neurons
    window = max(1, int(round(2 * synaptic_delay / dt)))  # one ping-pong cycle (koren2017.md §2.3)
    up = detect_up_states(counts, n_neurons, dt, threshold=ALL_TO_ALL.up_threshold, window_steps=window)
    inside = np.zeros(counts.size, bool)
    for onset, offset in zip(up.onsets, up.offsets):
        inside[onset:offset + 1] = True
    error, cost = error_and_cost(res)
    ms_per_step = dt / MS
    summary = {
        "synchrony": 100.0 * counts.mean() / n_neurons,
        "spikes_per_ms": counts.mean() / ms_per_step,
        "rate": counts.sum() / (n_neurons * duration),
        "up_frequency": up.frequency,
        "up_spikes_per_ms": counts[inside].mean() / ms_per_step if inside.any() else math.nan,
        "error": error,
        "cost": cost,
        "error_sd": float(np.mean(np.std(res.target - res.estimate, axis=0))),
    }
    if cv2:
        steps = np.round(res.spike_times / dt).astype(np.int64) - 1
        summary["cv2"], summary["cv2_neurons"] = population_cv2(steps, res.spike_neurons, n_neurons, dt)
    return summary


def fig2_perturbation(*, linear_cost: float, quadratic_cost: float, weight_seed: int, seed: int,
                      pulse_amplitude: float, before: float = 2.0, after: float = 1.0,
                      pulse_duration: float = 5e-3, warmup: float = TRIAL_WARMUP) -> dict:
    """Fig 2A's text: "a large enough perturbation can bring it back to the regime with high
    firing rates". Active T2* network without noise; after ``warmup + before`` s a pulse of
    height ``pulse_amplitude`` (units of s, i.e. x per s) along a random unit direction of
    input space (drawn from ``seed``) is added to the input for ``pulse_duration`` s.

    Returns
    -------
    dict of floats
        ``synchrony_before`` (% over the ``before`` s preceding the pulse) and
        ``synchrony_after`` (% over the ``after`` s following its end).

    Raises
    ------
    ValueError, TypeError
        Negative costs or amplitude, durations not > 0, bad seeds.
    """
    input_rng, _ = _trial_streams(seed)
    for name, value in (("before", before), ("after", after), ("pulse_duration", pulse_duration),
                        ("warmup", warmup)):
        _positive_duration(value, name)
    amplitude = validation.real(pulse_amplitude, "pulse_amplitude", low=0.0)
    dt = ALL_TO_ALL.dt
    n_warm, n_before = int(round(warmup / dt)), int(round(before / dt))
    n_pulse, n_after = max(1, int(round(pulse_duration / dt))), int(round(after / dt))
    command = input_signal((n_warm + n_before + n_pulse + n_after) * dt, seed=input_rng)
    direction = input_rng.standard_normal(ALL_TO_ALL.n_inputs)
    start = n_warm + n_before
    command[start:start + n_pulse] += amplitude * direction / np.linalg.norm(direction)
    net = network(weights(ALL_TO_ALL.n_inputs, ALL_TO_ALL.n_neurons, weight_seed),
                  linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                  quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0))
    counts = run(net, command, noise=0.0, record="summary").population_counts
    n = net.n_neurons
    return {"synchrony_before": 100.0 * counts[n_warm:start].mean() / n,
            "synchrony_after": 100.0 * counts[start + n_pulse:].mean() / n}


def synchrony_transition(grid, synchrony, *, high: float = 30.0, low: float = 5.0) -> float:
    """First grid value at which % synchrony has just fallen from above ``high`` (at the
    previous grid point) to below ``low`` (koren2017.md C2.A2, Fig 2A's "sudden drop").

    Parameters
    ----------
    grid : (n >= 2,) increasing finite grid values (e.g. ν)
    synchrony : (n,) finite % synchrony along the grid (one trial)
    high, low : % thresholds, ``high > low``

    Returns
    -------
    float
        The grid value after the drop, NaN if no adjacent pair drops like this.

    Raises
    ------
    ValueError
        Shapes differ, fewer than 2 points, non-finite values, a grid that does not
        increase, or ``high <= low``.
    """
    g = np.asarray(grid, dtype=float)
    s = np.asarray(synchrony, dtype=float)
    if g.ndim != 1 or g.size < 2 or s.shape != g.shape:
        raise ValueError(f"grid and synchrony must be 1-D of equal length >= 2, got {g.shape} and {s.shape}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(s))):
        raise ValueError("grid and synchrony must be finite")
    if not np.all(np.diff(g) > 0):
        raise ValueError("grid must be strictly increasing")
    if not high > low:
        raise ValueError(f"high must exceed low, got high={high}, low={low}")
    drops = np.flatnonzero((s[:-1] > high) & (s[1:] < low))
    return float(g[drops[0] + 1]) if drops.size else math.nan


# --- Fig 6 ---
# Efficiency: Total error over the costs (koren2017.md §2.6). Every sweep cell stores error and
# cost separately, so the optimum for any (α, β), the sensitivities and the best region are
# post-processing of stored results only.

#: Sweep name of every Total-error sweep of the T2* network (koren.trial cells): Figs 6, 7
#: (its ν_B), 8 and 9 share cells by passing identical cell dicts under this name.
TOTAL_ERROR_SWEEP = "koren2017_total_error_grid"


#: Preset factors of the Total-error sweeps of Fig 6, shared with the notebooks that reuse
#: its cells (Fig 7 takes ν_B from Fig 6B): grid step (x the paper step), trials and
#: analysed durations (x the paper values) of the (ν, μ) grid (A) and of the lines (B, C).
#: Presets scale statistics only, never the model.
TOTAL_ERROR_PRESETS = {
    "quick": {"step": 2, "trials": 0.2, "duration_A": 0.05, "duration_BC": 0.1},
    "default": {"step": 2, "trials": 0.2, "duration_A": 0.2, "duration_BC": 0.3},
    "paper": {"step": 1, "trials": 1.0, "duration_A": 1.0, "duration_BC": 1.0},
}

def total_error_seeds(seed: int, n_trials: int) -> tuple[int, list[int]]:
    """Seeds of a Total-error sweep from one notebook ``seed``: the weight seed and one seed
    per trial. Prefix-stable (the first k of n trial seeds are the k-trial seeds), so a
    smaller preset runs a subset of the paper preset's trials and two notebooks with the
    same ``seed`` build the same cells (:func:`total_error_cells`).

    Parameters
    ----------
    seed : int >= 0
    n_trials : int >= 1

    Returns
    -------
    (weight_seed, trial_seeds): int, list of ``n_trials`` ints, all in [0, 2**32).

    Raises
    ------
    TypeError, ValueError
        ``seed`` not an integer >= 0, ``n_trials`` not an integer >= 1.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be an integer >= 0, got {seed!r}")
    if isinstance(n_trials, bool) or not isinstance(n_trials, (int, np.integer)) or n_trials < 1:
        raise ValueError(f"n_trials must be an integer >= 1, got {n_trials!r}")
    weights_ss, trials_ss = np.random.SeedSequence(int(seed)).spawn(2)
    return (int(weights_ss.generate_state(1)[0]),
            [int(child.generate_state(1)[0]) for child in trials_ss.spawn(int(n_trials))])


def total_error_cells(linear_costs, quadratic_costs, seeds, *, weight_seed: int, noise: float,
                      duration: float, warmup: float = TRIAL_WARMUP, active: bool = True) -> list[dict]:
    """Cells of :func:`trial` for every (ν, μ, seed), ν outermost and the seed innermost,
    so ``stack_results(...)[key].reshape(len(ν), len(μ), len(seeds))``.

    Identical arguments give identical cell dicts, so two notebooks that call this with
    the same values under :data:`TOTAL_ERROR_SWEEP` share the cached cells.

    Parameters
    ----------
    linear_costs, quadratic_costs : 1-D sequences of ν, μ >= 0 (finite)
    seeds : 1-D sequence of int >= 0, one per trial (input realisation and noise)
    weight_seed : int >= 0, seed of the weights (fixed per figure)
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step
    duration, warmup : analysed and dropped time per trial (s), > 0
    active : active (smoothed white-noise input) or quiescent state

    Returns
    -------
    list of dict (keyword arguments of :func:`trial`), floats as Python floats and
    seeds as Python ints.

    Raises
    ------
    ValueError, TypeError
        Empty or non-1-D grids, negative or non-finite costs, seeds that are not
        integers >= 0, bad durations or noise.
    """
    grids = []
    for name, values in (("linear_costs", linear_costs), ("quadratic_costs", quadratic_costs)):
        a = np.asarray(values, dtype=float)
        if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)) or np.any(a < 0):
            raise ValueError(f"{name} must be a non-empty 1-D sequence of finite numbers >= 0, got {values!r}")
        grids.append([float(v) for v in a])
    seeds = list(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0 for s in seeds):
        raise TypeError(f"seeds must be a non-empty sequence of integers >= 0, got {seeds!r}")
    if isinstance(weight_seed, bool) or not isinstance(weight_seed, (int, np.integer)) or weight_seed < 0:
        raise TypeError(f"weight_seed must be an integer >= 0, got {weight_seed!r}")
    common = dict(noise=validation.real(noise, "noise", low=0.0), active=bool(active),
                  weight_seed=int(weight_seed), duration=_positive_duration(duration, "duration"),
                  warmup=_positive_duration(warmup, "warmup"))
    return [dict(linear_cost=nu, quadratic_cost=mu, seed=int(s), **common)
            for nu in grids[0] for mu in grids[1] for s in seeds]


def mean_abs_log_slope(values, *grids) -> np.ndarray:
    """Mean absolute finite-difference slope of ``ln values`` along each axis of a grid
    (koren2017.md C6.A2: "more sensitive to the quadratic than to the linear cost";
    C6.B3: steep then slow fall of the cost).

    Along axis a, every pair of grid neighbours gives ``|ln v[.., i+1, ..] − ln v[.., i, ..]| /
    (g_a[i+1] − g_a[i])``; the result is the mean over all such pairs.

    Parameters
    ----------
    values : (n_0, ..., n_{d-1}) array of finite values > 0, each n_a >= 2
    grids : d 1-D strictly increasing finite arrays, ``grids[a]`` of length ``n_a``

    Returns
    -------
    (d,) float array: mean |d ln v / d g_a| per axis, in units of 1 / grid unit.

    Raises
    ------
    ValueError
        Values not finite or not > 0 (the logarithm is undefined: choose a range where the
        quantity is positive), a number of grids that differs from ``values.ndim``, grids of
        the wrong length or not strictly increasing, an axis with fewer than 2 points.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim == 0 or len(grids) != v.ndim:
        raise ValueError(f"need one grid per axis of values: values has {v.ndim} axes, got {len(grids)} grids")
    if not np.all(np.isfinite(v)) or np.any(v <= 0):
        raise ValueError("values must be finite and > 0 (their logarithm is taken)")
    log_v = np.log(v)
    out = np.empty(v.ndim)
    for axis, grid in enumerate(grids):
        g = np.asarray(grid, dtype=float)
        if g.ndim != 1 or g.size != v.shape[axis] or g.size < 2:
            raise ValueError(f"grids[{axis}] must be 1-D of length {v.shape[axis]} >= 2, got shape {g.shape}")
        if not np.all(np.isfinite(g)) or not np.all(np.diff(g) > 0):
            raise ValueError(f"grids[{axis}] must be finite and strictly increasing")
        shape = [1] * v.ndim
        shape[axis] = g.size - 1
        out[axis] = np.mean(np.abs(np.diff(log_v, axis=axis)) / np.diff(g).reshape(shape))
    return out


def principal_axis_slope(x, y) -> float:
    """Slope dy/dx of the major (principal) axis of a cloud of points: the direction of
    largest variance, i.e. the total-least-squares line (koren2017.md C6.A1: the best
    (ν, μ) cells lie "approximately perpendicular to the identity line", slope ≈ −1).

    Parameters
    ----------
    x, y : (n >= 2,) finite coordinates

    Returns
    -------
    float
        The slope; ±inf for a vertical axis (no spread in x).

    Raises
    ------
    ValueError
        Shapes differ, fewer than 2 points, non-finite values, or an undefined direction
        (all points equal, or equal spread along every direction: an isotropic covariance).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D of equal length >= 2, got {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite")
    cov = np.cov(np.vstack([x, y]))
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    if eigenvalues[1] <= 0 or np.isclose(eigenvalues[0], eigenvalues[1], rtol=1e-12, atol=0):
        raise ValueError("the principal axis is undefined (no spread, or the same spread in every direction)")
    dx, dy = eigenvectors[:, 1]
    return float(dy / dx) if dx != 0 else math.copysign(math.inf, dy)


def optimal_cost_map(grid_values, error, cost, alphas, betas) -> np.ndarray:
    """Optimal grid value for every weighting of Total error = α·⟨error⟩ + β·⟨cost⟩ (Fig 6D),
    by :func:`pcn_core.upstates.optimum` (ties to the lower cost, then to the earlier point).

    Parameters
    ----------
    grid_values : (K,) finite grid (e.g. ν)
    error, cost : (K,) finite >= 0, e.g. trial means of a sweep
    alphas, betas : 1-D sequences of weights >= 0

    Returns
    -------
    (len(alphas), len(betas)) float array of optimal grid values; NaN where α = β = 0
    (the Total error is 0 everywhere, no optimum).

    Raises
    ------
    ValueError
        Shapes that differ, negative or non-finite values, non-1-D weights.
    """
    from .upstates import optimum

    g = np.asarray(grid_values, dtype=float)
    if g.ndim != 1 or not np.all(np.isfinite(g)):
        raise ValueError(f"grid_values must be a finite 1-D array, got shape {g.shape}")
    a, b = np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float)
    for name, w in (("alphas", a), ("betas", b)):
        if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ValueError(f"{name} must be a non-empty 1-D array of finite weights >= 0")
    out = np.full((a.size, b.size), np.nan)
    for i, alpha in enumerate(a):
        for j, beta in enumerate(b):
            if alpha > 0 or beta > 0:
                out[i, j] = optimum(g, error, cost, float(alpha), float(beta))[0]
    return out


# --- Fig 7 ---
def readout(*, linear_cost: float, quadratic_cost: float, noise: float, active: bool, weight_seed: int,
            seed: int, duration: float, warmup: float = TRIAL_WARMUP, small: float = 0.01) -> dict:
    """Read-out statistics of one trial of the T2* network (Fig 7C, D; koren2017.md C7.4, C7.5),
    a cell function for :func:`pcn_core.sweep.run_sweep`.

    The same input and noise streams as :func:`trial` with the same ``seed``, ``warmup`` and
    ``duration`` (so ``error`` and ``cost`` equal that trial's); statistics over the analysed part.

    Parameters
    ----------
    linear_cost, quadratic_cost : ν, μ >= 0
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step
    active : smoothed white-noise input if True, s ≡ 0 if False
    weight_seed, seed : ints >= 0 (weights; this trial's input and noise)
    duration, warmup : analysed and dropped time (s), > 0
    small : a read-out with ‖x̂‖ < small · w̄ counts as "at zero" (w̄ = mean_i ‖w_i‖₂), > 0

    Returns
    -------
    dict of floats
        ``max_error_norm`` (max_k ‖x_k − x̂_k‖₂, units of x), ``estimate_sd`` (mean over the J
        inputs of the s.d. over time of x̂_j), ``zero_fraction`` (fraction of steps with
        ‖x̂_k‖ < small·w̄), ``error`` and ``cost`` (:func:`error_and_cost`).

    Raises
    ------
    ValueError, TypeError
        Bad costs, noise, durations, ``small`` or seeds.
    """
    small = validation.real(small, "small", low=0.0, low_open=True)
    duration = _positive_duration(duration, "duration")
    warmup = _positive_duration(warmup, "warmup")
    p = ALL_TO_ALL
    input_rng, noise_rng = _trial_streams(seed)
    n_warm, n_steps = int(round(warmup / p.dt)), int(round(duration / p.dt))
    w = weights(p.n_inputs, p.n_neurons, weight_seed)
    net = network(w, linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                  quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0))
    if active:
        command = input_signal((n_warm + n_steps) * p.dt, seed=input_rng)
    else:
        command = np.zeros((n_warm + n_steps, p.n_inputs))
    options = {"noise": noise, "record": "summary"}
    first = run(net, command[:n_warm], seed=noise_rng, **options)
    res = run(net, command[n_warm:], initial_state=first.final_state, trajectory_every=1, **options)
    error, cost = error_and_cost(res)
    estimate_norm = np.linalg.norm(res.estimate, axis=1)
    mean_norm = float(np.mean(np.linalg.norm(w, axis=0)))
    return {"max_error_norm": float(np.max(np.linalg.norm(res.target - res.estimate, axis=1))),
            "estimate_sd": float(np.mean(np.std(res.estimate, axis=0))),
            "zero_fraction": float(np.mean(estimate_norm < small * mean_norm)),
            "error": error, "cost": cost}
