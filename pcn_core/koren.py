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
from dataclasses import dataclass

import numpy as np

from . import validation
from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import SimulationResult, koren_kernel_delay, simulate
from .upstates import coding_error_cost

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
