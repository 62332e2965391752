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


# --- Fig 2 ---
# Cell functions for pcn_core.sweep.run_sweep: each simulates one trial (one seed)
# and returns small summaries, never spike lists.

#: Warm-up (s) dropped before any statistic: x starts at 0 and relaxes in ~5/λ.
FIG2_WARMUP = 0.5


def _trial_streams(seed) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent generators (input, noise) of one trial, both from its ``seed``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be an integer >= 0 (one seed per trial), got {seed!r}")
    input_seq, noise_seq = np.random.SeedSequence(int(seed)).spawn(2)
    return np.random.default_rng(input_seq), np.random.default_rng(noise_seq)


def _positive_duration(value, name: str) -> float:
    return validation.real(value, name, low=0.0, low_open=True, unit="s")


def fig2_trial(*, linear_cost: float, quadratic_cost: float, noise: float, active: bool, weight_seed: int,
               seed: int, duration: float, warmup: float = FIG2_WARMUP, dt: float = ALL_TO_ALL.dt,
               synaptic_delay: float = ALL_TO_ALL.synaptic_delay) -> dict:
    """One trial of the T2* network (Fig 2 A, B, D and the dt appendix), summarised.

    The run is simulated in two chunks (continued exactly): ``warmup`` s that are
    dropped, then ``duration`` s that are analysed, so every statistic, error and
    cost included, covers the analysed chunk only.

    Parameters
    ----------
    linear_cost, quadratic_cost : ν, μ >= 0 (the paper's units)
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step (a fixed density at any ``dt``)
    active : True: the smoothed white-noise input of :func:`input_signal` (T2* A_s, τ_s);
        False: quiescent, s ≡ 0
    weight_seed : int >= 0, seed of the (J, N) = (3, 400) weight draw (fixed per figure)
    seed : int >= 0, seed of this trial: its input realisation and its noise
    duration : analysed time (s) > 0
    warmup : dropped time (s) > 0 before it
    dt : simulation step (s); δ/dt must be a whole number >= 1
    synaptic_delay : δ (s)

    Returns
    -------
    dict of floats
        ``synchrony`` (%: 100·mean_k n_k/N, Fig 2A's "% synchronously active", per step of ``dt``),
        ``spikes_per_ms`` (population spikes per ms), ``rate`` (Hz per neuron),
        ``up_frequency`` (Up states per s; window 2δ, θ = 0.2 N, 10 ms merge gap),
        ``up_spikes_per_ms`` (population spikes per ms inside Up states; NaN without any),
        ``error`` and ``cost`` (:func:`error_and_cost`), ``error_sd`` (mean over the J inputs of
        the s.d. over time of x_j − x̂_j, units of x).

    Raises
    ------
    ValueError, TypeError
        Costs or σ negative or not finite, durations not > 0, bad seeds or a δ that is
        not a whole number of steps of ``dt``.
    """
    from .upstates import detect_up_states

    duration = _positive_duration(duration, "duration")
    warmup = _positive_duration(warmup, "warmup")
    input_rng, noise_rng = _trial_streams(seed)
    n_warm = int(round(warmup / dt))
    n_steps = int(round(duration / dt))
    net = network(weights(ALL_TO_ALL.n_inputs, ALL_TO_ALL.n_neurons, weight_seed),
                  linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                  quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0))
    if active:
        command = input_signal((n_warm + n_steps) * dt, dt=dt, seed=input_rng)
    else:
        command = np.zeros((n_warm + n_steps, ALL_TO_ALL.n_inputs))
    first = run(net, command[:n_warm], noise=noise, dt=dt, synaptic_delay=synaptic_delay, seed=noise_rng,
                record="summary")
    res = run(net, command[n_warm:], noise=noise, dt=dt, synaptic_delay=synaptic_delay,
              initial_state=first.final_state, record="summary", trajectory_every=1)
    counts = res.population_counts
    n_neurons = net.n_neurons
    window = max(1, int(round(2 * synaptic_delay / dt)))  # one ping-pong cycle (koren2017.md §2.3)
    up = detect_up_states(counts, n_neurons, dt, threshold=ALL_TO_ALL.up_threshold, window_steps=window)
    inside = np.zeros(counts.size, bool)
    for onset, offset in zip(up.onsets, up.offsets):
        inside[onset:offset + 1] = True
    error, cost = error_and_cost(res)
    ms_per_step = dt / MS
    return {
        "synchrony": 100.0 * counts.mean() / n_neurons,
        "spikes_per_ms": counts.mean() / ms_per_step,
        "rate": counts.sum() / (n_neurons * duration),
        "up_frequency": up.frequency,
        "up_spikes_per_ms": counts[inside].mean() / ms_per_step if inside.any() else math.nan,
        "error": error,
        "cost": cost,
        "error_sd": float(np.mean(np.std(res.target - res.estimate, axis=0))),
    }


def fig2_perturbation(*, linear_cost: float, quadratic_cost: float, weight_seed: int, seed: int,
                      pulse_amplitude: float, before: float = 2.0, after: float = 1.0,
                      pulse_duration: float = 5e-3, warmup: float = FIG2_WARMUP) -> dict:
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
