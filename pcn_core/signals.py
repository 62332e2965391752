"""Input signals on a time grid of step ``dt`` (s): white noise, smoothed white
noise, pulses. Every random draw comes from a ``seed`` or a numpy Generator.

Every signal has ``n_steps = round(duration / dt)`` samples, one per step, the
first at ``t = 0`` (see :func:`time_grid`); the signals are in whatever unit
their amplitude (``std``, ``mean``, ``amplitude``) is given in.
"""
from __future__ import annotations

import numpy as np
import scipy.signal

from . import validation


def _steps(duration: float, dt: float) -> int:
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    if not (np.isfinite(duration) and duration > 0):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    n_steps = int(round(duration / dt))
    if n_steps == 0:  # an empty signal would only fail later, far from its cause
        raise ValueError(f"duration must be at least half a step, dt / 2 = {dt / 2} s (round(duration / dt) >= 1), "
                         f"got {duration} s")
    return n_steps


def time_grid(duration: float, dt: float) -> np.ndarray:
    """Times (s) of the ``round(duration / dt)`` steps, starting at 0.

    Parameters
    ----------
    duration : float
        Length of the signal (s), finite and > 0.
    dt : float
        Time step (s), finite and > 0.

    Returns
    -------
    (n_steps,) float ndarray
        ``dt * k`` for ``k = 0 .. n_steps - 1`` (s), ``n_steps = round(duration / dt)``.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not a finite positive number of seconds,
        or ``duration`` is so short that ``round(duration / dt) = 0`` (no step).

    Examples
    --------
    >>> time_grid(0.5, 0.1)
    array([0. , 0.1, 0.2, 0.3, 0.4])
    >>> time_grid(0.04, 0.1)
    Traceback (most recent call last):
    ...
    ValueError: duration must be at least half a step, dt / 2 = 0.05 s (round(duration / dt) >= 1), got 0.04 s
    """
    return dt * np.arange(_steps(duration, dt))


def white_noise(duration: float, dt: float, std: float = 1.0, *, shape=(), seed=None) -> np.ndarray:
    """Independent Gaussian samples, one per step, with standard deviation ``std``.

    ``std`` is the standard deviation of each sample (per step), not a noise
    density: the samples do not scale with ``dt``.

    Parameters
    ----------
    duration : float
        Length of the signal (s), finite and > 0.
    dt : float
        Time step (s), finite and > 0.
    std : float
        Standard deviation of each sample (unit of the signal), finite and >= 0.
    shape : int or tuple of int
        Shape of one sample (e.g. ``J`` for a J-dimensional signal); ``()`` for
        a scalar signal.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draws (see :func:`pcn_core.validation.rng`).

    Returns
    -------
    (n_steps, *shape) float ndarray
        Zero-mean Gaussian samples, ``n_steps = round(duration / dt)``.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not positive, ``round(duration / dt) = 0``
        (no step), or ``std`` is negative or not finite.
    TypeError
        If ``std`` is not a real number or ``seed`` is not a valid seed.

    Examples
    --------
    >>> noise = white_noise(10.0, 0.001, std=2.0, shape=3, seed=0)
    >>> noise.shape
    (10000, 3)
    >>> np.round(noise.std(axis=0), 1)
    array([2., 2., 2.])
    """
    std = validation.real(std, "std", low=0.0)
    extra = tuple(int(n) for n in np.atleast_1d(shape)) if np.ndim(shape) or shape != () else ()
    return std * validation.rng(seed).standard_normal((_steps(duration, dt), *extra))


def smoothed_white_noise(duration: float, dt: float, tau: float, std: float = 1.0, *, mean: float = 0.0,
                         shape=(), seed=None) -> np.ndarray:
    """White noise low-pass filtered by an exponential kernel of time constant ``tau`` (s),
    rescaled so its stationary standard deviation is ``std`` (started in the stationary state).

    The samples are the AR(1) process ``y_k = a y_{k-1} + sqrt(1 - a²) ξ_k``
    with ``a = exp(-dt / tau)`` and unit Gaussian ``ξ_k`` (a sampled
    Ornstein-Uhlenbeck process), ``y_0 = ξ_0``, returned as ``mean + std * y``.
    Its autocorrelation at lag ``m`` steps is ``a**m``.

    Parameters
    ----------
    duration : float
        Length of the signal (s), finite and > 0.
    dt : float
        Time step (s), finite and > 0.
    tau : float
        Correlation time of the filter (s), finite and > 0.
    std : float
        Stationary standard deviation (unit of the signal), finite and >= 0.
    mean : float
        Constant added to every sample (unit of the signal), finite.
    shape : int or tuple of int
        Shape of one sample (e.g. ``J`` for J independent signals); ``()`` for
        a scalar signal.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draws (see :func:`pcn_core.validation.rng`).

    Returns
    -------
    (n_steps, *shape) float ndarray
        The signal, ``n_steps = round(duration / dt)``.

    Raises
    ------
    ValueError
        If ``tau``, ``duration`` or ``dt`` is not a finite positive number of
        seconds, ``round(duration / dt) = 0`` (no step), ``std`` is negative or
        ``mean`` or ``std`` is not finite.
    TypeError
        If ``mean`` or ``std`` is not a real number or ``seed`` is not a valid seed.

    See Also
    --------
    white_noise : the unfiltered samples.

    Examples
    --------
    Ten thousand independent signals of five steps: each step already has the
    stationary mean and standard deviation, and consecutive steps correlate by
    ``exp(-dt / tau)``.

    >>> s = smoothed_white_noise(0.05, 0.01, tau=0.1, std=2.0, mean=1.0, shape=10000, seed=0)
    >>> s.shape
    (5, 10000)
    >>> np.round(s.mean(axis=1), 1), np.round(s.std(axis=1), 1)
    (array([1., 1., 1., 1., 1.]), array([2., 2., 2., 2., 2.]))
    >>> print(round(np.corrcoef(s[0], s[1])[0, 1], 2), round(np.exp(-0.01 / 0.1), 2))
    0.9 0.9
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


class SmoothedWhiteNoiseStream:
    """:func:`smoothed_white_noise` generated a chunk at a time, for recordings too long to hold.

    The stream draws its unit normals from one Generator in order and carries the
    filter's last sample across chunks, so the concatenated chunks equal
    ``smoothed_white_noise(total_duration, dt, tau, std, mean=mean, shape=shape, seed=seed)``
    exactly, whatever the chunk lengths (same draws, same filter recursion).

    Parameters
    ----------
    dt : float
        Time step (s), finite and > 0.
    tau : float
        Correlation time of the exponential filter (s), finite and > 0.
    std : float
        Stationary standard deviation (unit of the signal), finite and >= 0.
    mean : float
        Constant added to every sample (unit of the signal), finite.
    shape : int or tuple of int
        Shape of one sample; ``()`` for a scalar signal.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draws (a Generator is advanced in place as chunks are taken).

    Attributes
    ----------
    n_taken : int
        Steps generated so far.

    Raises
    ------
    ValueError
        If ``dt`` or ``tau`` is not a finite positive number of seconds, ``std`` is
        negative or ``mean``/``std`` not finite.
    TypeError
        If ``mean`` or ``std`` is not a real number or ``seed`` is not a valid seed.

    See Also
    --------
    smoothed_white_noise : the whole signal at once.

    Examples
    --------
    Three chunks give the signal :func:`smoothed_white_noise` draws in one go:

    >>> stream = SmoothedWhiteNoiseStream(0.001, tau=0.05, std=2.0, mean=1.0, seed=0)
    >>> chunks = np.concatenate([stream.take(300), stream.take(1), stream.take(699)])
    >>> whole = smoothed_white_noise(1.0, 0.001, tau=0.05, std=2.0, mean=1.0, seed=0)
    >>> bool(np.array_equal(chunks, whole)), stream.n_taken
    (True, 1000)
    """

    def __init__(self, dt: float, tau: float, std: float = 1.0, *, mean: float = 0.0, shape=(), seed=None):
        if not (np.isfinite(dt) and dt > 0):
            raise ValueError(f"dt must be a positive number of seconds, got {dt}")
        if not (np.isfinite(tau) and tau > 0):
            raise ValueError(f"tau must be a positive number of seconds, got {tau}")
        self.mean = validation.real(mean, "mean")
        self.std = validation.real(std, "std", low=0.0)
        self.shape = tuple(int(n) for n in np.atleast_1d(shape)) if np.ndim(shape) or shape != () else ()
        self.dt, self.tau = float(dt), float(tau)
        self._rng = validation.rng(seed)
        self._a = np.exp(-dt / tau)
        self._last = None  # filter state: the previous unit-variance sample
        self.n_taken = 0

    def take(self, n_steps: int) -> np.ndarray:
        """The next ``n_steps`` samples.

        Parameters
        ----------
        n_steps : int
            Number of steps, integer >= 1.

        Returns
        -------
        (n_steps, *shape) float ndarray
            The signal, continuing the previous chunk (unit of ``std`` and ``mean``).

        Raises
        ------
        TypeError
            If ``n_steps`` is not an integer.
        ValueError
            If ``n_steps`` < 1.
        """
        n_steps = validation.count(n_steps, "n_steps")
        raw = 1.0 * self._rng.standard_normal((n_steps, *self.shape))  # as white_noise(std=1)
        a, gain = self._a, np.sqrt(1 - self._a * self._a)
        # the first sample ever is drawn from the stationary law (as smoothed_white_noise); later chunks
        # continue the recursion y_k = a y_{k-1} + gain ξ_k from the last sample
        zi = (1 - gain) * raw[:1] if self._last is None else a * self._last
        filtered, _ = scipy.signal.lfilter([gain], [1.0, -a], raw, axis=0, zi=zi)
        self._last = filtered[-1:].copy()
        self.n_taken += n_steps
        return self.mean + self.std * filtered


def pulse(duration: float, dt: float, start: float, stop: float, amplitude: float = 1.0) -> np.ndarray:
    """A rectangular pulse of height ``amplitude`` on [start, stop) s, zero elsewhere.

    Parameters
    ----------
    duration : float
        Length of the signal (s), finite and > 0.
    dt : float
        Time step (s), finite and > 0.
    start, stop : float
        Pulse window (s), finite, ``stop > start``; a step at time ``t`` (see
        :func:`time_grid`) is inside if ``start <= t < stop``. The window may
        extend beyond the signal.
    amplitude : float
        Height of the pulse (unit of the signal), finite.

    Returns
    -------
    (n_steps,) float ndarray
        ``amplitude`` inside the window, 0 elsewhere.

    Raises
    ------
    ValueError
        If ``stop <= start``, a value is not finite, ``duration`` or ``dt``
        is not positive, or ``round(duration / dt) = 0`` (no step).
    TypeError
        If ``start``, ``stop`` or ``amplitude`` is not a real number.

    Examples
    --------
    >>> pulse(1.0, 0.1, start=0.2, stop=0.5, amplitude=2.0)
    array([0., 0., 2., 2., 2., 0., 0., 0., 0., 0.])
    """
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
