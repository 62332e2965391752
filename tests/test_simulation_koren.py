"""Simulator features for Koren & Denève (2017): the exact delay convention, the delayed
autapse, threshold noise, initial voltages, exact continuation from a saved state,
summary (streaming) recording, and their bad input."""
import math

import numpy as np
import pytest
import scipy.stats

from pcn_core import network as nw
from pcn_core import simulation as sim
from pcn_core.signals import smoothed_white_noise


def _pair():
    # opposite kernels, no leak and no slow connections: a spike kicks the other neuron by +0.25;
    # the self-reset (1.25) exceeds the kick, so the pair does not ping-pong
    return nw.boerlin_network([[0.5, -0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=0.0, linear_cost=1.0,
                              quadratic_cost=0.01)


@pytest.mark.parametrize("dt, delay", [(1e-4, 0.0), (1e-4, 1e-4), (1e-4, 1e-3), (1e-3, 0.0), (1e-3, 1e-3),
                                       (1e-3, 2e-3), (5e-4, 1.5e-3)])
def test_first_check_that_sees_a_spike_comes_dt_plus_delay_later(dt, delay):
    pair = _pair()
    # neuron 0 starts above threshold and fires in step 0; neuron 1 sits 0.1 below threshold,
    # so the kick makes it fire at the first threshold check that sees the spike
    v0 = [pair.thresholds[0] + 0.01, pair.thresholds[1] - 0.1]
    res = sim.simulate(pair, np.zeros((40, 1)), dt, delay=delay, initial_voltage=v0, record_voltages=[1])
    t0 = res.spike_times[res.spike_neurons == 0]
    t1 = res.spike_times[res.spike_neurons == 1]
    assert t0.size == 1 and t1.size == 1
    assert t0[0] == pytest.approx(dt)  # stamped at the end of its step
    assert t1[0] - t0[0] == pytest.approx(dt + delay)
    # far below threshold, the recorded voltage of neuron 1 jumps by +0.25 in the step the spike is delivered
    v0[1] = pair.thresholds[1] - 1.0
    res = sim.simulate(pair, np.zeros((40, 1)), dt, delay=delay, initial_voltage=v0, record_voltages=[1])
    jumps = np.flatnonzero(np.diff(np.r_[v0[1], res.voltages[:, 0]]))
    assert jumps.size == 1 and res.voltages[-1, 0] - v0[1] == pytest.approx(0.25)
    D = round(delay / dt)
    assert jumps[0] == (0 if D == 0 else 1 + D)  # D = 0: right after step 0's decisions


def test_delay_of_one_step_differs_from_no_delay():
    dt = 1e-4
    net = nw.koren_network(np.random.default_rng(5).standard_normal((3, 40)), leak=10.0, linear_cost=5.0,
                           quadratic_cost=30.0)
    command = 300.0 * smoothed_white_noise(0.3, dt, 0.05, 1.0, shape=3, seed=6)
    runs = [sim.simulate(net, command, dt, voltage_noise=25.0, delay=d, spike_rule="all", seed=7)
            for d in (0.0, dt)]
    assert runs[0].spike_times.size > 20
    assert not (np.array_equal(runs[0].spike_times, runs[1].spike_times)
                and np.array_equal(runs[0].spike_neurons, runs[1].spike_neurons))


def test_koren_kernel_delay_maps_the_synaptic_delay():
    assert sim.koren_kernel_delay(1e-3, 1e-3) == 0.0
    assert sim.koren_kernel_delay(2e-3, 1e-3) == pytest.approx(1e-3)
    assert sim.koren_kernel_delay(1e-3, 1e-4) == pytest.approx(9e-4)
    # the helper's delay gives a check-to-check latency of exactly δ (two neurons, as above)
    pair, dt = _pair(), 1e-3
    res = sim.simulate(pair, np.zeros((20, 1)), dt, delay=sim.koren_kernel_delay(2e-3, dt),
                       initial_voltage=[pair.thresholds[0] + 0.01, pair.thresholds[1] - 0.1])
    assert np.diff(res.spike_times)[0] == pytest.approx(2e-3)


@pytest.mark.parametrize("synaptic_delay, dt, match", [
    (5e-4, 1e-3, "synaptic_delay must be >= dt"),
    (1.5e-3, 1e-3, "synaptic_delay must be a whole number of steps"),
    (1e-3, 0.0, "dt must be a positive"),
    (np.nan, 1e-3, "synaptic_delay must be >= dt"),
])
def test_koren_kernel_delay_rejects_bad_input(synaptic_delay, dt, match):
    with pytest.raises(ValueError, match=match):
        sim.koren_kernel_delay(synaptic_delay, dt)


def _consecutive_runs(steps):
    """Lengths of the runs of consecutive integers in sorted ``steps``."""
    breaks = np.flatnonzero(np.diff(steps) != 1)
    return np.diff(np.r_[-1, breaks, steps.size - 1])


@pytest.mark.parametrize("delay_steps", [0, 1, 3])
def test_a_delayed_autapse_lets_a_driven_neuron_fire_every_step_for_a_delay(delay_steps):
    dt = 1e-3
    net = nw.koren_network([[1.0]], leak=10.0)  # threshold 0.5, reset 1
    command = np.full(2000, 200.0)  # +0.2 per step: a reset needs several steps to recover
    runs = {}
    for mode in ("immediate", "delayed"):
        res = sim.simulate(net, command, dt, delay=delay_steps * dt, self_reset=mode)
        steps = np.rint(res.spike_times / dt).astype(int) - 1
        runs[mode] = _consecutive_runs(steps)[:-1]  # the last run may be cut by the end
        assert runs[mode].size > 20
    assert np.all(runs["immediate"] == 1)
    assert np.all(runs["delayed"] == delay_steps + 1)


def test_threshold_noise_is_a_fresh_draw_per_step_and_does_not_enter_the_voltage():
    # 400 uncoupled neurons (orthogonal kernels), no input, no leak: V stays where it starts,
    # so a neuron a below threshold fires in a step with probability Φ(-a / σ_θ).
    n, dt, sigma, gap = 400, 1e-4, 0.2, 0.1
    net = nw.boerlin_network(0.5 * np.eye(n), -10.0 * np.eye(n), decoder_leak=10.0, membrane_leak=0.0)
    v0 = net.thresholds - gap
    res = sim.simulate(net, np.zeros((3, n)), dt, threshold_noise=sigma, spike_rule="all", initial_voltage=v0,
                       record_voltages=np.arange(n), seed=1)
    p = scipy.stats.norm.cdf(-gap / sigma)
    first_index = np.unique(res.spike_neurons, return_index=True)[1]
    first_step = np.rint(res.spike_times[first_index] / dt).astype(int) - 1
    at_once = np.sum(first_step == 0)
    assert at_once / n == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
    # a neuron that did not fire in step 0 fires in step 1 with the same probability (a fresh draw)
    left = n - at_once
    assert np.sum(first_step == 1) / left == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / left))
    silent = np.setdiff1d(np.arange(n), res.spike_neurons)
    np.testing.assert_array_equal(res.voltages[:, silent], np.broadcast_to(v0[silent], (3, silent.size)))


def test_initial_voltage_is_where_the_membrane_starts():
    net = _pair()
    v0 = [0.3, -1.2]
    res = sim.simulate(net, np.zeros((5, 1)), 1e-4, initial_voltage=v0, record_voltages=[0, 1])
    np.testing.assert_array_equal(res.voltages, np.tile(v0, (5, 1)))
    assert res.final_state.voltages.tolist() == v0


def _chunk_network(dense=False):
    return nw.koren_network(np.random.default_rng(3).standard_normal((3, 60)), leak=10.0, linear_cost=2.0,
                            quadratic_cost=5.0, dense=dense)


@pytest.mark.parametrize("rule, delay_steps, self_reset, dense", [
    ("all", 0, "immediate", False), ("all", 1, "delayed", False), ("all", 2, "delayed", False),
    ("all", 2, "immediate", True), ("single", 2, "immediate", False), ("single", 1, "delayed", True),
])
def test_two_chunks_give_exactly_the_one_run(rule, delay_steps, self_reset, dense):
    dt = 1e-3
    net = _chunk_network(dense)
    command = 20.0 * smoothed_white_noise(3.0, dt, 0.2, 1.0, shape=3, seed=2)
    command[1800:] = 0.0  # active -> quiescent within the second chunk
    kw = dict(voltage_noise=0.25 / math.sqrt(1e-3), threshold_noise=0.05, sensory_noise=0.5, spike_failure=0.1,
              delay=delay_steps * dt, self_reset=self_reset, spike_rule=rule)
    whole = sim.simulate(net, command, dt, seed=4, **kw)
    split = 1234
    first = sim.simulate(net, command[:split], dt, seed=4, **kw)
    second = sim.simulate(net, command[split:], dt, initial_state=first.final_state, **kw)
    assert whole.spike_times.size > 50
    assert second.start_step == split and second.times[0] == pytest.approx(whole.times[split])
    np.testing.assert_array_equal(np.r_[first.spike_neurons, second.spike_neurons], whole.spike_neurons)
    np.testing.assert_array_equal(np.r_[first.spike_times, second.spike_times], whole.spike_times)
    np.testing.assert_array_equal(np.r_[first.estimate, second.estimate], whole.estimate)
    np.testing.assert_array_equal(np.r_[first.target, second.target], whole.target)
    np.testing.assert_array_equal(np.r_[first.population_counts, second.population_counts],
                                  whole.population_counts)
    np.testing.assert_array_equal(first.spike_counts + second.spike_counts, whole.spike_counts)
    assert first.error_norm_sum + second.error_norm_sum == pytest.approx(whole.error_norm_sum, rel=1e-12)
    np.testing.assert_array_equal(second.final_state.voltages, whole.final_state.voltages)
    np.testing.assert_array_equal(second.final_state.pending_neurons, whole.final_state.pending_neurons)
    np.testing.assert_array_equal(second.final_state.stream_state, whole.final_state.stream_state)
    np.testing.assert_allclose(second.final_state.filtered_spikes, whole.final_state.filtered_spikes, rtol=1e-12)
    # r is the decayed spike count: check it against the spikes themselves
    age = whole.n_steps - np.rint(whole.spike_times / dt).astype(int)
    r = np.bincount(whole.spike_neurons, weights=(1 - 10.0 * dt) ** age, minlength=net.n_neurons)
    np.testing.assert_allclose(whole.final_state.filtered_spikes, r, rtol=1e-10, atol=1e-300)
    if delay_steps:
        assert first.final_state.pending_neurons.size == first.population_counts[-delay_steps:].sum()


def test_state_holds_the_pending_spikes_with_their_delivery_step():
    pair, dt = _pair(), 1e-4
    res = sim.simulate(pair, np.zeros((12, 1)), dt, delay=3 * dt,
                       perturbation=sim.ExtraSpike(time=10 * dt, neuron=0))
    state = res.final_state
    assert state.step == 12
    assert state.pending_neurons.tolist() == [0]
    assert state.pending_delivery_steps.tolist() == [10 + 1 + 3]
    assert state.filtered_spikes[0] == pytest.approx(1 - 10.0 * dt)  # one spike, one step of decay


def _streaming_runs(**extra):
    dt = 1e-3
    net = _chunk_network()
    groups = (net.decoder[0] > 0).astype(int) + 2 * (net.decoder[1] > 0)  # 4 groups by sign
    command = 20.0 * smoothed_white_noise(4.0, dt, 0.2, 1.0, shape=3, seed=5)
    kw = dict(voltage_noise=0.25 / math.sqrt(1e-3), delay=dt, spike_rule="all", groups=groups, seed=0, **extra)
    full = sim.simulate(net, command, dt, **kw)
    windows = [(0.2005, 0.75), (2.5, 3.1)]
    summary = sim.simulate(net, command, dt, record="summary", spike_windows=windows, trajectory_every=7, **kw)
    return full, summary, windows, groups


def test_summary_recording_equals_what_the_full_run_gives():
    full, summary, windows, groups = _streaming_runs()
    dt = full.dt
    assert full.spike_times.size > 300
    steps = np.rint(full.spike_times / dt).astype(int) - 1
    # population and group counts
    np.testing.assert_array_equal(summary.population_counts, np.bincount(steps, minlength=full.n_steps))
    np.testing.assert_array_equal(summary.group_counts.sum(axis=1), summary.population_counts)
    for g in range(4):
        np.testing.assert_array_equal(summary.group_counts[:, g],
                                      np.bincount(steps[groups[full.spike_neurons] == g], minlength=full.n_steps))
    np.testing.assert_array_equal(summary.spike_counts, np.bincount(full.spike_neurons, minlength=60))
    assert summary.n_spikes == full.spike_times.size
    # error sums
    error = full.target - full.estimate
    assert summary.error_norm_sum == pytest.approx(np.linalg.norm(error, axis=1).sum(), rel=1e-12)
    assert summary.error_abs_sum == pytest.approx(np.abs(error).sum(), rel=1e-12)
    assert summary.error_squared_sum == pytest.approx((error ** 2).sum(), rel=1e-12)
    assert summary.n_error_steps == full.n_steps
    assert summary.mean_error_norm == pytest.approx(np.linalg.norm(error, axis=1).mean(), rel=1e-12)
    assert summary.mean_population_rate == pytest.approx(full.spike_times.size / full.duration)
    # the full run computes the same summary
    np.testing.assert_array_equal(full.population_counts, summary.population_counts)
    assert full.error_norm_sum == summary.error_norm_sum
    # windowed spikes
    inside = np.zeros(full.spike_times.size, bool)
    for t0, t1 in windows:
        inside |= (full.spike_times > t0 + 1e-9) & (full.spike_times <= t1 + 1e-9)   # windows are (t0, t1]
    np.testing.assert_array_equal(summary.spike_times, full.spike_times[inside])
    np.testing.assert_array_equal(summary.spike_neurons, full.spike_neurons[inside])
    # decimated trajectory
    np.testing.assert_array_equal(summary.estimate, full.estimate[6::7])
    np.testing.assert_array_equal(summary.target, full.target[6::7])
    np.testing.assert_allclose(summary.trajectory_times, full.times[6::7])
    # rates: whole run and inside a window work; elsewhere they cannot be known
    np.testing.assert_allclose(summary.rates(), full.rates())
    np.testing.assert_allclose(summary.rates(2.6, 3.0), full.rates(2.6, 3.0))
    with pytest.raises(ValueError, match="spike_windows"):
        summary.rates(1.0, 2.0)


def test_summary_mode_without_windows_stores_no_spikes_and_loses_none_of_the_counts():
    dt = 1e-3
    net = _chunk_network()
    command = 20.0 * smoothed_white_noise(1.0, dt, 0.2, 1.0, shape=3, seed=5)
    res = sim.simulate(net, command, dt, voltage_noise=0.25 / math.sqrt(1e-3), spike_rule="all", record="summary",
                       seed=1,
                       initial_spike_capacity=1)
    assert res.spike_times.size == 0 and res.estimate.shape == (0, 3) and res.group_counts is None
    assert res.n_spikes == res.population_counts.sum() > 30


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(threshold_noise=-0.1), ValueError, r"threshold_noise must be a finite number >= 0"),
    (dict(threshold_noise=np.nan), ValueError, r"threshold_noise must be a finite number >= 0"),
    (dict(self_reset="later"), ValueError, "self_reset must be 'immediate' or 'delayed'"),
    (dict(record="some"), ValueError, "record must be 'full' or 'summary'"),
    (dict(delay=np.nan), ValueError, "delay must be >= 0"),
    (dict(initial_voltage=[0.0, 1.0]), ValueError, r"initial_voltage must be a finite vector of length N=4"),
    (dict(initial_voltage=[0.0, 1.0, np.inf, 0.0]), ValueError, "initial_voltage must be a finite vector"),
    (dict(groups=[0, 1, 0]), ValueError, r"groups must be an integer array of shape \(N,\)"),
    (dict(groups=[0.0, 1.0, 0.0, 1.0]), ValueError, "groups must hold integer group indices"),
    (dict(groups=[0, -1, 0, 1]), ValueError, "groups must hold group indices >= 0"),
    (dict(spike_windows=[(0.0, 1e-3)]), ValueError, "spike_windows applies to record='summary'"),
    (dict(record="summary", spike_windows=[(0.0, 1.0, 2.0)]), ValueError, r"\(t0, t1\) pairs"),
    (dict(record="summary", spike_windows=[(0.5, 0.1)]), ValueError, "t1 > t0"),
    (dict(record="summary", spike_windows=[(0.0, np.nan)]), ValueError, "finite times"),
    (dict(trajectory_every=2), ValueError, "trajectory_every applies to record='summary'"),
    (dict(record="summary", trajectory_every=0), ValueError, r"trajectory_every must be None or an integer in \[1"),
    (dict(record="summary", trajectory_every=2.5), ValueError, "trajectory_every must be None or an integer"),
    (dict(record="summary", trajectory_every=11), ValueError, r"n_steps=10"),
    (dict(record_voltages=[0.5]), TypeError, r"record_voltages must hold integer indices in \[0, 3\]"),
    (dict(initial_spike_capacity=0), ValueError, "initial_spike_capacity must be an integer >= 1"),
    (dict(seed="abc"), TypeError, "seed must be None, an integer >= 0, a SeedSequence or a np.random.Generator"),
    (dict(initial_state="state"), TypeError, "initial_state must be a SimulationState"),
])
def test_bad_new_input_raises_clear_errors(kwargs, error, match):
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    with pytest.raises(error, match=match):
        sim.simulate(net, np.ones(10), 1e-4, **kwargs)


def test_a_state_continues_only_a_compatible_run():
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    state = sim.simulate(net, np.ones(10), 1e-4, delay=2e-4, seed=1).final_state
    ok = dict(delay=2e-4)
    with pytest.raises(ValueError, match="seed must be None when initial_state is given"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, seed=2, **ok)
    with pytest.raises(ValueError, match="x0 must be None when initial_state is given"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, x0=[1.0], **ok)
    with pytest.raises(ValueError, match="initial_voltage must be None"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, initial_voltage=np.zeros(4), **ok)
    with pytest.raises(ValueError, match="same delay"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, delay=1e-4)
    with pytest.raises(ValueError, match="same dt"):
        sim.simulate(net, np.ones(10), 2e-4, initial_state=state, delay=2e-4)
    with pytest.raises(ValueError, match="self_reset"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, self_reset="delayed", **ok)
    bigger = nw.boerlin_network(nw.homogeneous_kernels(6, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    with pytest.raises(ValueError, match="initial_state.voltages must be a finite vector of length 6"):
        sim.simulate(bigger, np.ones(10), 1e-4, initial_state=state, **ok)
    # perturbation times are absolute: the second chunk covers [1 ms, 2 ms)
    with pytest.raises(ValueError, match=r"perturbation.time must lie in \[0.001"):
        sim.simulate(net, np.ones(10), 1e-4, initial_state=state, perturbation=sim.ExtraSpike(0.0, 0), **ok)
