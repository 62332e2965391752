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
:data:`TOPOGRAPHIC` does the same for the topographic layer of Figs 10–12.

Noise: "the standard deviation of the noise is in units of ms⁻¹" [txt]; we read
σ as the s.d. added to V per 1 ms step, i.e. a density σ/√(1 ms) per √s
(:func:`voltage_noise_density`), so results hold their meaning at other dt.

Units used throughout: time in s (durations, dt, δ, lags) unless a name says
steps or ms; rates in Hz; the signal x and read-out x̂ in units of x (the
paper's weights w are dimensionless), the input s in units of x per s; V, the
thresholds and the costs ν, μ in the model's voltage units (V_i = w_iᵀ(x − x̂) − μ r_i);
σ as above.

The sections follow the paper's figures: one run (Figs 2–3), Fig 4 (spike-generation
failure), Fig 5 (S-MUA, Up-state statistics), one summarised trial (Figs 2, 6–9),
the topographic layer (Figs 10–12), CV2 and ± decoding (Fig 9), optima (Figs 6, 8).

References
----------
.. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
   signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
   Equation and section numbers cited in this module are the paper's.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numba
import numpy as np

from . import validation
from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import LowRankCommand, SimulationResult, koren_kernel_delay, simulate
from .upstates import (SpikeTriggeredMUA, coding_error_cost, detect_up_states,
                       multi_unit_activity)

#: One millisecond (s): the unit of the paper's noise s.d. and of its time step.
MS = 1e-3


@dataclass(frozen=True)
class AllToAllParameters:
    """The all-to-all network of Figs 2–9 ("T2*", our reconstruction of S1 Table 2).

    Each field's default carries its source tag in the comment beside it in the source
    ([txt], [cap], [M], [inf], [pilot]; module docstring). Instances are frozen: vary a value
    with :func:`dataclasses.replace`.

    Attributes
    ----------
    n_neurons : int
        N, neurons.
    n_inputs : int
        J, input dimensions (rows of w).
    dt : float
        Simulation step (s), equal to the synaptic delay δ.
    synaptic_delay : float
        δ (s), identical for every connection.
    leak : float
        λ = λ_d = λ_V (Hz), the one filter of signal, read-out and membrane.
    input_amplitude : float
        A_s, stationary s.d. of each input dimension (units of x per s).
    input_tau : float
        Correlation time (s) of the smoothed white-noise input.
    noise : float
        σ, s.d. of the voltage noise per 1 ms step (voltage units).
    quadratic_cost, linear_cost : float
        μ and ν >= 0 (voltage units, the paper's convention).
    mua_decay_rate : float
        λ_D (Hz), decay rate of the multi-unit-activity kernel.
    up_threshold : float
        Fraction of the N neurons active together that defines an Up state.

    See Also
    --------
    TopographicParameters : the topographic layer of Figs 10–12.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of synaptic delays (N = 400, J = 3, standard-normal
       weights, 1 ms delay); Methods §3.1 (λ_D), §3.2 (Up-state criterion); S1 Table 2 (lost).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from pcn_core.koren import ALL_TO_ALL
    >>> ALL_TO_ALL.n_neurons, ALL_TO_ALL.n_inputs, ALL_TO_ALL.synaptic_delay == ALL_TO_ALL.dt
    (400, 3, True)
    >>> replace(ALL_TO_ALL, noise=0.5).noise
    0.5
    """
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
    """pcn_core's voltage-noise density for the paper's σ (s.d. of V per 1 ms step).

    The simulator integrates white noise of density ``σ_V`` (voltage per √s), which adds
    ``σ_V √dt`` per step; ``σ_V = σ / √(1 ms)`` therefore adds exactly σ per 1 ms step and
    keeps the same meaning at any other dt.

    Parameters
    ----------
    sigma : float
        σ >= 0, s.d. of the voltage noise per 1 ms step (voltage units).

    Returns
    -------
    float
        ``σ / √(10⁻³ s)``, voltage units per √s.

    Raises
    ------
    ValueError, TypeError
        If ``sigma`` is negative, not finite or not a real number.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, after eq 23 (“the standard deviation of the noise is in units of ms⁻¹”).

    Examples
    --------
    >>> import math
    >>> from pcn_core.koren import voltage_noise_density
    >>> density = voltage_noise_density(0.25)
    >>> round(density, 3)
    7.906
    >>> round(density * math.sqrt(1e-3), 12)    # s.d. added per 1 ms step: σ again
    0.25
    """
    return validation.real(sigma, "sigma", low=0.0) / math.sqrt(MS)


def weights(n_inputs: int, n_neurons: int, seed) -> np.ndarray:
    """Decoding weights w of the all-to-all network, i.i.d. standard normal, not normalised [txt].

    Parameters
    ----------
    n_inputs : int
        J >= 1, input dimensions (rows).
    n_neurons : int
        N >= 1, neurons (columns).
    seed : int, None, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draw (a Generator is advanced in place).

    Returns
    -------
    (J, N) float array
        w, dimensionless; column i is neuron i's weight vector w_i.

    Raises
    ------
    ValueError
        If ``n_inputs`` or ``n_neurons`` is not a whole number >= 1.
    TypeError
        If ``seed`` is not one of the accepted kinds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of synaptic delays (“drawn randomly from a standard
       normal distribution”).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import weights
    >>> w = weights(3, 400, seed=0)
    >>> w.shape, round(float(w.std()), 1)
    ((3, 400), 1.0)
    >>> bool(np.array_equal(w, weights(3, 400, seed=0)))
    True
    """
    for name, value in (("n_inputs", n_inputs), ("n_neurons", n_neurons)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return validation.rng(seed).standard_normal((int(n_inputs), int(n_neurons)))


def network(w, *, linear_cost: float, quadratic_cost: float, leak: float = ALL_TO_ALL.leak) -> Network:
    """The all-to-all Koren network for weights ``w`` and the paper's costs ν, μ.

    Thresholds ``T_i = (‖w_i‖² + ν + μ)/2``, fast lateral weights ``Ω = −(wᵀw + μI)`` (the
    diagonal is the self-reset ``‖w_i‖² + μ``), membrane, signal and read-out leak λ and no
    slow connections (:func:`pcn_core.network.koren_network`).

    Parameters
    ----------
    w : (J, N) array_like
        Finite decoding weights (dimensionless).
    linear_cost, quadratic_cost : float
        ν, μ >= 0, in the paper's units (voltage units: they add to ‖w_i‖² in the threshold).
    leak : float
        λ > 0 (Hz) (T2*: 10 Hz).

    Returns
    -------
    pcn_core.network.Network
        The network (its ``linear_cost`` and ``quadratic_cost`` fields are in Boerlin's
        convention, ν/λ and μ/λ²).

    Raises
    ------
    ValueError
        If ``w`` is not a finite 2-D array, a cost is negative or ``leak`` is not > 0.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §1.2, eqs 11–17 (membrane potential eq 16, firing rule eq 17); Results eqs 22–24.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import network, weights
    >>> w = weights(3, 400, seed=0)
    >>> net = network(w, linear_cost=5.0, quadratic_cost=5.0)
    >>> net.n_neurons, net.n_variables
    (400, 3)
    >>> norms = np.sum(w ** 2, axis=0)
    >>> bool(np.allclose(net.thresholds, (norms + 5.0 + 5.0) / 2)), bool(np.allclose(net.self_reset, norms + 5.0))
    (True, True)
    """
    return koren_network(w, leak=leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost)


def input_signal(duration: float, *, amplitude: float = ALL_TO_ALL.input_amplitude,
                 tau: float = ALL_TO_ALL.input_tau, n_inputs: int = ALL_TO_ALL.n_inputs,
                 dt: float = ALL_TO_ALL.dt, seed=None) -> np.ndarray:
    """The active-state input s(t): white noise, independent across inputs, smoothed by an
    exponential filter of time constant ``tau`` [txt], with stationary s.d. ``amplitude``.

    Each dimension is a stationary AR(1) (discretised Ornstein–Uhlenbeck) process started in
    its stationary state (:func:`pcn_core.signals.smoothed_white_noise`). The signal the
    network tracks is its leaky integral, ``dx/dt = −λ x + s``.

    Parameters
    ----------
    duration : float
        Length (s) > 0; ``round(duration / dt)`` steps.
    amplitude : float
        A_s >= 0, stationary s.d. of each dimension (units of x per s) (T2*: 20).
    tau : float
        Correlation time (s) > 0 (T2*: 0.2 s).
    n_inputs : int
        J >= 1, independent dimensions.
    dt : float
        Step (s) > 0.
    seed : int, None, numpy.random.SeedSequence or numpy.random.Generator
        Source of the white noise.

    Returns
    -------
    (n_steps, n_inputs) float array
        s at each step, units of x per s.

    Raises
    ------
    ValueError, TypeError
        If a duration, ``tau`` or ``dt`` is not > 0, ``amplitude`` is negative or not finite,
        or ``seed`` is not an accepted kind.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of synaptic delays (“white noise, uncorrelated across
       input variables, and smoothed with an exponential filter”); Methods eq 12.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import input_signal
    >>> s = input_signal(200.0, amplitude=1.0, seed=0)
    >>> s.shape, round(float(s.std()), 1)
    ((200000, 3), 1.0)

    The lag-1 autocorrelation is ``exp(−dt/tau) = exp(−0.005) ≈ 0.995``:

    >>> [round(float(np.corrcoef(s[:-1, j], s[1:, j])[0, 1]), 3) for j in range(3)]
    [0.995, 0.995, 0.995]
    """
    return smoothed_white_noise(duration, dt, tau, validation.real(amplitude, "amplitude", low=0.0),
                                shape=n_inputs, seed=seed)


def run(net: Network, command, *, noise: float = ALL_TO_ALL.noise, spike_failure: float = 0.0,
        dt: float = ALL_TO_ALL.dt, synaptic_delay: float = ALL_TO_ALL.synaptic_delay,
        seed=None, **options) -> SimulationResult:
    """Simulate Koren's discrete model: "all" rule, synaptic delay δ mapped onto the
    simulator's delay, the paper's σ (per 1 ms step) as voltage noise.

    A thin wrapper of :func:`pcn_core.simulation.simulate` with ``spike_rule="all"``,
    ``delay=koren_kernel_delay(synaptic_delay, dt)`` and
    ``voltage_noise=voltage_noise_density(noise)``. x and x̂ start at 0 (V at 0) unless
    ``initial_state`` continues an earlier run.

    Parameters
    ----------
    net : pcn_core.network.Network
        From :func:`network` or :func:`topographic_network`.
    command : (n_steps, J) array_like or pcn_core.simulation.LowRankCommand
        Input s(t) per step, units of x per s (zeros for the quiescent state).
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step (voltage units).
    spike_failure : float
        1 − p_spike in [0, 1], probability that a neuron above threshold does not fire
        (it is then not reset).
    dt : float
        Step (s) > 0.
    synaptic_delay : float
        δ (s), a whole number >= 1 of steps of ``dt``.
    seed : int, None or numpy.random.Generator
        Seed of the noise (and of the failures).
    **options
        Passed to :func:`pcn_core.simulation.simulate` (``record="summary"``, ``groups``,
        ``spike_windows``, ``initial_state``, ``record_voltages``, ``trajectory_every``, ...).

    Returns
    -------
    pcn_core.simulation.SimulationResult
        Spikes (stamped at the end of their step, s), per-step counts, error sums,
        trajectories as recorded, and ``final_state`` to continue the run.

    Raises
    ------
    ValueError, TypeError
        From the simulator: bad shapes, negative σ or failure probability, a δ that is not a
        whole number >= 1 of steps, bad seeds or options.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results eqs 23–24 and section Consequence of synaptic delays; Methods §1.2.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import input_signal, network, run, weights
    >>> net = network(weights(3, 400, seed=0), linear_cost=0.0, quadratic_cost=0.0)
    >>> res = run(net, input_signal(0.3, seed=1), noise=0.0, record="summary")
    >>> res.n_steps, res.population_counts.shape
    (300, (300,))

    Without costs and noise about half of the 400 neurons fire in every step (Fig 2A at
    ν = μ = 0), here after a 0.1 s transient; without input the network stays silent:

    >>> round(100 * float(res.population_counts[100:].mean()) / 400)
    49
    >>> run(net, np.zeros((300, 3)), noise=0.0).n_spikes
    0
    """
    return simulate(net, command, dt, voltage_noise=voltage_noise_density(noise),
                    delay=koren_kernel_delay(synaptic_delay, dt), spike_rule="all",
                    spike_failure=spike_failure, seed=seed, **options)


def error_and_cost(result: SimulationResult) -> tuple[float, float]:
    """Mean coding error and cost of a run, from its running sums.

    ``⟨error⟩ = ⟨‖x − x̂‖₂⟩ / (J · mean_i ‖w_i‖₂)`` and ``⟨cost⟩`` = population spikes per step
    (:func:`pcn_core.upstates.coding_error_cost`), over all steps of the run.

    Parameters
    ----------
    result : pcn_core.simulation.SimulationResult
        A run of a Koren network (either record mode; the summary fields are always filled).

    Returns
    -------
    error : float
        Dimensionless (x is measured in mean weight norms, per dimension).
    cost : float
        Population spikes per step (per ms at dt = 1 ms).

    Raises
    ------
    ValueError
        From :func:`pcn_core.upstates.coding_error_cost` if the weights are all zero.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results eqs 25–26.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import error_and_cost, input_signal, network, run, weights
    >>> net = network(weights(3, 400, seed=0), linear_cost=5.0, quadratic_cost=5.0)
    >>> res = run(net, input_signal(0.2, seed=1), seed=2)
    >>> error, cost = error_and_cost(res)
    >>> cost == res.n_spikes / res.n_steps
    True
    >>> error_and_cost(run(net, np.zeros((100, 3)), noise=0.0))    # silent: x̂ = x = 0
    (0.0, 0.0)
    """
    return coding_error_cost(result.network.decoder, int(result.spike_counts.sum()),
                             error_norm_sum=result.error_norm_sum, n_steps=result.n_error_steps)


# --- Fig 3 ---
def active_then_quiescent(*, noise: float, linear_cost: float, quadratic_cost: float, active_duration: float,
                          quiescent_duration: float, weight_seed: int, input_seed: int, noise_seed: int,
                          store_active_spikes: bool = False) -> dict:
    """Sweep cell of Fig 3 (and of any active → quiescent protocol): one trial whose
    first part is driven by :func:`input_signal` and whose second part has s = 0,
    continued exactly from the first part's final state, in summary mode.

    The network is :data:`ALL_TO_ALL` (N = 400, J = 3, T2* λ, dt, δ and input) with the
    given costs and noise; x, x̂ and V start at 0.

    Parameters
    ----------
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    linear_cost, quadratic_cost : float
        The paper's ν, μ >= 0.
    active_duration, quiescent_duration : float
        Lengths (s) > 0 of the two parts (whole steps of ``ALL_TO_ALL.dt``).
    weight_seed : int
        Seed of the (J, N) weights (:func:`weights`, T2* sizes).
    input_seed : int
        Seed of the active-state input.
    noise_seed : int
        Seed of the voltage noise (one stream through both parts).
    store_active_spikes : bool
        Also return every spike of the active part as (step, neuron).

    Returns
    -------
    dict of arrays
        ``active_counts``, ``quiescent_counts`` : int32 population spikes per step of each part
        (step 0 = first step of that part); ``active_spike_counts``, ``quiescent_spike_counts`` :
        (N,) int64 spikes per neuron; ``active_spike_steps``, ``active_spike_neurons`` : int64
        spikes of the active part (empty unless ``store_active_spikes``), steps relative to its
        first step.

    Raises
    ------
    ValueError, TypeError
        Durations not > 0, or bad costs, noise or seeds (from the simulator).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 3 and its caption; Results, section Consequence of noise.

    Examples
    --------
    Fig 3A's condition (σ = 0, ν = 0, μ = 5), 0.5 s active then 0.2 s quiescent:

    >>> from pcn_core.koren import active_then_quiescent
    >>> out = active_then_quiescent(noise=0.0, linear_cost=0.0, quadratic_cost=5.0, active_duration=0.5,
    ...                             quiescent_duration=0.2, weight_seed=0, input_seed=1, noise_seed=2,
    ...                             store_active_spikes=True)
    >>> out["active_counts"].shape, out["quiescent_counts"].shape
    ((500,), (200,))
    >>> int(out["active_counts"].sum()) == out["active_spike_steps"].size    # every active spike kept
    True
    >>> int(out["quiescent_counts"].sum())    # without noise the quiescent network is silent
    0
    """
    params = ALL_TO_ALL
    for name, value in (("active_duration", active_duration), ("quiescent_duration", quiescent_duration)):
        validation.real(value, name, low=0.0, low_open=True, unit="s")
    w = weights(params.n_inputs, params.n_neurons, weight_seed)
    net = network(w, linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    command = input_signal(active_duration, seed=input_seed)
    windows = [(0.0, command.shape[0] * params.dt)] if store_active_spikes else None
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
    """Is the order of recruitment into Up states the same from one event to the next? (Fig 3A
    text: "the order in which the neurons are recruited is random").

    For each event [onset, offset] (inclusive steps), each participating neuron's first spike step;
    for each pair of events, the Spearman correlation of these first-spike steps over the neurons that
    take part in both (ties get average ranks). Random order gives correlations near 0, a fixed order 1.

    Parameters
    ----------
    onsets, offsets : (n_events,) int arrays
        Inclusive steps of the events, ``onset <= offset``, e.g. from
        :func:`pcn_core.upstates.detect_up_states`.
    spike_steps, spike_neurons : (n_spikes,) int arrays
        Step index (>= 0) and neuron (in [0, N)) of each spike, any order.
    n_neurons : int
        N >= 1.
    min_common : int
        Pairs of events with fewer common neurons are skipped (>= 3).

    Returns
    -------
    (n_pairs,) float array
        One correlation per usable pair of events, pairs (a, b) with a < b in order (NaN where
        a pair's first-spike steps are all tied in one event, which leaves the correlation
        undefined).

    Raises
    ------
    TypeError
        If an array is not 1-D of integers.
    ValueError
        Unequal lengths, negative steps, neurons outside [0, N), onsets after offsets,
        ``n_neurons`` < 1 or ``min_common`` < 3.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of noise, and Fig 3A inset.

    Examples
    --------
    Ten neurons recruited in the same order in two events and in the reverse order in a third:

    >>> import numpy as np
    >>> from pcn_core.koren import first_spike_rank_correlations
    >>> order = np.arange(10)
    >>> steps = np.concatenate([order, 100 + order, 200 + order[::-1]])
    >>> neurons = np.tile(order, 3)
    >>> first_spike_rank_correlations([0, 100, 200], [20, 120, 220], steps, neurons, 10)
    array([ 1., -1., -1.])
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
    percent : (n_steps, 2) array_like
        Finite per-step activity of the + and − subpopulations (e.g. % active from
        :func:`pcn_core.upstates.percent_active`; any unit, correlations ignore it).
    onsets, offsets : (E,) int arrays
        Inclusive step indices of the events, ``0 <= onset <= offset < n_steps``.

    Returns
    -------
    lag0 : (E,) float array
        ``corr(f⁺_k, f⁻_k)`` per event; NaN where an event has fewer than 3 steps or a
        constant series (correlation undefined).
    lag1 : (E,) float array
        ``corr(f⁺_k, f⁻_{k+1})`` per event; NaN likewise.

    Raises
    ------
    ValueError
        Wrong shapes, non-finite activity, or events out of range / reversed.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 4A, C and Results, section Consequence of noise (“alternative spiking of the two
       sub-populations on consecutive time steps”).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import alternation_correlations
    >>> percent = np.array([[50.0, 0.0], [0.0, 50.0]] * 3)    # the halves take turns
    >>> lag0, lag1 = alternation_correlations(percent, [0], [5])
    >>> np.round(lag0, 6).tolist(), np.round(lag1, 6).tolist()
    ([-1.0], [1.0])
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
    """Which neurons fire in which event: neuron i fires at least once in event e
    (steps onset..offset, inclusive).

    Parameters
    ----------
    onsets, offsets : (E,) int arrays
        Inclusive step indices, increasing and non-overlapping.
    spike_steps, spike_neurons : (n_spikes,) int arrays
        Step and neuron (in [0, N)) of each spike; spikes outside every event are ignored.
    n_neurons : int
        N >= 1.

    Returns
    -------
    (N, E) bool array
        True where neuron i spikes in event e.

    Raises
    ------
    ValueError
        Shapes differ, neurons outside [0, N), or events overlapping / reversed.

    See Also
    --------
    coparticipation_by_selectivity : which pairs of neurons share events.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of noise (recruitment of neurons into Up states).

    Examples
    --------
    >>> from pcn_core.koren import participation
    >>> participation([0, 10], [4, 14], [1, 2, 12], [0, 1, 1], 3)
    array([[ True, False],
           [ True,  True],
           [False, False]])
    """
    arrays = {}
    for name, values in (("onsets", onsets), ("offsets", offsets), ("spike_steps", spike_steps),
                         ("spike_neurons", spike_neurons)):
        arr = np.asarray(values)
        if arr.size and (arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer)):
            # a float step would be truncated to the wrong step
            raise TypeError(f"{name} must hold integer steps or indices, got dtype {arr.dtype}")
        arrays[name] = arr.astype(np.int64)
    on, off, steps, neurons = arrays.values()
    if isinstance(n_neurons, bool) or not isinstance(n_neurons, numbers.Integral) or n_neurons < 1:
        raise ValueError(f"n_neurons must be an integer >= 1, got {n_neurons!r}")
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
    taking_part : (N, E) bool array
        From :func:`participation`.
    w : (J, N) array_like
        Decoding weights, finite with non-zero columns.
    similar, orthogonal : float
        Thresholds on |cos| in [0, 1], ``orthogonal < similar``.

    Returns
    -------
    similar_pairs : float
        Mean Jaccard index of the pairs with |cos| > ``similar`` (NaN if there are none).
    orthogonal_pairs : float
        Mean Jaccard index of the pairs with |cos| < ``orthogonal`` (NaN if there are none).

    Raises
    ------
    ValueError
        Shapes disagree, zero weight vectors, or thresholds out of range.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of noise (“neurons with similar or opposite selectivity
       ... tend to be recruited within the same Up state”).

    Examples
    --------
    Neurons 0 and 1 have parallel weights and always fire together; neuron 2 is orthogonal
    to both:

    >>> import numpy as np
    >>> from pcn_core.koren import coparticipation_by_selectivity
    >>> w = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> taking_part = np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1]], dtype=bool)
    >>> similar, orthogonal = coparticipation_by_selectivity(taking_part, w)
    >>> similar, round(orthogonal, 3)    # Jaccard 2/2 for (0, 1); 1/3 for (0, 2) and (1, 2)
    (1.0, 0.333)
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
    spike_probability : float
        p_spike in (0, 1]; a neuron above threshold fires with it
        (``spike_failure = 1 − p_spike``) and is not reset if it fails.
    active : bool
        Smoothed white-noise input (seeded by ``input_seed``) if True, s = 0 if False.
    duration : float
        Analysed time (s) > 0.
    seed : int
        Seed of the voltage noise and of the failures.
    weight_seed, input_seed : int
        Seeds of the weights and of the input.
    linear_cost, quadratic_cost, noise : float
        ν, μ >= 0 and σ >= 0 (s.d. per 1 ms step).
    up_threshold, window_steps, merge_gap : float, int, float
        θ_up in (0, 1] (fraction of N), W >= 1 (steps) and G >= 0 (s) of the detector.
    warmup : float
        Dropped time (s) >= 0.

    Returns
    -------
    dict
        ``peak_fraction``, ``durations`` (s), ``lag0``, ``lag1``
        (:func:`alternation_correlations` of the ± halves split by the sign of w_1i),
        ``recruitment`` (fraction of N), ``median_spikes`` (per participating neuron): (E,)
        arrays, one entry per Up state; ``frequency`` (Up states per s), ``rate`` (spikes per
        neuron per s), ``coparticipation_similar`` and ``coparticipation_orthogonal``
        (:func:`coparticipation_by_selectivity`): floats.

    Raises
    ------
    ValueError
        ``spike_probability`` outside (0, 1], non-positive ``duration``, negative
        ``warmup`` (and whatever :func:`run` and the detector refuse).
    RuntimeError
        If the stored spikes do not match the per-step counts (a simulator fault).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 4 and Results, section Consequence of noise (failure of spike generation).

    Examples
    --------
    Fig 4's costs (ν = μ = 3, p_spike = 0.3), 0.5 s quiescent, events at θ_up = 0.05:

    >>> from pcn_core.koren import fig4_failure_cell
    >>> common = dict(weight_seed=0, linear_cost=3.0, quadratic_cost=3.0, up_threshold=0.05,
    ...               window_steps=2, merge_gap=0.01, warmup=0.05, input_seed=1)
    >>> out = fig4_failure_cell(0.3, False, 0.5, 0, noise=0.25, **common)
    >>> out["durations"].size
    2
    >>> bool(out["lag0"][0] < 0 < out["lag1"][0])    # the ± halves alternate step by step
    True

    Without voltage noise, failures alone trigger no activity:

    >>> quiet = fig4_failure_cell(0.3, False, 0.2, 0, noise=0.0, **common)
    >>> quiet["rate"], quiet["frequency"]
    (0.0, 0.0)
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
    the incongruent ``shuffle_trial``; terms with k+τ outside the record count 0. The MUA is
    the causal, unnormalised exponential trace ``MUA_k = e^{−λ_D dt} MUA_{k−1} + n_k``
    (:func:`pcn_core.upstates.multi_unit_activity`). Summed over trials r with shuffle trial
    r+1 (mod R), :func:`smua_from_sums` turns them into
    :func:`pcn_core.upstates.spike_triggered_mua` exactly, holding only two trials at a time.

    Parameters
    ----------
    trial, shuffle_trial : tuple
        ``(spike_steps, spike_neurons, n_steps)``: 1-D int arrays of equal length with steps
        in [0, n_steps) and neurons in [0, N), and the record length n_steps >= 1 (equal in
        both).
    n_neurons : int
        N >= 1.
    dt : float
        Step (s) > 0.
    max_lag : float
        L (s) > 0, a whole number of steps shorter than a trial (0.1 s in the paper).
    decay_rate : float
        λ_D (Hz) > 0 of the MUA kernel (50 Hz in the paper).

    Returns
    -------
    (N, 2L/dt + 1) float array
        Lags −L..L (row i is neuron i), MUA units (spikes) summed over the neuron's trigger
        spikes.

    Raises
    ------
    ValueError, TypeError
        Malformed trials, unequal lengths, events out of range, bad dt / max_lag / decay_rate.

    See Also
    --------
    smua_from_sums : the S-MUA from these sums over all trials.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §3.1, eqs 18–19.

    Examples
    --------
    Neurons 0 and 1 fire together at step 5; the shuffle trial is empty, so each neuron sees
    the other's trace ``exp(−λ_D τ)`` at lags τ >= 0 (``exp(−0.05) = 0.951``):

    >>> import numpy as np
    >>> from pcn_core.koren import shuffle_corrected_sums
    >>> none = np.array([], dtype=int)
    >>> spikes = (np.array([5, 5]), np.array([0, 1]), 20)
    >>> sums = shuffle_corrected_sums(spikes, (none, none, 20), 2, max_lag=0.003)
    >>> sums.shape
    (2, 7)
    >>> np.round(sums[0], 3).tolist()
    [0.0, 0.0, 0.0, 1.0, 0.951, 0.905, 0.861]
    >>> float(np.abs(shuffle_corrected_sums(spikes, spikes, 2, max_lag=0.003)).max())    # own shuffle
    0.0
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
    sums : (N, n_lags) array_like
        Finite sums (MUA units), n_lags odd (lags −L..L).
    spike_counts : (N,) int array
        Spikes of each neuron summed over the trials, >= 0.
    dt : float
        Step (s) > 0.

    Returns
    -------
    pcn_core.upstates.SpikeTriggeredMUA
        ``lags`` (s), ``mean`` and ``pooled`` (spikes per trigger spike; NaN curves if no
        neuron spiked) and ``n_neurons_used``.

    Raises
    ------
    ValueError
        Shapes that do not match, an even number of lags, negative or non-integer counts,
        non-finite sums.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §3.1, eq 19 (“the mean across neurons ... normalized with the total number
       of spikes”).

    Examples
    --------
    The mean weights every neuron equally, the pooled curve every spike:

    >>> import numpy as np
    >>> from pcn_core.koren import smua_from_sums
    >>> s = smua_from_sums([[0.0, 4.0, 0.0], [0.0, 1.0, 0.0]], np.array([2, 1]))
    >>> s.lags.tolist(), s.mean.tolist(), np.round(s.pooled, 3).tolist(), s.n_neurons_used
    ([-0.001, 0.0, 0.001], [0.0, 1.5, 0.0], [0.0, 1.667, 0.0], 2)
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
    """One child seed per trial from an integer master seed (a cached cell must be reproducible:
    no None, no Generator)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be an integer >= 0 (the master seed of the trials), got {seed!r}")
    return np.random.SeedSequence(int(seed)).spawn(n_trials)


def fig5_smua_cell(linear_cost: float, noise: float, active: bool, n_trials: int, duration: float,
                   seed: int, input_seed: int, weight_seed: int,
                   quadratic_cost: float = ALL_TO_ALL.quadratic_cost, burn_in: float = 0.5,
                   max_lag: float = 0.1) -> dict:
    """Fig 5A/B, one condition: S-MUA over ``n_trials`` trials of the all-to-all network (T2*).

    Active state: the same input realisation (``input_seed``) in every trial, only the noise
    seeds differ, so the incongruent-trial predictor (trial r+1) removes stimulus locking
    (koren2017.md §2.5). Quiescent: input 0. Each trial starts at V = 0, x = x̂ = 0 and its
    first ``burn_in`` s are dropped. Memory holds three trials' spikes, not R.

    Parameters
    ----------
    linear_cost, noise, quadratic_cost : float
        ν >= 0, σ >= 0 (s.d. per 1 ms step), μ >= 0.
    active : bool
        True for the active state, False for the quiescent one.
    n_trials : int
        R >= 2.
    duration : float
        Analysed time (s) per trial, > 0 and longer than ``max_lag``.
    seed : int
        Master seed of the trials' noise (one child per trial).
    input_seed : int
        Seed of the frozen input.
    weight_seed : int
        Seed of the decoding weights w.
    burn_in : float
        Time (s) >= 0 dropped at the start of each trial.
    max_lag : float
        L (s) > 0, a whole number of steps.

    Returns
    -------
    dict
        ``lags`` (s), ``smua`` (mean over neurons, spikes per trigger spike; NaN if no neuron
        spiked), ``smua_pooled``, ``n_neurons_used``, ``spike_counts`` (N,) over all trials,
        ``up_frequency`` (R,) Up states per s and ``up_spike_fraction`` (R,) fraction of the
        trial's spikes inside Up states (NaN without spikes), Up states by
        :func:`pcn_core.upstates.detect_up_states` (θ = 0.2, W = 2, G = 10 ms).

    Raises
    ------
    ValueError
        ``n_trials`` not an integer >= 2, ``duration`` not > 0 or not longer than
        ``max_lag``, negative ``burn_in`` (and whatever :func:`run` refuses).
    RuntimeError
        If a trial's stored spikes do not match its per-step counts (a simulator fault).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 5A, B; Methods §3.1 (50 trials of 200 s in the paper).

    Examples
    --------
    Two short quiescent trials (the paper uses 50 × 200 s):

    >>> import numpy as np
    >>> from pcn_core.koren import fig5_smua_cell
    >>> out = fig5_smua_cell(0.0, 0.25, False, 2, 0.3, 0, 1, 0, burn_in=0.1, max_lag=0.01)
    >>> out["lags"].shape, out["spike_counts"].shape, out["up_frequency"].shape
    ((21,), (400,), (2,))
    >>> out["n_neurons_used"] == int(np.count_nonzero(out["spike_counts"]))
    True
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

    The run starts at V = 0, x = x̂ = 0; its first ``burn_in`` s are dropped.

    Parameters
    ----------
    linear_cost, quadratic_cost, noise : float
        ν, μ >= 0 and σ >= 0 (s.d. per 1 ms step).
    active : bool
        Smoothed white-noise input (``input_seed``) if True, else input 0.
    duration : float
        Analysed time (s) > 0, after ``burn_in``.
    seed : int
        Seed of the voltage noise.
    input_seed, weight_seed : int
        Seeds of the input and of the decoding weights w.
    burn_in : float
        Time (s) >= 0 dropped at the start.
    input_amplitude : float
        A_s >= 0, stationary s.d. of the active input (units of x per s; T2*: 20).

    Returns
    -------
    dict
        ``onsets``, ``offsets`` (int32 steps of the analysed record, inclusive),
        ``peak_fraction`` (per event, fraction of N in one step), ``n_steps`` (analysed
        steps), ``total_spikes``; Up states by :func:`pcn_core.upstates.detect_up_states`
        (θ = 0.2, W = 2 steps, G = 10 ms).

    Raises
    ------
    ValueError, TypeError
        ``duration`` not > 0, negative ``burn_in``, bad costs, noise or seeds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 5C, D; Methods §3.2 (1000 s per condition in the paper).

    Examples
    --------
    One quiescent second at ν = 0, μ = 5, σ = 0.25: two Up states of about 30 ms.

    >>> from pcn_core.koren import fig5_up_state_cell
    >>> out = fig5_up_state_cell(0.0, 5.0, 0.25, False, 1.0, 0, 1, 0, burn_in=0.1)
    >>> out["n_steps"], out["onsets"].size
    (1000, 2)
    >>> (out["offsets"] - out["onsets"] + 1).tolist()    # durations in steps of 1 ms
    [32, 32]
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
          cv2: bool = False, n_neurons: int = ALL_TO_ALL.n_neurons) -> dict:
    """One trial of the T2* network, summarised (Figs 2, 6, 7, 8 and 9; a cell function
    for :func:`pcn_core.sweep.run_sweep`).

    The run is simulated in two chunks (continued exactly): ``warmup`` s that are
    dropped, then ``duration`` s that are analysed, so every statistic, error and
    cost included, covers the analysed chunk only. The trial's input and noise come
    from two independent streams spawned from ``seed``.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0 (the paper's units).
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step (a fixed density at any ``dt``).
    active : bool
        True: the smoothed white-noise input of :func:`input_signal` (τ_s of T2*,
        s.d. ``input_amplitude``); False: quiescent, s ≡ 0.
    weight_seed : int
        Seed (>= 0) of the (J, N) = (3, ``n_neurons``) weight draw (fixed per figure).
    seed : int
        Seed (>= 0) of this trial: its input realisation and its noise.
    duration : float
        Analysed time (s) > 0.
    warmup : float
        Dropped time (s) > 0 before it.
    dt : float
        Simulation step (s) > 0; δ/dt must be a whole number >= 1.
    synaptic_delay : float
        δ (s).
    input_amplitude : float
        A_s >= 0, stationary s.d. of the active input (units of x per s; T2*: 20).
    spike_failure : float
        1 − p_spike, probability in [0, 1] that a neuron above threshold does not fire.
    cv2 : bool
        Also store the analysed chunk's spikes and return their mean CV2 (costs memory
        at low costs: ~16 B per spike).
    n_neurons : int
        N >= 1 (T2*: 400; Fig 8's size check varies it): the weights stay i.i.d. N(0, 1)
        and nothing else is rescaled; the Up-state threshold stays 20 % of N.

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
        Costs or σ negative or not finite, durations not > 0, ``n_neurons`` not an integer
        >= 1, bad seeds or a δ that is not a whole number of steps of ``dt``.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 2A, B (synchrony), eqs 25–26 (error, cost), Figs 6–9.

    Examples
    --------
    Without costs and noise about half of the neurons fire in every step (Fig 2A at ν = 0,
    μ = 0):

    >>> from pcn_core.koren import trial
    >>> s = trial(linear_cost=0.0, quadratic_cost=0.0, noise=0.0, active=True, weight_seed=0, seed=1,
    ...           duration=0.2, warmup=0.1)
    >>> sorted(s)
    ['cost', 'error', 'error_sd', 'rate', 'spikes_per_ms', 'synchrony', 'up_frequency', 'up_spikes_per_ms']
    >>> round(float(s["synchrony"]))
    49
    >>> bool(s["synchrony"] == 100 * s["spikes_per_ms"] / 400)    # at dt = 1 ms
    True
    """
    from .upstates import detect_up_states, population_cv2

    duration = _positive_duration(duration, "duration")
    warmup = _positive_duration(warmup, "warmup")
    input_rng, noise_rng = _trial_streams(seed)
    n_warm = int(round(warmup / dt))
    n_steps = int(round(duration / dt))
    if isinstance(n_neurons, bool) or not isinstance(n_neurons, numbers.Integral) or n_neurons < 1:
        raise ValueError(f"n_neurons must be an integer >= 1, got {n_neurons!r}")
    net = network(weights(ALL_TO_ALL.n_inputs, int(n_neurons), weight_seed),
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
    firing rates".

    Active T2* network without noise (input and pulse direction from ``seed``); after
    ``warmup + before`` s a pulse of height ``pulse_amplitude`` along a random unit
    direction of input space is added to the input for ``pulse_duration`` s (at least one
    step).

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    weight_seed : int
        Seed (>= 0) of the weights.
    seed : int
        Seed (>= 0) of the input realisation and of the pulse direction.
    pulse_amplitude : float
        Height (units of x per s, like s) >= 0 of the pulse.
    before : float
        Analysed time (s) > 0 before the pulse.
    after : float
        Time (s) > 0 after the pulse.
    pulse_duration : float
        Pulse length (s) > 0.
    warmup : float
        Dropped time (s) > 0 at the start.

    Returns
    -------
    dict of floats
        ``synchrony_before`` (% over the ``before`` s preceding the pulse) and
        ``synchrony_after`` (% over the ``after`` s following its end).

    Raises
    ------
    ValueError, TypeError
        Negative costs or amplitude, durations not > 0, bad seeds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Consequence of synaptic delays, and Fig 2A.

    Examples
    --------
    At ν = 12 (μ = 0) the network has fallen silent; a strong 5 ms pulse restarts the
    synchronous regime:

    >>> from pcn_core.koren import fig2_perturbation
    >>> out = fig2_perturbation(linear_cost=12.0, quadratic_cost=0.0, weight_seed=0, seed=1,
    ...                         pulse_amplitude=5000.0, before=0.2, after=0.2, warmup=0.1)
    >>> round(float(out["synchrony_before"]), 1), round(float(out["synchrony_after"]))
    (0.0, 44)
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
    grid : (n,) array_like
        n >= 2 strictly increasing finite grid values (e.g. ν).
    synchrony : (n,) array_like
        Finite % synchrony along the grid (one trial).
    high, low : float
        Thresholds (%), ``high > low``.

    Returns
    -------
    float
        The grid value after the drop, NaN if no adjacent pair drops like this.

    Raises
    ------
    ValueError
        Shapes differ, fewer than 2 points, non-finite values, a grid that does not
        increase, or ``high <= low``.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 2A caption (“the level of synchronization suddenly drops”).

    Examples
    --------
    >>> from pcn_core.koren import synchrony_transition
    >>> synchrony_transition([0, 4, 8, 12, 16], [49, 48, 45, 2, 0])
    12.0
    >>> synchrony_transition([0, 4, 8], [49, 25, 3])    # a progressive fall is no sudden drop
    nan
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


# --- topographic layer (Figs 10–12) ---
# ON and OFF neurons on a ring with local receptive fields; the input is a scalar
# signal times a bump over the pixels (rank one), simulated as a LowRankCommand.


@dataclass(frozen=True)
class TopographicParameters:
    """The topographic layer of Figs 10–12 ("T3*", our reconstruction of S1 Table 3).

    Receptive field of ON neuron k over pixel j: ``a·exp(κ (cos(θ_j − φ_k) − 1))``; OFF
    neuron k has the opposite field at the same position [txt "blob-shaped increase (ON)
    or decrease (OFF)"]; neurons are interleaved, index 2k = ON_k, 2k + 1 = OFF_k [cap].
    Input ``s_j(t) = c(t)·A·exp(B (cos(θ_j − θ_0) − 1))``, c a unit-s.d. OU of rate
    λ_input [txt: "circular variable with Gaussian statistics", parameters A, B, λ_input].
    Each field's default carries its source tag in the comment beside it in the source.
    Instances are frozen: vary a value with :func:`dataclasses.replace`.

    Attributes
    ----------
    n_positions : int
        ON/OFF pairs, positions φ_k equally spaced on [0, 2π) (N = 2·n_positions).
    n_pixels : int
        P = J, pixels θ_j equally spaced on [0, 2π).
    rf_amplitude, rf_concentration : float
        a (dimensionless weight) and κ of the receptive fields.
    input_amplitude, input_concentration : float
        A (units of x per s) and B of the input bump.
    input_centre : float
        θ_0 (rad), centre of the input bump.
    input_rate : float
        λ_input (Hz): the OU time course c decays as exp(−λ_input t).
    dt, synaptic_delay : float
        Step and δ (s).
    leak : float
        λ (Hz).
    noise : float
        σ, s.d. of the voltage noise per 1 ms step.
    n_segments : int
        Ring segments of the local Up-state criterion (must divide ``n_positions``).
    up_threshold : float
        Fraction of the neurons concerned active together within W = 2δ for an Up state.

    See Also
    --------
    AllToAllParameters : the all-to-all network of Figs 2–9.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Traveling waves in spatially organized networks with local
       connectivity (eqs 28–30, 200 ON and 200 OFF neurons, 2 ms delay); S1 Table 3 (lost).

    Examples
    --------
    >>> from pcn_core.koren import TOPOGRAPHIC, TopographicParameters
    >>> TOPOGRAPHIC.n_neurons, TOPOGRAPHIC.up_window_steps    # 2δ = 4 steps of 1 ms
    (400, 4)
    >>> TopographicParameters(n_positions=20, n_pixels=20, n_segments=4).n_neurons
    40
    """
    n_positions: int = 200          #: ON/OFF pairs, equally spaced on [0, 2π) [txt: 200 ON + 200 OFF]
    n_pixels: int = 200             #: P = J, equally spaced on [0, 2π) [inf]
    rf_amplitude: float = 1.0       #: a [pilot]
    rf_concentration: float = 20.0  #: κ; half-width at half maximum ≈ 13° [pilot]
    input_amplitude: float = 30.0   #: A [pilot]
    input_concentration: float = 5.0  #: B [pilot]
    input_centre: float = math.pi   #: θ_0, rad [inf]
    input_rate: float = 5.0         #: λ_input, Hz: the OU decays as exp(−λ_input t) [pilot]
    dt: float = 1e-3                #: s [inf, as T2*]
    synaptic_delay: float = 2e-3    #: δ, s [txt]
    leak: float = 10.0              #: λ, Hz [inf, as T2*]
    noise: float = 0.8              #: σ, s.d. per 1 ms step [pilot: 0.5 leaves (12, 12) silent in quiescence]
    n_segments: int = 20            #: ring segments of the local Up-state criterion [inf]
    up_threshold: float = 0.2       #: fraction of neurons active together within W = 2δ [M]

    @property
    def n_neurons(self) -> int:
        """N = 2·n_positions neurons (ON and OFF at every position).
        """
        return 2 * self.n_positions

    @property
    def up_window_steps(self) -> int:
        """W = 2δ/dt steps: one ping-pong cycle (koren2017.md §2.3).
        """
        return int(round(2 * self.synaptic_delay / self.dt))


TOPOGRAPHIC = TopographicParameters()


def _ring(n: int) -> np.ndarray:
    return 2 * np.pi * np.arange(n) / n


def topographic_weights(params: TopographicParameters = TOPOGRAPHIC) -> np.ndarray:
    """Decoding weights of the ring, ON/OFF interleaved (column 2k = ON_k, 2k + 1 = OFF_k).

    ``w[j, 2k] = a·exp(κ (cos(θ_j − φ_k) − 1))`` and ``w[:, 2k + 1] = −w[:, 2k]``, with
    θ_j = 2πj/P and φ_k = 2πk/n_positions.

    Parameters
    ----------
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    (P, 2·n_positions) float array
        w, dimensionless (peak ``rf_amplitude``).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       eqs 29–30 (receptive fields of ON and OFF neurons; their form is our reading).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import topographic_weights
    >>> w = topographic_weights()
    >>> w.shape
    (200, 400)
    >>> bool(np.array_equal(w[:, 1], -w[:, 0]))    # OFF_0 mirrors ON_0
    True
    >>> int(w[:, 20].argmax()), float(w[:, 20].max())    # ON_10 peaks at pixel 10 with height a
    (10, 1.0)
    """
    on = params.rf_amplitude * np.exp(params.rf_concentration
                                      * (np.cos(_ring(params.n_pixels)[:, None] - _ring(params.n_positions)[None, :])
                                         - 1.0))
    w = np.empty((params.n_pixels, params.n_neurons))
    w[:, 0::2], w[:, 1::2] = on, -on
    return w


def topographic_network(*, linear_cost: float, quadratic_cost: float,
                        params: TopographicParameters = TOPOGRAPHIC) -> Network:
    """The topographic network for the paper's costs ν, μ, with dense lateral weights
    Ω = −(wᵀw + μI) (local: they fall like exp(−κΔ²/4) with the distance Δ of positions).

    Between positions, same-polarity pairs inhibit and opposite-polarity pairs excite each
    other [txt]; thresholds are ``(‖w_i‖² + ν + μ)/2`` and the leak is ``params.leak``.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0 (the paper's units).
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    pcn_core.network.Network
        With ``fast_weights`` the dense (N, N) Ω.

    Raises
    ------
    ValueError, TypeError
        If a cost is negative, not finite or not a real number.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, section Traveling waves in spatially organized networks with local
       connectivity (“connections in the network are local”).

    Examples
    --------
    >>> from pcn_core.koren import topographic_network
    >>> net = topographic_network(linear_cost=12.0, quadratic_cost=12.0)
    >>> net.n_neurons, net.n_variables
    (400, 200)
    >>> omega = net.fast_weights
    >>> bool(omega[0, 1] > 0), bool(omega[0, 2] < 0)    # ON_0–OFF_0 excite, ON_0–ON_1 inhibit
    (True, True)
    >>> bool(abs(omega[0, 200]) < 1e-12)    # ON_0 and ON_100, opposite sides of the ring
    True
    """
    return koren_network(topographic_weights(params), leak=params.leak,
                         linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                         quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0), dense=True)


def topographic_profile(params: TopographicParameters = TOPOGRAPHIC) -> np.ndarray:
    """Spatial profile of the input, ``A·exp(B (cos(θ_j − θ_0) − 1))`` over the pixels.

    Parameters
    ----------
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    (P,) float array
        Units of x per s per unit of c (peak A at θ_0).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       eq 28 (input of the topographic layer; its form is our reading).

    Examples
    --------
    >>> from pcn_core.koren import topographic_profile
    >>> g = topographic_profile()
    >>> g.shape, int(g.argmax()), float(g.max())    # peak A = 30 at θ_0 = π (pixel 100)
    ((200,), 100, 30.0)
    >>> round(float(g[0]), 5)    # 30·exp(−2B) at θ = 0
    0.00136
    """
    return params.input_amplitude * np.exp(params.input_concentration
                                           * (np.cos(_ring(params.n_pixels) - params.input_centre) - 1.0))


def topographic_input(time_course, params: TopographicParameters = TOPOGRAPHIC) -> LowRankCommand:
    """The rank-one input ``s(t) = c(t) · profile`` for a scalar time course c.

    Parameters
    ----------
    time_course : (n_steps,) array_like
        Finite c(t) per step (dimensionless, e.g. :func:`topographic_signal`), n_steps >= 1.
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    pcn_core.simulation.LowRankCommand
        ``time_courses`` (n_steps, 1) = c and ``profiles`` (P, 1) = :func:`topographic_profile`;
        ``.dense()`` is s(t), (n_steps, P), units of x per s.

    Raises
    ------
    ValueError
        If ``time_course`` is not a finite 1-D array of at least one step.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       eq 28.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import topographic_input, topographic_profile
    >>> command = topographic_input(np.array([1.0, -2.0]))
    >>> command.n_steps, command.dense().shape
    (2, (2, 200))
    >>> bool(np.allclose(command.dense()[1], -2.0 * topographic_profile()))
    True
    """
    c = np.asarray(time_course, dtype=float)
    if c.ndim != 1 or c.size < 1 or not np.all(np.isfinite(c)):
        raise ValueError(f"time_course must be a finite 1-D array of steps, got shape {c.shape}")
    return LowRankCommand(c[:, None], topographic_profile(params)[:, None])


def topographic_signal(duration: float, params: TopographicParameters = TOPOGRAPHIC, seed=None) -> np.ndarray:
    """c(t): unit-s.d. OU of rate λ_input (time constant 1/λ_input s), one value per step.

    Parameters
    ----------
    duration : float
        Length (s) > 0; ``round(duration / params.dt)`` steps.
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`): ``dt`` and ``input_rate``.
    seed : int, None, numpy.random.SeedSequence or numpy.random.Generator
        Source of the white noise.

    Returns
    -------
    (n_steps,) float array
        c, dimensionless, stationary s.d. 1.

    Raises
    ------
    ValueError, TypeError
        If ``duration`` is not > 0, or ``seed`` is not an accepted kind.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Results, after eq 28 (c smoothed white noise with kernel exp(−λ_input t)).

    Examples
    --------
    >>> from pcn_core.koren import topographic_signal
    >>> c = topographic_signal(100.0, seed=0)
    >>> c.shape, round(float(c.std()), 1)
    ((100000,), 1.0)
    """
    return smoothed_white_noise(_positive_real(duration, "duration"), params.dt, 1.0 / params.input_rate, 1.0,
                                seed=seed)


def three_epochs(signal) -> np.ndarray:
    """Figs 10B/D and 11: a time course split in three epochs, ``+|c|`` (positive signal),
    ``−|c|`` (negative), then 0 (quiescent) [cap 10B].

    The first two epochs have ``n // 3`` steps each; the quiescent one takes the rest.

    Parameters
    ----------
    signal : (n,) array_like
        Time course c per step (dimensionless), n >= 3.

    Returns
    -------
    (n,) float array
        The three-epoch time course.

    Raises
    ------
    ValueError
        If ``signal`` is not 1-D with at least 3 steps.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 10B caption (positive signal, negative signal, quiescence).

    Examples
    --------
    >>> from pcn_core.koren import three_epochs
    >>> three_epochs([1.0, -2.0, 3.0, -4.0, 5.0, 6.0, 7.0])
    array([ 1.,  2., -3., -4.,  0.,  0.,  0.])
    """
    c = np.asarray(signal, dtype=float)
    if c.ndim != 1 or c.size < 3:
        raise ValueError(f"signal must be 1-D with at least 3 steps, got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError("signal must be finite")
    third = c.size // 3
    out = np.zeros_like(c)
    out[:third] = np.abs(c[:third])
    out[third:2 * third] = -np.abs(c[third:2 * third])
    return out


def segment_groups(params: TopographicParameters = TOPOGRAPHIC) -> np.ndarray:
    """Ring segment of each neuron (ON and OFF of a position share it), for local Up states.

    Parameters
    ----------
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    (N,) int array
        Segment 0..n_segments−1 of each neuron, ``2·n_positions/n_segments`` neurons each
        (pass as ``groups=`` to :func:`run`).

    Raises
    ------
    ValueError
        If ``n_segments`` does not divide ``n_positions``.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12C (Up states travel along the ring); the segments are our local criterion.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import segment_groups
    >>> g = segment_groups()
    >>> g.shape, g[:4].tolist(), int(g[20])    # ON_0, OFF_0, ON_1, OFF_1; ON_10 opens segment 1
    ((400,), [0, 0, 0, 0], 1)
    >>> np.bincount(g).tolist() == [20] * 20
    True
    """
    if params.n_positions % params.n_segments:
        raise ValueError(f"n_positions={params.n_positions} must be a multiple of n_segments={params.n_segments}")
    return np.repeat(np.arange(params.n_positions) // (params.n_positions // params.n_segments), 2)


def topographic_up_states(counts, group_counts, params: TopographicParameters = TOPOGRAPHIC):
    """Global and local Up states of a topographic run (koren2017.md §2.3).

    Global: at least ``up_threshold`` of the N neurons spike within W = 2δ steps; local:
    the same within one ring segment (:func:`pcn_core.upstates.detect_group_up_states`);
    runs closer than 10 ms are merged.

    Parameters
    ----------
    counts : (n_steps,) int array_like
        Population spikes per step, in [0, N].
    group_counts : (n_steps, n_segments) int array_like
        Spikes per step and ring segment (``groups=segment_groups()``).
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    global_up : pcn_core.upstates.UpStates
        Up states of the whole layer.
    local_up : list of pcn_core.upstates.UpStates
        One per segment (peak fractions relative to the segment's neurons).

    Raises
    ------
    ValueError, TypeError
        From the detectors: negative, non-integer or too large counts, wrong shapes.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §3.2 (20 % criterion) and Figs 10–12.

    Examples
    --------
    Ten steps in which a quarter of the neurons fire, evenly over the 20 segments:

    >>> import numpy as np
    >>> from pcn_core.koren import topographic_up_states
    >>> counts = np.zeros(100, dtype=int)
    >>> counts[40:50] = 100
    >>> group_counts = np.zeros((100, 20), dtype=int)
    >>> group_counts[40:50] = 5
    >>> glob, local = topographic_up_states(counts, group_counts)
    >>> glob.onsets.tolist(), glob.offsets.tolist(), len(local)    # 40 − (W − 1) and 49 + (W − 1)
    ([37], [52], 20)
    >>> [u.n_events for u in local] == [1] * 20
    True
    """
    from .upstates import detect_group_up_states

    w = params.up_window_steps
    glob = detect_up_states(counts, params.n_neurons, params.dt, threshold=params.up_threshold, window_steps=w)
    local = detect_group_up_states(group_counts, 2 * params.n_positions // params.n_segments, params.dt,
                                   threshold=params.up_threshold, window_steps=w)
    return glob, local


def _local_summary(local) -> tuple[float, float]:
    """Frequency (Hz) of steps where any segment turns Up, and % time with any segment Up."""
    n_steps, dt = local[0].n_steps, local[0].dt
    up = np.zeros(n_steps, bool)
    for u in local:
        for onset, offset in zip(u.onsets, u.offsets):
            up[onset:offset + 1] = True
    starts = np.count_nonzero(np.diff(np.r_[0, up.astype(np.int8)]) == 1)
    return starts / (n_steps * dt), 100.0 * up.mean()


def topographic_cell(*, linear_cost: float, quadratic_cost: float, spike_failure: float, seed: int,
                     active_duration: float, quiescent_duration: float, warmup: float = TRIAL_WARMUP,
                     noise: float = TOPOGRAPHIC.noise) -> dict:
    """One (ν, μ) cell of the topographic grids (Figs 10A/C, 12A), summarised.

    Four chunks continued exactly: ``warmup`` s of input (dropped), ``active_duration`` s of
    input (analysed), ``warmup`` s without input (dropped: x relaxes), ``quiescent_duration``
    s without input (analysed). T3* layer; input and noise from two streams spawned from
    ``seed``.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    spike_failure : float
        1 − p_spike in [0, 1].
    seed : int
        Seed (>= 0) of the input realisation and of the noise.
    active_duration, quiescent_duration, warmup : float
        Times (s) > 0.
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.

    Returns
    -------
    dict of floats
        ``error``, ``cost`` (:func:`error_and_cost` of the active chunk; cost in spikes per
        step), ``rate`` and ``rate_quiescent`` (Hz per neuron); for ``active`` and
        ``quiescent``: ``up_frequency_*`` (global Up states per s), ``up_percent_time_*`` (% of
        time in a global Up state), ``local_up_frequency_*`` (Hz, steps at which some segment
        turns Up while none was) and ``local_up_percent_time_*`` (% of time with any segment Up).

    Raises
    ------
    ValueError, TypeError
        Negative costs or σ, a failure probability outside [0, 1], durations not > 0, bad seeds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 10A, C (Total error) and 12A (% time in Up states).

    Examples
    --------
    >>> from pcn_core.koren import topographic_cell
    >>> out = topographic_cell(linear_cost=12.0, quadratic_cost=12.0, spike_failure=0.0, seed=0,
    ...                        active_duration=0.05, quiescent_duration=0.05, warmup=0.02)
    >>> len(out)
    12
    >>> bool(round(out["cost"], 9) == round(out["rate"] * 400 * 1e-3, 9))    # spikes per step = rate·N·dt
    True
    """
    p = TOPOGRAPHIC
    durations = [_positive_duration(v, n) for v, n in ((warmup, "warmup"), (active_duration, "active_duration"),
                                                       (quiescent_duration, "quiescent_duration"))]
    warm, active, quiet = (int(round(d / p.dt)) for d in durations)
    input_rng, noise_rng = _trial_streams(seed)
    net = topographic_network(linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    signal = topographic_signal((warm + active) * p.dt, seed=input_rng)
    options = {"noise": noise, "dt": p.dt, "synaptic_delay": p.synaptic_delay,
               "spike_failure": validation.real(spike_failure, "spike_failure", low=0.0, high=1.0),
               "record": "summary", "groups": segment_groups()}
    zeros = topographic_input(np.zeros(warm + quiet))
    chunk = run(net, topographic_input(signal[:warm]), seed=noise_rng, **options)
    summary = {}
    for name, command in (("active", topographic_input(signal[warm:])), ("warm", zeros[:warm]),
                          ("quiescent", zeros[warm:])):
        chunk = run(net, command, initial_state=chunk.final_state, **options)
        if name == "warm":
            continue
        glob, local = topographic_up_states(chunk.population_counts, chunk.group_counts)
        suffix = "_" + name
        if name == "active":
            summary["error"], summary["cost"] = error_and_cost(chunk)
        summary["rate" if name == "active" else "rate_quiescent"] = (
            chunk.spike_counts.sum() / (p.n_neurons * chunk.n_steps * p.dt))
        summary["up_frequency" + suffix] = glob.frequency
        summary["up_percent_time" + suffix] = glob.percent_time
        summary["local_up_frequency" + suffix], summary["local_up_percent_time" + suffix] = _local_summary(local)
    return summary


def topographic_grid_cells(costs, *, spike_probability: float, seed: int, active_duration: float,
                           quiescent_duration: float) -> list[dict]:
    """The cells of a (ν, μ) grid of :func:`topographic_cell`, μ-major (row = μ, column = ν).

    Every cell uses the same ``seed`` (one input realisation and noise stream for the
    whole grid: common random numbers, so differences between cells are the costs').
    Figs 10 and 12 build their grids with this function so that they share the
    sweep cache.

    Parameters
    ----------
    costs : 1-D array_like
        Finite values >= 0 used for both ν and μ.
    spike_probability : float
        p_spike in (0, 1].
    seed : int
        Seed (>= 0) of every cell.
    active_duration, quiescent_duration : float
        Analysed time (s) > 0 of each state (checked by :func:`topographic_cell`).

    Returns
    -------
    list of dict
        ``len(costs)²`` keyword-argument dicts of :func:`topographic_cell`.

    Raises
    ------
    ValueError
        If ``costs`` is not a non-empty 1-D array of finite values >= 0, or
        ``spike_probability`` is outside (0, 1].

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 10A, C and 12A.

    Examples
    --------
    >>> from pcn_core.koren import topographic_grid_cells
    >>> cells = topographic_grid_cells([0, 10], spike_probability=0.3, seed=0, active_duration=20.0,
    ...                                quiescent_duration=10.0)
    >>> [(c["linear_cost"], c["quadratic_cost"]) for c in cells]
    [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0)]
    >>> cells[0]["spike_failure"]
    0.7
    """
    grid = np.asarray(costs, dtype=float)
    if grid.ndim != 1 or grid.size < 1 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError(f"costs must be a 1-D array of finite values >= 0, got {costs!r}")
    p_spike = validation.real(spike_probability, "spike_probability", low=0.0, low_open=True, high=1.0)
    return [dict(linear_cost=float(nu), quadratic_cost=float(mu), spike_failure=1.0 - p_spike, seed=seed,
                 active_duration=float(active_duration), quiescent_duration=float(quiescent_duration))
            for mu in grid for nu in grid]


# --- Fig 10 ---
# The topographic Total-error maps (A, C) and the three-epoch trials shown under them (B, D).


def lowest_cells(values, n: int) -> np.ndarray:
    """Flat indices of the ``n`` smallest entries of a grid of values (e.g. Total errors),
    smallest first; ties keep grid order (Fig 10A/C's "20 points that best minimize").

    Parameters
    ----------
    values : array_like
        Any shape, finite (e.g. a (μ, ν) grid of Total errors).
    n : int
        1 <= n <= values.size.

    Returns
    -------
    (n,) int array
        Indices into ``values.ravel()`` (use ``np.unravel_index`` for rows, columns).

    Raises
    ------
    ValueError
        Empty or non-finite values, or ``n`` out of range.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 6A and 10A, C captions (the 20 best cost pairs, red dots).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import lowest_cells
    >>> total = np.array([[3.0, 1.0], [2.0, 1.0]])
    >>> best = lowest_cells(total, 2)
    >>> best.tolist()    # the tie keeps grid order
    [1, 3]
    >>> [rows_or_columns.tolist() for rows_or_columns in np.unravel_index(best, total.shape)]
    [[0, 1], [1, 1]]
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError("values must be a non-empty array of finite numbers")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= v.size:
        raise ValueError(f"n must be an integer in [1, {v.size}], got {n!r}")
    return np.argsort(v, kind="stable")[:int(n)]


def three_epoch_trial(*, linear_cost: float, quadratic_cost: float, spike_failure: float, seed: int,
                      epoch_duration: float, noise: float = TOPOGRAPHIC.noise):
    """Figs 10B/D (and 11): one full-record trial of the topographic layer in three equal
    epochs, positive signal, negative signal, quiescent (:func:`three_epochs`).

    The trial starts from rest (V = r = 0 and x = x̂ = 0, a consistent state: no warm-up
    is needed for x). Its input and noise come from ``seed`` as in :func:`topographic_cell`.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    spike_failure : float
        1 − p_spike in [0, 1].
    seed : int
        Seed (>= 0) of the input realisation and of the noise.
    epoch_duration : float
        Time (s) > 0 per epoch, at least one step (the paper shows 3 × 2 s).
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.

    Returns
    -------
    command : pcn_core.simulation.LowRankCommand
        The input (``command.dense()`` is s(t), (n_steps, P), units of x per s).
    result : pcn_core.simulation.SimulationResult
        The ``record="full"`` run (every spike; x and x̂ after every step; ``group_counts``
        per ring segment of :func:`segment_groups`).

    Raises
    ------
    ValueError, TypeError
        Negative costs or σ, a failure probability outside [0, 1], a duration not > 0 or
        shorter than a step, bad seeds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 10B, D and 11.

    Examples
    --------
    >>> from pcn_core.koren import three_epoch_trial
    >>> command, result = three_epoch_trial(linear_cost=12.0, quadratic_cost=12.0, spike_failure=0.0,
    ...                                     seed=0, epoch_duration=0.02)
    >>> command.n_steps, result.record, command.dense().shape
    (60, 'full', (60, 200))
    >>> c = command.time_courses[:, 0]
    >>> bool((c[:20] >= 0).all() and (c[20:40] <= 0).all() and (c[40:] == 0).all())
    True
    """
    p = TOPOGRAPHIC
    n_epoch = int(round(_positive_duration(epoch_duration, "epoch_duration") / p.dt))
    if n_epoch < 1:
        raise ValueError(f"epoch_duration must be at least one step ({p.dt} s), got {epoch_duration}")
    input_rng, noise_rng = _trial_streams(seed)
    net = topographic_network(linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    command = topographic_input(three_epochs(topographic_signal(3 * n_epoch * p.dt, seed=input_rng)))
    result = run(net, command, noise=noise, dt=p.dt, synaptic_delay=p.synaptic_delay,
                 spike_failure=validation.real(spike_failure, "spike_failure", low=0.0, high=1.0),
                 seed=noise_rng, record="full", groups=segment_groups())
    return command, result


def epoch_statistics(result, n_epochs: int = 3, params: TopographicParameters = TOPOGRAPHIC) -> dict:
    """Per-epoch activity of a topographic run split into ``n_epochs`` equal epochs (the
    last takes any remainder steps): spikes of ON and OFF neurons, rate, global and local
    Up states (:func:`topographic_up_states`).

    Parameters
    ----------
    result : pcn_core.simulation.SimulationResult
        ``record="full"`` run of the T3* layer with ``groups=segment_groups()``
        (e.g. from :func:`three_epoch_trial`).
    n_epochs : int
        1 <= n_epochs <= n_steps.
    params : TopographicParameters
        The layer the run simulated (default :data:`TOPOGRAPHIC`): its size sets the
        rate per neuron and its segments the local Up states.

    Returns
    -------
    dict of (n_epochs,) arrays
        ``on_spikes``, ``off_spikes`` (ON = even, OFF = odd neuron indices), ``rate`` (Hz per
        neuron), ``up_frequency`` (Hz) and ``up_percent_time`` (%) (global criterion),
        ``local_up_frequency`` (Hz) and ``local_up_percent_time`` (%) (any ring segment Up),
        and ``up_count`` (global Up states, int).

    Raises
    ------
    ValueError
        Not a full record with group counts, a run whose size is not ``params``' N, or
        ``n_epochs`` not an integer in [1, n_steps].

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 10B, D and 11 (activity per epoch).

    Examples
    --------
    >>> from pcn_core.koren import epoch_statistics, three_epoch_trial
    >>> _, result = three_epoch_trial(linear_cost=12.0, quadratic_cost=12.0, spike_failure=0.0, seed=0,
    ...                               epoch_duration=0.02)
    >>> stats = epoch_statistics(result)
    >>> stats["rate"].shape, stats["up_count"].dtype.kind
    ((3,), 'i')
    >>> int(stats["on_spikes"].sum() + stats["off_spikes"].sum()) == result.spike_times.size
    True
    """
    if getattr(result, "record", None) != "full" or result.group_counts is None:
        raise ValueError("result must be a record='full' run with groups=segment_groups()")
    n = result.n_steps
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, numbers.Integral) or not 1 <= n_epochs <= n:
        raise ValueError(f"n_epochs must be an integer in [1, {n}], got {n_epochs!r}")
    if not isinstance(params, TopographicParameters):
        raise TypeError(f"params must be a TopographicParameters, got {type(params).__name__}")
    p = params
    if result.spike_counts.size != p.n_neurons:
        raise ValueError(f"result has {result.spike_counts.size} neurons but params describe a layer of "
                         f"{p.n_neurons} (pass the params the run was built with)")
    edges = [k * (n // n_epochs) for k in range(n_epochs)] + [n]
    steps = np.round(np.asarray(result.spike_times) / result.dt).astype(np.int64) - 1 - result.start_step
    neurons = np.asarray(result.spike_neurons)
    names = ("on_spikes", "off_spikes", "rate", "up_frequency", "up_percent_time", "local_up_frequency",
             "local_up_percent_time", "up_count")
    out = {name: np.zeros(n_epochs) for name in names}
    for e, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
        inside = (steps >= a) & (steps < b)
        out["on_spikes"][e] = np.count_nonzero(inside & (neurons % 2 == 0))
        out["off_spikes"][e] = np.count_nonzero(inside & (neurons % 2 == 1))
        out["rate"][e] = np.count_nonzero(inside) / (p.n_neurons * (b - a) * result.dt)
        glob, local = topographic_up_states(result.population_counts[a:b], result.group_counts[a:b], p)
        out["up_frequency"][e], out["up_percent_time"][e] = glob.frequency, glob.percent_time
        out["up_count"][e] = glob.n_events
        out["local_up_frequency"][e], out["local_up_percent_time"][e] = _local_summary(local)
    out["up_count"] = out["up_count"].astype(int)
    return out


# --- Fig 9 ---
# CV2 pooled over trials (the optimum fires < 0.1 Hz per neuron, so one grid-length trial gives too few ISIs),
# and the decoding of the ± subpopulations around Up states.

def cv2_terms(spike_steps, spike_neurons, n_neurons: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-neuron sums of the CV2 terms of one trial (Methods eq 20), for pooling trials.

    For neuron i with sorted spike steps and ISIs I_1..I_m, the terms are
    ``2|I_{n+1} − I_n| / (I_{n+1} + I_n)``, n = 1..m−1; its CV2 is their mean
    (:func:`pcn_core.spikestats.cv2`). Summing terms and counts over trials and
    dividing pools the trials without an ISI across a trial boundary.

    Parameters
    ----------
    spike_steps, spike_neurons : (n_spikes,) int arrays
        Step index (>= 0) and neuron (in [0, N)) of each spike, any order.
    n_neurons : int
        N >= 1.

    Returns
    -------
    term_sums : (N,) float array
        Sum of each neuron's CV2 terms (dimensionless).
    term_counts : (N,) int64 array
        Number of terms (ISIs − 1, or 0).
    isi_counts : (N,) int64 array
        Number of ISIs (spikes − 1, or 0).

    Raises
    ------
    TypeError
        If a spike array is not 1-D of integers.
    ValueError
        Negative values, unequal lengths, neurons outside [0, N), ``n_neurons`` < 1, or a
        neuron with two spikes in one step (a zero ISI leaves CV2 undefined).

    See Also
    --------
    pooled_cv2 : the mean CV2 from these sums, pooled over trials.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §3.3, eq 20.

    Examples
    --------
    Neuron 0 fires regularly (ISIs 10, 10), neuron 1 does not (ISIs 10, 20):

    >>> import numpy as np
    >>> from pcn_core.koren import cv2_terms
    >>> steps = np.array([0, 10, 20, 0, 10, 30])
    >>> neurons = np.array([0, 0, 0, 1, 1, 1])
    >>> sums, terms, isis = cv2_terms(steps, neurons, 2)
    >>> np.round(sums, 3).tolist(), terms.tolist(), isis.tolist()    # 2·|20 − 10|/(20 + 10) = 0.667
    ([0.0, 0.667], [1, 1], [2, 2])
    """
    steps, neurons = np.asarray(spike_steps), np.asarray(spike_neurons)
    for name, a in (("spike_steps", steps), ("spike_neurons", neurons)):
        if a.ndim != 1 or not (a.size == 0 or np.issubdtype(a.dtype, np.integer)):
            raise TypeError(f"{name} must be a 1-D integer array, got shape {a.shape} and dtype {a.dtype}")
        if np.any(a < 0):
            raise ValueError(f"{name} must be >= 0")
    if steps.shape != neurons.shape:
        raise ValueError(f"spike_steps and spike_neurons must have equal lengths, got {steps.size}, {neurons.size}")
    if isinstance(n_neurons, bool) or not isinstance(n_neurons, numbers.Integral) or n_neurons < 1:
        raise ValueError(f"n_neurons must be an integer >= 1, got {n_neurons!r}")
    if neurons.size and neurons.max() >= n_neurons:
        raise ValueError(f"spike_neurons must be in [0, {int(n_neurons) - 1}], got {neurons.max()}")
    order = np.lexsort((steps, neurons))
    s, n = steps[order].astype(np.int64), neurons[order].astype(np.int64)
    same = n[1:] == n[:-1]                   # consecutive spikes of one neuron: an ISI
    isi = np.diff(s)
    if np.any(same & (isi == 0)):
        raise ValueError("a neuron has two spikes in one step (zero ISI): CV2 is undefined")
    isi_counts = np.bincount(n[1:][same], minlength=n_neurons)
    pair = same[:-1] & same[1:]              # two consecutive ISIs of one neuron: a CV2 term
    a, b = isi[:-1][pair].astype(float), isi[1:][pair].astype(float)
    owner = n[1:-1][pair]
    term_sums = np.bincount(owner, weights=2.0 * np.abs(b - a) / (a + b), minlength=n_neurons)
    term_counts = np.bincount(owner, minlength=n_neurons)
    return term_sums, term_counts.astype(np.int64), isi_counts.astype(np.int64)


def pooled_cv2(term_sums, term_counts, isi_counts, *, min_isis: int = 10,
               min_neurons: int = 20) -> tuple[float, int]:
    """Mean CV2 over neurons, each neuron's CV2 pooled over trials (koren2017.md §2.7 and C9.B1).

    Neuron i counts if it has >= ``min_isis`` ISIs in all trials together; its CV2 is the
    mean of all its terms (sum of ``term_sums`` / sum of ``term_counts``). With a single
    trial this is :func:`pcn_core.upstates.population_cv2`.

    Parameters
    ----------
    term_sums : (N,) or (R, N) array_like
        Finite sums >= 0 from :func:`cv2_terms` (one row per trial).
    term_counts, isi_counts : (N,) or (R, N) int arrays
        Counts >= 0, the shape of ``term_sums``.
    min_isis, min_neurons : int
        Minimum ISIs per counted neuron and minimum counted neurons, >= 1.

    Returns
    -------
    mean_cv2 : float
        Mean over the counted neurons (dimensionless; 1 for a Poisson process); NaN if fewer
        than ``min_neurons`` neurons count.
    n_neurons : int
        Number of neurons averaged.

    Raises
    ------
    ValueError
        Shapes differ, negative or non-finite values, non-integer counts, bad minimums.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Methods §3.3, eq 20 (mean CV2 across neurons); Fig 9A, B.

    Examples
    --------
    Two trials (rows) of two neurons: neuron 0 has terms 0 and 1, neuron 1 two terms of 2/3:

    >>> from pcn_core.koren import pooled_cv2
    >>> sums, terms, isis = [[0.0, 2 / 3], [1.0, 2 / 3]], [[1, 1], [1, 1]], [[2, 2], [2, 2]]
    >>> mean_cv2, n = pooled_cv2(sums, terms, isis, min_isis=4, min_neurons=2)
    >>> round(mean_cv2, 4), n    # (0.5 + 0.6667) / 2
    (0.5833, 2)
    >>> pooled_cv2(sums, terms, isis)    # defaults: >= 10 ISIs, >= 20 neurons
    (nan, 0)
    """
    sums = np.asarray(term_sums, dtype=float)
    terms, isis = np.asarray(term_counts), np.asarray(isi_counts)
    if sums.ndim not in (1, 2) or terms.shape != sums.shape or isis.shape != sums.shape:
        raise ValueError(f"term_sums, term_counts and isi_counts must have one (N,) or (R, N) shape, "
                         f"got {sums.shape}, {terms.shape}, {isis.shape}")
    for name, a in (("term_counts", terms), ("isi_counts", isis)):
        if not (a.size == 0 or np.issubdtype(a.dtype, np.integer)) or np.any(a < 0):
            raise ValueError(f"{name} must be integer counts >= 0")
    if not np.all(np.isfinite(sums)) or np.any(sums < 0):
        raise ValueError("term_sums must be finite and >= 0")
    for name, value in (("min_isis", min_isis), ("min_neurons", min_neurons)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if sums.ndim == 2:
        sums, terms, isis = sums.sum(0), terms.sum(0), isis.sum(0)
    valid = (isis >= min_isis) & (terms > 0)
    n_valid = int(valid.sum())
    if n_valid < min_neurons:
        return float("nan"), n_valid
    return float(np.mean(sums[valid] / terms[valid])), n_valid


def cv2_trial(*, linear_cost: float, quadratic_cost: float, noise: float, active: bool, weight_seed: int,
              seed: int, duration: float, warmup: float = TRIAL_WARMUP,
              input_amplitude: float = ALL_TO_ALL.input_amplitude) -> dict:
    """Per-neuron CV2 terms of one T2* trial (a :func:`pcn_core.sweep.run_sweep` cell function).

    The trial is :func:`trial`'s (same random streams for the same ``seed``, so the same
    spikes): ``warmup`` s dropped, then ``duration`` s analysed, T2* dt and δ, p_spike = 1.
    Pool cells with :func:`pooled_cv2` (C9.A1/B1: the optimum fires too rarely for one trial).

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    active : bool
        True: smoothed white-noise input of s.d. ``input_amplitude``; False: s ≡ 0.
    weight_seed, seed : int
        Seeds (>= 0) of the weights and of the trial (input and noise).
    duration, warmup : float
        Analysed and dropped time (s), > 0.
    input_amplitude : float
        A_s >= 0 (units of x per s).

    Returns
    -------
    dict
        ``term_sums``, ``term_counts``, ``isi_counts`` (N,) (:func:`cv2_terms`),
        ``spike_counts`` (N,) int64 analysed spikes per neuron, ``up_frequency`` (Up states per s,
        θ = 0.2 N in 2 steps, 10 ms merge gap), ``error`` and ``cost`` of the analysed part
        (:func:`error_and_cost`, as :func:`trial`).

    Raises
    ------
    ValueError, TypeError
        As :func:`trial`.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 9A, B; Methods §3.3, eq 20.

    Examples
    --------
    >>> from pcn_core.koren import cv2_trial, trial
    >>> kw = dict(linear_cost=5.0, quadratic_cost=5.0, noise=0.25, active=True, weight_seed=0, seed=1,
    ...           duration=0.2, warmup=0.1)
    >>> out = cv2_trial(**kw)
    >>> out["term_sums"].shape, out["spike_counts"].shape
    ((400,), (400,))
    >>> out["cost"] == trial(**kw)["cost"]    # the same trial as trial()
    True
    """
    p = ALL_TO_ALL
    duration = _positive_duration(duration, "duration")
    warmup = _positive_duration(warmup, "warmup")
    input_rng, noise_rng = _trial_streams(seed)
    n_warm, n_steps = int(round(warmup / p.dt)), int(round(duration / p.dt))
    net = network(weights(p.n_inputs, p.n_neurons, weight_seed),
                  linear_cost=validation.real(linear_cost, "linear_cost", low=0.0),
                  quadratic_cost=validation.real(quadratic_cost, "quadratic_cost", low=0.0))
    if active:
        command = input_signal((n_warm + n_steps) * p.dt, dt=p.dt, amplitude=input_amplitude, seed=input_rng)
    else:
        command = np.zeros((n_warm + n_steps, p.n_inputs))
    options = {"noise": noise, "record": "summary"}
    first = run(net, command[:n_warm], seed=noise_rng, **options)
    res = run(net, command[n_warm:], initial_state=first.final_state,
              spike_windows=[(n_warm * p.dt, (n_warm + n_steps) * p.dt)], **options)
    steps = np.round(res.spike_times / p.dt).astype(np.int64) - 1
    sums, terms, isis = cv2_terms(steps, res.spike_neurons.astype(np.int64), p.n_neurons)
    up = detect_up_states(res.population_counts, p.n_neurons, p.dt, threshold=p.up_threshold)
    error, cost = error_and_cost(res)
    return {"term_sums": sums, "term_counts": terms, "isi_counts": isis,
            "spike_counts": res.spike_counts.astype(np.int64), "up_frequency": up.frequency,
            "error": error, "cost": cost}


def quiet_steps(n_steps: int, onsets, offsets, *, before: int, after: int) -> np.ndarray:
    """Steps away from every event: farther than ``before`` steps ahead of any event onset and
    ``after`` steps past any event offset (C9.C1: "outside Up states", leaving the filtered
    rates and the read-out time to relax).

    Parameters
    ----------
    n_steps : int
        Record length (steps) >= 1.
    onsets, offsets : (E,) int arrays
        Inclusive event steps, ``0 <= onset <= offset < n_steps``.
    before, after : int
        Margins (steps) >= 0.

    Returns
    -------
    (n_steps,) bool array
        False on [onset − before, offset + after] of every event (clipped to the record).

    Raises
    ------
    ValueError
        Bad shapes, events out of range or reversed, negative or non-integer margins.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 9C (stimulus-driven activity of the ± subpopulations, outside Up states).

    Examples
    --------
    >>> from pcn_core.koren import quiet_steps
    >>> quiet_steps(10, [3], [4], before=1, after=2).astype(int).tolist()
    [1, 1, 0, 0, 0, 0, 0, 1, 1, 1]
    """
    if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or n_steps < 1:
        raise ValueError(f"n_steps must be an integer >= 1, got {n_steps!r}")
    for name, value in (("before", before), ("after", after)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0 (steps), got {value!r}")
    on, off = np.asarray(onsets), np.asarray(offsets)
    if on.shape != off.shape or on.ndim != 1 or not (on.size == 0 or np.issubdtype(on.dtype, np.integer)):
        raise ValueError("onsets and offsets must be 1-D integer arrays of equal length")
    if on.size and (on.min() < 0 or off.max() >= n_steps or np.any(off < on)):
        raise ValueError(f"events must satisfy 0 <= onset <= offset < n_steps = {n_steps}")
    mask = np.ones(int(n_steps), bool)
    for k0, k1 in zip(on, off):
        mask[max(0, k0 - before):k1 + after + 1] = False
    return mask


def up_state_decoding(estimate, rate_plus, rate_minus, onsets, offsets, *,
                      margin: int) -> tuple[np.ndarray, np.ndarray]:
    """Decoding of each Up state by the ± subpopulations of one dimension (Fig 9D; C9.D1, C9.D2).

    ``balance_e = |mean x̂₁| / std(x̂₁)`` over the event's steps onset..offset (a read-out that
    oscillates around 0 gives values near 0), and ``rate_corr_e = corr(ρ⁺, ρ⁻)`` over
    [onset − margin, offset + margin] clipped to the record (rates that rise and decay together
    give values near 1).

    Parameters
    ----------
    estimate : (n_steps,) array_like
        Finite read-out x̂₁ (units of x; e.g. ``estimate_plus + estimate_minus`` of
        :func:`pcn_core.upstates.subpopulation_readout`).
    rate_plus, rate_minus : (n_steps,) array_like
        Finite rates of the + and − subpopulations (Hz).
    onsets, offsets : (E,) int arrays
        Inclusive event steps within the record.
    margin : int
        Steps (>= 0) added on both sides for the rate correlation.

    Returns
    -------
    balance : (E,) float array
        Dimensionless; NaN where the read-out is constant or the event has one step.
    rate_corr : (E,) float array
        Pearson correlation; NaN where a rate is constant over the window.

    Raises
    ------
    ValueError
        Shapes differ, non-finite traces, events out of range / reversed, bad margin.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 9D and Results, section Up-states and efficient coding (“+ and − neurons are
       recruited in alternation ... an estimate that is oscillating around zero”).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import up_state_decoding
    >>> estimate = np.zeros(20)
    >>> estimate[5:11] = [1, -1, 1, -1, 1, -1]    # read-out oscillating around 0
    >>> rate_minus = np.zeros(20)
    >>> rate_minus[5:11] = [1, 2, 3, 3, 2, 1]
    >>> balance, rate_corr = up_state_decoding(estimate, 2 * rate_minus, rate_minus, [5], [10], margin=2)
    >>> balance.tolist(), np.round(rate_corr, 6).tolist()
    ([0.0], [1.0])
    """
    x = np.asarray(estimate, dtype=float)
    rp, rm = np.asarray(rate_plus, dtype=float), np.asarray(rate_minus, dtype=float)
    if x.ndim != 1 or x.size == 0 or rp.shape != x.shape or rm.shape != x.shape:
        raise ValueError(f"estimate, rate_plus and rate_minus must be (n_steps,), got {x.shape}, {rp.shape}, "
                         f"{rm.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(rp)) and np.all(np.isfinite(rm))):
        raise ValueError("estimate, rate_plus and rate_minus must be finite")
    if isinstance(margin, bool) or not isinstance(margin, numbers.Integral) or margin < 0:
        raise ValueError(f"margin must be an integer >= 0 (steps), got {margin!r}")
    quiet_steps(x.size, onsets, offsets, before=margin, after=margin)   # validates the events
    on, off = np.asarray(onsets, dtype=np.int64), np.asarray(offsets, dtype=np.int64)
    balance, rate_corr = np.full(on.size, np.nan), np.full(on.size, np.nan)
    for e, (k0, k1) in enumerate(zip(on, off)):
        inside = x[k0:k1 + 1]
        if inside.size > 1 and inside.std() > 0:
            balance[e] = abs(inside.mean()) / inside.std()
        lo, hi = max(0, k0 - margin), min(x.size, k1 + margin + 1)
        a, b = rp[lo:hi], rm[lo:hi]
        if a.size > 1 and a.std() > 0 and b.std() > 0:
            rate_corr[e] = float(np.corrcoef(a, b)[0, 1])
    return balance, rate_corr


# --- Fig 8 ---
# Optima of Total-error sweeps over (σ, ν) and (A_s, ν) grids, and the network-size check of the text
# ("robust to changes in network size"). The sweeps themselves use :func:`trial`.

def optimal_costs(grid_values, error, cost, *, alpha: float = 1.0, beta: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Optimal grid value of every row of a swept grid, from trial means of error and cost.

    For each leading index (e.g. one noise level σ), the error and cost are averaged over trials
    (last axis) and :func:`pcn_core.upstates.optimum` picks the grid value minimising
    α⟨error⟩ + β⟨cost⟩ (ties to the lower cost, then the earlier grid value). ``beta = 0`` gives
    the error-only optimum (Fig 8B, red).

    Parameters
    ----------
    grid_values : (K,) array_like
        Finite grid (e.g. the linear costs ν).
    error, cost : (..., K, R) array_like
        Finite, >= 0: per grid value and trial (R >= 1 trials); error dimensionless, cost in
        spikes per step (:func:`error_and_cost`).
    alpha, beta : float
        Weights >= 0 of the total error (1 and 1 in the paper).

    Returns
    -------
    values : (...) float array
        The optimal grid value of each row.
    indices : (...) int array
        Its index in ``grid_values``.

    Raises
    ------
    ValueError
        Shapes that do not match (or no trial axis), non-finite grid, negative or non-finite
        error/cost, negative weights.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       eq 27 (Total error) and Fig 8B–D (optimal ν against σ and input strength).

    Examples
    --------
    Two rows (e.g. two σ), three grid values, one trial:

    >>> import numpy as np
    >>> from pcn_core.koren import optimal_costs
    >>> error = np.array([[1.0, 0.5, 0.45], [1.0, 0.9, 0.3]])[..., None]
    >>> cost = np.array([[1.0, 0.2, 0.5], [0.5, 0.3, 0.1]])[..., None]
    >>> values, indices = optimal_costs([0.0, 1.0, 2.0], error, cost)    # totals 2, 0.7, 0.95 in row 0
    >>> values.tolist(), indices.tolist()
    ([1.0, 2.0], [1, 2])
    >>> optimal_costs([0.0, 1.0, 2.0], error, cost, beta=0.0)[0].tolist()    # error only
    [2.0, 2.0]
    """
    from .upstates import optimum

    grid = np.asarray(grid_values, dtype=float)
    e, c = np.asarray(error, dtype=float), np.asarray(cost, dtype=float)
    if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid)):
        raise ValueError(f"grid_values must be a finite 1-D array, got shape {grid.shape}")
    if e.ndim < 2 or e.shape != c.shape or e.shape[-2] != grid.size or e.shape[-1] < 1:
        raise ValueError(f"error and cost must both be (..., K={grid.size}, R>=1), got {e.shape} and {c.shape}")
    e_mean, c_mean = e.mean(axis=-1), c.mean(axis=-1)
    rows = e_mean.shape[:-1]
    values, indices = np.empty(rows), np.empty(rows, dtype=np.int64)
    for row in np.ndindex(*rows):
        values[row], indices[row] = optimum(grid, e_mean[row], c_mean[row], alpha=alpha, beta=beta)
    return values, indices


# --- Figs 11, 12 ---
# Fig 11: the three-epoch trial (+|c|, −|c|, 0) at suboptimal costs, summarised. Fig 12: one
# quiescent run with its spikes, cross-correlograms by pair class (koren2017.md §2.10), the onset
# of each ring segment in each Up state and the wave-onset regression (§2.11), and the fast
# membrane oscillation of a few recorded neurons (§3 Fig 12 D).


def polarity_groups(params: TopographicParameters = TOPOGRAPHIC) -> np.ndarray:
    """Group of each neuron by polarity, 0 = ON (even indices), 1 = OFF (odd), for ``groups=``.

    Parameters
    ----------
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    (N,) int array
        0 or 1 per neuron.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 11 (ON and OFF cells recruited equally in Up states).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import polarity_groups
    >>> g = polarity_groups()
    >>> g[:4].tolist(), np.bincount(g).tolist()
    ([0, 1, 0, 1], [200, 200])
    """
    return np.tile(np.array([0, 1]), params.n_positions)


def topographic_epochs_cell(*, linear_cost: float, quadratic_cost: float, spike_failure: float, seed: int,
                            epoch_duration: float, warmup: float = TRIAL_WARMUP, noise: float = TOPOGRAPHIC.noise,
                            chunk_duration: float = 1.0) -> dict:
    """Fig 11 statistics: one trial of :func:`three_epochs` (+|c|, −|c|, then quiescent), summarised.

    The trial is ``3 · epoch_duration`` s long, simulated in chunks of ``chunk_duration`` s
    continued exactly (summary record with ON/OFF group counts and x, x̂ after every step, reduced
    chunk by chunk to running sums, so memory does not grow with the duration). Analysed: the
    active state from ``warmup`` s after the start of the trial to the end of the negative epoch
    (both active epochs together; x starts at 0, nothing is dropped at the sign switch), and the
    quiescent epoch without its first ``warmup`` s (x relaxes to 0 at rate λ). Up states are the
    global ones of :func:`topographic_up_states` (θ = 0.2 of the N neurons within W = 2δ),
    detected per state. Besides the per-step read-out x̂, its causal mean over one ping-pong
    cycle (the last W = 2δ steps) is summarised too: the fast ON/OFF alternation of an Up
    state cancels in it.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    spike_failure : float
        1 − p_spike in [0, 1].
    seed : int
        Seed (>= 0) of the input realisation and of the noise (independent streams).
    epoch_duration : float
        Time (s) per epoch, > ``warmup``.
    warmup : float
        Time (s) >= 0 dropped at the start and after the switch to quiescence.
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    chunk_duration : float
        Length (s) > 0 of the simulated pieces (memory only; results do not depend on it).

    Returns
    -------
    dict
        For ``state`` in (active, quiescent): ``up_frequency_<state>`` (Up states per s),
        ``up_percent_time_<state>`` (%), ``n_events_<state>``, ``rate_<state>`` (Hz per neuron),
        ``peak_fraction_<state>`` (array, per event, max over the event of the fraction of the N
        neurons spiking in one step), ``estimate_norm_<state>`` and ``cycle_estimate_norm_<state>``
        (mean ‖x̂‖₂ per step, of the per-step and cycle-averaged read-out, units of x);
        ``target_norm_active`` (mean ‖x‖₂); ``estimate_correlation`` and
        ``cycle_estimate_correlation`` (Pearson correlation of x̂, resp. cycle-averaged x̂, with x
        over pixels × analysed active steps); ``on_off_imbalance_quiescent`` (array, per quiescent
        event, |n_ON − n_OFF| / (n_ON + n_OFF) of its spikes).

    Raises
    ------
    ValueError, TypeError
        Negative costs or σ, failure outside [0, 1], ``epoch_duration <= warmup``, bad seed or
        chunk_duration.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 11 and Results, section Traveling waves ... (“Up states recruit equally ON and
       OFF cells, they have a minimal impact on the representation”).

    Examples
    --------
    The chunk length changes memory, not results:

    >>> from pcn_core.koren import topographic_epochs_cell
    >>> kw = dict(linear_cost=12.0, quadratic_cost=12.0, spike_failure=0.0, seed=0, epoch_duration=0.06,
    ...           warmup=0.02)
    >>> a = topographic_epochs_cell(chunk_duration=0.05, **kw)
    >>> b = topographic_epochs_cell(chunk_duration=1.0, **kw)
    >>> len(a)
    18
    >>> bool(a["rate_active"] == b["rate_active"])
    True
    >>> bool(abs(a["estimate_correlation"] - b["estimate_correlation"]) < 1e-12)
    True
    """
    p = TOPOGRAPHIC
    epoch = int(round(_positive_duration(epoch_duration, "epoch_duration") / p.dt))
    warm = int(round(validation.real(warmup, "warmup", low=0.0) / p.dt))
    if epoch <= warm:
        raise ValueError(f"epoch_duration must be longer than warmup={warmup} s, got {epoch_duration}")
    chunk = max(1, int(round(_positive_duration(chunk_duration, "chunk_duration") / p.dt)))
    input_rng, noise_rng = _trial_streams(seed)
    command = topographic_input(three_epochs(topographic_signal(3 * epoch * p.dt, seed=input_rng)))
    net = topographic_network(linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    options = {"noise": noise, "dt": p.dt, "synaptic_delay": p.synaptic_delay,
               "spike_failure": validation.real(spike_failure, "spike_failure", low=0.0, high=1.0),
               "record": "summary", "groups": polarity_groups(), "trajectory_every": 1}
    windows = {"active": (warm, 2 * epoch), "quiescent": (2 * epoch + warm, 3 * epoch)}
    cycle = p.up_window_steps
    sums = {name: np.zeros(4) for name in windows}  # steps, Σ‖x‖, Σ‖x̂‖, Σ‖cycle-averaged x̂‖
    moments = {name: np.zeros(6) for name in ("step", "cycle")}  # n, Σx, Σy, Σx², Σy², Σxy (active)
    counts, polarity = [], []
    previous, state = None, None
    for lo in range(0, 3 * epoch, chunk):
        hi = min(lo + chunk, 3 * epoch)
        res = run(net, command[lo:hi], seed=noise_rng if lo == 0 else None,
                  initial_state=None if lo == 0 else state, **options)
        state = res.final_state
        counts.append(res.population_counts)
        polarity.append(res.group_counts)
        est = res.estimate if previous is None else np.vstack([previous, res.estimate])
        csum = np.vstack([np.zeros((1, est.shape[1])), np.cumsum(est, axis=0)])
        ends = np.arange(est.shape[0] - res.n_steps + 1, est.shape[0] + 1)
        cycle_est = (csum[ends] - csum[np.maximum(ends - cycle, 0)]) / np.minimum(ends, cycle)[:, None]
        previous = est[-(cycle - 1):] if cycle > 1 else None
        steps = np.arange(lo, hi)
        for name, (a, b) in windows.items():
            rows = (steps >= a) & (steps < b)
            if not rows.any():
                continue
            x, y, yc = res.target[rows], res.estimate[rows], cycle_est[rows]
            sums[name][:4] += (rows.sum(), np.linalg.norm(x, axis=1).sum(), np.linalg.norm(y, axis=1).sum(),
                               np.linalg.norm(yc, axis=1).sum())
            if name == "active":
                for key, z in (("step", y), ("cycle", yc)):
                    moments[key] += (x.size, x.sum(), z.sum(), (x * x).sum(), (z * z).sum(), (x * z).sum())
    counts, polarity = np.concatenate(counts), np.vstack(polarity).astype(np.int64)
    out = {}
    for name, (lo, hi) in windows.items():
        n_k = counts[lo:hi]
        up = detect_up_states(n_k, p.n_neurons, p.dt, threshold=p.up_threshold, window_steps=p.up_window_steps)
        out[f"up_frequency_{name}"] = up.frequency
        out[f"up_percent_time_{name}"] = up.percent_time
        out[f"n_events_{name}"] = up.n_events
        out[f"rate_{name}"] = n_k.sum() / (p.n_neurons * n_k.size * p.dt)
        out[f"peak_fraction_{name}"] = np.asarray(up.peak_fraction, dtype=float)
        n, norm_x, norm_y, norm_yc = sums[name][:4]
        out[f"estimate_norm_{name}"], out[f"cycle_estimate_norm_{name}"] = norm_y / n, norm_yc / n
        if name == "active":
            out["target_norm_active"] = norm_x / n
            for key, prefix in (("step", ""), ("cycle", "cycle_")):
                m, sx, sy, sxx, syy, sxy = moments[key]
                cov = sxy / m - sx * sy / m ** 2
                out[f"{prefix}estimate_correlation"] = cov / math.sqrt(
                    (sxx / m - (sx / m) ** 2) * (syy / m - (sy / m) ** 2))
        else:
            csum = np.vstack([np.zeros((1, 2), np.int64), np.cumsum(polarity[lo:hi], axis=0)])
            on_off = csum[up.offsets + 1] - csum[up.onsets]              # (n_events, 2) spikes per polarity
            with np.errstate(invalid="ignore", divide="ignore"):
                out["on_off_imbalance_quiescent"] = np.abs(on_off[:, 0] - on_off[:, 1]) / on_off.sum(axis=1)
    return out


def topographic_quiescent_cell(*, linear_cost: float, quadratic_cost: float, spike_failure: float, seed: int,
                               duration: float, warmup: float = TRIAL_WARMUP, noise: float = TOPOGRAPHIC.noise,
                               record_neurons=()) -> dict:
    """Fig 12 B–D: one quiescent run (no input) with every spike, per-segment counts and a few voltages.

    ``warmup`` s (dropped: V starts at 0) then ``duration`` s analysed, continued exactly.

    Parameters
    ----------
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    spike_failure : float
        1 − p_spike in [0, 1].
    seed : int
        Seed (>= 0) of the noise.
    duration, warmup : float
        Analysed and dropped time (s), > 0.
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    record_neurons : sequence of int
        Neuron indices in [0, N) whose V is recorded after every analysed step.

    Returns
    -------
    dict of arrays
        Over the analysed steps (step 0 = first analysed step): ``population_counts``
        (n_steps,), ``segment_counts`` (n_steps, n_segments), ``spike_steps``, ``spike_neurons``
        (every spike, in emission order), ``voltages`` (n_steps, len(record_neurons), voltage
        units) and ``record_neurons``.

    Raises
    ------
    ValueError, TypeError
        As :func:`topographic_cell`; ``record_neurons`` not integer indices in [0, N).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12B–D (cross-correlograms, travelling waves, membrane potentials).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import topographic_quiescent_cell
    >>> out = topographic_quiescent_cell(linear_cost=4.0, quadratic_cost=4.0, spike_failure=0.0, seed=0,
    ...                                  duration=0.1, warmup=0.02, record_neurons=[0, 1])
    >>> out["voltages"].shape, out["segment_counts"].shape
    ((100, 2), (100, 20))
    >>> int(out["population_counts"].sum()) == out["spike_steps"].size    # every spike is kept
    True
    >>> bool(np.array_equal(out["segment_counts"].sum(axis=1), out["population_counts"]))
    True
    """
    p = TOPOGRAPHIC
    warm = int(round(_positive_duration(warmup, "warmup") / p.dt))
    steps = int(round(_positive_duration(duration, "duration") / p.dt))
    neurons = np.asarray(record_neurons, dtype=np.int64).reshape(-1)
    if np.any(neurons < 0) or np.any(neurons >= p.n_neurons) or not np.array_equal(
            neurons, np.asarray(record_neurons).reshape(-1)):
        raise ValueError(f"record_neurons must be integer indices in [0, {p.n_neurons}), got {record_neurons!r}")
    _, noise_rng = _trial_streams(seed)
    net = topographic_network(linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    options = {"noise": noise, "dt": p.dt, "synaptic_delay": p.synaptic_delay,
               "spike_failure": validation.real(spike_failure, "spike_failure", low=0.0, high=1.0),
               "record": "summary"}
    zeros = topographic_input(np.zeros(warm + steps))
    first = run(net, zeros[:warm], seed=noise_rng, **options)
    t0 = warm * p.dt
    res = run(net, zeros[warm:], initial_state=first.final_state, groups=segment_groups(),
              spike_windows=[(t0, t0 + steps * p.dt)], record_voltages=[int(i) for i in neurons], **options)
    spike_steps = np.round(res.spike_times / p.dt).astype(np.int64) - 1 - res.start_step
    return {"population_counts": res.population_counts, "segment_counts": res.group_counts,
            "spike_steps": spike_steps, "spike_neurons": np.asarray(res.spike_neurons, dtype=np.int64),
            "voltages": res.voltages, "record_neurons": neurons}


def topographic_pairs(params: TopographicParameters = TOPOGRAPHIC) -> dict:
    """Neuron pairs of the three classes of Fig 12B (koren2017.md §2.10), on the ring.

    Parameters
    ----------
    params : TopographicParameters
        Layer parameters (default :data:`TOPOGRAPHIC`).

    Returns
    -------
    dict of (n_pairs, 2) int arrays
        Neuron indices (ON_k = 2k, OFF_k = 2k + 1): ``same`` (ON_k, ON_k+1) and
        (OFF_k, OFF_k+1); ``opposite`` (ON_k, OFF_k), (ON_k, OFF_k+1) and (ON_k, OFF_k−1);
        ``distant`` (ON_k, ON_k+n/2) for k < n/2 (diametrically opposite, each pair once).
        Position indices wrap around the ring.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12B (neighbours of same and opposite selectivity, distant cells).

    Examples
    --------
    >>> from pcn_core.koren import topographic_pairs
    >>> pairs = topographic_pairs()
    >>> {name: p.shape for name, p in pairs.items()}
    {'same': (400, 2), 'opposite': (600, 2), 'distant': (100, 2)}
    >>> pairs["same"][0].tolist(), pairs["opposite"][0].tolist(), pairs["distant"][0].tolist()
    ([0, 2], [0, 1], [0, 200])
    """
    n = params.n_positions
    k = np.arange(n)
    on, off = 2 * k, 2 * k + 1
    nxt, prev = (k + 1) % n, (k - 1) % n
    return {"same": np.vstack([np.column_stack((on, on[nxt])), np.column_stack((off, off[nxt]))]),
            "opposite": np.vstack([np.column_stack((on, off)), np.column_stack((on, off[nxt])),
                                   np.column_stack((on, off[prev]))]),
            "distant": np.column_stack((on[: n // 2], on[(k[: n // 2] + n // 2) % n]))}


def pair_correlogram(spike_steps, spike_neurons, n_steps: int, pairs, max_lag: int):
    """Cross-correlogram summed over neuron pairs, from per-step spike trains.

    For each pair (a, b), ``C_ab(l) = Σ_k a_k b_{k+l}`` with a_k the number of spikes of neuron a
    in step k (as :func:`pcn_core.spikestats.cross_correlogram`: positive lags count spikes of b
    after spikes of a); steps k + l outside [0, n_steps) count as empty.

    Parameters
    ----------
    spike_steps, spike_neurons : (n_spikes,) int arrays
        Step in [0, n_steps) and neuron (>= 0) of each spike.
    n_steps : int
        Length of the record (steps) >= 1.
    pairs : (n_pairs, 2) int array
        Neuron indices (a, b) >= 0.
    max_lag : int
        Largest lag (steps), in [0, n_steps).

    Returns
    -------
    lags : (2·max_lag + 1,) int array
        Lags (steps).
    correlogram : (2·max_lag + 1,) float array
        Σ over pairs of C_ab(l) (coincidences).
    norm : float
        Σ over pairs of √(n_a n_b) (n = spikes of the neuron): divide by it to normalise.

    Raises
    ------
    ValueError
        Mismatched or non-integer spikes, steps outside the record, bad pairs or max_lag.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12B (cross-correlograms of quiescent spiking).

    Examples
    --------
    Neuron 1 fires one step after neuron 0, twice:

    >>> import numpy as np
    >>> from pcn_core.koren import pair_correlogram
    >>> steps, neurons = np.array([2, 5, 3, 6]), np.array([0, 0, 1, 1])
    >>> lags, correlogram, norm = pair_correlogram(steps, neurons, 10, np.array([[0, 1]]), 2)
    >>> lags.tolist(), correlogram.tolist(), norm
    ([-2, -1, 0, 1, 2], [1.0, 0.0, 0.0, 2.0, 0.0], 2.0)
    """
    steps = np.asarray(spike_steps)
    neurons = np.asarray(spike_neurons)
    if steps.ndim != 1 or steps.shape != neurons.shape:
        raise ValueError(f"spike_steps and spike_neurons must be 1-D of equal length, got {steps.shape}, {neurons.shape}")
    if (steps.size and (not np.issubdtype(steps.dtype, np.integer) or not np.issubdtype(neurons.dtype, np.integer))):
        raise ValueError("spike_steps and spike_neurons must be integer arrays")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 1:
        raise ValueError(f"n_steps must be an integer >= 1, got {n_steps!r}")
    if steps.size and (steps.min() < 0 or steps.max() >= n_steps or neurons.min() < 0):
        raise ValueError(f"spike_steps must lie in [0, {n_steps}) and spike_neurons be >= 0")
    pairs = np.asarray(pairs)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or not np.issubdtype(pairs.dtype, np.integer) or np.any(pairs < 0):
        raise ValueError(f"pairs must be an (n_pairs, 2) array of neuron indices >= 0, got shape {pairs.shape}")
    if isinstance(max_lag, bool) or not isinstance(max_lag, (int, np.integer)) or not 0 <= max_lag < n_steps:
        raise ValueError(f"max_lag must be an integer in [0, {n_steps}), got {max_lag!r}")
    order = np.argsort(neurons, kind="stable")
    by_neuron = steps[order]
    n_neurons = int(max(neurons.max() + 1 if neurons.size else 0, pairs.max() + 1))
    ptr = np.searchsorted(neurons[order], np.arange(n_neurons + 1))
    lags = np.arange(-max_lag, max_lag + 1)
    total = np.zeros(lags.size)
    norm = 0.0
    for a, b in pairs:
        a_steps, b_steps = by_neuron[ptr[a]:ptr[a + 1]], by_neuron[ptr[b]:ptr[b + 1]]
        norm += math.sqrt(a_steps.size * b_steps.size)
        if not a_steps.size or not b_steps.size:
            continue
        padded = np.bincount(b_steps + max_lag, minlength=n_steps + 2 * max_lag)
        total += padded[a_steps[:, None] + max_lag + lags[None, :]].sum(axis=0)
    return lags, total, norm


class CorrelogramSummary(NamedTuple):
    """Normalised correlogram of a pair class and its modulation (koren2017.md §2.10).

    Returned by :func:`correlogram_summary`.

    Attributes
    ----------
    lags : (L,) float array
        Lags (ms).
    normalised : (L,) float array
        C(l) / Σ √(n_a n_b) (coincidences per geometric-mean spike count).
    baseline : float
        Mean of ``normalised`` over the baseline lags (NaN if undefined).
    relative : (L,) float array
        ``normalised / baseline`` (NaN if the baseline is not > 0).
    modulation_index : float
        (max − min) / (max + min) of ``normalised`` over the modulation lags (NaN if undefined).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12B.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import CorrelogramSummary, correlogram_summary
    >>> lags = np.arange(-25, 26)
    >>> summary = correlogram_summary(lags, np.where(lags == 0, 3.0, 1.0), 2.0)
    >>> isinstance(summary, CorrelogramSummary), summary.baseline, summary.modulation_index
    (True, 0.5, 0.5)
    """
    lags: np.ndarray          #: ms
    normalised: np.ndarray    #: C(l) / Σ √(n_a n_b)
    baseline: float           #: mean of ``normalised`` over the baseline lags
    relative: np.ndarray      #: normalised / baseline
    modulation_index: float   #: (max − min) / (max + min) over |l| <= the modulation lags


def correlogram_summary(lags, correlogram, norm: float, dt: float = TOPOGRAPHIC.dt, *,
                        baseline_lags: tuple[float, float] = (15e-3, 25e-3),
                        modulation_lag: float = 10e-3) -> CorrelogramSummary:
    """Normalise a summed correlogram (:func:`pair_correlogram`) and measure its modulation.

    Parameters
    ----------
    lags : (L,) int array
        Lags (steps).
    correlogram : (L,) array_like
        Coincidences per lag.
    norm : float
        Σ √(n_a n_b) over the pairs, > 0.
    dt : float
        Step (s) > 0.
    baseline_lags : tuple of float
        (low, high) (s): the baseline is the mean over low <= |lag| <= high.
    modulation_lag : float
        MI = (max − min)/(max + min) over |lag| <= this (s).

    Returns
    -------
    CorrelogramSummary
        Lags in ms; NaN baseline/MI where undefined (e.g. no coincidences).

    Raises
    ------
    ValueError
        Shapes differ, norm not > 0, no lag inside the baseline or modulation range.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12B (same-selectivity neighbours in phase, opposite ones in anti-phase).

    Examples
    --------
    A peak of 3 coincidences at lag 0 on a flat 1, lags of 1 ms:

    >>> import numpy as np
    >>> from pcn_core.koren import correlogram_summary
    >>> lags = np.arange(-25, 26)
    >>> s = correlogram_summary(lags, np.where(lags == 0, 3.0, 1.0), norm=2.0)
    >>> s.baseline, s.modulation_index, float(s.relative[25]), float(s.lags[-1])    # MI = (1.5 − 0.5)/(1.5 + 0.5)
    (0.5, 0.5, 3.0, 25.0)
    """
    lags = np.asarray(lags)
    c = np.asarray(correlogram, dtype=float)
    if lags.ndim != 1 or lags.shape != c.shape:
        raise ValueError(f"lags and correlogram must be 1-D of equal length, got {lags.shape}, {c.shape}")
    norm = _positive_real(norm, "norm")
    dt = _positive_real(dt, "dt")
    seconds = np.abs(lags) * dt
    base = (seconds >= baseline_lags[0] - 1e-12) & (seconds <= baseline_lags[1] + 1e-12)
    core = seconds <= modulation_lag + 1e-12
    if not base.any() or not core.any():
        raise ValueError("no lag falls inside baseline_lags or within modulation_lag")
    normalised = c / norm
    baseline = float(normalised[base].mean())
    hi, lo = normalised[core].max(), normalised[core].min()
    with np.errstate(invalid="ignore", divide="ignore"):
        mi = float((hi - lo) / (hi + lo)) if hi + lo > 0 else math.nan
        relative = normalised / baseline if baseline > 0 else np.full_like(normalised, np.nan)
    return CorrelogramSummary(lags * dt * 1e3, normalised, baseline, relative, mi)


def segment_onsets(group_counts, onsets, offsets, *, bin_steps: int = 2, min_spikes: int = 4) -> np.ndarray:
    """Onset of each group (ring segment) in each event (koren2017.md §2.11).

    Steps from the event's onset are cut in bins of ``bin_steps``; a group's onset is the start
    of its first bin inside [onset, offset] with at least ``min_spikes`` spikes (the last bin may
    be shorter).

    Parameters
    ----------
    group_counts : (n_steps, G) int array
        Spikes (>= 0) per step and group.
    onsets, offsets : (n_events,) int arrays
        Inclusive step indices of the events (e.g. ``UpStates``), inside the record.
    bin_steps : int
        Bin length (steps) >= 1 (2 steps = 2 ms).
    min_spikes : int
        Spikes per bin >= 1 (4 = 20 % of a segment's 20 neurons).

    Returns
    -------
    (n_events, G) float array
        Onset in steps from the event onset, NaN where a group is not recruited.

    Raises
    ------
    ValueError
        Bad shapes, events outside the record or with offset < onset, bad bin/threshold.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12C (an Up state travelling through the layer).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import segment_onsets
    >>> counts = np.zeros((10, 2), dtype=int)
    >>> counts[2, 0] = 4    # segment 0 recruited at the event onset
    >>> counts[6, 1] = 4    # segment 1 four steps later
    >>> segment_onsets(counts, np.array([2]), np.array([9]))
    array([[0., 4.]])
    """
    counts = np.asarray(group_counts)
    if counts.ndim != 2 or not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 0):
        raise ValueError(f"group_counts must be a 2-D array of integer counts >= 0, got shape {counts.shape}")
    on, off = np.asarray(onsets), np.asarray(offsets)
    if on.ndim != 1 or on.shape != off.shape or (on.size and (
            not np.issubdtype(on.dtype, np.integer) or not np.issubdtype(off.dtype, np.integer)
            or on.min() < 0 or off.max() >= counts.shape[0] or np.any(off < on))):
        raise ValueError("onsets and offsets must be equal-length integer steps inside the record, offset >= onset")
    for value, name in ((bin_steps, "bin_steps"), (min_spikes, "min_spikes")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    out = np.full((on.size, counts.shape[1]), np.nan)
    for e, (a, b) in enumerate(zip(on, off)):
        event = counts[a:b + 1]
        starts = np.arange(0, event.shape[0], bin_steps)
        binned = np.add.reduceat(event, starts, axis=0)                 # (n_bins, G)
        hit = binned >= min_spikes
        first = hit.argmax(axis=0)
        out[e] = np.where(hit.any(axis=0), starts[first], np.nan)
    return out


class WaveOnsets(NamedTuple):
    """Wave-onset regression of each event (koren2017.md §2.11); NaN where undefined.

    Returned by :func:`wave_onset_regression`; one entry per event in each field.

    Attributes
    ----------
    origin : (n_events,) int array
        Segment with the earliest onset (−1 if none recruited).
    slope : (n_events,) float array
        ms of onset latency per segment of circular distance from the origin.
    speed : (n_events,) float array
        Positions per ms, ``positions_per_segment / slope``.
    r_squared : (n_events,) float array
        R² of the linear regression.
    fraction_recruited : (n_events,) float array
        Recruited segments / all segments.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12C.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import WaveOnsets, wave_onset_regression
    >>> fit = wave_onset_regression(np.array([[0.0, 2.0, 4.0, 2.0]]))
    >>> isinstance(fit, WaveOnsets), fit.origin.tolist(), np.round(fit.slope, 6).tolist()
    (True, [0], [2.0])
    """
    origin: np.ndarray              #: segment with the earliest onset (−1 if none recruited)
    slope: np.ndarray               #: ms of onset latency per segment of circular distance from the origin
    speed: np.ndarray               #: positions per ms, positions_per_segment / slope
    r_squared: np.ndarray           #: of the linear regression
    fraction_recruited: np.ndarray  #: recruited segments / all segments


def wave_onset_regression(onsets, dt: float = TOPOGRAPHIC.dt, *,
                          positions_per_segment: float = TOPOGRAPHIC.n_positions / TOPOGRAPHIC.n_segments,
                          min_segments: int = 3) -> WaveOnsets:
    """Regress each event's segment onset latency on circular distance from its origin segment.

    Parameters
    ----------
    onsets : (n_events, G) array_like
        Onsets (steps from the event onset, >= 0) of the G >= 2 segments in ring order, NaN =
        not recruited (:func:`segment_onsets`).
    dt : float
        Step (s) > 0.
    positions_per_segment : float
        Neuron positions per segment, > 0 (10 on the 200-position ring).
    min_segments : int
        >= 2; fewer recruited segments give NaN slope, speed and R².

    Returns
    -------
    WaveOnsets
        The origin is the earliest segment (the first in ring order among ties);
        distance = min(|g − origin|, G − |g − origin|) segments; latency in ms. A constant
        latency gives slope 0, infinite speed and R² 0.

    Raises
    ------
    ValueError
        ``onsets`` not 2-D with G >= 2, negative onsets, bad dt, positions_per_segment or
        min_segments.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12C and Results, section Traveling waves ... (Up states “take the form of a
       traveling wave”).

    Examples
    --------
    A wave leaving segment 0 in both directions at one segment per 2 ms, and an event that
    recruits a single segment:

    >>> import numpy as np
    >>> from pcn_core.koren import wave_onset_regression
    >>> onsets = np.array([[0.0, 2.0, 4.0, 2.0],
    ...                    [np.nan, np.nan, 0.0, np.nan]])
    >>> fit = wave_onset_regression(onsets)
    >>> fit.origin.tolist(), np.round(fit.slope, 6).tolist(), np.round(fit.speed, 6).tolist()
    ([0, 2], [2.0, nan], [5.0, nan])
    >>> fit.fraction_recruited.tolist()
    [1.0, 0.25]
    """
    from scipy.stats import linregress

    t = np.asarray(onsets, dtype=float)
    if t.ndim != 2 or t.shape[1] < 2 or np.any(t[np.isfinite(t)] < 0):
        raise ValueError(f"onsets must be (n_events, G >= 2) with values >= 0 or NaN, got shape {t.shape}")
    dt = _positive_real(dt, "dt")
    positions_per_segment = _positive_real(positions_per_segment, "positions_per_segment")
    if isinstance(min_segments, bool) or not isinstance(min_segments, (int, np.integer)) or min_segments < 2:
        raise ValueError(f"min_segments must be an integer >= 2, got {min_segments!r}")
    n_events, n_groups = t.shape
    origin = np.full(n_events, -1)
    slope, speed, r2 = (np.full(n_events, np.nan) for _ in range(3))
    recruited = np.isfinite(t)
    fraction = recruited.mean(axis=1)
    for e in range(n_events):
        if not recruited[e].any():
            continue
        origin[e] = int(np.nanargmin(t[e]))
        g = np.flatnonzero(recruited[e])
        distance = np.abs(g - origin[e])
        distance = np.minimum(distance, n_groups - distance)
        latency = t[e, g] * dt * 1e3
        if g.size < min_segments or np.ptp(distance) == 0:
            continue
        if np.ptp(latency) == 0:
            slope[e], speed[e], r2[e] = 0.0, math.inf, 0.0
            continue
        fit = linregress(distance, latency)
        slope[e], r2[e] = fit.slope, fit.rvalue ** 2
        speed[e] = positions_per_segment / fit.slope if fit.slope != 0 else math.inf
    return WaveOnsets(origin, slope, speed, r2, fraction)


def dominant_frequency(trace, dt: float = TOPOGRAPHIC.dt, *, min_frequency: float = 20.0) -> float:
    """Frequency of the largest peak of a trace's periodogram (linear trend removed), at or
    above ``min_frequency`` (the slow relaxation of V is not an oscillation).

    Parameters
    ----------
    trace : (n,) array_like
        Finite samples, n >= 8, one per step (e.g. V of one neuron).
    dt : float
        Step (s) > 0.
    min_frequency : float
        Lowest frequency considered (Hz), >= 0.

    Returns
    -------
    float
        Frequency (Hz) on the periodogram's grid (spacing 1/(n·dt)).

    Raises
    ------
    ValueError
        ``trace`` not 1-D finite with >= 8 samples; no frequency in [min_frequency, Nyquist].

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12D (fast oscillation of the membrane potentials during a wave).

    Examples
    --------
    A 200 Hz oscillation on a stronger 5 Hz swing and a drift, 0.5 s at 1 ms:

    >>> import numpy as np
    >>> from pcn_core.koren import dominant_frequency
    >>> t = np.arange(500) * 1e-3
    >>> dominant_frequency(np.sin(2 * np.pi * 200 * t) + 3 * np.sin(2 * np.pi * 5 * t) + 10 * t)
    200.0
    """
    from scipy.signal import periodogram

    v = np.asarray(trace, dtype=float)
    if v.ndim != 1 or v.size < 8 or not np.all(np.isfinite(v)):
        raise ValueError(f"trace must be a finite 1-D array of >= 8 samples, got shape {v.shape}")
    dt = _positive_real(dt, "dt")
    f, power = periodogram(v, fs=1.0 / dt, detrend="linear")
    keep = f >= validation.real(min_frequency, "min_frequency", low=0.0)
    if not keep.any():
        raise ValueError(f"no frequency at or above min_frequency={min_frequency} Hz below Nyquist {0.5 / dt} Hz")
    return float(f[keep][np.argmax(power[keep])])


def oscillation_envelope(voltages, dt: float = TOPOGRAPHIC.dt, *, band: tuple[float, float] = (100.0, 400.0)):
    """Envelope of the fast membrane oscillation: V band-passed (4th-order Butterworth, zero phase)
    and the modulus of its analytic signal (Hilbert), per column.

    Parameters
    ----------
    voltages : (n_steps,) or (n_steps, n) array_like
        Finite voltages (voltage units), n_steps > 30.
    dt : float
        Step (s) > 0.
    band : tuple of float
        (low, high) (Hz), ``0 < low < high < 1/(2 dt)``.

    Returns
    -------
    float array of the shape of ``voltages``
        Envelope (voltage units).

    Raises
    ------
    ValueError
        Non-finite or too short voltages, a band outside (0, Nyquist).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 12D (a perturbation of V transmitted to neighbouring neurons).

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import oscillation_envelope
    >>> t = np.arange(500) * 1e-3
    >>> envelope = oscillation_envelope(2.0 * np.sin(2 * np.pi * 200 * t))
    >>> envelope.shape, round(float(envelope[250]), 2)    # the amplitude, away from the edges
    ((500,), 2.0)
    """
    from scipy.signal import butter, hilbert, sosfiltfilt

    v = np.asarray(voltages, dtype=float)
    if v.ndim not in (1, 2) or v.shape[0] <= 30 or not np.all(np.isfinite(v)):
        raise ValueError(f"voltages must be finite, (n_steps > 30[, n]), got shape {v.shape}")
    dt = _positive_real(dt, "dt")
    low, high = (float(b) for b in band)
    if not 0 < low < high < 0.5 / dt:
        raise ValueError(f"band must satisfy 0 < low < high < {0.5 / dt} Hz, got {band!r}")
    sos = butter(4, [low, high], btype="bandpass", fs=1.0 / dt, output="sos")
    return np.abs(hilbert(sosfiltfilt(sos, v, axis=0), axis=0))


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
    per trial.

    Prefix-stable (the first k of n trial seeds are the k-trial seeds), so a smaller preset
    runs a subset of the paper preset's trials and two notebooks with the same ``seed``
    build the same cells (:func:`total_error_cells`). Drawn from
    ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    seed : int
        Notebook seed >= 0.
    n_trials : int
        Trials >= 1.

    Returns
    -------
    weight_seed : int
        In [0, 2**32).
    trial_seeds : list of int
        ``n_trials`` seeds in [0, 2**32).

    Raises
    ------
    TypeError
        ``seed`` not an integer >= 0.
    ValueError
        ``n_trials`` not an integer >= 1.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 6–9 (Total-error sweeps; the seeding is ours).

    Examples
    --------
    >>> from pcn_core.koren import total_error_seeds
    >>> weight_seed, trial_seeds = total_error_seeds(0, 3)
    >>> len(trial_seeds), all(0 <= s < 2 ** 32 for s in [weight_seed, *trial_seeds])
    (3, True)
    >>> total_error_seeds(0, 2)[1] == trial_seeds[:2]    # prefix-stable
    True
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
    linear_costs, quadratic_costs : 1-D sequence of float
        ν, μ >= 0 (finite).
    seeds : 1-D sequence of int
        One seed >= 0 per trial (input realisation and noise).
    weight_seed : int
        Seed (>= 0) of the weights (fixed per figure).
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    duration, warmup : float
        Analysed and dropped time per trial (s), > 0.
    active : bool
        Active (smoothed white-noise input) or quiescent state.

    Returns
    -------
    list of dict
        Keyword arguments of :func:`trial`, floats as Python floats and seeds as Python ints.

    Raises
    ------
    ValueError, TypeError
        Empty or non-1-D grids, negative or non-finite costs, seeds that are not
        integers >= 0, bad durations or noise.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Figs 6A–C, 8B, D and 9A, B (Total error over the costs).

    Examples
    --------
    >>> from pcn_core.koren import total_error_cells
    >>> cells = total_error_cells([0, 5], [5], [1, 2], weight_seed=0, noise=0.25, duration=20.0)
    >>> [(c["linear_cost"], c["quadratic_cost"], c["seed"]) for c in cells]
    [(0.0, 5.0, 1), (0.0, 5.0, 2), (5.0, 5.0, 1), (5.0, 5.0, 2)]
    >>> sorted(cells[0])
    ['active', 'duration', 'linear_cost', 'noise', 'quadratic_cost', 'seed', 'warmup', 'weight_seed']
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
    values : (n_0, ..., n_{d-1}) array_like
        Finite values > 0, each n_a >= 2.
    *grids : 1-D array_like
        d strictly increasing finite arrays, ``grids[a]`` of length ``n_a``.

    Returns
    -------
    (d,) float array
        Mean |d ln v / d g_a| per axis, in units of 1 / grid unit.

    Raises
    ------
    ValueError
        Values not finite or not > 0 (the logarithm is undefined: choose a range where the
        quantity is positive), a number of grids that differs from ``values.ndim``, grids of
        the wrong length or not strictly increasing, an axis with fewer than 2 points.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 6A (“more sensitive to the quadratic than to the linear cost”) and 6B.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.koren import mean_abs_log_slope
    >>> nu, mu = np.linspace(0, 1, 3), np.linspace(0, 2, 4)
    >>> values = np.exp(2.0 * nu[:, None] + 0.5 * mu[None, :])    # ln v has slopes 2 and 0.5
    >>> np.round(mean_abs_log_slope(values, nu, mu), 6).tolist()
    [2.0, 0.5]
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
    x, y : (n,) array_like
        n >= 2 finite coordinates.

    Returns
    -------
    float
        The slope (units of y per unit of x); ±inf for a vertical axis (no spread in x).

    Raises
    ------
    ValueError
        Shapes differ, fewer than 2 points, non-finite values, or an undefined direction
        (all points equal, or equal spread along every direction: an isotropic covariance).

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 6A (the best region “approximately perpendicular to the identity line”).

    Examples
    --------
    >>> from pcn_core.koren import principal_axis_slope
    >>> round(principal_axis_slope([0, 1, 2, 3], [3, 2, 1, 0]), 6)
    -1.0
    >>> principal_axis_slope([1, 1, 1], [0, 1, 2])    # vertical
    inf
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
    grid_values : (K,) array_like
        Finite grid (e.g. ν).
    error, cost : (K,) array_like
        Finite, >= 0, e.g. trial means of a sweep (error dimensionless, cost in spikes per step).
    alphas, betas : 1-D sequence of float
        Weights >= 0, non-empty.

    Returns
    -------
    (len(alphas), len(betas)) float array
        Optimal grid values; NaN where α = β = 0 (the Total error is 0 everywhere, no optimum).

    Raises
    ------
    ValueError
        Shapes that differ, negative or non-finite values, non-1-D weights.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       eq 27 and Fig 6D.

    Examples
    --------
    Rows are α, columns β: cost only picks the highest ν, error only the error minimum:

    >>> from pcn_core.koren import optimal_cost_map
    >>> optimal_cost_map([0.0, 1.0, 2.0], [1.0, 0.5, 0.8], [1.0, 0.2, 0.0], alphas=[0.0, 1.0], betas=[0.0, 1.0])
    array([[nan,  2.],
           [ 1.,  1.]])
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
    linear_cost, quadratic_cost : float
        ν, μ >= 0.
    noise : float
        σ >= 0, s.d. of the voltage noise per 1 ms step.
    active : bool
        Smoothed white-noise input if True, s ≡ 0 if False.
    weight_seed, seed : int
        Seeds (>= 0) of the weights and of this trial's input and noise.
    duration, warmup : float
        Analysed and dropped time (s), > 0.
    small : float
        A read-out with ‖x̂‖ < small · w̄ counts as "at zero" (w̄ = mean_i ‖w_i‖₂), > 0.

    Returns
    -------
    dict of floats
        ``max_error_norm`` (max_k ‖x_k − x̂_k‖₂, units of x), ``estimate_sd`` (mean over the J
        inputs of the s.d. over time of x̂_j, units of x), ``zero_fraction`` (fraction of steps
        with ‖x̂_k‖ < small·w̄), ``error`` and ``cost`` (:func:`error_and_cost`).

    Raises
    ------
    ValueError, TypeError
        Bad costs, noise, durations, ``small`` or seeds.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity as a
       signature of predictive coding. PLoS Comput Biol 13(1): e1005355.
       Fig 7C, D (read-out in the active and quiescent states).

    Examples
    --------
    >>> from pcn_core.koren import readout, trial
    >>> kw = dict(linear_cost=5.0, quadratic_cost=5.0, noise=0.25, active=True, weight_seed=0, seed=1,
    ...           duration=0.2, warmup=0.1)
    >>> readout(**kw)["error"] == trial(**kw)["error"]    # the same trial as trial()
    True
    >>> readout(**{**kw, "noise": 0.0, "active": False})    # silent: x̂ stays at x = 0
    {'max_error_norm': 0.0, 'estimate_sd': 0.0, 'zero_fraction': 1.0, 'error': 0.0, 'cost': 0.0}
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


# --- shared notebook helpers ---
# What several Koren notebooks did by hand: prefix-stable trial seeds, the step index of a
# spike, and one record of an active -> quiescent run continued in chunks.

def prefix_seeds(stream, n_total: int, n: int | None = None) -> list[int]:
    """The first ``n`` of ``n_total`` integer seeds drawn from one stream.

    A notebook draws the seeds of its paper preset (``n_total``) and runs the first ``n``
    of them at a smaller preset, so every preset runs a subset of the paper's trials
    (prefix-stable: the first k seeds do not depend on ``n_total`` or ``n``).

    Parameters
    ----------
    stream : numpy.random.SeedSequence or int >= 0
        The stream the seeds derive from (e.g. one child of ``SeedSequence(seed).spawn``).
    n_total : int >= 1
        Seeds drawn (those of the paper preset).
    n : int in [1, n_total], optional
        Seeds returned (default ``n_total``).

    Returns
    -------
    list of int
        ``n`` seeds in [0, 2**31): ``np.random.default_rng(stream).integers(2**31,
        size=n_total)[:n]`` as Python ints (plain ints for sweep cells).

    Raises
    ------
    TypeError
        If ``stream`` is not a SeedSequence or a non-negative int.
    ValueError
        If ``n_total`` is not an integer >= 1 or ``n`` not an integer in [1, n_total].

    Examples
    --------
    >>> import numpy as np
    >>> stream = np.random.SeedSequence(2017).spawn(2)[1]
    >>> prefix_seeds(stream, 10, 3) == prefix_seeds(stream, 10)[:3] == prefix_seeds(stream, 3)
    True
    >>> len(prefix_seeds(stream, 10, 3))
    3
    """
    if not isinstance(stream, np.random.SeedSequence) and (
            isinstance(stream, bool) or not isinstance(stream, (int, np.integer)) or stream < 0):
        raise TypeError(f"stream must be a numpy.random.SeedSequence or an int >= 0, got {stream!r}")
    if isinstance(n_total, bool) or not isinstance(n_total, (int, np.integer)) or n_total < 1:
        raise ValueError(f"n_total must be an integer >= 1, got {n_total!r}")
    if n is None:
        n = n_total
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= n_total:
        raise ValueError(f"n must be an integer in [1, n_total = {n_total}], got {n!r}")
    return [int(s) for s in np.random.default_rng(stream).integers(2**31, size=int(n_total))[:int(n)]]


def spike_steps(spike_times, dt: float) -> np.ndarray:
    """Step index of each spike: a spike of step k is stamped at the end of its step, (k + 1)·dt.

    Parameters
    ----------
    spike_times : (n,) array_like of float
        Spike times in s, as :class:`pcn_core.simulation.SimulationResult` stamps them
        (absolute: a continued run's steps count from the start of the first chunk).
    dt : float > 0
        Time step in s.

    Returns
    -------
    (n,) int64 array
        ``round(t / dt) - 1`` for each spike (absolute step indices, >= 0).

    Raises
    ------
    ValueError
        If ``dt`` is not > 0, the times are not a 1-D array of finite numbers, or a time is not
        the end of a step (more than 1e-6 steps off a multiple of ``dt``, or before ``dt``).

    Examples
    --------
    >>> import numpy as np
    >>> spike_steps(np.array([0.001, 0.003, 0.003]), 1e-3)
    array([0, 2, 2])
    """
    dt = validation.real(dt, "dt", low=0.0, low_open=True, unit="s")
    times = np.asarray(spike_times, dtype=float)
    if times.ndim != 1 or not np.all(np.isfinite(times)):
        raise ValueError("spike_times must be a 1-D array of finite times (s)")
    ends = times / dt
    steps = np.round(ends).astype(np.int64) - 1
    if times.size and (np.max(np.abs(ends - (steps + 1))) > 1e-6 or steps.min() < 0):
        raise ValueError(f"spike_times must be ends of steps of dt = {dt:g} s: (k + 1)·dt with k >= 0")
    return steps


def joined_runs(*chunks: SimulationResult) -> dict:
    """One record of a run continued in chunks (``initial_state=previous.final_state``),
    e.g. an active part followed by a quiescent part (Figs 3B–D, 4B).

    Parameters
    ----------
    *chunks : SimulationResult
        Full records (``record="full"``: x and x̂ after every step) of consecutive chunks of one
        run, in order: each starts where the previous one ended, with the same dt.

    Returns
    -------
    dict of arrays
        ``times`` (s, absolute), ``target`` and ``estimate`` (n_steps, J), ``spike_times`` (s,
        absolute), ``spike_neurons``, ``population_counts`` (spikes per step) and, when every
        chunk was run with ``groups``, ``group_counts`` (n_steps, G): the chunks' arrays
        concatenated.

    Raises
    ------
    ValueError
        If there is no chunk, a chunk is not a full record, or the chunks are not consecutive
        steps of one run at one dt.

    Examples
    --------
    >>> import numpy as np
    >>> net = network(weights(1, 4, seed=0), linear_cost=1.0, quadratic_cost=1.0)
    >>> first = run(net, np.ones((30, 1)), noise=0.0)
    >>> second = run(net, np.zeros((20, 1)), noise=0.0, initial_state=first.final_state)
    >>> joined = joined_runs(first, second)
    >>> joined["times"].shape, joined["estimate"].shape
    ((50,), (50, 1))
    >>> int(joined["population_counts"].sum()) == first.n_spikes + second.n_spikes
    True
    """
    if not chunks:
        raise ValueError("joined_runs needs at least one chunk")
    for i, chunk in enumerate(chunks):
        if not isinstance(chunk, SimulationResult):
            raise ValueError(f"chunk {i} must be a SimulationResult, got {type(chunk).__name__}")
        if chunk.record != "full" or chunk.target is None or len(chunk.target) != chunk.n_steps:
            raise ValueError(f"chunk {i} must be a full record (record='full')")
        if i and (chunk.dt != chunks[0].dt or chunk.start_step != chunks[i - 1].start_step + chunks[i - 1].n_steps):
            raise ValueError(f"chunk {i} does not continue chunk {i - 1} (same dt, next step)")
    joined = {key: np.concatenate([getattr(c, key) for c in chunks])
              for key in ("times", "target", "estimate", "spike_times", "spike_neurons", "population_counts")}
    if all(c.group_counts is not None for c in chunks):
        joined["group_counts"] = np.concatenate([c.group_counts for c in chunks])
    return joined
