"""Target linear systems ``dx/dt = A x + c(t)`` of Boerlin, Machens & Denève (2013), Figs 5-6.

* :func:`point_mass_arm`: a 2-D point mass with friction (Fig. 5). State
  ``x = (p_x, p_y, v_x, v_y)`` in m and m/s; the command is the force per unit
  mass, ``c = (0, 0, F_x/m, F_y/m)`` in m/s².
* :func:`centre_out_reach`: the command of one centre-out reach: "push-pull"
  forces (a strong push at the start of the movement, a strong pull at its
  end) that carry the arm from a start position to a target at a given speed
  and stop it there.
* :func:`second_order_system` and its two instances of Fig. 6,
  :func:`leaky_differentiator` and :func:`damped_oscillator`:
  ``dx_1/dt = -d x_1 - s x_2 + c_1``, ``dx_2/dt = k x_1`` (rates in Hz).

All matrices are in Hz (1/s) and every command is sampled once per Euler step
of ``dt`` seconds, as :func:`pcn_core.simulation.simulate` expects (row ``k``
acts over ``[k dt, (k+1) dt)``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: Names of the arm's four state variables, in order.
ARM_STATE = ("x position", "y position", "x velocity", "y velocity")


def _positive(value, name: str, unit: str) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0 {unit}, got {value}")
    return value


def _non_negative(value, name: str, unit: str) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0 {unit}, got {value}")
    return value


def point_mass_arm(friction: float) -> np.ndarray:
    """State-transition matrix (4×4, Hz) of a 2-D point-mass arm with viscous friction.

    ``dp/dt = v``, ``dv/dt = -friction · v + F/m``, state ``(p_x, p_y, v_x, v_y)``
    (m, m/s). ``friction`` >= 0 is the velocity decay rate in Hz (friction force
    per unit mass and unit speed). Eigenvalues: 0 (twice) and ``-friction`` (twice).
    """
    friction = _non_negative(friction, "friction", "Hz")
    A = np.zeros((4, 4))
    A[0, 2] = A[1, 3] = 1.0
    A[2, 2] = A[3, 3] = -friction
    return A


@dataclass(frozen=True)
class Reach:
    """One centre-out reach (see :func:`centre_out_reach`).

    Attributes
    ----------
    command : (n_steps, 4) command per Euler step, ``(c_px, c_py, F_x/m, F_y/m)``:
        m/s for the position rows (non-zero only while the arm is placed at its
        start), m/s² for the velocity rows
    force : (n_steps, 2) force on the arm, N (``mass`` × the velocity rows)
    start, target : (2,) positions, m
    direction : movement direction, rad (0 = +x, counter-clockwise)
    speed : plateau speed, m/s
    movement_start, movement_stop : s, onset of the push and end of the pull
    dt : Euler step, s
    """
    command: np.ndarray = field(repr=False)
    force: np.ndarray = field(repr=False)
    start: np.ndarray
    target: np.ndarray
    direction: float
    speed: float
    movement_start: float
    movement_stop: float
    dt: float

    @property
    def n_steps(self) -> int:
        return self.command.shape[0]

    @property
    def times(self) -> np.ndarray:
        """Start time (s) of each step."""
        return self.dt * np.arange(self.n_steps)

    @property
    def duration(self) -> float:
        return self.dt * self.n_steps


def _trapezoid_profile(t, onset, ramp, plateau, speed):
    """Speed (m/s) and distance covered (m) at times ``t`` for a trapezoidal speed profile:
    linear rise over ``ramp`` s from ``onset``, ``plateau`` s at ``speed``, linear fall over ``ramp``."""
    u = np.asarray(t, dtype=float) - onset
    t1, t2, t3 = ramp, ramp + plateau, 2 * ramp + plateau
    accel = speed / ramp
    v = np.select([u <= 0, u <= t1, u <= t2, u <= t3],
                  [0.0, accel * u, speed, speed - accel * (u - t2)], 0.0)
    d1 = 0.5 * speed * ramp
    s = np.select([u <= 0, u <= t1, u <= t2, u <= t3],
                  [0.0, 0.5 * accel * u ** 2, d1 + speed * (u - t1),
                   d1 + speed * plateau + speed * (u - t2) - 0.5 * accel * (u - t2) ** 2],
                  2 * d1 + speed * plateau)
    return v, s


def centre_out_reach(direction: float, *, distance: float, speed: float, friction: float, dt: float,
                     ramp_time: float, start=(0.0, 0.0), placement_time: float = 0.01,
                     settle_time: float = 0.2, hold_time: float = 0.1, mass: float = 1.0) -> Reach:
    """Command for one reach of the arm of :func:`point_mass_arm`.

    The trial has three phases:

    1. placement (``placement_time`` s from t = 0): a constant command on the
       *position* rows moves the represented arm from the origin to ``start``
       (m) without velocity. The network sees only its input, never the initial
       state, so this is how a start position other than the origin is given.
    2. rest until ``settle_time`` s, then the movement: a trapezoidal speed
       profile along ``direction`` (rad) rising to ``speed`` (m/s) in
       ``ramp_time`` s, a plateau, and a fall to rest in ``ramp_time`` s, its
       length set so the arm covers ``distance`` (m). The force that produces it
       is ``F/m = dv/dt + friction · v``: a push of ``speed/ramp_time`` at the
       start, ``friction · speed`` against friction during the plateau, a pull
       at the end ("push-pull" forces).
    3. rest at the target for ``hold_time`` s.

    Each row of the command is the exact average of this continuous force over
    its step, so the Euler trajectory of ``dx/dt = A x + c`` follows the profile
    to first order in ``friction · dt`` and stops at ``target = start +
    distance · (cos, sin)(direction)``.

    Parameters are in s, m, m/s, Hz (``friction``) and kg (``mass``, only for
    ``Reach.force``). ``distance`` must be at least ``speed · ramp_time``.
    """
    distance = _positive(distance, "distance", "m")
    speed = _positive(speed, "speed", "m/s")
    friction = _non_negative(friction, "friction", "Hz")
    dt = _positive(dt, "dt", "s")
    ramp_time = _positive(ramp_time, "ramp_time", "s")
    placement_time = _positive(placement_time, "placement_time", "s")
    settle_time = _positive(settle_time, "settle_time", "s")
    hold_time = _non_negative(hold_time, "hold_time", "s")
    mass = _positive(mass, "mass", "kg")
    direction = float(direction)
    if not math.isfinite(direction):
        raise ValueError(f"direction must be a finite angle in rad, got {direction}")
    start = np.asarray(start, dtype=float)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite (x, y) position in m, got {start!r}")
    plateau = distance / speed - ramp_time
    if plateau < 0:
        raise ValueError(f"distance must be >= speed * ramp_time = {speed * ramp_time:g} m "
                         f"(the arm cannot reach {speed} m/s and stop within {distance} m), got {distance}")
    if settle_time < placement_time:
        raise ValueError(f"settle_time must be >= placement_time = {placement_time} s, got {settle_time}")
    if dt > min(ramp_time, placement_time) / 5:
        raise ValueError(f"dt = {dt} s is too coarse: need dt <= min(ramp_time, placement_time)/5 = "
                         f"{min(ramp_time, placement_time) / 5:g} s")

    movement_stop = settle_time + 2 * ramp_time + plateau
    n_steps = int(math.ceil((movement_stop + hold_time) / dt - 1e-9))
    edges = dt * np.arange(n_steps + 1)
    v, s = _trapezoid_profile(edges, settle_time, ramp_time, plateau, speed)
    # step averages of dv/dt and of v: exact differences of v and of the distance covered
    accel = np.diff(v) / dt + friction * np.diff(s) / dt
    unit = np.array([math.cos(direction), math.sin(direction)])
    command = np.zeros((n_steps, 4))
    command[:, 2:] = accel[:, None] * unit
    placing = np.clip((np.minimum(edges[1:], placement_time) - edges[:-1]) / dt, 0.0, 1.0)
    command[:, :2] = placing[:, None] * start / placement_time
    return Reach(command=command, force=mass * command[:, 2:], start=start.copy(),
                 target=start + distance * unit, direction=direction, speed=speed,
                 movement_start=settle_time, movement_stop=movement_stop, dt=dt)


def euler_trajectory(A, command, dt: float, x0=None) -> np.ndarray:
    """Euler solution of ``dx/dt = A x + c`` with the step order of
    :func:`pcn_core.simulation.simulate`: ``x_{k+1} = x_k + dt (A x_k + c_k)``.

    Returns (n_steps, J): the state after each step. ``A`` in Hz, ``command``
    (n_steps, J) in units of x per s, ``dt`` in s.
    """
    A = np.asarray(A, dtype=float)
    command = np.asarray(command, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got shape {A.shape}")
    if command.ndim != 2 or command.shape[1] != A.shape[0]:
        raise ValueError(f"command must have shape (n_steps, {A.shape[0]}), got {command.shape}")
    dt = _positive(dt, "dt", "s")
    x = np.zeros(A.shape[0]) if x0 is None else np.array(x0, dtype=float)
    out = np.empty_like(command)
    step = np.eye(A.shape[0]) + dt * A
    for k in range(command.shape[0]):
        x = step @ x + dt * command[k]
        out[k] = x
    return out


def second_order_system(damping: float, stiffness: float, coupling: float) -> np.ndarray:
    """2×2 matrix (Hz) of ``dx_1/dt = -d x_1 - s x_2 + c_1``, ``dx_2/dt = k x_1``.

    ``x_2`` behaves like a damped spring's position scaled by ``k`` and ``x_1``
    like its velocity: natural angular frequency ``ω_0 = sqrt(s k)`` (rad/s),
    damping ratio ``ζ = d / (2 ω_0)``. All three rates are in Hz and must be > 0
    (``damping`` may be 0: an undamped oscillator).
    """
    damping = _non_negative(damping, "damping", "Hz")
    stiffness = _positive(stiffness, "stiffness", "Hz")
    coupling = _positive(coupling, "coupling", "Hz")
    return np.array([[-damping, -stiffness], [coupling, 0.0]])


def leaky_differentiator(damping: float = 400.0, stiffness: float = 800.0, coupling: float = 50.0) -> np.ndarray:
    """Fig. 6A "leaky differentiator" (MODEL.md lead ``A = [[-400, -800], [50, 0]]``, Hz).

    With these values the system is critically damped with a double eigenvalue
    -200 Hz (time constant 5 ms). Its transfer functions from ``c_1`` are
    ``X_1 = σ C / (σ² + d σ + s k)`` and ``X_2 = k C / (σ² + d σ + s k)``: for
    commands slower than 5 ms, ``x_1 ≈ (dc_1/dt) / (s k)`` (a derivative) and
    ``x_2 ≈ c_1 / s`` (a smoothed copy).
    """
    return second_order_system(damping, stiffness, coupling)


def damped_oscillator(damping: float = 4.8, stiffness: float = 22.4, coupling: float = 40.0) -> np.ndarray:
    """Fig. 6B damped harmonic oscillator (MODEL.md lead ``A = [[-4.8, -22.4], [40, 0]]``, Hz).

    With these values the eigenvalues are ``-2.4 ± 29.84i`` Hz: it rings at
    4.75 Hz (period 0.21 s) and its amplitude decays with time constant 0.42 s.
    """
    return second_order_system(damping, stiffness, coupling)


@dataclass(frozen=True)
class SecondOrderModes:
    """Modes of a 2×2 system from its eigenvalues: ``decay_rates`` (Hz, one per
    eigenvalue, -Re λ), ``angular_frequency`` (rad/s, |Im λ|, 0 if real),
    ``natural_frequency`` ω_0 = sqrt(det A) (rad/s), ``damping_ratio`` ζ = -tr A / (2 ω_0)."""
    decay_rates: tuple
    angular_frequency: float
    natural_frequency: float
    damping_ratio: float

    @property
    def frequency(self) -> float:
        """Oscillation frequency, Hz (0 if over- or critically damped)."""
        return self.angular_frequency / (2 * math.pi)


def second_order_modes(A) -> SecondOrderModes:
    """Decay rates and oscillation frequency of a 2×2 state-transition matrix ``A`` (Hz)."""
    A = np.asarray(A, dtype=float)
    if A.shape != (2, 2) or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be a finite 2×2 matrix, got shape {A.shape}")
    det = float(np.linalg.det(A))
    if det <= 0:
        raise ValueError(f"A must have a positive determinant (a restoring force), got {det:g}")
    eig = np.linalg.eigvals(A)
    omega0 = math.sqrt(det)
    return SecondOrderModes(decay_rates=tuple(sorted(float(-e.real) for e in eig)),
                            angular_frequency=float(np.abs(eig.imag).max()),
                            natural_frequency=omega0, damping_ratio=float(-np.trace(A) / (2 * omega0)))


@dataclass(frozen=True)
class DampedSinusoid:
    """``amplitude · exp(-decay_rate · t) · cos(2π frequency t + phase) + offset``: frequency
    and decay_rate in Hz, phase in rad, amplitude and offset in the signal's units, t in s
    from the start of the fitted window."""
    amplitude: float
    decay_rate: float
    frequency: float
    phase: float
    offset: float


def _damped_sinusoid(t, amplitude, decay_rate, frequency, phase, offset):
    return amplitude * np.exp(-decay_rate * t) * np.cos(2 * np.pi * frequency * t + phase) + offset


def fit_damped_sinusoid(times, signal) -> DampedSinusoid:
    """Least-squares fit of a damped sinusoid to ``signal`` sampled at ``times`` (s),
    started from the periodogram's peak frequency. Robust to a staircase-like,
    jittery signal (such as a spiking network's read-out), unlike zero crossings.
    """
    import scipy.optimize
    import scipy.signal

    t = np.asarray(times, dtype=float)
    y = np.asarray(signal, dtype=float)
    if t.ndim != 1 or t.shape != y.shape or t.size < 16:
        raise ValueError(f"times and signal must be 1-D arrays of the same length >= 16, got {t.shape}, {y.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("times and signal must be finite")
    step = np.diff(t)
    if not np.all(step > 0):
        raise ValueError("times must be strictly increasing")
    t = t - t[0]
    freqs, power = scipy.signal.periodogram(y - y.mean(), fs=1.0 / step.mean())
    f0 = freqs[1:][np.argmax(power[1:])]
    amp0 = np.abs(y - y.mean()).max()
    best = None
    for phase0 in np.linspace(-np.pi, np.pi, 4, endpoint=False):
        try:
            params, _ = scipy.optimize.curve_fit(_damped_sinusoid, t, y, p0=[amp0, 1.0 / t[-1], f0, phase0, 0.0],
                                                 bounds=([0, -np.inf, 0, -2 * np.pi, -np.inf],
                                                         [np.inf, np.inf, np.inf, 2 * np.pi, np.inf]),
                                                 maxfev=20000)
        except RuntimeError:
            continue
        sse = float(np.sum((y - _damped_sinusoid(t, *params)) ** 2))
        if best is None or sse < best[0]:
            best = (sse, params)
    if best is None:
        raise RuntimeError("damped-sinusoid fit did not converge")
    return DampedSinusoid(*(float(p) for p in best[1]))
