"""Population spike statistics: mean pair correlogram and spike-time jitter."""
import numpy as np
import pytest

from pcn_core import spikestats as ss


def test_mean_pair_correlogram_equals_the_average_over_pairs():
    rng = np.random.default_rng(1)
    counts = rng.poisson(0.3, (6, 500))
    lags, mean_counts, prob = ss.mean_pair_cross_correlogram(counts, 7)
    brute = np.mean([ss.cross_correlogram(counts[i], counts[j], 7)[1]
                     for i in range(6) for j in range(6) if i != j], axis=0)
    np.testing.assert_array_equal(lags, np.arange(-7, 8))
    np.testing.assert_allclose(mean_counts, brute)
    np.testing.assert_allclose(prob, brute / counts.sum(axis=1).mean())


def test_independent_poisson_pairs_have_a_flat_correlogram_at_the_spike_probability():
    rng = np.random.default_rng(2)
    p = 0.02  # spike probability per bin
    counts = (rng.random((20, 50_000)) < p).astype(int)
    _, _, prob = ss.mean_pair_cross_correlogram(counts, 10)
    np.testing.assert_allclose(prob, p, rtol=0.05)


def test_alternating_population_shows_its_period_in_the_pair_correlogram():
    # 4 units fire in turn, one spike every 2 bins: pair correlogram peaks at even lags only
    counts = np.zeros((4, 800), dtype=int)
    for k in range(0, 800, 2):
        counts[(k // 2) % 4, k] = 1
    _, mean_counts, _ = ss.mean_pair_cross_correlogram(counts, 6)
    assert np.all(mean_counts[1::2] == 0)       # odd lags
    assert np.all(mean_counts[::2][[0, 2, 4, 6]] > 0)  # lags -6, -2, 2, 6 ...
    assert mean_counts[6] == 0                  # ... but never two units in one bin


def test_jitter_keeps_counts_and_moves_spikes_by_the_given_std():
    rng = np.random.default_rng(3)
    trains = [np.sort(rng.uniform(0, 100, 2000)) for _ in range(3)]
    moved = ss.jitter_spikes(trains, 1e-3, seed=4)
    assert [len(t) for t in moved] == [len(t) for t in trains]
    assert all(np.all(np.diff(t) >= 0) for t in moved)
    # same draws without the sort: displacements are N(0, 1 ms)
    again = np.random.default_rng(4)
    shifts = np.concatenate([1e-3 * again.standard_normal(t.size) for t in trains])
    assert np.std(shifts) == pytest.approx(1e-3, rel=0.05)
    np.testing.assert_allclose(np.sort(trains[0] + shifts[:2000]), moved[0])
    assert ss.jitter_spikes(trains, 0.0)[1] == pytest.approx(trains[1])


def test_coincidence_fraction_is_one_for_identical_and_chance_for_independent_trains():
    rng = np.random.default_rng(5)
    rate, duration, window = 5.0, 200.0, 1e-3
    a = [np.sort(rng.uniform(0, duration, rng.poisson(rate * duration))) for _ in range(50)]
    b = [np.sort(rng.uniform(0, duration, rng.poisson(rate * duration))) for _ in range(50)]
    assert ss.coincidence_fraction(a, a, 0.0) == 1.0
    # independent Poisson trains: P(a spike of a within ±window) = 1 - exp(-2 rate window)
    assert ss.coincidence_fraction(a, b, window) == pytest.approx(1 - np.exp(-2 * rate * window), rel=0.15)
    shifted = [t + 0.5e-3 for t in a]
    assert ss.coincidence_fraction(a, shifted, window) == 1.0
    assert ss.coincidence_fraction(a, shifted, 0.4e-3) < 0.05
    assert np.isnan(ss.coincidence_fraction(a, b, window, t_start=duration + 1, t_stop=duration + 2))


@pytest.mark.parametrize("call, match", [
    (lambda: ss.coincidence_fraction([[0.1]], [[0.1], [0.2]], 1e-3), "same units"),
    (lambda: ss.coincidence_fraction([[0.1]], [[0.1]], -1.0), "window"),
    (lambda: ss.mean_pair_cross_correlogram(np.zeros((1, 10)), 2), "n_trains >= 2"),
    (lambda: ss.mean_pair_cross_correlogram(-np.ones((2, 10)), 2), "non-negative"),
    (lambda: ss.mean_pair_cross_correlogram(np.ones((2, 10)), 10), "max_lag_bins"),
    (lambda: ss.jitter_spikes([[0.1]], -1.0), "std"),
    (lambda: ss.jitter_spikes([[0.2, 0.1]], 1e-3), "sorted"),
])
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_jitter_within_bounds_reflects_and_keeps_every_spike():
    times = np.sort(np.random.default_rng(0).uniform(0, 10, 2000))
    moved = ss.jitter_spikes([times], 0.003, seed=1, bounds=(0.0, 10.0))[0]
    assert moved.size == times.size and moved.min() >= 0 and moved.max() < 10
    assert np.std(moved - times) < 0.01
    np.testing.assert_array_equal(moved, ss.jitter_spikes([times], 0.003, seed=1, bounds=(0.0, 10.0))[0])
    near_edge = ss.jitter_spikes([np.full(500, 1e-4)], 0.01, seed=2, bounds=(0.0, 1.0))[0]
    assert near_edge.min() >= 0 and near_edge.size == 500  # reflected at 0, not dropped
    with pytest.raises(ValueError, match="bounds"):
        ss.jitter_spikes([[1.5]], 1e-3, bounds=(0.0, 1.0))
    with pytest.raises(ValueError, match="reflection"):
        ss.jitter_spikes([np.full(50, 0.5)], 10.0, seed=0, bounds=(0.0, 1.0))
