"""Poisson rate model of Boerlin et al. (2013) Fig. 7C: rates, Poisson statistics, the
diffusion of its estimate, determinism and bad input."""
import numpy as np
import pytest

from pcn_core import network as nw
from pcn_core import rate_model as rm
from pcn_core import spikestats as ss


def _homogeneous(n_neurons=20, kernel=0.1, A=0.0, decoder_leak=10.0, quadratic_cost=0.0):
    return nw.boerlin_network(nw.homogeneous_kernels(n_neurons, kernel), [[A]], decoder_leak=decoder_leak,
                              membrane_leak=20.0, quadratic_cost=quadratic_cost)


def test_without_slow_connections_it_is_a_poisson_process_at_the_intended_rate():
    # A = -λ_d removes the slow connections: constant command, constant rate
    # ρ = Γ_i c / ((Γ_i² + μλ_d²) N/2) for the positive half, 0 for the negative half.
    net = _homogeneous(n_neurons=20, kernel=0.1, A=-10.0, quadratic_cost=1e-4)
    dt, duration, command = 1e-4, 50.0, 2.0
    res = rm.simulate_rate_model(net, np.full(int(round(duration / dt)), command), dt, seed=4)
    intended = 0.1 * command / ((0.01 + 1e-4 * 100.0) * 10)
    rates = res.rates()
    n_spikes = rates[:10].sum() * duration
    assert rates[:10].mean() == pytest.approx(intended, rel=4 / np.sqrt(n_spikes))
    assert np.all(rates[10:] == 0)
    trains = res.trains()[:10]
    counts = ss.binned_counts(trains, 1.0, 0.0, duration).ravel()
    assert ss.fano_factor(counts) == pytest.approx(1.0, abs=0.15)  # SE of a Poisson Fano ≈ sqrt(2/500)
    assert np.mean([ss.cv(t) for t in trains]) == pytest.approx(1.0, abs=0.06)


def test_instantaneous_rates_match_the_formula():
    net = _homogeneous(n_neurons=4, kernel=0.5, A=-2.0, quadratic_cost=0.01)
    command = np.array([[3.0], [-1.0]])
    estimate = np.array([[0.2], [0.5]])
    drive = command + 8.0 * estimate  # (A + λ_d) x̂ with A = -2, λ_d = 10
    reset = 0.25 + 0.01 * 100
    expected = np.maximum(drive * np.array([[0.5, 0.5, -0.5, -0.5]]), 0) / (reset * 2)
    np.testing.assert_allclose(rm.instantaneous_rates(net, command, estimate), expected)


def test_shot_noise_of_the_independent_poisson_estimate_follows_campbell():
    # Independent Poisson neurons at rates ρ_i, read out with decay λ_d:
    # mean x̂ = Σ Γ_i ρ_i / λ_d and variance Σ Γ_i² ρ_i / (2 λ_d) (Campbell's theorem).
    net = _homogeneous(n_neurons=20, kernel=0.1, A=-10.0)
    dt, duration, command = 1e-4, 60.0, 20.0  # population rate c/γ = 200 Hz, mean x̂ = 2
    res = rm.simulate_rate_model(net, np.full(int(round(duration / dt)), command), dt, seed=7)
    steady = res.estimate[res.times > 1.0, 0]
    total_rate = command / 0.1
    assert steady.mean() == pytest.approx(0.1 * total_rate / 10.0, rel=0.03)
    assert steady.var() == pytest.approx(0.01 * total_rate / 20.0, rel=0.15)


def test_estimate_of_the_perfect_integrator_is_unbiased_and_diffuses():
    # With slow connections (A = 0, μ = 0) the drift of x̂ is exactly c, so E[x̂(t)] = c t,
    # and each spike adds ±γ at total rate (c + λ_d x̂)/γ: Var x̂(t) = γ c t + γ λ_d c t² / 2.
    net = _homogeneous(n_neurons=20, kernel=0.1, A=0.0)
    dt, duration, command, trials = 1e-4, 0.5, 10.0, 300
    finals = np.array([rm.simulate_rate_model(net, np.full(int(round(duration / dt)), command), dt,
                                              seed=s).estimate[-1, 0] for s in range(trials)])
    variance = 0.1 * command * duration + 0.1 * 10.0 * command * duration ** 2 / 2
    assert finals.mean() == pytest.approx(command * duration, abs=4 * np.sqrt(variance / trials))
    assert finals.var() == pytest.approx(variance, rel=4 * np.sqrt(2 / trials))


def test_same_seed_same_result_and_no_spike_lost_when_the_buffer_grows():
    net = _homogeneous(n_neurons=40, kernel=0.05, A=0.0)
    command = np.r_[np.full(3000, 20.0), np.zeros(7000)]
    a = rm.simulate_rate_model(net, command, 1e-4, seed=11)
    b = rm.simulate_rate_model(net, command, 1e-4, seed=11, initial_spike_capacity=16)
    assert a.spike_times.size > 100
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.estimate, b.estimate)
    # the read-out is exactly the decayed sum of the emitted kernels
    decay = (1 - 10.0 * 1e-4) ** (10000 - np.round(a.spike_times / 1e-4))
    assert a.estimate[-1, 0] == pytest.approx(np.sum(net.decoder[0, a.spike_neurons] * decay), abs=1e-9)


def test_bad_input_raises():
    net = _homogeneous()
    with pytest.raises(ValueError, match="command"):
        rm.simulate_rate_model(net, np.zeros((10, 2)), 1e-4)
    with pytest.raises(ValueError, match="command"):
        rm.simulate_rate_model(net, np.array([0.0, np.nan]), 1e-4)
    with pytest.raises(ValueError, match="dt"):
        rm.simulate_rate_model(net, np.zeros(10), 0.1)
    with pytest.raises(ValueError, match="sensory_noise"):
        rm.simulate_rate_model(net, np.zeros(10), 1e-4, sensory_noise=-1.0)
    with pytest.raises(ValueError, match="coactive_neurons"):
        rm.simulate_rate_model(net, np.zeros(10), 1e-4, coactive_neurons=0.5)
    with pytest.raises(ValueError, match="x0"):
        rm.simulate_rate_model(net, np.zeros(10), 1e-4, x0=[1.0, 2.0])
    with pytest.raises(TypeError):
        rm.simulate_rate_model("net", np.zeros(10), 1e-4)


def test_summary_fields_describe_the_recorded_spikes_and_error():
    net = _homogeneous(n_neurons=20, kernel=0.1, A=0.0)
    res = rm.simulate_rate_model(net, np.full(5000, 20.0), 1e-4, seed=2)
    steps = np.rint(res.spike_times / 1e-4).astype(int) - 1
    assert res.spike_times.size > 100
    np.testing.assert_array_equal(res.population_counts, np.bincount(steps, minlength=5000))
    np.testing.assert_array_equal(res.spike_counts, np.bincount(res.spike_neurons, minlength=20))
    assert res.mean_error_norm == pytest.approx(np.mean(np.abs(res.target - res.estimate)))
    assert res.final_state is None
