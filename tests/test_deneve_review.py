"""Coding a number with spikes (rate code vs error-correcting code) and the
Poisson excitation/inhibition drive, against their analytic properties."""
import numpy as np
import pytest

from pcn_core import deneve_review as ec


def test_rate_code_estimate_is_unbiased_with_poisson_variance():
    # final count ~ Poisson(x/w): estimate w n has mean x and variance w x
    x, w, n_trials = 0.8, 0.02, 20000
    target = ec.ramp_target(np.full(n_trials, x), 10)
    estimate = ec.read_out(ec.poisson_code(target, w, seed=1), w)[:, -1]
    sem = np.sqrt(w * x / n_trials)
    assert abs(estimate.mean() - x) < 4 * sem
    # variance of a sample variance: about 2 var^2 / n for a near-Gaussian count
    assert estimate.var() == pytest.approx(w * x, rel=4 * np.sqrt(2 / n_trials) + 0.01)


def test_rate_code_running_count_is_a_poisson_process():
    # the count up to the middle of the window is Poisson with half the mean
    w = 0.05
    counts = ec.poisson_code(ec.ramp_target(np.full(20000, 1.0), 20), w, seed=2)
    half = counts[:, :10].sum(axis=1)
    assert half.mean() == pytest.approx(10.0, rel=0.02)
    assert half.var() == pytest.approx(10.0, rel=0.05)


def test_error_correcting_code_error_never_exceeds_half_a_spike():
    rng = np.random.default_rng(3)
    x = rng.uniform(0.0, 2.0, 500)
    for w in (0.3, 0.05, 0.001):
        target = ec.ramp_target(x, 37)
        estimate = ec.read_out(ec.error_correcting_code(target, w), w)
        assert np.all(np.abs(target - estimate) <= w / 2 + 1e-12)
        # and it never fires a spike it does not need: removing any one would exceed the bound
        assert np.all(target[:, -1] - (estimate[:, -1] - w) > w / 2 - 1e-12)


def test_error_correcting_code_fires_several_spikes_in_one_step_when_needed():
    counts = ec.error_correcting_code([0.0, 1.0], 0.1)
    assert counts.tolist() == [0, 10]


def test_error_correcting_rms_error_is_that_of_uniform_rounding():
    # numbers spread evenly over an integer number of weights: error uniform on [-w/2, w/2]
    x = np.linspace(0.5, 1.5, 20001)
    table = ec.coding_error(x, [0.1, 0.01], n_steps=5, seed=0)
    np.testing.assert_allclose(table["corrective_rms"], table["spike_weight"] / np.sqrt(12), rtol=0.01)
    np.testing.assert_allclose(table["corrective_spikes"], 1.0 / table["spike_weight"], rtol=0.01)


def test_coding_error_scales_as_inverse_sqrt_and_inverse_spike_count():
    x = np.random.default_rng(4).uniform(0.5, 1.5, 4000)
    weights = 1.0 / np.geomspace(2, 500, 8)
    table = ec.coding_error(x, weights, n_steps=5, seed=5)
    # rate code: RMS error sqrt(w <x>) = 1/sqrt(M) with <x> = 1
    np.testing.assert_allclose(table["poisson_rms"], np.sqrt(weights), rtol=0.05)
    assert ec.loglog_slope(table["poisson_spikes"], table["poisson_rms"]).slope == pytest.approx(-0.5, abs=0.03)
    assert ec.loglog_slope(table["corrective_spikes"], table["corrective_rms"]).slope == pytest.approx(-1.0, abs=0.03)


def test_codes_are_reproducible_from_seed():
    target = ec.ramp_target([0.3, 0.7], 50)
    np.testing.assert_array_equal(ec.poisson_code(target, 0.01, seed=9), ec.poisson_code(target, 0.01, seed=9))


def test_coding_rejects_bad_input():
    with pytest.raises(ValueError, match="spike_weight"):
        ec.poisson_code([0.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="non-decreasing"):
        ec.error_correcting_code([0.5, 0.2], 0.1)
    with pytest.raises(ValueError, match="target must be finite"):
        ec.poisson_code([0.0, np.nan], 0.1)
    with pytest.raises(ValueError, match="values"):
        ec.ramp_target([-1.0], 10)
    with pytest.raises(ValueError, match="n_steps"):
        ec.ramp_target([1.0], 0)
    with pytest.raises(ValueError, match="positive"):
        ec.loglog_slope([1.0, 2.0, 0.0], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("rate, jump, tau_syn", [(5000.0, 1.0, 0.005), (800.0, 3.0, 0.002)])
def test_shot_noise_mean_and_variance_follow_campbell(rate, jump, tau_syn):
    dt = 1e-4
    current = ec.poisson_shot_noise(rate, jump, tau_syn, 50.0, dt, seed=6)[0]
    mean, var = ec.shot_noise_moments(rate, jump, tau_syn, dt)
    # samples ~tau_syn apart are correlated: effective sample count ~ duration / tau_syn
    n_eff = 50.0 / tau_syn
    assert current.mean() == pytest.approx(mean, abs=5 * np.sqrt(var / n_eff))
    assert current.var() == pytest.approx(var, rel=6 * np.sqrt(2 / n_eff))
    # the sampled moments approach Campbell's continuous ones as dt / tau_syn -> 0
    mean_c, var_c = ec.shot_noise_moments(rate, jump, tau_syn)
    # at first order in dt / tau_syn: mean off by dt/(2 tau_syn), variance by dt/tau_syn
    for small_dt in (1e-5, 1e-6, 1e-7):
        m, v = ec.shot_noise_moments(rate, jump, tau_syn, small_dt)
        assert m / mean_c - 1 == pytest.approx(small_dt / (2 * tau_syn), rel=0.02)
        assert v / var_c - 1 == pytest.approx(small_dt / tau_syn, rel=0.02)


def test_shot_noise_correlation_time_is_tau_syn():
    dt, tau_syn = 1e-4, 0.004
    current = ec.poisson_shot_noise(4000.0, 1.0, tau_syn, 40.0, dt, seed=7)[0]
    fluct = current - current.mean()
    lag = int(round(tau_syn / dt))
    rho = np.mean(fluct[:-lag] * fluct[lag:]) / fluct.var()
    assert rho == pytest.approx(np.exp(-1), abs=0.03)


def test_excitation_and_inhibition_are_independent_and_cancel_when_matched():
    exc, inh = ec.excitation_inhibition_drive(10000.0, 10000.0, 2.0, 2.0, 0.005, 20.0, 1e-4, seed=8)
    assert exc.shape == inh.shape == (1, 200000)
    assert abs(np.corrcoef(exc[0], inh[0])[0, 1]) < 0.03
    net = exc - inh
    _, var = ec.shot_noise_moments(10000.0, 2.0, 0.005, 1e-4)
    assert abs(net.mean()) < 5 * np.sqrt(2 * var / (20.0 / 0.005))
    assert net.var() == pytest.approx(2 * var, rel=0.1)


def test_drive_rejects_bad_input():
    with pytest.raises(ValueError, match="rate"):
        ec.poisson_shot_noise(-1.0, 1.0, 0.005, 1.0, 1e-4)
    with pytest.raises(ValueError, match="jump"):
        ec.poisson_shot_noise(100.0, -1.0, 0.005, 1.0, 1e-4)
    with pytest.raises(ValueError, match="dt=.*too large"):
        ec.poisson_shot_noise(100.0, 1.0, 0.005, 1.0, 1e-3)
    with pytest.raises(ValueError, match="n_trials"):
        ec.poisson_shot_noise(100.0, 1.0, 0.005, 1.0, 1e-4, n_trials=0)
    with pytest.raises(ValueError, match="tau_syn"):
        ec.shot_noise_moments(100.0, 1.0, 0.0)


def test_network_error_falls_as_one_over_m_and_the_poisson_model_as_one_over_root_m():
    result = ec.network_coding_error([4, 16, 64], duration=3.0, seed=5)
    # the deterministic network keeps x̂ in a sawtooth of one kernel: RMS = w / sqrt(12)
    np.testing.assert_allclose(result["network_rms"], result["kernel"] / np.sqrt(12), rtol=0.15)
    np.testing.assert_allclose(result["network_spikes"], [4, 16, 64], rtol=0.05)
    assert ec.loglog_slope(result["network_spikes"], result["network_rms"]).slope == pytest.approx(-1.0, abs=0.1)
    # shot noise of the Poisson model: s.d. x / sqrt(2 M) (long-run value; 3 s give ~20 % scatter)
    np.testing.assert_allclose(result["poisson_rms"], 1 / np.sqrt(2 * result["poisson_spikes"]), rtol=0.4)
    assert -0.75 < ec.loglog_slope(result["poisson_spikes"], result["poisson_rms"]).slope < -0.3
    with pytest.raises(ValueError, match="spikes_per_value"):
        ec.network_coding_error([0, 4])
    with pytest.raises(ValueError, match="warmup"):
        ec.network_coding_error([4], duration=1.0, warmup=1.0)


def test_bad_inputs_are_refused_by_name():
    with pytest.raises(ValueError, match="non-negative integer spike counts"):
        ec.read_out(np.array([1.0, np.nan]), 0.5)
    with pytest.raises(ValueError, match="non-negative integer spike counts"):
        ec.read_out(np.array([1.5, 2.0]), 0.5)
    with pytest.raises(ValueError, match="n_steps must be a positive integer"):
        ec.ramp_target([1.0], True)
    with pytest.raises(ValueError, match="shorter than one step"):
        ec.poisson_shot_noise(100.0, 0.5, 0.005, 1e-5, 1e-4)
