"""Spectral analysis of a stimulus reconstruction and the Gaussian lower bound on
the information rate (Bialek, Rieke, de Ruyter van Steveninck & Warland 1991).

An estimate ``s_est`` of a stimulus ``s`` (both on a grid of step ``dt``, s) is
described by a gain ``g(f) = <s s_est*>/<|s_est|^2>`` and a noise ``n = s - g s_est``
with spectral density ``N(f) = S(f) (1 - C(f))`` (``C`` the coherence between
stimulus and estimate) and ``SNR(f) = C / (1 - C)``; :func:`information_rate`
integrates ``log2(1 + SNR)``, the Gaussian lower bound on the information rate.

Spectra use non-overlapping Hann-windowed segments (scipy.signal.welch/csd/
coherence), so the ``K`` segments are independent and the coherence's bias
``~1/K`` can be removed before the information integral.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.signal

from . import validation


def segment_samples(segment_duration: float, dt: float, n: int) -> int:
    """Samples per segment of ``segment_duration`` s on a grid of step ``dt`` s, checked against
    the ``n`` samples of the data (at least 8 per segment, at most ``n``)."""
    nperseg = int(round(segment_duration / dt))
    if nperseg < 8:
        raise ValueError(f"segment_duration={segment_duration} s gives {nperseg} samples; need >= 8")
    if nperseg > n:
        raise ValueError(f"segment_duration={segment_duration} s is longer than the data ({n * dt} s)")
    return nperseg


def paired_segments(stimulus, estimate, dt: float, segment_duration: float, min_segments: int):
    """Validated (dt, stimulus, estimate, samples per segment, number of segments) of a
    stimulus and its estimate cut into non-overlapping segments (at least ``min_segments``)."""
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
