"""Poisson GLM coupling filters: basis, recovery of known filters from a synthetic
coupled population, and bad input."""
import numpy as np
import pytest

from pcn_core import glm


def test_raised_cosine_basis_tiles_and_is_causal():
    lags, basis = glm.raised_cosine_basis(6, 0.2, 0.002, first_peak=0.0, last_peak=0.1, stretch=0.01)
    assert lags[0] == pytest.approx(0.002) and lags[-1] == pytest.approx(0.2)
    assert basis.shape == (100, 6) and np.all((basis >= 0) & (basis <= 1))
    # between the first and last peak the functions sum to one (π spacing)
    inside = (lags >= 0.01) & (lags <= 0.1)
    np.testing.assert_allclose(basis[inside].sum(axis=1), 1.0, atol=1e-12)
    lags0, _ = glm.raised_cosine_basis(4, 0.1, 0.01, first_lag=0)
    assert lags0[0] == 0.0


def test_fit_recovers_known_coupling_filters():
    bin_width = 0.002
    lags, basis = glm.raised_cosine_basis(6, 0.1, bin_width, first_peak=0.0, last_peak=0.05, stretch=0.005)
    # biphasic filter from 0 onto 1 (fast inhibition, slower excitation), refractory self-history
    true = np.zeros((2, 2, lags.size))
    true[1, 0] = -1.5 * np.exp(-lags / 0.005) + 0.6 * (lags / 0.03) * np.exp(1 - lags / 0.03)
    true[0, 0] = true[1, 1] = -3.0 * np.exp(-lags / 0.004)
    baseline = np.log([30.0, 30.0])
    counts = glm.simulate_glm_population(baseline, true, bin_width, 150_000, seed=3)
    fit = glm.fit_coupling_glm(counts, bin_width, basis)
    h = fit.coupling[1, 0]
    # the true filter is not exactly in the basis span: compare shape and size
    assert np.corrcoef(h, true[1, 0])[0, 1] > 0.9
    assert np.max(np.abs(h - true[1, 0])) < 0.35
    assert h[:3].mean() < -0.5 and h[(lags > 0.02) & (lags < 0.05)].mean() > 0.2
    # no coupling from 1 onto 0: the fitted filter stays small next to the real one
    assert np.max(np.abs(fit.coupling[0, 1])) < 0.15
    assert np.mean(np.abs(fit.coupling[0, 1]) < 3 * fit.coupling_se[0, 1]) > 0.7
    assert np.exp(fit.baseline[0]) == pytest.approx(30.0, rel=0.1)


def test_stimulus_filter_is_recovered():
    rng = np.random.default_rng(5)
    bin_width, n_bins = 0.005, 100_000
    stimulus = rng.standard_normal(n_bins)
    slags, sbasis = glm.raised_cosine_basis(4, 0.05, bin_width, first_peak=0.0, last_peak=0.03,
                                            stretch=0.01, first_lag=0)
    true_k = sbasis @ np.array([0.5, 0.3, -0.2, 0.0])
    drive = np.convolve(stimulus, true_k)[:n_bins]
    counts = rng.poisson(bin_width * np.exp(np.log(30.0) + drive))[None, :]
    _, basis = glm.raised_cosine_basis(3, 0.02, bin_width, first_peak=0.0, last_peak=0.01, stretch=0.005)
    fit = glm.fit_coupling_glm(counts, bin_width, basis, stimulus=stimulus, stimulus_basis=sbasis)
    np.testing.assert_allclose(fit.stimulus_filters[0, 0], true_k, atol=0.06)


def test_bad_input_raises():
    _, basis = glm.raised_cosine_basis(3, 0.02, 0.002)
    with pytest.raises(ValueError, match="counts"):
        glm.fit_coupling_glm(np.array([[0, 1, -1]]), 0.002, basis)
    with pytest.raises(ValueError, match="counts"):
        glm.fit_coupling_glm(np.array([[0, 0.5, 1]]), 0.002, basis)
    with pytest.raises(ValueError, match="bin_width"):
        glm.fit_coupling_glm(np.ones((1, 50), dtype=int), 0.0, basis)
    with pytest.raises(ValueError, match="targets"):
        glm.fit_coupling_glm(np.ones((1, 50), dtype=int), 0.002, basis, targets=[3])
    with pytest.raises(ValueError, match="stimulus_basis"):
        glm.fit_coupling_glm(np.ones((1, 50), dtype=int), 0.002, basis, stimulus=np.zeros(50))
    with pytest.raises(ValueError, match="no spikes"):
        glm.fit_coupling_glm(np.zeros((1, 50), dtype=int), 0.002, basis)
    with pytest.raises(ValueError, match="n_basis"):
        glm.raised_cosine_basis(1, 0.02, 0.002)
    with pytest.raises(TypeError, match="n_basis"):
        glm.raised_cosine_basis(4.0, 0.02, 0.002)   # a float count is a mistake upstream, not rounded
    with pytest.raises(ValueError, match="max_lag"):
        glm.raised_cosine_basis(3, 0.001, 0.002)
    with pytest.raises(ValueError, match="filters"):
        glm.simulate_glm_population([0.0], np.zeros((2, 2, 3)), 0.001, 10)
    with pytest.raises(ValueError, match="ran away"):
        glm.simulate_glm_population([np.log(50.0)], np.full((1, 1, 5), 2.0), 0.001, 2000, seed=0)


def _separated_counts():
    """A target that never fires in the bin after a source spike: the ML coupling is -∞."""
    rng = np.random.default_rng(0)
    n = 20_000
    source = (rng.random(n) < 0.05).astype(int)
    target = (rng.random(n) < 0.05).astype(int)
    target[1:][source[:-1] > 0] = 0
    return np.vstack([target, source])


def test_quasi_separation_raises_without_ridge_and_is_bounded_with_it():
    bin_width = 0.002
    _, basis = glm.raised_cosine_basis(3, 0.01, bin_width, first_peak=0.002, last_peak=0.006, stretch=0.002)
    counts = _separated_counts()
    with pytest.raises(ValueError, match="separated"):
        glm.fit_coupling_glm(counts, bin_width, basis, targets=[0])
    fit = glm.fit_coupling_glm(counts, bin_width, basis, targets=[0], ridge=1.0)
    h = fit.coupling[0, 1]
    assert np.all(np.isfinite(h)) and np.all(np.isfinite(fit.coupling_se))
    # strongly suppressive at lag Δ, but finite, and the baseline still matches the rate
    assert -8 < h[0] < -1
    assert np.exp(fit.baseline[0]) == pytest.approx(0.05 / bin_width, rel=0.1)


def test_ridge_tends_to_maximum_likelihood_and_shrinks():
    bin_width = 0.002
    lags, basis = glm.raised_cosine_basis(5, 0.05, bin_width, first_peak=0.0, last_peak=0.025, stretch=0.005)
    true = np.zeros((2, 2, lags.size))
    true[1, 0] = -1.0 * np.exp(-lags / 0.01)
    counts = glm.simulate_glm_population(np.log([30.0, 30.0]), true, bin_width, 40_000, seed=1)
    ml = glm.fit_coupling_glm(counts, bin_width, basis, targets=[1])
    weak = glm.fit_coupling_glm(counts, bin_width, basis, targets=[1], ridge=1e-3)
    strong = glm.fit_coupling_glm(counts, bin_width, basis, targets=[1], ridge=1e4)
    np.testing.assert_allclose(weak.coupling, ml.coupling, atol=1e-3)
    np.testing.assert_allclose(weak.baseline, ml.baseline, atol=1e-4)
    assert np.abs(strong.coupling).max() < 0.2 * np.abs(ml.coupling[0, 0]).max()
    # a weak penalty leaves the standard errors close to the ML ones
    np.testing.assert_allclose(weak.coupling_se[0, 0], ml.coupling_se[0, 0], rtol=0.02)


def test_ridge_must_be_non_negative():
    _, basis = glm.raised_cosine_basis(3, 0.02, 0.002)
    with pytest.raises(ValueError, match="ridge"):
        glm.fit_coupling_glm(np.ones((1, 50), dtype=int), 0.002, basis, ridge=-1.0)


@pytest.mark.parametrize("peaks", [dict(first_peak=0.01, last_peak=0.01), dict(first_peak=0.02, last_peak=0.01),
                                   dict(first_peak=-0.001), dict(last_peak=0.06)])
def test_peak_order_check_and_message_agree(peaks):
    # equal peaks are refused, and the message says so (strict <)
    with pytest.raises(ValueError, match="need 0 <= first_peak < last_peak <= max_lag"):
        glm.raised_cosine_basis(4, 0.05, 0.001, **peaks)


def test_peaks_too_close_for_the_log_axis_are_refused():
    with pytest.raises(ValueError, match="too small to separate the peaks"):
        glm.raised_cosine_basis(4, 0.05, 0.001, first_peak=0.0, last_peak=1e-20)
