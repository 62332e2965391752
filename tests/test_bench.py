"""The benchmark's regime checks, its read-out and statistics, and the Brian2 twin (no timings asserted)."""
from dataclasses import replace

import numpy as np
import pytest

from pcn_core import bench, koren
from pcn_core.network import boerlin_network, homogeneous_kernels
from pcn_core.simulation import simulate


def _run_active(params, duration, seed=0, **overrides):
    net = bench.active_network(params)
    options = dict(voltage_noise=params.voltage_noise, delay=params.delay, spike_rule="all", seed=seed)
    options.update(overrides)
    return net, simulate(net, bench.active_input(duration, params), params.dt, **options)


def test_the_active_network_is_accepted():
    _, result = _run_active(bench.ACTIVE, 0.5)
    stats = bench.result_statistics(result)
    assert bench.regime_problems(stats, bench.ACTIVE_REGIME) == []
    bench.check_regime(stats, bench.ACTIVE_REGIME, "the active network")   # does not exit


def test_a_silent_network_is_rejected():
    """The same network with a weak input and no noise hardly fires: the rate check stops it."""
    silent = replace(bench.ACTIVE, input_amplitude=100.0, voltage_noise=0.0)
    _, result = _run_active(silent, 0.5)
    stats = bench.result_statistics(result)
    assert stats.mean_rate < bench.ACTIVE_REGIME.rate[0]
    with pytest.raises(SystemExit, match="out of its regime.*mean rate .* outside 5–20 Hz.*Not timed"):
        bench.check_regime(stats, bench.ACTIVE_REGIME, "the silent network")


def test_a_runaway_network_is_rejected():
    """Without costs the 1 ms delay lets whole groups fire together: hundreds of spikes per step."""
    runaway = replace(bench.ACTIVE, linear_cost=0.0, quadratic_cost=0.0)
    _, result = _run_active(runaway, 0.05)
    stats = bench.result_statistics(result)
    assert stats.max_step_spikes > 0.2 * runaway.n_neurons
    with pytest.raises(SystemExit, match=r"runaway: \d+ spikes in one step"):
        bench.check_regime(stats, bench.ACTIVE_REGIME, "the runaway network")


def test_koren_regime_accepts_up_states_and_rejects_persistent_synchrony():
    params = koren.ALL_TO_ALL
    w = koren.weights(params.n_inputs, params.n_neurons, seed=0)
    command = koren.input_signal(10.0, seed=1)
    t2 = koren.run(koren.network(w, linear_cost=params.linear_cost, quadratic_cost=params.quadratic_cost),
                   command, seed=0)
    stats = bench.result_statistics(t2)
    assert stats.max_step_spikes >= bench.UP_FRACTION * params.n_neurons       # it has Up states
    assert bench.regime_problems(stats, bench.KOREN_REGIME) == []
    # without costs or noise about half of the neurons fire in every step (the paper's Fig 2A)
    locked = koren.run(koren.network(w, linear_cost=0.0, quadratic_cost=0.0), command, noise=0.0, seed=0)
    with pytest.raises(SystemExit, match="synchronous: .* of steps have >= 20 % of N spiking"):
        bench.check_regime(bench.result_statistics(locked), bench.KOREN_REGIME, "Koren's network")


def test_readout_rebuilds_the_simulators_estimate():
    net, result = _run_active(bench.ACTIVE, 0.2)
    estimate = bench.readout(bench.spike_steps(result), result.spike_neurons, net.decoder, net.decoder_leak,
                             result.dt, result.n_steps)
    np.testing.assert_allclose(estimate, result.estimate, rtol=1e-9, atol=1e-9)
    # and the error it implies is the simulator's running sum
    stats = bench.result_statistics(result)
    assert stats.error == pytest.approx(result.mean_error_norm, rel=1e-9)


def test_statistics_of_a_regular_train():
    """Two neurons firing every 4th and every 5th step: known rate, busy fraction and CV 0."""
    net = boerlin_network(homogeneous_kernels(2, 0.1), [[0.0]], decoder_leak=10.0, membrane_leak=10.0)
    steps = np.r_[np.arange(0, 100, 4), np.arange(0, 100, 5)]
    neurons = np.r_[np.zeros(25, int), np.ones(20, int)]
    stats = bench.regime_statistics(steps, neurons, net, 1e-3, np.ones((100, 1)))
    assert stats.mean_rate == pytest.approx(45 / (2 * 0.1))
    busy = np.union1d(np.arange(0, 100, 4), np.arange(0, 100, 5)).size / 100
    assert stats.busy_fraction == pytest.approx(busy)
    assert stats.max_step_spikes == 2 and stats.isi_cv == 0.0


def test_compare_engines_needs_two_runs_per_engine():
    one = [bench.RegimeStatistics(400, 10, 10.0, 0.3, 5, 0.0, 1.0, 1.0, 0.1)]
    with pytest.raises(ValueError, match="at least two runs per engine"):
        bench.compare_engines(one, one * 3)


def test_run_brian2_refuses_what_the_twin_does_not_model():
    net = bench.active_network(replace(bench.ACTIVE, n_neurons=10))
    with pytest.raises(ValueError, match="delay must be a whole number >= 1 of steps"):
        bench.run_brian2(net, np.zeros((10, 3)), 1e-4, voltage_noise=0.0, delay=0.0, seed=0,
                         directory="unused", python="unused")
    with pytest.raises(ValueError, match=r"command must be \(n_steps, J=3\)"):
        bench.run_brian2(net, np.zeros((10, 2)), 1e-4, voltage_noise=0.0, delay=1e-3, seed=0,
                         directory="unused", python="unused")


@pytest.fixture(scope="module")
def brian2_python():
    python, status = bench.brian2_python()
    if status.startswith("unavailable"):
        pytest.skip(f"the Brian2 twin needs brian2 ({python}: {status}); `make brian2-env` builds it")
    return python


@pytest.mark.slow
def test_brian2_twin_gives_identical_spike_trains_without_noise(brian2_python, tmp_path):
    params = replace(bench.ACTIVE, n_neurons=100)
    net = bench.active_network(params)
    command = bench.active_input(0.3, params)
    ours = simulate(net, command, params.dt, voltage_noise=0.0, delay=params.delay, spike_rule="all")
    theirs = bench.run_brian2(net, command, params.dt, voltage_noise=0.0, delay=params.delay, seed=0,
                              directory=tmp_path / "brian2", python=brian2_python)
    assert ours.n_spikes > 100
    order = np.lexsort((theirs.spike_neurons, theirs.spike_steps))
    np.testing.assert_array_equal(theirs.spike_steps[order], bench.spike_steps(ours))
    np.testing.assert_array_equal(theirs.spike_neurons[order], ours.spike_neurons)
    # a different delay is a different network: the trains differ
    shifted = simulate(net, command, params.dt, voltage_noise=0.0, delay=2 * params.delay, spike_rule="all")
    assert not np.array_equal(bench.spike_steps(shifted), bench.spike_steps(ours))
