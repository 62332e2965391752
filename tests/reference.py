"""Plain NumPy oracle of :func:`pcn_core.simulation.simulate`, for tests and the benchmark ratio.

Written from the module docstring of ``pcn_core.simulation`` (the order of a step,
the delay and stamping convention) and the docstrings of its perturbations, not
from the kernel: it shares no code with it (it takes only the seeding,
``random_streams.stream_state``, and the ziggurat's tables as data). One step at a
time, spikes handled as events in a pending-delivery table keyed by the step at
which they act.

Per step ``k`` (times in steps; a spike of step ``e`` is stamped at ``(e + 1) dt``
and acts ``delay`` later, i.e. at the start of step ``e + 1 + D``):

1. deliver the fast input of the spikes due now;
2. integrate: ``V ← V (1 - λ_V dt) + Γᵀ (c dt + σ_s √dt ξ + M x̂ dt) + σ_V √dt η``,
   ``x ← x + A x dt + c dt + σ_s √dt ξ``, ``x̂ ← x̂ (1 - λ_d dt)``, ``r ← r (1 - λ_d dt)``;
3. spikes: a held (postponed) spike whose time has come, then a forced extra spike,
   then the threshold check (``single``: the neuron furthest above threshold;
   ``all``: every neuron above it; ``greedy``, delay 0 only: one event at a time,
   the neuron furthest above threshold fires, every voltage takes its column of
   Ω_f, and the next is chosen on the new voltages until none is above; a neuron
   that fails or is held back drops out of that step's choices), skipping
   silenced and held neurons; a neuron due to fire fails with probability
   ``spike_failure``. A spike adds Γ_j to x̂ and 1 to r_j, and resets itself at
   once unless ``self_reset="delayed"``.

Random draws follow the module docstring of ``pcn_core.simulation``: per step J
sensory normals, N voltage normals, N threshold normals (each only if its noise is
on), then one uniform per neuron due to fire, in index order. With
``draws="stream"`` (default) they come from the pure-Python xoshiro256++ and
ziggurat of ``stream_reference`` seeded like the kernel, so both give the same
spikes; ``draws="numpy"`` takes them from ``np.random.default_rng(seed)`` instead,
an independent Gaussian source for statistical comparisons.

Recorded currents (voltage per s) are the terms of step 2 and the lateral fast input
of step 1 (and of step 3 when ``D = 0``), each split by its sign: ``Γ_ai (c_a dt +
σ_s √dt ξ_a) / dt`` per input dimension, ``Ω_s[i, n] r_n`` per neuron (r before this
step's decay), and ``Ω_f[i, j] / dt`` per spike of another neuron j.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pcn_core.network import Network
from pcn_core.random_streams import stream_state
from pcn_core.simulation import DelaySpike, ExtraSpike, Silencing
from stream_reference import PythonStream


@dataclass
class ReferenceRun:
    """What the oracle returns: spikes as (step, neuron) events, trajectories and currents."""
    spike_steps: np.ndarray      # (n_spikes,) int64, the step each spike was emitted in
    spike_neurons: np.ndarray    # (n_spikes,) int64, in emission order
    estimate: np.ndarray         # (n_steps, J), x̂ at the end of each step
    target: np.ndarray           # (n_steps, J), x at the end of each step
    excitatory: np.ndarray       # (n_steps, len(record_currents)), voltage per s
    inhibitory: np.ndarray
    voltages: np.ndarray | None = None   # (n_steps, len(record_voltages)), V at the end of each step

    def __iter__(self):  # unpacks as (steps, neurons, estimate, target)
        return iter((self.spike_steps, self.spike_neurons, self.estimate, self.target))


def _step_at(time: float, dt: float) -> int:
    """The first step that starts at or after ``time``."""
    return math.ceil(time / dt - 1e-9)


def reference_simulation(network: Network, command, dt: float, *, voltage_noise: float = 0.0,
                         sensory_noise: float = 0.0, threshold_noise: float = 0.0, delay: float = 0.0,
                         self_reset: str = "immediate", spike_rule: str = "single", spike_failure: float = 0.0,
                         initial_voltage=None, x0=None, silence: Silencing | None = None,
                         perturbation: DelaySpike | ExtraSpike | None = None, record_currents=(),
                         record_voltages=(), seed=None, max_repeats: int = 8, draws: str = "stream") -> ReferenceRun:
    """Plain NumPy version of ``simulate`` (full recording, dense command).

    Draws random numbers in the same order as the compiled kernel (per step:
    J sensory normals, N voltage normals, N threshold normals, then one uniform
    per neuron due to fire, in index order; ``greedy``: one per choice, in the
    order of the choices). With ``draws="stream"`` they are the kernel's stream
    (``stream_reference.PythonStream``), so with the same seed both give the same
    spikes up to floating-point summation order; with ``draws="numpy"`` they come
    from ``np.random.default_rng(seed)``.
    """
    if draws == "stream":
        rng = PythonStream(stream_state(seed))
    elif draws == "numpy":
        rng = np.random.default_rng(seed)
    else:
        raise ValueError(f"draws must be 'stream' or 'numpy', got {draws!r}")
    G = network.decoder
    N, J = network.n_neurons, network.n_variables
    fast = network.dense_fast_weights()          # Ω_f, diagonal = -(self reset)
    slow = network.slow_weights()                # Ω_s = Γᵀ M Γ, acting on r
    M = network.slow_matrix
    command = np.asarray(command, dtype=float).reshape(len(command), J)
    D = int(round(delay / dt))
    delayed_self = self_reset == "delayed"
    V = np.zeros(N) if initial_voltage is None else np.array(initial_voltage, dtype=float)
    x = np.zeros(J) if x0 is None else np.array(x0, dtype=float)
    xhat, r = np.zeros(J), np.zeros(N)
    decay = 1 - network.decoder_leak * dt
    recorded = list(record_currents)
    exc, inh = np.zeros((len(command), len(recorded))), np.zeros((len(command), len(recorded)))

    def record(k, c, value):
        (exc if value > 0 else inh)[k, c] += value

    def lateral_input(k, j, include_self):
        """Fast input of one spike of neuron j, acting now."""
        nonlocal V
        column = fast[:, j].copy()
        if not include_self:
            column[j] = 0.0
        V = V + column
        for c, i in enumerate(recorded):
            if i != j:
                record(k, c, fast[i, j] / dt)

    silenced_from = _step_at(silence.time, dt) if silence is not None else None
    silenced = set(int(i) for i in silence.neurons) if silence is not None else set()
    postpone_from = _step_at(perturbation.time, dt) if isinstance(perturbation, DelaySpike) else None
    postpone_by = int(round(perturbation.delay / dt)) if isinstance(perturbation, DelaySpike) else 0
    extra_at = _step_at(perturbation.time, dt) if isinstance(perturbation, ExtraSpike) else None
    held, held_until = None, None

    steps, neurons = [], []
    est, tgt = np.empty((len(command), J)), np.empty((len(command), J))
    recorded_v = np.asarray(record_voltages, dtype=np.int64)
    volts = np.empty((len(command), recorded_v.size))
    pending: dict[int, list[int]] = {}  # step at which it acts -> neurons

    def fire(k, j):
        steps.append(k)
        neurons.append(j)
        nonlocal xhat
        xhat = xhat + G[:, j]
        r[j] += 1.0
        if D == 0:
            lateral_input(k, j, include_self=True)
        else:
            if not delayed_self:
                V[j] -= network.self_reset[j]
            pending.setdefault(k + 1 + D, []).append(j)

    for k in range(len(command)):
        # 1. spikes emitted in step k - 1 - D act now
        for j in pending.pop(k, []):
            lateral_input(k, j, include_self=delayed_self)
        # 2. integrate
        noise = sensory_noise * math.sqrt(dt) * rng.standard_normal(J) if sensory_noise > 0 else np.zeros(J)
        drive = command[k] * dt + noise
        for c, i in enumerate(recorded):
            for a in range(J):
                record(k, c, G[a, i] * drive[a] / dt)
            for n in range(N):
                record(k, c, slow[i, n] * r[n])
        u = drive + (M @ xhat) * dt
        x = x + (network.A @ x) * dt + drive
        V = V * (1 - network.membrane_leak * dt) + G.T @ u
        if voltage_noise > 0:
            V = V + voltage_noise * math.sqrt(dt) * rng.standard_normal(N)
        xhat = xhat * decay
        r *= decay
        # 3. spikes: a postponed spike, a forced one, then the threshold check
        if held is not None and k >= held_until:
            fire(k, held)
            held = None
        if k == extra_at:
            fire(k, perturbation.neuron)
        thresholds = network.thresholds
        if threshold_noise > 0:
            thresholds = thresholds + threshold_noise * rng.standard_normal(N)
        excess = V - thresholds
        may_fire = [i for i in range(N)
                    if not (i in silenced and k >= silenced_from) and i != held]
        if spike_rule == "greedy":
            assert D == 0, "the greedy rule needs delay 0"
            dropped = set()    # failed or held back in this step
            fired_here: dict[int, int] = {}
            while True:
                excess = V - thresholds
                above = [i for i in may_fire if excess[i] > 0 and i not in dropped and i != held]
                if not above:
                    break
                j = max(above, key=lambda i: (excess[i], -i))
                if spike_failure > 0 and rng.random(1)[0] < spike_failure:
                    dropped.add(j)
                    continue
                if postpone_from is not None and k >= postpone_from:
                    held, held_until = j, k + postpone_by
                    postpone_from = None
                    continue
                fired_here[j] = fired_here.get(j, 0) + 1
                if fired_here[j] > max_repeats:
                    raise ValueError(f"greedy rule did not settle in step {k}: neuron {j}")
                fire(k, j)      # every voltage takes the column of Ω_f at once
            due = []
        elif spike_rule == "single":
            above = [i for i in may_fire if excess[i] > 0]
            due = [max(above, key=lambda i: (excess[i], -i))] if above else []
        else:
            due = [i for i in may_fire if excess[i] > 0]
        if spike_failure > 0 and due:
            keep = rng.random(len(due)) >= spike_failure
            due = [j for j, ok in zip(due, keep) if ok]
        if due and postpone_from is not None and k >= postpone_from:
            held, held_until = due.pop(0), k + postpone_by
            postpone_from = None
        for j in due:
            fire(k, j)
        est[k], tgt[k] = xhat, x
        volts[k] = V[recorded_v]
    return ReferenceRun(np.array(steps, dtype=np.int64), np.array(neurons, dtype=np.int64), est, tgt, exc, inh,
                        volts)
