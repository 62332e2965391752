"""Poisson GLM coupling filters (Pillow et al. 2008), fitted with statsmodels.

Each target neuron's spike count in bin ``t`` (width ``Δ``, s) is modelled as

    n_i(t) ~ Poisson(Δ · exp(b_i + Σ_s (k_is * stim_s)(t) + Σ_j (h_ij * n_j)(t)))

where ``h_ij`` (the coupling filter from neuron j, ``h_ii`` the neuron's own
history filter) acts on past bins only (lags ``Δ, 2Δ, ...``) and the stimulus
filters ``k_is`` may include lag 0. Filters are linear combinations of a basis
(raised cosines on a log-stretched time axis, :func:`raised_cosine_basis`), so
each fit is an ordinary Poisson GLM with a log link solved by statsmodels
(iteratively reweighted least squares, or BFGS on the log-likelihood with an
optional L2 penalty on the filter weights). Filters are in units of log rate (a
filter value ``h`` multiplies the rate by ``e^h`` per presynaptic spike at
that lag). :func:`simulate_glm_population` draws spike counts from such a model
and is used to check that a fit recovers known filters.

For long recordings (hours of 1 ms bins, where the design matrix alone would take
gigabytes), :func:`fit_coupling_glm_streaming` fits the same model by Newton's
method with the gradient and Hessian summed chunk by chunk, the design rows built on
the fly, and :func:`coupling_glm_convergence` refits growing prefixes of a recording
to show how the filters and their standard errors converge with its length.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
import scipy.fft
import scipy.linalg
import scipy.linalg.blas
import scipy.optimize
import scipy.signal
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from . import validation


def raised_cosine_basis(n_basis: int, max_lag: float, bin_width: float, *, first_peak: float = 0.0,
                        last_peak: float | None = None, stretch: float = 0.01, first_lag: int = 1):
    """Raised-cosine basis on a log-stretched time axis (Pillow et al. 2008).

    Function ``m`` is ``(1 + cos(clip(phi(t) - phi_m, -pi, pi))) / 2`` with
    ``phi(t) = c log(t + stretch)`` and peaks ``phi_m`` equally spaced in ``phi``
    from ``first_peak`` to ``last_peak``, the scale ``c`` chosen so that
    neighbouring peaks are ``pi`` apart: neighbouring functions overlap by half and
    sum to one between the first and last peaks. A small ``stretch`` packs the
    functions near lag 0 (fine temporal detail early, broad late).

    Parameters
    ----------
    n_basis : int
        Number of functions, integer >= 2.
    max_lag : float
        Longest lag represented in s, finite and >= ``bin_width``.
    bin_width : float
        Bin width in s, finite and > 0.
    first_peak : float, optional
        Lag of the first peak in s, ``0 <= first_peak < last_peak`` (default 0).
    last_peak : float, optional
        Lag of the last peak in s, ``<= max_lag`` (default ``max_lag / 2``).
    stretch : float, optional
        Offset of the logarithmic time axis in s, finite and > 0 (default 0.01).
    first_lag : {0, 1}, optional
        Lag in bins of the first row: 1 (default) for spike history (strictly
        causal), 0 for a stimulus filter that may act within the same bin.

    Returns
    -------
    lags : (n_lags,) float array
        Lags in s, ``bin_width * (first_lag + k)`` up to ``max_lag``.
    basis : (n_lags, n_basis) float array
        Basis functions (dimensionless, in [0, 1]).

    Raises
    ------
    TypeError
        If ``n_basis`` is not an integer (``4.0`` and booleans are refused).
    ValueError
        If a parameter is outside the range given above.

    References
    ----------
    .. [1] Pillow JW, Shlens J, Paninski L, Sher A, Litke AM, Chichilnisky EJ,
       Simoncelli EP (2008). Spatio-temporal correlations and visual signalling in a
       complete neuronal population. Nature 454:995-999.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.glm import raised_cosine_basis
    >>> lags, basis = raised_cosine_basis(4, 0.05, 0.001)
    >>> lags.shape, basis.shape, lags[:2]
    ((50,), (50, 4), array([0.001, 0.002]))
    >>> bool(np.allclose(basis.sum(axis=1)[lags <= 0.025], 1.0))  # up to the last peak
    True
    """
    n_basis = validation.count(n_basis, "n_basis", low=2)
    if not (np.isfinite(bin_width) and bin_width > 0):
        raise ValueError(f"bin_width must be > 0 s, got {bin_width}")
    if not (np.isfinite(max_lag) and max_lag >= bin_width):
        raise ValueError(f"max_lag must be >= bin_width ({bin_width} s), got {max_lag}")
    if first_lag not in (0, 1):
        raise ValueError(f"first_lag must be 0 or 1, got {first_lag}")
    if not (np.isfinite(stretch) and stretch > 0):
        raise ValueError(f"stretch must be > 0 s, got {stretch}")
    last_peak = max_lag / 2 if last_peak is None else float(last_peak)
    if not 0 <= first_peak < last_peak <= max_lag:
        raise ValueError(f"need 0 <= first_peak < last_peak <= max_lag, got first_peak={first_peak}, "
                         f"last_peak={last_peak}, max_lag={max_lag} s")
    n_lags = int(np.floor(max_lag / bin_width + 1e-9)) - first_lag + 1
    lags = bin_width * (first_lag + np.arange(n_lags))
    log_peaks = np.log(np.array([first_peak, last_peak]) + stretch)
    if not log_peaks[1] > log_peaks[0]:  # peaks closer than float resolution: zero spacing below
        raise ValueError(f"last_peak - first_peak is too small to separate the peaks on the log axis, got "
                         f"first_peak={first_peak}, last_peak={last_peak} s")
    centres = np.linspace(log_peaks[0], log_peaks[1], int(n_basis))
    spacing = centres[1] - centres[0]
    # neighbouring peaks are π apart in phase, so the functions sum to one between the peaks
    phase = (np.log(lags + stretch)[:, None] - centres[None, :]) * np.pi / spacing
    basis = 0.5 * (1.0 + np.cos(np.clip(phase, -np.pi, np.pi)))
    return lags, basis


def _filtered(series: np.ndarray, basis: np.ndarray, first_lag: int) -> np.ndarray:
    """Causal convolution of each column of ``series`` (T, n) with each basis function:
    out[t, s, m] = Σ_k basis[k, m] series[t - first_lag - k, s]. Returns (T, n * n_basis)."""
    T, n = series.shape
    kernel = np.zeros((first_lag + basis.shape[0], basis.shape[1]))
    kernel[first_lag:] = basis
    out = np.empty((T, n, basis.shape[1]))
    for m in range(basis.shape[1]):
        out[:, :, m] = scipy.signal.fftconvolve(series, kernel[:, m][:, None], mode="full", axes=0)[:T]
    return out.reshape(T, n * basis.shape[1])


@dataclass
class CouplingGLM:
    """Filters of a fitted Poisson GLM, returned by :func:`fit_coupling_glm`.

    Attributes
    ----------
    bin_width : float
        Bin width, s.
    targets : (n_targets,) int64 array
        Indices of the fitted neurons.
    lags : (n_lags,) float array
        Lags of the coupling filters, s (``bin_width, 2 bin_width, ...``).
    baseline : (n_targets,) float array
        Log rate with all inputs at zero, log Hz.
    coupling : (n_targets, n_neurons, n_lags) float array
        ``coupling[t, s]`` is the filter from source ``s`` onto target ``targets[t]``
        (log-rate units: ``e^h`` is the rate factor per presynaptic spike at that
        lag); ``s == targets[t]`` is the history filter.
    coupling_se : (n_targets, n_neurons, n_lags) float array
        Pointwise standard error of ``coupling`` (log-rate units).
    stimulus_lags : (n_stim_lags,) float array
        Lags of the stimulus filters, s (empty without stimulus).
    stimulus_filters : (n_targets, n_stim, n_stim_lags) float array
        ``stimulus_filters[t, c]`` is the filter of stimulus column ``c`` (log rate
        per stimulus unit).
    results : list
        The statsmodels results (ridge = 0) or scipy optimisation results (ridge > 0)
        of each target.

    Examples
    --------
    Two neurons at 20 Hz in 2 ms bins; neuron 0 excites neuron 1 through a filter
    made of the basis (log-rate units: +0.7 at 2 ms, decaying by 10 ms):

    >>> import numpy as np
    >>> from pcn_core.glm import fit_coupling_glm, raised_cosine_basis, simulate_glm_population
    >>> lags, basis = raised_cosine_basis(3, 0.02, 0.002)
    >>> true_filter = basis @ np.array([1.0, 0.5, 0.0])
    >>> filters = np.zeros((2, 2, lags.size))
    >>> filters[1, 0] = true_filter
    >>> counts = simulate_glm_population(np.log([20.0, 20.0]), filters, 0.002, 20_000, seed=0)
    >>> fit = fit_coupling_glm(counts, 0.002, basis, targets=[1])
    >>> fit.coupling.shape, fit.lags[:3]
    ((1, 2, 10), array([0.002, 0.004, 0.006]))
    """
    bin_width: float
    targets: np.ndarray
    lags: np.ndarray
    baseline: np.ndarray
    coupling: np.ndarray
    coupling_se: np.ndarray
    stimulus_lags: np.ndarray
    stimulus_filters: np.ndarray
    results: list = field(repr=False, default_factory=list)


def fit_coupling_glm(counts, bin_width: float, basis, *, targets=None, stimulus=None,
                     stimulus_basis=None, stimulus_first_lag: int = 0, discard: int | None = None,
                     ridge: float = 0.0) -> CouplingGLM:
    """Fit a Poisson GLM with coupling filters to each target neuron.

    ``n_i(t) ~ Poisson(bin_width * exp(b_i + sum_s (k_is * stim_s)(t)
    + sum_j (h_ij * n_j)(t)))`` (module docstring), the model Boerlin et al. fit to
    10 recorded neurons of their network ([2]_, Methods "Measuring GLM filters",
    Eq. (54), Fig. 7F), following [1]_. The filters are linear combinations of the
    basis functions; each target
    is an ordinary Poisson GLM with a log link and offset ``log(bin_width)``,
    fitted by IRLS (statsmodels) or, with ``ridge > 0``, by Newton trust-region
    optimisation of the penalised log-likelihood.

    Parameters
    ----------
    counts : (n_neurons, n_bins) array_like of int
        Spike counts, non-negative integers, at least 2 bins. Every neuron is a
        source (its own row gives the target's history filter).
    bin_width : float
        Bin width in s, finite and > 0.
    basis : (n_lags, n_basis) array_like of float
        Coupling basis for lags ``bin_width, 2 bin_width, ...`` (from
        :func:`raised_cosine_basis` with ``first_lag=1``), finite.
    targets : sequence of int, optional
        Indices of the neurons to fit, in ``[0, n_neurons - 1]`` (default all).
    stimulus : (n_bins,) or (n_bins, n_stim) array_like of float, optional
        A covariate such as the input ``c(t)``, finite.
    stimulus_basis : (n_stim_lags, n_stim_basis) array_like of float, optional
        Basis for the stimulus filters, required with ``stimulus``; its first row is
        lag ``stimulus_first_lag`` bins.
    stimulus_first_lag : {0, 1}, optional
        Lag in bins of the first row of ``stimulus_basis`` (default 0).
    discard : int, optional
        Bins at the start left out of the likelihood, in ``[0, n_bins - 2]``
        (default: the longest filter, so every fitted bin sees a full history).
    ridge : float, optional
        L2 penalty ``ridge * sum(w**2) / 2`` subtracted from the total log-likelihood,
        on every filter weight ``w`` (not on the baseline); finite, >= 0,
        dimensionless (a Gaussian prior of standard deviation ``1/sqrt(ridge)`` on
        each basis weight). 0 (default) is plain maximum likelihood by IRLS; a small
        ridge keeps units whose spikes are (quasi-)separated by the covariates from
        diverging. The standard errors then come from the penalised Hessian.

    Returns
    -------
    CouplingGLM
        Baselines (log Hz), coupling and stimulus filters (log-rate units) with
        pointwise standard errors.

    Raises
    ------
    ValueError
        If an input is outside the range given above, a target has no spike in the
        fitted bins, a fit does not converge to finite filters, or, without ridge,
        the fitted covariate terms move the log rate by more than 15 in some bin
        (the signature of quasi-separation); no NaN or runaway filter is returned.
    TypeError
        If ``targets`` are not integers (``2.0`` is refused, not truncated).

    See Also
    --------
    simulate_glm_population : draw spike counts from such a model.

    References
    ----------
    .. [1] Pillow JW, Shlens J, Paninski L, Sher A, Litke AM, Chichilnisky EJ,
       Simoncelli EP (2008). Spatio-temporal correlations and visual signalling in a
       complete neuronal population. Nature 454:995-999.
    .. [2] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.

    Examples
    --------
    Two neurons at 20 Hz in 2 ms bins; neuron 0 excites neuron 1 through a filter
    made of the basis (log-rate units: +0.7 at 2 ms, decaying by 10 ms):

    >>> import numpy as np
    >>> from pcn_core.glm import fit_coupling_glm, raised_cosine_basis, simulate_glm_population
    >>> lags, basis = raised_cosine_basis(3, 0.02, 0.002)
    >>> true_filter = basis @ np.array([1.0, 0.5, 0.0])
    >>> filters = np.zeros((2, 2, lags.size))
    >>> filters[1, 0] = true_filter
    >>> counts = simulate_glm_population(np.log([20.0, 20.0]), filters, 0.002, 20_000, seed=0)
    >>> fit = fit_coupling_glm(counts, 0.002, basis, targets=[1])

    The fit recovers the baseline ``log 20 = 3.0`` and the filter, and finds no
    history effect, within three standard errors at every lag:

    >>> np.round(fit.baseline, 1)
    array([3.])
    >>> bool(np.all(np.abs(fit.coupling[0, 0] - true_filter) <= 3 * fit.coupling_se[0, 0] + 1e-9))
    True
    >>> bool(np.all(np.abs(fit.coupling[0, 1]) <= 3 * fit.coupling_se[0, 1] + 1e-9))
    True
    """
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[1] < 2:
        raise ValueError(f"counts must be 2-D (n_neurons, n_bins), got shape {counts.shape}")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("counts must be non-negative integers")
    if not (np.isfinite(bin_width) and bin_width > 0):
        raise ValueError(f"bin_width must be > 0 s, got {bin_width}")
    basis = np.asarray(basis, dtype=float)
    if basis.ndim != 2 or not np.all(np.isfinite(basis)):
        raise ValueError(f"basis must be a finite 2-D array (n_lags, n_basis), got shape {basis.shape}")
    n_neurons, n_bins = counts.shape
    # integer indices only: a float target (even 2.0) is refused rather than truncated
    targets = np.arange(n_neurons) if targets is None else validation.indices(targets, n_neurons, "targets")
    if targets.size == 0:
        raise ValueError(f"targets must hold at least one neuron index in [0, {n_neurons - 1}]")
    series = counts.T.astype(float)
    columns = [_filtered(series, basis, 1)]
    n_stim, stim_lags, stim_basis = 0, np.zeros(0), np.zeros((0, 0))
    longest = basis.shape[0]
    if stimulus is not None:
        stim = np.asarray(stimulus, dtype=float)
        stim = stim[:, None] if stim.ndim == 1 else stim
        if stim.ndim != 2 or stim.shape[0] != n_bins or not np.all(np.isfinite(stim)):
            raise ValueError(f"stimulus must be finite with shape (n_bins={n_bins},) or (n_bins, n_stim), got {stim.shape}")
        if stimulus_basis is None:
            raise ValueError("stimulus_basis is required with stimulus")
        if stimulus_first_lag not in (0, 1):
            raise ValueError(f"stimulus_first_lag must be 0 or 1, got {stimulus_first_lag}")
        stim_basis = np.asarray(stimulus_basis, dtype=float)
        if stim_basis.ndim != 2 or not np.all(np.isfinite(stim_basis)):
            raise ValueError(f"stimulus_basis must be a finite 2-D array, got shape {stim_basis.shape}")
        n_stim = stim.shape[1]
        columns.append(_filtered(stim, stim_basis, stimulus_first_lag))
        stim_lags = bin_width * (stimulus_first_lag + np.arange(stim_basis.shape[0]))
        longest = max(longest, stimulus_first_lag + stim_basis.shape[0])
    if not (np.isfinite(ridge) and ridge >= 0):
        raise ValueError(f"ridge must be a finite number >= 0, got {ridge}")
    discard = longest if discard is None else int(discard)
    if not 0 <= discard < n_bins - 1:
        raise ValueError(f"discard must be in [0, {n_bins - 2}] bins, got {discard}")
    design = sm.add_constant(np.hstack(columns)[discard:], has_constant="add")
    offset = np.full(design.shape[0], np.log(bin_width))
    lags = bin_width * (1 + np.arange(basis.shape[0]))
    coupling = np.empty((targets.size, n_neurons, basis.shape[0]))
    coupling_se = np.empty_like(coupling)
    stim_filters = np.empty((targets.size, n_stim, stim_basis.shape[0]))
    baseline = np.empty(targets.size)
    results = []
    for t_idx, target in enumerate(targets):
        y = counts[target, discard:].astype(float)
        if y.sum() == 0:
            raise ValueError(f"target neuron {target} has no spikes in the fitted bins; its rate cannot be fitted")
        res, params, cov = _fit_one(y, design, offset, float(ridge), target)
        baseline[t_idx] = _unpack_weights(params, cov, basis, stim_basis, n_neurons, n_stim,
                                          coupling[t_idx], coupling_se[t_idx], stim_filters[t_idx])
        results.append(res)
    return CouplingGLM(bin_width=float(bin_width), targets=targets, lags=lags, baseline=baseline,
                       coupling=coupling, coupling_se=coupling_se, stimulus_lags=stim_lags,
                       stimulus_filters=stim_filters, results=results)


def _unpack_weights(params, cov, basis, stim_basis, n_neurons, n_stim, coupling, coupling_se, stim_filters) -> float:
    """Filters of one target from its weights (constant, coupling, stimulus) and their posterior
    covariance: fills ``coupling`` and ``coupling_se`` (n_neurons, n_lags) and ``stim_filters``
    (n_stim, n_stim_lags) in place and returns the baseline (the one conversion both fits use)."""
    n_cb = basis.shape[1]
    for s in range(n_neurons):
        cols = slice(1 + s * n_cb, 1 + (s + 1) * n_cb)
        coupling[s] = basis @ params[cols]
        # pointwise variance of B w: diag(B Σ Bᵀ)
        coupling_se[s] = np.sqrt(np.einsum("lm,mn,ln->l", basis, cov[cols, cols], basis))
    start = 1 + n_neurons * n_cb
    for c in range(n_stim):
        cols = slice(start + c * stim_basis.shape[1], start + (c + 1) * stim_basis.shape[1])
        stim_filters[c] = stim_basis @ params[cols]
    return float(params[0])


# a covariate term moving the log rate by more than this (a factor ~3e6) marks a diverging fit
_SEPARATED = 15.0


def _fit_one(y, design, offset, ridge, target):
    """Maximum-likelihood (ridge = 0, IRLS) or ridge-penalised (BFGS through
    statsmodels) Poisson fit of one target; returns (results, params, covariance)
    or raises ValueError if the fit fails."""
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=offset)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            if ridge == 0:
                res = model.fit()
                params, cov = np.asarray(res.params), np.asarray(res.cov_params())
                converged = bool(res.converged)
            else:
                # BFGS is run on columns scaled to unit standard deviation (stimulus columns can
                # be large); the penalty is rescaled so that the objective is unchanged
                scale = design.std(axis=0)
                scale[0] = 1.0
                scale[scale == 0] = 1.0
                scaled = sm.GLM(y, design / scale, family=sm.families.Poisson(), offset=offset)
                # statsmodels scales the penalty per observation: ½ alpha Σ w² against loglike / n
                alpha = ridge / y.size / scale**2
                alpha[0] = 0.0  # the baseline is not penalised
                start = np.zeros(design.shape[1])
                start[0] = np.log(y.mean()) - offset[0]
                penalty = np.diag(alpha * y.size)
                # Newton trust region on the penalised log-likelihood (statsmodels' own
                # fit_regularized uses BFGS, far slower on long recordings)
                res = scipy.optimize.minimize(
                    lambda w: -scaled.loglike(w, scale=1.0) + 0.5 * w @ penalty @ w, start,
                    jac=lambda w: -scaled.score(w, scale=1.0) + penalty @ w,
                    hess=lambda w: -scaled.hessian(w, scale=1.0) + penalty, method="trust-exact",
                    options={"gtol": 1e-6 * y.size ** 0.5, "maxiter": 200})
                if not res.success:
                    raise ValueError(res.message)
                params = res.x / scale
                # posterior covariance: inverse of the penalised observed information
                information = -model.hessian(params, scale=1.0) + ridge * np.diag(np.r_[0.0, np.ones(params.size - 1)])
                cov = np.linalg.inv(information)
                converged = True
        except (ConvergenceWarning, ValueError, np.linalg.LinAlgError) as err:
            raise ValueError(f"the GLM fit of target neuron {target} did not converge ({err}); "
                             f"its spikes may be (quasi-)separated by the covariates: use ridge > 0") from err
    if not (converged and np.all(np.isfinite(params)) and np.all(np.isfinite(np.diag(cov)))):
        raise ValueError(f"the GLM fit of target neuron {target} did not converge to finite filters; "
                         f"its spikes may be (quasi-)separated by the covariates: use ridge > 0")
    if ridge == 0 and np.max(np.abs(design[:, 1:] @ params[1:])) > _SEPARATED:
        # IRLS "converges" on quasi-separated data by walking weights towards ±∞ (a penalised
        # optimum is finite by construction, so the check is for the ML fit only)
        raise ValueError(f"the GLM fit of target neuron {target} drove the log rate by more than {_SEPARATED:g} "
                         f"(a factor e^{_SEPARATED:g}): its spikes are (quasi-)separated by the covariates; use ridge > 0")
    return res, params, cov


@numba.njit(cache=True)
def _simulate_glm(baseline, filters, bin_width, n_bins, rng, counts):
    N, _, L = filters.shape
    for t in range(n_bins):
        for i in range(N):
            eta = baseline[i]
            for j in range(N):
                for k in range(min(L, t)):
                    eta += filters[i, j, k] * counts[j, t - 1 - k]
            mean_count = np.exp(eta) * bin_width
            if not mean_count <= 1e3:  # runaway positive feedback (or overflow)
                return t
            counts[i, t] = rng.poisson(mean_count)
    return -1


def simulate_glm_population(baseline, filters, bin_width: float, n_bins: int, *, seed=None) -> np.ndarray:
    """Spike counts of a coupled Poisson GLM population.

    ``n_i(t) ~ Poisson(bin_width * exp(baseline_i + sum_j sum_k filters[i, j, k] n_j(t-1-k)))``,
    bin by bin. Positive feedback can make such a model explode; the run fails
    loudly if the mean count in a bin exceeds 1000 or the mean count per bin over
    the run exceeds 1 for some neuron.

    Parameters
    ----------
    baseline : (N,) array_like of float
        Log rates with no input, log Hz, finite.
    filters : (N, N, L) array_like of float
        Coupling filters at lags ``bin_width .. L*bin_width`` (log-rate units),
        finite; ``filters[i, j]`` acts from neuron ``j`` onto ``i``, ``[i, i]`` is
        the history filter.
    bin_width : float
        Bin width in s, finite and > 0.
    n_bins : int
        Number of bins, integer >= 1.
    seed : int, None or np.random.Generator, optional
        Source of the Poisson draws.

    Returns
    -------
    (N, n_bins) int64 array
        Spike counts per bin.

    Raises
    ------
    ValueError
        If the shapes do not match, a value is not finite, ``bin_width`` is not
        positive, ``n_bins`` is not an integer >= 1, or the population runs away.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    fit_coupling_glm : recover the filters from the counts.

    Examples
    --------
    Without coupling the neurons are Poisson at ``exp(baseline)``:

    >>> import numpy as np
    >>> from pcn_core.glm import simulate_glm_population
    >>> counts = simulate_glm_population(np.log([10.0, 40.0]), np.zeros((2, 2, 5)), 0.001,
    ...                                  100_000, seed=0)
    >>> np.round(counts.mean(axis=1) / 0.001)
    array([10., 40.])
    """
    baseline = np.asarray(baseline, dtype=float)
    filters = np.asarray(filters, dtype=float)
    if baseline.ndim != 1 or filters.ndim != 3 or filters.shape[:2] != (baseline.size, baseline.size):
        raise ValueError(f"need baseline (N,) and filters (N, N, L), got {baseline.shape} and {filters.shape}")
    if not (np.all(np.isfinite(baseline)) and np.all(np.isfinite(filters))):
        raise ValueError("baseline and filters must be finite")
    if not (np.isfinite(bin_width) and bin_width > 0):
        raise ValueError(f"bin_width must be > 0 s, got {bin_width}")
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be an integer >= 1, got {n_bins}")
    rng = validation.rng(seed)
    counts = np.zeros((baseline.size, int(n_bins)), dtype=np.int64)
    failed_at = _simulate_glm(baseline, filters, float(bin_width), int(n_bins), rng, counts)
    if failed_at >= 0 or counts.mean(axis=1).max() > 1.0:
        raise ValueError("the GLM population ran away (mean count per bin > 1); use weaker positive filters")
    return counts


# ---------------------------------------------------------------------------------------------
# Streaming fit for long recordings: the design is never held whole
# ---------------------------------------------------------------------------------------------

# bins of counts validated per block (bounds the temporaries of the checks on a long recording)
_CHECK_BLOCK = 1 << 20


def _check_counts_streaming(counts) -> np.ndarray:
    """The counts as an (n_neurons, n_bins) array, checked block by block (no full-size copy)."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] < 1 or counts.shape[1] < 2:
        raise ValueError(f"counts must be 2-D (n_neurons, n_bins) with n_bins >= 2, got shape {counts.shape}")
    if counts.dtype == bool or not (np.issubdtype(counts.dtype, np.integer) or np.issubdtype(counts.dtype, np.floating)):
        raise ValueError(f"counts must be non-negative integers, got dtype {counts.dtype}")
    for a in range(0, counts.shape[1], _CHECK_BLOCK):
        block = counts[:, a:a + _CHECK_BLOCK]
        if np.issubdtype(block.dtype, np.integer):
            bad = block.min() < 0
        else:
            bad = not (np.all(np.isfinite(block)) and block.min() >= 0 and np.all(block == np.floor(block)))
        if bad:
            raise ValueError(f"counts must be non-negative integers (bins {a} to {a + block.shape[1] - 1} are not)")
    return counts


@numba.njit(cache=True)
def _scatter_filtered(block, offset, basis, first_lag, out):
    """Causal filtering of sparse counts by scattering each non-zero bin's basis rows:
    out[r, s * M + m] += block[s, u] * basis[k, m] for r = u + first_lag + k - offset
    (``out`` zeroed; its row r is bin ``offset + r`` of ``block``). Exact, and O(non-zero
    bins x n_lags x M) instead of an FFT of every column."""
    n, width = block.shape
    n_lags, n_basis = basis.shape
    n_rows = out.shape[0]
    for s in range(n):
        for u in range(width):
            c = block[s, u]
            if c != 0:
                for k in range(max(0, offset - u - first_lag), min(n_lags, n_rows + offset - u - first_lag)):
                    r = u + first_lag + k - offset
                    for m in range(n_basis):
                        out[r, s * n_basis + m] += c * basis[k, m]


def _fft_filtered(series: np.ndarray, basis: np.ndarray, first_lag: int, skip: int) -> np.ndarray:
    """As :func:`_filtered` (rows ``skip`` onwards), with one forward transform per series
    column and one batched inverse (``_filtered`` transforms the series once per basis function)."""
    T, n = series.shape
    kernel = np.zeros((first_lag + basis.shape[0], basis.shape[1]))
    kernel[first_lag:] = basis
    n_fft = scipy.fft.next_fast_len(T + kernel.shape[0] - 1, real=True)
    product = scipy.fft.rfft(series, n_fft, axis=0)[:, :, None] * scipy.fft.rfft(kernel, n_fft, axis=0)[:, None, :]
    return scipy.fft.irfft(product, n_fft, axis=0)[skip:T].reshape(T - skip, n * basis.shape[1])


class _StreamingDesign:
    """Design rows ``[a, b)`` of :func:`fit_coupling_glm`'s model built on demand.

    Column order as in :func:`fit_coupling_glm`: the constant, then source ``s``
    basis function ``m`` at ``1 + s * n_basis + m``, then stimulus column ``c`` basis
    function ``m``. A row needs the preceding ``first_lag + n_lags - 1`` bins of each
    series, so each block is filtered with that much history prepended (zeros before
    bin 0, as the whole-recording convolution): rows equal the in-memory design up to
    FFT rounding. Sparse counts are scattered spike by spike, dense ones and the
    covariates go through the FFT.
    """

    def __init__(self, counts, basis, stimulus, stimulus_basis, stimulus_first_lag):
        self.counts, self.basis = counts, basis
        self.stimulus, self.stimulus_basis, self.stimulus_first_lag = stimulus, stimulus_basis, stimulus_first_lag
        n_neurons = counts.shape[0]
        self.n_coupling = n_neurons * basis.shape[1]
        n_stim_columns = 0 if stimulus is None else stimulus.shape[1] * stimulus_basis.shape[1]
        self.n_columns = 1 + self.n_coupling + n_stim_columns

    def rows(self, a: int, b: int) -> np.ndarray:
        X = np.empty((b - a, self.n_columns))
        X[:, 0] = 1.0
        n_lags = self.basis.shape[0]
        lo = max(0, a - n_lags)  # coupling lags 1 .. n_lags bins
        block = self.counts[:, lo:b]
        n_neurons, width = block.shape
        # scatter when the spikes' basis rows are fewer than the FFT's operations (rough count)
        if np.count_nonzero(block) * n_lags <= width * n_neurons * np.log2(width + n_lags):
            X[:, 1:1 + self.n_coupling] = 0.0
            _scatter_filtered(block, a - lo, self.basis, 1, X[:, 1:1 + self.n_coupling])
        else:
            X[:, 1:1 + self.n_coupling] = _fft_filtered(block.T.astype(float), self.basis, 1, a - lo)
        if self.stimulus is not None:
            lo = max(0, a - (self.stimulus_first_lag + self.stimulus_basis.shape[0] - 1))
            X[:, 1 + self.n_coupling:] = _fft_filtered(self.stimulus[lo:b], self.stimulus_basis,
                                                       self.stimulus_first_lag, a - lo)
        return X


@dataclass
class _Sums:
    """Unpenalised sums over design rows at one weight vector: ``value`` = Σ(μ - yη)
    (the negative Poisson log-likelihood without log y!), ``magnitude`` = Σ(μ + |yη|)
    (the scale of its rounding error), gradient Xᵀ(μ - y), upper triangle of XᵀdiagμX,
    and ``drive`` = max |η - offset - b| (the covariate part of the log rate)."""
    value: float
    magnitude: float
    gradient: np.ndarray
    hessian: np.ndarray
    drive: float

    @classmethod
    def zeros(cls, n_columns):
        return cls(0.0, 0.0, np.zeros(n_columns), np.zeros((n_columns, n_columns), order="F"), 0.0)

    def add(self, other: "_Sums") -> "_Sums":
        return _Sums(self.value + other.value, self.magnitude + other.magnitude, self.gradient + other.gradient,
                     np.asfortranarray(self.hessian + other.hessian), max(self.drive, other.drive))


def _streaming_pass(design, counts, log_bin, jobs, start, stop, chunk_size):
    """One sweep over rows [start, stop): each chunk's design is built once and every job
    (target, weights) accumulates its sums from it (Hessian by BLAS syrk on √μ X)."""
    sums = [_Sums.zeros(design.n_columns) for _ in jobs]
    for a in range(start, stop, chunk_size):
        b = min(a + chunk_size, stop)
        X = design.rows(a, b)
        for (target, w), s in zip(jobs, sums):
            if not np.isfinite(s.value):  # the candidate overflowed: rejected whatever follows
                continue
            y = counts[target, a:b].astype(float)
            eta = X @ w
            s.drive = max(s.drive, float(np.max(np.abs(eta - w[0]))))
            eta += log_bin
            with np.errstate(over="ignore", invalid="ignore"):
                mu = np.exp(eta)
                y_eta = y @ eta
                s.value += float(mu.sum() - y_eta)
            if not np.isfinite(s.value):
                s.value = np.inf
                continue
            s.magnitude += float(mu.sum() + np.abs(y * eta).sum())
            s.gradient += X.T @ (mu - y)
            s.hessian = scipy.linalg.blas.dsyrk(1.0, (X * np.sqrt(mu)[:, None]).T, beta=1.0, c=s.hessian, overwrite_c=1)
    return sums


@dataclass
class _TargetState:
    """Newton state of one target: the accepted point and its sums, the step being tried."""
    target: int
    weights: np.ndarray
    sums: _Sums | None = None
    step: np.ndarray | None = None
    slope: float = 0.0
    step_length: float = 1.0
    candidate: np.ndarray | None = None
    n_steps: int = 0
    n_passes: int = 0
    decrement: float = np.inf
    result: scipy.optimize.OptimizeResult | None = None


# Armijo sufficient-decrease constant and the smallest step fraction tried by the line search
_ARMIJO = 1e-4
_MIN_STEP = 2.0 ** -30


def _newton_streaming(design, counts, log_bin, targets, start_weights, discard, stop, ridge, tol, max_passes,
                      chunk_size, warm=None):
    """Penalised Poisson Newton fit of each target on rows [discard, stop).

    ``warm`` = (rows_done, list of _Sums at start_weights over [discard, rows_done)) reuses
    a shorter fit's sums: the first pass then sweeps only [rows_done, stop). Returns the
    OptimizeResult of each target and the (weights, sums) of its last accepted point.
    """
    penalty = ridge * np.r_[0.0, np.ones(design.n_columns - 1)]
    states = [_TargetState(int(t), np.asarray(w, dtype=float).copy()) for t, w in zip(targets, start_weights)]
    for s in states:
        s.candidate = s.weights
    warm_sums = {} if warm is None else {id(s): sums for s, sums in zip(states, warm[1])}
    first_row, prior = (discard, None) if warm is None else (warm[0], warm[1])
    active = list(states)
    passes = 0
    while active:
        if passes >= max_passes:
            names = ", ".join(str(s.target) for s in active)
            raise RuntimeError(f"the streaming GLM fit of target neuron(s) {names} did not converge in max_passes="
                               f"{max_passes} passes over the data (Newton step still {_decrement_text(active)}); "
                               f"raise max_passes, or use ridge > 0 if the spikes are (quasi-)separated")
        evaluated = _streaming_pass(design, counts, log_bin, [(s.target, s.candidate) for s in active],
                                    first_row, stop, chunk_size)
        passes += 1
        still = []
        for s, sums in zip(active, evaluated):
            s.n_passes += 1
            if prior is not None and s.sums is None:
                sums = warm_sums[id(s)].add(sums)
            value = sums.value + 0.5 * penalty @ s.candidate ** 2
            if s.sums is not None:
                current = s.sums.value + 0.5 * penalty @ s.weights ** 2
                # Armijo test, with an allowance for the rounding error of two long sums
                allowance = 64 * np.finfo(float).eps * (s.sums.magnitude + sums.magnitude)
                if not (np.isfinite(value) and value <= current + _ARMIJO * s.step_length * s.slope + allowance):
                    s.step_length *= 0.5
                    if s.step_length < _MIN_STEP:
                        raise RuntimeError(f"the streaming GLM fit of target neuron {s.target}: the line search found "
                                           f"no decrease along the Newton step; use ridge > 0")
                    s.candidate = s.weights + s.step_length * s.step
                    still.append(s)
                    continue
                s.n_steps += 1
            elif not np.isfinite(value):
                raise RuntimeError(f"the streaming GLM fit of target neuron {s.target}: the log-likelihood at the "
                                   f"start point is not finite")
            s.weights, s.sums = s.candidate, sums
            if _newton_step(s, penalty, tol, ridge):
                still.append(s)
        active = still
        first_row, prior = discard, None
    return [s.result for s in states], [(s.weights, s.sums) for s in states]


def _decrement_text(states):
    return ", ".join(f"{s.decrement:.2g} SE" for s in states)


def _newton_step(s: _TargetState, penalty, tol, ridge) -> bool:
    """Newton step from the accepted point of ``s``; finalises the target (returns False)
    once the step is shorter than ``tol`` posterior standard errors."""
    hessian = np.triu(s.sums.hessian) + np.triu(s.sums.hessian, 1).T + np.diag(penalty)
    gradient = s.sums.gradient + penalty * s.weights
    try:
        factor = scipy.linalg.cho_factor(hessian)
    except np.linalg.LinAlgError as err:
        raise RuntimeError(f"the streaming GLM fit of target neuron {s.target}: the penalised Hessian is not positive "
                           f"definite (a source without spikes in the fitted bins, or collinear covariates); "
                           f"use ridge > 0") from err
    step = -scipy.linalg.cho_solve(factor, gradient)
    decrement = float(np.sqrt(max(-gradient @ step, 0.0)))  # Mahalanobis length of the step, in SE
    s.decrement = decrement
    if not np.all(np.isfinite(step)):
        raise RuntimeError(f"the streaming GLM fit of target neuron {s.target} produced a non-finite Newton step")
    if decrement <= tol:
        params = s.weights + step
        if ridge == 0 and s.sums.drive > _SEPARATED:
            raise ValueError(f"the GLM fit of target neuron {s.target} drove the log rate by more than {_SEPARATED:g} "
                             f"(a factor e^{_SEPARATED:g}): its spikes are (quasi-)separated by the covariates; "
                             f"use ridge > 0")
        covariance = scipy.linalg.cho_solve(factor, np.eye(hessian.shape[0]))
        s.result = scipy.optimize.OptimizeResult(
            x=params, covariance=covariance, fun=s.sums.value + 0.5 * penalty @ s.weights ** 2, jac=gradient,
            hess=hessian, newton_decrement=decrement, nit=s.n_steps, n_passes=s.n_passes, success=True,
            message=f"Newton step {decrement:.2g} posterior SE <= tol {tol:g}")
        return False
    s.step, s.slope, s.step_length = step, float(gradient @ step), 1.0
    s.candidate = s.weights + step
    return True


@dataclass
class _StreamingProblem:
    """Checked inputs of a streaming fit."""
    counts: np.ndarray
    bin_width: float
    basis: np.ndarray
    stimulus: np.ndarray | None
    stimulus_basis: np.ndarray
    stimulus_first_lag: int
    longest: int
    ridge: float
    chunk_size: int
    tol: float
    max_passes: int
    design: _StreamingDesign


def _streaming_problem(counts, bin_width, basis, stimulus, stimulus_basis, stimulus_first_lag, ridge, chunk_size,
                       tol, max_passes) -> _StreamingProblem:
    counts = _check_counts_streaming(counts)
    n_bins = counts.shape[1]
    bin_width = validation.real(bin_width, "bin_width", low=0.0, low_open=True, unit="s")
    basis = np.asarray(basis, dtype=float)
    if basis.ndim != 2 or basis.shape[0] < 1 or basis.shape[1] < 1 or not np.all(np.isfinite(basis)):
        raise ValueError(f"basis must be a finite 2-D array (n_lags, n_basis), got shape {basis.shape}")
    longest = basis.shape[0]
    stim, stim_basis = None, np.zeros((0, 0))
    if stimulus is not None:
        stim = np.asarray(stimulus, dtype=float)
        stim = stim[:, None] if stim.ndim == 1 else stim
        if stim.ndim != 2 or stim.shape[0] != n_bins or stim.shape[1] < 1:
            raise ValueError(f"stimulus must have shape (n_bins={n_bins},) or (n_bins, n_stim), got {np.shape(stimulus)}")
        for a in range(0, n_bins, _CHECK_BLOCK):
            if not np.all(np.isfinite(stim[a:a + _CHECK_BLOCK])):
                raise ValueError(f"stimulus must be finite (bins {a} to {min(a + _CHECK_BLOCK, n_bins) - 1} are not)")
        if stimulus_basis is None:
            raise ValueError("stimulus_basis is required with stimulus")
        if stimulus_first_lag not in (0, 1) or isinstance(stimulus_first_lag, bool):
            raise ValueError(f"stimulus_first_lag must be 0 or 1, got {stimulus_first_lag}")
        stim_basis = np.asarray(stimulus_basis, dtype=float)
        if stim_basis.ndim != 2 or stim_basis.shape[0] < 1 or stim_basis.shape[1] < 1 \
                or not np.all(np.isfinite(stim_basis)):
            raise ValueError(f"stimulus_basis must be a finite 2-D array, got shape {stim_basis.shape}")
        longest = max(longest, stimulus_first_lag + stim_basis.shape[0])
    ridge = validation.real(ridge, "ridge", low=0.0)
    chunk_size = validation.count(chunk_size, "chunk_size", low=1)
    tol = validation.real(tol, "tol", low=0.0, low_open=True)
    max_passes = validation.count(max_passes, "max_passes", low=1)
    design = _StreamingDesign(counts, basis, stim, stim_basis, int(stimulus_first_lag))
    return _StreamingProblem(counts, bin_width, basis, stim, stim_basis, int(stimulus_first_lag), longest, ridge,
                             chunk_size, tol, max_passes, design)


def _streaming_discard(discard, longest, n_bins):
    discard = longest if discard is None else validation.count(discard, "discard", low=0)
    if not discard < n_bins - 1:
        raise ValueError(f"discard must be in [0, {n_bins - 2}] bins, got {discard}")
    return discard


def _start_weights(problem, target, discard, stop):
    """Baseline at the target's mean rate in the fitted bins, filters at zero."""
    n_spikes = float(problem.counts[target, discard:stop].sum())
    if n_spikes == 0:
        raise ValueError(f"target neuron {target} has no spikes in the fitted bins; its rate cannot be fitted")
    weights = np.zeros(problem.design.n_columns)
    weights[0] = np.log(n_spikes / (stop - discard) / problem.bin_width)
    return weights


def _coupling_glm(problem, targets, results) -> CouplingGLM:
    """CouplingGLM from the fitted weights and posterior covariances (as fit_coupling_glm unpacks them)."""
    basis, stim_basis = problem.basis, problem.stimulus_basis
    n_neurons = problem.counts.shape[0]
    n_stim = 0 if problem.stimulus is None else problem.stimulus.shape[1]
    coupling = np.empty((targets.size, n_neurons, basis.shape[0]))
    coupling_se = np.empty_like(coupling)
    stim_filters = np.empty((targets.size, n_stim, stim_basis.shape[0]))
    baseline = np.empty(targets.size)
    for t_idx, res in enumerate(results):
        baseline[t_idx] = _unpack_weights(res.x, res.covariance, basis, stim_basis, n_neurons, n_stim,
                                          coupling[t_idx], coupling_se[t_idx], stim_filters[t_idx])
    stim_lags = (problem.bin_width * (problem.stimulus_first_lag + np.arange(stim_basis.shape[0]))
                 if problem.stimulus is not None else np.zeros(0))
    return CouplingGLM(bin_width=problem.bin_width, targets=targets,
                       lags=problem.bin_width * (1 + np.arange(basis.shape[0])), baseline=baseline,
                       coupling=coupling, coupling_se=coupling_se, stimulus_lags=stim_lags,
                       stimulus_filters=stim_filters, results=list(results))


def fit_coupling_glm_streaming(counts, bin_width: float, basis, *, targets=None, stimulus=None,
                               stimulus_basis=None, stimulus_first_lag: int = 0, discard: int | None = None,
                               ridge: float = 0.0, chunk_size: int = 32_768, tol: float = 1e-8,
                               max_passes: int = 50) -> CouplingGLM:
    """Fit the coupling GLM of :func:`fit_coupling_glm` to a long recording, chunk by chunk.

    The same model, likelihood and prior as :func:`fit_coupling_glm`: for each target
    ``n_i(t) ~ Poisson(bin_width * exp(b_i + sum_s (k_is * stim_s)(t)
    + sum_j (h_ij * n_j)(t)))`` on bins ``discard .. n_bins - 1``, log link, offset
    ``log(bin_width)``, and the penalty ``ridge * sum(w**2) / 2`` on every filter
    weight (not the baseline) subtracted from the log-likelihood ([1]_; [2]_, Methods
    "Measuring GLM filters", Eq. 54). It is maximised by Newton's method whose gradient
    and Hessian are summed over chunks of ``chunk_size`` bins, each chunk's design rows
    built from the counts and covariates when needed (with the preceding max-lag bins
    of history, so chunk boundaries change nothing) and shared by all targets. Memory
    is O(``chunk_size`` x columns) beyond the inputs, whatever the recording length;
    one pass costs O(n_bins x columns^2) per target (BLAS ``syrk`` on
    ``sqrt(mu) X``).

    Each Newton step is accepted by a backtracking (Armijo) line search on the penalised
    log-likelihood. The fit stops when the Newton step is shorter than ``tol`` posterior
    standard errors in every direction, i.e. the Newton decrement
    ``sqrt(g^T H^-1 g) <= tol`` (``g``, ``H`` the penalised gradient and Hessian); that
    last step is taken. Standard errors come from the inverse penalised Hessian, as in
    :func:`fit_coupling_glm`.

    Parameters
    ----------
    counts : (n_neurons, n_bins) array_like of int
        Spike counts, non-negative integers (an integer or integral float dtype), at
        least 2 bins. Every neuron is a source.
    bin_width : float
        Bin width in s, finite and > 0.
    basis : (n_lags, n_basis) array_like of float
        Coupling basis for lags ``bin_width, 2 bin_width, ...`` (from
        :func:`raised_cosine_basis` with ``first_lag=1``), finite.
    targets : sequence of int, optional
        Indices of the neurons to fit, in ``[0, n_neurons - 1]`` (default all). Fitting
        fewer targets costs proportionally less (the design is shared).
    stimulus : (n_bins,) or (n_bins, n_stim) array_like of float, optional
        Covariates such as the input ``c(t)``, finite.
    stimulus_basis : (n_stim_lags, n_stim_basis) array_like of float, optional
        Basis for the stimulus filters, required with ``stimulus``; its first row is
        lag ``stimulus_first_lag`` bins.
    stimulus_first_lag : {0, 1}, optional
        Lag in bins of the first row of ``stimulus_basis`` (default 0).
    discard : int, optional
        Bins at the start left out of the likelihood, integer in ``[0, n_bins - 2]``
        (default: the longest filter, as :func:`fit_coupling_glm`).
    ridge : float, optional
        L2 penalty on the filter weights, finite, >= 0, dimensionless (default 0: plain
        maximum likelihood).
    chunk_size : int, optional
        Bins per chunk, integer >= 1 (default 32768: a design chunk of 100 columns
        holds 26 MB, and the fit's working memory is about 60 MB whatever the
        recording length). Any value gives the same fit up to rounding; small values
        are slow.
    tol : float, optional
        Convergence tolerance on the Newton step, in posterior standard errors, > 0
        (default 1e-8).
    max_passes : int, optional
        Largest number of passes over the data (one per Newton step or line-search
        trial), integer >= 1 (default 50).

    Returns
    -------
    CouplingGLM
        Baselines (log Hz), coupling and stimulus filters (log-rate units) with
        pointwise standard errors. ``results[t]`` is a
        :class:`scipy.optimize.OptimizeResult` with ``x`` (the weights: constant,
        coupling, stimulus), ``covariance`` (inverse penalised Hessian), ``fun`` (the
        penalised negative log-likelihood without ``log n!``), ``jac``, ``hess``,
        ``newton_decrement``, ``nit`` (accepted Newton steps) and ``n_passes``.

    Raises
    ------
    ValueError
        If an input is outside the range given above, a target has no spike in the
        fitted bins, or, without ridge, the fitted covariate terms move the log rate by
        more than 15 in some bin (quasi-separation, as :func:`fit_coupling_glm`).
    TypeError
        If ``chunk_size``, ``max_passes`` or ``discard`` is not an integer, or
        ``bin_width``, ``ridge`` or ``tol`` not a real number.
    RuntimeError
        If the fit of a target (named) does not converge within ``max_passes`` passes,
        the line search finds no decrease, or the penalised Hessian is singular (a
        source without spikes with ``ridge = 0``).

    See Also
    --------
    fit_coupling_glm : the in-memory fit (the whole design at once).
    coupling_glm_convergence : fits of growing prefixes of one recording.

    Notes
    -----
    From a cold start (baseline at the mean rate, filters at zero) a fit takes about
    10 passes. Measured single-threaded for 10 sources at 1 ms bins with 3 covariates
    (99 columns): about 1.5 s per 10^6 bins to build the design and 1.5 s per 10^6
    bins per target, per pass. On a shared machine give BLAS one thread
    (``OPENBLAS_NUM_THREADS=1``): multi-threaded OpenBLAS competing with other
    processes made the fit several times slower.

    References
    ----------
    .. [1] Pillow JW, Shlens J, Paninski L, Sher A, Litke AM, Chichilnisky EJ,
       Simoncelli EP (2008). Spatio-temporal correlations and visual signalling in a
       complete neuronal population. Nature 454:995-999.
    .. [2] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.

    Examples
    --------
    The fit of :func:`fit_coupling_glm`'s example, in chunks of 1000 bins:

    >>> import numpy as np
    >>> from pcn_core.glm import (fit_coupling_glm, fit_coupling_glm_streaming, raised_cosine_basis,
    ...                           simulate_glm_population)
    >>> lags, basis = raised_cosine_basis(3, 0.02, 0.002)
    >>> filters = np.zeros((2, 2, lags.size))
    >>> filters[1, 0] = basis @ np.array([1.0, 0.5, 0.0])
    >>> counts = simulate_glm_population(np.log([20.0, 20.0]), filters, 0.002, 20_000, seed=0)
    >>> streamed = fit_coupling_glm_streaming(counts, 0.002, basis, targets=[1], chunk_size=1000)
    >>> in_memory = fit_coupling_glm(counts, 0.002, basis, targets=[1])
    >>> bool(np.allclose(streamed.coupling, in_memory.coupling, rtol=1e-6, atol=1e-6))
    True
    >>> bool(np.allclose(streamed.coupling_se, in_memory.coupling_se, rtol=1e-5))
    True
    >>> streamed.results[0].n_passes < 10
    True
    """
    problem = _streaming_problem(counts, bin_width, basis, stimulus, stimulus_basis, stimulus_first_lag, ridge,
                                 chunk_size, tol, max_passes)
    n_neurons, n_bins = problem.counts.shape
    targets = np.arange(n_neurons) if targets is None else validation.indices(targets, n_neurons, "targets")
    if targets.size == 0:
        raise ValueError(f"targets must hold at least one neuron index in [0, {n_neurons - 1}]")
    discard = _streaming_discard(discard, problem.longest, n_bins)
    start = [_start_weights(problem, t, discard, n_bins) for t in targets]
    results, _ = _newton_streaming(problem.design, problem.counts, np.log(problem.bin_width), targets, start, discard,
                                   n_bins, problem.ridge, problem.tol, problem.max_passes, problem.chunk_size)
    return _coupling_glm(problem, targets, results)


@dataclass
class CouplingConvergence:
    """Coupling filters of chosen pairs fitted on growing prefixes of one recording.

    Returned by :func:`coupling_glm_convergence`.

    Attributes
    ----------
    durations : (n_lengths,) float array
        Length of each prefix, s (from bin 0; the first ``discard`` bins are history only).
    fitted_bins : (n_lengths,) int64 array
        Bins in the likelihood of each fit (prefix bins minus ``discard``).
    pairs : (n_pairs, 2) int64 array
        ``(target, source)`` neuron indices of each pair.
    lags : (n_lags,) float array
        Lags of the coupling filters, s.
    filters : (n_lengths, n_pairs, n_lags) float array
        Coupling filter of each pair fitted on each prefix (log-rate units).
    filter_se : (n_lengths, n_pairs, n_lags) float array
        Its pointwise standard error (log-rate units).
    short_lag : float
        Longest lag of the short-lag mean, s.
    short_lag_mean : (n_lengths, n_pairs) float array
        Mean of the filter over lags ``<= short_lag`` (log-rate units).
    short_lag_mean_se : (n_lengths, n_pairs) float array
        Standard error of that mean, from the weights' posterior covariance (not the
        mean of the pointwise SEs, which ignores their correlation).
    fits : list of CouplingGLM
        The fit of each prefix (every source onto each target of ``pairs``).

    Examples
    --------
    See :func:`coupling_glm_convergence`.

    >>> from pcn_core.glm import CouplingConvergence
    >>> sorted(CouplingConvergence.__dataclass_fields__)[:3]
    ['durations', 'filter_se', 'filters']
    """
    durations: np.ndarray
    fitted_bins: np.ndarray
    pairs: np.ndarray
    lags: np.ndarray
    filters: np.ndarray
    filter_se: np.ndarray
    short_lag: float
    short_lag_mean: np.ndarray
    short_lag_mean_se: np.ndarray
    fits: list = field(repr=False, default_factory=list)


def coupling_glm_convergence(counts, bin_width: float, basis, pairs, *, fractions=(1 / 16, 1 / 8, 1 / 4, 1 / 2, 1),
                             short_lag: float = 0.01, stimulus=None, stimulus_basis=None,
                             stimulus_first_lag: int = 0, discard: int | None = None, ridge: float = 0.0,
                             chunk_size: int = 32_768, tol: float = 1e-8,
                             max_passes: int = 50) -> CouplingConvergence:
    """Coupling filters of chosen pairs fitted on growing prefixes of one recording.

    How the fitted filters and their standard errors converge with the length of the
    recording (the paper fits "5 hours", [2]_ Methods "Measuring GLM filters", Fig. 7F):
    the model of :func:`fit_coupling_glm_streaming` is fitted to the first
    ``fractions[k] * n_bins`` bins, for each target of ``pairs`` with every neuron as a
    source. Each fit is identical (up to rounding and ``tol``) to a separate fit of the
    prefix, but is warm-started from the previous prefix's weights, and its first
    Newton pass reuses the previous prefix's sums at those weights, sweeping only the
    new bins: the whole sequence costs about as much as one or two fits of the full
    recording.

    Parameters
    ----------
    counts : (n_neurons, n_bins) array_like of int
        Spike counts, non-negative integers.
    bin_width : float
        Bin width in s, finite and > 0.
    basis : (n_lags, n_basis) array_like of float
        Coupling basis for lags ``bin_width, 2 bin_width, ...``, finite.
    pairs : sequence of (int, int)
        ``(target, source)`` neuron indices in ``[0, n_neurons - 1]``, at least one
        pair; ``target == source`` is the history filter.
    fractions : sequence of float, optional
        Prefix lengths as fractions of the recording, strictly increasing in ``(0, 1]``,
        each prefix longer than ``discard + 1`` bins (default 1/16, 1/8, 1/4, 1/2, 1).
    short_lag : float, optional
        Longest lag of the short-lag mean in s, ``>= bin_width`` (default 0.01).
    stimulus, stimulus_basis, stimulus_first_lag, discard, ridge, chunk_size, tol, max_passes
        As :func:`fit_coupling_glm_streaming` (``discard`` is the same for every prefix).

    Returns
    -------
    CouplingConvergence
        Durations (s), filters and standard errors (log-rate units) of each pair per
        prefix, their short-lag means with standard errors, and each prefix's fit.

    Raises
    ------
    ValueError
        If an input is outside the range given above, or as
        :func:`fit_coupling_glm_streaming` for any prefix (e.g. a target without spikes
        in the shortest one).
    TypeError
        If a pair is not made of integers, or as :func:`fit_coupling_glm_streaming`.
    RuntimeError
        If the fit of a target does not converge on some prefix (named).

    See Also
    --------
    fit_coupling_glm_streaming : one fit of a long recording.

    References
    ----------
    .. [1] Pillow JW, Shlens J, Paninski L, Sher A, Litke AM, Chichilnisky EJ,
       Simoncelli EP (2008). Spatio-temporal correlations and visual signalling in a
       complete neuronal population. Nature 454:995-999.
    .. [2] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.

    Examples
    --------
    Neuron 0 excites neuron 1; the filter 0 -> 1 is fitted on the first quarter, half
    and all of 80 s of data. Its standard error shrinks about as ``1/sqrt(T)``:

    >>> import numpy as np
    >>> from pcn_core.glm import coupling_glm_convergence, raised_cosine_basis, simulate_glm_population
    >>> lags, basis = raised_cosine_basis(3, 0.02, 0.002)
    >>> filters = np.zeros((2, 2, lags.size))
    >>> filters[1, 0] = basis @ np.array([1.0, 0.5, 0.0])
    >>> counts = simulate_glm_population(np.log([20.0, 20.0]), filters, 0.002, 40_000, seed=0)
    >>> conv = coupling_glm_convergence(counts, 0.002, basis, [(1, 0)], fractions=(0.25, 0.5, 1.0))
    >>> conv.durations
    array([20., 40., 80.])
    >>> ratio = conv.short_lag_mean_se[0, 0] / conv.short_lag_mean_se[-1, 0]
    >>> bool(1.7 < ratio < 2.3)  # 2 for an SE exactly proportional to 1/sqrt(T)
    True
    """
    problem = _streaming_problem(counts, bin_width, basis, stimulus, stimulus_basis, stimulus_first_lag, ridge,
                                 chunk_size, tol, max_passes)
    n_neurons, n_bins = problem.counts.shape
    pair_array = np.asarray(pairs)
    if pair_array.ndim != 2 or pair_array.shape[1] != 2 or pair_array.shape[0] < 1:
        raise ValueError(f"pairs must be a sequence of (target, source) index pairs, got shape {pair_array.shape}")
    pair_array = validation.indices(pair_array, n_neurons, "pairs").reshape(-1, 2)
    fractions = np.asarray(fractions, dtype=float).ravel()
    if fractions.size < 1 or not np.all(np.isfinite(fractions)) or np.any(fractions <= 0) or np.any(fractions > 1) \
            or np.any(np.diff(fractions) <= 0):
        raise ValueError(f"fractions must be strictly increasing in (0, 1], got {fractions.tolist()}")
    short_lag = validation.real(short_lag, "short_lag", low=problem.bin_width, unit="s")
    discard = _streaming_discard(discard, problem.longest, n_bins)
    stops = np.round(fractions * n_bins).astype(np.int64)
    if stops[0] <= discard + 1 or np.any(np.diff(stops) <= 0):
        raise ValueError(f"fractions must give prefixes of strictly increasing length, each longer than discard + 1 "
                         f"= {discard + 1} bins; got {stops.tolist()} bins")
    targets = np.unique(pair_array[:, 0])
    row_of = {int(t): k for k, t in enumerate(targets)}
    log_bin = np.log(problem.bin_width)
    lags = problem.bin_width * (1 + np.arange(problem.basis.shape[0]))
    early = lags <= short_lag + 1e-12 * problem.bin_width
    average = problem.basis[early].mean(axis=0)  # short-lag mean of B w is average @ w
    n_cb = problem.basis.shape[1]
    fits, warm, weights = [], None, None
    short_mean = np.empty((stops.size, len(pair_array)))
    short_se = np.empty_like(short_mean)
    for k, stop in enumerate(stops):
        if warm is None:
            weights = [_start_weights(problem, t, discard, stop) for t in targets]
        results, accepted = _newton_streaming(problem.design, problem.counts, log_bin, targets, weights, discard, stop,
                                              problem.ridge, problem.tol, problem.max_passes, problem.chunk_size,
                                              warm=warm)
        weights = [w for w, _ in accepted]
        warm = (int(stop), [sums for _, sums in accepted])
        fits.append(_coupling_glm(problem, targets, results))
        for p, (target, source) in enumerate(pair_array):
            res = results[row_of[int(target)]]
            cols = slice(1 + source * n_cb, 1 + (source + 1) * n_cb)
            short_mean[k, p] = average @ res.x[cols]
            short_se[k, p] = np.sqrt(average @ res.covariance[cols, cols] @ average)
    rows = np.array([row_of[int(t)] for t in pair_array[:, 0]])
    filters = np.array([fit.coupling[rows, pair_array[:, 1]] for fit in fits])
    filter_se = np.array([fit.coupling_se[rows, pair_array[:, 1]] for fit in fits])
    return CouplingConvergence(durations=stops * problem.bin_width, fitted_bins=stops - discard, pairs=pair_array,
                               lags=lags, filters=filters, filter_se=filter_se, short_lag=short_lag,
                               short_lag_mean=short_mean, short_lag_mean_se=short_se, fits=fits)
