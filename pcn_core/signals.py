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


def white_noise_until(duration: float, dt: float, density: float, stop: float, *, seed=None) -> np.ndarray:
    """White noise of spectral density ``density`` while an input is on, zero from ``stop`` on.

    The sensory noise of Boerlin et al. (2013): it accompanies the stimulus and stops with it.
    Each step of ``dt`` gets a Gaussian sample of standard deviation ``density / sqrt(dt)``
    on ``[0, stop)`` s and 0 afterwards. One standard normal is drawn for every step, also
    after ``stop``, so the draws that follow from the same Generator do not depend on ``stop``.

    Parameters
    ----------
    duration : float
        Length of the signal in s, > 0 (``round(duration / dt)`` steps).
    dt : float
        Time step in s, > 0.
    density : float
        Noise density in signal units per √s (per-step s.d. ``density / sqrt(dt)``), >= 0.
    stop : float
        Time in s from which the noise is 0 (``stop <= 0``: no noise at all; ``stop >= duration``:
        noise throughout).
    seed : int, None or np.random.Generator
        Source of the draws; a Generator continues its stream.

    Returns
    -------
    (n_steps,) float array
        The noise, in signal units per step.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not a positive number of seconds, ``density`` is negative or
        not finite, or ``stop`` is not finite.
    TypeError
        If ``seed`` is not None, an integer >= 0 or a Generator.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Figs 1, 3, 4 and 7.

    Examples
    --------
    >>> noise = white_noise_until(1.0, 1e-3, 0.1, 0.5, seed=0)
    >>> noise.shape
    (1000,)
    >>> bool(np.all(noise[500:] == 0)), bool(np.all(noise[:500] != 0))
    (True, True)
    """
    density = validation.real(density, "density", low=0.0, unit="per √s")
    stop = validation.real(stop, "stop", unit="s")
    t = time_grid(duration, dt)
    # per-step s.d. formed first, then times the draws: the rounding the notebooks' committed numbers used
    return np.where(t < stop, density / np.sqrt(dt), 0.0) * validation.rng(seed).standard_normal(t.size)
