"""Entropy and the direct information estimate from interspike intervals (Zador 1998).

With spike times on a grid of resolution ``dt`` (at most one spike per bin) and
independent interspike intervals, the information per spike is

    I_spike = H(T) - <H(T | Z_in)>          (bits per spike)
    I_rate  = I_spike · R                   (bits per second)

``H(T)`` is the entropy of the ISI distribution (ISIs as integer numbers of
bins), ``H(T | Z_in)`` the entropy of the ISIs produced by one frozen input,
averaged over frozen inputs, and ``R`` the firing rate.

Plug-in entropies are biased low for finite samples. :func:`entropy_estimate`
removes the bias as Strong et al. (1998) did: the plug-in entropy is computed
on random subsets holding a fraction of the data, fitted by
``H(N) = H_inf + a/N + b/N^2`` in the number of samples ``N``, and ``H_inf`` is
the estimate. Its error bar combines the spread of estimates from random halves
of the data, scaled to the full data size (variance proportional to 1/N), and
for a conditional entropy the standard error across conditions, with
the difference between the quadratic and a linear extrapolation (a measure of
how far the extrapolation can be trusted when the data are scarce).

Upper bound (MacKay & McCulloch 1952): a Poisson train with spike probability
``p = R·dt`` per bin has entropy ``h(p) = -p log2 p - (1-p) log2(1-p)`` per bin,
i.e. ``h(p)/p`` bits per spike and ``h(p)/dt`` bits per second. Its ISIs are
geometric, the maximum-entropy distribution on {1, 2, ...} at a given mean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validation


def _symbols(samples, name="samples") -> np.ndarray:
    x = np.asarray(samples)
    if x.ndim not in (1, 2) or x.shape[-1] < 2:
        raise ValueError(f"{name} must be 1-D (n,) or 2-D (n_conditions, n) with n >= 2, got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.integer):
        if not np.all(np.isfinite(x)) or np.any(x != np.round(x)):
            raise ValueError(f"{name} must hold integer symbols (e.g. ISIs in bins)")
        x = x.astype(np.int64)
    return x


def _row_entropies(x: np.ndarray) -> np.ndarray:
    """Plug-in entropy (bits) of each row of an integer array (rows, n)."""
    s = np.sort(x, axis=1)
    rows, n = s.shape
    starts = np.ones(s.shape, dtype=bool)
    starts[:, 1:] = s[:, 1:] != s[:, :-1]
    first = np.flatnonzero(starts.ravel())
    counts = np.diff(np.append(first, s.size)).astype(float)  # runs never cross rows: each row opens a run
    clogc = np.bincount(first // n, weights=counts * np.log2(counts), minlength=rows)
    return np.log2(n) - clogc / n


def plugin_entropy(samples) -> float:
    """Plug-in (maximum-likelihood) entropy in bits of integer symbols.

    For a 2-D array (conditions, samples) the entropies of the rows are averaged.
    """
    x = _symbols(samples)
    return float(np.mean(_row_entropies(x.reshape(-1, x.shape[-1]))))


@dataclass
class EntropyEstimate:
    """Bias-corrected entropy (bits) with its error bar and the data behind the extrapolation."""
    value: float
    error: float
    plugin: float
    sample_sizes: np.ndarray
    subsample_entropies: np.ndarray


def entropy_estimate(samples, *, fractions=(1.0, 0.9, 0.8, 0.7, 0.6, 0.5), n_resamples: int = 8,
                     seed=None) -> EntropyEstimate:
    """Entropy (bits) of integer symbols, extrapolated to infinite data (Strong et al. 1998).

    ``samples`` is 1-D (n,) or 2-D (n_conditions, n); for 2-D the row entropies
    are averaged (a conditional entropy) before the extrapolation. For each
    fraction ``f`` of the ``n`` samples per row, the plug-in entropy is averaged
    over ``n_resamples`` random subsets of ``round(f·n)`` samples (without
    replacement), and ``H(N) = H_inf + a/N + b/N^2`` is fitted by least squares.
    """
    x = _symbols(samples)
    x = x.reshape(-1, x.shape[-1])
    n = x.shape[1]
    fractions = np.asarray(fractions, dtype=float)
    if fractions.ndim != 1 or fractions.size < 3 or np.any(fractions <= 0) or np.any(fractions > 1):
        raise ValueError(f"fractions must be at least 3 values in (0, 1], got {fractions}")
    if int(n_resamples) != n_resamples or n_resamples < 2:
        raise ValueError(f"n_resamples must be an integer >= 2, got {n_resamples}")
    rng = validation.rng(seed)
    sizes = np.maximum(np.round(fractions * n).astype(int), 1)
    if np.unique(sizes).size < 3:
        raise ValueError(f"too few samples per row (n={n}) for three distinct subsample sizes")
    means = np.empty(sizes.size)
    for i, size in enumerate(sizes):
        reps = 1 if size == n else n_resamples
        means[i] = np.mean([_row_entropies(rng.permuted(x, axis=1)[:, :size]).mean() for _ in range(reps)])
    coef = np.polyfit(1.0 / sizes, means, 2)
    halves = []
    for _ in range(n_resamples):
        perm = rng.permuted(x, axis=1)
        halves += [_row_entropies(perm[:, : n // 2]).mean(), _row_entropies(perm[:, n // 2: 2 * (n // 2)]).mean()]
    statistical = np.std(halves, ddof=1) / np.sqrt(2.0)
    if x.shape[0] > 1:  # a conditional entropy also varies from condition to condition
        statistical = np.hypot(statistical, np.std(_row_entropies(x), ddof=1) / np.sqrt(x.shape[0]))
    # the extrapolation itself is uncertain when the data are scarce: count the
    # difference between quadratic and linear extrapolations as a systematic error
    systematic = coef[-1] - np.polyfit(1.0 / sizes, means, 1)[-1]
    error = float(np.hypot(statistical, systematic))
    return EntropyEstimate(float(coef[-1]), error, float(means[sizes == n][0]) if np.any(sizes == n)
                           else float(_row_entropies(x).mean()), sizes, means)


def binary_entropy(p) -> np.ndarray:
    """h(p) = -p log2 p - (1-p) log2(1-p) in bits (0 at p = 0 or 1)."""
    p = np.asarray(p, dtype=float)
    if not np.all((p >= 0) & (p <= 1)):  # also refuses NaN
        bad = p[~((p >= 0) & (p <= 1))].ravel()
        raise ValueError(f"p must be a probability in [0, 1] (NaN refused), got {bad[0]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(p > 0, p * np.log2(p), 0.0) - np.where(p < 1, (1 - p) * np.log2(1 - p), 0.0)
    return h


def _check_rate(rate, resolution, allow_zero=False):
    rate = np.asarray(rate, dtype=float)
    if not (np.isfinite(resolution) and resolution > 0):
        raise ValueError(f"resolution must be a positive time bin in s, got {resolution}")
    too_low = rate < 0 if allow_zero else rate <= 0
    if np.any(~np.isfinite(rate)) or np.any(too_low) or np.any(rate * resolution > 1):
        relation = ">=" if allow_zero else ">"
        raise ValueError(f"rate must be {relation} 0 Hz with rate·resolution <= 1 (at most one spike per bin)")
    return rate


def poisson_entropy_rate(rate, resolution: float):
    """Upper bound on the entropy (and information) rate of a spike train of mean
    ``rate`` (Hz) at time resolution ``resolution`` (s), bits/s: h(R·dt)/dt (0 at R = 0)."""
    rate = _check_rate(rate, resolution, allow_zero=True)
    return binary_entropy(rate * resolution) / resolution


def poisson_entropy_per_spike(rate, resolution: float):
    """Entropy per spike of the Poisson train at that rate, bits: h(R·dt)/(R·dt)."""
    rate = _check_rate(rate, resolution)
    p = rate * resolution
    return binary_entropy(p) / p


def discretised_exponential_entropy(rate: float, resolution: float) -> float:
    """Entropy (bits) of exponential ISIs of rate ``rate`` (Hz) counted as ceil(T/resolution) bins.

    They are geometric on {1, 2, ...} with ``p = 1 - exp(-rate·resolution)``, entropy h(p)/p.
    """
    _check_rate(rate, resolution)
    p = -np.expm1(-rate * resolution)
    return float(binary_entropy(p) / p)


@dataclass
class DirectInformation:
    """Direct estimate: entropies (bits/spike), rates (Hz, bits/s), one-sigma errors."""
    resolution: float
    rate: float
    total_entropy: float
    total_entropy_error: float
    conditional_entropy: float
    conditional_entropy_error: float

    @property
    def information_per_spike(self) -> float:
        return self.total_entropy - self.conditional_entropy

    @property
    def information_per_spike_error(self) -> float:
        return float(np.hypot(self.total_entropy_error, self.conditional_entropy_error))

    @property
    def entropy_rate(self) -> float:
        return self.total_entropy * self.rate

    @property
    def conditional_entropy_rate(self) -> float:
        return self.conditional_entropy * self.rate

    @property
    def information_rate(self) -> float:
        return self.information_per_spike * self.rate

    @property
    def information_rate_error(self) -> float:
        return self.information_per_spike_error * self.rate

    @property
    def poisson_bound(self) -> float:
        """Entropy rate (bits/s) of a Poisson train at the same rate and resolution."""
        return float(poisson_entropy_rate(self.rate, self.resolution))


def direct_information(total_isis, conditional_isis, resolution: float, *, seed=None,
                       **estimate_options) -> DirectInformation:
    """Information per spike and per second from ISIs counted in bins of ``resolution`` (s).

    ``total_isis`` (n,) are independent ISIs (bins) from the whole input ensemble;
    ``conditional_isis`` (n_inputs, n_trials) are ISIs (bins) for frozen inputs.
    The rate is 1/(mean total ISI · resolution). Entropies use :func:`entropy_estimate`.
    """
    total = _symbols(total_isis, "total_isis")
    cond = _symbols(conditional_isis, "conditional_isis")
    if total.ndim != 1 or cond.ndim != 2:
        raise ValueError("total_isis must be 1-D and conditional_isis 2-D (n_inputs, n_trials)")
    if np.any(total < 1) or np.any(cond < 1):
        raise ValueError("ISIs must be >= 1 bin: more than one spike per bin breaks the binary-string assumption")
    if not (np.isfinite(resolution) and resolution > 0):
        raise ValueError(f"resolution must be a positive time bin in s, got {resolution}")
    rng = validation.rng(seed)
    h_total = entropy_estimate(total, seed=rng, **estimate_options)
    h_cond = entropy_estimate(cond, seed=rng, **estimate_options)
    return DirectInformation(resolution, float(1.0 / (total.mean() * resolution)), h_total.value, h_total.error,
                             h_cond.value, h_cond.error)


# --------------------------------------------------------------------------- direct method on words (Strong et al. 1998)
def _words(counts: np.ndarray, length: int) -> np.ndarray:
    """(repeats, n_bins - length + 1) integer codes of the words of ``length`` bins (all cells)."""
    base = int(counts.max()) + 1
    repeats, n_bins, cells = counts.shape
    codes = np.zeros((repeats, n_bins - length + 1), dtype=np.int64)
    for k in range(length):
        for c in range(cells):
            codes = codes * base + counts[:, k:n_bins - length + 1 + k, c]
    return codes


def word_information(responses, bin_width: float, word_lengths, *, seed=None, n_resamples: int = 4) -> dict:
    """Information rate from repeated responses to one frozen stimulus (Strong et al. 1998).

    Words of ``L`` consecutive bins (all cells together) are read at every bin of every
    repeat. The total entropy ``H_L`` is that of all words (the stimulus varies along the
    frozen segment, so the segment samples the stimulus ensemble); the noise entropy
    ``N_L`` is the entropy across repeats of the words starting at one bin, averaged over
    bins. Both are extrapolated to infinite data (:func:`entropy_estimate`). The rate
    ``(H_L - N_L) / (L · bin_width)`` is extrapolated to infinite word length by a line in
    ``1/L`` through the given lengths (Strong et al.'s extrapolation).

    Parameters
    ----------
    responses : int array, (repeats, n_bins) or (repeats, n_bins, cells)
        Spike counts per bin on each repeat of the frozen stimulus.
    bin_width : float
        Bin width (s).
    word_lengths : sequence of int
        At least 2 word lengths ``L >= 1`` (bins), each shorter than the response.
    seed : int, None or np.random.Generator
        Seed of the subsampling of :func:`entropy_estimate`.
    n_resamples : int
        Random subsets per data fraction in the entropy extrapolation (>= 2).

    Returns
    -------
    dict
        ``word_lengths`` (bins), ``total_entropy_rate``, ``noise_entropy_rate`` and
        ``information_rate`` per length (bits/s), and ``extrapolated`` (bits/s, L → ∞).

    Raises
    ------
    ValueError
        If the responses are not non-negative integer counts with >= 2 repeats, or the
        word lengths are out of range.
    """
    counts = np.asarray(responses)
    if counts.ndim == 2:
        counts = counts[:, :, None]
    if counts.ndim != 3 or counts.shape[0] < 2:
        raise ValueError(f"responses must be (repeats >= 2, n_bins[, cells]), got shape {np.shape(responses)}")
    if not np.issubdtype(counts.dtype, np.integer):
        if not np.all(np.isfinite(counts)) or np.any(counts != np.round(counts)):
            raise ValueError("responses must hold integer spike counts")
        counts = counts.astype(np.int64)
    if np.any(counts < 0):
        raise ValueError("responses must hold non-negative spike counts")
    if not (np.isfinite(bin_width) and bin_width > 0):
        raise ValueError(f"bin_width must be a positive number of seconds, got {bin_width}")
    lengths = np.asarray(word_lengths)
    if lengths.ndim != 1 or lengths.size < 2 or np.any(lengths < 1) or np.any(lengths != np.round(lengths)) \
            or np.any(lengths >= counts.shape[1]):
        raise ValueError(f"word_lengths must be >= 2 integers in [1, n_bins), got {word_lengths}")
    rng = validation.rng(seed)
    total, noise = [], []
    for length in lengths.astype(int):
        words = _words(counts.astype(np.int64), length)
        total.append(entropy_estimate(words.ravel(), n_resamples=n_resamples, seed=rng).value)
        noise.append(entropy_estimate(words.T, n_resamples=n_resamples, seed=rng).value)
    duration = lengths * bin_width
    total_rate, noise_rate = np.array(total) / duration, np.array(noise) / duration
    info = total_rate - noise_rate
    extrapolated = float(np.polyfit(1.0 / lengths, info, 1)[-1])
    return {"word_lengths": lengths.astype(int), "total_entropy_rate": total_rate, "noise_entropy_rate": noise_rate,
            "information_rate": info, "extrapolated": extrapolated}


def direct_summary(estimate: DirectInformation) -> dict:
    """The quantities of a direct estimate as one table row (short column names of the Zador notebooks).

    Parameters
    ----------
    estimate : DirectInformation
        A result of :func:`direct_information`.

    Returns
    -------
    dict
        ``rate`` (Hz); per spike, in bits: ``H`` total entropy, ``Hc`` conditional entropy, ``I``
        information, with one-sigma errors ``H_err``, ``Hc_err``, ``I_err``; per second, in bits/s:
        ``H_rate``, ``Hc_rate``, ``I_rate`` (error ``I_rate_err``) and ``bound``, the entropy rate of
        a Poisson train at the same rate and resolution. All values are floats.

    Raises
    ------
    TypeError
        If ``estimate`` is not a :class:`DirectInformation`.

    Examples
    --------
    >>> d = DirectInformation(resolution=1e-3, rate=10.0, total_entropy=8.0, total_entropy_error=0.3,
    ...                       conditional_entropy=2.0, conditional_entropy_error=0.4)
    >>> row = direct_summary(d)
    >>> row["I"], round(row["I_err"], 2), row["I_rate"]
    (6.0, 0.5, 60.0)
    """
    if not isinstance(estimate, DirectInformation):
        raise TypeError(f"estimate must be a DirectInformation, got {type(estimate).__name__}")
    d = estimate
    return dict(rate=float(d.rate), H=float(d.total_entropy), H_err=float(d.total_entropy_error),
                Hc=float(d.conditional_entropy), Hc_err=float(d.conditional_entropy_error),
                I=float(d.information_per_spike), I_err=float(d.information_per_spike_error),
                H_rate=float(d.entropy_rate), Hc_rate=float(d.conditional_entropy_rate),
                I_rate=float(d.information_rate), I_rate_err=float(d.information_rate_error),
                bound=float(d.poisson_bound))
