"""Euler simulation of spike-coding networks (Boerlin 2013, Koren 2017), compiled with numba.

Per step of length ``dt`` (s), in this order:

1. fast connections of spikes emitted ``delay`` steps ago reach their targets
   (for ``delay = 0`` they act at once, in step 3);
2. every voltage integrates ``-λ_V V dt + Γᵀ (c dt + σ_s √dt ξ + (A + λ_d I) x̂ dt)
   + σ_V √dt η_i``; the target ``x`` takes the same noisy input, ``x̂`` and ``r``
   decay with ``λ_d``;
3. spikes: ``spike_rule="single"`` lets at most one neuron fire, the one
   furthest above threshold (the paper's greedy rule for instantaneous
   synapses); ``"all"`` lets every neuron above threshold fire, decided on the
   voltages before any of this step's spikes act. A neuron that should fire
   fails with probability ``spike_failure``. A spike adds Γ_i to x̂.

The self-reset (the diagonal of Ω_f) always acts immediately, whatever the
delay: a neuron's own reset is not a synaptic event. Only the off-diagonal
(lateral) part of Ω_f is delayed.

``ξ`` (shared by all neurons and by the target) and ``η`` (independent) are
unit white noise, so ``sensory_noise`` and ``voltage_noise`` are densities in
units per √s and results converge as ``dt`` shrinks. The paper quotes noise as
a standard deviation per 0.1 ms step; divide such a value by √dt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba
import numpy as np

from .network import Network
from .spikestats import trains_from_events

#: Largest allowed product of ``dt`` and the fastest rate of the model (leaks,
#: eigenvalues of A): Euler needs the step well below every time constant.
MAX_DT_RATE = 0.1

_N_ISTATE = 6  # n_spikes, delivered, held_neuron, forced_step, delay_pending, unused


@dataclass(frozen=True)
class DelaySpike:
    """Perturbation: the first spike due at or after ``time`` (s) is postponed by
    ``delay`` (s, a whole number of steps >= 1); that neuron cannot fire meanwhile."""
    time: float
    delay: float


@dataclass(frozen=True)
class ExtraSpike:
    """Perturbation: neuron ``neuron`` is made to fire one extra spike at ``time`` (s)."""
    time: float
    neuron: int


@dataclass(frozen=True)
class Silencing:
    """Neurons ``neurons`` cannot fire from ``time`` (s) on (membrane set to -∞ in the paper)."""
    neurons: tuple
    time: float


@dataclass
class SimulationResult:
    """Output of :func:`simulate`. Times in s; ``estimate``/``target`` shape (n_steps, J),
    value after each step; voltages and currents shape (n_steps, n_recorded)."""
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

    @property
    def times(self) -> np.ndarray:
        """Time (s) at the end of each step."""
        return self.dt * np.arange(1, self.n_steps + 1)

    @property
    def duration(self) -> float:
        return self.dt * self.n_steps

    def trains(self) -> list[np.ndarray]:
        """One sorted array of spike times (s) per neuron."""
        return trains_from_events(self.spike_times, self.spike_neurons, self.network.n_neurons)

    def rates(self, t_start: float = 0.0, t_stop: float | None = None) -> np.ndarray:
        """Mean firing rate (Hz) of each neuron in [t_start, t_stop)."""
        t_stop = self.duration if t_stop is None else t_stop
        if not t_stop > t_start:
            raise ValueError(f"t_stop must exceed t_start, got [{t_start}, {t_stop})")
        sel = (self.spike_times >= t_start) & (self.spike_times < t_stop)
        counts = np.bincount(self.spike_neurons[sel], minlength=self.network.n_neurons)
        return counts / (t_stop - t_start)


@numba.njit(cache=True)
def _fire(j, k, V, xhat, r, track_r, decoder, fast, use_dense, immediate, quad_reset, self_reset,
          spike_step, spike_neuron, istate, cur_idx, exc_rec, inh_rec, dt):
    """Emit a spike of neuron j at step k; apply its immediate effects."""
    n = istate[0]
    spike_step[n] = k
    spike_neuron[n] = j
    istate[0] = n + 1
    J = decoder.shape[0]
    for a in range(J):
        xhat[a] += decoder[a, j]
    if track_r:
        r[j] += 1.0
    if immediate:
        _deliver_one(j, V, decoder, fast, use_dense, quad_reset, True, cur_idx, exc_rec, inh_rec, k, dt)
    else:
        V[j] -= self_reset[j]


@numba.njit(cache=True)
def _deliver_one(j, V, decoder, fast, use_dense, quad_reset, include_self, cur_idx, exc_rec, inh_rec, k, dt):
    """Add the fast-connection column of neuron j to every voltage (with or without j itself)."""
    N = V.shape[0]
    J = decoder.shape[0]
    if use_dense:
        diag = fast[j, j]
        for i in range(N):
            V[i] += fast[i, j]
        if not include_self:
            V[j] -= diag
    else:
        for i in range(N):
            s = 0.0
            for a in range(J):
                s += decoder[a, i] * decoder[a, j]
            V[i] -= s
        if include_self:
            V[j] -= quad_reset
        else:
            s = 0.0
            for a in range(J):
                s += decoder[a, j] * decoder[a, j]
            V[j] += s
    _record_lateral(j, decoder, fast, use_dense, cur_idx, exc_rec, inh_rec, k, dt)


@numba.njit(cache=True)
def _record_lateral(j, decoder, fast, use_dense, cur_idx, exc_rec, inh_rec, k, dt):
    """Add the lateral (off-diagonal) fast input of a spike of j to the recorded currents."""
    J = decoder.shape[0]
    for c in range(cur_idx.shape[0]):
        i = cur_idx[c]
        if i == j:
            continue
        if use_dense:
            w = fast[i, j]
        else:
            w = 0.0
            for a in range(J):
                w -= decoder[a, i] * decoder[a, j]
        if w > 0:
            exc_rec[k, c] += w / dt
        else:
            inh_rec[k, c] += w / dt


@numba.njit(cache=True)
def _advance_target(k, command, dt, sensory_step_std, rng, A, slow_matrix, xhat, x, drive, u, x_new):
    """Draw step k's shared input noise, advance the target x by one Euler step, and
    leave in ``drive`` the input c dt + σ_s √dt ξ and in ``u`` the input every neuron
    projects onto its kernel, drive + (A + λ_d I) x̂ dt (the slow connections)."""
    J = x.shape[0]
    for a in range(J):
        noise = sensory_step_std * rng.standard_normal() if sensory_step_std > 0 else 0.0
        drive[a] = command[k, a] * dt + noise
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
def _run(k_start, k_stop, decoder, thresholds, self_reset, quad_reset, A, slow_matrix, fast, use_dense,
         membrane_leak, decoder_leak, dt, command, sensory_step_std, voltage_step_std,
         delay_steps, single_rule, failure_prob, silence_step, perturb_step, perturb_delay,
         extra_step, extra_neuron, rng, V, xhat, x, r, track_r, istate, spike_step, spike_neuron,
         xhat_rec, x_rec, v_idx, v_rec, cur_idx, exc_rec, inh_rec, slow_rows):
    N = V.shape[0]
    J = xhat.shape[0]
    capacity = spike_step.shape[0]
    drive = np.empty(J)
    u = np.empty(J)
    x_new = np.empty(J)
    candidates = np.empty(N, dtype=np.int64)
    g = np.empty(J)
    immediate = delay_steps == 0
    leak_factor = 1.0 - membrane_leak * dt
    decay = 1.0 - decoder_leak * dt
    for k in range(k_start, k_stop):
        # Worst case this step adds N spikes plus two forced ones: let Python grow the buffer.
        if istate[0] + N + 2 > capacity:
            return k
        # 1. delayed lateral effects of spikes emitted at step k - delay
        if not immediate:
            target_step = k - delay_steps
            ptr = istate[1]
            if use_dense:
                while ptr < istate[0] and spike_step[ptr] <= target_step:
                    _deliver_one(spike_neuron[ptr], V, decoder, fast, True, quad_reset, False,
                                 cur_idx, exc_rec, inh_rec, k, dt)
                    ptr += 1
            else:
                count = 0
                for a in range(J):
                    g[a] = 0.0
                while ptr < istate[0] and spike_step[ptr] <= target_step:
                    j = spike_neuron[ptr]
                    s = 0.0
                    for a in range(J):
                        g[a] += decoder[a, j]
                        s += decoder[a, j] * decoder[a, j]
                    V[j] += s  # its own reset already acted at spike time
                    _record_lateral(j, decoder, fast, False, cur_idx, exc_rec, inh_rec, k, dt)
                    count += 1
                    ptr += 1
                if count > 0:
                    for i in range(N):
                        s = 0.0
                        for a in range(J):
                            s += decoder[a, i] * g[a]
                        V[i] -= s
            istate[1] = ptr
        # 2. integrate inputs, target and read-out
        _advance_target(k, command, dt, sensory_step_std, rng, A, slow_matrix, xhat, x, drive, u, x_new)
        for c in range(cur_idx.shape[0]):
            i = cur_idx[c]
            for a in range(J):
                w = decoder[a, i] * drive[a] / dt
                if w > 0:
                    exc_rec[k, c] += w
                else:
                    inh_rec[k, c] += w
            for n in range(N):
                w = slow_rows[c, n] * r[n]
                if w > 0:
                    exc_rec[k, c] += w
                else:
                    inh_rec[k, c] += w
        for i in range(N):
            s = 0.0
            for a in range(J):
                s += decoder[a, i] * u[a]
            v = V[i] * leak_factor + s
            if voltage_step_std > 0:
                v += voltage_step_std * rng.standard_normal()
            V[i] = v
        for a in range(J):
            xhat[a] *= decay
        if track_r:
            for i in range(N):
                r[i] *= decay
        # 3. spikes
        held = istate[2]
        if held >= 0 and k >= istate[3]:
            _fire(held, k, V, xhat, r, track_r, decoder, fast, use_dense, immediate, quad_reset,
                  self_reset, spike_step, spike_neuron, istate, cur_idx, exc_rec, inh_rec, dt)
            istate[2] = -1
            held = -1
        if k == extra_step:
            _fire(extra_neuron, k, V, xhat, r, track_r, decoder, fast, use_dense, immediate, quad_reset,
                  self_reset, spike_step, spike_neuron, istate, cur_idx, exc_rec, inh_rec, dt)
        n_cand = 0
        if single_rule:
            best = -1
            best_excess = 0.0
            for i in range(N):
                excess = V[i] - thresholds[i]
                if excess > best_excess and k < silence_step[i] and i != held:
                    best_excess = excess
                    best = i
            if best >= 0 and (failure_prob == 0.0 or rng.random() >= failure_prob):
                candidates[0] = best
                n_cand = 1
        else:
            for i in range(N):
                if V[i] > thresholds[i] and k < silence_step[i] and i != held:
                    if failure_prob == 0.0 or rng.random() >= failure_prob:
                        candidates[n_cand] = i
                        n_cand += 1
        first = 0
        if n_cand > 0 and istate[4] == 1 and k >= perturb_step:
            # postpone this step's first spike; its neuron is held until then
            istate[2] = candidates[0]
            istate[3] = k + perturb_delay
            istate[4] = 0
            first = 1
        if immediate and not use_dense and n_cand - first > 1:
            # Simultaneous spikes act together: sum their kernels, then one O(N·J) pass.
            for a in range(J):
                g[a] = 0.0
            for m in range(first, n_cand):
                j = candidates[m]
                _fire(j, k, V, xhat, r, track_r, decoder, fast, use_dense, False, quad_reset,
                      self_reset, spike_step, spike_neuron, istate, cur_idx, exc_rec, inh_rec, dt)
                s = 0.0
                for a in range(J):
                    g[a] += decoder[a, j]
                    s += decoder[a, j] * decoder[a, j]
                V[j] += s  # _fire applied the full self-reset; the Γᵀg pass below covers ‖Γ_j‖²
                _record_lateral(j, decoder, fast, False, cur_idx, exc_rec, inh_rec, k, dt)
            for i in range(N):
                s = 0.0
                for a in range(J):
                    s += decoder[a, i] * g[a]
                V[i] -= s
        else:
            for m in range(first, n_cand):
                _fire(candidates[m], k, V, xhat, r, track_r, decoder, fast, use_dense, immediate, quad_reset,
                      self_reset, spike_step, spike_neuron, istate, cur_idx, exc_rec, inh_rec, dt)
        # 4. record
        for a in range(J):
            xhat_rec[k, a] = xhat[a]
            x_rec[k, a] = x[a]
        for c in range(v_idx.shape[0]):
            v_rec[k, c] = V[v_idx[c]]
    return k_stop


def _fastest_rate(network: Network) -> float:
    eig = np.abs(np.linalg.eigvals(network.A)).max() if network.A.size else 0.0
    return max(network.membrane_leak, network.decoder_leak, float(eig))


def _check_drive(network, command, dt, x0, sensory_noise, fastest_rate):
    """Validate what every network simulation takes; return (command (n_steps, J), dt, x0 vector)."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    J = network.n_variables
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
    x = np.zeros(J) if x0 is None else np.array(x0, dtype=float).reshape(-1)
    if x.shape != (J,) or not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be a finite vector of length J={J}, got {np.shape(x0)}")
    return command, dt, x


def _steps(value: float, dt: float, name: str) -> int:
    steps = value / dt
    if not np.isfinite(steps) or abs(steps - round(steps)) > 1e-6:
        raise ValueError(f"{name} must be a whole number of steps of dt={dt} s, got {value} s")
    return int(round(steps))


def _neuron_indices(values, n: int, name: str) -> np.ndarray:
    idx = np.asarray(values, dtype=np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"{name} must hold neuron indices in [0, {n - 1}], got {idx.tolist()}")
    return idx


def simulate(network: Network, command, dt: float, *, x0=None, sensory_noise: float = 0.0,
             voltage_noise: float = 0.0, delay: float = 0.0, spike_rule: str = "single",
             spike_failure: float = 0.0, silence: Silencing | None = None,
             perturbation: DelaySpike | ExtraSpike | None = None, record_voltages=(),
             record_currents=(), seed=None, initial_spike_capacity: int = 1 << 16) -> SimulationResult:
    """Simulate ``network`` driven by ``command`` (see the module docstring for the step).

    Parameters
    ----------
    network : from :func:`pcn_core.network.boerlin_network` or ``koren_network``
    command : (n_steps, J) command input c(t) per step (units of x per s); a 1-D
        array is accepted when J = 1
    dt : Euler step (s); must satisfy dt × fastest rate <= 0.1
    x0 : (J,) initial target state (default 0); the estimate starts at 0
    sensory_noise : σ_s >= 0, shared input noise density (x per √s)
    voltage_noise : σ_V >= 0, independent voltage noise density (voltage per √s)
    delay : transmission delay of lateral fast connections (s, whole steps)
    spike_rule : "single" (at most one spike per step) or "all"
    spike_failure : probability in [0, 1] that a neuron due to fire does not
    silence : :class:`Silencing` or None
    perturbation : :class:`DelaySpike`, :class:`ExtraSpike` or None
    record_voltages, record_currents : neuron indices whose voltage, or
        excitatory and inhibitory input currents (voltage per s, split by the sign
        of each synaptic or feed-forward term; leak and voltage noise excluded), to record
    seed : seed or np.random.Generator for every random draw
    initial_spike_capacity : first size of the spike buffer (it grows as needed)
    """
    command, dt, x = _check_drive(network, command, dt, x0, sensory_noise, _fastest_rate(network))
    N, J = network.n_neurons, network.n_variables
    if not (np.isfinite(voltage_noise) and voltage_noise >= 0):
        raise ValueError(f"voltage_noise must be a finite number >= 0 (per √s), got {voltage_noise}")
    if not (0.0 <= spike_failure <= 1.0):
        raise ValueError(f"spike_failure must be a probability in [0, 1], got {spike_failure}")
    if spike_rule not in ("single", "all"):
        raise ValueError(f"spike_rule must be 'single' or 'all', got {spike_rule!r}")
    if delay < 0:
        raise ValueError(f"delay must be >= 0 s, got {delay}")
    delay_steps = _steps(delay, dt, "delay")
    n_steps = command.shape[0]
    silence_step = np.full(N, np.iinfo(np.int64).max, dtype=np.int64)
    if silence is not None:
        if not 0 <= silence.time:
            raise ValueError(f"silence.time must be >= 0 s, got {silence.time}")
        silence_step[_neuron_indices(silence.neurons, N, "silence.neurons")] = int(math.ceil(silence.time / dt - 1e-9))
    perturb_step, perturb_delay, extra_step, extra_neuron = -1, 0, -1, 0
    istate = np.zeros(_N_ISTATE, dtype=np.int64)
    istate[2] = -1
    if isinstance(perturbation, DelaySpike):
        if not 0 <= perturbation.time < n_steps * dt:
            raise ValueError(f"perturbation.time must lie in [0, {n_steps * dt}) s, got {perturbation.time}")
        perturb_step = int(math.ceil(perturbation.time / dt - 1e-9))
        perturb_delay = _steps(perturbation.delay, dt, "perturbation.delay")
        if perturb_delay < 1:
            raise ValueError(f"perturbation.delay must be at least one step ({dt} s), got {perturbation.delay}")
        istate[4] = 1
    elif isinstance(perturbation, ExtraSpike):
        if not 0 <= perturbation.time < n_steps * dt:
            raise ValueError(f"perturbation.time must lie in [0, {n_steps * dt}) s, got {perturbation.time}")
        extra_step = int(math.ceil(perturbation.time / dt - 1e-9))
        extra_neuron = int(_neuron_indices([perturbation.neuron], N, "perturbation.neuron")[0])
    elif perturbation is not None:
        raise TypeError("perturbation must be a DelaySpike, an ExtraSpike or None")
    v_idx = _neuron_indices(record_voltages, N, "record_voltages")
    cur_idx = _neuron_indices(record_currents, N, "record_currents")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    track_r = cur_idx.size > 0
    slow_rows = (network.slow_weights()[cur_idx] if track_r else np.zeros((0, N)))
    use_dense = network.fast_weights is not None
    fast = network.fast_weights if use_dense else np.zeros((1, 1))
    quad_reset = network.quadratic_cost * network.decoder_leak ** 2
    V = np.zeros(N)
    xhat = np.zeros(J)
    r = np.zeros(N if track_r else 1)
    capacity = max(int(initial_spike_capacity), N + 2)
    spike_step = np.empty(capacity, dtype=np.int64)
    spike_neuron = np.empty(capacity, dtype=np.int64)
    xhat_rec = np.empty((n_steps, J))
    x_rec = np.empty((n_steps, J))
    v_rec = np.empty((n_steps, v_idx.size))
    exc_rec = np.zeros((n_steps, cur_idx.size))
    inh_rec = np.zeros((n_steps, cur_idx.size))
    decoder = np.ascontiguousarray(network.decoder)
    k = 0
    while k < n_steps:
        k = _run(k, n_steps, decoder, network.thresholds, network.self_reset, quad_reset,
                 network.A, network.slow_matrix, fast, use_dense, network.membrane_leak,
                 network.decoder_leak, dt, command, sensory_noise * math.sqrt(dt),
                 voltage_noise * math.sqrt(dt), delay_steps, spike_rule == "single", float(spike_failure),
                 silence_step, perturb_step, perturb_delay, extra_step, extra_neuron, rng, V, xhat, x, r,
                 track_r, istate, spike_step, spike_neuron, xhat_rec, x_rec, v_idx, v_rec, cur_idx,
                 exc_rec, inh_rec, slow_rows)
        if k < n_steps:  # buffer full: grow it and resume at step k (nothing is lost)
            capacity *= 2
            spike_step = np.concatenate([spike_step, np.empty_like(spike_step)])
            spike_neuron = np.concatenate([spike_neuron, np.empty_like(spike_neuron)])
    n = int(istate[0])
    # Spikes happen at the end of their step: time (k + 1) dt, matching `times`.
    return SimulationResult(network=network, dt=dt, n_steps=n_steps,
                            spike_times=(spike_step[:n] + 1) * dt, spike_neurons=spike_neuron[:n].copy(),
                            estimate=xhat_rec, target=x_rec, voltage_neurons=v_idx, voltages=v_rec,
                            current_neurons=cur_idx, excitatory=exc_rec, inhibitory=inh_rec)
