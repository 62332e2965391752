"""Tuning-curve fits: bell-shaped direction tuning and additive / multiplicative modulation.

* :func:`fit_von_mises`: ``r(θ) = baseline + amplitude · exp(κ (cos(θ - θ_pref) - 1))``,
  a bell-shaped circular tuning curve (peak ``baseline + amplitude`` at ``θ_pref``).
* :func:`fit_offset_gain`: ``r(θ) = offset + gain · f(θ)`` for a reference curve
  ``f``; the offset is an additive effect, the gain a multiplicative one
  (as used for the modulation of direction tuning by arm speed and position).
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
    """Bell-shaped circular tuning curve (same units as ``baseline``); angles in rad."""
    return baseline + amplitude * np.exp(kappa * (np.cos(np.asarray(theta) - preferred) - 1.0))


@dataclass(frozen=True)
class VonMisesFit:
    """Fitted :func:`von_mises` parameters (``preferred`` in rad, wrapped to (-π, π];
    ``kappa`` >= 0, dimensionless; rates in the units of the data) and the fraction
    of variance explained ``r_squared``."""
    baseline: float
    amplitude: float
    kappa: float
    preferred: float
    r_squared: float

    def __call__(self, theta):
        return von_mises(theta, self.baseline, self.amplitude, self.kappa, self.preferred)


def fit_von_mises(directions, rates) -> VonMisesFit:
    """Least-squares fit of :func:`von_mises` to ``rates`` (e.g. Hz) measured at
    ``directions`` (rad). Needs at least 5 directions and a non-constant curve.
    The amplitude is constrained >= 0 and κ to [0, 50], so the fit is a single bump.
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
    """``rates ≈ offset + gain · reference`` (offset in rate units, gain dimensionless)
    with the fraction of variance explained ``r_squared``."""
    offset: float
    gain: float
    r_squared: float


def fit_offset_gain(reference, rates) -> OffsetGainFit:
    """Linear least-squares fit ``rates = offset + gain · reference`` (both 1-D, same
    shape; the reference must not be constant)."""
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
    """Change of offset (rate units) and gain (dimensionless) from one condition to
    another, both fitted against the same reference curve, with bootstrap standard
    errors (resampling trials within each condition)."""
    offset_change: float
    gain_change: float
    offset_se: float
    gain_se: float

    @property
    def offset_z(self) -> float:
        return self.offset_change / self.offset_se if self.offset_se > 0 else float("nan")

    @property
    def gain_z(self) -> float:
        return self.gain_change / self.gain_se if self.gain_se > 0 else float("nan")


def _offset_gain_batch(reference, rates):
    """Closed-form least squares of rates = offset + gain · reference along the last axis."""
    f = reference - reference.mean(axis=-1, keepdims=True)
    gain = np.sum(f * rates, axis=-1) / np.sum(f * f, axis=-1)
    offset = rates.mean(axis=-1) - gain * reference.mean(axis=-1)
    return offset, gain


def offset_gain_change(reference, first, second, *, n_boot: int = 200, seed=None) -> OffsetGainChange:
    """Offset and gain of ``second`` minus those of ``first``, each fitted as
    ``offset + gain · mean(reference)`` (see :func:`fit_offset_gain`).

    ``reference``, ``first``, ``second``: arrays (n_directions, n_trials) of
    single-trial rates (e.g. Hz); trial counts may differ between conditions.
    Standard errors come from ``n_boot`` bootstrap resamples of the trials of
    every condition (the reference included), drawn from ``seed``.
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
