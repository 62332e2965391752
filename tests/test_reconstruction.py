"""Stimulus reconstruction (Bialek et al. 1991): known filters recovered, analytic
spectra, information bound, and the real H1 recording."""
import numpy as np
import pytest

from pcn_core import binning, coherence, reconstruction as rec
from pcn_core.information import poisson_entropy_rate

DT = 0.002


def _encoding_kernel(dt, latency=0.01, tau=0.006, order=3, duration=0.12):
    t = dt * np.arange(int(round(duration / dt)))
    x = np.clip(t - latency, 0, None) / tau
    k = np.where(t >= latency, x ** order * np.exp(-x), 0.0)
    return k / np.linalg.norm(k)


def _lnp(duration, rate, seed, dt=DT, gain=1.0):
    """Linear–nonlinear–Poisson cell: rate * exp(gain * k*s - gain^2/2) with white s."""
    rng = np.random.default_rng(seed)
    n = int(round(duration / dt))
    s = rng.standard_normal(n)
    k = _encoding_kernel(dt)
    drive = np.convolve(s, k)[:n]                     # unit variance, spikes follow the stimulus
    lam = rate * np.exp(gain * drive - gain ** 2 / 2) * dt
    return s, rng.poisson(lam), k


@pytest.fixture(scope="module")
def lnp():
    return _lnp(300.0, 40.0, seed=1)


def test_noncausal_filter_has_the_shape_of_the_reversed_encoding_kernel(lnp):
    s, counts, k = lnp
    decoder = rec.noncausal_decoder(s, counts, DT, segment_duration=0.512)
    lags = decoder.lag_steps
    # s_est(t) = sum_i F(t - t_i): a spike at t_i reports the stimulus k-lags earlier, F(-l dt) ~ k(l dt)
    expected = np.zeros(lags.size)
    inside = (-lags >= 0) & (-lags < k.size)
    expected[inside] = k[-lags[inside]]
    r = np.corrcoef(decoder.kernel[:, 0], expected)[0, 1]
    assert r > 0.9
    assert lags[np.argmax(decoder.kernel[:, 0])] * DT == pytest.approx(-(0.01 + 3 * 0.006), abs=2 * DT)


def test_causal_filter_agrees_with_noncausal_at_sufficient_delay(lnp):
    s, counts, _ = lnp
    noncausal = rec.noncausal_decoder(s, counts, DT)
    causal = rec.causal_decoder(s, counts, DT, delay=0.1, memory=0.04)
    common = np.isin(noncausal.lag_steps, causal.lag_steps)
    assert np.corrcoef(noncausal.kernel[common, 0], causal.kernel[:, 0])[0, 1] > 0.95
    train, test = binning.holdout_split(s.size)
    q = [rec.reconstruction_quality(s[test], d.reconstruct(counts[test]), DT)
         for d in (rec.noncausal_decoder(s[train], counts[train], DT),
                   rec.causal_decoder(s[train], counts[train], DT, delay=0.1, memory=0.04),
                   rec.causal_decoder(s[train], counts[train], DT, delay=0.0, memory=0.04))]
    assert q[1] == pytest.approx(q[0], abs=0.02)
    assert q[2] < 0.2 * q[1]          # no delay: the spikes have not yet reported the stimulus


def test_delay_sweep_improves_then_saturates(lnp):
    s, counts, _ = lnp
    q = rec.delay_sweep(s, counts, DT, [0.0, 0.01, 0.02, 0.03, 0.06, 0.1], memory=0.02)
    assert q[0] < 0.1 and q[1] < 0.1       # the encoding kernel starts 10 ms after the stimulus
    assert q[1] < q[2] < q[3] < q[4]
    assert q[-1] == pytest.approx(q[-2], abs=0.01)


def test_gaussian_channel_spectra_match_analytic_values():
    # estimate = stimulus + independent white noise: gain 1/(1+sigma^2), SNR 1/sigma^2 at every frequency
    rng = np.random.default_rng(4)
    sigma = 0.7
    s = rng.standard_normal(400_000)
    e = s + sigma * rng.standard_normal(s.size)
    spectra = coherence.reconstruction_spectra(s, e, DT, segment_duration=0.256)
    assert np.median(spectra.gain) == pytest.approx(1 / (1 + sigma ** 2), rel=0.02)
    assert np.median(spectra.snr) == pytest.approx(1 / sigma ** 2, rel=0.05)
    assert np.median(spectra.noise_psd) == pytest.approx(2 * DT * sigma ** 2 / (1 + sigma ** 2), rel=0.03)
    expected = (0.5 / DT) * np.log2(1 + 1 / sigma ** 2)
    assert spectra.information_rate() == pytest.approx(expected, rel=0.03)


def test_information_is_zero_for_independent_spikes_and_grows_with_rate():
    info = {}
    for rate in (10.0, 40.0, 160.0):
        s, counts, _ = _lnp(200.0, rate, seed=2)
        train, test = binning.holdout_split(s.size)
        est = rec.noncausal_decoder(s[train], counts[train], DT).reconstruct(counts[test])
        info[rate] = coherence.reconstruction_spectra(s[test], est, DT).information_rate()
    assert info[10.0] < info[40.0] < info[160.0]
    # spikes from another stimulus carry nothing about this one
    s, _, _ = _lnp(200.0, 40.0, seed=3)
    _, counts, _ = _lnp(200.0, 40.0, seed=5)
    train, test = binning.holdout_split(s.size)
    est = rec.noncausal_decoder(s[train], counts[train], DT).reconstruct(counts[test])
    spectra = coherence.reconstruction_spectra(s[test], est, DT)
    null = spectra.information_rate()
    # sampling scatter of the bias-corrected estimate: each bin's coherence has sd ~1/K
    df = spectra.frequencies[1] - spectra.frequencies[0]
    scatter = np.sqrt(spectra.frequencies.size) * df / (spectra.segments * np.log(2))
    assert abs(null) < 4 * scatter < 0.2 * info[40.0]


def test_two_opposite_cells_decode_better_than_one():
    s, on, _ = _lnp(150.0, 30.0, seed=6)
    rng = np.random.default_rng(7)
    drive = np.convolve(-s, _encoding_kernel(DT))[:s.size]
    off = rng.poisson(30.0 * np.exp(drive - 0.5) * DT)
    both = np.stack([on, off], axis=1)
    train, test = binning.holdout_split(s.size)
    one = rec.noncausal_decoder(s[train], on[train], DT).reconstruct(on[test])
    two_decoder = rec.noncausal_decoder(s[train], both[train], DT)
    two = two_decoder.reconstruct(both[test])
    assert rec.reconstruction_quality(s[test], two, DT) > rec.reconstruction_quality(s[test], one, DT) + 0.03
    # the off cell's filter is the on cell's with the sign flipped
    main = np.abs(two_decoder.lags) <= 0.1
    assert np.corrcoef(two_decoder.kernel[main, 0], two_decoder.kernel[main, 1])[0, 1] < -0.8


def test_second_order_term_adds_nothing_for_a_linear_gaussian_cell():
    # a cell whose spikes are a linear function of the stimulus plus independent noise
    s, counts, _ = _lnp(150.0, 40.0, seed=8, gain=0.3)
    r2_first, r2_second = rec.second_order_improvement(s, counts, DT, delay=0.05, memory=0.01, window=0.01)
    assert r2_first > 0.02
    assert r2_second - r2_first < 0.1 * r2_first


def test_binning_helpers():
    times = np.sort(np.random.default_rng(0).uniform(0, 10, 2000))
    counts = binning.bin_spikes(times, 5000, 0.002)
    assert counts.sum() == times.size
    assert np.allclose(binning.spike_times_from_counts(binning.bin_spikes([0.0031], 10, 0.002), 0.002), [0.003])


def test_gaussian_smooth_half_width_is_half_width_at_half_maximum():
    x = np.zeros(1001)
    x[500] = 1.0
    y = binning.gaussian_smooth(x, 0.001, 0.005)
    above = np.flatnonzero(y >= y.max() / 2)
    assert (above[-1] - above[0] + 1) * 0.001 == pytest.approx(0.010, abs=0.0015)


def test_bad_input_raises():
    s = np.zeros(100)
    with pytest.raises(ValueError, match="spike_times must lie"):
        binning.bin_spikes([0.5], 10, 0.01)
    with pytest.raises(ValueError, match="counts has 50 bins"):
        rec.noncausal_decoder(s, np.zeros(50), DT, 0.02)
    with pytest.raises(ValueError, match="counts must be finite and >= 0"):
        rec.causal_decoder(s, -np.ones(100), DT, 0.01)
    with pytest.raises(ValueError, match="delay must be >= 0"):
        rec.causal_decoder(s, np.ones(100), DT, -0.01)
    with pytest.raises(ValueError, match="stimulus must be finite"):
        rec.noncausal_decoder(np.full(100, np.nan), np.ones(100), DT, 0.02)
    with pytest.raises(ValueError, match="segment_duration"):
        rec.noncausal_decoder(s, np.ones(100), DT, 1.0)
    with pytest.raises(ValueError, match="test_fraction"):
        binning.holdout_split(100, 1.5)
    with pytest.raises(ValueError, match="snr must be finite"):
        coherence.information_rate([1.0, 2.0], [1.0, -1.0])


def test_h1_reconstruction_beats_chance_and_information_is_bounded(h1_recording):
    s, counts, dt = h1_recording.stimulus, h1_recording.spikes, h1_recording.dt
    train, test = binning.holdout_split(s.size)
    decoder = rec.noncausal_decoder(s[train], counts[train], dt)
    quality = rec.reconstruction_quality(s[test], decoder.reconstruct(counts[test]), dt)
    # chance: the same spikes against a stimulus shifted by 100 s
    shifted = np.roll(s, 50_000)
    chance_decoder = rec.noncausal_decoder(shifted[train], counts[train], dt)
    chance = rec.reconstruction_quality(shifted[test], chance_decoder.reconstruct(counts[test]), dt)
    assert quality > 0.3 and abs(chance) < 0.05
    info = coherence.reconstruction_spectra(s[test], decoder.reconstruct(counts[test]), dt).information_rate()
    rate = counts.sum() / h1_recording.duration
    assert 0 < info < poisson_entropy_rate(rate, dt)
    # H1 reports the past: the filter's largest weight is on spikes after the estimated instant
    assert decoder.lags[np.argmax(np.abs(decoder.kernel[:, 0]))] < 0


def _gaussian_channel(rng, n=60_000):
    s = rng.standard_normal(n)
    return s, np.convolve(s, np.ones(5) / 5, "same") + rng.standard_normal(n)


def test_jackknife_rate_equals_the_spectral_bound_and_its_error_matches_the_spread():
    rng = np.random.default_rng(0)
    s, e = _gaussian_channel(rng)
    jack = coherence.information_jackknife(s, e, 1e-3, 0.512)
    assert jack.rate == pytest.approx(coherence.reconstruction_spectra(s, e, 1e-3, 0.512).information_rate(), rel=1e-10)
    assert jack.segments == 117 and jack.leave_one_out.shape == (117,)
    # the jackknife error predicts the spread of the bound over independent recordings
    spread = np.std([coherence.information_jackknife(*_gaussian_channel(rng), 1e-3, 0.512).rate for _ in range(30)], ddof=1)
    assert 0.6 * spread < jack.standard_error < 1.6 * spread
    with pytest.raises(ValueError, match="at least 3 segments"):
        coherence.information_jackknife(s[:1000], e[:1000], 1e-3, 0.512)


def test_crossvalidated_information_per_fold_uses_the_held_out_rate():
    rng = np.random.default_rng(1)
    n, dt = 100_000, 1e-3
    s = np.convolve(rng.standard_normal(n), np.exp(-np.arange(60) / 15.0), "same")   # slow stimulus
    rate = 40.0 * np.exp(s / s.std())
    rate[: n // 2] *= 0.5           # the first half fires half as much: folds must see their own rate
    counts = rng.poisson(rate * dt)
    cv = rec.crossvalidated_information(s, counts, dt, n_folds=4)
    assert cv["information"].shape == (4,) and np.all(cv["information"] > 0)
    assert np.all(cv["information"] > 3 * cv["standard_error"])
    held_out = counts.reshape(4, -1).sum(axis=1) / (n / 4 * dt)
    np.testing.assert_allclose(cv["rate"], held_out)
    np.testing.assert_allclose(cv["bits_per_spike"], cv["information"] / held_out)
    with pytest.raises(ValueError, match="n_folds"):
        rec.crossvalidated_information(s, counts, dt, n_folds=1)


@pytest.mark.parametrize("frequencies, max_frequency, error, match", [
    ([1.0, 2.0, 4.0], None, ValueError, "frequencies must be finite, increasing and evenly spaced"),
    ([3.0, 2.0, 1.0], None, ValueError, "frequencies must be finite, increasing and evenly spaced"),
    ([1.0, 2.0, np.nan], None, ValueError, "frequencies must be finite, increasing and evenly spaced"),
    ([1.0, 2.0, 3.0], 0.0, ValueError, "max_frequency must be a finite number > 0 Hz"),
    ([1.0, 2.0, 3.0], np.nan, ValueError, "max_frequency must be a finite number > 0 Hz"),
    ([1.0, 2.0, 3.0], "50", TypeError, "max_frequency must be a real number"),
    ([1.0, 2.0, 3.0], 0.5, ValueError, "max_frequency must be >= the lowest frequency"),  # empty band
])
def test_information_rate_needs_an_even_grid_and_a_valid_limit(frequencies, max_frequency, error, match):
    with pytest.raises(error, match=match):
        coherence.information_rate(frequencies, np.ones(3), max_frequency)
