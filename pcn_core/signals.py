"""Input signals on a time grid of step ``dt`` (s): white noise, smoothed white
noise, pulses. Every random draw comes from a ``seed`` or a numpy Generator."""
from __future__ import annotations

import numpy as np
import scipy.signal

from . import validation


def _steps(duration: float, dt: float) -> int:
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    if not (np.isfinite(duration) and duration > 0):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    return int(round(duration / dt))


def time_grid(duration: float, dt: float) -> np.ndarray:
    """Times (s) of the ``round(duration/dt)`` steps starting at 0."""
    return dt * np.arange(_steps(duration, dt))


def white_noise(duration: float, dt: float, std: float = 1.0, *, shape=(), seed=None) -> np.ndarray:
    """Independent Gaussian samples, one per step, with standard deviation ``std``.

    Returns an array of shape ``(n_steps, *shape)``.
    """
    std = validation.real(std, "std", low=0.0)
    extra = tuple(int(n) for n in np.atleast_1d(shape)) if np.ndim(shape) or shape != () else ()
    return std * validation.rng(seed).standard_normal((_steps(duration, dt), *extra))


def smoothed_white_noise(duration: float, dt: float, tau: float, std: float = 1.0, *, mean: float = 0.0,
                         shape=(), seed=None) -> np.ndarray:
    """White noise low-pass filtered by an exponential kernel of time constant ``tau`` (s),
    rescaled so its stationary standard deviation is ``std`` (started in the stationary state).

    Returns an array of shape ``(n_steps, *shape)``.
    """
    if not (np.isfinite(tau) and tau > 0):
        raise ValueError(f"tau must be a positive number of seconds, got {tau}")
    mean = validation.real(mean, "mean")
    std = validation.real(std, "std", low=0.0)
    raw = white_noise(duration, dt, 1.0, shape=shape, seed=seed)
    a = np.exp(-dt / tau)
    # AR(1) with unit stationary variance; the first sample is drawn from it.
    filtered = scipy.signal.lfilter([np.sqrt(1 - a * a)], [1.0, -a], raw, axis=0, zi=(1 - np.sqrt(1 - a * a)) * raw[:1])[0]
    return mean + std * filtered


def pulse(duration: float, dt: float, start: float, stop: float, amplitude: float = 1.0) -> np.ndarray:
    """A rectangular pulse of height ``amplitude`` on [start, stop) s, zero elsewhere."""
    start = validation.real(start, "start", unit="s")
    stop = validation.real(stop, "stop", unit="s")
    amplitude = validation.real(amplitude, "amplitude")
    if not stop > start:
        raise ValueError(f"stop must exceed start, got [{start}, {stop})")
    t = time_grid(duration, dt)
    return np.where((t >= start) & (t < stop), amplitude, 0.0)
