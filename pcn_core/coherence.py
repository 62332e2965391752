"""Spectral analysis of a stimulus reconstruction and the Gaussian lower bound on
the information rate (Bialek, Rieke, de Ruyter van Steveninck & Warland 1991).

An estimate ``s_est`` of a stimulus ``s`` (both on a grid of step ``dt``, s) is
described by a gain ``g(f) = <s s_est*>/<|s_est|^2>`` and a noise ``n = s - g s_est``
with spectral density ``N(f) = S(f) (1 - C(f))`` (``C`` the coherence between
stimulus and estimate) and ``SNR(f) = C / (1 - C)``; :func:`information_rate`
integrates ``log2(1 + SNR)``, the Gaussian lower bound on the information rate.

Spectra use non-overlapping Hann-windowed segments (scipy.signal.welch/csd/
coherence), so the ``K`` segments are independent and the coherence's bias
``~1/K`` can be removed before the information integral. The decoders that
produce ``s_est`` are in :mod:`pcn_core.reconstruction`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.signal

from . import validation


def segment_samples(segment_duration: float, dt: float, n: int) -> int:
    """Samples per spectral segment of ``segment_duration`` on a grid of step ``dt``.

    Parameters
    ----------
    segment_duration : float
        Segment length in s.
    dt : float
        Grid step in s, > 0.
    n : int
        Number of samples of the data.

    Returns
    -------
    int
        ``round(segment_duration / dt)``, checked to be at least 8 and at most ``n``.

    Raises
    ------
    ValueError
        If a segment would hold fewer than 8 samples or be longer than the data.

    Examples
    --------
    >>> from pcn_core.coherence import segment_samples
    >>> segment_samples(0.512, 0.001, 10_000)
    512
    """
    nperseg = int(round(segment_duration / dt))
    if nperseg < 8:
        raise ValueError(f"segment_duration={segment_duration} s gives {nperseg} samples; need >= 8")
    if nperseg > n:
        raise ValueError(f"segment_duration={segment_duration} s is longer than the data ({n * dt} s)")
    return nperseg


def paired_segments(stimulus, estimate, dt: float, segment_duration: float, min_segments: int):
    """Validate a stimulus and its estimate and cut them into non-overlapping segments.

    Parameters
    ----------
    stimulus, estimate : (n,) array_like of float
        Stimulus and its estimate on a grid of step ``dt`` (stimulus units), finite,
        same length.
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float
        Segment length in s (at least 8 samples).
    min_segments : int
        Fewest whole segments the data must hold.

    Returns
    -------
    dt : float
        The grid step, s.
    stimulus, estimate : (n,) float arrays
        The validated signals.
    nperseg : int
        Samples per segment.
    segments : int
        Number of whole segments, ``n // nperseg``.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, the signals are not finite 1-D arrays
        of equal length (>= 2 samples), a segment is shorter than 8 samples or longer
        than the data, or there are fewer than ``min_segments`` segments.
    TypeError
        If ``dt`` is not a real number.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.coherence import paired_segments
    >>> dt, s, e, nperseg, segments = paired_segments(np.zeros(2048), np.ones(2048), 0.001, 0.512, 2)
    >>> nperseg, segments
    (512, 4)
    """
    dt = validation.real(dt, "dt", low=0, low_open=True, unit="s")
    s = validation.samples(stimulus, "stimulus")
    e = validation.samples(estimate, "estimate")
    if e.size != s.size:
        raise ValueError(f"estimate has {e.size} samples, stimulus {s.size}")
    nperseg = segment_samples(segment_duration, dt, s.size)
    segments = s.size // nperseg
    if segments < min_segments:
        raise ValueError(f"need at least {min_segments} segments, got {segments}; shorten segment_duration")
    return dt, s, e, nperseg, segments



@dataclass
class ReconstructionSpectra:
    """Spectral description of a reconstruction (one-sided densities, per Hz).

    Returned by :func:`reconstruction_spectra`.

    Attributes
    ----------
    frequencies : (m,) float array
        Frequencies in Hz, ``df = 1 / segment_duration`` apart (the 0 Hz bin is excluded).
    stimulus_psd : (m,) float array
        Stimulus power spectral density ``S(f)``, stimulus units**2 / Hz.
    gain : (m,) float array
        ``|g(f)|``, the gain that best maps the estimate onto the stimulus (dimensionless
        when the estimate is in stimulus units).
    coherence : (m,) float array
        Bias-corrected coherence ``C(f)`` between stimulus and estimate. Where there
        is no coherence it scatters around 0 and may be slightly negative (down to
        ``-1/(K-1)``); these values are kept so that the information integral is unbiased.
    noise_psd : (m,) float array
        ``N(f) = S(f) (1 - C(f))``, spectral density of ``n = s - g s_est``,
        stimulus units**2 / Hz.
    snr : (m,) float array
        ``C / (1 - C)`` (dimensionless; slightly negative where ``C`` is).
    segments : int
        Number ``K`` of independent segments averaged.
    raw_coherence : (m,) float array
        Coherence before the bias correction (scipy.signal.coherence).

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 4 and Fig. 2.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.coherence import reconstruction_spectra
    >>> rng = np.random.default_rng(0)
    >>> stimulus = rng.standard_normal(2**14)
    >>> estimate = stimulus + rng.standard_normal(2**14)
    >>> spectra = reconstruction_spectra(stimulus, estimate, 0.001)
    >>> spectra.segments, spectra.frequencies[[0, -1]]
    (32, array([  1.953125, 500.      ]))
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
        """Gaussian lower bound ``integral df log2(1 + SNR(f))`` on the information rate.

        Parameters
        ----------
        max_frequency : float, optional
            Upper limit of the integral in Hz, finite and > 0 (default: all
            frequencies, up to Nyquist).

        Returns
        -------
        float
            Information rate in bits/s.

        Raises
        ------
        ValueError
            If the SNR is not finite or is <= -1, or ``max_frequency`` is not
            finite and > 0.
        TypeError
            If ``max_frequency`` is not None or a real number.
        """
        return information_rate(self.frequencies, self.snr, max_frequency)


def _debias_coherence(raw: np.ndarray, segments: int) -> np.ndarray:
    # For K independent segments and no true coherence, E[C_raw] = 1/K; (K C - 1)/(K - 1)
    # removes that bias. It is not clipped at 0: log2(1 + SNR) = -log2(1 - C) is nearly
    # linear in small C, so keeping the negative scatter makes the summed information
    # unbiased when there is none (clipping would add ~0.5/K bits per frequency bin).
    return (segments * raw - 1.0) / (segments - 1.0)


def reconstruction_spectra(stimulus, estimate, dt: float, segment_duration: float = 0.512) -> ReconstructionSpectra:
    """Gain, noise spectral density and SNR of ``estimate`` against ``stimulus``.

    ``g(f) = <s s_est*> / <|s_est|^2>`` (scipy.signal.csd over welch), and the
    noise ``n = s - g s_est`` has density ``S (1 - C)`` with ``C`` the coherence
    (scipy.signal.coherence) after removing its ``1/K`` bias over ``K``
    non-overlapping Hann-windowed segments: ``C = (K C_raw - 1) / (K - 1)``. Use
    held-out data (an estimate from a filter fitted elsewhere).

    Parameters
    ----------
    stimulus, estimate : (n,) array_like of float
        Stimulus and its estimate on a grid of step ``dt`` (stimulus units), finite,
        same length.
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float, optional
        Segment length in s (default 0.512); the data must hold at least 2 segments.

    Returns
    -------
    ReconstructionSpectra
        Frequencies (Hz), stimulus and noise densities (units**2/Hz), gain, coherence
        and SNR.

    Raises
    ------
    ValueError
        If the signals differ in length or are not finite, there are fewer than 2
        segments (or a segment has fewer than 8 samples), or the estimate has no power
        at some frequency (a constant estimate).
    TypeError
        If ``dt`` is not a real number.

    See Also
    --------
    information_jackknife : the information bound with an error bar.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 4 (gain and noise) and Fig. 2.

    Examples
    --------
    An estimate equal to the stimulus plus independent white noise of the same
    power has coherence 1/2, gain 1/2 and SNR 1 at every frequency, so 1 bit/s
    per Hz up to the 500 Hz Nyquist frequency:

    >>> import numpy as np
    >>> from pcn_core.coherence import reconstruction_spectra
    >>> rng = np.random.default_rng(0)
    >>> stimulus = rng.standard_normal(2**14)
    >>> estimate = stimulus + rng.standard_normal(2**14)
    >>> spectra = reconstruction_spectra(stimulus, estimate, 0.001)
    >>> round(float(spectra.coherence.mean()), 1), round(float(spectra.gain.mean()), 2)
    (0.5, 0.5)
    >>> round(spectra.information_rate(), -1)
    500.0

    An estimate independent of the stimulus carries no information (the
    bias-corrected bound scatters around 0):

    >>> unrelated = reconstruction_spectra(stimulus, rng.standard_normal(2**14), 0.001)
    >>> round(unrelated.information_rate(), -1)
    0.0
    """
    dt, s, e, nperseg, segments = paired_segments(stimulus, estimate, dt, segment_duration, 2)
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

    The Gaussian lower bound on the information rate ([1]_, [2]_). With
    bias-corrected SNR the estimate scatters around 0 (and may be slightly
    negative) when the spikes carry no information about the stimulus.

    Parameters
    ----------
    frequencies : (m,) array_like of float
        Finite, increasing, evenly spaced frequencies in Hz (the spacing is
        ``frequencies[1] - frequencies[0]``; every step equals it to a relative
        1e-6), at least 2.
    snr : (m,) array_like of float
        Signal-to-noise ratio at each frequency, finite and > -1.
    max_frequency : float, optional
        Upper limit in Hz, finite and > 0 (default: all frequencies).

    Returns
    -------
    float
        Information rate in bits/s.

    Raises
    ------
    ValueError
        If the arrays are not 1-D of the same length (>= 2), the frequencies are
        not finite, increasing and evenly spaced, the SNR is not finite or is
        <= -1, or ``max_frequency`` is not finite and > 0 or lies below the
        grid's lowest frequency (an empty band).
    TypeError
        If ``max_frequency`` is not None or a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 5.
    .. [2] Borst A, Theunissen FE (1999). Information theory and neural coding. Nat
       Neurosci 2:947-957.

    Examples
    --------
    An SNR of 1 (1 bit per Hz) over 1..100 Hz:

    >>> import numpy as np
    >>> from pcn_core.coherence import information_rate
    >>> frequencies = np.arange(1.0, 101.0)
    >>> information_rate(frequencies, np.ones(100))
    100.0
    >>> information_rate(frequencies, np.ones(100), max_frequency=50.0)
    50.0
    """
    f = np.asarray(frequencies, dtype=float)
    q = np.asarray(snr, dtype=float)
    if f.shape != q.shape or f.ndim != 1 or f.size < 2:
        raise ValueError("frequencies and snr must be 1-D arrays of the same length (>= 2)")
    if np.any(q <= -1) or not np.all(np.isfinite(q)):
        raise ValueError("snr must be finite and > -1 (bias-corrected estimates may be slightly negative)")
    if max_frequency is not None:
        validation.real(max_frequency, "max_frequency", low=0.0, low_open=True, unit="Hz")
    df = f[1] - f[0]
    # the rectangle rule weights every bin by df: an uneven grid would be summed wrongly
    if not (np.all(np.isfinite(f)) and df > 0 and np.all(np.abs(np.diff(f) - df) <= 1e-6 * df)):
        raise ValueError("frequencies must be finite, increasing and evenly spaced (Hz), got steps from "
                         f"{np.diff(f).min()} to {np.diff(f).max()} Hz")
    if max_frequency is not None and max_frequency < f[0]:
        # an empty band would silently give 0 bits/s
        raise ValueError(f"max_frequency must be >= the lowest frequency of the grid, {f[0]} Hz, "
                         f"got {max_frequency} Hz")
    keep = f <= max_frequency if max_frequency is not None else np.ones(f.size, bool)
    return float(np.sum(np.log2(1 + q[keep])) * df)


def input_noise_limit(stimulus, noisy_input, dt: float, segment_duration: float = 0.512) -> tuple[np.ndarray, np.ndarray]:
    """Lowest reconstruction noise density reachable from a noisy copy of the stimulus.

    Any decoder of spikes driven by ``noisy_input = s + eta`` is at best a decoder
    of ``noisy_input`` itself, whose best linear estimate of ``s`` has noise
    density ``S(f) (1 - C_sx(f))`` (the "photoreceptor limit" of [1]_, Fig. 2).

    Parameters
    ----------
    stimulus : (n,) array_like of float
        Stimulus on a grid of step ``dt`` (stimulus units).
    noisy_input : (n,) array_like of float
        The stimulus plus input noise, same grid and units.
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float, optional
        Segment length in s (default 0.512); the data must hold at least 2 segments.

    Returns
    -------
    frequencies : (m,) float array
        Frequencies in Hz (0 Hz excluded).
    noise_psd : (m,) float array
        Noise spectral density, stimulus units**2 / Hz.

    Raises
    ------
    ValueError
        As :func:`reconstruction_spectra`.
    TypeError
        If ``dt`` is not a real number.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 4 and Fig. 2.

    Examples
    --------
    Unit-variance white noise sampled at 1 kHz has density ``2 / 1000`` per Hz
    (one-sided); input noise of equal power halves what can be recovered:

    >>> import numpy as np
    >>> from pcn_core.coherence import input_noise_limit
    >>> rng = np.random.default_rng(0)
    >>> stimulus = rng.standard_normal(2**14)
    >>> estimate = stimulus + rng.standard_normal(2**14)
    >>> frequencies, noise_psd = input_noise_limit(stimulus, estimate, 0.001)
    >>> round(float(noise_psd.mean()), 4)
    0.001
    """
    spectra = reconstruction_spectra(stimulus, noisy_input, dt, segment_duration)
    return spectra.frequencies, spectra.noise_psd


# --------------------------------------------------------------------------- uncertainty of the information rate
@dataclass
class InformationJackknife:
    """Information-rate lower bound with its jackknife standard error over segments.

    Returned by :func:`information_jackknife`.

    Attributes
    ----------
    rate : float
        The bound from all ``segments``, bits/s (equals
        ``reconstruction_spectra(...).information_rate()``).
    standard_error : float
        Jackknife standard error (leave one segment out), bits/s.
    leave_one_out : (segments,) float array
        The bound without each segment in turn, bits/s.
    segments : int
        Number of independent segments.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.coherence import information_jackknife
    >>> rng = np.random.default_rng(0)
    >>> stimulus = rng.standard_normal(2**14)
    >>> estimate = stimulus + rng.standard_normal(2**14)
    >>> jackknife = information_jackknife(stimulus, estimate, 0.001)
    >>> jackknife.segments, jackknife.leave_one_out.shape
    (32, (32,))
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
    stimulus, estimate : (n,) array_like of float
        Held-out stimulus and its reconstruction on a grid of step ``dt`` (stimulus units).
    dt : float
        Grid step in s, finite and > 0.
    segment_duration : float, optional
        Segment length in s (default 0.512); at least 3 segments are needed.

    Returns
    -------
    InformationJackknife
        ``rate`` and ``standard_error`` in bits/s, the leave-one-out rates and ``segments``.

    Raises
    ------
    ValueError
        If the arrays differ in length, are not finite, or hold fewer than 3 segments.
    TypeError
        If ``dt`` is not a real number.

    See Also
    --------
    reconstruction_spectra : the spectra behind the bound.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 5.
    .. [2] Borst A, Theunissen FE (1999). Information theory and neural coding. Nat
       Neurosci 2:947-957.

    Examples
    --------
    The example of :func:`reconstruction_spectra` (500 bits/s expected), with its error bar:

    >>> import numpy as np
    >>> from pcn_core.coherence import information_jackknife, reconstruction_spectra
    >>> rng = np.random.default_rng(0)
    >>> stimulus = rng.standard_normal(2**14)
    >>> estimate = stimulus + rng.standard_normal(2**14)
    >>> jackknife = information_jackknife(stimulus, estimate, 0.001)
    >>> round(jackknife.rate, -1), round(jackknife.standard_error)
    (500.0, 13)
    >>> spectra = reconstruction_spectra(stimulus, estimate, 0.001)
    >>> bool(np.isclose(jackknife.rate, spectra.information_rate()))
    True
    """
    dt, s, e, nperseg, segments = paired_segments(stimulus, estimate, dt, segment_duration, 3)
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
