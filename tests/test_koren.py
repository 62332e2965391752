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


# --- Fig 2 ---

def test_synchrony_transition_finds_the_first_sudden_drop():
    grid = np.arange(8.0)
    assert koren.synchrony_transition(grid, [48, 47, 46, 45, 2, 0, 0, 0]) == 4.0
    # a gradual fall has no adjacent pair going from > 30 % to < 5 %
    assert np.isnan(koren.synchrony_transition(grid, [48, 40, 32, 24, 16, 8, 4, 0]))
    # the first of two drops (a trial that restarts the ping-pong and falls again)
    assert koren.synchrony_transition(grid, [48, 1, 40, 0, 0, 0, 0, 0]) == 1.0
    # thresholds are strict: exactly 30 % before or 5 % after is not a drop
    assert np.isnan(koren.synchrony_transition(grid[:2], [30, 0]))
    assert np.isnan(koren.synchrony_transition(grid[:2], [48, 5]))


def test_synchrony_transition_bad_input():
    with pytest.raises(ValueError, match="equal length"):
        koren.synchrony_transition([0, 1, 2], [40, 0])
    with pytest.raises(ValueError, match="increasing"):
        koren.synchrony_transition([0, 2, 1], [40, 0, 0])
    with pytest.raises(ValueError, match="finite"):
        koren.synchrony_transition([0, 1], [40, np.nan])
    with pytest.raises(ValueError, match="high must exceed low"):
        koren.synchrony_transition([0, 1], [40, 0], high=5, low=30)


def test_fig2_trial_analyses_only_the_steps_after_the_warmup():
    # the two-chunk run (warm-up, then analysed part continued exactly) must equal one
    # run over the whole input with the same streams, cut after the warm-up
    from pcn_core.upstates import detect_up_states

    kw = dict(linear_cost=0.0, quadratic_cost=5.0, noise=0.25, weight_seed=0, seed=7)
    summary = koren.fig2_trial(active=True, duration=2.0, warmup=0.5, **kw)
    input_rng, noise_rng = koren._trial_streams(7)
    net = koren.network(koren.weights(3, 400, 0), linear_cost=0.0, quadratic_cost=5.0)
    full = koren.run(net, koren.input_signal(2.5, seed=input_rng), noise=0.25, seed=noise_rng)
    k = np.round(full.spike_times / 1e-3).astype(int) - 1
    counts = np.bincount(k, minlength=full.n_steps)[500:]
    assert summary["synchrony"] == pytest.approx(100 * counts.mean() / 400, rel=1e-12)
    assert summary["rate"] == pytest.approx(counts.sum() / (400 * 2.0), rel=1e-12)
    up = detect_up_states(counts, 400, 1e-3)
    assert summary["up_frequency"] == pytest.approx(up.frequency)
    assert up.n_events >= 1  # μ = 5, ν = 0, σ = 0.25: Up states every ~0.4 s (Fig 3B)
    error = full.target[500:] - full.estimate[500:]
    assert summary["error_sd"] == pytest.approx(np.mean(np.std(error, axis=0)), rel=1e-9)


def test_fig2_trial_quiescent_without_noise_is_silent():
    r = koren.fig2_trial(linear_cost=0.0, quadratic_cost=0.0, noise=0.0, active=False, weight_seed=0,
                         seed=1, duration=1.0)
    assert r["synchrony"] == 0 and r["up_frequency"] == 0 and np.isnan(r["up_spikes_per_ms"])


def test_fig2_trial_at_half_the_step_neurons_refire_within_a_delay():
    # ν = μ = σ = 0 at dt = δ/2: half of the neurons still fire in every step, so the
    # population fires twice as many spikes per ms as at dt = δ (the dt appendix of Fig 2)
    kw = dict(linear_cost=0.0, quadratic_cost=0.0, noise=0.0, active=True, weight_seed=0, seed=2, duration=1.0)
    coarse, fine = koren.fig2_trial(**kw), koren.fig2_trial(dt=5e-4, **kw)
    assert 45 <= coarse["synchrony"] <= 52 and 45 <= fine["synchrony"] <= 52
    assert fine["spikes_per_ms"] / coarse["spikes_per_ms"] == pytest.approx(2.0, rel=0.1)


def test_fig2_perturbation_restarts_the_ping_pong_above_the_transition():
    # ν = 12, μ = 0, no noise: the network is silent; a strong 5 ms pulse restarts the
    # self-sustained ping-pong (Fig 2A text), no pulse leaves it silent
    kw = dict(linear_cost=12.0, quadratic_cost=0.0, weight_seed=0, seed=3, before=1.0, after=0.5)
    kicked = koren.fig2_perturbation(pulse_amplitude=2e4, **kw)
    quiet = koren.fig2_perturbation(pulse_amplitude=0.0, **kw)
    assert kicked["synchrony_before"] < 1 and kicked["synchrony_after"] > 30
    assert quiet["synchrony_after"] < 1


def test_fig2_bad_input():
    kw = dict(linear_cost=0.0, quadratic_cost=0.0, noise=0.0, active=True, weight_seed=0, duration=1.0)
    with pytest.raises(TypeError, match="seed"):
        koren.fig2_trial(seed=-1, **kw)
    with pytest.raises(TypeError, match="seed"):
        koren.fig2_trial(seed=True, **kw)
    with pytest.raises(ValueError, match="duration"):
        koren.fig2_trial(seed=0, **(kw | {"duration": 0.0}))
    with pytest.raises(ValueError, match="linear_cost"):
        koren.fig2_trial(seed=0, **(kw | {"linear_cost": -1.0}))
    with pytest.raises(ValueError, match="pulse_amplitude"):
        koren.fig2_perturbation(linear_cost=0.0, quadratic_cost=0.0, weight_seed=0, seed=0, pulse_amplitude=-1.0)
