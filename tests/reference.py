"""Plain NumPy oracle of :func:`pcn_core.simulation.simulate`, for tests and the benchmark ratio.

One vectorised step at a time, written from the module docstring of
``pcn_core.simulation`` (not from the kernel): it shares no code with it.
"""
from __future__ import annotations

import math

import numpy as np

from pcn_core.network import Network


def reference_simulation(network: Network, command, dt: float, *, voltage_noise: float = 0.0,
                         sensory_noise: float = 0.0, threshold_noise: float = 0.0, delay: float = 0.0,
                         self_reset: str = "immediate", spike_rule: str = "single", spike_failure: float = 0.0,
                         initial_voltage=None, x0=None, seed=None):
    """Plain NumPy version of ``simulate`` (no perturbations, silencing or current recording).

    Draws random numbers in the same order as the compiled kernel (per step:
    J sensory normals, N voltage normals, N threshold normals, one uniform per
    neuron due to fire), so with the same seed both give the same spikes up to
    floating-point summation order.

    Returns
    -------
    (spike_steps, spike_neurons, estimate, target)
        Steps (int64) and neurons of the spikes in emission order; x̂ and x
        after each step, shape (n_steps, J).
    """
    rng = np.random.default_rng(seed)
    G = network.decoder
    N, J = network.n_neurons, network.n_variables
    fast = network.dense_fast_weights()
    off_diag = fast - np.diag(np.diag(fast))
    M = network.slow_matrix
    command = np.asarray(command, dtype=float).reshape(len(command), J)
    delay_steps = int(round(delay / dt))
    delayed_self = self_reset == "delayed"
    V = np.zeros(N) if initial_voltage is None else np.array(initial_voltage, dtype=float)
    x = np.zeros(J) if x0 is None else np.array(x0, dtype=float)
    xhat = np.zeros(J)
    steps, neurons = [], []
    est, tgt = np.empty((len(command), J)), np.empty((len(command), J))
    pending: dict[int, list[int]] = {}  # delivery step -> neurons
    for k in range(len(command)):
        # a spike of step e acts at the start of step e + 1 + D
        for j in pending.pop(k, []):
            V += fast[:, j] if delayed_self else off_diag[:, j]
        noise = sensory_noise * math.sqrt(dt) * rng.standard_normal(J) if sensory_noise > 0 else np.zeros(J)
        drive = command[k] * dt + noise
        u = drive + (M @ xhat) * dt
        x = x + (network.A @ x) * dt + drive
        V = V * (1 - network.membrane_leak * dt) + G.T @ u
        if voltage_noise > 0:
            V = V + voltage_noise * math.sqrt(dt) * rng.standard_normal(N)
        xhat = xhat * (1 - network.decoder_leak * dt)
        thresholds = network.thresholds
        if threshold_noise > 0:
            thresholds = thresholds + threshold_noise * rng.standard_normal(N)
        excess = V - thresholds
        if spike_rule == "single":
            best = int(np.argmax(excess))
            fire = [best] if excess[best] > 0 else []
        else:
            fire = list(np.flatnonzero(excess > 0))
        if spike_failure > 0 and fire:
            keep = rng.random(len(fire)) >= spike_failure
            fire = [j for j, ok in zip(fire, keep) if ok]
        for j in fire:
            steps.append(k)
            neurons.append(j)
            xhat = xhat + G[:, j]
            if delay_steps == 0:
                V += fast[:, j]
            else:
                if not delayed_self:
                    V[j] -= network.self_reset[j]
                pending.setdefault(k + 1 + delay_steps, []).append(j)
        est[k], tgt[k] = xhat, x
    return np.array(steps, dtype=np.int64), np.array(neurons, dtype=np.int64), est, tgt
