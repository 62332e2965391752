"""Model H1 neuron for Bialek, Rieke, de Ruyter van Steveninck & Warland (1991).

The paper checked its decoding on "a standard model neuron (the
FitzHugh–Nagumo model)" but gives no parameters, so this model is a plausible
stand-in, not the paper's:

1. Stimulus: Gaussian white-noise angular velocity ``s``, a new value every
   ``stimulus_dt`` (0.5 ms in the paper's experiments).
2. Input noise ``eta`` (the model's "photoreceptor noise"): independent
   Gaussian white noise on the same grid, added to the stimulus.
3. Front end (phototransduction plus motion computation): a pure
   ``latency`` followed by a gamma kernel ``(t/tau)^order exp(-t/tau)``,
   scaled so the filtered input has unit standard deviation.
4. Spike generator: the FitzHugh–Nagumo equations in time units of
   ``time_scale`` (s)::

       time_scale dv/dt = v - v^3/3 - w + I(t)
       time_scale dw/dt = epsilon (v + a - b w)
       I(t) = bias + drive_gain * filtered_input(t)

   integrated by forward Euler with step ``dt``; a spike is an upward crossing
   of ``v = spike_threshold`` (the detector re-arms when ``v < 0``).

With ``two_eyes=True`` a second, independent cell sees ``-s`` (the opposite
polarity, as the fly's other H1 does) with its own input noise.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numba
import numpy as np
import scipy.signal

from . import validation
from .binning import bin_spikes


@numba.njit(cache=True)
def _fhn_trial(drive, substeps, dt_over_scale, a, b, epsilon, threshold, v0, w0, spike_steps):
    v = v0
    w = w0
    armed = True
    n_spikes = 0
    step = 0
    for k in range(drive.size):
        current = drive[k]
        for _ in range(substeps):
            dv = v - v * v * v / 3.0 - w + current
            dw = epsilon * (v + a - b * w)
            v += dt_over_scale * dv
            w += dt_over_scale * dw
            if armed and v >= threshold:
                if n_spikes == spike_steps.size:
                    return -1, v, w  # buffer full: caller grows it and reruns
                spike_steps[n_spikes] = step
                n_spikes += 1
                armed = False
            elif (not armed) and v < 0.0:
                armed = True
            step += 1
    return n_spikes, v, w


def fhn_resting_state(bias: float, a: float = 0.7, b: float = 0.8) -> tuple[float, float]:
    """Fixed point ``(v, w)`` of the FitzHugh-Nagumo equations for a constant input ``bias``.

    Solves ``v - v**3/3 - (v + a)/b + bias = 0`` (a cubic with one real root for
    ``b < 1``) and ``w = (v + a) / b``.

    Parameters
    ----------
    bias : float
        Constant input current ``I`` (dimensionless), finite.
    a, b : float, optional
        The classic dimensionless parameters (default 0.7 and 0.8), finite, with
        ``0 < b < 1``: only then is the root unique.

    Returns
    -------
    v : float
        Membrane variable at rest (dimensionless).
    w : float
        Recovery variable at rest (dimensionless).

    Raises
    ------
    TypeError
        If ``bias``, ``a`` or ``b`` is not a real number.
    ValueError
        If ``bias`` or ``a`` is not finite, or ``b`` is outside (0, 1) (for
        ``b >= 1`` the cubic can have three real roots, and ``b = 0`` divides by zero).

    References
    ----------
    .. [1] FitzHugh R (1961). Impulses and physiological states in theoretical models of
       nerve membrane. Biophys J 1:445-466.

    Examples
    --------
    The classic resting state, where ``dv/dt = 0``:

    >>> from pcn_core.h1_model import fhn_resting_state
    >>> v, w = fhn_resting_state(0.0)
    >>> round(v, 4), round(w, 4)
    (-1.1994, -0.6243)
    >>> abs(v - v**3 / 3 - w) < 1e-12
    True
    >>> fhn_resting_state(0.0, b=1.5)
    Traceback (most recent call last):
    ...
    ValueError: b must be in (0, 1) (single fixed point), got 1.5
    """
    validation.real(bias, "bias")
    validation.real(a, "a")
    if not 0 < validation.real(b, "b") < 1:
        raise ValueError(f"b must be in (0, 1) (single fixed point), got {b}")
    # v - v^3/3 - (v + a)/b + bias = 0  has one real root for b < 1
    roots = np.roots([-1.0 / 3.0, 0.0, 1.0 - 1.0 / b, bias - a / b])
    v = float(np.real(roots[np.argmin(np.abs(np.imag(roots)))]))
    return v, (v + a) / b


def simulate_fhn(drive, drive_dt: float, dt: float, *, time_scale: float = 2e-4, a: float = 0.7,
                 b: float = 0.8, epsilon: float = 0.08, spike_threshold: float = 1.0,
                 initial_state: tuple[float, float] | None = None) -> np.ndarray:
    """Spike times of a FitzHugh-Nagumo neuron driven by ``drive``.

    Integrates, by forward Euler with step ``dt``::

        time_scale dv/dt = v - v**3/3 - w + I(t)
        time_scale dw/dt = epsilon (v + a - b w)

    with ``I`` held constant over each interval of ``drive_dt``. A spike is an
    upward crossing of ``v = spike_threshold``; the detector re-arms when ``v < 0``.
    The spike buffer grows as needed, so no spike is lost.

    Parameters
    ----------
    drive : (n,) array_like of float
        Dimensionless input current ``I``, finite, one value per ``drive_dt``.
    drive_dt : float
        Sample interval of ``drive`` in s, > 0, a whole multiple of ``dt``.
    dt : float
        Euler step in s, > 0 and at most ``time_scale / 20``.
    time_scale : float, optional
        The FitzHugh-Nagumo time unit in s, > 0 (default 2e-4).
    a, b, epsilon : float, optional
        The classic dimensionless parameters (defaults 0.7, 0.8, 0.08);
        ``0 < b < 1`` (single fixed point), ``epsilon > 0``.
    spike_threshold : float, optional
        Value of ``v`` whose upward crossing counts as a spike (default 1).
    initial_state : (float, float), optional
        ``(v, w)`` at t = 0; default the resting state for ``drive[0]`` (for a constant
        drive in the oscillatory range that fixed point is unstable but exactly
        stationary, so start elsewhere to see oscillations).

    Returns
    -------
    (n_spikes,) float array
        Spike times in s, each the end of the Euler step in which ``v`` crossed the
        threshold.

    Raises
    ------
    ValueError
        If ``drive`` is not a non-empty finite 1-D array, ``drive_dt``, ``dt``,
        ``time_scale`` or ``epsilon`` is not positive, ``dt > time_scale / 20``,
        ``drive_dt`` is not a whole multiple of ``dt``, or ``b`` is outside (0, 1).

    References
    ----------
    .. [1] FitzHugh R (1961). Impulses and physiological states in theoretical models of
       nerve membrane. Biophys J 1:445-466.
    .. [2] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43,
       Sec. 5 (the decoding also works on a FitzHugh-Nagumo model neuron).

    Examples
    --------
    At rest without input the neuron stays silent; a constant input of 0.5 makes it
    fire regularly, every 7.9 ms with these time units:

    >>> import numpy as np
    >>> from pcn_core.h1_model import simulate_fhn
    >>> simulate_fhn(np.zeros(200), 5e-4, 1e-5).size
    0
    >>> times = simulate_fhn(np.full(200, 0.5), 5e-4, 1e-5, initial_state=(-1.0, 0.0))
    >>> times.size, np.round(np.diff(times[-4:]) * 1e3, 1)
    (13, array([7.9, 7.9, 7.9]))
    """
    drive = np.asarray(drive, dtype=float)
    if drive.ndim != 1 or drive.size == 0:
        raise ValueError(f"drive must be a non-empty 1-D array, got shape {drive.shape}")
    if not np.all(np.isfinite(drive)):
        raise ValueError("drive must be finite")
    for name, value in (("drive_dt", drive_dt), ("dt", dt), ("time_scale", time_scale), ("epsilon", epsilon)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if dt > time_scale / 20:
        raise ValueError(f"dt={dt} s is too large for time_scale={time_scale} s: need dt <= time_scale/20")
    substeps = int(round(drive_dt / dt))
    if substeps < 1 or abs(substeps * dt - drive_dt) > 1e-9 * drive_dt:
        raise ValueError(f"drive_dt={drive_dt} s must be a whole multiple of dt={dt} s")
    if not 0 < b < 1:
        raise ValueError(f"b must be in (0, 1) (single fixed point), got {b}")
    v0, w0 = fhn_resting_state(drive[0], a, b) if initial_state is None else map(float, initial_state)
    capacity = max(1024, int(drive.size * drive_dt * 300))  # room for 300 Hz; grows if needed
    while True:
        buffer = np.empty(capacity, dtype=np.int64)
        n, _, _ = _fhn_trial(drive, substeps, dt / time_scale, a, b, epsilon, spike_threshold, v0, w0, buffer)
        if n >= 0:
            return (buffer[:n] + 1) * dt
        capacity *= 4


def front_end_kernel(dt: float, *, latency: float = 0.010, tau: float = 0.006, order: int = 3,
                     duration: float | None = None) -> np.ndarray:
    """Causal front-end kernel (phototransduction and motion computation) sampled every ``dt``.

    Zero for ``t < latency``, then ``((t - latency)/tau)**order exp(-(t - latency)/tau)``,
    scaled to unit Euclidean norm (so unit-variance white input gives unit-variance
    output). Its peak is at ``latency + order * tau``.

    Parameters
    ----------
    dt : float
        Sample interval in s, > 0.
    latency : float, optional
        Pure delay in s, >= 0 (default 0.010).
    tau : float, optional
        Time constant of the gamma kernel in s, > 0 (default 0.006).
    order : int, optional
        Order of the gamma kernel, >= 0 (default 3).
    duration : float, optional
        Length of the kernel in s (default ``latency + 12 (order + 1) tau``).

    Returns
    -------
    (ceil(duration / dt),) float array
        Kernel samples (dimensionless, unit norm).

    Raises
    ------
    ValueError
        If ``dt`` or ``tau`` is not positive, ``latency`` is negative, or ``order < 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.h1_model import front_end_kernel
    >>> kernel = front_end_kernel(5e-4)
    >>> round(float(np.linalg.norm(kernel)), 6), round(float(np.argmax(kernel) * 5e-4), 4)
    (1.0, 0.028)
    >>> bool(np.all(kernel[:20] == 0))  # nothing before the 10 ms latency
    True
    """
    if not (dt > 0 and tau > 0 and latency >= 0):
        raise ValueError(f"need dt > 0, tau > 0, latency >= 0 (s); got {dt}, {tau}, {latency}")
    if order < 0:
        raise ValueError(f"order must be >= 0, got {order}")
    if duration is None:
        duration = latency + 12 * (order + 1) * tau
    t = dt * np.arange(int(np.ceil(duration / dt)))
    x = np.clip(t - latency, 0.0, None) / tau
    kernel = np.where(t >= latency, x ** order * np.exp(-x), 0.0)
    return kernel / np.linalg.norm(kernel)


@dataclass
class ModelH1Response:
    """One run of the model H1 cell(s), returned by :func:`simulate_model_h1`.

    Attributes
    ----------
    stimulus : (n,) float array
        Angular velocity on the stimulus grid (units of ``stimulus_std``).
    input_noise : (n, cells) float array
        Input noise added to each cell's stimulus copy (same units).
    spike_times : list of float arrays
        Spike times in s, one array per cell.
    polarity : (cells,) float array
        +1 or -1, the sign of the stimulus each cell sees.
    stimulus_dt : float
        Stimulus sample interval, s.

    Examples
    --------
    >>> from pcn_core.h1_model import simulate_model_h1
    >>> response = simulate_model_h1(0.5, seed=0, two_eyes=True)
    >>> response.polarity, response.duration
    (array([ 1., -1.]), 0.5)
    >>> stimulus, counts, noisy_input = response.on_grid(0.002)
    >>> counts.shape, counts.sum(axis=0).tolist() == [t.size for t in response.spike_times]
    ((250, 2), True)
    """
    stimulus: np.ndarray = field(repr=False)
    input_noise: np.ndarray = field(repr=False)
    spike_times: list = field(repr=False)
    polarity: np.ndarray
    stimulus_dt: float

    @property
    def duration(self) -> float:
        """Simulated time in s."""
        return self.stimulus.size * self.stimulus_dt

    @property
    def rates(self) -> np.ndarray:
        """Mean firing rate of each cell, Hz ((cells,) array)."""
        return np.array([t.size / self.duration for t in self.spike_times])

    def on_grid(self, dt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The run on an analysis grid of step ``dt``.

        A trailing partial bin (and its spikes) is left out.

        Parameters
        ----------
        dt : float
            Analysis step in s, a whole multiple of ``stimulus_dt``.

        Returns
        -------
        stimulus : (n,) float array
            The stimulus averaged over each bin (stimulus units).
        counts : (n, cells) int64 array
            Spikes per bin of each cell.
        noisy_input : (n, cells) float array
            Each cell's noisy input ``polarity * s + eta`` averaged over each bin.

        Raises
        ------
        ValueError
            If ``dt`` is not a whole multiple of ``stimulus_dt``.
        """
        factor = int(round(dt / self.stimulus_dt))
        if factor < 1 or abs(factor * self.stimulus_dt - dt) > 1e-9 * dt:
            raise ValueError(f"dt={dt} s must be a whole multiple of stimulus_dt={self.stimulus_dt} s")
        n = self.stimulus.size // factor
        stimulus = self.stimulus[:n * factor].reshape(n, factor).mean(axis=1)
        noisy = (self.stimulus[:, None] * self.polarity + self.input_noise)[:n * factor]
        noisy = noisy.reshape(n, factor, -1).mean(axis=1)
        counts = np.stack([bin_spikes(t[t < n * dt], n, dt) for t in self.spike_times], axis=1)
        return stimulus, counts, noisy


@dataclass(frozen=True)
class H1Model:
    """Parameters of the model H1 cell: the values the Bialek (1991) notebooks use.

    The paper gives no parameters for its FitzHugh-Nagumo check, so these are
    our choices (module docstring); the defaults of :func:`simulate_model_h1`
    are these fields. Values are checked when the model is simulated.

    Attributes
    ----------
    stimulus_dt : float
        Stimulus sample interval (s): a new Gaussian velocity every 0.5 ms, as in
        the paper's experiments (Sec. 3).
    stimulus_std : float
        Standard deviation of the stimulus velocity (arbitrary units).
    input_noise_std : float
        Input ("photoreceptor") noise in units of the stimulus std (our choice).
    latency : float
        Pure delay of the front end (s): no spike before ~10 ms (paper Sec. 4).
    tau : float
        Gamma-kernel time constant (s); with ``order = 3`` the kernel peaks at
        28 ms, the lag of the real H1 spike-triggered average (SOURCES.md check value).
    order : int
        Order of the gamma kernel.
    bias : float
        Constant FitzHugh-Nagumo input (dimensionless): a ~40 Hz mean rate.
    drive_gain : float
        FitzHugh-Nagumo input per std of the filtered stimulus (dimensionless).
    time_scale : float
        FitzHugh-Nagumo time unit (s): minimum ISI ~6 ms, rates at most ~170 Hz
        (paper: 100-200 Hz).
    dt : float
        Euler step (s), ``time_scale / 20``.
    two_eyes : bool
        Add the opposite-polarity cell of the other eye.
    a, b, epsilon : float
        FitzHugh-Nagumo constants (:func:`simulate_fhn`).

    Examples
    --------
    >>> from pcn_core.h1_model import H1Model
    >>> model = H1Model(two_eyes=True)
    >>> response = model.simulate(0.5, seed=0)
    >>> response.polarity
    array([ 1., -1.])
    """
    stimulus_dt: float = 5e-4
    stimulus_std: float = 1.0
    input_noise_std: float = 0.5
    latency: float = 0.010
    tau: float = 0.006
    order: int = 3
    bias: float = 0.1
    drive_gain: float = 0.5
    time_scale: float = 2e-4
    dt: float = 1e-5
    two_eyes: bool = False
    a: float = 0.7
    b: float = 0.8
    epsilon: float = 0.08

    def simulate(self, duration: float, *, seed=None, stimulus=None) -> "ModelH1Response":
        """:func:`simulate_model_h1` with these parameters.

        Parameters
        ----------
        duration : float
            Stimulus duration (s), > 0.
        seed : int, None or np.random.Generator, optional
            Source of the stimulus and input noise.
        stimulus : array_like of float, optional
            A frozen stimulus to replay (see :func:`simulate_model_h1`).

        Returns
        -------
        ModelH1Response
            Stimulus, input noise, spike times (s) and polarity of each cell.
        """
        return simulate_model_h1(duration, seed=seed, stimulus=stimulus, **dataclasses.asdict(self))


_DEFAULT = H1Model()


def simulate_model_h1(duration: float, *, seed=None, stimulus_dt: float = _DEFAULT.stimulus_dt,
                      stimulus_std: float = _DEFAULT.stimulus_std,
                      input_noise_std: float = _DEFAULT.input_noise_std, latency: float = _DEFAULT.latency,
                      tau: float = _DEFAULT.tau, order: int = _DEFAULT.order, bias: float = _DEFAULT.bias,
                      drive_gain: float = _DEFAULT.drive_gain, time_scale: float = _DEFAULT.time_scale,
                      dt: float = _DEFAULT.dt, two_eyes: bool = _DEFAULT.two_eyes, a: float = _DEFAULT.a,
                      b: float = _DEFAULT.b, epsilon: float = _DEFAULT.epsilon,
                      stimulus=None) -> ModelH1Response:
    """Simulate the model H1 cell (and, with ``two_eyes``, its opposite-polarity partner).

    The stimulus ``s`` is Gaussian white noise with a new value every
    ``stimulus_dt`` (0.5 ms in the paper, [1]_, Sec. 3); each cell's input
    ``polarity * s + eta`` (``eta`` independent input noise) is filtered by
    :func:`front_end_kernel`, normalised to unit standard deviation and drives
    :func:`simulate_fhn` with ``I(t) = bias + drive_gain * filtered(t)``. The
    paper gives no parameters for its FitzHugh-Nagumo model, so this is a
    stand-in, not the paper's model.

    Parameters
    ----------
    duration : float
        Stimulus duration in s, finite and > 0.
    seed : int, None or np.random.Generator, optional
        Source of the stimulus and input noise.
    stimulus_dt : float, optional
        Stimulus sample interval in s, finite and > 0 (default 5e-4), a whole
        multiple of ``dt``, with ``round(duration / stimulus_dt) >= 1`` samples.
    stimulus_std : float, optional
        Standard deviation of the stimulus velocity (arbitrary units), finite and > 0
        (default 1).
    input_noise_std : float, optional
        Standard deviation of the input noise in units of ``stimulus_std``, finite and
        >= 0 (default 0.5).
    latency, tau : float, optional
        Front-end latency and time constant in s (defaults 0.010 and 0.006), see
        :func:`front_end_kernel`.
    order : int, optional
        Order of the front-end gamma kernel (default 3).
    bias : float, optional
        Constant FitzHugh-Nagumo input (dimensionless, default 0.1).
    drive_gain : float, optional
        FitzHugh-Nagumo input per unit standard deviation of the filtered input
        (dimensionless, default 0.5).
    time_scale : float, optional
        FitzHugh-Nagumo time unit in s (default 2e-4), see :func:`simulate_fhn`.
    dt : float, optional
        Euler step in s (default 1e-5), at most ``time_scale / 20``.
    two_eyes : bool, optional
        Add a second cell that sees the negated stimulus with its own input noise
        (default False).
    a, b, epsilon : float, optional
        FitzHugh-Nagumo parameters (defaults 0.7, 0.8, 0.08), see :func:`simulate_fhn`.
    stimulus : (round(duration / stimulus_dt),) array_like of float, optional
        A frozen stimulus to replay (stimulus units); only the input noise is then
        drawn from ``seed``, so runs with different seeds are repeats of one stimulus
        (the direct method of Strong et al. 1998).

    Returns
    -------
    ModelH1Response
        Stimulus, input noise, spike times (s) and polarity of each cell.

    Raises
    ------
    ValueError
        If ``duration``, ``stimulus_dt``, ``stimulus_std`` or ``input_noise_std`` is
        out of range, a given ``stimulus`` has the wrong shape or is not finite, or
        :func:`front_end_kernel` or :func:`simulate_fhn` refuses its parameters.
    TypeError
        If ``stimulus_dt`` is not a real number, or ``seed`` is not None, an
        integer >= 0, a SeedSequence or a Generator.

    References
    ----------
    .. [1] Bialek W, Rieke F, de Ruyter van Steveninck RR, Warland D (1991). Reading a
       neural code. In: Advances in Neural Information Processing Systems 3, pp. 36-43.

    Examples
    --------
    >>> import numpy as np
    >>> from pcn_core.h1_model import simulate_model_h1
    >>> response = simulate_model_h1(0.5, seed=0, two_eyes=True)
    >>> response.stimulus.shape, len(response.spike_times)
    ((1000,), 2)

    Replaying the same stimulus with another seed draws only new input noise:

    >>> repeat = simulate_model_h1(0.5, seed=1, stimulus=response.stimulus)
    >>> bool(np.array_equal(repeat.stimulus, response.stimulus))
    True
    """
    if not (np.isfinite(duration) and duration > 0):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    if not (stimulus_std > 0 and np.isfinite(stimulus_std)):
        raise ValueError(f"stimulus_std must be positive, got {stimulus_std}")
    if not (input_noise_std >= 0 and np.isfinite(input_noise_std)):
        raise ValueError(f"input_noise_std must be >= 0, got {input_noise_std}")
    validation.real(stimulus_dt, "stimulus_dt", low=0.0, low_open=True, unit="s")
    rng = validation.rng(seed)
    n = int(round(duration / stimulus_dt))
    if n < 1:
        raise ValueError(f"duration={duration} s holds no stimulus sample of stimulus_dt={stimulus_dt} s "
                         f"(need round(duration / stimulus_dt) >= 1)")
    cells = 2 if two_eyes else 1
    if stimulus is None:
        stimulus = stimulus_std * rng.standard_normal(n)
    else:
        stimulus = np.asarray(stimulus, dtype=float)
        if stimulus.shape != (n,) or not np.all(np.isfinite(stimulus)):
            raise ValueError(f"stimulus must be a finite array of shape ({n},) for duration={duration} s "
                             f"and stimulus_dt={stimulus_dt} s, got shape {stimulus.shape}")
    noise = input_noise_std * stimulus_std * rng.standard_normal((n, cells))
    polarity = np.array([1.0, -1.0][:cells])
    kernel = front_end_kernel(stimulus_dt, latency=latency, tau=tau, order=order)
    scale = stimulus_std * np.sqrt(1.0 + input_noise_std ** 2)
    trains = []
    for c in range(cells):
        filtered = scipy.signal.oaconvolve(polarity[c] * stimulus + noise[:, c], kernel)[:n] / scale
        trains.append(simulate_fhn(bias + drive_gain * filtered, stimulus_dt, dt, time_scale=time_scale,
                                   a=a, b=b, epsilon=epsilon))
    return ModelH1Response(stimulus=stimulus, input_noise=noise, spike_times=trains, polarity=polarity,
                           stimulus_dt=stimulus_dt)
