"""Speed benchmark of the network simulator: ``python -m pcn_core.bench`` (or ``make bench``).

Prints nanoseconds per neuron-step of the compiled kernel and its ratio against
:func:`reference_simulation`, a plain NumPy implementation of the same Euler
step (same random stream), run in the same process, so the ratio does not
depend on the machine. Configuration (issue 2): N = 400, J = 3, standard-normal
weights, 1 ms delay, voltage noise, dt = 0.1 ms, 10 s. Also runs the low-rank
path on a 100,000-neuron, J = 2 network, whose dense Ω_f would need 80 GB.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import simulate


def reference_simulation(network: Network, command, dt: float, *, voltage_noise: float = 0.0,
                         sensory_noise: float = 0.0, delay: float = 0.0, spike_rule: str = "single",
                         spike_failure: float = 0.0, seed=None):
    """Plain NumPy version of :func:`pcn_core.simulation.simulate` (no perturbations,
    silencing or current recording), one vectorised step at a time.

    Draws random numbers in the same order as the compiled kernel, so with the
    same seed both give the same spikes up to floating-point summation order.
    Returns ``(spike_steps, spike_neurons, estimate)``.
    """
    rng = np.random.default_rng(seed)
    G = network.decoder
    N, J = network.n_neurons, network.n_variables
    fast = network.dense_fast_weights()
    off_diag = fast - np.diag(np.diag(fast))
    M = network.slow_matrix
    command = np.asarray(command, dtype=float).reshape(len(command), J)
    delay_steps = int(round(delay / dt))
    V, xhat, x = np.zeros(N), np.zeros(J), np.zeros(J)
    steps, neurons, est = [], [], np.empty((len(command), J))
    pending: dict[int, list[int]] = {}
    for k in range(len(command)):
        if delay_steps:
            for j in pending.pop(k - delay_steps, []):
                V += off_diag[:, j]
        noise = sensory_noise * math.sqrt(dt) * rng.standard_normal(J) if sensory_noise > 0 else np.zeros(J)
        drive = command[k] * dt + noise
        u = drive + (M @ xhat) * dt
        x = x + (network.A @ x) * dt + drive
        V = V * (1 - network.membrane_leak * dt) + G.T @ u
        if voltage_noise > 0:
            V = V + voltage_noise * math.sqrt(dt) * rng.standard_normal(N)
        xhat = xhat * (1 - network.decoder_leak * dt)
        excess = V - network.thresholds
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
            if delay_steps:
                V[j] -= network.self_reset[j]
                pending.setdefault(k, []).append(j)
            else:
                V += fast[:, j]
        est[k] = xhat
    return np.array(steps, dtype=np.int64), np.array(neurons, dtype=np.int64), est


#: Voltage-noise density (per √s) of the 400-neuron benchmark network.
BENCH_VOLTAGE_NOISE = 25.0


def benchmark_network(n_neurons: int = 400, n_variables: int = 3, seed: int = 0) -> tuple[Network, float]:
    """Koren-style network with standard-normal weights (the benchmark's model).

    For ``n_neurons`` other than 400 the weights scale as 400/N and the costs and
    voltage noise as its square, which keeps single-neuron rates and the read-out
    the same (Boerlin et al. 2013, scaling section). Returns the network and its
    voltage-noise density.
    """
    rng = np.random.default_rng(seed)
    scale = 400.0 / n_neurons
    weights = scale * rng.standard_normal((n_variables, n_neurons))
    # Costs and noise chosen in the asynchronous regime: with smaller costs the
    # 1 ms delay synchronises the network into a runaway (Koren & Denève 2017).
    net = koren_network(weights, leak=10.0, linear_cost=5.0 * scale ** 2, quadratic_cost=30.0 * scale ** 2)
    return net, BENCH_VOLTAGE_NOISE * scale ** 2


def _time(fn, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="simulated seconds (default 10)")
    parser.add_argument("--reference-duration", type=float, default=0.5,
                        help="simulated seconds for the slower NumPy reference (default 0.5)")
    parser.add_argument("--large-neurons", type=int, default=100_000)
    parser.add_argument("--large-duration", type=float, default=0.2, help="simulated seconds of the large network")
    args = parser.parse_args(argv)

    dt, N, J = 1e-4, 400, 3
    net, noise = benchmark_network(N, J)
    kw = dict(voltage_noise=noise, delay=1e-3, spike_rule="all")
    signal = 300.0 * smoothed_white_noise(args.duration, dt, 0.05, 1.0, shape=J, seed=1)
    simulate(net, signal[:100], dt, seed=0, **kw)  # compile (or load numba's cache)
    t_kernel = _time(lambda: simulate(net, signal, dt, seed=0, **kw))
    n_ref = int(round(args.reference_duration / dt))
    t_ref = _time(lambda: reference_simulation(net, signal[:n_ref], dt, **kw), repeat=1)
    ns_kernel = t_kernel / (N * len(signal)) * 1e9
    ns_ref = t_ref / (N * n_ref) * 1e9
    res = simulate(net, signal, dt, seed=0, **kw)
    print(f"N={N}, J={J}, dt=0.1 ms, 1 ms delay, voltage noise, {args.duration:g} s: "
          f"{res.spike_times.size} spikes")
    print(f"  compiled kernel : {ns_kernel:6.2f} ns per neuron-step ({t_kernel:.2f} s)")
    print(f"  NumPy reference : {ns_ref:6.2f} ns per neuron-step")
    print(f"  speed-up        : {ns_ref / ns_kernel:6.1f} x")

    big, big_noise = benchmark_network(args.large_neurons, 2, seed=1)
    sig2 = 300.0 * smoothed_white_noise(args.large_duration, dt, 0.05, 1.0, shape=2, seed=2)
    # Boerlin's one-spike-per-step rule without delay: with a delay, the crossings
    # caught inside one delay window grow with N and the network synchronises.
    kw_big = dict(voltage_noise=big_noise, delay=0.0, spike_rule="single")
    t_big = _time(lambda: simulate(big, sig2, dt, seed=0, **kw_big), repeat=1)
    res = simulate(big, sig2, dt, seed=0, **kw_big)
    print(f"N={args.large_neurons}, J=2, low-rank fast connections, no delay, {args.large_duration:g} s: "
          f"{res.spike_times.size} spikes (the one-spike-per-step rule caps the population at 1/dt), "
          f"{t_big / (args.large_neurons * len(sig2)) * 1e9:.2f} ns per neuron-step ({t_big:.1f} s); "
          f"the dense N×N matrix would need {args.large_neurons ** 2 * 8 / 1e9:.0f} GB")


if __name__ == "__main__":
    main()
