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
    """Fixed point (v, w) of the FitzHugh–Nagumo equations for constant input ``bias``."""
    # v - v^3/3 - (v + a)/b + bias = 0  has one real root for b < 1
    roots = np.roots([-1.0 / 3.0, 0.0, 1.0 - 1.0 / b, bias - a / b])
    v = float(np.real(roots[np.argmin(np.abs(np.imag(roots)))]))
    return v, (v + a) / b


def simulate_fhn(drive, drive_dt: float, dt: float, *, time_scale: float = 2e-4, a: float = 0.7,
                 b: float = 0.8, epsilon: float = 0.08, spike_threshold: float = 1.0,
                 initial_state: tuple[float, float] | None = None) -> np.ndarray:
    """Spike times (s) of a FitzHugh–Nagumo neuron driven by ``drive``.

    Parameters
    ----------
    drive : (n,) array, dimensionless input current I, held constant over each
        interval of ``drive_dt`` seconds
    drive_dt : s, sample interval of ``drive``; must be a whole multiple of ``dt``
    dt : s, Euler step; at most ``time_scale / 20``
    time_scale : s, the FitzHugh–Nagumo time unit
    a, b, epsilon : the classic dimensionless parameters (0.7, 0.8, 0.08)
    spike_threshold : value of v whose upward crossing counts as a spike
    initial_state : (v, w) at t = 0; default the resting state for ``drive[0]``
        (for constant drive in the oscillatory range that fixed point is
        unstable but exactly stationary, so start elsewhere to see oscillations)

    Returns spike times, each the end of the Euler step in which v crossed the threshold.
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
    """Causal front-end kernel sampled every ``dt`` s: zero for ``t < latency``,
    then ``((t - latency)/tau)^order exp(-(t - latency)/tau)``, scaled to unit
    Euclidean norm (so unit-variance white input gives unit-variance output).

    ``duration`` (s) defaults to ``latency + 12 (order + 1) tau``.
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
    """One run of the model H1 cell(s).

    Attributes
    ----------
    stimulus : (n,) angular velocity on the stimulus grid (units of ``stimulus_std``)
    input_noise : (n, cells) input noise added to each cell's stimulus copy
    spike_times : list with one array of spike times (s) per cell
    polarity : (cells,) +1 or -1, the sign of the stimulus each cell sees
    stimulus_dt : s, stimulus sample interval
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
        """Mean firing rate of each cell (Hz)."""
        return np.array([t.size / self.duration for t in self.spike_times])

    def on_grid(self, dt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The run on an analysis grid of step ``dt`` (a whole multiple of ``stimulus_dt``).

        Returns ``(stimulus, counts, noisy_input)``: the stimulus averaged over
        each bin, the spike counts (n, cells), and each cell's noisy input
        ``polarity * s + eta`` averaged over each bin (n, cells). A trailing
        partial bin (and its spikes) is left out.
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


def simulate_model_h1(duration: float, *, seed=None, stimulus_dt: float = 5e-4, stimulus_std: float = 1.0,
                      input_noise_std: float = 0.5, latency: float = 0.010, tau: float = 0.006,
                      order: int = 3, bias: float = 0.1, drive_gain: float = 0.5,
                      time_scale: float = 2e-4, dt: float = 1e-5, two_eyes: bool = False,
                      a: float = 0.7, b: float = 0.8, epsilon: float = 0.08,
                      stimulus=None) -> ModelH1Response:
    """Simulate the model H1 cell (and, with ``two_eyes``, its opposite-polarity partner).

    Parameters
    ----------
    duration : s of stimulus
    seed : seed or numpy Generator for the stimulus and input noise
    stimulus_dt : s, the stimulus takes a new Gaussian value every ``stimulus_dt``
    stimulus_std : standard deviation of the stimulus velocity (arbitrary units)
    input_noise_std : standard deviation of the input noise, in units of ``stimulus_std``
    latency, tau, order : front-end kernel (s, s, integer), see :func:`front_end_kernel`
    bias : constant FitzHugh–Nagumo input (dimensionless)
    drive_gain : FitzHugh–Nagumo input per unit standard deviation of the filtered input
    time_scale, dt, a, b, epsilon : see :func:`simulate_fhn`
    two_eyes : add a second cell that sees the negated stimulus
    stimulus : optional (round(duration/stimulus_dt),) array, a frozen stimulus to replay
        (stimulus units); only the input noise is then drawn from ``seed``, so runs with
        different seeds are repeats of one stimulus (the direct method of Strong et al. 1998)
    """
    if not (np.isfinite(duration) and duration > 0):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    if not (stimulus_std > 0 and np.isfinite(stimulus_std)):
        raise ValueError(f"stimulus_std must be positive, got {stimulus_std}")
    if not (input_noise_std >= 0 and np.isfinite(input_noise_std)):
        raise ValueError(f"input_noise_std must be >= 0, got {input_noise_std}")
    rng = validation.rng(seed)
    n = int(round(duration / stimulus_dt))
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
