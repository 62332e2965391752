"""Tuning-curve fits: bell-shaped direction tuning and additive / multiplicative modulation.

* :func:`fit_von_mises`: ``r(θ) = baseline + amplitude · exp(κ (cos(θ - θ_pref) - 1))``,
  a bell-shaped circular tuning curve (peak ``baseline + amplitude`` at ``θ_pref``).
* :func:`fit_offset_gain`: ``r(θ) = offset + gain · f(θ)`` for a reference curve
  ``f``; the offset is an additive effect, the gain a multiplicative one
  (as used for the modulation of direction tuning by arm speed and position,
  Boerlin, Machens & Denève 2013, Fig. 5).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize

from . import validation


def _curve(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 1 or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be a finite 1-D array, got shape {arr.shape}")
    return arr


def von_mises(theta, baseline, amplitude, kappa, preferred):
    """Bell-shaped circular tuning curve ``baseline + amplitude * exp(kappa (cos(theta - preferred) - 1))``.

    Peaks at ``baseline + amplitude`` at ``theta = preferred`` and falls to
    ``baseline + amplitude * exp(-2 kappa)`` opposite it.

    Parameters
    ----------
    theta : float or array_like
        Directions in rad.
    baseline : float
        Rate far from the preferred direction (as ``kappa`` grows), e.g. Hz.
    amplitude : float
        Height of the bump above ``baseline``, same units.
    kappa : float
        Concentration (dimensionless, >= 0 for a bump); larger is narrower.
    preferred : float
        Preferred direction in rad.

    Returns
    -------
    float or ndarray
        Rates at ``theta``, in the units of ``baseline``.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.tuning import von_mises
    >>> float(von_mises(0.0, 5.0, 20.0, 2.0, 0.0))
    25.0
    >>> round(float(von_mises(np.pi, 5.0, 20.0, 2.0, 0.0)), 3)  # 5 + 20 exp(-4)
    5.366
    """
    return baseline + amplitude * np.exp(kappa * (np.cos(np.asarray(theta) - preferred) - 1.0))


@dataclass(frozen=True)
class VonMisesFit:
    """Fitted :func:`von_mises` parameters, returned by :func:`fit_von_mises`.

    Calling the fit evaluates the curve: ``fit(theta)`` (``theta`` in rad).

    Attributes
    ----------
    baseline : float
        Baseline rate (units of the data).
    amplitude : float
        Bump height above the baseline, >= 0 (units of the data).
    kappa : float
        Concentration, in [0, 50] (dimensionless).
    preferred : float
        Preferred direction in rad, wrapped to (-pi, pi].
    r_squared : float
        Fraction of the variance of the rates explained by the fit.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.tuning import fit_von_mises, von_mises
    >>> directions = np.linspace(-np.pi, np.pi, 16, endpoint=False)
    >>> rates = von_mises(directions, 5.0, 20.0, 2.0, 1.0)
    >>> fit = fit_von_mises(directions, rates)
    >>> round(float(fit(1.0)), 6)  # the peak, at the preferred direction
    25.0
    """
    baseline: float
    amplitude: float
    kappa: float
    preferred: float
    r_squared: float

    def __call__(self, theta):
        return von_mises(theta, self.baseline, self.amplitude, self.kappa, self.preferred)


def fit_von_mises(directions, rates) -> VonMisesFit:
    """Least-squares fit of :func:`von_mises` to rates measured at several directions.

    The amplitude is constrained >= 0 and ``kappa`` to [0, 50], so the fit is a
    single bump; fits from three starting concentrations (0.5, 2, 8) are compared
    and the best kept. Bell-shaped direction tuning is what Boerlin et al. find in
    their arm-control network ([1]_, Fig. 5B-D).

    Parameters
    ----------
    directions : (n,) array_like of float
        Directions in rad, finite, at least 5.
    rates : (n,) array_like of float
        Rates at those directions (e.g. Hz), finite, not all equal.

    Returns
    -------
    VonMisesFit
        ``baseline``, ``amplitude`` (rate units), ``kappa``, ``preferred`` (rad) and
        ``r_squared``.

    Raises
    ------
    ValueError
        If the arrays are not finite 1-D arrays of the same shape, there are fewer
        than 5 directions, or the rates are constant.
    RuntimeError
        If no start converges.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.

    Examples
    --------
    A noiseless curve gives back its parameters:

    >>> import numpy as np
    >>> from pcn_core.tuning import fit_von_mises, von_mises
    >>> directions = np.linspace(-np.pi, np.pi, 16, endpoint=False)
    >>> rates = von_mises(directions, 5.0, 20.0, 2.0, 1.0)
    >>> fit = fit_von_mises(directions, rates)
    >>> [round(v, 3) for v in (fit.baseline, fit.amplitude, fit.kappa, fit.preferred, fit.r_squared)]
    [5.0, 20.0, 2.0, 1.0, 1.0]
    """
    theta = _curve(directions, "directions")
    r = _curve(rates, "rates")
    if theta.shape != r.shape:
        raise ValueError(f"directions and rates must have the same shape, got {theta.shape} and {r.shape}")
    if theta.size < 5:
        raise ValueError(f"need at least 5 directions to fit 4 parameters, got {theta.size}")
    spread = np.ptp(r)
    if spread == 0:
        raise ValueError("rates are constant: no direction tuning to fit")
    # start from the circular mean direction weighted by the rate above minimum
    w = r - r.min()
    start_pref = float(np.angle(np.sum(w * np.exp(1j * theta))))
    best = None
    for kappa0 in (0.5, 2.0, 8.0):
        try:
            params, _ = scipy.optimize.curve_fit(
                von_mises, theta, r, p0=[r.min(), spread, kappa0, start_pref],
                bounds=([-np.inf, 0.0, 0.0, -2 * np.pi], [np.inf, np.inf, 50.0, 2 * np.pi]), maxfev=20000)
        except RuntimeError:
            continue
        sse = float(np.sum((r - von_mises(theta, *params)) ** 2))
        if best is None or sse < best[0]:
            best = (sse, params)
    if best is None:
        raise RuntimeError("von Mises fit did not converge")
    sse, (baseline, amplitude, kappa, preferred) = best
    sst = float(np.sum((r - r.mean()) ** 2))
    return VonMisesFit(float(baseline), float(amplitude), float(kappa),
                       float(np.angle(np.exp(1j * preferred))), 1.0 - sse / sst)


@dataclass(frozen=True)
class OffsetGainFit:
    """``rates ~ offset + gain * reference``, returned by :func:`fit_offset_gain`.

    Attributes
    ----------
    offset : float
        Additive effect, in rate units.
    gain : float
        Multiplicative effect (dimensionless).
    r_squared : float
        Fraction of the variance of the rates explained (NaN if the rates are constant).

    Examples
    --------
    >>> from pcn_core.tuning import fit_offset_gain
    >>> fit = fit_offset_gain([1.0, 2.0, 4.0], [5.0, 7.0, 11.0])
    >>> round(fit.offset, 6), round(fit.gain, 6), round(fit.r_squared, 6)
    (3.0, 2.0, 1.0)
    """
    offset: float
    gain: float
    r_squared: float


def fit_offset_gain(reference, rates) -> OffsetGainFit:
    """Linear least-squares fit ``rates = offset + gain * reference``.

    The offset measures an additive modulation of a tuning curve, the gain a
    multiplicative one (the modulation of direction tuning by arm speed and
    position in [1]_, Fig. 5B-D).

    Parameters
    ----------
    reference : (n,) array_like of float
        Reference tuning curve (e.g. Hz), finite, not constant.
    rates : (n,) array_like of float
        Rates to describe, same shape and units.

    Returns
    -------
    OffsetGainFit
        ``offset`` (rate units), ``gain`` (dimensionless) and ``r_squared``.

    Raises
    ------
    ValueError
        If the arrays are not finite 1-D arrays of the same shape, or the reference
        is constant.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.tuning import fit_offset_gain, von_mises
    >>> directions = np.linspace(-np.pi, np.pi, 16, endpoint=False)
    >>> rates = von_mises(directions, 5.0, 20.0, 2.0, 1.0)
    >>> fit = fit_offset_gain(rates, 3.0 + 2.0 * rates)
    >>> round(fit.offset, 6), round(fit.gain, 6), round(fit.r_squared, 6)
    (3.0, 2.0, 1.0)
    """
    f = _curve(reference, "reference")
    r = _curve(rates, "rates")
    if f.shape != r.shape:
        raise ValueError(f"reference and rates must have the same shape, got {f.shape} and {r.shape}")
    if np.ptp(f) == 0:
        raise ValueError("reference is constant: offset and gain cannot be separated")
    design = np.column_stack([np.ones_like(f), f])
    (offset, gain), *_ = np.linalg.lstsq(design, r, rcond=None)
    sst = float(np.sum((r - r.mean()) ** 2))
    sse = float(np.sum((r - offset - gain * f) ** 2))
    return OffsetGainFit(float(offset), float(gain), 1.0 - sse / sst if sst > 0 else float("nan"))


@dataclass(frozen=True)
class OffsetGainChange:
    """Change of offset and gain between two conditions, returned by :func:`offset_gain_change`.

    Both conditions are fitted against the same reference curve; standard errors
    come from bootstrap resampling of the trials within each condition.

    Attributes
    ----------
    offset_change : float
        Offset of the second condition minus that of the first, rate units.
    gain_change : float
        Gain of the second condition minus that of the first (dimensionless).
    offset_se, gain_se : float
        Bootstrap standard errors of the two changes.

    Examples
    --------
    >>> from pcn_core.tuning import OffsetGainChange
    >>> change = OffsetGainChange(offset_change=0.5, gain_change=0.2, offset_se=0.25, gain_se=0.1)
    >>> change.offset_z, change.gain_z
    (2.0, 2.0)
    """
    offset_change: float
    gain_change: float
    offset_se: float
    gain_se: float

    @property
    def offset_z(self) -> float:
        """``offset_change / offset_se`` (NaN if the standard error is 0)."""
        return self.offset_change / self.offset_se if self.offset_se > 0 else float("nan")

    @property
    def gain_z(self) -> float:
        """``gain_change / gain_se`` (NaN if the standard error is 0)."""
        return self.gain_change / self.gain_se if self.gain_se > 0 else float("nan")


def _offset_gain_batch(reference, rates):
    """Closed-form least squares of rates = offset + gain · reference along the last axis."""
    f = reference - reference.mean(axis=-1, keepdims=True)
    gain = np.sum(f * rates, axis=-1) / np.sum(f * f, axis=-1)
    offset = rates.mean(axis=-1) - gain * reference.mean(axis=-1)
    return offset, gain


def offset_gain_change(reference, first, second, *, n_boot: int = 200, seed=None) -> OffsetGainChange:
    """Offset and gain of ``second`` minus those of ``first``, both fitted against ``reference``.

    Each condition's trial-mean rates are fitted as ``offset + gain * mean(reference)``
    (closed-form least squares, as :func:`fit_offset_gain`). Standard errors
    come from ``n_boot`` bootstrap resamples of the trials of every condition (the
    reference included); resamples whose reference curve is constant are skipped.

    Parameters
    ----------
    reference, first, second : (n_directions, n_trials) array_like of float
        Single-trial rates (e.g. Hz), finite, at least 2 trials; the trial counts
        may differ between conditions, the directions must agree.
    n_boot : int, optional
        Number of bootstrap resamples, >= 2 (default 200).
    seed : int, None or np.random.Generator, optional
        Source of the bootstrap resamples.

    Returns
    -------
    OffsetGainChange
        The changes of offset (rate units) and gain (dimensionless) with bootstrap
        standard errors.

    Raises
    ------
    ValueError
        If an array is not a finite 2-D array with at least 2 trials, the numbers of
        directions differ, ``n_boot < 2``, or the trial-mean reference is constant.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 5B-D.

    Examples
    --------
    20 noisy trials per direction; the second condition has the same offset (2 Hz)
    as the first but 1.5 times its gain:

    >>> import numpy as np
    >>> from pcn_core.tuning import offset_gain_change, von_mises
    >>> directions = np.linspace(-np.pi, np.pi, 16, endpoint=False)
    >>> rates = von_mises(directions, 5.0, 20.0, 2.0, 1.0)
    >>> rng = np.random.default_rng(0)
    >>> noise = lambda: rng.normal(0.0, 1.0, (16, 20))
    >>> reference = rates[:, None] + noise()
    >>> first = 2.0 + rates[:, None] + noise()
    >>> second = 2.0 + 1.5 * rates[:, None] + noise()
    >>> change = offset_gain_change(reference, first, second, seed=0)
    >>> round(change.gain_change, 2), round(change.gain_z) > 10, abs(change.offset_z) < 2
    (0.51, True, True)
    """
    arrays = []
    for name, value in (("reference", reference), ("first", first), ("second", second)):
        arr = np.asarray(value, dtype=float)
        if arr.ndim != 2 or arr.shape[1] < 2 or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be a finite (n_directions, n_trials >= 2) array, got shape {arr.shape}")
        arrays.append(arr)
    if len({a.shape[0] for a in arrays}) != 1:
        raise ValueError("reference, first and second must have the same number of directions")
    if n_boot < 2:
        raise ValueError(f"n_boot must be >= 2, got {n_boot}")
    ref, a, b = arrays
    if np.ptp(ref.mean(axis=1)) == 0:
        raise ValueError("reference is constant: offset and gain cannot be separated")
    rng = validation.rng(seed)

    def change(r, x, y):
        oa, ga = _offset_gain_batch(r, x)
        ob, gb = _offset_gain_batch(r, y)
        return ob - oa, gb - ga

    d_off, d_gain = change(ref.mean(axis=1), a.mean(axis=1), b.mean(axis=1))

    def resample(arr):
        idx = rng.integers(0, arr.shape[1], (n_boot, arr.shape[1]))
        return arr[:, idx].mean(axis=2).T  # (n_boot, n_directions)

    boot_ref = resample(ref)
    ok = np.ptp(boot_ref, axis=1) > 0
    boot_off, boot_gain = change(boot_ref[ok], resample(a)[ok], resample(b)[ok])
    return OffsetGainChange(float(d_off), float(d_gain), float(np.std(boot_off, ddof=1)),
                            float(np.std(boot_gain, ddof=1)))
