"""Koren & Denève (2017) protocol helpers: noise units, delay mapping, error and cost."""
import numpy as np
import pytest

from pcn_core import koren


def test_paper_noise_is_a_standard_deviation_per_millisecond_step():
    # an isolated leaky neuron that never fires: V is an AR(1) with per-step s.d. σ,
    # so its stationary variance is σ² / (1 − (1 − λ dt)²)
    sigma, leak, dt = 0.25, 10.0, 1e-3
    net = koren.network(np.array([[1.0]]), linear_cost=1e6, quadratic_cost=0.0, leak=leak)
    res = koren.run(net, np.zeros((200_000, 1)), noise=sigma, seed=0, record_voltages=[0])
    v = res.voltages[20_000:, 0]
    expected = sigma ** 2 / (1 - (1 - leak * dt) ** 2)
    # AR(1) samples are correlated over ~1/(λ dt) = 100 steps: ~1,800 independent samples
    assert v.var() == pytest.approx(expected, rel=0.1)
    assert res.spike_counts.sum() == 0


def test_without_costs_or_noise_half_the_neurons_fire_in_every_step():
    # Fig 2A's caption: "50 percent synchrony indicates that half of the neurons are
    # spiking in every time step" (ν = μ = σ = 0): the two halves answer each other
    # at the next step's check, one δ = 1 ms later (the "all" rule and delay mapping)
    from pcn_core.upstates import percent_synchrony

    w = koren.weights(3, 400, seed=0)
    res = koren.run(koren.network(w, linear_cost=0.0, quadratic_cost=0.0), koren.input_signal(2.0, seed=1),
                    noise=0.0, record="summary")
    assert 45.0 <= percent_synchrony(res.population_counts[500:], 400) <= 52.0


def test_error_and_cost_from_running_sums_match_the_trajectories():
    w = koren.weights(3, 40, seed=1)
    net = koren.network(w, linear_cost=2.0, quadratic_cost=1.0)
    s = koren.input_signal(2.0, amplitude=20.0, seed=2)
    full = koren.run(net, s, seed=3)
    summary = koren.run(net, s, seed=3, record="summary")
    error, cost = koren.error_and_cost(summary)
    norms = np.linalg.norm(full.target - full.estimate, axis=1)
    assert error == pytest.approx(norms.mean() / (3 * np.linalg.norm(w, axis=0).mean()), rel=1e-9)
    assert cost == pytest.approx(full.spike_times.size / full.n_steps)


def test_bad_input():
    with pytest.raises(ValueError, match="sigma"):
        koren.voltage_noise_density(-0.1)
    with pytest.raises(ValueError, match="n_inputs and n_neurons"):
        koren.weights(0, 10, seed=0)
