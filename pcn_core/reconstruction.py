"""Reading a neural code: linear stimulus reconstruction from spike trains
(Bialek, Rieke, de Ruyter van Steveninck & Warland 1991).

Everything lives on a regular grid of step ``dt`` (s). A spike train is the
count of spikes in each bin (an ``(n,)`` array, or ``(n, channels)`` for
several cells, e.g. the "two eyes"). The stimulus estimate is

    s_est(t) = stimulus_mean + sum_i F1(t - t_i)      (first order)

with the kernel ``F1(tau)`` in stimulus units per spike at lags
``tau = t - t_i`` (negative lags: spikes after the estimated instant).

- :func:`noncausal_decoder` is the optimal linear filter
  ``F1(f) = <s rho*> / <|rho|^2>`` from Welch cross-spectra over segments.
- :func:`causal_decoder` fits by least squares a filter that only uses
  spikes up to ``delay`` after the estimated instant (lags ``tau >= -delay``).
- :func:`reconstruction_spectra` splits the error of an estimate into a gain
  ``g(f) = <s s_est*>/<|s_est|^2>`` and a noise ``n = s - g s_est`` with
  spectral density ``N(f) = S(f) (1 - C(f))`` (``C`` the coherence between
  stimulus and estimate) and ``SNR(f) = C / (1 - C)``;
  :func:`information_rate` integrates ``log2(1 + SNR)``, the Gaussian lower
  bound on the information rate.

Spectra use non-overlapping Hann-windowed segments (scipy.signal.welch/csd/
coherence), so the ``K`` segments are independent and the coherence's bias
``~1/K`` can be removed before the information integral.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.ndimage
import scipy.signal

from . import validation
from .spikestats import binned_counts, jitter_spikes


# --------------------------------------------------------------------------- input handling
def _as_stimulus(stimulus) -> np.ndarray:
    s = np.asarray(stimulus, dtype=float)
    if s.ndim != 1 or s.size < 2:
        raise ValueError(f"stimulus must be a 1-D array of at least 2 samples, got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("stimulus must be finite")
    return s


def _as_counts(counts, n: int | None = None) -> np.ndarray:
    c = np.asarray(counts, dtype=float)
    if c.ndim == 1:
        c = c[:, None]
    if c.ndim != 2 or c.shape[0] < 2 or c.shape[1] < 1:
        raise ValueError(f"counts must be (n,) or (n, channels) spike counts per bin, got shape {np.shape(counts)}")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("counts must be finite and >= 0 (spikes per bin)")
    if n is not None and c.shape[0] != n:
        raise ValueError(f"counts has {c.shape[0]} bins but the stimulus has {n} samples")
    return c


def _check_dt(dt: float) -> float:
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    return float(dt)


def _segment_samples(segment_duration: float, dt: float, n: int) -> int:
    nperseg = int(round(segment_duration / dt))
    if nperseg < 8:
        raise ValueError(f"segment_duration={segment_duration} s gives {nperseg} samples; need >= 8")
    if nperseg > n:
        raise ValueError(f"segment_duration={segment_duration} s is longer than the data ({n * dt} s)")
    return nperseg


def _paired_segments(stimulus, estimate, dt, segment_duration, min_segments: int):
    """Validated (dt, stimulus, estimate, samples per segment, number of segments) of a
    stimulus and its estimate cut into non-overlapping segments (at least ``min_segments``)."""
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    e = _as_stimulus(estimate)
    if e.size != s.size:
        raise ValueError(f"estimate has {e.size} samples, stimulus {s.size}")
    nperseg = _segment_samples(segment_duration, dt, s.size)
    segments = s.size // nperseg
    if segments < min_segments:
        raise ValueError(f"need at least {min_segments} segments, got {segments}; shorten segment_duration")
    return dt, s, e, nperseg, segments


# --------------------------------------------------------------------------- spike trains
def bin_spikes(spike_times, n_steps: int, dt: float) -> np.ndarray:
    """Spike counts in the bins ``[k dt, (k+1) dt)``, ``k = 0 .. n_steps-1``.

    Raises if a spike lies outside ``[0, n_steps dt)`` (nothing is dropped).
    """
    dt = _check_dt(dt)
    t = np.asarray(spike_times, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError("spike_times must be a 1-D array of finite times (s)")
    if t.size and (t.min() < 0 or t.max() >= n_steps * dt):
        raise ValueError(f"spike_times must lie in [0, {n_steps * dt}) s; got range "
                         f"[{t.min()}, {t.max()}] s")
    return binned_counts([np.sort(t)], dt, 0.0, n_steps * dt)[0]


def spike_times_from_counts(counts, dt: float) -> np.ndarray:
    """Spike times (s) at the centres of the bins of a count array (repeated for counts > 1)."""
    dt = _check_dt(dt)
    c = np.asarray(counts)
    if c.ndim != 1 or np.any(c < 0):
        raise ValueError("counts must be a 1-D array of non-negative spike counts")
    return (np.repeat(np.arange(c.size), c.astype(np.int64)) + 0.5) * dt


def gaussian_smooth(x, dt: float, half_width: float) -> np.ndarray:
    """Smooth along the first axis with a Gaussian of half-width at half-maximum ``half_width`` (s)."""
    dt = _check_dt(dt)
    if not (np.isfinite(half_width) and half_width >= 0):
        raise ValueError(f"half_width must be >= 0 s, got {half_width}")
    x = np.asarray(x, dtype=float)
    if half_width == 0:
        return x.copy()
    sigma = half_width / np.sqrt(2 * np.log(2)) / dt
    return scipy.ndimage.gaussian_filter1d(x, sigma, axis=0, mode="reflect")


def holdout_split(n_steps: int, test_fraction: float = 0.2) -> tuple[slice, slice]:
    """Training and held-out slices: the last ``test_fraction`` of the samples is held out."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    cut = int(round(n_steps * (1 - test_fraction)))
    if cut < 2 or n_steps - cut < 2:
        raise ValueError(f"n_steps={n_steps} is too short to split")
    return slice(0, cut), slice(cut, n_steps)


# --------------------------------------------------------------------------- decoders
@dataclass
class LinearDecoder:
    """A first-order decoder ``s_est(t) = stimulus_mean + sum_c sum_k kernel[k, c] (counts[t - lag_k, c] - count_mean[c])``.

    Attributes
    ----------
    lags : (n_lags,) s, lag ``tau = t - t_spike`` of each kernel sample (multiples of dt)
    kernel : (n_lags, channels) stimulus units per spike
    dt : s
    count_mean : (channels,) mean spikes per bin in the training data
    stimulus_mean : mean stimulus in the training data
    delay : s, the decoder uses spikes at most ``delay`` after the estimated instant
        (``inf`` for the non-causal filter)
    """
    lags: np.ndarray
    kernel: np.ndarray
    dt: float
    count_mean: np.ndarray
    stimulus_mean: float
    delay: float = np.inf

    @property
    def lag_steps(self) -> np.ndarray:
        return np.round(self.lags / self.dt).astype(np.int64)

    def reconstruct(self, counts) -> np.ndarray:
        """Stimulus estimate on the grid of ``counts`` ((n,) or (n, channels) spikes per bin)."""
        c = _as_counts(counts)
        if c.shape[1] != self.kernel.shape[1]:
            raise ValueError(f"counts has {c.shape[1]} channels, the decoder {self.kernel.shape[1]}")
        n = c.shape[0]
        first = int(self.lag_steps[0])
        out = np.zeros(n)
        for ch in range(c.shape[1]):
            full = scipy.signal.oaconvolve(c[:, ch] - self.count_mean[ch], self.kernel[:, ch])
            # out[t] = sum_k kernel[k] x[t - first - k] = full[t - first]
            lo, hi = max(0, first), min(n, full.size + first)
            if hi > lo:
                out[lo:hi] += full[lo - first:hi - first]
        return out + self.stimulus_mean


def noncausal_decoder(stimulus, counts, dt: float, segment_duration: float = 0.512) -> LinearDecoder:
    """Optimal non-causal linear filter from cross-spectra over segments.

    ``F(f) = M(f)^-1 b(f)`` with ``M[d, c] = <rho_d* rho_c>`` and ``b[d] = <rho_d* s>``
    (``F = <s rho*>/<|rho|^2>`` for one cell), estimated with scipy.signal.csd on
    non-overlapping Hann-windowed segments of ``segment_duration`` s. The kernel
    is the inverse FFT, on lags ``-segment_duration/2 .. +segment_duration/2``.
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    c = _as_counts(counts, s.size)
    nperseg = _segment_samples(segment_duration, dt, s.size)
    kw = dict(fs=1 / dt, window="hann", nperseg=nperseg, noverlap=0, detrend="constant")
    channels = c.shape[1]
    m = np.empty((nperseg // 2 + 1, channels, channels), dtype=complex)
    rhs = np.empty((nperseg // 2 + 1, channels), dtype=complex)
    for d in range(channels):
        _, rhs[:, d] = scipy.signal.csd(c[:, d], s, **kw)
        for k in range(channels):
            _, m[:, d, k] = scipy.signal.csd(c[:, d], c[:, k], **kw)
    if np.any(np.abs(np.linalg.det(m)) == 0):
        raise ValueError("the spike-train cross-spectral matrix is singular (a silent or duplicated channel?)")
    transfer = np.linalg.solve(m, rhs[..., None])[..., 0]            # (freqs, channels)
    kernel = np.fft.fftshift(np.fft.irfft(transfer, n=nperseg, axis=0), axes=0)
    lags = (np.arange(nperseg) - nperseg // 2) * dt
    return LinearDecoder(lags=lags, kernel=kernel, dt=dt, count_mean=c.mean(axis=0), stimulus_mean=float(s.mean()))


def _lagged_columns(x: np.ndarray, lag_steps: np.ndarray, rows: slice) -> np.ndarray:
    """Design matrix block: column j holds x[t - lag_steps[j]] for t in rows (zero outside the data)."""
    n = x.shape[0]
    lo, hi = int(lag_steps.min()), int(lag_steps.max())
    start, stop = rows.start - hi, rows.stop - lo          # x indices needed, [start, stop)
    segment = np.zeros(stop - start)
    a, b = max(start, 0), min(stop, n)
    if b > a:
        segment[a - start:b - start] = x[a:b]
    windows = np.lib.stride_tricks.sliding_window_view(segment, hi - lo + 1)
    # windows[i, m] = x[rows.start + i - hi + m], so lag l sits at m = hi - l
    return windows[:, hi - lag_steps]


def _normal_equations(features, target: np.ndarray, n_features: int, chunk: int = 50_000):
    """Accumulate X^T X and X^T y over row chunks; ``features(rows)`` returns the block of X."""
    gram = np.zeros((n_features, n_features))
    proj = np.zeros(n_features)
    for start in range(0, target.size, chunk):
        rows = slice(start, min(start + chunk, target.size))
        block = features(rows)
        gram += block.T @ block
        proj += block.T @ target[rows]
    return gram, proj


def _solve(gram: np.ndarray, proj: np.ndarray) -> np.ndarray:
    return scipy.linalg.lstsq(gram, proj, lapack_driver="gelsy")[0]


def _causal_lag_steps(delay: float, memory: float, dt: float) -> np.ndarray:
    if not (np.isfinite(delay) and delay >= 0):
        raise ValueError(f"delay must be >= 0 s, got {delay}")
    if not (np.isfinite(memory) and memory >= 0):
        raise ValueError(f"memory must be >= 0 s, got {memory}")
    return np.arange(-int(round(delay / dt)), int(round(memory / dt)) + 1)


def causal_decoder(stimulus, counts, dt: float, delay: float, memory: float = 0.05) -> LinearDecoder:
    """Causal filter with an explicit delay, fitted by least squares.

    The estimate of ``s(t)`` may use spikes from ``t - memory`` to ``t + delay``,
    i.e. it is available ``delay`` s after the instant it estimates (kernel lags
    ``-delay <= tau <= memory``). Fitted by minimising ``sum_t (s(t) - s_est(t))^2``
    (normal equations accumulated over the data, solved with scipy.linalg.lstsq).
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    c = _as_counts(counts, s.size)
    steps = _causal_lag_steps(delay, memory, dt)
    mean = c.mean(axis=0)
    x = c - mean
    ch = c.shape[1]

    def features(rows):
        return np.concatenate([_lagged_columns(x[:, k], steps, rows) for k in range(ch)], axis=1)

    gram, proj = _normal_equations(features, s - s.mean(), steps.size * ch)
    kernel = _solve(gram, proj).reshape(ch, steps.size).T
    return LinearDecoder(lags=steps * dt, kernel=kernel, dt=dt, count_mean=mean,
                         stimulus_mean=float(s.mean()), delay=float(delay))


def _quality(stimulus, estimate, dt, smoothing_half_width):
    a = gaussian_smooth(stimulus, dt, smoothing_half_width)
    b = gaussian_smooth(estimate, dt, smoothing_half_width)
    return float(np.corrcoef(a, b)[0, 1])


def reconstruction_quality(stimulus, estimate, dt: float, smoothing_half_width: float = 0.005) -> float:
    """Correlation coefficient of the smoothed stimulus with the smoothed estimate
    (Gaussian of half-width ``smoothing_half_width`` s), the paper's measure of quality."""
    s = _as_stimulus(stimulus)
    e = _as_stimulus(estimate)
    if e.size != s.size:
        raise ValueError(f"estimate has {e.size} samples, stimulus {s.size}")
    return _quality(s, e, _check_dt(dt), smoothing_half_width)


def delay_sweep(stimulus, counts, dt: float, delays, *, memory: float = 0.05, test_fraction: float = 0.2,
                smoothing_half_width: float = 0.005) -> np.ndarray:
    """Held-out reconstruction quality of the causal decoder for each delay (s).

    Fits on the first ``1 - test_fraction`` of the data, evaluates
    :func:`reconstruction_quality` on the rest. One pass over the data builds
    the normal equations for the longest delay; shorter delays use sub-blocks.
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    c = _as_counts(counts, s.size)
    delays = np.asarray(delays, dtype=float)
    if delays.ndim != 1 or delays.size == 0 or np.any(~np.isfinite(delays)) or np.any(delays < 0):
        raise ValueError("delays must be a non-empty 1-D array of delays >= 0 s")
    train, test = holdout_split(s.size, test_fraction)
    steps = _causal_lag_steps(delays.max(), memory, dt)
    mean = c[train].mean(axis=0)
    x = c[train] - mean
    ch = c.shape[1]

    def features(rows):
        return np.concatenate([_lagged_columns(x[:, k], steps, rows) for k in range(ch)], axis=1)

    s_train = s[train]
    gram, proj = _normal_equations(features, s_train - s_train.mean(), steps.size * ch)
    quality = np.empty(delays.size)
    for i, delay in enumerate(delays):
        keep_lags = steps >= -int(round(delay / dt))
        keep = np.tile(keep_lags, ch)
        kernel = _solve(gram[np.ix_(keep, keep)], proj[keep]).reshape(ch, keep_lags.sum()).T
        decoder = LinearDecoder(lags=steps[keep_lags] * dt, kernel=kernel, dt=dt, count_mean=mean,
                                stimulus_mean=float(s_train.mean()), delay=float(delay))
        quality[i] = _quality(s[test], decoder.reconstruct(c[test]), dt, smoothing_half_width)
    return quality


def second_order_improvement(stimulus, counts, dt: float, *, delay: float = 0.05, memory: float = 0.02,
                             window: float = 0.01, test_fraction: float = 0.2,
                             smoothing_half_width: float = 0.005) -> tuple[float, float]:
    """Held-out fraction of variance explained by first-order and by first- plus second-order decoders.

    The second-order term ``sum_{i,j} F2(t - t_i, t - t_j)`` is represented on
    coarse lag windows of width ``window`` s over ``-delay <= tau <= memory``:
    features are the products ``n_a(t) n_b(t)`` (``a <= b``, all channels) of
    the spike counts in each window. Both decoders are fitted jointly by least
    squares on the training part. Returns ``(r2_first, r2_second)`` of the
    smoothed stimulus against the smoothed estimate on the held-out part.
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    c = _as_counts(counts, s.size)
    if not (window >= dt):
        raise ValueError(f"window must be >= dt ({dt} s), got {window}")
    steps = _causal_lag_steps(delay, memory, dt)
    width = int(round(window / dt))
    ch = c.shape[1]
    mean = c.mean(axis=0)
    x = c - mean
    n_windows = int(np.ceil(steps.size / width))
    # window counts n_a(t) = sum of counts at the lags of window a
    window_counts = np.empty((s.size, ch * n_windows))
    for k in range(ch):
        cumulative = np.concatenate([[0.0], np.cumsum(c[:, k])])
        for a in range(n_windows):
            lag_lo, lag_hi = steps[a * width], steps[min((a + 1) * width, steps.size) - 1]
            t = np.arange(s.size)
            lo = np.clip(t - lag_hi, 0, s.size)
            hi = np.clip(t - lag_lo + 1, 0, s.size)
            window_counts[:, k * n_windows + a] = cumulative[hi] - cumulative[lo]
    pairs = np.array([(i, j) for i in range(window_counts.shape[1]) for j in range(i, window_counts.shape[1])])
    train, test = holdout_split(s.size, test_fraction)
    n1 = steps.size * ch

    def design(xc, wc, rows):
        first = np.concatenate([_lagged_columns(xc[:, k], steps, rows) for k in range(ch)], axis=1)
        w = wc[rows]
        return first, w[:, pairs[:, 0]] * w[:, pairs[:, 1]]

    x_train, w_train = x[train], window_counts[train]
    prod_mean = (w_train[:, pairs[:, 0]] * w_train[:, pairs[:, 1]]).mean(axis=0)

    def features(rows):
        first, second = design(x_train, w_train, rows)
        return np.concatenate([first, second - prod_mean], axis=1)

    s_train = s[train]
    target = s_train - s_train.mean()
    gram, proj = _normal_equations(features, target, n1 + pairs.shape[0])
    coef_first = _solve(gram[:n1, :n1], proj[:n1])
    coef_both = _solve(gram, proj)
    x_test, w_test = x[test], window_counts[test]
    rows = slice(0, x_test.shape[0])
    first, second = design(x_test, w_test, rows)
    est1 = first @ coef_first
    est2 = first @ coef_both[:n1] + (second - prod_mean) @ coef_both[n1:]
    ref = gaussian_smooth(s[test] - s_train.mean(), dt, smoothing_half_width)

    def r2(est):
        e = gaussian_smooth(est, dt, smoothing_half_width)
        return float(1 - np.var(ref - e) / np.var(ref))

    return r2(est1), r2(est2)


# --------------------------------------------------------------------------- spectra and information
@dataclass
class ReconstructionSpectra:
    """Spectral description of a reconstruction (one-sided densities, per Hz).

    Attributes
    ----------
    frequencies : (m,) Hz (the 0 Hz bin is excluded)
    stimulus_psd : stimulus power spectral density S(f), stimulus units^2/Hz
    gain : |g(f)|, the gain that best maps the estimate onto the stimulus
    coherence : bias-corrected coherence C(f) between stimulus and estimate; where there
        is no coherence it scatters around 0 and may be slightly negative (down to
        -1/(K-1)); these values are kept so that the information integral is unbiased
    noise_psd : N(f) = S(f) (1 - C(f)), spectral density of n = s - g s_est
    snr : C / (1 - C) (slightly negative where C is)
    segments : number of independent segments averaged
    """
    frequencies: np.ndarray
    stimulus_psd: np.ndarray
    gain: np.ndarray
    coherence: np.ndarray
    noise_psd: np.ndarray
    snr: np.ndarray
    segments: int
    raw_coherence: np.ndarray = field(repr=False, default=None)

    def information_rate(self, max_frequency: float | None = None) -> float:
        """Gaussian lower bound ``integral df log2(1 + SNR(f))`` in bits/s, up to ``max_frequency`` Hz."""
        return information_rate(self.frequencies, self.snr, max_frequency)


def _debias_coherence(raw: np.ndarray, segments: int) -> np.ndarray:
    # For K independent segments and no true coherence, E[C_raw] = 1/K; (K C - 1)/(K - 1)
    # removes that bias. It is not clipped at 0: log2(1 + SNR) = -log2(1 - C) is nearly
    # linear in small C, so keeping the negative scatter makes the summed information
    # unbiased when there is none (clipping would add ~0.5/K bits per frequency bin).
    return (segments * raw - 1.0) / (segments - 1.0)


def reconstruction_spectra(stimulus, estimate, dt: float, segment_duration: float = 0.512) -> ReconstructionSpectra:
    """Gain, noise spectral density and SNR of ``estimate`` against ``stimulus``.

    ``g(f) = <s s_est*>/<|s_est|^2>`` (scipy.signal.csd over welch), and the
    noise ``n = s - g s_est`` has density ``S (1 - C)`` with ``C`` the
    coherence (scipy.signal.coherence), after removing its ``1/K`` bias over
    ``K`` non-overlapping segments. Use held-out data (estimate from a filter
    fitted elsewhere).
    """
    dt, s, e, nperseg, segments = _paired_segments(stimulus, estimate, dt, segment_duration, 2)
    kw = dict(fs=1 / dt, window="hann", nperseg=nperseg, noverlap=0, detrend="constant")
    f, p_ss = scipy.signal.welch(s, **kw)
    _, p_ee = scipy.signal.welch(e, **kw)
    _, p_es = scipy.signal.csd(e, s, **kw)
    _, raw = scipy.signal.coherence(s, e, **kw)
    keep = f > 0
    if np.any(p_ee[keep] <= 0):
        raise ValueError("the estimate has no power at some frequency (a constant estimate?)")
    coherence = _debias_coherence(raw[keep], segments)
    return ReconstructionSpectra(frequencies=f[keep], stimulus_psd=p_ss[keep], gain=np.abs(p_es[keep] / p_ee[keep]),
                                 coherence=coherence, noise_psd=p_ss[keep] * (1 - coherence),
                                 snr=coherence / (1 - coherence), segments=segments, raw_coherence=raw[keep])


def information_rate(frequencies, snr, max_frequency: float | None = None) -> float:
    """``integral_0^max_frequency df log2(1 + SNR(f))`` in bits/s (rectangle rule on an even grid).

    The Gaussian lower bound on the information rate. With bias-corrected SNR
    the estimate scatters around 0 (and may be slightly negative) when the
    spikes carry no information about the stimulus.
    """
    f = np.asarray(frequencies, dtype=float)
    q = np.asarray(snr, dtype=float)
    if f.shape != q.shape or f.ndim != 1 or f.size < 2:
        raise ValueError("frequencies and snr must be 1-D arrays of the same length (>= 2)")
    if np.any(q <= -1) or not np.all(np.isfinite(q)):
        raise ValueError("snr must be finite and > -1 (bias-corrected estimates may be slightly negative)")
    df = f[1] - f[0]
    keep = f <= max_frequency if max_frequency is not None else np.ones(f.size, bool)
    return float(np.sum(np.log2(1 + q[keep])) * df)


def input_noise_limit(stimulus, noisy_input, dt: float, segment_duration: float = 0.512) -> tuple[np.ndarray, np.ndarray]:
    """Lowest reconstruction noise density reachable from a noisy copy of the stimulus.

    Any decoder of spikes driven by ``noisy_input = s + eta`` is at best a
    decoder of ``noisy_input`` itself, whose best linear estimate of ``s`` has
    noise density ``S(f) (1 - C_{s,x}(f))``. Returns ``(frequencies, noise_psd)``.
    """
    spectra = reconstruction_spectra(stimulus, noisy_input, dt, segment_duration)
    return spectra.frequencies, spectra.noise_psd


def jitter_sweep(stimulus, spike_times: list, dt: float, jitters, *, seed=None, test_fraction: float = 0.2,
                 segment_duration: float = 0.512, smoothing_half_width: float = 0.005) -> dict:
    """Reconstruction after adding Gaussian timing errors to every spike.

    For each jitter (s, rms) the spike times of every cell are jittered, binned
    on the stimulus grid, a non-causal decoder is fitted on the training part
    (a reader adapted to the jittered spikes) and evaluated on the held-out part.
    Returns arrays ``quality`` (smoothed correlation) and ``information``
    (bits/s lower bound), one value per jitter.
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    duration = s.size * dt
    rng = validation.rng(seed)
    train, test = holdout_split(s.size, test_fraction)
    quality, info = [], []
    for jitter in np.asarray(jitters, dtype=float):
        jittered = jitter_spikes(spike_times, jitter, rng, bounds=(0.0, duration))
        counts = np.stack([bin_spikes(t, s.size, dt) for t in jittered], axis=1)
        decoder = noncausal_decoder(s[train], counts[train], dt, segment_duration)
        est = decoder.reconstruct(counts[test])
        quality.append(_quality(s[test], est, dt, smoothing_half_width))
        info.append(reconstruction_spectra(s[test], est, dt, segment_duration).information_rate())
    return {"quality": np.array(quality), "information": np.array(info)}


# --------------------------------------------------------------------------- uncertainty of the information rate
@dataclass
class InformationJackknife:
    """Information-rate lower bound with its jackknife standard error over segments.

    Attributes
    ----------
    rate : bits/s, the bound from all ``segments`` (equals
        ``reconstruction_spectra(...).information_rate()``)
    standard_error : bits/s, jackknife standard error (leave one segment out)
    leave_one_out : (segments,) bits/s, the bound without each segment in turn
    segments : number of independent segments
    """
    rate: float
    standard_error: float
    leave_one_out: np.ndarray
    segments: int


def _segment_spectra(x: np.ndarray, nperseg: int, segments: int) -> np.ndarray:
    # per-segment FFT of the de-meaned, Hann-windowed segments (the segments scipy.signal.welch uses
    # with noverlap=0); 0 Hz dropped
    blocks = x[:segments * nperseg].reshape(segments, nperseg)
    blocks = (blocks - blocks.mean(axis=1, keepdims=True)) * scipy.signal.get_window("hann", nperseg)
    return np.fft.rfft(blocks, axis=1)[:, 1:]


def information_jackknife(stimulus, estimate, dt: float, segment_duration: float = 0.512) -> InformationJackknife:
    """Gaussian lower bound on the information rate with a jackknife error over segments.

    The bound ``integral df log2(1 + SNR)`` with ``SNR = C / (1 - C)`` and the
    bias-corrected coherence ``C`` (as in :func:`reconstruction_spectra`) is
    recomputed with each of the ``K`` non-overlapping segments left out in turn;
    the jackknife standard error is ``sqrt((K-1)/K sum_i (R_(i) - mean R_(.))^2)``.

    Parameters
    ----------
    stimulus, estimate : (n,) arrays
        Held-out stimulus and its reconstruction on a grid of step ``dt`` (stimulus units).
    dt : float
        Grid step (s).
    segment_duration : float
        Segment length (s); at least 3 segments are needed.

    Returns
    -------
    InformationJackknife
        ``rate`` and ``standard_error`` in bits/s, the leave-one-out rates and ``segments``.

    Raises
    ------
    ValueError
        If the arrays differ in length, are not finite, or hold fewer than 3 segments.
    """
    dt, s, e, nperseg, segments = _paired_segments(stimulus, estimate, dt, segment_duration, 3)
    fs, fe = _segment_spectra(s, nperseg, segments), _segment_spectra(e, nperseg, segments)
    pss, pee, pes = np.abs(fs) ** 2, np.abs(fe) ** 2, np.conj(fe) * fs
    df = 1.0 / (nperseg * dt)

    def bound(keep):
        k = int(keep.sum())
        raw = np.abs(pes[keep].sum(axis=0)) ** 2 / (pss[keep].sum(axis=0) * pee[keep].sum(axis=0))
        return float(-np.sum(np.log2(1 - _debias_coherence(raw, k))) * df)

    full = bound(np.ones(segments, bool))
    loo = np.array([bound(np.arange(segments) != i) for i in range(segments)])
    error = float(np.sqrt((segments - 1) / segments * np.sum((loo - loo.mean()) ** 2)))
    return InformationJackknife(rate=full, standard_error=error, leave_one_out=loo, segments=segments)


def crossvalidated_information(stimulus, counts, dt: float, *, segment_duration: float = 0.512,
                               n_folds: int = 5) -> dict:
    """Information-rate bound and bits per spike on each of ``n_folds`` held-out blocks.

    The recording is cut into ``n_folds`` consecutive blocks; each block in turn is held
    out, the non-causal decoder is fitted on the others (joined end to end: one
    segment straddles the join) and the bound is computed on the held-out block with
    its jackknife error (:func:`information_jackknife`). Bits per spike divide by the
    held-out block's own spike rate (all channels together).

    Parameters
    ----------
    stimulus : (n,) array
        Stimulus on a grid of step ``dt`` (stimulus units).
    counts : (n,) or (n, channels) array
        Spikes per bin.
    dt : float
        Grid step (s).
    segment_duration : float
        Segment length (s) of the decoder and of the spectra.
    n_folds : int
        Number of blocks (>= 2).

    Returns
    -------
    dict
        Arrays over folds: ``information`` (bits/s), ``standard_error`` (bits/s),
        ``rate`` (spikes/s in the held-out block), ``bits_per_spike``.

    Raises
    ------
    ValueError
        If ``n_folds`` is not an integer >= 2, or the blocks are too short for 3 segments.
    """
    dt = _check_dt(dt)
    s = _as_stimulus(stimulus)
    c = _as_counts(counts, s.size)
    if int(n_folds) != n_folds or n_folds < 2:
        raise ValueError(f"n_folds must be an integer >= 2, got {n_folds}")
    edges = np.linspace(0, s.size, int(n_folds) + 1).astype(int)
    out = {"information": [], "standard_error": [], "rate": [], "bits_per_spike": []}
    for lo, hi in zip(edges[:-1], edges[1:]):
        train = np.r_[0:lo, hi:s.size]
        decoder = noncausal_decoder(s[train], c[train], dt, segment_duration)
        jack = information_jackknife(s[lo:hi], decoder.reconstruct(c[lo:hi]), dt, segment_duration)
        rate = c[lo:hi].sum() / ((hi - lo) * dt)
        out["information"].append(jack.rate)
        out["standard_error"].append(jack.standard_error)
        out["rate"].append(rate)
        out["bits_per_spike"].append(jack.rate / rate if rate > 0 else np.nan)
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
