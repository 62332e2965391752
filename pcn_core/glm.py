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
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
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
    targets = np.arange(n_neurons) if targets is None else np.asarray(targets, dtype=np.int64).ravel()
    if targets.size == 0 or targets.min() < 0 or targets.max() >= n_neurons:
        raise ValueError(f"targets must be neuron indices in [0, {n_neurons - 1}], got {targets.tolist()}")
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
    n_cb = basis.shape[1]
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
        baseline[t_idx] = params[0]
        for s in range(n_neurons):
            cols = slice(1 + s * n_cb, 1 + (s + 1) * n_cb)
            coupling[t_idx, s] = basis @ params[cols]
            # pointwise variance of B w: diag(B Σ Bᵀ)
            coupling_se[t_idx, s] = np.sqrt(np.einsum("lm,mn,ln->l", basis, cov[cols, cols], basis))
        start = 1 + n_neurons * n_cb
        for c in range(n_stim):
            cols = slice(start + c * stim_basis.shape[1], start + (c + 1) * stim_basis.shape[1])
            stim_filters[t_idx, c] = stim_basis @ params[cols]
        results.append(res)
    return CouplingGLM(bin_width=float(bin_width), targets=targets, lags=lags, baseline=baseline,
                       coupling=coupling, coupling_se=coupling_se, stimulus_lags=stim_lags,
                       stimulus_filters=stim_filters, results=results)


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
