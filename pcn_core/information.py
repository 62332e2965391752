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
    """Plug-in (maximum-likelihood) entropy of integer symbols.

    ``H = -sum_x p(x) log2 p(x)`` with ``p(x)`` the observed frequencies. It is
    biased low for finite samples (see :func:`entropy_estimate`).

    Parameters
    ----------
    samples : (n,) or (n_conditions, n) array_like of int
        Integer symbols (e.g. ISIs in bins), ``n >= 2``; floats are accepted if
        they hold integer values.

    Returns
    -------
    float
        Entropy in bits (per symbol); for a 2-D array the mean of the row entropies
        (a conditional entropy).

    Raises
    ------
    ValueError
        If ``samples`` is not 1-D or 2-D with at least 2 samples per row, or does not
        hold integer values.

    See Also
    --------
    entropy_estimate : the same, extrapolated to infinite data.

    Examples
    --------
    >>> from pcn_core.information import plugin_entropy
    >>> plugin_entropy([0, 1, 0, 1])
    1.0
    >>> plugin_entropy([[0, 1, 2, 3], [5, 5, 5, 5]])  # mean of 2 bits and 0 bits
    1.0
    """
    x = _symbols(samples)
    return float(np.mean(_row_entropies(x.reshape(-1, x.shape[-1]))))


@dataclass
class EntropyEstimate:
    """Bias-corrected entropy with its error bar and the data behind the extrapolation.

    Returned by :func:`entropy_estimate`.

    Attributes
    ----------
    value : float
        Entropy extrapolated to infinite data, bits.
    error : float
        One-sigma error of ``value``, bits (statistical and extrapolation error combined).
    plugin : float
        Plug-in entropy of all the data, bits.
    sample_sizes : (n_fractions,) int array
        Samples per row in each subsample size.
    subsample_entropies : (n_fractions,) float array
        Mean plug-in entropy (bits) at each size.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.information import entropy_estimate
    >>> estimate = entropy_estimate(np.random.default_rng(0).integers(0, 8, 2000), seed=0)
    >>> round(estimate.value, 2), estimate.sample_sizes
    (3.0, array([2000, 1800, 1600, 1400, 1200, 1000]))
    """
    value: float
    error: float
    plugin: float
    sample_sizes: np.ndarray
    subsample_entropies: np.ndarray


def entropy_estimate(samples, *, fractions=(1.0, 0.9, 0.8, 0.7, 0.6, 0.5), n_resamples: int = 8,
                     seed=None) -> EntropyEstimate:
    """Entropy of integer symbols, extrapolated to infinite data (Strong et al. 1998).

    For each fraction ``f`` of the ``n`` samples per row, the plug-in entropy is
    averaged over ``n_resamples`` random subsets of ``round(f*n)`` samples (drawn
    without replacement), and ``H(N) = H_inf + a/N + b/N**2`` is fitted by least
    squares in the number of samples ``N``; ``H_inf`` is the estimate. For 2-D
    ``samples`` the row entropies are averaged (a conditional entropy) before the
    extrapolation.

    The error bar combines the spread of estimates from random halves of the
    data, scaled to the full data size (variance proportional to ``1/N``), for a
    conditional entropy the standard error across conditions, and the difference
    between the quadratic and a linear extrapolation (a measure of how far the
    extrapolation can be trusted when data are scarce).

    Parameters
    ----------
    samples : (n,) or (n_conditions, n) array_like of int
        Integer symbols (e.g. ISIs in bins); floats must hold integer values.
    fractions : sequence of float, optional
        At least 3 data fractions in (0, 1] that give at least 3 distinct subsample
        sizes (default 1.0, 0.9, ..., 0.5).
    n_resamples : int, optional
        Random subsets per fraction, and random halves for the error, integer >= 2
        (default 8).
    seed : int, None or np.random.Generator, optional
        Source of the random subsets.

    Returns
    -------
    EntropyEstimate
        ``value`` and ``error`` in bits, the plug-in entropy and the subsample sizes
        and entropies of the fit.

    Raises
    ------
    ValueError
        If ``samples`` is not 1-D or 2-D with at least 2 samples per row or does not
        hold integers, ``fractions`` has fewer than 3 values or values outside (0, 1],
        ``n_resamples`` is not an integer >= 2, or there are too few samples per row
        for three distinct subsample sizes.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    plugin_entropy : the uncorrected entropy.

    References
    ----------
    .. [1] Strong SP, Koberle R, de Ruyter van Steveninck RR, Bialek W (1998).
       Entropy and information in neural spike trains. Phys Rev Lett 80:197-200.

    Examples
    --------
    500 draws from 64 equally likely symbols (entropy 6 bits): the plug-in entropy
    is about ``63 / (2 * 500 * ln 2) = 0.09`` bits too low, the extrapolation removes
    most of that bias:

    >>> import numpy as np
    >>> from pcn_core.information import entropy_estimate
    >>> x = np.random.default_rng(0).integers(0, 64, 500)
    >>> estimate = entropy_estimate(x, seed=0)
    >>> round(estimate.plugin, 2), round(estimate.value, 2), round(estimate.error, 2)
    (5.92, 5.99, 0.02)
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
    """Binary entropy ``h(p) = -p log2 p - (1-p) log2(1-p)``.

    The entropy of one bin that holds a spike with probability ``p``; 0 at
    ``p = 0`` or 1, and 1 bit at ``p = 0.5``.

    Parameters
    ----------
    p : float or array_like
        Probabilities in [0, 1] (NaN refused).

    Returns
    -------
    float or ndarray
        ``h(p)`` in bits, the shape of ``p``.

    Raises
    ------
    ValueError
        If any ``p`` is outside [0, 1] or NaN.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Informative upper bound".

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.information import binary_entropy
    >>> np.round(binary_entropy([0.1, 0.5, 0.9]), 3)
    array([0.469, 1.   , 0.469])
    """
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
    """Entropy rate of a Poisson spike train at time resolution ``resolution``: ``h(R*dt) / dt``.

    With at most one spike per bin of width ``dt``, spike probability ``p = R*dt``
    per bin and independent bins, this is the largest entropy, hence the upper
    bound on the information rate, of any spike train of mean rate ``R`` (MacKay &
    McCulloch 1952); about ``R log2(e / (R*dt))`` bits/s when ``R*dt << 1``.

    Parameters
    ----------
    rate : float or array_like
        Mean firing rate ``R`` in Hz, finite, >= 0, with ``rate * resolution <= 1``.
    resolution : float
        Time resolution ``dt`` (bin width) in s, finite and > 0.

    Returns
    -------
    float or ndarray
        Entropy rate in bits/s, the shape of ``rate`` (0 at ``R = 0``).

    Raises
    ------
    ValueError
        If ``resolution`` is not positive and finite, or a rate is negative, not
        finite, or above ``1 / resolution``.

    See Also
    --------
    poisson_entropy_per_spike : the same bound per spike.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Informative upper bound".
    .. [2] MacKay DM, McCulloch WS (1952). The limiting information capacity of a
       neuronal link. Bull Math Biophys 14:127-135.

    Examples
    --------
    At 500 Hz and 1 ms resolution every bin is a fair coin, 1 bit per ms:

    >>> import numpy as np
    >>> from pcn_core.information import poisson_entropy_rate
    >>> float(poisson_entropy_rate(500.0, 0.001))
    1000.0
    >>> np.round(poisson_entropy_rate([0.0, 100.0], 0.001), 1)
    array([  0., 469.])
    """
    rate = _check_rate(rate, resolution, allow_zero=True)
    return binary_entropy(rate * resolution) / resolution


def poisson_entropy_per_spike(rate, resolution: float):
    """Entropy per spike of a Poisson train at time resolution ``resolution``: ``h(R*dt) / (R*dt)``.

    Parameters
    ----------
    rate : float or array_like
        Mean firing rate ``R`` in Hz, finite, > 0, with ``rate * resolution <= 1``.
    resolution : float
        Time resolution ``dt`` (bin width) in s, finite and > 0.

    Returns
    -------
    float or ndarray
        Entropy in bits per spike, the shape of ``rate``.

    Raises
    ------
    ValueError
        If ``resolution`` is not positive and finite, or a rate is not positive, not
        finite, or above ``1 / resolution``.

    See Also
    --------
    poisson_entropy_rate : the same bound per second.
    discretised_exponential_entropy : entropy of discretised exponential ISIs.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Informative upper bound".

    Examples
    --------
    At 100 Hz and 1 ms resolution, close to ``log2(e / (R*dt)) = 4.77`` bits:

    >>> from pcn_core.information import poisson_entropy_per_spike
    >>> round(float(poisson_entropy_per_spike(100.0, 0.001)), 2)
    4.69
    """
    rate = _check_rate(rate, resolution)
    p = rate * resolution
    return binary_entropy(p) / p


def discretised_exponential_entropy(rate: float, resolution: float) -> float:
    """Entropy of exponential interspike intervals counted in bins of ``resolution``.

    ISIs ``T`` of a Poisson process of rate ``rate``, counted as ``ceil(T / resolution)``
    bins, are geometric on {1, 2, ...} with ``p = 1 - exp(-rate * resolution)``; their
    entropy is ``h(p) / p``.

    Parameters
    ----------
    rate : float
        Firing rate in Hz, finite, > 0, with ``rate * resolution <= 1``.
    resolution : float
        Bin width in s, finite and > 0.

    Returns
    -------
    float
        Entropy in bits per interval (per spike).

    Raises
    ------
    ValueError
        If ``resolution`` is not positive and finite, or ``rate`` is not positive, not
        finite, or above ``1 / resolution``.

    See Also
    --------
    poisson_entropy_per_spike : the same with ``p = rate * resolution``.

    Examples
    --------
    The plug-in entropy of many geometric intervals agrees:

    >>> import numpy as np
    >>> from pcn_core.information import discretised_exponential_entropy, plugin_entropy
    >>> round(discretised_exponential_entropy(100.0, 0.001), 2)
    4.77
    >>> p = -np.expm1(-100.0 * 0.001)
    >>> round(plugin_entropy(np.random.default_rng(0).geometric(p, 200_000)), 2)
    4.76
    """
    _check_rate(rate, resolution)
    p = -np.expm1(-rate * resolution)
    return float(binary_entropy(p) / p)


@dataclass
class DirectInformation:
    """Direct estimate of the information carried by independent interspike intervals.

    Returned by :func:`direct_information`. Entropies are in bits per spike,
    errors are one-sigma; the properties give the information per spike ([1]_,
    Eq. 8) and the rates in bits/s ([1]_, Eq. 9).

    Attributes
    ----------
    resolution : float
        Time resolution (bin width) of the ISIs, s.
    rate : float
        Firing rate, Hz.
    total_entropy, total_entropy_error : float
        Total entropy ``H(T)`` of the ISIs and its error, bits/spike ([1]_, Eq. 10).
    conditional_entropy, conditional_entropy_error : float
        Conditional entropy ``<H(T | Z_in)>`` and its error, bits/spike ([1]_, Eq. 11).

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229.

    Examples
    --------
    >>> from pcn_core.information import DirectInformation
    >>> info = DirectInformation(resolution=0.001, rate=100.0, total_entropy=4.7,
    ...                          total_entropy_error=0.03, conditional_entropy=1.2,
    ...                          conditional_entropy_error=0.04)
    >>> round(info.information_per_spike, 3), round(info.information_rate, 1)
    (3.5, 350.0)
    >>> round(info.information_per_spike_error, 3)
    0.05
    """
    resolution: float
    rate: float
    total_entropy: float
    total_entropy_error: float
    conditional_entropy: float
    conditional_entropy_error: float

    @property
    def information_per_spike(self) -> float:
        """Information per spike ``H(T) - <H(T | Z_in)>``, bits/spike (Zador 1998, Eq. 8)."""
        return self.total_entropy - self.conditional_entropy

    @property
    def information_per_spike_error(self) -> float:
        """One-sigma error of :attr:`information_per_spike`, bits/spike (errors added in quadrature)."""
        return float(np.hypot(self.total_entropy_error, self.conditional_entropy_error))

    @property
    def entropy_rate(self) -> float:
        """Total entropy rate ``H(T) * R``, bits/s."""
        return self.total_entropy * self.rate

    @property
    def conditional_entropy_rate(self) -> float:
        """Conditional (noise) entropy rate ``<H(T | Z_in)> * R``, bits/s."""
        return self.conditional_entropy * self.rate

    @property
    def information_rate(self) -> float:
        """Information rate ``(H(T) - <H(T | Z_in)>) * R``, bits/s (Zador 1998, Eq. 9)."""
        return self.information_per_spike * self.rate

    @property
    def information_rate_error(self) -> float:
        """One-sigma error of :attr:`information_rate`, bits/s."""
        return self.information_per_spike_error * self.rate

    @property
    def poisson_bound(self) -> float:
        """Entropy rate (bits/s) of a Poisson train at the same rate and resolution: the upper bound."""
        return float(poisson_entropy_rate(self.rate, self.resolution))


def direct_information(total_isis, conditional_isis, resolution: float, *, seed=None,
                       **estimate_options) -> DirectInformation:
    """Information per spike and per second from interspike intervals counted in bins of ``resolution``.

    The direct method under independent ISIs ([1]_, Eqs. 8-11): the total entropy
    ``H(T)`` of ISIs from the whole input ensemble minus the conditional entropy
    ``<H(T | Z_in)>`` of ISIs produced by frozen inputs, averaged over inputs; both
    are extrapolated to infinite data by :func:`entropy_estimate` ([2]_). The rate
    is ``1 / (mean(total_isis) * resolution)``.

    Parameters
    ----------
    total_isis : (n,) array_like of int
        Independent ISIs in bins (>= 1) from the whole input ensemble.
    conditional_isis : (n_inputs, n_trials) array_like of int
        ISIs in bins (>= 1); row ``m`` holds repeated trials with frozen input ``m``.
    resolution : float
        Bin width in s, finite and > 0.
    seed : int, None or np.random.Generator, optional
        Source of the random subsets of the entropy extrapolation.
    **estimate_options
        ``fractions`` and ``n_resamples``, passed to :func:`entropy_estimate`.

    Returns
    -------
    DirectInformation
        Entropies in bits/spike with their errors, the rate in Hz; its properties give
        the information in bits/spike and bits/s.

    Raises
    ------
    ValueError
        If ``total_isis`` is not 1-D or ``conditional_isis`` not 2-D, they do not
        hold integers, an ISI is shorter than 1 bin (more than one spike per bin),
        ``resolution`` is not positive and finite, or :func:`entropy_estimate`
        refuses the options or data.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    pcn_core.synapses.isi_ensemble : the two ISI samples of the Zador model.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229.
    .. [2] Strong SP, Koberle R, de Ruyter van Steveninck RR, Bialek W (1998).
       Entropy and information in neural spike trains. Phys Rev Lett 80:197-200.

    Examples
    --------
    Noiseless responses (every trial of a frozen input gives the same interval):
    the conditional entropy is 0 and the information is the whole entropy of the
    geometric ISIs, ``h(0.1) / 0.1 = 4.69`` bits/spike, reaching the Poisson bound:

    >>> import numpy as np
    >>> from pcn_core.information import direct_information
    >>> rng = np.random.default_rng(1)
    >>> total = rng.geometric(0.1, 5000)
    >>> frozen = np.repeat(rng.geometric(0.1, (50, 1)), 20, axis=1)
    >>> info = direct_information(total, frozen, 0.001, seed=0)
    >>> round(info.information_per_spike, 2), round(info.total_entropy_error, 2)
    (4.72, 0.04)
    >>> round(info.information_rate / info.poisson_bound, 2)
    1.01
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
    ``(H_L - N_L) / (L * bin_width)`` is extrapolated to infinite word length by a line in
    ``1/L`` through the given lengths (Strong et al.'s extrapolation).

    Parameters
    ----------
    responses : (repeats, n_bins) or (repeats, n_bins, cells) array_like of int
        Spike counts per bin (>= 0) on each repeat of the frozen stimulus, repeats >= 2.
    bin_width : float
        Bin width in s, finite and > 0.
    word_lengths : sequence of int
        At least 2 word lengths ``L`` in bins, each in ``[1, n_bins)``.
    seed : int, None or np.random.Generator, optional
        Source of the subsampling of :func:`entropy_estimate`.
    n_resamples : int, optional
        Random subsets per data fraction in the entropy extrapolation (>= 2, default 4).

    Returns
    -------
    dict
        ``word_lengths`` (bins), ``total_entropy_rate``, ``noise_entropy_rate`` and
        ``information_rate`` per length (arrays, bits/s), and ``extrapolated``
        (float, bits/s, L -> infinity).

    Raises
    ------
    ValueError
        If the responses are not non-negative integer counts with >= 2 repeats,
        ``bin_width`` is not positive and finite, or the word lengths are out of range.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Notes
    -----
    The noise entropy of each word comes from ``repeats`` samples only; with few
    repeats its extrapolation is biased, so use many repeats for noisy responses.

    References
    ----------
    .. [1] Strong SP, Koberle R, de Ruyter van Steveninck RR, Bialek W (1998).
       Entropy and information in neural spike trains. Phys Rev Lett 80:197-200.

    Examples
    --------
    A noiseless response (all repeats identical) made of fair coin flips in 2 ms bins
    carries 1 bit per bin, 500 bits/s, and no noise entropy:

    >>> import numpy as np
    >>> from pcn_core.information import word_information
    >>> frozen = (np.random.default_rng(0).random(2000) < 0.5).astype(int)
    >>> result = word_information(np.tile(frozen, (8, 1)), 0.002, [1, 2, 3, 4], seed=0)
    >>> result["noise_entropy_rate"]
    array([0., 0., 0., 0.])
    >>> round(result["extrapolated"])
    499
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
