"""Speed benchmark of the network simulator: ``python -m pcn_core.bench`` (or ``make bench``).

Prints nanoseconds per neuron-step of the compiled kernel (best of three runs).
Configuration (issue 2): N = 400, J = 3, standard-normal weights, 1 ms delay,
voltage noise, dt = 0.1 ms, 10 s. Then Koren & Denève's 400-neuron network at
dt = 1 ms (costs ν = μ = 5, input 20 × OU(τ = 0.2 s) per dimension, σ = 0.25
per 1 ms step, the "all" rule, δ = 1 ms), in ``record="full"`` and
``record="summary"`` mode. Also runs the low-rank path on a 100,000-neuron,
J = 2 network, whose dense Ω_f would need 80 GB.

The plain NumPy oracle of the same step lives with the tests
(``tests/reference.py``); the tests check the kernel against it.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import koren_kernel_delay, simulate


#: Voltage-noise density (per √s) of the 400-neuron benchmark network.
BENCH_VOLTAGE_NOISE = 25.0


def benchmark_network(n_neurons: int = 400, n_variables: int = 3, seed: int = 0) -> tuple[Network, float]:
    """Koren-style network with standard-normal weights (the benchmark's model).

    For ``n_neurons`` other than 400 the weights scale as 400/N and the costs and
    voltage noise as its square, which keeps single-neuron rates and the read-out
    the same (Boerlin et al. 2013, scaling section). Returns the network and its
    voltage-noise density.

    The network is ``koren_network(s·w, leak=10 Hz, linear_cost=5 s²,
    quadratic_cost=30 s²)`` with ``w`` standard normal (J, N) and ``s = 400/N``,
    costs in Koren's convention, chosen in the asynchronous regime.

    Parameters
    ----------
    n_neurons : int
        N >= 1.
    n_variables : int
        J >= 1.
    seed : int
        Seed of the weights (``np.random.default_rng(seed)``).

    Returns
    -------
    network : pcn_core.network.Network
        The benchmark network.
    voltage_noise : float
        Its voltage-noise density ``25 s²`` (voltage per √s), the
        ``voltage_noise`` argument of :func:`pcn_core.simulation.simulate`.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
       "Scaling and physical units".
    .. [2] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355.

    Examples
    --------
    >>> net, noise = benchmark_network()
    >>> net.n_neurons, net.n_variables, noise
    (400, 3, 25.0)
    >>> small, small_noise = benchmark_network(8, 2)   # weights × 50, noise × 50²
    >>> small.decoder.shape, small_noise
    ((2, 8), 62500.0)
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
    """Run the benchmark and print ns per neuron-step (the ``python -m pcn_core.bench`` entry point).

    Three measurements (module docstring), each the best of three runs after
    one compilation run: the N = 400 benchmark network at dt = 0.1 ms with a
    1 ms delay; Koren & Denève's 400-neuron network at dt = 1 ms in
    ``record="full"`` and ``record="summary"`` mode; and the low-rank path on a
    large J = 2 network (timed once). With the defaults it takes minutes.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``): ``--duration``
        (simulated s of the first network, default 10; >= 0.002 so that the
        1 ms delay is shorter than the run), ``--koren-duration`` (simulated s
        of the Koren network, default 100), ``--large-neurons`` (N of the
        low-rank network, default 100000) and ``--large-duration`` (its
        simulated s, default 0.2).

    Raises
    ------
    SystemExit
        On unknown or malformed arguments, or ``--help`` (argparse).
    ValueError
        If a duration is so short that the delay is not shorter than the run
        (from :func:`pcn_core.simulation.simulate`).

    Examples
    --------
    A cheap run (a few hundred steps per network; timings vary from run to
    run, so they are elided):

    >>> main(["--duration", "0.01", "--koren-duration", "0.2",
    ...       "--large-neurons", "100", "--large-duration", "0.01"])
    N=400, J=3, dt=0.1 ms, 1 ms delay, voltage noise, 0.01 s: ... spikes
      compiled kernel : ... ns per neuron-step (... s)
    Koren N=400, J=3, dt=1 ms, δ=1 ms, record='full', 0.2 s: ... spikes, ... ns per neuron-step (... s)
    Koren N=400, J=3, dt=1 ms, δ=1 ms, record='summary', 0.2 s: ... spikes, ... ns per neuron-step (... s)
    N=100, J=2, low-rank fast connections, no delay, 0.01 s: ... spikes (...), ... ns per neuron-step (... s); ...
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="simulated seconds (default 10)")
    parser.add_argument("--koren-duration", type=float, default=100.0,
                        help="simulated seconds of the Koren network at dt = 1 ms (default 100)")
    parser.add_argument("--large-neurons", type=int, default=100_000)
    parser.add_argument("--large-duration", type=float, default=0.2, help="simulated seconds of the large network")
    args = parser.parse_args(argv)

    dt, N, J = 1e-4, 400, 3
    net, noise = benchmark_network(N, J)
    kw = dict(voltage_noise=noise, delay=1e-3, spike_rule="all")
    signal = 300.0 * smoothed_white_noise(args.duration, dt, 0.05, 1.0, shape=J, seed=1)
    simulate(net, signal[:100], dt, seed=0, **kw)  # compile (or load numba's cache)
    t_kernel = _time(lambda: simulate(net, signal, dt, seed=0, **kw))
    res = simulate(net, signal, dt, seed=0, **kw)
    print(f"N={N}, J={J}, dt=0.1 ms, 1 ms delay, voltage noise, {args.duration:g} s: "
          f"{res.spike_times.size} spikes")
    print(f"  compiled kernel : {t_kernel / (N * len(signal)) * 1e9:6.2f} ns per neuron-step ({t_kernel:.2f} s)")

    dt_k = 1e-3
    koren = koren_network(np.random.default_rng(0).standard_normal((J, N)), leak=10.0, linear_cost=5.0,
                          quadratic_cost=5.0)
    koren_signal = 20.0 * smoothed_white_noise(args.koren_duration, dt_k, 0.2, 1.0, shape=J, seed=1)
    kw_k = dict(voltage_noise=0.25 / math.sqrt(1e-3), spike_rule="all", delay=koren_kernel_delay(1e-3, dt_k))
    for record in ("full", "summary"):
        simulate(koren, koren_signal[:100], dt_k, seed=0, record=record, **kw_k)
        t_k = _time(lambda: simulate(koren, koren_signal, dt_k, seed=0, record=record, **kw_k))
        n_k = simulate(koren, koren_signal, dt_k, seed=0, record=record, **kw_k).n_spikes
        print(f"Koren N={N}, J={J}, dt=1 ms, δ=1 ms, record={record!r}, {args.koren_duration:g} s: {n_k} spikes, "
              f"{t_k / (N * len(koren_signal)) * 1e9:6.2f} ns per neuron-step ({t_k:.2f} s)")

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
