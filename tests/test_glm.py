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
    with pytest.raises(ValueError, match="targets"):
        glm.fit_coupling_glm(np.ones((1, 50), dtype=int), 0.002, basis, targets=[])
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


def test_float_targets_are_refused_not_truncated():
    lags, basis = glm.raised_cosine_basis(3, 0.02, 0.002)
    counts = glm.simulate_glm_population(np.log([20.0, 20.0]), np.zeros((2, 2, lags.size)), 0.002, 2000, seed=0)
    # 1.7 would have been truncated to neuron 1 before; 1.0 is refused too (a float index is a mistake upstream)
    for targets in ([1.7], [1.0], np.array([0.0, 1.0]), [True]):
        with pytest.raises(TypeError, match="targets"):
            glm.fit_coupling_glm(counts, 0.002, basis, targets=targets)
    as_ints = glm.fit_coupling_glm(counts, 0.002, basis, targets=np.array([1], dtype=np.int32))
    assert as_ints.targets.tolist() == [1]


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


# --- streaming fit (long recordings) -----------------------------------------------------------

def _small_recording():
    """3 coupled neurons (2 ms bins, 8 s) and 2 white-noise covariates: small enough for both fits.
    Coupling lags 1-15 bins, stimulus lags 0-20 bins (longer than the shortest chunks tested)."""
    bin_width = 0.002
    lags, basis = glm.raised_cosine_basis(4, 0.03, bin_width, first_peak=0.0, last_peak=0.015, stretch=0.004)
    _, stimulus_basis = glm.raised_cosine_basis(3, 0.04, bin_width, first_peak=0.0, last_peak=0.02, stretch=0.01,
                                                first_lag=0)
    true = np.zeros((3, 3, lags.size))
    true[1, 0] = basis @ [0.8, 0.4, 0.0, 0.0]
    true[2, 1] = basis @ [-1.0, -0.5, 0.0, 0.0]
    for i in range(3):
        true[i, i] = basis @ [-2.0, -0.5, 0.0, 0.0]
    counts = glm.simulate_glm_population(np.log([40.0, 30.0, 35.0]), true, bin_width, 4000, seed=4)
    stimulus = np.random.default_rng(1).standard_normal((4000, 2))
    return counts, bin_width, basis, stimulus, stimulus_basis


_IN_MEMORY = {}


def _in_memory_fit(ridge):
    if ridge not in _IN_MEMORY:
        counts, bin_width, basis, stimulus, stimulus_basis = _small_recording()
        _IN_MEMORY[ridge] = glm.fit_coupling_glm(counts, bin_width, basis, stimulus=stimulus,
                                                 stimulus_basis=stimulus_basis, ridge=ridge)
    return _IN_MEMORY[ridge]


def _stimulus_se(fit, stimulus_basis, n_neurons, n_coupling_basis):
    """Pointwise SE of the stimulus filters of a streaming fit, from its weights' covariance."""
    start = 1 + n_neurons * n_coupling_basis
    out = []
    for res in fit.results:
        n_sb = stimulus_basis.shape[1]
        cov = res.covariance[start:, start:]
        out.append([np.sqrt(np.einsum("lm,mn,ln->l", stimulus_basis, cov[c * n_sb:(c + 1) * n_sb, c * n_sb:(c + 1) * n_sb],
                                      stimulus_basis)) for c in range((cov.shape[0]) // n_sb)])
    return np.array(out)


def _assert_same_up_to(a, b, scale, rtol):
    """|a - b| <= rtol (|b| + scale): relative agreement, with filter values near zero
    compared on the scale of their standard error."""
    excess = np.abs(a - b) - rtol * (np.abs(b) + scale)
    assert np.all(excess <= 0), f"largest excess {excess.max():.3g} over rtol {rtol:g}"


@pytest.mark.parametrize("ridge", [0.0, 1.0])
@pytest.mark.parametrize("chunk_size", [7, 997, 4000, 1_000_000])
def test_streaming_fit_equals_in_memory_fit(ridge, chunk_size):
    # chunk 7 is shorter than both the coupling (15 bins) and the stimulus (21 bins) filters;
    # 997 does not divide the 3979 fitted bins; 4000 and 10^6 give a single chunk
    counts, bin_width, basis, stimulus, stimulus_basis = _small_recording()
    memory = _in_memory_fit(ridge)
    stream = glm.fit_coupling_glm_streaming(counts, bin_width, basis, stimulus=stimulus, stimulus_basis=stimulus_basis,
                                            ridge=ridge, chunk_size=chunk_size)
    np.testing.assert_array_equal(stream.targets, memory.targets)
    np.testing.assert_array_equal(stream.lags, memory.lags)
    np.testing.assert_array_equal(stream.stimulus_lags, memory.stimulus_lags)
    baseline_se = np.array([np.sqrt(r.covariance[0, 0]) for r in stream.results])
    _assert_same_up_to(stream.baseline, memory.baseline, baseline_se, 1e-6)
    _assert_same_up_to(stream.coupling, memory.coupling, stream.coupling_se, 1e-6)
    _assert_same_up_to(stream.stimulus_filters, memory.stimulus_filters,
                       _stimulus_se(stream, stimulus_basis, 3, basis.shape[1]), 1e-6)
    if ridge == 0:
        for s_res, m_res in zip(stream.results, memory.results):
            _assert_same_up_to(s_res.x, np.asarray(m_res.params), np.asarray(m_res.bse), 1e-6)
            # statsmodels' IRLS evaluates its covariance at the weights of its last-but-one
            # iterate (a step of order 1e-4 SE before the optimum): agreement to a few 1e-6
            np.testing.assert_allclose(np.sqrt(np.diag(s_res.covariance)), m_res.bse, rtol=5e-6)
        np.testing.assert_allclose(stream.coupling_se, memory.coupling_se, rtol=5e-6)
    else:
        np.testing.assert_allclose(stream.coupling_se, memory.coupling_se, rtol=1e-6)
    for res in stream.results:
        assert res.success and res.newton_decrement <= 1e-8


def test_streaming_fit_targets_and_discard_as_in_memory():
    counts, bin_width, basis, stimulus, stimulus_basis = _small_recording()
    full = glm.fit_coupling_glm_streaming(counts, bin_width, basis, chunk_size=1500)
    some = glm.fit_coupling_glm_streaming(counts, bin_width, basis, targets=[2, 0], chunk_size=1500)
    np.testing.assert_array_equal(some.targets, [2, 0])
    np.testing.assert_allclose(some.coupling, full.coupling[[2, 0]], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(some.coupling_se, full.coupling_se[[2, 0]], rtol=1e-9, atol=1e-12)
    stream = glm.fit_coupling_glm_streaming(counts, bin_width, basis, targets=[1], discard=100, ridge=0.5,
                                            chunk_size=333)
    memory = glm.fit_coupling_glm(counts, bin_width, basis, targets=[1], discard=100, ridge=0.5)
    _assert_same_up_to(stream.coupling, memory.coupling, stream.coupling_se, 1e-6)
    np.testing.assert_allclose(stream.coupling_se, memory.coupling_se, rtol=1e-6)


def _known_population(n_bins):
    """Three neurons at 20 Hz in 2 ms bins with filters in the span of the basis:
    0 excites 1, 0 inhibits 2, every neuron refractory, no other coupling."""
    bin_width = 0.002
    lags, basis = glm.raised_cosine_basis(4, 0.03, bin_width, first_peak=0.0, last_peak=0.015, stretch=0.004)
    weights = np.zeros((3, 3, 4))
    weights[1, 0] = [1.0, 0.6, 0.2, 0.0]
    weights[2, 0] = [-1.2, -0.6, 0.0, 0.0]
    for i in range(3):
        weights[i, i] = [-2.0, -1.0, 0.0, 0.0]
    true = weights @ basis.T
    counts = glm.simulate_glm_population(np.log([20.0, 20.0, 20.0]), true, bin_width, n_bins, seed=11)
    return counts, bin_width, lags, basis, true


def test_streaming_fit_recovers_known_filters_and_se_shrinks_as_one_over_sqrt_t():
    counts, bin_width, lags, basis, true = _known_population(200_000)   # 4T = 400 s
    pairs = [(i, j) for i in range(3) for j in range(3)]
    conv = glm.coupling_glm_convergence(counts, bin_width, basis, pairs, fractions=(0.25, 0.5, 1.0),
                                        chunk_size=20_000)
    fit = conv.fits[-1]
    # the true filters (in the basis span, so unbiased at ridge 0) lie within ±3 SE at most lags
    defined = fit.coupling_se > 0
    within = np.abs(fit.coupling - true) <= 3 * fit.coupling_se
    assert np.mean(within[defined]) >= 0.9
    # the excitation and inhibition are resolved at short lags
    k_exc, k_inh = pairs.index((1, 0)), pairs.index((2, 0))
    assert conv.short_lag_mean[-1, k_exc] > 3 * conv.short_lag_mean_se[-1, k_exc]
    assert conv.short_lag_mean[-1, k_inh] < -3 * conv.short_lag_mean_se[-1, k_inh]
    # SE ∝ 1/√T between T and 4T. The information summed over N spikes fluctuates by a relative
    # ~1/√N, so log SE by ~0.5/√N at each length: 4 such SDs of the slope (independent lengths;
    # nested prefixes fluctuate less), with N the fewest spikes of a neuron in the shorter prefix
    n_fit = conv.fitted_bins
    stops = np.round(conv.durations / bin_width).astype(int)
    spikes = [counts[:, :stop].sum(axis=1).min() for stop in stops]
    log_ratio = np.log(n_fit[-1] / n_fit[0])
    tolerance = 4 * 0.5 * np.sqrt(1 / spikes[0] + 1 / spikes[-1]) / log_ratio
    slopes = np.log(conv.short_lag_mean_se[-1] / conv.short_lag_mean_se[0]) / log_ratio
    assert np.all(np.abs(slopes + 0.5) <= tolerance), (slopes, tolerance)
    # (not lag by lag: the pointwise SE at the first lag rests on nearly cancelling basis weights
    # and on few expected spikes under the refractory and inhibitory filters, so it fluctuates
    # more than 1/√N of all spikes; a first version asserting it failed there at -0.60)


def test_convergence_prefixes_equal_separate_fits_of_each_prefix():
    counts, bin_width, basis, stimulus, stimulus_basis = _small_recording()
    pairs = [(1, 0), (2, 1), (2, 2)]
    conv = glm.coupling_glm_convergence(counts, bin_width, basis, pairs, fractions=(0.25, 0.6, 1.0), short_lag=0.006,
                                        stimulus=stimulus, stimulus_basis=stimulus_basis, ridge=1.0, chunk_size=701)
    stops = np.round(np.array([0.25, 0.6, 1.0]) * counts.shape[1]).astype(int)
    np.testing.assert_allclose(conv.durations, stops * bin_width)
    np.testing.assert_array_equal(conv.fitted_bins, stops - 21)   # discard = the 21-row stimulus filter
    early = conv.lags <= 0.006 + 1e-12
    for k, stop in enumerate(stops):
        alone = glm.fit_coupling_glm_streaming(counts[:, :stop], bin_width, basis, targets=[1, 2],
                                               stimulus=stimulus[:stop], stimulus_basis=stimulus_basis, ridge=1.0)
        for p, (target, source) in enumerate(pairs):
            row = [1, 2].index(target)
            _assert_same_up_to(conv.filters[k, p], alone.coupling[row, source], alone.coupling_se[row, source], 1e-6)
            np.testing.assert_allclose(conv.filter_se[k, p], alone.coupling_se[row, source], rtol=1e-6)
        np.testing.assert_allclose(conv.fits[k].coupling, alone.coupling, rtol=1e-6, atol=1e-6)
        # the short-lag mean is the mean filter over lags <= short_lag; its SE (correlations
        # included) is at most the mean pointwise SE
        np.testing.assert_allclose(conv.short_lag_mean[k], conv.filters[k][:, early].mean(axis=1), rtol=1e-12)
        assert np.all(conv.short_lag_mean_se[k] <= conv.filter_se[k][:, early].mean(axis=1) * (1 + 1e-12))
    # more data, smaller standard errors
    assert np.all(np.diff(conv.short_lag_mean_se, axis=0) < 0)


def test_streaming_fit_fails_loudly():
    counts, bin_width, basis, _, _ = _small_recording()
    with pytest.raises(RuntimeError, match=r"target neuron\(s\) 0 .*max_passes=2"):
        glm.fit_coupling_glm_streaming(counts, bin_width, basis, targets=[0], max_passes=2)
    silent_source = counts.copy()
    silent_source[2] = 0
    with pytest.raises(RuntimeError, match="target neuron 0: the penalised Hessian is not positive definite"):
        glm.fit_coupling_glm_streaming(silent_source, bin_width, basis, targets=[0])
    # with a ridge the silent source's filter is the prior's (zero) and the fit goes through
    fit = glm.fit_coupling_glm_streaming(silent_source, bin_width, basis, targets=[0], ridge=1.0)
    np.testing.assert_allclose(fit.coupling[0, 2], 0.0, atol=1e-12)
    # quasi-separated spikes: refused without ridge (as fit_coupling_glm), bounded with it
    _, sep_basis = glm.raised_cosine_basis(3, 0.01, 0.002, first_peak=0.002, last_peak=0.006, stretch=0.002)
    with pytest.raises(ValueError, match="separated"):
        glm.fit_coupling_glm_streaming(_separated_counts(), 0.002, sep_basis, targets=[0])
    stream = glm.fit_coupling_glm_streaming(_separated_counts(), 0.002, sep_basis, targets=[0], ridge=1.0)
    memory = glm.fit_coupling_glm(_separated_counts(), 0.002, sep_basis, targets=[0], ridge=1.0)
    _assert_same_up_to(stream.coupling, memory.coupling, stream.coupling_se, 1e-6)


def test_streaming_fit_bad_input_raises():
    counts, bin_width, basis, stimulus, stimulus_basis = _small_recording()
    fit = glm.fit_coupling_glm_streaming
    with pytest.raises(ValueError, match="chunk_size"):
        fit(counts, bin_width, basis, chunk_size=0)
    with pytest.raises(TypeError, match="chunk_size"):
        fit(counts, bin_width, basis, chunk_size=100.0)
    bad_stimulus = stimulus.copy()
    bad_stimulus[1234, 1] = np.nan
    with pytest.raises(ValueError, match="stimulus must be finite"):
        fit(counts, bin_width, basis, stimulus=bad_stimulus, stimulus_basis=stimulus_basis)
    bad_stimulus[1234, 1] = np.inf
    with pytest.raises(ValueError, match="stimulus must be finite"):
        fit(counts, bin_width, basis, stimulus=bad_stimulus, stimulus_basis=stimulus_basis)
    with pytest.raises(ValueError, match="stimulus must have shape"):
        fit(counts, bin_width, basis, stimulus=stimulus[:-1], stimulus_basis=stimulus_basis)
    with pytest.raises(ValueError, match="stimulus_basis is required"):
        fit(counts, bin_width, basis, stimulus=stimulus)
    with pytest.raises(ValueError, match="counts must be 2-D"):
        fit(counts[0], bin_width, basis)
    with pytest.raises(ValueError, match="counts must be 2-D"):
        fit(counts[:, :1], bin_width, basis)
    negative = counts.copy()
    negative[1, 3000] = -1
    with pytest.raises(ValueError, match="counts must be non-negative integers"):
        fit(negative, bin_width, basis)
    fractional = counts.astype(float)
    fractional[0, 10] = 0.5
    with pytest.raises(ValueError, match="counts must be non-negative integers"):
        fit(fractional, bin_width, basis)
    fractional[0, 10] = np.nan
    with pytest.raises(ValueError, match="counts must be non-negative integers"):
        fit(fractional, bin_width, basis)
    with pytest.raises(ValueError, match="counts must be non-negative integers"):
        fit(counts > 0, bin_width, basis)
    with pytest.raises(ValueError, match="targets"):
        fit(counts, bin_width, basis, targets=[3])
    with pytest.raises(TypeError, match="targets"):
        fit(counts, bin_width, basis, targets=[1.0])
    with pytest.raises(ValueError, match="bin_width"):
        fit(counts, 0.0, basis)
    with pytest.raises(ValueError, match="ridge"):
        fit(counts, bin_width, basis, ridge=-1.0)
    with pytest.raises(ValueError, match="tol"):
        fit(counts, bin_width, basis, tol=0.0)
    with pytest.raises(ValueError, match="max_passes"):
        fit(counts, bin_width, basis, max_passes=0)
    with pytest.raises(ValueError, match="discard"):
        fit(counts, bin_width, basis, discard=counts.shape[1] - 1)
    with pytest.raises(ValueError, match="basis"):
        fit(counts, bin_width, basis[:, :, None])
    with pytest.raises(ValueError, match="no spikes"):
        fit(np.zeros((1, 50), dtype=int), bin_width, basis)


def test_convergence_bad_input_raises():
    counts, bin_width, basis, _, _ = _small_recording()
    conv = glm.coupling_glm_convergence
    with pytest.raises(ValueError, match="fractions"):
        conv(counts, bin_width, basis, [(1, 0)], fractions=(0.5, 0.25, 1.0))
    with pytest.raises(ValueError, match="fractions"):
        conv(counts, bin_width, basis, [(1, 0)], fractions=(0.5, 1.5))
    with pytest.raises(ValueError, match="fractions"):
        conv(counts, bin_width, basis, [(1, 0)], fractions=(0.0, 1.0))
    with pytest.raises(ValueError, match="fractions"):   # a first prefix shorter than the discarded history
        conv(counts, bin_width, basis, [(1, 0)], fractions=(0.001, 1.0))
    with pytest.raises(ValueError, match="pairs"):
        conv(counts, bin_width, basis, [1, 0])
    with pytest.raises(ValueError, match="pairs"):
        conv(counts, bin_width, basis, [(1, 3)])
    with pytest.raises(TypeError, match="pairs"):
        conv(counts, bin_width, basis, [(1.0, 0.0)])
    with pytest.raises(ValueError, match="short_lag"):
        conv(counts, bin_width, basis, [(1, 0)], short_lag=bin_width / 2)


@pytest.mark.parametrize("rate", [0.02, 3.0])   # sparse counts (scattered) and dense ones (FFT)
def test_streaming_design_rows_equal_the_whole_recording_design(rate):
    rng = np.random.default_rng(0)
    n_bins = 3000
    _, basis = glm.raised_cosine_basis(5, 0.04, 0.001)                     # lags 1-40 bins
    _, stimulus_basis = glm.raised_cosine_basis(4, 0.05, 0.001, first_lag=0)  # lags 0-50 bins
    counts = rng.poisson(rate, (3, n_bins))
    stimulus = rng.standard_normal((n_bins, 2))
    whole = np.hstack([np.ones((n_bins, 1)), glm._filtered(counts.T.astype(float), basis, 1),
                       glm._filtered(stimulus, stimulus_basis, 0)])
    design = glm._StreamingDesign(counts, basis, stimulus, stimulus_basis, 0)
    for a, b in [(0, n_bins), (0, 7), (3, 10), (39, 41), (40, 41), (100, 133), (2000, 3000)]:
        np.testing.assert_allclose(design.rows(a, b), whole[a:b], rtol=0, atol=1e-12 * max(1.0, rate))
        # both filtering routes, whichever the design chose for this block
        lo = max(0, a - basis.shape[0])
        scattered = np.zeros((b - a, 3 * basis.shape[1]))
        glm._scatter_filtered(counts[:, lo:b], a - lo, basis, 1, scattered)
        np.testing.assert_allclose(scattered, whole[a:b, 1:1 + scattered.shape[1]], rtol=0, atol=1e-12 * max(1.0, rate))
        np.testing.assert_allclose(glm._fft_filtered(counts[:, lo:b].T.astype(float), basis, 1, a - lo),
                                   whole[a:b, 1:1 + scattered.shape[1]], rtol=0, atol=1e-12 * max(1.0, rate))


def test_streaming_fit_equals_in_memory_fit_on_dense_counts():
    # 3 spikes per bin on average: the coupling columns go through the FFT route
    rng = np.random.default_rng(2)
    bin_width = 0.01
    _, basis = glm.raised_cosine_basis(4, 0.5, bin_width, first_peak=0.0, last_peak=0.25, stretch=0.02)
    counts = rng.poisson(3.0, (2, 3000))
    memory = glm.fit_coupling_glm(counts, bin_width, basis)
    stream = glm.fit_coupling_glm_streaming(counts, bin_width, basis, chunk_size=256)
    _assert_same_up_to(stream.coupling, memory.coupling, stream.coupling_se, 1e-6)
    np.testing.assert_allclose(stream.coupling_se[memory.coupling_se > 0], memory.coupling_se[memory.coupling_se > 0],
                               rtol=5e-6)
