"""Network simulator: analytic results, the paper's error bound, equivalences and bad input."""
import math

import numpy as np
import pytest

from pcn_core import network as nw
from pcn_core import simulation as sim
from reference import reference_simulation
from pcn_core.signals import smoothed_white_noise


def _lif_period(drive, leak, v_reset, threshold):
    """Time (s) for dV/dt = -leak V + drive to go from v_reset to threshold."""
    v_inf = drive / leak
    return math.log((v_inf - v_reset) / (v_inf - threshold)) / leak


def _single_neuron(kernel=0.5, decoder_leak=10.0, membrane_leak=20.0):
    # A = -λ_d I removes the slow connections, leaving a plain LIF neuron.
    return nw.boerlin_network([[kernel]], [[-decoder_leak]], decoder_leak=decoder_leak,
                              membrane_leak=membrane_leak, linear_cost=0.01, quadratic_cost=0.001)


def test_single_neuron_fires_at_lif_rate_and_converges_in_dt():
    net = _single_neuron()
    command = 20.0  # V drive = kernel * command = 10 per s, v_inf = 0.5 > threshold
    threshold, reset = net.thresholds[0], net.thresholds[0] - net.self_reset[0]
    expected = _lif_period(0.5 * command, 20.0, reset, threshold)
    errors = []
    for dt in (4e-4, 1e-4, 2.5e-5):
        res = sim.simulate(net, np.full(int(round(3.0 / dt)), command), dt)
        period = np.mean(np.diff(res.spike_times))
        # each period rounds up to a whole step; Euler's leak adds O(λ dt) relative error
        assert -0.5 * dt <= period - expected <= 2 * dt
        errors.append(period - expected)
    assert abs(errors[-1]) < abs(errors[0])


def test_perfect_integrator_holds_its_value_after_input_stops():
    dt = 1e-4
    net = nw.boerlin_network(nw.homogeneous_kernels(400, 0.1), [[0.0]], decoder_leak=10.0,
                             membrane_leak=20.0, linear_cost=1e-5, quadratic_cost=1e-6)
    n = int(round(2.0 / dt))
    t = dt * np.arange(n)
    command = np.where((t >= 0.1) & (t < 0.5), 10.0, 0.0)  # x rises to 4 and should stay
    res = sim.simulate(net, command, dt, voltage_noise=1e-3, seed=3)
    after = res.times > 0.7
    assert res.target[-1, 0] == pytest.approx(4.0, abs=1e-9)
    assert np.max(np.abs(res.estimate[after, 0] - 4.0)) < 0.1  # within one kernel
    rates = res.rates(0.7, 2.0)
    assert rates[:200].mean() > 1.0  # persistent firing of the positive population


@pytest.mark.parametrize("n_variables", [1, 2])
def test_error_stays_within_half_a_kernel_without_costs_or_noise(n_variables):
    # A = 0, no leak, no costs, no noise: V_i = Γ_iᵀ(x - x̂) exactly, and the spike
    # rule keeps every projection below ‖Γ_i‖²/2 (plus one step's input).
    dt = 1e-4
    rng = np.random.default_rng(0)
    decoder = rng.standard_normal((n_variables, 60))
    decoder *= 0.1 / np.linalg.norm(decoder, axis=0)
    net = nw.boerlin_network(decoder, np.zeros((n_variables, n_variables)), decoder_leak=10.0, membrane_leak=0.0)
    command = 20.0 * smoothed_white_noise(2.0, dt, 0.1, 1.0, shape=n_variables, seed=1)
    res = sim.simulate(net, command, dt)
    error = res.target - res.estimate
    projections = error @ decoder  # (n_steps, N)
    step_input = np.abs(command * dt) @ np.abs(decoder)
    assert np.all(projections <= 0.5 * 0.01 + step_input.max() + 1e-12)
    if n_variables == 1:
        assert np.max(np.abs(error)) <= 0.05 + np.abs(command).max() * dt * 2


def test_low_rank_and_dense_paths_give_the_same_spikes():
    dt = 1e-4
    rng = np.random.default_rng(1)
    decoder = rng.standard_normal((2, 50)) * 0.1
    A = np.array([[-4.8, -22.4], [40.0, 0.0]])
    command = 30.0 * smoothed_white_noise(0.5, dt, 0.05, 1.0, shape=2, seed=2)
    for delay, rule in ((0.0, "single"), (0.0, "all"), (5e-4, "all")):
        runs = [sim.simulate(nw.boerlin_network(decoder, A, decoder_leak=10, membrane_leak=20,
                                                linear_cost=1e-4, quadratic_cost=1e-4, dense=dense),
                             command, dt, voltage_noise=1e-2, delay=delay, spike_rule=rule, seed=4)
                for dense in (False, True)]
        assert runs[0].spike_times.size > 50
        np.testing.assert_array_equal(runs[0].spike_neurons, runs[1].spike_neurons)
        np.testing.assert_array_equal(runs[0].spike_times, runs[1].spike_times)
        np.testing.assert_allclose(runs[0].estimate, runs[1].estimate, atol=1e-9)


def _koren_test_network(n_neurons=40, dense=False):
    return nw.koren_network(np.random.default_rng(5).standard_normal((3, n_neurons)), leak=10.0,
                            linear_cost=5.0, quadratic_cost=30.0, dense=dense)


@pytest.mark.parametrize("rule, delay_steps, self_reset, failure, threshold_noise, dense", [
    ("single", 0, "immediate", 0.0, 0.0, False),
    ("single", 2, "delayed", 0.3, 0.5, False),
    ("all", 0, "immediate", 0.0, 0.0, False),
    ("all", 0, "delayed", 0.3, 0.5, False),
    ("all", 1, "immediate", 0.0, 0.0, False),
    ("all", 1, "delayed", 0.0, 0.5, False),
    ("all", 2, "immediate", 0.3, 0.0, False),
    ("all", 2, "delayed", 0.3, 0.5, False),
    ("all", 10, "immediate", 0.3, 0.0, False),
    ("all", 2, "immediate", 0.3, 0.5, True),
    ("all", 2, "delayed", 0.0, 0.5, True),
])
def test_kernel_matches_plain_numpy_reference(rule, delay_steps, self_reset, failure, threshold_noise, dense):
    dt = 1e-4
    net = _koren_test_network(dense=dense)
    noise = 25.0
    command = 300.0 * smoothed_white_noise(0.3, dt, 0.05, 1.0, shape=3, seed=6)
    v0 = np.random.default_rng(8).uniform(-5.0, 5.0, net.n_neurons)
    kw = dict(voltage_noise=noise, delay=delay_steps * dt, spike_rule=rule, spike_failure=failure,
              sensory_noise=1.0, threshold_noise=threshold_noise, self_reset=self_reset, initial_voltage=v0,
              x0=[0.1, -0.2, 0.3], seed=7)
    res = sim.simulate(net, command, dt, **kw)
    steps, neurons, estimate, target = reference_simulation(net, command, dt, **kw)
    assert steps.size > 20
    np.testing.assert_array_equal(res.spike_neurons, neurons)
    np.testing.assert_allclose(res.spike_times, (steps + 1) * dt)
    np.testing.assert_allclose(res.estimate, estimate, atol=1e-9)
    np.testing.assert_allclose(res.target, target, atol=1e-12)


@pytest.mark.parametrize("rule, delay_steps, self_reset, perturbation, dense", [
    ("single", 0, "immediate", sim.DelaySpike(time=0.05, delay=3e-4), False),
    ("all", 0, "immediate", sim.ExtraSpike(time=0.1, neuron=4), False),
    ("all", 2, "delayed", sim.DelaySpike(time=0.05, delay=5e-4), False),
    ("all", 3, "immediate", sim.ExtraSpike(time=0.12, neuron=7), True),
    ("single", 1, "delayed", None, True),
])
def test_kernel_matches_the_oracle_with_silencing_perturbations_and_currents(rule, delay_steps, self_reset,
                                                                            perturbation, dense):
    dt = 1e-4
    net = _koren_test_network(dense=dense)
    command = 300.0 * smoothed_white_noise(0.25, dt, 0.05, 1.0, shape=3, seed=16)
    v0 = np.random.default_rng(18).uniform(-5.0, 5.0, net.n_neurons)
    silence = sim.Silencing(neurons=tuple(range(0, 40, 3)), time=0.15)
    kw = dict(voltage_noise=25.0, delay=delay_steps * dt, spike_rule=rule, spike_failure=0.2, sensory_noise=1.0,
              self_reset=self_reset, initial_voltage=v0, silence=silence, perturbation=perturbation,
              record_currents=[1, 4, 9], seed=17)
    res = sim.simulate(net, command, dt, **kw)
    ref = reference_simulation(net, command, dt, **kw)
    assert ref.spike_steps.size > 20
    np.testing.assert_array_equal(res.spike_neurons, ref.spike_neurons)
    np.testing.assert_allclose(res.spike_times, (ref.spike_steps + 1) * dt)  # stamped at the end of the step
    np.testing.assert_allclose(res.estimate, ref.estimate, atol=1e-9)
    np.testing.assert_allclose(res.excitatory, ref.excitatory, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(res.inhibitory, ref.inhibitory, rtol=1e-9, atol=1e-6)
    # the silenced neurons are silent from the silencing on, and the others fire after it
    late = ref.spike_steps >= round(silence.time / dt)
    assert not np.isin(ref.spike_neurons[late], silence.neurons).any() and late.sum() > 5
    assert ref.excitatory.max() > 0 and ref.inhibitory.min() < 0


def test_the_oracle_sees_a_change_of_delay_or_stamping():
    """The oracle is sensitive to the conventions it checks: one step more of delay, or spikes
    stamped at the start of their step, are caught."""
    dt = 1e-4
    net = _koren_test_network()
    command = 300.0 * smoothed_white_noise(0.2, dt, 0.05, 1.0, shape=3, seed=6)
    kw = dict(voltage_noise=25.0, spike_rule="all", seed=7)
    res = sim.simulate(net, command, dt, delay=2 * dt, **kw)
    shifted = reference_simulation(net, command, dt, delay=3 * dt, **kw)
    same = reference_simulation(net, command, dt, delay=2 * dt, **kw)
    np.testing.assert_allclose(res.spike_times, (same.spike_steps + 1) * dt)
    assert not (res.spike_times.size == shifted.spike_steps.size
                and np.allclose(res.spike_times, (shifted.spike_steps + 1) * dt))
    assert not np.allclose(res.spike_times, same.spike_steps * dt)


def test_self_reset_is_immediate_and_lateral_input_arrives_after_the_delay():
    dt, delay_steps = 1e-4, 7
    net = nw.boerlin_network([[0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=20.0)
    command = np.full(int(round(1.0 / dt)), 20.0)
    # a lone neuron's rate does not depend on the delay: its own reset is not delayed
    rates = [sim.simulate(net, command, dt, delay=d * dt).spike_times.size for d in (0, delay_steps)]
    assert rates[0] == rates[1] > 5
    # two opposite neurons, no input: an extra spike of neuron 0 excites neuron 1 after exactly the delay
    pair = nw.boerlin_network([[0.5, -0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=0.0, linear_cost=1.0)
    res = sim.simulate(pair, np.zeros((100, 1)), dt, delay=delay_steps * dt,
                       perturbation=sim.ExtraSpike(time=10 * dt, neuron=0), record_voltages=[0, 1])
    v0, v1 = res.voltages[:, 0], res.voltages[:, 1]
    assert v0[10] == pytest.approx(-pair.self_reset[0])  # at once
    # emitted in step 10 (stamped at its end), delivered at the start of step 10 + 1 + D
    assert np.all(v1[:11 + delay_steps] == 0.0)
    assert v1[11 + delay_steps] == pytest.approx(0.25)  # -Ω_f[1,0] = Γ_1·Γ_0 sign flipped: +0.25


def test_currents_add_up_to_the_voltage_change():
    dt = 1e-4
    net = nw.boerlin_network(nw.homogeneous_kernels(20, 0.1), [[0.0]], decoder_leak=10.0, membrane_leak=0.0,
                             linear_cost=1e-3, quadratic_cost=1e-4)
    command = np.where(np.arange(5000) < 2000, 20.0, 0.0)
    res = sim.simulate(net, command, dt, record_voltages=[3], record_currents=[3])
    dv = np.diff(np.concatenate([[0.0], res.voltages[:, 0]]))
    own = np.zeros(res.n_steps)
    own_spikes = np.rint(res.spike_times[res.spike_neurons == 3] / dt).astype(int) - 1
    own[own_spikes] = net.self_reset[3]
    np.testing.assert_allclose(dv, (res.excitatory[:, 0] + res.inhibitory[:, 0]) * dt - own, atol=1e-12)
    assert res.excitatory.min() >= 0 and res.inhibitory.max() <= 0
    assert res.excitatory.sum() > 0 and res.inhibitory.sum() < 0


def test_same_seed_same_result_and_buffer_growth_loses_nothing():
    dt = 1e-4
    net = nw.boerlin_network(nw.homogeneous_kernels(100, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20,
                             linear_cost=1e-5, quadratic_cost=1e-6)
    command = np.full(10000, 20.0)
    a = sim.simulate(net, command, dt, voltage_noise=1e-3, seed=11)
    b = sim.simulate(net, command, dt, voltage_noise=1e-3, seed=11, initial_spike_capacity=8)
    c = sim.simulate(net, command, dt, voltage_noise=1e-3, seed=12)
    assert a.spike_times.size > 1000
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    assert not np.array_equal(a.spike_neurons[:200], c.spike_neurons[:200])


def test_silenced_neurons_stop_and_the_others_take_over():
    dt = 1e-4
    net = nw.boerlin_network(nw.homogeneous_kernels(100, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20,
                             linear_cost=1e-5, quadratic_cost=1e-6)
    command = np.where(np.arange(30000) < 1000, 30.0, 0.0)
    silenced = tuple(range(25))
    res = sim.simulate(net, command, dt, voltage_noise=1e-3, seed=2, silence=sim.Silencing(silenced, 1.5))
    late = res.spike_times > 1.5
    assert not np.any(np.isin(res.spike_neurons[late], silenced))
    before, after = res.rates(0.5, 1.5), res.rates(1.5, 3.0)
    assert after[25:50].mean() > 1.5 * before[25:50].mean()
    assert abs(res.estimate[-1, 0] - res.target[-1, 0]) < 0.1


def test_delaying_one_spike_changes_nothing_before_it():
    dt = 1e-4
    decoder = nw.sparse_random_kernels(100, 5, connection_probability=0.7, low=0.06, high=0.1, seed=0)
    net = nw.boerlin_network(decoder, np.zeros((5, 5)), decoder_leak=10, membrane_leak=20,
                             linear_cost=1e-5, quadratic_cost=1e-6)
    command = np.tile(np.where(np.arange(10000) < 3000, 5.0, 0.0)[:, None], (1, 5))
    a = sim.simulate(net, command, dt)
    b = sim.simulate(net, command, dt, perturbation=sim.DelaySpike(time=0.6, delay=1e-3))
    early_a, early_b = a.spike_times < 0.6, b.spike_times < 0.6
    np.testing.assert_array_equal(a.spike_neurons[early_a], b.spike_neurons[early_b])
    first = np.flatnonzero(a.spike_times >= 0.6)[0]
    moved = a.spike_neurons[first]
    assert np.any((b.spike_neurons == moved) & np.isclose(b.spike_times, a.spike_times[first] + 1e-3))
    assert not np.array_equal(a.spike_neurons[a.spike_times > 0.7][:50], b.spike_neurons[b.spike_times > 0.7][:50])


def test_effective_psp_of_the_perfect_integrator_integrates_to_zero():
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    t = np.linspace(0, 3.0, 300001)
    psp = net.effective_psp(0, 1, t)
    assert psp[0] < 0 and psp.max() > 0  # fast inhibition then slower excitation
    assert np.trapezoid(psp, t) == pytest.approx(0.0, abs=1e-6)
    leaky = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[-50.0]], decoder_leak=10, membrane_leak=20)
    assert np.all(leaky.effective_psp(0, 1, t) <= 0)  # a fast system: entirely inhibitory
    assert np.all(leaky.effective_psp(0, 2, t) >= 0)  # opposite kernels: sign reversal


@pytest.mark.parametrize("kwargs, match", [
    (dict(command=np.ones((10, 2))), r"command must have shape \(n_steps, J=1\)"),
    (dict(command=np.array([1.0, np.nan])), "command must contain only finite"),
    (dict(dt=0.01), r"dt=0.01 s is too large"),
    (dict(dt=-1.0), "dt must be a positive"),
    (dict(spike_failure=1.5), r"spike_failure must be a probability in \[0, 1\]"),
    (dict(delay=-1e-3), "delay must be >= 0"),
    (dict(delay=1.5e-4), "delay must be a whole number of steps"),
    (dict(voltage_noise=-1.0), "voltage_noise must be a finite number >= 0"),
    (dict(sensory_noise=np.inf), "sensory_noise must be a finite number >= 0"),
    (dict(spike_rule="some"), "spike_rule must be"),
    (dict(record_voltages=[5]), r"record_voltages must hold indices in \[0, 3\]"),
    (dict(x0=[1.0, 2.0]), "x0 must be a finite vector of length J=1"),
    (dict(perturbation=sim.DelaySpike(time=5.0, delay=1e-3)), "perturbation.time must lie in"),
    (dict(silence=sim.Silencing((7,), 0.0)), "silence.neurons"),
])
def test_bad_simulation_input_raises_clear_errors(kwargs, match):
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    args = dict(command=np.ones(10), dt=1e-4)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sim.simulate(net, args.pop("command"), args.pop("dt"), **args)


@pytest.mark.parametrize("call, match", [
    (lambda: nw.boerlin_network(np.ones(3), [[0]], decoder_leak=1, membrane_leak=1), "decoder must be a 2-D"),
    (lambda: nw.boerlin_network(np.ones((1, 3)), np.zeros((2, 2)), decoder_leak=1, membrane_leak=1), r"A must be \(J, J\)"),
    (lambda: nw.boerlin_network([[np.nan]], [[0]], decoder_leak=1, membrane_leak=1), "decoder must contain only finite"),
    (lambda: nw.boerlin_network([[1.0]], [[0]], decoder_leak=0, membrane_leak=1), "decoder_leak must be > 0"),
    (lambda: nw.boerlin_network([[1.0]], [[0]], decoder_leak=1, membrane_leak=-1), "membrane_leak must be a finite number >= 0"),
    (lambda: nw.boerlin_network([[1.0]], [[0]], decoder_leak=1, membrane_leak=1, linear_cost=-1), "linear_cost"),
    (lambda: nw.koren_network([[1.0]], leak=0), "leak must be > 0"),
    (lambda: nw.homogeneous_kernels(3, 0.1), "even number"),
])
def test_bad_network_input_raises_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_koren_network_is_the_boerlin_special_case():
    w = np.random.default_rng(0).standard_normal((3, 10))
    k = nw.koren_network(w, leak=10.0, linear_cost=5.0, quadratic_cost=2.0)
    np.testing.assert_allclose(k.thresholds, 0.5 * (np.sum(w ** 2, axis=0) + 5.0 + 2.0))
    np.testing.assert_allclose(k.dense_fast_weights(), -(w.T @ w + 2.0 * np.eye(10)))
    np.testing.assert_allclose(k.slow_weights(), 0.0, atol=1e-12)
    assert k.membrane_leak == 10.0


def test_kernel_generators_have_the_stated_structure():
    k = nw.sparse_random_kernels(400, 30, connection_probability=0.7, low=0.06, high=0.1, seed=0)
    assert k.shape == (30, 400)
    assert np.all(k[:, :200] >= 0) and np.all(k[:, 200:] <= 0)
    nonzero = np.abs(k[k != 0])
    assert nonzero.min() >= 0.06 and nonzero.max() <= 0.1
    assert np.mean(k != 0) == pytest.approx(0.7, abs=0.02)
    g = nw.normalized_random_kernels(2, 50, 0.03, seed=1)
    np.testing.assert_allclose(np.linalg.norm(g, axis=0), 0.03)
    with pytest.raises(ValueError, match="connection_probability"):
        nw.sparse_random_kernels(4, 2, connection_probability=1.5, low=0, high=1)
    with pytest.raises(ValueError, match="norm must be > 0"):
        nw.normalized_random_kernels(2, 5, 0.0)


# --- low-rank (factored) commands ---

def _low_rank_case(seed=0, J=6, R=2, n_steps=3000):
    """A Boerlin network with a non-diagonal A and a rank-R command, dense and factored."""
    from pcn_core.network import boerlin_network
    from pcn_core.simulation import LowRankCommand

    rng = np.random.default_rng(seed)
    decoder = 0.1 * rng.standard_normal((J, 60))
    A = -5.0 * np.eye(J) + rng.standard_normal((J, J))
    net = boerlin_network(decoder, A, decoder_leak=10, membrane_leak=10, linear_cost=1e-4, quadratic_cost=1e-4)
    command = LowRankCommand(20 * np.sin(np.linspace(0, 12, n_steps)[:, None] * (1 + np.arange(R))),
                             rng.standard_normal((J, R)))
    return net, command


@pytest.mark.parametrize("sensory_noise", [0.0, 0.5])
@pytest.mark.parametrize("normal_generator", ["ziggurat", "vector"])
def test_low_rank_command_simulates_the_dense_command_it_stands_for(sensory_noise, normal_generator):
    # same spikes, voltages to rounding, with a non-diagonal A (slow connections) and shared noise,
    # with either source of normals (the factored path reads the vector generator's float32 block)
    net, command = _low_rank_case()
    options = dict(sensory_noise=sensory_noise, voltage_noise=0.05, record_voltages=[0, 7, 31], seed=4,
                   normal_generator=normal_generator)
    factored = sim.simulate(net, command, 1e-4, **options)
    dense = sim.simulate(net, command.dense(), 1e-4, **options)
    assert factored.n_spikes > 50
    np.testing.assert_array_equal(factored.spike_neurons, dense.spike_neurons)
    np.testing.assert_array_equal(factored.spike_times, dense.spike_times)
    np.testing.assert_allclose(factored.voltages, dense.voltages, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(factored.target, dense.target, rtol=1e-9, atol=1e-12)


def test_low_rank_command_in_chunks_continues_exactly():
    net, command = _low_rank_case(n_steps=2000)
    whole = sim.simulate(net, command, 1e-4, voltage_noise=0.05, delay=2e-4, spike_rule="all", seed=5)
    first = sim.simulate(net, command[:700], 1e-4, voltage_noise=0.05, delay=2e-4, spike_rule="all", seed=5)
    second = sim.simulate(net, command[700:], 1e-4, voltage_noise=0.05, delay=2e-4, spike_rule="all",
                      initial_state=first.final_state)
    np.testing.assert_array_equal(np.concatenate([first.spike_times, second.spike_times]), whole.spike_times)
    np.testing.assert_array_equal(np.concatenate([first.spike_neurons, second.spike_neurons]), whole.spike_neurons)


def test_rate_model_refuses_a_low_rank_command_by_name():
    from pcn_core.simulation import _check_drive

    net, command = _low_rank_case()
    with pytest.raises(TypeError, match="command.dense"):
        _check_drive(net, command, 1e-4, None, 0.0, 10.0)


def test_low_rank_network_of_100000_neurons_never_builds_an_n_by_n_array():
    # 10⁵ neurons: an N×N float array is 80 GB. Recording currents, the effective PSP and a
    # few steps must stay within a few MB per neuron-vector.
    import tracemalloc

    n = 100_000
    rng = np.random.default_rng(0)
    net = nw.boerlin_network(rng.choice([-0.1, 0.1], size=(2, n)), -np.eye(2), decoder_leak=10, membrane_leak=10,
                             quadratic_cost=1e-3)
    tracemalloc.start()
    try:
        result = sim.simulate(net, np.ones((20, 2)), 1e-4, record_currents=[0, 5], record_voltages=[0],
                              spike_rule="all", seed=0)
        psp = net.effective_psp(0, 5, np.linspace(0, 0.1, 11))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100e6, f"peak {peak / 1e6:.0f} MB"
    assert result.excitatory.shape == (20, 2) and np.all(np.isfinite(psp))
    # the pieces equal the dense definitions on a small network
    small = nw.boerlin_network(rng.standard_normal((2, 30)), -np.eye(2), decoder_leak=10, membrane_leak=10,
                               quadratic_cost=1e-3)
    np.testing.assert_allclose(small.slow_weights(rows=[3, 7]), small.slow_weights()[[3, 7]], rtol=1e-12)
    assert small.fast_weight(4, 4) == pytest.approx(small.dense_fast_weights()[4, 4], rel=1e-12)
    assert small.fast_weight(4, 9) == pytest.approx(small.dense_fast_weights()[4, 9], rel=1e-12)
    with pytest.raises(ValueError, match="rows must hold indices"):
        small.slow_weights(rows=[30])


def test_seed_follows_the_validation_convention():
    # an int, its SeedSequence and the matching Generator give the same run; a negative seed is refused by name
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    runs = [sim.simulate(net, np.full(1000, 5.0), 1e-4, voltage_noise=1e-3, seed=seed).spike_neurons
            for seed in (3, np.random.SeedSequence(3), np.random.default_rng(3), 4)]
    assert runs[0].size > 10
    for other in runs[1:3]:
        np.testing.assert_array_equal(runs[0], other)
    assert not np.array_equal(runs[0], runs[3])  # the noise does pick the neurons
    with pytest.raises(TypeError, match="seed must be None, an integer >= 0"):
        sim.simulate(net, np.ones(10), 1e-4, seed=-1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(silence=sim.Silencing((1.0,), 0.0)), r"silence.neurons must hold integer indices in \[0, 3\]"),
    (dict(perturbation=sim.ExtraSpike(time=0.0, neuron=1.5)), r"perturbation.neuron must hold integer indices"),
    (dict(record_currents=[True]), r"record_currents must hold integer indices"),
])
def test_non_integer_neuron_indices_are_refused(kwargs, match):
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)
    with pytest.raises(TypeError, match=match):
        sim.simulate(net, np.ones(10), 1e-4, **kwargs)


def test_dense_fast_weights_cannot_be_used_to_change_a_dense_network():
    net = nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20, dense=True)
    weights = net.dense_fast_weights()
    np.testing.assert_array_equal(weights, nw.boerlin_network(nw.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10,
                                                              membrane_leak=20).dense_fast_weights())
    with pytest.raises(ValueError, match="read-only"):
        weights[0, 1] = 5.0
    assert net.fast_weight(0, 1) == pytest.approx(-0.01)
    weights.copy()[0, 1] = 5.0   # a copy is the caller's own
