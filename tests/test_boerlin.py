"""Boerlin et al. (2013) shared set-ups: the inhomogeneous integrator and its input."""
import numpy as np
import pytest

from pcn_core import boerlin, network as nw, simulation as sim

PARAMS = dict(n_neurons=40, n_copies=5, connection_probability=0.7, kernel_low=0.06, kernel_high=0.1,
              decoder_leak=10.0, membrane_leak=20.0, linear_cost=1e-5, quadratic_cost=1e-6,
              duration=1.0, dt=1e-3, stimulus_amplitude=20.0, sensory_noise=1.0, input_stop=0.6)


def test_two_pulse_stimulus_moves_an_integrator_up_then_back_by_a_quarter():
    dt = 1e-4
    s = boerlin.two_pulse_stimulus(2.0, dt, 20.0)
    # x = ∫ s dt: +20 for 0.4 s, then -10 for 0.2 s
    x = np.cumsum(s) * dt
    assert x[int(round(0.55 / dt))] == pytest.approx(8.0, rel=1e-6)
    assert x[-1] == pytest.approx(6.0, rel=1e-6)
    custom = boerlin.two_pulse_stimulus(1.0, 0.1, 10.0, second_height=-5.0, second=(0.6, 0.7))
    assert custom.tolist() == [0, 10, 10, 10, 10, 0, -50, 0, 0, 0]


def test_inhomogeneous_integrator_draws_kernels_then_noise_from_one_generator():
    rng = np.random.default_rng(11)
    setup = boerlin.inhomogeneous_integrator(**PARAMS, seed=rng)
    # the same steps by hand, in the same order, from an equal Generator
    ref = np.random.default_rng(11)
    kernels = nw.sparse_random_kernels(40, 5, connection_probability=0.7, low=0.06, high=0.1, seed=ref)
    t = 1e-3 * np.arange(1000)
    noise = np.where(t < 0.6, 1.0 / np.sqrt(1e-3), 0.0) * ref.standard_normal(t.size)
    np.testing.assert_array_equal(setup.kernels, kernels)
    np.testing.assert_array_equal(setup.sensory_noise, noise)
    np.testing.assert_array_equal(setup.network.decoder, kernels)
    assert rng.random() == ref.random()   # a Generator passed in continues its stream
    again = boerlin.inhomogeneous_integrator(**PARAMS, seed=11)
    np.testing.assert_array_equal(again.command, setup.command)


def test_inhomogeneous_integrator_command_drives_every_copy_to_the_same_state():
    setup = boerlin.inhomogeneous_integrator(**PARAMS, seed=3)
    command = setup.command
    assert command.shape == (1000, 5)
    np.testing.assert_array_equal(command, np.repeat((setup.stimulus + setup.sensory_noise)[:, None], 5, axis=1))
    assert np.all(setup.sensory_noise[600:] == 0) and np.all(setup.sensory_noise[:600] != 0)
    res = sim.simulate(setup.network, command, 1e-3)
    # the network is a perfect integrator of its command: every copy of x is the same
    np.testing.assert_allclose(res.target, np.repeat(res.target[:, :1], 5, axis=1))
    assert res.target[-1, 0] == pytest.approx(np.sum(command[:-1, 0]) * 1e-3, rel=1e-9)


def test_inhomogeneous_integrator_rejects_bad_input():
    with pytest.raises(ValueError, match="connection_probability"):
        boerlin.inhomogeneous_integrator(**{**PARAMS, "connection_probability": 1.5}, seed=0)
    with pytest.raises(ValueError, match="density"):
        boerlin.inhomogeneous_integrator(**{**PARAMS, "sensory_noise": -1.0}, seed=0)
    with pytest.raises(TypeError, match="seed"):
        boerlin.inhomogeneous_integrator(**PARAMS, seed=1.5)


SCALING = dict(reference_size=400, kernel=0.1, decoder_leak=10.0, membrane_leak=20.0, linear_cost=5e-5,
               quadratic_cost=1e-6, voltage_noise=5e-4, level=6.0)


def test_scaled_integrator_is_fig7s_network_with_kernels_per_n_and_costs_per_n_squared():
    reference, noise = boerlin.scaled_integrator(400, **{k: v for k, v in SCALING.items() if k != "level"})
    fig7 = nw.boerlin_network(nw.homogeneous_kernels(400, 0.1), [[0.0]], decoder_leak=10.0, membrane_leak=20.0,
                              linear_cost=5e-5, quadratic_cost=1e-6)
    np.testing.assert_array_equal(reference.decoder, fig7.decoder)
    np.testing.assert_array_equal(reference.thresholds, fig7.thresholds)
    assert noise == 5e-4
    big, big_noise = boerlin.scaled_integrator(4000, **{k: v for k, v in SCALING.items() if k != "level"})
    # thresholds, resets and noise shrink with the kernel squared: relative sizes unchanged
    np.testing.assert_allclose(big.thresholds, fig7.thresholds[0] / 100, rtol=1e-12)
    np.testing.assert_allclose(big.self_reset, fig7.self_reset[0] / 100, rtol=1e-12)
    assert big.decoder[0, 0] == pytest.approx(0.01) and big.decoder[0, -1] == pytest.approx(-0.01)
    assert big_noise == pytest.approx(noise / 100, rel=1e-12)


def test_fluctuation_of_a_sawtooth_on_a_trend_is_its_width_over_root_12():
    t = np.linspace(0.0, 1.0, 100_001)
    sawtooth = 0.3 * ((t * 50.0) % 1.0)          # uniform over a width of 0.3
    assert boerlin.fluctuation(sawtooth + 2.0 - 5.0 * t, t) == pytest.approx(0.3 / np.sqrt(12), rel=1e-3)
    with pytest.raises(ValueError, match="times must not all be equal"):
        boerlin.fluctuation([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])


def test_size_scaling_error_falls_as_one_over_n_at_a_fixed_rate():
    # Tolerance: 3 standard errors of the slope from the seed-to-seed spread, plus the deterministic
    # corrections that spread cannot see (the runs are nearly deterministic, SE ~1e-4): the leak lowers the
    # N = 100 error by about 0.2 % and a finite run samples the sawtooth unevenly, which moves a 4-point slope
    # over 100-800 by up to ~0.002; 0.005 bounds them (a 1/√N law would give -0.5).
    study = boerlin.size_scaling([100, 200, 400, 800], dt=1e-4, duration=1.5, n_seeds=3, seed=1, **SCALING)
    slope, stderr = study.slope()
    assert 0 < stderr < 0.1
    assert abs(slope + 1) <= 3 * stderr + 0.005
    # the rate of the active half is λ_d x / (γ N/2) = 3 Hz at every size (within the leak's extra spikes)
    np.testing.assert_allclose(study.rate, 3.0, rtol=0.1)
    # a sawtooth one kernel wide, sampled at every phase: fluctuation = kernel / √12
    np.testing.assert_allclose(study.error, 40.0 / study.sizes / np.sqrt(12), rtol=0.05)
    assert np.all(study.rms_errors >= study.errors) and np.all(study.spikes_per_step < 1)
    assert np.all(study.ns_per_neuron_step > 0)


def test_size_scaling_refuses_sizes_whose_step_ends_sample_one_phase_of_the_sawtooth():
    # x = 6, λ_d = 10 Hz, dt = 0.1 ms: the read-out decays by 15 kernels per step at N = 10⁵ and
    # by 1.5 at 10⁴, so every step (every other step) ends at the same phase of the sawtooth
    for size, near in ((100_000, "15"), (10_000, "3/2")):
        with pytest.raises(ValueError, match=rf"N={size} .*\(≈ {near}\).*nearest even size that does not is \d+"):
            boerlin.size_scaling([size], dt=1e-4, duration=3.0, n_seeds=1, **SCALING)


def test_greedy_results_converge_as_dt_shrinks_where_steps_hold_several_spikes():
    # N = 2696 at dt = 0.4, 0.2, 0.1 ms: 1.62, 0.81, 0.40 spikes per step of the active half (a
    # golden-ratio fraction, so that the step ends sample the read-out's sawtooth evenly)
    study = boerlin.dt_convergence(2696, [4e-4, 2e-4, 1e-4], duration=1.5, n_seeds=3, seed=2, **SCALING)
    assert study.spikes_per_step[0] > 1.5
    for quantity, se in ((study.error, study.error_se), (study.rate, study.rate_se)):
        difference = np.abs(quantity[:-1] - quantity[-1])
        within_noise = np.all(difference <= 3 * np.hypot(se[:-1], se[-1]))
        # or converging: small, and shrinking at least half as fast as first order (which gives 3x)
        first_order = difference[0] >= 1.5 * difference[1] and np.all(difference < 0.02 * quantity[-1])
        assert within_noise or first_order, (quantity, se)


@pytest.mark.parametrize("change, match", [
    (dict(level=0.0), "level must be a finite nonzero"),
    (dict(measure_from=0.2), r"measure_from must be >= ramp = 0.3 s"),
    (dict(duration=0.8), r"duration must exceed measure_from = 0.8 s"),
    (dict(sizes=[]), "sizes must hold at least one"),
    (dict(sizes=[101]), "n_neurons must be an even number"),
    (dict(n_seeds=0), "n_seeds"),
])
def test_size_scaling_refuses_bad_settings_by_name(change, match):
    kw = dict(sizes=[100, 200], dt=1e-4, duration=1.0, n_seeds=1, **SCALING)
    kw.update(change)
    with pytest.raises(ValueError, match=match):
        boerlin.size_scaling(**kw)


# --- Fig 7F: the long recording ---

import scipy.signal  # noqa: E402
import tracemalloc  # noqa: E402

from pcn_core import signals  # noqa: E402

RECORDING = dict(dt=1e-4, input_std=40.0, input_tau=0.05, mean_reversion=1.0, voltage_noise=1e-3, n_recorded=4,
                 min_rate=1.0, settle=0.3, progress=False)


def _integrator(n_neurons=40, n_copies=3, seed=0):
    kernels = nw.sparse_random_kernels(n_neurons, n_copies, connection_probability=0.7, low=0.06, high=0.1, seed=seed)
    return nw.boerlin_network(kernels, np.zeros((n_copies, n_copies)), decoder_leak=10.0, membrane_leak=20.0,
                              linear_cost=1e-5, quadratic_cost=1e-6)


def test_chunked_recording_equals_one_unchained_run_with_the_dense_command():
    net = _integrator()
    chunked = boerlin.glm_recording(net, duration=2.0, chunk_duration=0.25, seed=1, **RECORDING)
    whole = boerlin.glm_recording(net, duration=2.0, chunk_duration=10.0, seed=1, **RECORDING)
    for name in ("recorded", "counts", "neuron_counts", "command", "state"):
        assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name
    # the same run by hand: noise, x and c in one go, one simulation with the (n_steps, J) command
    rng = np.random.default_rng(1)
    dt, first = 1e-4, 3000
    noise = signals.smoothed_white_noise(2.3, dt, 0.05, 40.0, seed=int(rng.integers(2**63)))
    x = scipy.signal.lfilter([0.0, dt], [1.0, -(1 - 1.0 * dt)], noise)
    c = noise - 1.0 * x
    res = sim.simulate(net, np.repeat(c[:, None], 3, axis=1), dt, voltage_noise=1e-3, seed=int(rng.integers(2**63)))
    steps = np.rint(res.spike_times / dt).astype(int) - 1
    kept = steps >= first
    assert np.array_equal(np.bincount(res.spike_neurons[kept], minlength=40), chunked.neuron_counts)
    assert chunked.counts.sum() > 50  # the comparison below compares spikes, not empty rows
    for row, neuron in enumerate(chunked.recorded):
        mine = kept & (res.spike_neurons == neuron)
        assert np.array_equal(np.bincount((steps[mine] - first) // 10, minlength=2000), chunked.counts[row])
    assert np.array_equal(c[first:].reshape(-1, 10).mean(axis=1), chunked.command)
    np.testing.assert_allclose(chunked.state, res.target[first:, 0].reshape(-1, 10).mean(axis=1), rtol=0, atol=1e-9)
    # the recorded units: half per kernel sign, each firing at least min_rate
    positive = net.decoder.sum(axis=0) > 0
    assert positive[chunked.recorded].sum() == 2
    assert np.all(chunked.rates[chunked.recorded] >= 1.0)


def test_recording_memory_does_not_grow_with_length_beyond_what_is_kept():
    net = _integrator(n_neurons=40, n_copies=30)
    kwargs = dict(RECORDING, chunk_duration=0.5)
    boerlin.glm_recording(net, duration=0.5, seed=2, **kwargs)  # compile outside the measurement

    def peak(duration):
        tracemalloc.start()
        rec = boerlin.glm_recording(net, duration=duration, seed=2, **kwargs)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        kept = rec.counts.nbytes + rec.command.nbytes + rec.state.nbytes + 6 * int(rec.neuron_counts.sum())
        return top, kept

    short, kept_short = peak(1.0)
    long, kept_long = peak(8.0)
    # 7 s more of a dense (n_steps, 30) command alone would be 17 MB, one (n_steps,) float array 0.56 MB
    assert long - short < 2 * (kept_long - kept_short) + 300_000


def test_recording_refuses_bad_inputs():
    net = _integrator()
    good = dict(RECORDING, duration=0.5, seed=0)
    for name, value, message in (("duration", 0.0005, "duration"), ("duration", 0.5005, "duration"),
                                 ("bin_width", 1.5e-4, "bin_width"), ("settle", -1.0, "settle"),
                                 ("chunk_duration", 0.0, "chunk_duration"), ("input_std", -1.0, "input_std"),
                                 ("input_tau", 0.0, "input_tau"), ("mean_reversion", -1.0, "mean_reversion"),
                                 ("voltage_noise", np.nan, "voltage_noise"), ("min_rate", 1e6, "min_rate"),
                                 ("n_recorded", 1, "n_recorded")):
        with pytest.raises(ValueError, match=message):
            boerlin.glm_recording(net, **dict(good, **{name: value}))
    with pytest.raises(TypeError, match="n_recorded"):
        boerlin.glm_recording(net, **dict(good, n_recorded=4.0))
    leaky = nw.boerlin_network(net.decoder, -np.eye(3), decoder_leak=10.0, membrane_leak=20.0)
    with pytest.raises(ValueError, match="perfect integrator"):
        boerlin.glm_recording(leaky, **good)
    with pytest.raises(TypeError, match="network"):
        boerlin.glm_recording(None, **good)
