"""Euler simulation of spike-coding networks (Boerlin 2013, Koren 2017), compiled with numba.

Per step ``k`` of length ``dt`` (s), in this order:

1. delayed fast connections: spikes emitted in step ``k - 1 - D`` reach their
   targets (``D = delay / dt`` whole steps, only when ``D >= 1``);
2. every voltage integrates ``-λ_V V dt + Γᵀ (c dt + σ_s √dt ξ + (A + λ_d I) x̂ dt)
   + σ_V √dt η_i``; the target ``x`` takes the same noisy input, ``x̂`` and ``r``
   decay with ``λ_d``;
3. spikes: ``spike_rule="single"`` lets at most one neuron fire, the one
   furthest above threshold; ``"all"`` lets every neuron above threshold fire,
   decided on the voltages before any of this step's spikes act;
   ``"greedy"`` (``delay = 0`` only) is the paper's rule for instantaneous
   synapses carried through the whole step: the neuron furthest above
   threshold fires, its fast input acts on every voltage at once, and the next
   one is chosen on the updated voltages, until none is above threshold
   (below). The threshold of neuron i in step k is ``T_i + σ_θ ζ_ik``
   (``threshold_noise``), one draw per step. A neuron that should fire fails
   with probability ``spike_failure`` (and is not reset). A spike adds Γ_i to
   x̂ and 1 to r_i at once;
4. recording (all values are those at the end of the step).

The greedy rule
---------------
Boerlin et al. derive the spikes from a greedy minimisation of the loss: a
spike of neuron i lowers it if and only if ``V_i > T_i``, and with
instantaneous synapses each spike changes every voltage before the next
decision. ``"single"`` stops after the first spike of a step, which caps a
population at one spike per step (``1/dt``); ``"all"`` fires every neuron
above threshold on the same voltages, which overshoots when many neurons
cross together (a runaway for large N). ``"greedy"`` repeats the paper's
decision within the step: fire the neuron with the largest ``V_i - θ_i``
(ties: lowest index), apply its column of Ω_f (self-reset included), choose
again, until no neuron is above threshold. As ``dt → 0`` at most one neuron
crosses per step and all three rules agree; at finite ``dt`` only
``"greedy"`` gives the sequential rule's spikes.

A neuron may fire again in the same step if it is still (or again) the
furthest above threshold: the loss says so, and it needs an input of more
than one reset within one step (``dt`` coarse for the drive), or the
excitation of opposite-kernel spikes. Every self-reset must be positive
(otherwise a neuron above threshold would stay there for ever). A neuron due
to fire more than :data:`MAX_GREEDY_SPIKES` times in one step means the rule
does not settle (e.g. two neurons of opposite kernels both far above
threshold with no quadratic cost hand the same excess back and forth): the
run stops with a ValueError instead of looping. A spike failure
(``spike_failure``) removes the neuron from the rest of that step's
decisions (it is not reset, and would otherwise be chosen again at once);
the next neuron is chosen on the same voltages. A :class:`DelaySpike` holds
back the first spike the rule chooses after its time; the rule then
continues with the other neurons. Silenced and held neurons are not
candidates.

On the low-rank path (no dense Ω_f) one spike costs O(|checked neurons| J),
not O(N J): the step keeps the summed kernel ``g`` of its spikes, so that
``V_i(now) = V_i(start) - Γ_iᵀ g - μ λ_d² m_i`` (m_i: i's spikes so far in
the step); neurons are grouped in blocks of consecutive indices, and a block
is only re-evaluated when its bound ``max_i (V_i - θ_i) - c_bᵀ Δg +
ρ_b ‖Δg‖`` (c_b the block's mean kernel, ρ_b its largest distance from it,
Δg the change of g since the block was last evaluated; Cauchy–Schwarz) can
still beat the best neuron found. All voltages take ``-Γᵀ g`` once at the
end of the step (O(N J) per step). No N×N array is ever built. The dense
path applies one column per spike.

Delay convention (exact)
------------------------
A spike emitted in step ``k`` is stamped at ``t = (k + 1) dt``, the end of its
step, and changes the other neurons' voltages at ``t + delay``: it is delivered
at the start of step ``k + 1 + D``. ``D = 0`` (``delay = 0``) means it acts
right after this step's spike decisions, before the next step. The first
threshold check that can see a spike therefore comes ``dt + delay`` after the
check that emitted it, and ``delay = dt`` differs from ``delay = 0`` (it adds
one step of latency).

Forced spikes (:class:`ExtraSpike`, and the postponed spike of a
:class:`DelaySpike`) are emitted at the start of step 3, before the threshold
check; with ``delay = 0`` that check already sees them (as in the sequential
greedy rule), with ``D >= 1`` they follow the convention above. The
``"greedy"`` rule needs ``delay = 0``: with ``D >= 1`` the spikes of one step
cannot act on each other within it, so there is nothing to choose in
sequence (use ``"all"``).

The self-reset (the diagonal of Ω_f, ``‖Γ_i‖² + μ λ_d²``) acts at once with
``self_reset="immediate"`` (default; a neuron's own reset is not a synaptic
event). With ``self_reset="delayed"`` the autapse is delayed like every other
connection and acts at ``t + delay``; with ``delay = 0`` both are the same.

Koren & Denève (2017) as a special case
---------------------------------------
Koren's network is a discrete-time model whose step equals the synaptic delay
δ (1 ms all-to-all): in one step every neuron above threshold fires (the
``"all"`` rule) and the others see those spikes at the next step's threshold
check. Here the check-to-check latency is ``dt + delay``, so the paper's δ is
``delay = δ - dt``: ``delay = 0`` for the 1 ms network at ``dt = 1 ms`` and
``delay = 1 ms`` for the 2 ms topographic network at ``dt = 1 ms``. Use
:func:`koren_kernel_delay` rather than computing it by hand.

Noise units
-----------
``ξ`` (shared by all neurons and by the target) and ``η`` (independent) are
unit white noise, so ``sensory_noise`` and ``voltage_noise`` are densities in
units per √s and results converge as ``dt`` shrinks. A paper value quoted as a
standard deviation per step of length ``h`` becomes ``σ / √h``. The threshold
noise is different: ``threshold_noise`` is the standard deviation (voltage
units) of an independent Gaussian draw added to each threshold in each step,
not integrated, so its effect depends on ``dt``.

Random draws
------------
Every random number comes from one xoshiro256++ stream seeded from ``seed``
(:mod:`pcn_core.random_streams`: exact ziggurat normals, 53-bit uniforms), in
this order within step ``k``:

1. J sensory normals ξ (only if ``sensory_noise > 0``);
2. N voltage normals η, neuron order (only if ``voltage_noise > 0``);
3. N threshold normals ζ, neuron order (only if ``threshold_noise > 0``);
4. one uniform per neuron that should fire, in index order (``"all"``), for
   the one chosen neuron (``"single"``), or for each choice in the order of the
   choices (``"greedy"``), compared with ``spike_failure`` (only if
   ``spike_failure > 0``; a spike fails if the uniform is below it).

Draws of noise terms that are zero are skipped, not wasted, so e.g. adding
threshold noise changes which voltage normals later steps see. The tests'
plain-Python oracle draws the same stream in the same order.

With ``normal_generator="vector"`` the normals of 1-3 come instead from the
vector generator (:func:`pcn_core.random_streams.vector_normal`: float32
Box–Muller on 16 lock-step xoshiro256++ lanes, about twice as fast, within
1e-6 of exact normals and cut at ±6.66). Its lanes are drawn from the run's
stream when the run starts (64 outputs, before step 0's draws); each block of
draws (J or N normals) takes whole blocks of 32 from the lanes. The uniforms
of 4 still come from the stream.

Outputs and continuation
------------------------
``record="full"`` stores every spike and the estimate and target after every
step; ``record="summary"`` stores only what the long runs need (per-step
population counts, optional per-group counts, per-neuron counts, running sums
of the coding error, spikes inside ``spike_windows``, optionally a decimated
trajectory). Both modes fill the summary fields. ``result.final_state``
continues a run exactly (``simulate(..., initial_state=result.final_state)``):
two chunks give the same spikes as one run, whatever is changed between them
(e.g. the command, for active → quiescent protocols); the state carries the
random stream on.

References
----------
.. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
   variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
   Eqns. (1)-(11) and (17).
.. [2] Koren V, Denève S (2017). Computational account of spontaneous activity
   as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
   Methods §1.2 (transmission delays) and §2 (the discrete minimal model).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numba
import numpy as np

from . import random_streams, validation
from .network import Network
from .random_streams import _fill_standard_normal, _fill_vector_normal, _uniform, _vector_pairs
from .spikestats import trains_from_events

#: Largest allowed product of ``dt`` and the fastest rate of the model (leaks,
#: eigenvalues of A): Euler needs the step well below every time constant.
MAX_DT_RATE = 0.1

#: Most spikes one neuron may fire within one step under ``spike_rule="greedy"``;
#: a neuron due to fire more often means the rule does not settle (module docstring).
MAX_GREEDY_SPIKES = 8

# istate: [0] spikes stored, [1] held neuron (-1: none), [2] absolute step from which it fires,
# [3] 1 while a DelaySpike perturbation waits for its spike, [4] 1 if the greedy rule did not
# settle, [5] that neuron, [6] that absolute step
_N_ISTATE = 7


@dataclass(frozen=True)
class DelaySpike:
    """Perturbation: the first spike due at or after ``time`` (s) is postponed by
    ``delay`` (s, a whole number of steps >= 1); that neuron cannot fire meanwhile.

    Pass it as ``perturbation`` to :func:`simulate`, which checks it. If
    several neurons are due in that step (``spike_rule="all"``), only the
    lowest-indexed one is postponed. The postponed spike is forced at the start
    of its step's spike phase (module docstring); the other neurons may fire in
    between.

    Attributes
    ----------
    time : float
        Time (s, absolute) from which the next spike is postponed; inside the run.
    delay : float
        Postponement (s), a whole number >= 1 of steps of ``dt``.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 3
       (a single spike delayed by 1 ms in the deterministic network).

    Examples
    --------
    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> command = np.ones(200)
    >>> plain = simulate(net, command, dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> delayed = simulate(net, command, dt=1e-3, voltage_noise=1e-5, seed=0,
    ...                    perturbation=DelaySpike(time=0.1, delay=0.005))
    >>> after = plain.spike_times > 0.1
    >>> plain.spike_times[after][:2], plain.spike_neurons[after][:2]
    (array([0.103, 0.108]), array([0, 0]))

    Neuron 0's spike of 0.103 s now comes 5 ms later; neuron 9 fills in:

    >>> after = delayed.spike_times > 0.1
    >>> delayed.spike_times[after][:2], delayed.spike_neurons[after][:2]
    (array([0.104, 0.108]), array([9, 0]))
    """
    time: float
    delay: float


@dataclass(frozen=True)
class ExtraSpike:
    """Perturbation: neuron ``neuron`` is made to fire one extra spike at ``time`` (s).

    Pass it as ``perturbation`` to :func:`simulate`, which checks it. The spike
    is forced in the first step starting at or after ``time`` (stamped at that
    step's end), before the threshold check (module docstring).

    Attributes
    ----------
    time : float
        Time (s, absolute) of the extra spike; inside the run.
    neuron : int
        Index of the neuron, in [0, N - 1].

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
       Methods §2.2 (one spike provoked in the quiescent minimal model) and Fig. 1.

    Examples
    --------
    An extra spike of a negative-kernel neuron at 0.1 s; with no delay, a
    positive neuron corrects it in the same step:

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> result = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0,
    ...                   perturbation=ExtraSpike(time=0.1, neuron=15))
    >>> result.spike_neurons[np.isclose(result.spike_times, 0.101)]
    array([15,  0])
    """
    time: float
    neuron: int


@dataclass(frozen=True)
class Silencing:
    """Neurons ``neurons`` cannot fire from ``time`` (s) on (membrane set to -∞ in the paper).

    Pass it as ``silence`` to :func:`simulate`, which checks it. The neurons
    are silent from the first step starting at or after ``time``.

    Attributes
    ----------
    neurons : tuple of int
        Indices of the silenced neurons, in [0, N - 1].
    time : float
        Time (s, absolute) from which they cannot fire, >= 0.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 7G
       (sudden inactivation of half of the active neurons).

    Examples
    --------
    Silencing half of the positive neurons at 0.1 s: the others take over and
    the read-out stays within one kernel (0.01) of the target.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> result = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0,
    ...                   silence=Silencing(neurons=(0, 1, 2, 3, 4), time=0.1))
    >>> sorted(set(result.spike_neurons[result.spike_times > 0.1].tolist()))
    [5, 7, 8, 9]
    >>> bool(np.abs(result.target - result.estimate).max() < 0.01)
    True
    """
    neurons: tuple
    time: float


@dataclass(frozen=True)
class LowRankCommand:
    """A command of rank R given in factored form: c(t_k) = ``profiles`` @ ``time_courses[k]``.

    Pass it as ``command`` to :func:`simulate` when the J-dimensional input is a few
    time courses times fixed spatial profiles (e.g. Koren's topographic input, a scalar
    signal times a bump over 200 pixels). The simulator then projects the R time
    courses onto the neurons through the precomputed (N, R) matrix Γᵀ·profiles, O(N·R)
    per step instead of O(N·J), and never builds the (n_steps, J) array.

    :func:`simulate` checks the shapes and values (``profiles`` must be (J, R)
    and everything finite); the constructor does not.

    Attributes
    ----------
    time_courses : (n_steps, R) array
        Time course of each component, units of x per s per unit profile.
    profiles : (J, R) array
        Dimensionless spatial profiles (columns).

    Examples
    --------
    >>> from pcn_core.network import koren_network, normalized_random_kernels
    >>> command = LowRankCommand(time_courses=np.ones((200, 1)), profiles=np.array([[1.0], [0.5]]))
    >>> command.n_steps, command.dense().shape, command[:50].n_steps
    (200, (200, 2), 50)

    The factored command gives the run its dense form gives:

    >>> net = koren_network(normalized_random_kernels(2, 10, 0.1, seed=0), leak=10.0)
    >>> factored = simulate(net, command, dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> dense = simulate(net, command.dense(), dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> bool(np.array_equal(factored.spike_times, dense.spike_times)
    ...      and np.allclose(factored.estimate, dense.estimate))
    True
    """
    time_courses: np.ndarray = field(repr=False)
    profiles: np.ndarray = field(repr=False)

    @property
    def n_steps(self) -> int:
        """Number of steps (rows of ``time_courses``)."""
        return int(np.shape(self.time_courses)[0])

    def dense(self) -> np.ndarray:
        """The (n_steps, J) command it stands for (for checks and small runs).

        Returns
        -------
        (n_steps, J) float ndarray
            ``time_courses @ profiles.T`` (x per s).
        """
        return np.asarray(self.time_courses, dtype=float) @ np.asarray(self.profiles, dtype=float).T

    def __getitem__(self, steps: slice) -> "LowRankCommand":
        """The command over a slice of steps (e.g. chunks of a run continued with ``initial_state``)."""
        if not isinstance(steps, slice):
            raise TypeError("a LowRankCommand can only be sliced by steps, e.g. command[:1000]")
        return LowRankCommand(np.asarray(self.time_courses)[steps], self.profiles)


@dataclass(frozen=True)
class SimulationState:
    """Everything needed to continue a run exactly (``result.final_state``).

    Attributes
    ----------
    step : number of steps simulated before this state; the next step has this
        index, so its spikes are stamped from ``(step + 1) dt`` on
    dt : step (s) of the run that produced the state
    delay_steps : D of that run (the pending spikes were scheduled with it)
    self_reset : "immediate" or "delayed", as in that run
    voltages : (N,) membrane potentials V
    target : (J,) target x
    estimate : (J,) read-out x̂
    filtered_spikes : (N,) filtered spike trains r
    pending_neurons : (n_pending,) neurons whose spikes are not yet delivered,
        in emission order
    pending_delivery_steps : (n_pending,) absolute index of the step at whose
        start each is delivered (>= step)
    held_neuron, held_until_step : neuron held back by a :class:`DelaySpike`
        (-1 if none) and the absolute step at which it fires (a DelaySpike
        whose spike has not come by the end of its run is not carried over)
    stream_state : (4,) uint64 state of the run's random stream after the run
        (:mod:`pcn_core.random_streams`); a continued run draws from a copy
    lane_state : (4, 16) uint64 state of the vector generator's lanes after the
        run (``normal_generator="vector"``), or None (``"ziggurat"``)

    Examples
    --------
    Two chunks continued through ``final_state`` give the spikes of one run:

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> first = simulate(net, np.ones(100), dt=1e-3, voltage_noise=1e-5, seed=1)
    >>> state = first.final_state
    >>> state.step, state.voltages.shape, state.pending_neurons.size
    (100, (20,), 0)
    >>> second = simulate(net, np.ones(100), dt=1e-3, voltage_noise=1e-5, initial_state=state)
    >>> whole = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=1)
    >>> bool(np.array_equal(np.r_[first.spike_times, second.spike_times], whole.spike_times))
    True
    """
    step: int
    dt: float
    delay_steps: int
    self_reset: str
    voltages: np.ndarray = field(repr=False)
    target: np.ndarray = field(repr=False)
    estimate: np.ndarray = field(repr=False)
    filtered_spikes: np.ndarray = field(repr=False)
    pending_neurons: np.ndarray = field(repr=False)
    pending_delivery_steps: np.ndarray = field(repr=False)
    held_neuron: int = -1
    held_until_step: int = 0
    stream_state: np.ndarray = field(default=None, repr=False)
    lane_state: np.ndarray | None = field(default=None, repr=False)


@dataclass
class SimulationResult:
    """Output of :func:`simulate`.

    Times in s, absolute (a continued run starts at ``start_step · dt``).

    Attributes
    ----------
    network, dt, n_steps : the run's network, step (s) and number of steps
    spike_times, spike_neurons : every spike (``record="full"``) or the spikes
        inside ``spike_windows`` (``record="summary"``), in emission order; a
        spike of step k is stamped at the end of its step, ``(k + 1) dt``
    estimate, target : x̂ and x, shape (n_rows, J): after every step in full
        mode; every ``trajectory_every`` steps (or none) in summary mode
    voltage_neurons, voltages : recorded neurons and V after each step (n_steps, n)
    current_neurons, excitatory, inhibitory : recorded input currents (n_steps, n)
    record : "full" or "summary"
    start_step : absolute index of the first step (0 unless continued)
    population_counts : (n_steps,) int32, spikes in each step
    group_counts : (n_steps, G) spikes per group and step (int16 if N + 2 < 32767,
        else int32), or None without ``groups``
    spike_counts : (N,) int64, spikes per neuron in the run
    error_norm_sum, error_abs_sum, error_squared_sum : Σ_k ‖x_k − x̂_k‖₂,
        Σ_k Σ_j |x_jk − x̂_jk| and Σ_k ‖x_k − x̂_k‖₂² over the steps of the run
    n_error_steps : number of summed steps (= n_steps)
    spike_windows : (n_windows, 2) windows (t0, t1] (s) whose spikes are stored
        in summary mode (None in full mode): the steps that run from t0 to t1
    trajectory_every : rows of ``estimate``/``target`` are every this many steps
        (1 in full mode, 0 if none are stored)
    final_state : :class:`SimulationState` to continue the run (None from
        :func:`pcn_core.rate_model.simulate_rate_model`)

    Examples
    --------
    A perfect integrator of ``c = 1`` for 0.2 s (x = 0.2): 40 spikes of the
    positive neurons, ``(x + λ_d ∫x̂ dt) / γ = (0.2 + 10 · 0.02) / 0.01``.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> result = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> result.times[:3], result.duration
    (array([0.001, 0.002, 0.003]), 0.2)
    >>> result.n_spikes, len(result.trains()), float(result.rates().sum())
    (40, 20, 200.0)
    >>> result.mean_population_rate
    200.0

    Summary mode counts every spike but stores only those in ``spike_windows``:

    >>> summary = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0,
    ...                    record="summary", spike_windows=[(0.1, 0.15)], trajectory_every=50)
    >>> summary.n_spikes, summary.spike_times.size, summary.trajectory_times
    (40, 11, array([0.05, 0.1 , 0.15, 0.2 ]))
    >>> float(summary.rates(0.1, 0.15).sum())    # 11 spikes in 0.05 s
    220.0
    """
    network: Network = field(repr=False)
    dt: float
    n_steps: int
    spike_times: np.ndarray = field(repr=False)
    spike_neurons: np.ndarray = field(repr=False)
    estimate: np.ndarray = field(repr=False)
    target: np.ndarray = field(repr=False)
    voltage_neurons: np.ndarray = field(repr=False)
    voltages: np.ndarray = field(repr=False)
    current_neurons: np.ndarray = field(repr=False)
    excitatory: np.ndarray = field(repr=False)
    inhibitory: np.ndarray = field(repr=False)
    record: str = "full"
    start_step: int = 0
    population_counts: np.ndarray | None = field(default=None, repr=False)
    group_counts: np.ndarray | None = field(default=None, repr=False)
    spike_counts: np.ndarray | None = field(default=None, repr=False)
    error_norm_sum: float = math.nan
    error_abs_sum: float = math.nan
    error_squared_sum: float = math.nan
    n_error_steps: int = 0
    spike_windows: np.ndarray | None = field(default=None, repr=False)
    trajectory_every: int = 1
    final_state: SimulationState | None = field(default=None, repr=False)

    @property
    def start_time(self) -> float:
        """Time (s) at the start of the run."""
        return self.dt * self.start_step

    @property
    def times(self) -> np.ndarray:
        """Time (s) at the end of each step."""
        return self.dt * np.arange(self.start_step + 1, self.start_step + self.n_steps + 1)

    @property
    def trajectory_times(self) -> np.ndarray:
        """Time (s) of each row of ``estimate`` and ``target``."""
        if self.trajectory_every == 0:
            return np.zeros(0)
        rows = np.arange(self.trajectory_every, self.n_steps + 1, self.trajectory_every)
        return self.dt * (self.start_step + rows)

    @property
    def duration(self) -> float:
        """Length of the run (s), ``n_steps · dt``."""
        return self.dt * self.n_steps

    @property
    def n_spikes(self) -> int:
        """Number of spikes in the run (stored or not)."""
        return int(self.spike_counts.sum()) if self.spike_counts is not None else int(self.spike_times.size)

    @property
    def mean_error_norm(self) -> float:
        """Time average of ‖x − x̂‖₂ over the run (units of x)."""
        return self.error_norm_sum / self.n_error_steps

    @property
    def mean_abs_error(self) -> float:
        """Time average of Σ_j |x_j − x̂_j| over the run (units of x)."""
        return self.error_abs_sum / self.n_error_steps

    @property
    def mean_population_rate(self) -> float:
        """Spikes of the whole population per second (Koren's cost)."""
        return self.n_spikes / self.duration

    def trains(self) -> list[np.ndarray]:
        """One sorted array of stored spike times (s) per neuron (in summary mode,
        only the spikes inside ``spike_windows``).

        Returns
        -------
        list of (n_i,) float ndarray
            N arrays of spike times (s, absolute), neuron order.
        """
        return trains_from_events(self.spike_times, self.spike_neurons, self.network.n_neurons)

    def rates(self, t_start: float | None = None, t_stop: float | None = None) -> np.ndarray:
        """Mean firing rate (Hz) of each neuron in (t_start, t_stop] (s; default: the whole run).

        In summary mode the interval must be the whole run or lie inside one of
        the ``spike_windows``.

        Parameters
        ----------
        t_start, t_stop : float, optional
            Window (s, absolute), ``t_stop > t_start``; default: the start and
            the end of the run. Spikes are counted by their stamps (ends of
            steps) in ``(t_start, t_stop]``: a window on the step grid holds
            exactly the steps that run from ``t_start`` to ``t_stop``, the
            last step of the run included. The count is divided by
            ``t_stop - t_start`` even where the window extends beyond the run.

        Returns
        -------
        (N,) float ndarray
            Spikes per second of each neuron (Hz).

        Raises
        ------
        ValueError
            If ``t_stop <= t_start``, or (summary mode) the window is neither
            the whole run nor inside one of the ``spike_windows``.
        """
        start, end = self.start_time, self.start_time + self.duration
        t_start = start if t_start is None else t_start
        t_stop = end if t_stop is None else t_stop
        if not t_stop > t_start:
            raise ValueError(f"t_stop must exceed t_start, got ({t_start}, {t_stop}]")
        if self.record == "summary":
            if t_start <= start and t_stop >= end:
                return self.spike_counts / (t_stop - t_start)
            if not any(t0 <= t_start and t_stop <= t1 for t0, t1 in self.spike_windows):
                raise ValueError(f"({t_start}, {t_stop}] s is neither the whole run nor inside one of the "
                                 f"spike_windows {self.spike_windows.tolist()} (record='summary')")
        sel = _stamps_in_window(self.spike_times / self.dt, t_start, t_stop, self.dt)
        counts = np.bincount(self.spike_neurons[sel], minlength=self.network.n_neurons)
        return counts / (t_stop - t_start)


def koren_kernel_delay(synaptic_delay: float, dt: float) -> float:
    """The ``delay`` argument of :func:`simulate` that reproduces Koren & Denève's
    synaptic delay δ at step ``dt``.

    Koren's discrete model lets the other neurons see a spike at the next
    threshold check, one δ later; here that latency is ``dt + delay``, so
    ``delay = δ - dt`` (module docstring).

    Parameters
    ----------
    synaptic_delay : float
        δ (s), a whole number (>= 1) of steps of ``dt``.
    dt : float
        Simulation step (s), > 0.

    Returns
    -------
    float
        ``δ - dt`` (s), a whole number (>= 0) of steps.

    Raises
    ------
    ValueError
        If ``dt`` is not positive, δ < dt or δ is not a whole number of steps.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355, Methods §1.2 and §2
       (δ = 1 ms all-to-all, 2 ms in the topographic network).

    Examples
    --------
    >>> koren_kernel_delay(1e-3, dt=1e-3)      # the 1 ms network at dt = 1 ms
    0.0
    >>> koren_kernel_delay(2e-3, dt=1e-3)      # the 2 ms topographic network
    0.001
    >>> koren_kernel_delay(1.5e-3, dt=1e-3)
    Traceback (most recent call last):
    ...
    ValueError: synaptic_delay must be a whole number of steps of dt=0.001 s, got 0.0015 s
    """
    dt = float(dt)
    synaptic_delay = float(synaptic_delay)
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    if not (np.isfinite(synaptic_delay) and synaptic_delay >= dt * (1 - 1e-9)):
        raise ValueError(f"synaptic_delay must be >= dt={dt} s (the model's latency is at least one step), "
                         f"got {synaptic_delay}")
    steps = _steps(synaptic_delay, dt, "synaptic_delay")
    return (steps - 1) * dt


# ---------------------------------------------------------------------------------------------
# compiled kernel: parameters, state and outputs travel as three namedtuples


class _Params(NamedTuple):
    """Constant over a run (built by :func:`simulate`)."""
    decoder: np.ndarray          # (J, N), C-contiguous
    thresholds: np.ndarray       # (N,)
    self_reset: np.ndarray       # (N,) ‖Γ_i‖² + μ λ_d²
    quad_reset: float            # μ λ_d²
    A: np.ndarray
    slow_matrix: np.ndarray
    fast_t: np.ndarray           # dense: row j = column j of Ω_f (what a spike of j adds), or (1, 1) unused
    decoder_t: np.ndarray        # (N, J) Γᵀ, C-contiguous: a spike reads one row
    use_dense: bool
    membrane_leak: float
    decoder_leak: float
    dt: float
    sensory_step_std: float
    voltage_step_std: float
    threshold_step_std: float
    delay_steps: int
    single_rule: bool
    greedy_rule: bool
    max_step_spikes: int         # most spikes one step can store (the buffer keeps that much room)
    block_size: int              # greedy, low-rank path: neurons per block (consecutive indices)
    block_center: np.ndarray     # (n_blocks, J) mean kernel of each block, or (1, 1) unused
    block_radius: np.ndarray     # (n_blocks,) largest ‖Γ_i - c_b‖ in the block (rounded up)
    block_norm: np.ndarray       # (n_blocks,) largest ‖Γ_i‖ in the block
    failure_prob: float
    delayed_self_reset: bool
    silence_step: np.ndarray     # (N,) absolute step from which neuron i cannot fire
    perturb_step: int            # absolute; -1 none
    perturb_delay: int
    extra_step: int              # absolute; -1 none
    extra_neuron: int
    step_offset: int             # absolute index of local step 0
    track_r: bool
    slow_rows: np.ndarray        # (n_cur, N)
    v_idx: np.ndarray
    cur_idx: np.ndarray
    groups: np.ndarray           # (N,) group of each neuron (unused if n_groups == 0)
    n_groups: int
    store_step: np.ndarray       # (n_steps,) uint8: store this step's spikes
    trajectory_every: int        # 0: no trajectory
    factored: bool               # command is the (n_steps, R) time courses of a LowRankCommand
    command_profiles: np.ndarray # (J, R) profiles, or (1, 1) unused
    decoder_profiles: np.ndarray # (R, N) (Γᵀ·profiles)ᵀ, rows contiguous, or (1, 1) unused
    extra_input: bool            # factored: sensory noise or slow connections also drive the neurons
    diagonal_A: bool             # A is diagonal (the target's update is O(J))
    normal_tables: np.ndarray    # random_streams._TABLES (ziggurat)
    vector_normals: bool         # normals from the vector generator (s.lanes), not the ziggurat


class _State(NamedTuple):
    V: np.ndarray
    xhat: np.ndarray
    x: np.ndarray
    r: np.ndarray
    istate: np.ndarray           # see _N_ISTATE
    ring: np.ndarray             # (D + 1, N + 2) neurons emitted in step e, slot e % (D + 1)
    ring_count: np.ndarray       # (D + 1,)
    r_scale: np.ndarray          # (1,) r = r_stored · r_scale inside the kernel (1 on exit)
    lanes: np.ndarray            # (4, LANES) vector-generator lanes (unused with the ziggurat)


class _Out(NamedTuple):
    spike_step: np.ndarray       # absolute steps (grows)
    spike_neuron: np.ndarray
    xhat_rec: np.ndarray
    x_rec: np.ndarray
    v_rec: np.ndarray
    exc_rec: np.ndarray
    inh_rec: np.ndarray
    pop_counts: np.ndarray       # (n_steps,) int32
    group_counts: np.ndarray     # (n_steps, G) or (1, 1) unused
    spike_counts: np.ndarray     # (N,) int64
    error_sums: np.ndarray       # [Σ‖e‖₂, Σ|e|₁, Σ‖e‖₂²]


def _symmetric(matrix: np.ndarray, block: int = 256) -> bool:
    """Whether a square matrix equals its transpose exactly, compared block by block
    (temporaries of ``block`` rows, never N×N)."""
    n = matrix.shape[0]
    for start in range(0, n, block):
        stop = min(start + block, n)
        if not np.array_equal(matrix[start:stop, start:], matrix[start:, start:stop].T):
            return False
    return True


def _columns_as_rows(fast_weights: np.ndarray) -> np.ndarray:
    """Ω_f laid out so that the column a spike adds is one contiguous row (``_deliver``).

    The builders make Ω_f = -(ΓᵀΓ + μ λ_d² I) exactly symmetric, so its rows are its
    columns and the stored matrix is used as it is: no N×N copy per run. Any other
    matrix (not symmetric, not C-contiguous float64, or read-only) gets its transposed copy.
    """
    if (fast_weights.dtype == np.float64 and fast_weights.flags.c_contiguous and fast_weights.flags.writeable
            and _symmetric(fast_weights)):
        return fast_weights
    return np.ascontiguousarray(fast_weights.T, dtype=np.float64)


# Reference counts decide the cost of a spike. Binding an array (or a tuple of arrays) to a
# function's argument increfs it and the function's end decrefs it, two atomic operations of
# about 6 ns each here; numba prunes such pairs of an inlined helper only in simple cases, and
# not in _run (measured: the inlined booking of a spike left 40-80 of them per spike, 22 % of
# the kernel's time). So the work on a step's spikes is written out in _run, on arrays taken
# from the tuples once per call, or done by helpers that take the few arrays they need and
# are called once per step with all its spikes, never once per spike.
@numba.njit(cache=True)
def _deliver(neurons, first, last, include_self, together, V, fast_t, decoder_t, self_reset, quad_reset,
             use_dense, g):
    """Add the fast input of the spikes of neurons[first:last] to every voltage, each spike's
    column in turn (dense Ω_f, or the low-rank -ΓᵀΓ_j - μ λ_d² e_j), or, low-rank and
    ``together``, in one O(N·J) pass (sum their kernels into ``g``, project once; the
    diagonal terms one by one). ``include_self``: the spiking neuron's own reset too."""
    N = V.shape[0]
    J = decoder_t.shape[1]
    if use_dense:
        for m in range(first, last):
            j = neurons[m]
            diag = fast_t[j, j]
            for i in range(N):
                V[i] += fast_t[j, i]
            if not include_self:
                V[j] -= diag
    elif together:
        for a in range(J):
            g[a] = 0.0
        for m in range(first, last):
            j = neurons[m]
            acc = 0.0
            for a in range(J):
                g[a] += decoder_t[j, a]
                acc += decoder_t[j, a] * decoder_t[j, a]
            if include_self:
                V[j] -= self_reset[j]  # full reset; the Γᵀg pass below repeats ‖Γ_j‖²: cancel it
            V[j] += acc
        for i in range(N):
            acc = 0.0
            for a in range(J):
                acc += decoder_t[i, a] * g[a]
            V[i] -= acc
    else:
        for m in range(first, last):
            j = neurons[m]
            for i in range(N):
                acc = 0.0
                for a in range(J):
                    acc += decoder_t[i, a] * decoder_t[j, a]
                V[i] -= acc
            if include_self:
                V[j] -= quad_reset
            else:
                acc = 0.0
                for a in range(J):
                    acc += decoder_t[j, a] * decoder_t[j, a]
                V[j] += acc


@numba.njit(cache=True)
def _record_laterals(neurons, first, last, kl, p, o):
    """Add the lateral (off-diagonal) fast input of the spikes of neurons[first:last], in
    order, to the recorded currents of local step kl."""
    decoder_t = p.decoder_t
    J = decoder_t.shape[1]
    for m in range(first, last):
        j = neurons[m]
        for c in range(p.cur_idx.shape[0]):
            i = p.cur_idx[c]
            if i == j:
                continue
            if p.use_dense:
                w = p.fast_t[j, i]
            else:
                w = 0.0
                for a in range(J):
                    w -= decoder_t[i, a] * decoder_t[j, a]
            if w > 0:
                o.exc_rec[kl, c] += w / p.dt
            else:
                o.inh_rec[kl, c] += w / p.dt


@numba.njit(cache=True)
def _settle_r(s):
    """Fold the common decay factor into r (see ``_State.r_scale``)."""
    scale = s.r_scale[0]
    if scale != 1.0:
        for i in range(s.r.shape[0]):
            s.r[i] *= scale
        s.r_scale[0] = 1.0


class _GreedyScratch(NamedTuple):
    """Work arrays of the greedy spike rule (allocated once per kernel call)."""
    start_excess: np.ndarray     # (N,) V_i - θ_i at the start of the search; -inf: not a candidate
    excluded_step: np.ndarray    # (N,) int64: step in which the neuron failed or was held back
    fired_step: np.ndarray       # (N,) int64: last step in which the neuron fired ...
    fired_count: np.ndarray      # (N,) int64: ... and how often in that step
    summed_kernel: np.ndarray    # (J,) g, the sum of the kernels of this step's spikes
    block_kernel: np.ndarray     # (n_blocks, J) g when the block was last evaluated
    block_version: np.ndarray    # (n_blocks,) int64: number of spikes when last evaluated
    block_max: np.ndarray        # (n_blocks,) largest excess of the block then ...
    block_arg: np.ndarray        # (n_blocks,) int64 ... and its neuron (lowest index on ties)
    block_scale: np.ndarray      # (n_blocks,) largest |start excess| (rounding margin)
    bound: np.ndarray            # (n_blocks,) upper bound of the block's excess now


@numba.njit(cache=True)
def _greedy_scratch(N, J, n_blocks):
    return _GreedyScratch(
        start_excess=np.empty(N), excluded_step=np.full(N, -1, dtype=np.int64),
        fired_step=np.full(N, -1, dtype=np.int64), fired_count=np.zeros(N, dtype=np.int64),
        summed_kernel=np.zeros(J), block_kernel=np.zeros((n_blocks, J)),
        block_version=np.zeros(n_blocks, dtype=np.int64), block_max=np.empty(n_blocks),
        block_arg=np.empty(n_blocks, dtype=np.int64), block_scale=np.empty(n_blocks), bound=np.empty(n_blocks))


@numba.njit(cache=True)
def _greedy_accept(j, k, stream, p, s, w):
    """The greedy rule chose neuron j in step k: draw its failure, or hold it back for a pending
    DelaySpike. Returns 1 if it fires (counted), 0 if it drops out of this step's decisions,
    -1 if it would fire more than MAX_GREEDY_SPIKES times (flagged in istate)."""
    if p.failure_prob > 0.0 and _uniform(stream) < p.failure_prob:
        w.excluded_step[j] = k
        return 0
    if s.istate[3] == 1 and k >= p.perturb_step:
        s.istate[1] = j
        s.istate[2] = k + p.perturb_delay
        s.istate[3] = 0
        w.excluded_step[j] = k
        return 0
    if w.fired_step[j] != k:
        w.fired_step[j] = k
        w.fired_count[j] = 0
    if w.fired_count[j] >= MAX_GREEDY_SPIKES:
        s.istate[4] = 1
        s.istate[5] = j
        s.istate[6] = k
        return -1
    w.fired_count[j] += 1
    return 1


@numba.njit(cache=True)
def _greedy_dense(k, thresholds, stream, p, s, w, chosen):
    """Greedy rule with a dense Ω_f: fire the neuron furthest above threshold, add its column to
    every voltage, choose again. The spikes go to ``chosen`` in order (the caller books them);
    returns their number, or -1 if the rule did not settle (istate[4] set)."""
    V = s.V
    N = V.shape[0]
    n_fired = 0
    while True:
        best = -1
        best_excess = 0.0
        for i in range(N):
            excess = V[i] - thresholds[i]
            if excess > best_excess and k < p.silence_step[i] and i != s.istate[1] and w.excluded_step[i] != k:
                best_excess = excess
                best = i
        if best < 0:
            return n_fired
        verdict = _greedy_accept(best, k, stream, p, s, w)
        if verdict < 0:
            return -1
        if verdict > 0:
            chosen[n_fired] = best
            n_fired += 1
            _deliver(chosen, n_fired - 1, n_fired, True, False, V, p.fast_t, p.decoder_t, p.self_reset,
                     p.quad_reset, True, w.summed_kernel)


@numba.njit(cache=True)
def _greedy_evaluate(b, k, n_fired, p, w):
    """Exact excess V_i - θ_i of every neuron of block b for the current summed kernel g,
    computed from the start of the search (so that equal neurons stay exactly equal), and the
    block's maximum with its lowest index."""
    decoder_t = p.decoder_t
    J = decoder_t.shape[1]
    N = w.start_excess.shape[0]
    g = w.summed_kernel
    best = -np.inf
    arg = -1
    for i in range(b * p.block_size, min((b + 1) * p.block_size, N)):
        e = w.start_excess[i]
        if e != -np.inf:
            acc = 0.0
            for a in range(J):
                acc += decoder_t[i, a] * g[a]
            e -= acc
            if w.fired_step[i] == k:
                e -= p.quad_reset * w.fired_count[i]
        if e > best:
            best = e
            arg = i
    w.block_max[b] = best
    w.block_arg[b] = arg
    w.block_version[b] = n_fired
    for a in range(J):
        w.block_kernel[b, a] = g[a]


@numba.njit(cache=True)
def _greedy_low_rank(k, thresholds, stream, p, s, w, chosen):
    """Greedy rule on the low-rank path (module docstring): the voltages are V(start) - Γᵀg
    - μ λ_d² m, evaluated block by block only where the Cauchy–Schwarz bound of a block can
    still beat the best neuron found; -Γᵀg reaches every voltage once at the end. The spikes
    go to ``chosen`` in order (the caller books them); returns their number, or -1 if the
    rule did not settle (istate[4] set)."""
    V = s.V
    decoder_t = p.decoder_t
    N = V.shape[0]
    J = decoder_t.shape[1]
    n_blocks = w.block_max.shape[0]
    g = w.summed_kernel
    held = s.istate[1]
    # the start of the search: every block is evaluated exactly (g = 0)
    for a in range(J):
        g[a] = 0.0
    for b in range(n_blocks):
        scale = 0.0
        best = -np.inf
        arg = -1
        for i in range(b * p.block_size, min((b + 1) * p.block_size, N)):
            if k < p.silence_step[i] and i != held:
                e = V[i] - thresholds[i]
                scale = max(scale, abs(e))
            else:
                e = -np.inf
            w.start_excess[i] = e
            if e > best:
                best = e
                arg = i
        w.block_scale[b] = scale
        w.block_max[b] = best
        w.block_arg[b] = arg
        w.block_version[b] = 0
        for a in range(J):
            w.block_kernel[b, a] = 0.0
    n_fired = 0
    settled = True
    while True:
        # upper bound of each block's largest excess now (exact if evaluated since the last spike)
        g_norm = 0.0
        for a in range(J):
            g_norm += g[a] * g[a]
        g_norm = math.sqrt(g_norm)
        for b in range(n_blocks):
            top = w.block_max[b]
            if w.block_version[b] == n_fired or top == -np.inf:
                w.bound[b] = top
                continue
            shift = 0.0
            change = 0.0
            old_norm = 0.0
            for a in range(J):
                d = g[a] - w.block_kernel[b, a]
                change += d * d
                shift += p.block_center[b, a] * d
                old_norm += w.block_kernel[b, a] * w.block_kernel[b, a]
            change = math.sqrt(change)
            # the margin covers rounding in the excesses (relative 1e-12, far above float64's)
            margin = 1e-12 * (w.block_scale[b] + abs(top) + p.block_norm[b] * (g_norm + math.sqrt(old_norm))
                              + p.quad_reset * n_fired)
            w.bound[b] = top - shift + p.block_radius[b] * change + margin
        # branch and bound: evaluate the most promising blocks until none can beat the best
        best = -1
        best_excess = 0.0
        while True:
            top_block = -1
            top_bound = -np.inf
            for b in range(n_blocks):
                if w.bound[b] > top_bound:
                    top_bound = w.bound[b]
                    top_block = b
            if top_block < 0 or top_bound <= 0.0 or top_bound < best_excess:
                break
            if w.block_version[top_block] != n_fired:
                _greedy_evaluate(top_block, k, n_fired, p, w)
            value = w.block_max[top_block]
            arg = w.block_arg[top_block]
            if value > best_excess or (best >= 0 and value == best_excess and arg < best):
                best_excess = value
                best = arg
            w.bound[top_block] = -np.inf
        if best < 0:
            break
        verdict = _greedy_accept(best, k, stream, p, s, w)
        if verdict < 0:
            settled = False
            break
        if verdict == 0:
            # out of this step's decisions: its block's maximum is recomputed without it
            w.start_excess[best] = -np.inf
            _greedy_evaluate(best // p.block_size, k, n_fired, p, w)
            continue
        chosen[n_fired] = best
        for a in range(J):
            g[a] += decoder_t[best, a]
        n_fired += 1
    if n_fired > 0:
        for i in range(N):
            acc = 0.0
            for a in range(J):
                acc += decoder_t[i, a] * g[a]
            V[i] -= acc
            if w.fired_step[i] == k:
                V[i] -= p.quad_reset * w.fired_count[i]
    return n_fired if settled else -1


@numba.njit(cache=True)
def _advance_target(k, command, dt, sensory_noise, A, slow_matrix, xhat, x, drive, u, x_new):
    """Advance the target x by one Euler step with step k's shared input noise
    ``sensory_noise`` (σ_s √dt ξ, drawn by the caller), and leave in ``drive`` the
    input c dt + σ_s √dt ξ and in ``u`` the input every neuron projects onto its
    kernel, drive + (A + λ_d I) x̂ dt (the slow connections)."""
    J = x.shape[0]
    for a in range(J):
        drive[a] = command[k, a] * dt + sensory_noise[a]
        slow = 0.0
        ax = 0.0
        for b in range(J):
            slow += slow_matrix[a, b] * xhat[b]
            ax += A[a, b] * x[b]
        u[a] = drive[a] + slow * dt
        x_new[a] = x[a] + ax * dt + drive[a]
    for a in range(J):
        x[a] = x_new[a]


@numba.njit(cache=True)
def _advance_target_factored(k, time_courses, p, sensory_noise, xhat, x, drive, u, x_new, command_step):
    """Step k of a low-rank command: ``command_step`` gets the R time courses × dt,
    ``drive`` the full input c dt + σ_s √dt ξ (for x and recorded currents; σ_s √dt ξ is
    ``sensory_noise``) and ``u`` only what the neurons must still project through Γ:
    σ_s √dt ξ + (A + λ_d I) x̂ dt."""
    J = x.shape[0]
    R = time_courses.shape[1]
    dt = p.dt
    G = p.command_profiles
    A = p.A
    for q in range(R):
        command_step[q] = time_courses[k, q] * dt
    for a in range(J):
        noise = sensory_noise[a]
        c = 0.0
        for q in range(R):
            c += G[a, q] * command_step[q]
        drive[a] = c + noise
        u[a] = noise
    if p.extra_input:
        for a in range(J):
            slow = 0.0
            for b in range(J):
                slow += p.slow_matrix[a, b] * xhat[b]
            u[a] += slow * dt
    for a in range(J):
        if p.diagonal_A:
            ax = A[a, a] * x[a]
        else:
            ax = 0.0
            for b in range(J):
                ax += A[a, b] * x[b]
        x_new[a] = x[a] + ax * dt + drive[a]
    for a in range(J):
        x[a] = x_new[a]


@numba.njit(cache=True)
def _integrate(V, leak_factor, voltage_std, draws, rows, weights):
    """V ← V (1 - λ_V dt) + σ_V √dt η + rowsᵀ weights (``draws`` holds η when
    ``voltage_std > 0``), in as few passes over V as the compiler still vectorises:
    the leak, the noise and the first rows in one. Each V[i] takes the terms in
    the order leak, noise, row 0, row 1, ... (the values of separate passes, bit for bit)."""
    n_rows = rows.shape[0]
    noisy = voltage_std > 0
    first = min(n_rows, 3)
    if first == 3:
        w0, w1, w2 = weights[0], weights[1], weights[2]
        if noisy:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + voltage_std * draws[i] + rows[0, i] * w0 + rows[1, i] * w1 + rows[2, i] * w2
        else:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + rows[0, i] * w0 + rows[1, i] * w1 + rows[2, i] * w2
    elif first == 2:
        w0, w1 = weights[0], weights[1]
        if noisy:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + voltage_std * draws[i] + rows[0, i] * w0 + rows[1, i] * w1
        else:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + rows[0, i] * w0 + rows[1, i] * w1
    elif first == 1:
        w0 = weights[0]
        if noisy:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + voltage_std * draws[i] + rows[0, i] * w0
        else:
            for i in range(V.shape[0]):
                V[i] = V[i] * leak_factor + rows[0, i] * w0
    elif noisy:
        for i in range(V.shape[0]):
            V[i] = V[i] * leak_factor + voltage_std * draws[i]
    else:
        for i in range(V.shape[0]):
            V[i] *= leak_factor
    _add_projection(V, rows, weights, first)


@numba.njit(cache=True)
def _add_projection(V, rows, weights, first=0):
    """V += rows[first:]ᵀ weights[first:], three rows per pass over V (the same
    sums as one row at a time, in row order)."""
    a = first
    while a + 3 <= rows.shape[0]:
        w0, w1, w2 = weights[a], weights[a + 1], weights[a + 2]
        for i in range(V.shape[0]):
            V[i] = V[i] + rows[a, i] * w0 + rows[a + 1, i] * w1 + rows[a + 2, i] * w2
        a += 3
    while a < rows.shape[0]:
        w = weights[a]
        for i in range(V.shape[0]):
            V[i] += rows[a, i] * w
        a += 1


@numba.njit(cache=True)
def _fill_normals(out, vector, lanes, raw, halves, block, stream, tables):
    """The next len(out) normals into ``out``: from the vector generator (a whole block
    into the float32 ``block``, scratch ``raw`` and its ``halves``), or the ziggurat."""
    if vector:
        _fill_vector_normal(lanes, raw, halves, block)
        for i in range(out.shape[0]):
            out[i] = block[i]
    else:
        _fill_standard_normal(stream, tables, out)


@numba.njit(cache=True)
def _run(k_start, k_stop, command, stream, p, s, o):
    """Local steps k_start..k_stop-1, drawing from the random ``stream`` (a (4,) uint64
    xoshiro256++ state, advanced in place); returns the step at which it stopped
    (k_stop, or earlier when the spike buffer may overflow: Python grows it and
    resumes there)."""
    V, xhat, x, r, istate = s.V, s.xhat, s.x, s.r, s.istate
    decoder, thresholds = p.decoder, p.thresholds
    N = V.shape[0]
    J = xhat.shape[0]
    dt = p.dt
    D = p.delay_steps
    capacity = o.spike_step.shape[0]
    drive = np.empty(J)
    u = np.empty(J)
    x_new = np.empty(J)
    command_step = np.empty(command.shape[1])
    decoder_profiles = p.decoder_profiles
    candidates = np.empty(max(N, p.max_step_spikes), dtype=np.int64)  # this step's spikes, in order
    # hoisted once: each read of a tuple's array inside the step loop costs reference counts
    ring, fast_t, decoder_t, self_reset = s.ring, p.fast_t, p.decoder_t, p.self_reset
    A, slow_matrix = p.A, p.slow_matrix
    store_step, spike_step, spike_neuron, pop_counts = p.store_step, o.spike_step, o.spike_neuron, o.pop_counts
    n_groups, group_counts, groups, spike_counts = p.n_groups, o.group_counts, p.groups, o.spike_counts
    r_scale, ring_count = s.r_scale, s.ring_count
    delayed_self_reset, quad_reset, use_dense = p.delayed_self_reset, p.quad_reset, p.use_dense
    recorded_currents = p.cur_idx.shape[0] > 0
    greedy = _greedy_scratch(N if p.greedy_rule else 1, J, p.block_radius.shape[0])
    # thresholds of this step: the fixed ones, or with fresh noise
    noisy_thresholds = np.empty(N)
    step_thresholds = noisy_thresholds if p.threshold_step_std > 0 else thresholds
    # Without recorded currents r is only needed at the end: decay one common factor
    # instead of N values per step (exact recorded currents keep the per-neuron decay).
    track_r = p.track_r
    g = np.empty(J)
    leak_factor = 1.0 - p.membrane_leak * dt
    decay = 1.0 - p.decoder_leak * dt
    voltage_std = p.voltage_step_std
    threshold_std = p.threshold_step_std
    failure_prob = p.failure_prob
    tables = p.normal_tables
    # this step's draws, made in blocks (the module docstring's order); zero when unused
    sensory_noise = np.zeros(J)
    voltage_draws = np.zeros(N)
    threshold_draws = np.zeros(N)
    # the vector generator's blocks: float32 normals (2P of them for N or J draws) and scratch
    vector = p.vector_normals
    lanes = s.lanes
    pairs_n = _vector_pairs(N)
    pairs_j = _vector_pairs(J)
    raw_n = np.empty(pairs_n, dtype=np.uint64)
    raw_j = np.empty(pairs_j, dtype=np.uint64)
    halves_n = raw_n.view(np.uint32)
    halves_j = raw_j.view(np.uint32)
    vector_draws = np.zeros(2 * pairs_n, dtype=np.float32)
    vector_sensory = np.zeros(2 * pairs_j, dtype=np.float32)
    for kl in range(k_start, k_stop):
        k = p.step_offset + kl
        # Worst case this step adds max_step_spikes: let Python grow the buffer.
        if p.store_step[kl] and istate[0] + p.max_step_spikes > capacity:
            _settle_r(s)
            return kl
        # 1. fast input of the spikes emitted in step k - 1 - D (ring slot k % (D + 1))
        if D > 0:
            slot = k % (D + 1)
            count = ring_count[slot]
            if count > 0:
                arrived = ring[slot]
                _deliver(arrived, 0, count, delayed_self_reset, True, V, fast_t, decoder_t, self_reset, quad_reset,
                         use_dense, g)
                if recorded_currents:
                    _record_laterals(arrived, 0, count, kl, p, o)
                ring_count[slot] = 0
        # 2. integrate inputs, target and read-out
        if p.sensory_step_std > 0:
            _fill_normals(sensory_noise, vector, lanes, raw_j, halves_j, vector_sensory, stream, tables)
            for a in range(J):
                sensory_noise[a] *= p.sensory_step_std
        if p.factored:
            _advance_target_factored(kl, command, p, sensory_noise, xhat, x, drive, u, x_new, command_step)
        else:
            _advance_target(kl, command, dt, sensory_noise, A, slow_matrix, xhat, x, drive, u, x_new)
        for c in range(p.cur_idx.shape[0]):
            i = p.cur_idx[c]
            for a in range(J):
                w = decoder[a, i] * drive[a] / dt
                if w > 0:
                    o.exc_rec[kl, c] += w
                else:
                    o.inh_rec[kl, c] += w
            for n in range(N):
                w = p.slow_rows[c, n] * r[n]
                if w > 0:
                    o.exc_rec[kl, c] += w
                else:
                    o.inh_rec[kl, c] += w
        if voltage_std > 0:
            if vector:
                _fill_vector_normal(lanes, raw_n, halves_n, vector_draws)
            else:
                _fill_standard_normal(stream, tables, voltage_draws)
        if p.factored:
            if vector:  # the float32 draws are read where they are (no copy)
                _integrate(V, leak_factor, voltage_std, vector_draws, decoder_profiles, command_step)
            else:
                _integrate(V, leak_factor, voltage_std, voltage_draws, decoder_profiles, command_step)
            if p.extra_input:
                _add_projection(V, decoder, u)
        elif vector:
            _integrate(V, leak_factor, voltage_std, vector_draws, decoder, u)
        else:
            _integrate(V, leak_factor, voltage_std, voltage_draws, decoder, u)
        if track_r:
            for i in range(N):
                r[i] *= decay
        else:
            s.r_scale[0] *= decay
            if s.r_scale[0] < 1e-150:  # long before float64 underflows
                _settle_r(s)
        for a in range(J):
            xhat[a] *= decay
        # 3. spikes, in two lists fired by the one block below (see _deliver's note): the
        #    forced spikes (a held DelaySpike now due, an ExtraSpike), then the rule's.
        for forced in (True, False):
            n_cand = 0
            first = 0
            if forced:
                if istate[1] >= 0 and k >= istate[2]:
                    candidates[0] = istate[1]
                    istate[1] = -1
                    n_cand = 1
                if k == p.extra_step:
                    candidates[n_cand] = p.extra_neuron
                    n_cand += 1
                if n_cand == 0:
                    continue
            else:
                held = istate[1]
                if threshold_std > 0:
                    _fill_normals(threshold_draws, vector, lanes, raw_n, halves_n, vector_draws, stream, tables)
                    for i in range(N):
                        noisy_thresholds[i] = thresholds[i] + threshold_std * threshold_draws[i]
                if p.greedy_rule:  # applies each spike's fast input as it chooses
                    if use_dense:
                        n_cand = _greedy_dense(k, step_thresholds, stream, p, s, greedy, candidates)
                    else:
                        n_cand = _greedy_low_rank(k, step_thresholds, stream, p, s, greedy, candidates)
                    if n_cand < 0:  # Python raises, naming the step and the neuron
                        _settle_r(s)
                        return kl
                elif p.single_rule:
                    best = -1
                    best_excess = 0.0
                    for i in range(N):
                        excess = V[i] - step_thresholds[i]
                        if excess > best_excess and k < p.silence_step[i] and i != held:
                            best_excess = excess
                            best = i
                    if best >= 0 and (failure_prob == 0.0 or _uniform(stream) >= failure_prob):
                        candidates[0] = best
                        n_cand = 1
                else:
                    # Most steps have no neuron above threshold: a vectorised count first, the
                    # branchy scan (silenced, held, failures) only when there is one.
                    n_above = 0
                    for i in range(N):
                        n_above += V[i] > step_thresholds[i]
                    i = 0
                    while n_above > 0:  # up to the last neuron above threshold
                        if V[i] > step_thresholds[i]:
                            n_above -= 1
                            if k < p.silence_step[i] and i != held:
                                if failure_prob == 0.0 or _uniform(stream) >= failure_prob:
                                    candidates[n_cand] = i
                                    n_cand += 1
                        i += 1
                if not p.greedy_rule and n_cand > 0 and istate[3] == 1 and k >= p.perturb_step:
                    # postpone this step's first spike; its neuron is held until then
                    istate[1] = candidates[0]
                    istate[2] = k + p.perturb_delay
                    istate[3] = 0
                    first = 1
            if n_cand == first:
                continue
            # book the spikes (none of this reads a voltage) ...
            for m in range(first, n_cand):
                j = candidates[m]
                if store_step[kl]:
                    n = istate[0]
                    spike_step[n] = k
                    spike_neuron[n] = j
                    istate[0] = n + 1
                pop_counts[kl] += 1
                if n_groups > 0:
                    group_counts[kl, groups[j]] += 1
                spike_counts[j] += 1
                for a in range(J):
                    xhat[a] += decoder_t[j, a]
                r[j] += 1.0 / r_scale[0]
            # ... then apply their fast input in order (the greedy rule has), or schedule it
            if D == 0:
                if forced or not p.greedy_rule:
                    # the rule's simultaneous spikes on the low-rank path act together: one
                    # O(N·J) pass; forced spikes one by one
                    _deliver(candidates, first, n_cand, True, not forced and n_cand - first > 1, V, fast_t,
                             decoder_t, self_reset, quad_reset, use_dense, g)
                if recorded_currents:
                    _record_laterals(candidates, first, n_cand, kl, p, o)
            else:
                slot = k % (D + 1)
                for m in range(first, n_cand):
                    j = candidates[m]
                    if not delayed_self_reset:
                        V[j] -= self_reset[j]
                    ring[slot, ring_count[slot]] = j
                    ring_count[slot] += 1
        # 4. record
        e_norm2 = 0.0
        e_abs = 0.0
        for a in range(J):
            e = x[a] - xhat[a]
            e_norm2 += e * e
            e_abs += abs(e)
        o.error_sums[0] += math.sqrt(e_norm2)
        o.error_sums[1] += e_abs
        o.error_sums[2] += e_norm2
        every = p.trajectory_every
        if every == 1:
            for a in range(J):
                o.xhat_rec[kl, a] = xhat[a]
                o.x_rec[kl, a] = x[a]
        elif every > 1 and (kl + 1) % every == 0:
            row = (kl + 1) // every - 1
            for a in range(J):
                o.xhat_rec[row, a] = xhat[a]
                o.x_rec[row, a] = x[a]
        for c in range(p.v_idx.shape[0]):
            o.v_rec[kl, c] = V[p.v_idx[c]]
    _settle_r(s)
    return k_stop


def _summary_from_spikes(spike_steps, spike_neurons, n_steps, n_neurons, estimate, target) -> dict:
    """Summary fields of :class:`SimulationResult` for a fully recorded run of another
    simulator (e.g. the rate model): counts per step and per neuron, coding-error sums."""
    error = np.asarray(target) - np.asarray(estimate)
    return dict(population_counts=np.bincount(spike_steps, minlength=n_steps).astype(np.int32),
                spike_counts=np.bincount(spike_neurons, minlength=n_neurons).astype(np.int64),
                error_norm_sum=float(np.linalg.norm(error, axis=1).sum()),
                error_abs_sum=float(np.abs(error).sum()), error_squared_sum=float((error ** 2).sum()),
                n_error_steps=int(n_steps))


# ---------------------------------------------------------------------------------------------
# validation helpers (shared with rate_model)


def _fastest_rate(network: Network) -> float:
    eig = np.abs(np.linalg.eigvals(network.A)).max() if network.A.size else 0.0
    return max(network.membrane_leak, network.decoder_leak, float(eig))


def _check_low_rank(command: LowRankCommand, J: int) -> LowRankCommand:
    courses = np.ascontiguousarray(command.time_courses, dtype=float)
    profiles = np.ascontiguousarray(command.profiles, dtype=float)
    if courses.ndim != 2 or courses.shape[0] < 1 or courses.shape[1] < 1:
        raise ValueError(f"command.time_courses must have shape (n_steps, R) with n_steps, R >= 1, "
                         f"got {courses.shape}")
    R = courses.shape[1]
    if profiles.shape != (J, R):
        raise ValueError(f"command.profiles must have shape (J, R) = ({J}, {R}), got {profiles.shape}")
    for name, arr in (("time_courses", courses), ("profiles", profiles)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"command.{name} must contain only finite values")
    return LowRankCommand(courses, profiles)


def _check_drive(network, command, dt, x0, sensory_noise, fastest_rate, low_rank_ok: bool = False):
    """Validate what every network simulation takes; return (command (n_steps, J) — or a
    validated :class:`LowRankCommand` if ``low_rank_ok`` —, dt, x0 vector)."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    J = network.n_variables
    if isinstance(command, LowRankCommand):
        if not low_rank_ok:
            raise TypeError("this simulator takes the command as an (n_steps, J) array; use command.dense()")
        command = _check_low_rank(command, J)
    else:
        command = np.asarray(command, dtype=float)
        if command.ndim == 1 and J == 1:
            command = command[:, None]
        if command.ndim != 2 or command.shape[1] != J or command.shape[0] < 1:
            raise ValueError(f"command must have shape (n_steps, J={J}) with n_steps >= 1, got {command.shape}")
        if not np.all(np.isfinite(command)):
            raise ValueError("command must contain only finite values")
    dt = float(dt)
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    if dt * fastest_rate > MAX_DT_RATE:
        raise ValueError(f"dt={dt} s is too large for the fastest rate of the model ({fastest_rate:g} Hz): "
                         f"need dt <= {MAX_DT_RATE / fastest_rate:g} s")
    if not (np.isfinite(sensory_noise) and sensory_noise >= 0):
        raise ValueError(f"sensory_noise must be a finite number >= 0 (per √s), got {sensory_noise}")
    n_steps = command.n_steps if isinstance(command, LowRankCommand) else command.shape[0]
    _check_growth(network, n_steps * dt)
    x = np.zeros(J) if x0 is None else np.array(x0, dtype=float).reshape(-1)
    if x.shape != (J,) or not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be a finite vector of length J={J}, got {np.shape(x0)}")
    return command, dt, x


#: Largest growth factor of the target over one run that a simulation accepts.
MAX_TARGET_GROWTH = 1e6


def _check_growth(network: Network, duration: float) -> None:
    """Refuse an unstable ``A`` whose target would grow beyond :data:`MAX_TARGET_GROWTH` in ``duration`` s
    (the network cannot follow it, and the numbers become meaningless)."""
    if network.A.size == 0:
        return
    growth_rate = float(np.max(np.linalg.eigvals(network.A).real))
    if growth_rate > 0 and growth_rate * duration > math.log(MAX_TARGET_GROWTH):
        raise ValueError(
            f"A has an eigenvalue with real part {growth_rate:g} Hz: over the run's {duration:g} s the target "
            f"would grow by a factor e^{growth_rate * duration:.3g} > {MAX_TARGET_GROWTH:g}. Use a stable (or "
            f"marginally stable) A, or a run shorter than {math.log(MAX_TARGET_GROWTH) / growth_rate:.3g} s")


def _steps(value: float, dt: float, name: str) -> int:
    steps = value / dt
    if not np.isfinite(steps) or abs(steps - round(steps)) > 1e-6:
        raise ValueError(f"{name} must be a whole number of steps of dt={dt} s, got {value} s")
    return int(round(steps))


def _stamps_in_window(stamps, t_start: float, t_stop: float, dt: float) -> np.ndarray:
    """Mask of the stamps (in steps of ``dt``) inside the window (t_start, t_stop] (s).

    A step's spikes are stamped at its end, so the window holds exactly the steps
    that run from ``t_start`` to ``t_stop``; the tolerance absorbs the rounding of
    window ends that lie on the step grid.
    """
    stamps = np.asarray(stamps)
    return (stamps > t_start / dt + 1e-6) & (stamps <= t_stop / dt + 1e-6)


def _first_step_at(time: float, dt: float) -> int:
    """Index of the first step starting at or after ``time`` (s)."""
    return int(math.ceil(time / dt - 1e-9))


def _check_groups(groups, N):
    g = np.asarray(groups)
    if g.shape != (N,):
        raise ValueError(f"groups must be an integer array of shape (N,) = ({N},), got shape {g.shape}")
    if not np.issubdtype(g.dtype, np.integer):
        raise ValueError(f"groups must hold integer group indices 0..G-1, got dtype {g.dtype}")
    if g.min() < 0:
        raise ValueError(f"groups must hold group indices >= 0, got minimum {g.min()}")
    return g.astype(np.int64), int(g.max()) + 1


def _check_windows(spike_windows):
    try:
        w = np.array(spike_windows, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("spike_windows must be a sequence of (t0, t1) pairs in s") from None
    if w.size == 0:
        return np.zeros((0, 2))
    if w.ndim != 2 or w.shape[1] != 2:
        raise ValueError(f"spike_windows must be a sequence of (t0, t1) pairs in s, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("spike_windows must contain only finite times (s)")
    if np.any(w[:, 1] <= w[:, 0]):
        raise ValueError(f"every spike window needs t1 > t0, got {w.tolist()}")
    return w


def _check_state(state, network, dt, delay_steps, self_reset, normal_generator):
    if not isinstance(state, SimulationState):
        raise TypeError(f"initial_state must be a SimulationState (result.final_state), got {type(state).__name__}")
    N, J = network.n_neurons, network.n_variables
    if not math.isclose(state.dt, dt, rel_tol=1e-12):
        raise ValueError(f"initial_state was produced with dt={state.dt} s; continue with the same dt, got {dt}")
    if state.delay_steps != delay_steps:
        raise ValueError(f"initial_state was produced with a delay of {state.delay_steps} steps; continue with "
                         f"the same delay ({state.delay_steps * dt} s), got {delay_steps} steps")
    if state.self_reset != self_reset:
        raise ValueError(f"initial_state was produced with self_reset={state.self_reset!r}; continue with "
                         f"the same option, got {self_reset!r}")
    for name, arr, n in (("voltages", state.voltages, N), ("filtered_spikes", state.filtered_spikes, N),
                         ("target", state.target, J), ("estimate", state.estimate, J)):
        arr = np.asarray(arr)
        if arr.shape != (n,) or not np.all(np.isfinite(arr)):
            raise ValueError(f"initial_state.{name} must be a finite vector of length {n}, got shape {arr.shape}")
    pn = np.asarray(state.pending_neurons)
    ps = np.asarray(state.pending_delivery_steps)
    if pn.shape != ps.shape or pn.ndim != 1:
        raise ValueError("initial_state.pending_neurons and pending_delivery_steps must be 1-D of equal length")
    if pn.size and (pn.min() < 0 or pn.max() >= N):
        raise ValueError(f"initial_state.pending_neurons must hold neuron indices in [0, {N - 1}]")
    if ps.size and (ps.min() < state.step or ps.max() > state.step + delay_steps):
        raise ValueError(f"initial_state.pending_delivery_steps must lie in [step, step + D] = "
                         f"[{state.step}, {state.step + delay_steps}]")
    stream = state.stream_state
    if not (isinstance(stream, np.ndarray) and stream.dtype == np.uint64 and stream.shape == (4,)):
        raise ValueError(f"initial_state.stream_state must be a (4,) uint64 array (a random_streams state), got "
                         f"{type(stream).__name__} {getattr(stream, 'dtype', '')} {np.shape(stream)}")
    if not np.any(stream):
        raise ValueError("initial_state.stream_state must not be all zero (the fixed point of xoshiro256++)")
    made_with = "ziggurat" if state.lane_state is None else "vector"
    if made_with != normal_generator:
        raise ValueError(f"initial_state comes from a run with normal_generator={made_with!r}; continue it with "
                         f"the same generator, got normal_generator={normal_generator!r}")
    if state.lane_state is not None:
        random_streams._checked_lanes(np.array(state.lane_state, order="C"), "initial_state.lane_state")


def _check_greedy(network: Network, delay_steps: int, delay: float) -> None:
    """The greedy rule needs instantaneous fast connections and positive self-resets."""
    if delay_steps > 0:
        raise ValueError(f"spike_rule='greedy' needs delay=0, got delay={delay} s: with a delay the spikes of "
                         f"one step cannot act on each other within it, so there is nothing to choose in "
                         f"sequence; use spike_rule='all'")
    # the reset the kernel applies (the dense diagonal, or ‖Γ_i‖² + μ λ_d²) and the network's own
    applied = (-np.diag(network.fast_weights) if network.fast_weights is not None
               else np.sum(network.decoder ** 2, axis=0) + network.quadratic_cost * network.decoder_leak ** 2)
    bad = np.flatnonzero(~(applied > 0) | ~(np.asarray(network.self_reset) > 0))
    if bad.size:
        raise ValueError(f"spike_rule='greedy' needs every self-reset > 0 (neurons {bad[:10].tolist()} are not "
                         f"lowered by their own spike, so they would stay above threshold for ever)")


def _greedy_blocks(decoder: np.ndarray):
    """Blocks of consecutive neurons for the greedy search (module docstring): the block size
    (about √N: one spike costs O(N/size + size) kernel products), each block's mean kernel
    c_b, its radius max ‖Γ_i - c_b‖ and its largest kernel norm."""
    J, N = decoder.shape
    size = max(16, int(math.isqrt(N)))
    n_blocks = -(-N // size)
    kernels = np.full((n_blocks * size, J), np.nan)
    kernels[:N] = decoder.T
    kernels = kernels.reshape(n_blocks, size, J)
    center = np.nanmean(kernels, axis=1)
    # rounded up, so that rounding never makes the bound smaller than the truth
    radius = np.nanmax(np.linalg.norm(kernels - center[:, None, :], axis=2), axis=1) * (1 + 1e-9)
    norm = np.nanmax(np.linalg.norm(kernels, axis=2), axis=1)
    return size, np.ascontiguousarray(center), radius, norm


_SPIKE_RULES = ("single", "all", "greedy")
_SELF_RESET = ("immediate", "delayed")
_RECORD = ("full", "summary")
_NORMAL_GENERATORS = ("ziggurat", "vector")


def simulate(network: Network, command, dt: float, *, x0=None, sensory_noise: float = 0.0,
             voltage_noise: float = 0.0, threshold_noise: float = 0.0, delay: float = 0.0,
             self_reset: str = "immediate", spike_rule: str = "single", spike_failure: float = 0.0,
             initial_voltage=None, initial_state: SimulationState | None = None,
             silence: Silencing | None = None, perturbation: DelaySpike | ExtraSpike | None = None,
             record: str = "full", groups=None, spike_windows=None, trajectory_every: int | None = None,
             record_voltages=(), record_currents=(), seed=None, normal_generator: str = "ziggurat",
             initial_spike_capacity: int = 1 << 16) -> SimulationResult:
    """Simulate ``network`` driven by ``command`` (see the module docstring for the step).

    Parameters
    ----------
    network : Network
        From :func:`pcn_core.network.boerlin_network` or ``koren_network``.
    command : array_like, shape (n_steps, J), or LowRankCommand
        Command input c(t) per step (units of x per s); 1-D accepted when J = 1.
        A :class:`LowRankCommand` (c = profiles @ time_courses[k]) is simulated
        without ever forming the (n_steps, J) array, at O(N·R) per step.
    dt : float
        Euler step (s); must satisfy dt × fastest rate of the model <= 0.1.
    x0 : array_like, shape (J,), optional
        Initial target state (default 0); the estimate starts at 0.
    sensory_noise : float
        σ_s >= 0, shared input noise density (x per √s).
    voltage_noise : float
        σ_V >= 0, independent voltage noise density (voltage per √s).
    threshold_noise : float
        σ_θ >= 0, s.d. (voltage units) of independent Gaussian noise added to
        each threshold in each step (a fresh draw per step, not integrated).
    delay : float
        Transmission delay of the fast connections (s, a whole number >= 0 of
        steps); a spike stamped at t acts at t + delay (module docstring). For
        Koren's synaptic delay δ use ``koren_kernel_delay(δ, dt)``.
    self_reset : {"immediate", "delayed"}
        Whether the autapse (self-reset) acts at once or after ``delay`` like
        every other connection.
    spike_rule : {"single", "all", "greedy"}
        At most one spike per step (the one furthest above threshold), every
        neuron above threshold, or (``delay = 0`` only) Boerlin's greedy rule
        carried through the step: fire the neuron furthest above threshold, let
        its spike act on every voltage, choose again until none is above
        (module docstring; what large networks need).
    spike_failure : float
        Probability in [0, 1] that a neuron due to fire does not.
    initial_voltage : array_like, shape (N,), optional
        Finite initial membrane potentials (default 0). For a random start draw
        them yourself, e.g. ``T - net.self_reset * rng.random(N)``.
    initial_state : SimulationState, optional
        ``final_state`` of an earlier run to continue exactly (its V, x, x̂, r,
        pending spikes, random stream and step count). Needs the same network
        size, ``dt``, ``delay`` and ``self_reset``; ``x0``, ``initial_voltage``
        and ``seed`` must then be None. The continued run draws from a copy of
        its ``stream_state`` (a Generator passed as ``seed`` to the first run is
        not advanced by the second).
    silence : Silencing, optional
        Neurons that cannot fire from ``silence.time`` (s, absolute, >= 0) on.
    perturbation : DelaySpike or ExtraSpike, optional
        One perturbation; its time (s, absolute: a continued run starts at
        ``initial_state.step · dt``) must lie inside the run.
    record : {"full", "summary"}
        "full" stores every spike and x, x̂ after every step; "summary" stores the
        per-step counts, error sums and per-neuron counts (always computed),
        spikes only inside ``spike_windows`` and trajectories only with
        ``trajectory_every``.
    groups : array_like of int, shape (N,), optional
        Group 0..G-1 of each neuron; ``result.group_counts`` then holds the spikes
        per group and step.
    spike_windows : sequence of (t0, t1), optional
        Summary mode only: store the spikes stamped in (t0, t1] (s, absolute),
        i.e. those of the steps that run from t0 to t1 (a step's spikes are
        stamped at its end).
    trajectory_every : int, optional
        Summary mode only: store x and x̂ after every ``trajectory_every``-th step
        (>= 1). Full mode stores every step.
    record_voltages, record_currents : sequence of int
        Neurons whose voltage, or excitatory and inhibitory input currents
        (voltage per s, split by the sign of each synaptic or feed-forward term;
        leak and voltage noise excluded), are recorded after each step.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Seeds the run's random stream, the source of every random draw
        (:func:`pcn_core.random_streams.stream_state`, which follows
        :func:`pcn_core.validation.rng`; a Generator is advanced in place).
    normal_generator : {"ziggurat", "vector"}
        Source of the Gaussian draws (sensory, voltage and threshold noise):
        the exact ziggurat on the run's stream, or the vector generator
        (:func:`pcn_core.random_streams.vector_normal`: float32 Box–Muller on
        lock-step lanes, within 1e-6 of exact normals, cut at ±6.66, about
        twice as fast). The two give different realisations of the same
        noise; a continued run must use its first run's generator.
    initial_spike_capacity : int
        First size of the spike buffer (it grows as needed; nothing is lost).

    Returns
    -------
    SimulationResult
        Spikes, trajectories, summary fields and ``final_state``.

    Raises
    ------
    ValueError
        For out-of-range values, wrong shapes or non-finite inputs (the message
        names the parameter and the allowed range); for ``spike_rule="greedy"``
        with ``delay > 0`` or a non-positive self-reset, or when the greedy rule
        does not settle within a step (a neuron due to fire more than
        :data:`MAX_GREEDY_SPIKES` times in it).
    TypeError
        For a wrong network, perturbation, seed or initial_state type, or
        non-integer neuron indices (``record_voltages``, ``record_currents``,
        ``silence.neurons``, ``perturbation.neuron``).

    See Also
    --------
    koren_kernel_delay : ``delay`` for Koren & Denève's synaptic delay.
    pcn_core.rate_model.simulate_rate_model : the matched Poisson model.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqns. (1)-(11) and (17);
       one spike per step ("single") as in the paper's simulations.
    .. [2] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355, Methods §1.2 and §2
       ("all" rule with transmission delays).

    Examples
    --------
    Twenty neurons with kernels ±0.01 integrate ``c = 1`` for 200 steps of
    1 ms: the target reaches ``x = 0.2``, only positive-kernel neurons fire,
    and the read-out stays within one kernel of the target.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> result = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> result.n_spikes, result.target.shape
    (40, (200, 1))
    >>> round(float(result.target[-1, 0]), 3)
    0.2
    >>> bool(result.spike_neurons.max() < 10)
    True
    >>> bool(np.abs(result.target - result.estimate).max() < 0.01)
    True

    With 2000 neurons and kernels of 0.002 the same task needs 1.5 spikes per 1 ms
    step: "single" falls behind, "greedy" keeps the read-out within a kernel of x.

    >>> big = boerlin_network(homogeneous_kernels(2000, 0.002), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0, linear_cost=1e-7, quadratic_cost=1e-8)
    >>> for rule in ("single", "greedy"):
    ...     run = simulate(big, np.ones(200), dt=1e-3, voltage_noise=1e-6, seed=0, spike_rule=rule)
    ...     print(rule, int(run.population_counts.max()), round(float(run.target[-1, 0] - run.estimate[-1, 0]), 4))
    single 1 0.0369
    greedy 2 0.0009
    """
    command, dt, x = _check_drive(network, command, dt, x0, sensory_noise, _fastest_rate(network),
                                  low_rank_ok=True)
    N, J = network.n_neurons, network.n_variables
    factored = isinstance(command, LowRankCommand)
    if factored:
        profiles = command.profiles
        command = command.time_courses
    n_steps = command.shape[0]
    for name, value in (("voltage_noise", voltage_noise), ("threshold_noise", threshold_noise)):
        if not (np.isfinite(value) and value >= 0):
            unit = "per √s" if name == "voltage_noise" else "voltage units per step"
            raise ValueError(f"{name} must be a finite number >= 0 ({unit}), got {value}")
    if not (0.0 <= spike_failure <= 1.0):
        raise ValueError(f"spike_failure must be a probability in [0, 1], got {spike_failure}")
    if spike_rule not in _SPIKE_RULES:
        raise ValueError(f"spike_rule must be 'single', 'all' or 'greedy', got {spike_rule!r}")
    if self_reset not in _SELF_RESET:
        raise ValueError(f"self_reset must be 'immediate' or 'delayed', got {self_reset!r}")
    if record not in _RECORD:
        raise ValueError(f"record must be 'full' or 'summary', got {record!r}")
    if normal_generator not in _NORMAL_GENERATORS:
        raise ValueError(f"normal_generator must be 'ziggurat' or 'vector', got {normal_generator!r}")
    if not (np.isfinite(delay) and delay >= 0):
        raise ValueError(f"delay must be >= 0 s, got {delay}")
    delay_steps = _steps(delay, dt, "delay")
    if spike_rule == "greedy":
        _check_greedy(network, delay_steps, delay)
    if delay_steps >= n_steps and initial_state is None:
        raise ValueError(f"delay={delay} s is not shorter than the run ({n_steps} steps of {dt} s): no lateral "
                         f"connection would act within it. Run longer (chunks continue with initial_state)")

    # starting point: fresh, or the state of an earlier run
    if initial_state is not None:
        for name, value in (("x0", x0), ("initial_voltage", initial_voltage), ("seed", seed)):
            if value is not None:
                raise ValueError(f"{name} must be None when initial_state is given (the state holds it)")
        _check_state(initial_state, network, dt, delay_steps, self_reset, normal_generator)
        offset = int(initial_state.step)
        V = np.array(initial_state.voltages, dtype=float)
        x = np.array(initial_state.target, dtype=float)
        xhat = np.array(initial_state.estimate, dtype=float)
        r = np.array(initial_state.filtered_spikes, dtype=float)
        stream = np.array(initial_state.stream_state)  # a copy: the state can be continued again
        lanes = None if initial_state.lane_state is None else np.array(initial_state.lane_state, order="C")
    else:
        offset = 0
        if initial_voltage is None:
            V = np.zeros(N)
        else:
            V = np.array(initial_voltage, dtype=float)
            if V.shape != (N,) or not np.all(np.isfinite(V)):
                raise ValueError(f"initial_voltage must be a finite vector of length N={N}, "
                                 f"got shape {np.shape(initial_voltage)}")
        xhat = np.zeros(J)
        r = np.zeros(N)
        stream = random_streams.stream_state(seed)
        lanes = random_streams.lane_state(stream) if normal_generator == "vector" else None
    istate = np.zeros(_N_ISTATE, dtype=np.int64)
    istate[1] = -1
    ring = np.zeros((delay_steps + 1, N + 2), dtype=np.int64)
    ring_count = np.zeros(delay_steps + 1, dtype=np.int64)
    if initial_state is not None:
        istate[1], istate[2] = initial_state.held_neuron, initial_state.held_until_step
        for j, due in zip(np.asarray(initial_state.pending_neurons), np.asarray(initial_state.pending_delivery_steps)):
            slot = int(due) % (delay_steps + 1)
            ring[slot, ring_count[slot]] = j
            ring_count[slot] += 1

    # perturbations and silencing, in absolute steps
    t_begin, t_end = offset * dt, (offset + n_steps) * dt
    silence_step = np.full(N, np.iinfo(np.int64).max, dtype=np.int64)
    if silence is not None:
        if not (np.isfinite(silence.time) and 0 <= silence.time):
            raise ValueError(f"silence.time must be >= 0 s, got {silence.time}")
        silence_step[validation.indices(silence.neurons, N, "silence.neurons")] = _first_step_at(silence.time, dt)
    perturb_step, perturb_delay, extra_step, extra_neuron = -1, 0, -1, 0
    if isinstance(perturbation, (DelaySpike, ExtraSpike)):
        if not t_begin <= perturbation.time < t_end:
            raise ValueError(f"perturbation.time must lie in [{t_begin}, {t_end}) s, got {perturbation.time}")
    if isinstance(perturbation, DelaySpike):
        perturb_step = _first_step_at(perturbation.time, dt)
        perturb_delay = _steps(perturbation.delay, dt, "perturbation.delay")
        if perturb_delay < 1:
            raise ValueError(f"perturbation.delay must be at least one step ({dt} s), got {perturbation.delay}")
        istate[3] = 1
    elif isinstance(perturbation, ExtraSpike):
        extra_step = _first_step_at(perturbation.time, dt)
        extra_neuron = int(validation.indices([perturbation.neuron], N, "perturbation.neuron")[0])
    elif perturbation is not None:
        raise TypeError("perturbation must be a DelaySpike, an ExtraSpike or None")

    # what to record
    v_idx = validation.indices(record_voltages, N, "record_voltages")
    cur_idx = validation.indices(record_currents, N, "record_currents")
    if groups is None:
        group_idx, n_groups = np.zeros(N, dtype=np.int64), 0
    else:
        group_idx, n_groups = _check_groups(groups, N)
    if record == "full":
        if spike_windows is not None:
            raise ValueError("spike_windows applies to record='summary' (record='full' stores every spike)")
        if trajectory_every not in (None, 1):
            raise ValueError("trajectory_every applies to record='summary' (record='full' stores every step)")
        every, windows = 1, None
        store_step = np.ones(n_steps, dtype=np.uint8)
    else:
        if trajectory_every is None:
            every = 0
        elif (isinstance(trajectory_every, (int, np.integer)) and not isinstance(trajectory_every, bool)
              and 1 <= trajectory_every <= n_steps):
            every = int(trajectory_every)
        else:
            raise ValueError(f"trajectory_every must be None or an integer in [1, n_steps={n_steps}], "
                             f"got {trajectory_every!r}")
        windows = _check_windows([] if spike_windows is None else spike_windows)
        store_step = np.zeros(n_steps, dtype=np.uint8)
        stamps = np.arange(offset + 1, offset + n_steps + 1)  # spike time of each step, in steps
        for t0, t1 in windows:
            store_step[_stamps_in_window(stamps, t0, t1, dt)] = 1
    if not (isinstance(initial_spike_capacity, (int, np.integer)) and initial_spike_capacity >= 1):
        raise ValueError(f"initial_spike_capacity must be an integer >= 1, got {initial_spike_capacity!r}")

    use_dense = network.fast_weights is not None
    greedy_rule = spike_rule == "greedy"
    blocks = _greedy_blocks(network.decoder) if greedy_rule and not use_dense else None
    # the buffer keeps room for the most spikes one step can add (two forced ones included)
    max_step_spikes = (MAX_GREEDY_SPIKES if greedy_rule else 1) * N + 2
    params = _Params(
        decoder=np.ascontiguousarray(network.decoder), thresholds=np.ascontiguousarray(network.thresholds),
        self_reset=np.ascontiguousarray(network.self_reset),
        quad_reset=float(network.quadratic_cost * network.decoder_leak ** 2),
        A=np.ascontiguousarray(network.A, dtype=float), slow_matrix=np.ascontiguousarray(network.slow_matrix),
        # contiguous rows for what one spike touches (columns of Ω_f and Γ)
        fast_t=_columns_as_rows(network.fast_weights) if use_dense else np.zeros((1, 1)),
        decoder_t=np.ascontiguousarray(network.decoder.T), use_dense=use_dense,
        membrane_leak=float(network.membrane_leak), decoder_leak=float(network.decoder_leak), dt=dt,
        sensory_step_std=float(sensory_noise * math.sqrt(dt)), voltage_step_std=float(voltage_noise * math.sqrt(dt)),
        threshold_step_std=float(threshold_noise), delay_steps=delay_steps, single_rule=spike_rule == "single",
        greedy_rule=greedy_rule, max_step_spikes=max_step_spikes,
        block_size=blocks[0] if blocks else 1, block_center=blocks[1] if blocks else np.zeros((1, 1)),
        block_radius=blocks[2] if blocks else np.zeros(1), block_norm=blocks[3] if blocks else np.zeros(1),
        failure_prob=float(spike_failure), delayed_self_reset=self_reset == "delayed",
        silence_step=silence_step, perturb_step=perturb_step, perturb_delay=perturb_delay,
        extra_step=extra_step, extra_neuron=extra_neuron, step_offset=offset, track_r=cur_idx.size > 0,
        slow_rows=network.slow_weights(rows=cur_idx) if cur_idx.size else np.zeros((0, N)),
        v_idx=v_idx, cur_idx=cur_idx, groups=group_idx, n_groups=n_groups, store_step=store_step,
        trajectory_every=every, factored=factored,
        command_profiles=profiles if factored else np.zeros((1, 1)),
        decoder_profiles=np.ascontiguousarray((network.decoder.T @ profiles).T) if factored else np.zeros((1, 1)),
        extra_input=bool(sensory_noise > 0 or np.any(network.slow_matrix != 0)),
        diagonal_A=bool(np.count_nonzero(network.A - np.diag(np.diag(network.A))) == 0),
        normal_tables=random_streams._TABLES, vector_normals=lanes is not None)
    state = _State(V=V, xhat=xhat, x=x, r=r, istate=istate, ring=ring, ring_count=ring_count, r_scale=np.ones(1),
                   lanes=np.zeros((4, random_streams.LANES), dtype=np.uint64) if lanes is None else lanes)
    # (a run that stores no spike never touches the buffer)
    capacity = max(int(initial_spike_capacity), max_step_spikes) if store_step.any() else 1
    n_rows = n_steps // every if every else 0
    # int16 halves the memory of long runs; the dummy (no groups) keeps one compiled type
    group_dtype = np.int16 if (N + 2 < np.iinfo(np.int16).max or not n_groups) else np.int32
    out = _Out(spike_step=np.empty(capacity, dtype=np.int64), spike_neuron=np.empty(capacity, dtype=np.int64),
               xhat_rec=np.empty((n_rows, J)), x_rec=np.empty((n_rows, J)), v_rec=np.empty((n_steps, v_idx.size)),
               exc_rec=np.zeros((n_steps, cur_idx.size)), inh_rec=np.zeros((n_steps, cur_idx.size)),
               pop_counts=np.zeros(n_steps, dtype=np.int32),
               group_counts=np.zeros((n_steps, n_groups) if n_groups else (1, 1), dtype=group_dtype),
               spike_counts=np.zeros(N, dtype=np.int64), error_sums=np.zeros(3))
    k = 0
    while k < n_steps:
        k = _run(k, n_steps, command, stream, params, state, out)
        if istate[4]:
            raise ValueError(
                f"spike_rule='greedy' did not settle in step {int(istate[6])} (t = {(istate[6] + 1) * dt:g} s): "
                f"neuron {int(istate[5])} was due to fire more than MAX_GREEDY_SPIKES = {MAX_GREEDY_SPIKES} times "
                f"in that step: its voltage sat more than that many resets above threshold, or neurons with "
                f"opposite kernels handed an excess back and forth (without a quadratic cost, a spike of one "
                f"and then of the other leaves every voltage where it was, so the sequential rule never stops "
                f"once their voltages sum to more than the linear cost ν λ_d). Use a quadratic cost (or a "
                f"larger linear one), a smaller dt, initial voltages below threshold, or spike_rule='all'")
        if k < n_steps:  # buffer full: grow it and resume at step k (nothing is lost)
            out = out._replace(spike_step=np.concatenate([out.spike_step, np.empty_like(out.spike_step)]),
                               spike_neuron=np.concatenate([out.spike_neuron, np.empty_like(out.spike_neuron)]))
    n = int(istate[0])

    # pending spikes, in delivery then emission order
    end = offset + n_steps
    pend_n, pend_s = [], []
    for due in range(end, end + delay_steps + 1) if delay_steps else ():
        slot = due % (delay_steps + 1)
        pend_n.extend(ring[slot, :ring_count[slot]].tolist())
        pend_s.extend([due] * int(ring_count[slot]))
    final = SimulationState(step=end, dt=dt, delay_steps=delay_steps, self_reset=self_reset,
                            voltages=V.copy(), target=x.copy(), estimate=xhat.copy(), filtered_spikes=r.copy(),
                            pending_neurons=np.array(pend_n, dtype=np.int64),
                            pending_delivery_steps=np.array(pend_s, dtype=np.int64),
                            held_neuron=int(istate[1]), held_until_step=int(istate[2]),
                            stream_state=stream.copy(), lane_state=None if lanes is None else lanes.copy())
    # Spikes happen at the end of their step: time (k + 1) dt, matching `times`.
    return SimulationResult(
        network=network, dt=dt, n_steps=n_steps, spike_times=(out.spike_step[:n] + 1) * dt,
        spike_neurons=out.spike_neuron[:n].copy(), estimate=out.xhat_rec, target=out.x_rec,
        voltage_neurons=v_idx, voltages=out.v_rec, current_neurons=cur_idx, excitatory=out.exc_rec,
        inhibitory=out.inh_rec, record=record, start_step=offset, population_counts=out.pop_counts,
        group_counts=out.group_counts if n_groups else None, spike_counts=out.spike_counts,
        error_norm_sum=float(out.error_sums[0]), error_abs_sum=float(out.error_sums[1]),
        error_squared_sum=float(out.error_sums[2]), n_error_steps=n_steps, spike_windows=windows,
        trajectory_every=every, final_state=final)
