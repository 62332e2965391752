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
- :func:`crossvalidated_information` and :func:`jitter_sweep` fit decoders on
  part of the data and measure the information of the rest with
  :mod:`pcn_core.coherence` (spectra, SNR and the information bound).

Spike trains are binned with :mod:`pcn_core.binning`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.signal

from . import validation
from .binning import bin_spikes, gaussian_smooth, holdout_split
from .coherence import information_jackknife, reconstruction_spectra, segment_samples
from .spikestats import jitter_spikes


@dataclass
class LinearDecoder:
    """A first-order linear decoder of a stimulus from binned spike trains.

    ``s_est(t) = stimulus_mean + sum_c sum_k kernel[k, c] (counts[t - lag_k, c] - count_mean[c])``:
    the first-order term ``sum_i F1(t - t_i)`` of [1]_, Eq. (1), on a grid, with the
    mean count removed so the estimate's mean is the training stimulus mean.

    Attributes
    ----------
    lags : (n_lags,) float array
        Lag ``tau = t - t_spike`` of each kernel sample, s (multiples of ``dt``);
        negative lags use spikes after the estimated instant.
    kernel : (n_lags, channels) float array
        ``F1`` in stimulus units per spike.
    dt : float
        Grid step, s.
    count_mean : (channels,) float array
        Mean spikes per bin in the training data.
    stimulus_mean : float
        Mean stimulus in the training data (stimulus units).
    delay : float
        The decoder uses spikes at most ``delay`` s after the estimated instant
        (``inf`` for the non-causal filter).

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    A decoder that adds 1 at the spike's bin and 0.5 one bin later:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import LinearDecoder
    >>> decoder = LinearDecoder(lags=np.array([0.0, 0.001]), kernel=np.array([[1.0], [0.5]]),
    ...                         dt=0.001, count_mean=np.array([0.0]), stimulus_mean=0.0)
    >>> decoder.lag_steps
    array([0, 1])
    >>> decoder.reconstruct(np.array([0, 1, 0, 0, 2, 0]))
    array([0. , 1. , 0.5, 0. , 2. , 1. ])
    """
    lags: np.ndarray
    kernel: np.ndarray
    dt: float
    count_mean: np.ndarray
    stimulus_mean: float
    delay: float = np.inf

    @property
    def lag_steps(self) -> np.ndarray:
        """Lags in grid steps, ``round(lags / dt)`` (int64 array)."""
        return np.round(self.lags / self.dt).astype(np.int64)

    def reconstruct(self, counts) -> np.ndarray:
        """Stimulus estimate on the grid of ``counts``.

        Parameters
        ----------
        counts : (n,) or (n, channels) array_like
            Spikes per bin on a grid of step ``dt``, finite and >= 0, n >= 2, with the
            decoder's number of channels.

        Returns
        -------
        (n,) float array
            The estimate in stimulus units (spikes outside the data count as ``count_mean``).

        Raises
        ------
        ValueError
            If ``counts`` is not finite and >= 0, has fewer than 2 bins, or has a
            different number of channels than the kernel.
        """
        c = validation.spike_counts(counts)
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
    """Optimal non-causal linear filter from cross-spectra over segments ([1]_, Eq. (2)).

    ``F(f) = M(f)^-1 b(f)`` with ``M[d, c] = <rho_d* rho_c>`` and ``b[d] = <rho_d* s>``
    (``F = <s rho*> / <|rho|^2>`` for one cell), estimated with scipy.signal.csd on
    non-overlapping Hann-windowed segments of ``segment_duration`` s. The kernel
    is the inverse FFT, on lags ``-segment_duration/2 .. +segment_duration/2``.

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite, n >= 2.
    counts : (n,) or (n, channels) array_like
        Spikes per bin on the same grid, finite and >= 0 (several channels: several
        cells, e.g. the "two eyes").
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float, optional
        Segment length in s (default 0.512), at least 8 samples and at most the data.

    Returns
    -------
    LinearDecoder
        Kernel on lags ``(k - nperseg//2) * dt``, ``delay = inf``.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the stimulus is not a finite 1-D array, ``counts`` is not
        finite and >= 0 or has a different number of bins,
        the segment length is out of range, or the spike cross-spectral matrix is
        singular at some frequency (a silent or duplicated channel).
    TypeError
        If ``dt`` is not a real number.

    See Also
    --------
    causal_decoder : a filter with a finite delay.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 4, method 1.

    Examples
    --------
    White Poisson spike counts in 1 ms bins and a stimulus built from them with a
    known kernel ``F1`` = 1, 0.5, 0.2 (stimulus units per spike) at lags 0, 1, 2 ms:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import noncausal_decoder
    >>> rng = np.random.default_rng(0)
    >>> counts = rng.poisson(0.2, 20_000)
    >>> stimulus = np.convolve(counts, [1.0, 0.5, 0.2])[:counts.size]

    The non-causal filter recovers the kernel (and nothing at lag -1 ms):

    >>> decoder = noncausal_decoder(stimulus, counts, 0.001)
    >>> zero = decoder.lag_steps.tolist().index(0)
    >>> np.round(decoder.kernel[zero - 1:zero + 4, 0], 2)
    array([-0. ,  1. ,  0.5,  0.2, -0. ])
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    c = validation.spike_counts(counts, s.size)
    nperseg = segment_samples(segment_duration, dt, s.size)
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
    """Causal filter with an explicit delay, fitted by least squares ([1]_, Sec. 4, method 2).

    The estimate of ``s(t)`` may use spikes from ``t - memory`` to ``t + delay``,
    i.e. it is available ``delay`` s after the instant it estimates (kernel lags
    ``-delay <= tau <= memory``). Fitted by minimising ``sum_t (s(t) - s_est(t))^2``
    (normal equations accumulated over the data, solved with scipy.linalg.lstsq).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite, n >= 2.
    counts : (n,) or (n, channels) array_like
        Spikes per bin on the same grid, finite and >= 0 (several channels: several
        cells, e.g. the "two eyes").
    dt : float
        Grid step in s, finite and > 0.
    delay : float
        Longest wait for spikes after the estimated instant, s, finite and >= 0.
    memory : float, optional
        Longest lag into the past, s, finite and >= 0 (default 0.05).

    Returns
    -------
    LinearDecoder
        Kernel on lags ``-delay .. memory`` in steps of ``dt``.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the stimulus is not a finite 1-D array, ``counts`` is not
        finite and >= 0 or has a different number of bins,
        or ``delay`` or ``memory`` is negative or not finite.
    TypeError
        If ``dt`` is not a real number.

    See Also
    --------
    noncausal_decoder : the optimal filter without a delay constraint.
    delay_sweep : quality against delay.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    White Poisson spike counts in 1 ms bins and a stimulus built from them with a
    known kernel ``F1`` = 1, 0.5, 0.2 (stimulus units per spike) at lags 0, 1, 2 ms:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import causal_decoder
    >>> rng = np.random.default_rng(0)
    >>> counts = rng.poisson(0.2, 20_000)
    >>> stimulus = np.convolve(counts, [1.0, 0.5, 0.2])[:counts.size]

    >>> decoder = causal_decoder(stimulus, counts, 0.001, delay=0.0, memory=0.004)
    >>> decoder.lags
    array([0.   , 0.001, 0.002, 0.003, 0.004])
    >>> np.round(decoder.kernel[:, 0], 2)
    array([ 1. ,  0.5,  0.2, -0. , -0. ])
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    c = validation.spike_counts(counts, s.size)
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
    """Correlation coefficient of the smoothed stimulus with the smoothed estimate.

    Both are smoothed by a Gaussian of half-width at half-maximum
    ``smoothing_half_width`` (:func:`pcn_core.binning.gaussian_smooth`), as the
    paper smooths both with a 5 ms half-width Gaussian ([1]_, Fig. 1) and measures
    the quality of a reconstruction by their cross-correlation ([1]_, Sec. 4).

    Parameters
    ----------
    stimulus, estimate : (n,) array_like of float
        Stimulus and estimate on a grid of step ``dt`` (stimulus units), finite, same length.
    dt : float
        Grid step in s, finite and > 0.
    smoothing_half_width : float, optional
        Half-width at half-maximum of the smoothing Gaussian, s, >= 0 (default 0.005).

    Returns
    -------
    float
        Correlation coefficient in [-1, 1] (dimensionless; NaN if a smoothed signal is constant).

    Raises
    ------
    ValueError
        If the signals are not finite 1-D arrays of equal length, ``dt`` is not
        positive and finite, or ``smoothing_half_width`` is negative.
    TypeError
        If ``dt`` is not a real number.

    Notes
    -----
    The correlation ignores the estimate's scale: an estimate from a nearly zero
    kernel can still correlate with the stimulus once both are smoothed.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    The measure ignores offsets and gains:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import reconstruction_quality
    >>> stimulus = np.random.default_rng(0).standard_normal(1000)
    >>> round(reconstruction_quality(stimulus, 2 * stimulus + 1, 0.001), 3)
    1.0
    """
    s = validation.samples(stimulus, "stimulus")
    e = validation.samples(estimate, "estimate")
    if e.size != s.size:
        raise ValueError(f"estimate has {e.size} samples, stimulus {s.size}")
    return _quality(s, e, validation.real(dt, "dt", low=0, low_open=True, unit="s"), smoothing_half_width)


def delay_sweep(stimulus, counts, dt: float, delays, *, memory: float = 0.05, test_fraction: float = 0.2,
                smoothing_half_width: float = 0.005) -> np.ndarray:
    """Held-out reconstruction quality of the causal decoder for each delay.

    Fits :func:`causal_decoder` on the first ``1 - test_fraction`` of the data and
    evaluates :func:`reconstruction_quality` on the rest. One pass over the data
    builds the normal equations for the longest delay; shorter delays use
    sub-blocks. In the fly, quality grows with the delay and saturates beyond
    about 40 ms ([1]_, Sec. 4).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite, n >= 2.
    counts : (n,) or (n, channels) array_like
        Spikes per bin on the same grid, finite and >= 0 (several channels: several
        cells, e.g. the "two eyes").
    dt : float
        Grid step in s, finite and > 0.
    delays : (n_delays,) array_like of float
        Delays in s, finite and >= 0, at least one.
    memory : float, optional
        Longest lag into the past, s (default 0.05).
    test_fraction : float, optional
        Fraction of the data held out at the end, in (0, 1) (default 0.2).
    smoothing_half_width : float, optional
        Smoothing of the quality measure, s (default 0.005).

    Returns
    -------
    (n_delays,) float array
        Held-out correlation coefficient for each delay.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the stimulus is not a finite 1-D array, ``counts`` is not
        finite and >= 0 or has a different number of bins,
        ``delays`` is empty or holds negative or non-finite values, ``memory`` is
        negative, or ``test_fraction`` leaves a part shorter than 2 samples.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    A stimulus told by the spike 5 ms later cannot be decoded with less than 5 ms of delay:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import delay_sweep
    >>> counts = np.random.default_rng(0).poisson(0.2, 20_000)
    >>> stimulus = np.roll(counts, -5).astype(float)
    >>> quality = delay_sweep(stimulus, counts, 0.001, [0.0, 0.002, 0.005, 0.01], memory=0.002,
    ...                       smoothing_half_width=0.0)
    >>> np.round(quality, 1)
    array([0., 0., 1., 1.])
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    c = validation.spike_counts(counts, s.size)
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

    The second-order term ``sum_(i,j) F2(t - t_i, t - t_j)`` of [1]_, Eq. (1) is
    represented on coarse lag windows of width ``window`` over
    ``-delay <= tau <= memory``: features are the products ``n_a(t) n_b(t)``
    (``a <= b``, all channels) of the spike counts in each window. Both decoders
    are fitted jointly by least squares on the training part (the first
    ``1 - test_fraction`` of the data).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite, n >= 2.
    counts : (n,) or (n, channels) array_like
        Spikes per bin on the same grid, finite and >= 0 (several channels: several
        cells, e.g. the "two eyes").
    dt : float
        Grid step in s, finite and > 0.
    delay : float, optional
        Longest wait for spikes after the estimated instant, s, >= 0 (default 0.05).
    memory : float, optional
        Longest lag into the past, s, >= 0 (default 0.02).
    window : float, optional
        Width of the second-order lag windows, s, >= ``dt`` (default 0.01).
    test_fraction : float, optional
        Fraction of the data held out at the end, in (0, 1) (default 0.2).
    smoothing_half_width : float, optional
        Gaussian smoothing (half-width at half-maximum, s) of stimulus and estimates
        before the comparison (default 0.005).

    Returns
    -------
    r2_first : float
        ``1 - var(s - s_est) / var(s)`` of the first-order decoder on the held-out part.
    r2_second : float
        The same with the second-order term.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the stimulus is not a finite 1-D array, ``counts`` is not
        finite and >= 0 or has a different number of bins,
        ``window < dt``, ``delay`` or ``memory`` is negative, or ``test_fraction``
        leaves a part shorter than 2 samples.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Eq. (1) and Sec. 4 (the second-order term is negligible in H1).

    Examples
    --------
    A stimulus that is the squared deviation of the spike count in the last 10 ms
    from its mean: invisible to a linear decoder, exact for the second-order one:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import second_order_improvement
    >>> counts = np.random.default_rng(0).poisson(0.3, 5000)
    >>> in_window = np.convolve(counts, np.ones(10))[:counts.size]
    >>> stimulus = (in_window - 3.0) ** 2
    >>> r2_first, r2_second = second_order_improvement(stimulus, counts, 0.001, delay=0.0,
    ...                                                memory=0.009, window=0.01)
    >>> r2_first < 0.2, round(r2_second, 2)
    (True, 0.98)
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    c = validation.spike_counts(counts, s.size)
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


def jitter_sweep(stimulus, spike_times: list, dt: float, jitters, *, seed=None, test_fraction: float = 0.2,
                 segment_duration: float = 0.512, smoothing_half_width: float = 0.005) -> dict:
    """Reconstruction after adding Gaussian timing errors to every spike.

    For each jitter (rms, s) the spike times of every cell are jittered
    (:func:`pcn_core.spikestats.jitter_spikes`, reflected at the ends of the
    recording), binned on the stimulus grid, a non-causal decoder is fitted on the
    training part (a reader adapted to the jittered spikes) and evaluated on the
    held-out part. The fly's code degrades only slightly with timing errors of a
    few ms ([1]_, Sec. 5).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite.
    spike_times : list of (n_i,) float arrays
        Spike times in s of each cell, sorted, in ``[0, n*dt)``.
    dt : float
        Grid step in s, finite and > 0.
    jitters : sequence of float
        Standard deviations of the timing errors in s, >= 0.
    seed : int, None or np.random.Generator, optional
        Source of the timing errors.
    test_fraction : float, optional
        Fraction of the data held out at the end, in (0, 1) (default 0.2).
    segment_duration : float, optional
        Segment length of the decoder and spectra, s (default 0.512); the held-out
        part needs at least 2 segments.
    smoothing_half_width : float, optional
        Smoothing of the quality measure, s (default 0.005).

    Returns
    -------
    dict
        ``quality`` (correlation coefficient, see :func:`reconstruction_quality`) and
        ``information`` (bits/s, Gaussian lower bound), arrays with one value per jitter.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the stimulus is not a finite 1-D array,
        a jitter is negative or so large that reflection cannot keep spikes inside,
        a spike lies outside the recording, or the held-out part is too short for
        2 segments.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    White Poisson spike counts in 1 ms bins and a stimulus built from them with a
    known kernel ``F1`` = 1, 0.5, 0.2 (stimulus units per spike) at lags 0, 1, 2 ms:

    >>> rng = np.random.default_rng(0)
    >>> counts = rng.poisson(0.2, 20_000)
    >>> stimulus = np.convolve(counts, [1.0, 0.5, 0.2])[:counts.size]

    Jittering the spikes by 20 ms destroys most of what they tell about this fast stimulus:

    >>> from pcn_core.binning import spike_times_from_counts
    >>> spike_times = [spike_times_from_counts(counts, 0.001)]
    >>> result = jitter_sweep(stimulus, spike_times, 0.001, [0.0, 0.02], seed=0)
    >>> np.round(result["quality"], 2)
    array([1.  , 0.45])
    >>> bool(result["information"][0] > result["information"][1])
    True
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
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


def crossvalidated_information(stimulus, counts, dt: float, *, segment_duration: float = 0.512,
                               n_folds: int = 5) -> dict:
    """Information-rate bound and bits per spike on each of ``n_folds`` held-out blocks.

    The recording is cut into ``n_folds`` consecutive blocks; each block in turn is held
    out, the non-causal decoder is fitted on the others (joined end to end: one
    segment straddles the join) and the bound is computed on the held-out block with
    its jackknife error (:func:`pcn_core.coherence.information_jackknife`). Bits per
    spike divide by the held-out block's own spike rate (all channels together).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units), finite.
    counts : (n,) or (n, channels) array_like
        Spikes per bin, finite and >= 0.
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float, optional
        Segment length in s of the decoder and of the spectra (default 0.512).
    n_folds : int, optional
        Number of blocks, integer >= 2 (default 5).

    Returns
    -------
    dict
        Arrays over folds: ``information`` (bits/s), ``standard_error`` (bits/s),
        ``rate`` (spikes/s in the held-out block), ``bits_per_spike``.

    Raises
    ------
    ValueError
        If ``n_folds`` is not an integer >= 2, the stimulus is not a finite 1-D array, ``counts`` is not
        finite and >= 0 or has a different number of bins,
        or the blocks are too short for 3 segments.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 5.

    Examples
    --------
    A stimulus equal to white Poisson counts (mean and variance 0.2 per 1 ms bin)
    plus white noise of the same variance: SNR 1 at every frequency, so about
    500 bits/s in each fold, and 2.5 bits per spike at 200 spikes/s:

    >>> import numpy as np
    >>> from pcn_core.reconstruction import crossvalidated_information
    >>> rng = np.random.default_rng(0)
    >>> counts = rng.poisson(0.2, 20_000)
    >>> stimulus = counts + np.sqrt(0.2) * rng.standard_normal(20_000)
    >>> result = crossvalidated_information(stimulus, counts, 0.001)
    >>> np.round(result["information"], -1)
    array([520., 440., 510., 500., 490.])
    >>> np.round(result["standard_error"], -1)
    array([40., 30., 30., 50., 20.])
    >>> np.round(result["bits_per_spike"], 1)
    array([2.5, 2.2, 2.5, 2.6, 2.5])
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    c = validation.spike_counts(counts, s.size)
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
