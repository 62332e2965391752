"""Spike statistics: analytic cases, and agreement with Elephant on real MT trains."""
import numpy as np
import pytest

from pcn_core import spikestats as ss

elephant_stats = pytest.importorskip("elephant.statistics")


def _poisson(rate, duration, rng):
    n = rng.poisson(rate * duration)
    return np.sort(rng.uniform(0, duration, n))


def test_poisson_train_has_unit_cv_cv2_and_fano():
    rng = np.random.default_rng(0)
    train = _poisson(50.0, 400.0, rng)  # ~20,000 spikes
    assert ss.cv(train) == pytest.approx(1.0, abs=0.03)
    assert ss.cv2(train) == pytest.approx(1.0, abs=0.03)
    trials = [_poisson(20.0, 1.0, rng) for _ in range(2000)]
    assert ss.fano_factor(ss.spike_counts(trials, 0.0, 1.0)) == pytest.approx(1.0, abs=0.08)


def test_regular_train_has_zero_variability():
    train = np.arange(100) * 0.01
    assert ss.cv(train) == pytest.approx(0.0, abs=1e-9)
    assert ss.cv2(train) == pytest.approx(0.0, abs=1e-9)


def test_gamma_renewal_cv_is_one_over_sqrt_shape():
    rng = np.random.default_rng(1)
    shape = 4.0
    train = np.cumsum(rng.gamma(shape, 1.0 / (shape * 30.0), 50_000))
    assert ss.cv(train) == pytest.approx(1 / np.sqrt(shape), rel=0.02)


def test_agrees_with_elephant_on_mt_trains(mt_cells):
    cell = next(c for c in mt_cells if c.name == "e053c")
    counts = ss.spike_counts(cell.trials, 0.0, cell.duration)
    # SOURCES.md check values for e053c: 30 trials, mean count 34.9, Fano 1.17
    assert len(cell.trials) == 30 and counts.mean() == pytest.approx(34.9, abs=0.05)
    assert ss.fano_factor(counts) == pytest.approx(elephant_stats.fanofactor(cell.trials), rel=1e-12)
    assert ss.fano_factor(counts, ddof=1) == pytest.approx(1.17, abs=0.005)  # SOURCES.md uses ddof=1
    checked = 0
    for c in mt_cells:
        for train in c.trials:
            if train.size < 3:
                continue
            isis = ss.isi(train)
            np.testing.assert_allclose(isis, elephant_stats.isi(train))
            assert ss.cv(train) == pytest.approx(elephant_stats.cv(isis), rel=1e-12)
            if np.all(isis[1:] + isis[:-1] > 0):
                assert ss.cv2(train) == pytest.approx(elephant_stats.cv2(isis), rel=1e-12)
            checked += 1
    assert checked > 3000


def test_count_correlation_and_correlogram_agree_with_elephant(mt_cells):
    import neo
    import quantities as pq
    from elephant.conversion import BinnedSpikeTrain
    from elephant.spike_train_correlation import correlation_coefficient, cross_correlation_histogram

    cell = next(c for c in mt_cells if c.name == "e053c")
    trains = cell.trials[:6]
    bin_width, t_stop = 0.005, 2.0
    ours = ss.binned_counts(trains, bin_width, 0.0, t_stop)
    neo_trains = [neo.SpikeTrain(t[t < t_stop] * pq.s, t_start=0 * pq.s, t_stop=t_stop * pq.s) for t in trains]
    binned = BinnedSpikeTrain(neo_trains, bin_size=bin_width * pq.s)
    np.testing.assert_array_equal(ours, binned.to_array())
    np.testing.assert_allclose(ss.count_correlation(ours), correlation_coefficient(binned), atol=1e-12)
    lags, ccg = ss.cross_correlogram(ours[0], ours[1], max_lag_bins=20)
    cch, el_lags = cross_correlation_histogram(binned[0], binned[1], window=[-20, 20])
    np.testing.assert_array_equal(lags, el_lags)
    np.testing.assert_allclose(ccg, np.asarray(cch).ravel(), atol=1e-9)


def test_exponential_rate_of_regular_train_is_its_rate():
    train = np.arange(0, 20, 0.02)  # 50 Hz
    t, rate = ss.exponential_rate(train, 0.0, 20.0, 1e-3, tau=0.1)
    assert rate[t > 2].mean() == pytest.approx(50.0, rel=0.01)


def test_trains_from_events_splits_and_sorts():
    trains = ss.trains_from_events([0.3, 0.1, 0.2, 0.05], [1, 0, 1, 2], 4)
    assert [list(t) for t in trains] == [[0.1], [0.2, 0.3], [0.05], []]


def test_poisson_trains_have_their_rates_and_poisson_statistics():
    rates = np.array([0.0, 5.0, 40.0])
    trains = ss.poisson_trains(rates, 2.0, 202.0, seed=1)
    counts = np.array([t.size for t in trains])
    assert counts[0] == 0
    # counts within 4 Poisson standard deviations of rate x 200 s
    assert np.all(np.abs(counts - 200 * rates) <= 4 * np.sqrt(200 * rates))
    assert all(np.all(np.diff(t) >= 0) and (t.size == 0 or (t[0] >= 2.0 and t[-1] < 202.0)) for t in trains)
    assert ss.cv(trains[2]) == pytest.approx(1.0, abs=0.05)  # ~8000 ISIs
    repeats = [ss.poisson_trains([20.0], 0.0, 1.0, seed=np.random.default_rng(k))[0] for k in range(1000)]
    assert ss.fano_factor(ss.spike_counts(repeats, 0.0, 1.0)) == pytest.approx(1.0, abs=0.12)
    same = ss.poisson_trains(rates, 0.0, 1.0, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(same, ss.poisson_trains(rates, 0.0, 1.0, seed=7)))


@pytest.mark.parametrize("call, match", [
    (lambda: ss.poisson_trains([1.0, -1.0], 0.0, 1.0), "rates"),
    (lambda: ss.poisson_trains([[1.0]], 0.0, 1.0), "rates"),
    (lambda: ss.poisson_trains([np.nan], 0.0, 1.0), "rates"),
    (lambda: ss.poisson_trains([1.0], 1.0, 1.0), "t_stop"),
    (lambda: ss.isi([0.2, 0.1]), "sorted"),
    (lambda: ss.isi([[0.1]]), "1-D"),
    (lambda: ss.isi([0.1, np.nan]), "finite"),
    (lambda: ss.fano_factor([1.0, -1.0]), "non-negative"),
    (lambda: ss.binned_counts([[0.1]], 0.0, 0, 1), "bin_width"),
    (lambda: ss.spike_counts([[0.1]], 1.0, 1.0), "t_stop"),
    (lambda: ss.cross_correlogram([1, 0], [0, 1, 0], 1), "equal length"),
    (lambda: ss.trains_from_events([0.1], [5], 3), "neurons must hold indices"),
])
def test_bad_input_raises_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_event_jitter_recovers_the_jitter_of_repeated_spikes():
    rng = np.random.default_rng(3)
    events = np.arange(0.05, 1.0, 0.05)                     # 19 repeated spike times, 50 ms apart
    sd = 0.0007
    trains = []
    for _ in range(20):
        t = events + sd * rng.standard_normal(events.size)
        stray = rng.uniform(0, 1, 2)                         # 2 stray spikes per trial
        trains.append(np.sort(np.concatenate([t, stray])))
    ev = ss.event_jitter(trains, gap=0.003)
    assert ev.n_events >= 17                                 # a stray spike may merge two events rarely
    assert ev.jitter == pytest.approx(sd, rel=0.25)
    assert 0.85 < ev.fraction_in_events <= 19 * 20 / (21 * 20) + 0.02
    identical = ss.event_jitter([events] * 10, gap=0.003)
    assert identical.jitter == 0 and identical.fraction_in_events == 1 and identical.n_events == events.size
    independent = ss.event_jitter([np.sort(rng.uniform(0, 1, 20)) for _ in range(20)], gap=0.0005)
    assert independent.n_events == 0 and np.isnan(independent.jitter)
    with pytest.raises(ValueError, match="gap"):
        ss.event_jitter(trains, gap=0)
    with pytest.raises(ValueError, match="min_trials"):
        ss.event_jitter(trains, gap=0.003, min_trials=1.5)


def test_fano_factor_of_long_windows_approaches_cv_squared_for_a_renewal_train():
    # gamma ISIs of shape 4 (CV² = 0.25): counts in windows of ~100 ISIs have F → CV² (Feller)
    rng = np.random.default_rng(11)
    train = np.cumsum(rng.gamma(4.0, 0.25 / 40.0, 200_000))       # 40 Hz
    counts = ss.binned_counts([train], 2.5, 0.0, train[-1])[0]
    assert ss.cv(train) ** 2 == pytest.approx(0.25, rel=0.02)
    assert ss.fano_factor(counts, ddof=1) == pytest.approx(ss.cv(train) ** 2, rel=0.15)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ss.cross_correlogram([1, 0, 1, 0], [0, 1, 0, 1], 1.5), TypeError,
     r"max_lag_bins must be an integer >= 0, got 1.5 \(float\)"),
    (lambda: ss.cross_correlogram([1, 0, 1, 0], [0, 1, 0, 1], 2.0), TypeError, "max_lag_bins must be an integer"),
    (lambda: ss.cross_correlogram([1, 0, 1, 0], [0, 1, 0, 1], -1), ValueError, "max_lag_bins must be an integer >= 0"),
    (lambda: ss.cross_correlogram([1, 0, 1, 0], [0, 1, 0, 1], 4), ValueError, r"max_lag_bins must be in \[0, 3\]"),
    (lambda: ss.mean_pair_cross_correlogram([[1, 0, 1, 0], [0, 1, 0, 1]], 1.5), TypeError,
     "max_lag_bins must be an integer >= 0"),
])
def test_correlogram_lag_must_be_a_whole_number_of_bins(call, error, match):
    # a float lag used to end in an IndexError
    with pytest.raises(error, match=match):
        call()
