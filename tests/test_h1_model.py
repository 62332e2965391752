"""FitzHugh–Nagumo model H1 cell: dynamics, convergence, polarity, validation."""
import numpy as np
import pytest

from pcn_core import h1_model


def _periods(current, dt, duration=0.2):
    rest = h1_model.fhn_resting_state(0.0)
    spikes = h1_model.simulate_fhn(np.full(int(round(duration / 5e-4)), current), 5e-4, dt,
                                   initial_state=rest)
    return np.diff(spikes)


def test_resting_state_is_a_fixed_point():
    v, w = h1_model.fhn_resting_state(0.2)
    assert v - v ** 3 / 3 - w + 0.2 == pytest.approx(0, abs=1e-12)
    assert v + 0.7 - 0.8 * w == pytest.approx(0, abs=1e-12)


def test_excitable_below_and_oscillating_above_the_hopf_point():
    assert h1_model.simulate_fhn(np.full(400, 0.2), 5e-4, 1e-5).size == 0       # stays at rest
    low, high = _periods(0.5, 1e-5), _periods(1.0, 1e-5)
    assert low.size > 10 and high.size > 10
    assert np.std(low[2:]) < 2e-5                                              # periodic
    assert np.mean(high[2:]) < np.mean(low[2:])                                # faster with more drive


def test_period_converges_as_dt_shrinks():
    periods = [np.mean(_periods(0.5, dt)[2:]) for dt in (1e-5, 5e-6, 2.5e-6)]
    d1, d2 = abs(periods[0] - periods[1]), abs(periods[1] - periods[2])
    assert d2 < 0.7 * d1 and d2 < 1e-5


def test_front_end_kernel_is_causal_delayed_and_normalised():
    dt = 5e-4
    k = h1_model.front_end_kernel(dt, latency=0.01, tau=0.006, order=3)
    t = dt * np.arange(k.size)
    assert np.all(k[t < 0.01] == 0)
    assert t[np.argmax(k)] == pytest.approx(0.01 + 3 * 0.006, abs=dt)
    assert np.linalg.norm(k) == pytest.approx(1.0)


def test_model_rates_stay_below_200_hz_and_polarities_are_opposite():
    res = h1_model.simulate_model_h1(40.0, seed=3, two_eyes=True)
    assert np.all((res.rates > 10) & (res.rates < 100))
    for train in res.spike_times:
        assert 1 / np.min(np.diff(train)) <= 200.0          # at most 100-200 Hz, as in H1
    # spike-triggered averages of the stimulus have opposite signs
    stas = []
    for train in res.spike_times:
        idx = (train / res.stimulus_dt).astype(int)
        idx = idx[idx >= 200]
        stas.append(np.array([res.stimulus[idx - k].mean() for k in range(200)]))
    assert np.corrcoef(stas[0], stas[1])[0, 1] < -0.8
    assert np.max(stas[0]) > 4 * np.std(stas[0][-40:])


def test_same_seed_same_spikes():
    a = h1_model.simulate_model_h1(5.0, seed=11)
    b = h1_model.simulate_model_h1(5.0, seed=11)
    assert np.array_equal(a.spike_times[0], b.spike_times[0])


def test_bad_input_raises():
    with pytest.raises(ValueError, match="dt=.*too large"):
        h1_model.simulate_fhn(np.zeros(10), 5e-4, 1e-4, time_scale=2e-4)
    with pytest.raises(ValueError, match="whole multiple"):
        h1_model.simulate_fhn(np.zeros(10), 5.5e-5, 1e-5)
    with pytest.raises(ValueError, match="drive must be finite"):
        h1_model.simulate_fhn(np.array([0.0, np.nan]), 5e-4, 1e-5)
    with pytest.raises(ValueError, match="input_noise_std"):
        h1_model.simulate_model_h1(1.0, input_noise_std=-1.0)
    with pytest.raises(ValueError, match="duration"):
        h1_model.simulate_model_h1(0.0)


def test_on_grid_keeps_every_spike_of_whole_bins():
    res = h1_model.simulate_model_h1(5.0, seed=2, two_eyes=True)
    stimulus, counts, noisy = res.on_grid(0.002)
    assert stimulus.size == counts.shape[0] == noisy.shape[0] == 2500
    assert np.allclose(stimulus, res.stimulus.reshape(-1, 4).mean(axis=1))
    assert np.array_equal(counts.sum(axis=0), [t.size for t in res.spike_times])
    assert np.allclose(noisy[:, 1], (-res.stimulus + res.input_noise[:, 1]).reshape(-1, 4).mean(axis=1))
    with pytest.raises(ValueError, match="whole multiple"):
        res.on_grid(0.0007)


def test_frozen_stimulus_repeats_differ_only_by_the_input_noise():
    frozen = np.random.default_rng(4).standard_normal(4000)
    a = h1_model.simulate_model_h1(2.0, seed=1, stimulus=frozen)
    b = h1_model.simulate_model_h1(2.0, seed=2, stimulus=frozen)
    assert np.array_equal(a.stimulus, frozen) and np.array_equal(b.stimulus, frozen)
    assert not np.array_equal(a.input_noise, b.input_noise)
    quiet = [h1_model.simulate_model_h1(2.0, seed=k, stimulus=frozen, input_noise_std=0.0).spike_times[0] for k in (1, 2)]
    np.testing.assert_array_equal(quiet[0], quiet[1])      # no noise: identical repeats
    with pytest.raises(ValueError, match="stimulus must be"):
        h1_model.simulate_model_h1(1.0, stimulus=frozen)


@pytest.mark.parametrize("b", [1.0, 1.5, 0.0, -0.5, np.nan])
def test_resting_state_needs_a_unique_root(b):
    with pytest.raises(ValueError, match=r"b must be"):
        h1_model.fhn_resting_state(0.0, b=b)


@pytest.mark.parametrize("stimulus_dt, error, match", [
    (-5e-4, ValueError, "stimulus_dt must be a finite number > 0 s, got -0.0005"),
    (0.0, ValueError, "stimulus_dt must be a finite number > 0 s"),
    (np.inf, ValueError, "stimulus_dt must be a finite number > 0 s"),
    ("5e-4", TypeError, "stimulus_dt must be a real number"),
    (3.0, ValueError, r"duration=1.0 s holds no stimulus sample of stimulus_dt=3.0 s"),
])
def test_stimulus_dt_is_checked_by_name(stimulus_dt, error, match):
    # a negative stimulus_dt used to end in numpy's "negative dimensions are not allowed"
    with pytest.raises(error, match=match):
        h1_model.simulate_model_h1(1.0, stimulus_dt=stimulus_dt, seed=0)


def test_h1_model_parameters_are_the_simulator_defaults():
    import dataclasses
    import inspect

    signature = inspect.signature(h1_model.simulate_model_h1).parameters
    for name, value in dataclasses.asdict(h1_model.H1Model()).items():
        assert signature[name].default == value, name
    # simulate() passes every field: changing one changes the run, the default reproduces the function
    a = h1_model.H1Model(two_eyes=True).simulate(0.3, seed=4)
    b = h1_model.simulate_model_h1(0.3, seed=4, two_eyes=True)
    assert all(np.array_equal(x, y) for x, y in zip(a.spike_times, b.spike_times))
    c = h1_model.H1Model(two_eyes=True, bias=0.3).simulate(0.3, seed=4)
    assert c.spike_times[0].size > a.spike_times[0].size   # a larger constant input fires more
