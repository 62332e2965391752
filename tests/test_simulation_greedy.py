"""spike_rule="greedy": the kernel against the event-by-event oracle, its equivalences with the
other rules, its refusals, and large networks (no runaway, no N×N memory)."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from pcn_core import boerlin
from pcn_core import network as nw
from pcn_core import simulation as sim
from pcn_core.signals import smoothed_white_noise
from reference import reference_simulation


def _random_network(n_neurons=60, n_variables=2, dense=False, seed=2, linear_cost=1e-4, quadratic_cost=1e-4):
    """Random kernels of norm 0.05 and costs: at dt = 1 ms and the command below, up to ~10
    spikes per step, with neurons of every kernel direction (blocks of the low-rank search with
    a nonzero radius)."""
    decoder = nw.normalized_random_kernels(n_variables, n_neurons, 0.05, seed=seed)
    return nw.boerlin_network(decoder, -2.0 * np.eye(n_variables), decoder_leak=10, membrane_leak=20,
                              linear_cost=linear_cost, quadratic_cost=quadratic_cost, dense=dense)


def _command(n_variables, duration=0.5, dt=1e-3, seed=3):
    return 200.0 * smoothed_white_noise(duration, dt, 0.05, 1.0, shape=n_variables, seed=seed)


def _assert_same_run(res, ref, dt):
    np.testing.assert_array_equal(res.spike_neurons, ref.spike_neurons)
    np.testing.assert_array_equal(res.spike_times, (ref.spike_steps + 1) * dt)
    np.testing.assert_allclose(res.estimate, ref.estimate, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.target, ref.target, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.voltages, ref.voltages, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dense, n_variables, extra", [
    (False, 2, {}),
    (True, 2, {}),
    (False, 1, {}),
    (False, 2, dict(spike_failure=0.3, threshold_noise=1e-3, record_currents=[2, 4, 9])),
    (True, 2, dict(spike_failure=0.3, threshold_noise=1e-3, record_currents=[2, 4, 9])),
])
def test_greedy_kernel_matches_the_event_by_event_oracle(dense, n_variables, extra):
    dt = 1e-3
    net = _random_network(n_variables=n_variables, dense=dense)
    command = _command(n_variables, dt=dt)
    v0 = np.random.default_rng(8).uniform(-1e-3, 1e-3, net.n_neurons)
    kw = dict(voltage_noise=0.01, sensory_noise=0.5, spike_rule="greedy", initial_voltage=v0,
              x0=np.full(n_variables, 0.1), record_voltages=[0, 3, 7, 59], seed=5, **extra)
    res = sim.simulate(net, command, dt, **kw)
    ref = reference_simulation(net, command, dt, **kw)
    assert res.population_counts.max() >= 5   # many spikes per step: the greedy order matters
    _assert_same_run(res, ref, dt)
    if "record_currents" in extra:
        np.testing.assert_allclose(res.excitatory, ref.excitatory, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(res.inhibitory, ref.inhibitory, rtol=1e-9, atol=1e-9)
        assert ref.excitatory.max() > 0 and ref.inhibitory.min() < 0


@pytest.mark.parametrize("perturbation", [sim.DelaySpike(time=0.2, delay=0.003), sim.ExtraSpike(time=0.2, neuron=3),
                                          None])
@pytest.mark.parametrize("dense", [False, True])
def test_greedy_perturbations_and_silencing_match_the_oracle(perturbation, dense):
    dt = 1e-3
    net = _random_network(dense=dense)
    command = _command(2, dt=dt)
    silence = sim.Silencing(neurons=(1, 2, 3, 5, 8, 13, 21, 34), time=0.3)
    kw = dict(voltage_noise=0.01, spike_failure=0.2, spike_rule="greedy", silence=silence,
              perturbation=perturbation, record_voltages=[1, 3, 30], seed=17)
    res = sim.simulate(net, command, dt, **kw)
    ref = reference_simulation(net, command, dt, **kw)
    _assert_same_run(res, ref, dt)
    late = ref.spike_steps >= round(silence.time / dt)
    assert not np.isin(ref.spike_neurons[late], silence.neurons).any() and late.sum() > 100
    if isinstance(perturbation, sim.DelaySpike):
        # the run is the plain one until the held spike's step; then the held neuron skips it
        plain = sim.simulate(net, command, dt, **{**kw, "perturbation": None})
        before = plain.spike_times <= perturbation.time
        np.testing.assert_array_equal(res.spike_neurons[:before.sum()], plain.spike_neurons[before])


def test_greedy_low_rank_search_equals_the_dense_columns_on_a_large_network():
    # 3000 neurons in blocks of 54: the branch and bound must find the same neuron as a full scan
    dt = 1e-3
    command = _command(3, duration=0.2, dt=dt)
    runs = [sim.simulate(_random_network(3000, 3, dense=dense, seed=4), command, dt, voltage_noise=0.01,
                         spike_rule="greedy", threshold_noise=1e-4, seed=1) for dense in (False, True)]
    assert runs[0].population_counts.max() > 10
    np.testing.assert_array_equal(runs[0].spike_neurons, runs[1].spike_neurons)
    np.testing.assert_array_equal(runs[0].spike_times, runs[1].spike_times)
    np.testing.assert_allclose(runs[0].estimate, runs[1].estimate, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dense", [False, True])
def test_exact_ties_go_to_the_lowest_index(dense):
    # No noise, identical kernels, identical voltages: the first spikes are exact ties, taken in
    # index order. Later the neurons differ only by rounding (which neuron was reset when), so the
    # low-rank path, whose sums are grouped differently, may pick another of the equivalent neurons
    # than the oracle; the dense path adds the same columns in the same order and matches it exactly.
    dt = 1e-3
    net = nw.boerlin_network(nw.homogeneous_kernels(100, 0.02), [[0.0]], decoder_leak=10, membrane_leak=0,
                             linear_cost=1e-4, quadratic_cost=1e-4, dense=dense)
    command = np.r_[np.full(100, 60.0), np.zeros(100)]
    res = sim.simulate(net, command, dt, spike_rule="greedy")
    ref = reference_simulation(net, command, dt, spike_rule="greedy")
    assert res.population_counts.max() >= 3
    np.testing.assert_array_equal(res.spike_neurons[:50], np.arange(50))
    np.testing.assert_array_equal(res.population_counts, np.bincount(ref.spike_steps, minlength=command.size))
    np.testing.assert_allclose(res.estimate, ref.estimate, rtol=0, atol=1e-12)
    if dense:
        np.testing.assert_array_equal(res.spike_neurons, ref.spike_neurons)


def test_greedy_is_the_single_rule_when_at_most_one_neuron_crosses_per_step():
    dt = 1e-4
    net = _random_network()
    command = 10.0 * smoothed_white_noise(0.5, dt, 0.05, 1.0, shape=2, seed=3)
    kw = dict(voltage_noise=0.01, sensory_noise=0.5, seed=3)
    greedy = sim.simulate(net, command, dt, spike_rule="greedy", **kw)
    single = sim.simulate(net, command, dt, spike_rule="single", **kw)
    # one spike per step at most: then both rules see the same voltages and choose the same neuron
    assert greedy.population_counts.max() == 1 and greedy.n_spikes > 100
    np.testing.assert_array_equal(greedy.spike_neurons, single.spike_neurons)
    np.testing.assert_array_equal(greedy.spike_times, single.spike_times)
    np.testing.assert_allclose(greedy.estimate, single.estimate, rtol=0, atol=1e-12)
    # with small costs and a coarser step several neurons cross together: "single" drops the
    # spikes it needs and loses the signal, "greedy" keeps the error within a kernel (0.05)
    net = _random_network(linear_cost=1e-5, quadratic_cost=1e-6)
    command = 50.0 * smoothed_white_noise(0.5, 1e-3, 0.05, 1.0, shape=2, seed=3)
    many, one = (sim.simulate(net, command, 1e-3, spike_rule=rule, voltage_noise=1e-3, seed=3)
                 for rule in ("greedy", "single"))
    assert many.population_counts.max() > 1 and one.population_counts.max() == 1
    assert many.mean_error_norm < 0.05 < one.mean_error_norm


def test_greedy_summary_mode_and_continuation_give_the_full_run():
    dt = 1e-3
    net = _random_network()
    command = _command(2, dt=dt)
    kw = dict(voltage_noise=0.01, spike_rule="greedy", spike_failure=0.1)
    full = sim.simulate(net, command, dt, seed=9, **kw)
    groups = np.arange(net.n_neurons) % 3
    summary = sim.simulate(net, command, dt, seed=9, record="summary", groups=groups,
                           spike_windows=[(0.1, 0.2)], **kw)
    np.testing.assert_array_equal(summary.population_counts, np.bincount(
        np.round(full.spike_times / dt).astype(int) - 1, minlength=command.shape[0]))
    np.testing.assert_array_equal(summary.spike_counts, np.bincount(full.spike_neurons, minlength=net.n_neurons))
    np.testing.assert_array_equal(summary.group_counts.sum(axis=1), summary.population_counts)
    window = (full.spike_times > 0.1 + 1e-9) & (full.spike_times <= 0.2 + 1e-9)   # windows are (t0, t1]
    np.testing.assert_array_equal(summary.spike_neurons, full.spike_neurons[window])
    assert summary.error_squared_sum == pytest.approx(np.sum((full.target - full.estimate) ** 2), rel=1e-12)
    first = sim.simulate(net, command[:200], dt, seed=9, **kw)
    second = sim.simulate(net, command[200:], dt, initial_state=first.final_state, **kw)
    np.testing.assert_array_equal(np.r_[first.spike_neurons, second.spike_neurons], full.spike_neurons)
    np.testing.assert_array_equal(np.r_[first.spike_times, second.spike_times], full.spike_times)


def test_greedy_refuses_a_delay_and_non_positive_self_resets_by_name():
    net = _random_network()
    command = _command(2)
    with pytest.raises(ValueError, match=r"spike_rule='greedy' needs delay=0.*cannot act on each other.*'all'"):
        sim.simulate(net, command, 1e-3, delay=1e-3, spike_rule="greedy")
    broken = sim.Network(**{**net.__dict__, "decoder": net.decoder.copy()})
    object.__setattr__(broken, "self_reset", np.r_[0.0, net.self_reset[1:]])
    with pytest.raises(ValueError, match=r"spike_rule='greedy' needs every self-reset > 0 \(neurons \[0\]"):
        sim.simulate(broken, command, 1e-3, spike_rule="greedy")
    dense = _random_network(dense=True)
    weights = dense.fast_weights.copy()
    weights[4, 4] = 0.0
    object.__setattr__(dense, "fast_weights", weights)
    with pytest.raises(ValueError, match=r"self-reset > 0 \(neurons \[4\]"):
        sim.simulate(dense, command, 1e-3, spike_rule="greedy")
    with pytest.raises(ValueError, match="spike_rule must be 'single', 'all' or 'greedy'"):
        sim.simulate(net, command, 1e-3, spike_rule="sequential")


@pytest.mark.parametrize("dense", [False, True])
def test_a_greedy_step_that_does_not_settle_fails_loudly(dense):
    # No quadratic cost and two opposite neurons both above threshold: a spike of one and then
    # of the other leaves both voltages where they were, so the sequential rule never stops.
    net = nw.boerlin_network([[0.1, -0.1]], [[0.0]], decoder_leak=10, membrane_leak=0, dense=dense)
    v0 = net.thresholds + 0.001
    with pytest.raises(ValueError, match=r"did not settle in step 0 .*more than MAX_GREEDY_SPIKES = 8 times"):
        sim.simulate(net, np.zeros(10), 1e-3, spike_rule="greedy", initial_voltage=v0)
    with pytest.raises(ValueError, match="did not settle in step 0"):
        reference_simulation(net, np.zeros(10), 1e-3, spike_rule="greedy", initial_voltage=v0)
    # the same start with a quadratic cost settles: each exchange lowers both voltages by μ λ_d²
    costly = nw.boerlin_network([[0.1, -0.1]], [[0.0]], decoder_leak=10, membrane_leak=0, quadratic_cost=1e-4,
                                dense=dense)
    res = sim.simulate(costly, np.zeros(10), 1e-3, spike_rule="greedy", initial_voltage=costly.thresholds + 0.001)
    assert 2 <= res.population_counts[0] <= 2 * sim.MAX_GREEDY_SPIKES and res.population_counts[1:].sum() == 0


def test_a_neuron_fires_again_in_its_step_when_its_input_exceeds_a_reset():
    # one neuron, a step's input of 2.5 resets: the loss falls with each of three spikes
    net = nw.boerlin_network([[0.1]], [[-10.0]], decoder_leak=10, membrane_leak=0)
    reset = net.self_reset[0]
    v0 = net.thresholds + 2.5 * reset
    res = sim.simulate(net, np.zeros(3), 1e-3, spike_rule="greedy", initial_voltage=v0, record_voltages=[0])
    assert res.population_counts.tolist() == [3, 0, 0]
    assert res.voltages[0, 0] == pytest.approx(v0[0] - 3 * reset) and res.voltages[0, 0] <= net.thresholds[0]
    single = sim.simulate(net, np.zeros(3), 1e-3, spike_rule="single", initial_voltage=v0)
    assert single.population_counts.tolist() == [1, 1, 1]


def _scaled_integrator(n_neurons):
    """The homogeneous integrator of Boerlin Fig 7 at size N: kernels ∝ 1/N, costs and σ_V ∝ 1/N²."""
    return boerlin.scaled_integrator(n_neurons, reference_size=400, kernel=0.1, decoder_leak=10.0,
                                     membrane_leak=20.0, linear_cost=5e-5, quadratic_cost=1e-6, voltage_noise=5e-4)


@pytest.mark.parametrize("n_neurons", [4_000, 40_000])
def test_no_runaway_at_large_n_the_rate_stays_that_of_400_neurons(n_neurons):
    # x is pushed to 6 in 0.3 s and held: the positive half must fire λ_d x / (γ N/2) = 3 Hz at any N
    dt, level = 1e-4, 6.0
    command = np.r_[np.full(3000, level / 0.3), np.zeros(1000)]
    held = slice(3000, None)
    rates, errors = {}, {}
    for N, rule in ((400, "greedy"), (n_neurons, "greedy"), (n_neurons, "single")):
        net, noise = _scaled_integrator(N)
        res = sim.simulate(net, command, dt, voltage_noise=noise, spike_rule=rule, record="summary",
                           groups=(np.arange(N) >= N // 2).astype(int), trajectory_every=1, seed=1)
        rates[N, rule] = res.group_counts[held, 0].sum() / (N / 2) / (1000 * dt)
        errors[N, rule] = np.mean(np.abs(res.target[held, 0] - res.estimate[held, 0])) / net.decoder[0, 0]
        if rule == "greedy":
            assert res.group_counts[held, 1].sum() == 0          # the negative half stays silent
    assert rates[400, "greedy"] == pytest.approx(10.0 * level / (0.1 * 200), rel=0.1)
    assert rates[n_neurons, "greedy"] == pytest.approx(rates[400, "greedy"], rel=0.1)
    # the error in kernels stays that of N = 400 (error ∝ 1/N)
    assert errors[n_neurons, "greedy"] < 2 * errors[400, "greedy"] and errors[400, "greedy"] < 1
    if n_neurons * dt * rates[400, "greedy"] / 2 > 1:
        # more than one spike per step needed: one spike per step lags far behind
        assert errors[n_neurons, "single"] > 100 * errors[n_neurons, "greedy"]


def test_greedy_at_100000_neurons_never_allocates_an_n_by_n_array():
    # Peak resident memory of a fresh process (it includes numba's own allocations, which
    # tracemalloc does not see) while 10⁵ neurons run with several spikes per step; an N×N
    # float64 array would be 80 GB.
    script = textwrap.dedent("""
        import numpy as np
        from pcn_core import network as nw, simulation as sim

        def status(key):
            for line in open("/proc/self/status"):
                if line.startswith(key):
                    return int(line.split()[1]) * 1024

        small = nw.boerlin_network(nw.homogeneous_kernels(100, 0.4), [[0.0]], decoder_leak=10.0, membrane_leak=20.0,
                                   linear_cost=5e-5, quadratic_cost=1e-6)
        sim.simulate(small, np.full(10, 20.0), 1e-4, spike_rule="greedy", record="summary")  # compiled or loaded
        n = 100_000
        f = (400 / n) ** 2
        net = nw.boerlin_network(nw.homogeneous_kernels(n, 40 / n), [[0.0]], decoder_leak=10.0, membrane_leak=20.0,
                                 linear_cost=5e-5 * f, quadratic_cost=1e-6 * f)
        open("/proc/self/clear_refs", "w").write("5")   # reset the peak to the current size
        before = status("VmRSS:")
        res = sim.simulate(net, np.full(300, 20.0), 1e-4, voltage_noise=5e-4 * f, spike_rule="greedy",
                           record="summary", seed=0)
        print(status("VmHWM:") - before, int(res.population_counts.max()), res.n_spikes)
    """)
    try:
        open("/proc/self/clear_refs", "w").write("5")
    except OSError:
        pytest.skip("needs Linux /proc/self/clear_refs to reset the peak resident size")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    peak, most_per_step, n_spikes = (int(v) for v in out.stdout.split())
    assert most_per_step >= 5 and n_spikes > 1000
    assert peak < 100e6, f"peak {peak / 1e6:.0f} MB"
