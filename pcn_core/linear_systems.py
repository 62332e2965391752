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

:func:`euler_trajectory` integrates a system with the simulator's step order;
:func:`second_order_modes` and :func:`fit_damped_sinusoid` measure the decay
and ringing of a 2-D system and of a (spiking network's) read-out.

Reference: Boerlin M, Machens CK, Denève S (2013). Predictive coding of
dynamical variables in balanced spiking networks. PLoS Comput Biol
9(11):e1003258, Figs. 5 and 6. The Fig. 6 matrices are leads from a
reimplementation (the parameter leads of MODEL.md), not values legible in
the paper.
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

    Parameters
    ----------
    friction : float
        Velocity decay rate in Hz, finite and >= 0.

    Returns
    -------
    (4, 4) float array
        ``A`` in Hz, for the state of :data:`ARM_STATE`.

    Raises
    ------
    ValueError
        If ``friction`` is negative or not finite.

    See Also
    --------
    centre_out_reach : the command of one reach of this arm.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 5 (point-mass arm with friction, force as command).

    Examples
    --------
    >>> import numpy as np
    >>> A = point_mass_arm(2.0)
    >>> A
    array([[ 0.,  0.,  1.,  0.],
           [ 0.,  0.,  0.,  1.],
           [ 0.,  0., -2.,  0.],
           [ 0.,  0.,  0., -2.]])
    >>> np.sort(np.linalg.eigvals(A))
    array([-2., -2.,  0.,  0.])
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
    command : (n_steps, 4) float array
        Command per Euler step, ``(c_px, c_py, F_x/m, F_y/m)``: m/s for the
        position rows (non-zero only while the arm is placed at its start),
        m/s² for the velocity rows.
    force : (n_steps, 2) float array
        Force on the arm, N (``mass`` × the velocity rows).
    start, target : (2,) float array
        Start and target positions, m.
    direction : float
        Movement direction, rad (0 = +x, counter-clockwise).
    speed : float
        Plateau speed, m/s.
    movement_start, movement_stop : float
        Onset of the push and end of the pull, s from the start of the trial.
    dt : float
        Euler step, s.

    Examples
    --------
    >>> reach = centre_out_reach(0.0, distance=0.1, speed=0.5, friction=1.0, dt=1e-3, ramp_time=0.05)
    >>> reach.n_steps, round(reach.duration, 3), reach.target
    (550, 0.55, array([0.1, 0. ]))
    >>> round(reach.movement_start, 3), round(reach.movement_stop, 3)
    (0.2, 0.45)
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
        """Number of Euler steps (rows of ``command``)."""
        return self.command.shape[0]

    @property
    def times(self) -> np.ndarray:
        """Start time (s) of each step."""
        return self.dt * np.arange(self.n_steps)

    @property
    def duration(self) -> float:
        """Trial length, s (``n_steps · dt``)."""
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

    Parameters
    ----------
    direction : float
        Movement direction in rad (0 = +x, counter-clockwise), finite.
    distance : float
        Distance from start to target in m, finite, ``>= speed · ramp_time``.
    speed : float
        Plateau speed in m/s, finite and > 0.
    friction : float
        Velocity decay rate of the arm in Hz (as in :func:`point_mass_arm`),
        finite and >= 0.
    dt : float
        Euler step in s, finite, > 0 and ``<= min(ramp_time, placement_time) / 5``.
    ramp_time : float
        Duration of the rise to ``speed`` and of the fall to rest, s, finite and > 0.
    start : (2,) array_like, default (0.0, 0.0)
        Start position (x, y) in m, finite.
    placement_time : float, default 0.01
        Duration of the placement command in s, finite and > 0.
    settle_time : float, default 0.2
        Onset of the movement in s, finite, ``>= placement_time``.
    hold_time : float, default 0.1
        Rest at the target after the movement in s, finite and >= 0.
    mass : float, default 1.0
        Arm mass in kg, finite and > 0 (only scales ``Reach.force``).

    Returns
    -------
    Reach
        The command (n_steps, 4) with ``n_steps = ceil((movement_stop +
        hold_time) / dt)``, the force, the start and target positions and the
        movement's timing.

    Raises
    ------
    ValueError
        If a parameter is out of its range (see above): non-finite or
        non-positive times, speed, distance or mass, negative friction or
        hold time, ``distance < speed · ramp_time``, ``settle_time <
        placement_time``, or ``dt`` too coarse for the ramps.

    See Also
    --------
    point_mass_arm : the arm's matrix ``A``.
    euler_trajectory : the trajectory this command produces.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 5A (centre-out reaches driven by "push-pull"
       forces; directions, speeds and start positions varied in Fig. 5B-D).

    Examples
    --------
    A 10 cm reach upwards from (5 cm, 0) at 0.5 m/s; the Euler trajectory of
    the arm stops at the target, having moved at the plateau speed.

    >>> import numpy as np
    >>> reach = centre_out_reach(np.pi / 2, distance=0.1, speed=0.5, friction=1.0, dt=1e-3,
    ...                          ramp_time=0.05, start=(0.05, 0.0))
    >>> reach.target
    array([0.05, 0.1 ])
    >>> states = euler_trajectory(point_mass_arm(1.0), reach.command, reach.dt)
    >>> np.round(states[-1, :2], 4), round(float(np.abs(states[:, 3]).max()), 2)
    (array([0.05, 0.1 ]), 0.5)
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

    Parameters
    ----------
    A : (J, J) array_like
        State-transition matrix, Hz.
    command : (n_steps, J) array_like
        Command ``c_k`` of each step, units of x per s.
    dt : float
        Euler step in s, finite and > 0.
    x0 : (J,) array_like or None, default None
        Initial state (units of x); None starts at 0.

    Returns
    -------
    (n_steps, J) float array
        The state after each step (``x_1 ... x_n``; ``x0`` is not included).

    Raises
    ------
    ValueError
        If ``A`` is not square, ``command`` is not (n_steps, J), or ``dt`` is
        not finite and > 0.

    Examples
    --------
    A leak of 10 Hz with steps of 10 ms: each step multiplies x by 0.9.

    >>> euler_trajectory([[-10.0]], [[0.0], [0.0], [0.0]], 0.01, x0=[1.0])
    array([[0.9  ],
           [0.81 ],
           [0.729]])
    """
    A = np.asarray(A, dtype=float)
    command = np.asarray(command, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got shape {A.shape}")
    if command.ndim != 2 or command.shape[1] != A.shape[0]:
        raise ValueError(f"command must have shape (n_steps, {A.shape[0]}), got {command.shape}")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(command))):
        raise ValueError("A and command must be finite")
    dt = _positive(dt, "dt", "s")
    x = np.zeros(A.shape[0]) if x0 is None else np.array(x0, dtype=float)
    if x.shape != (A.shape[0],) or not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be a finite vector of length {A.shape[0]}, got shape {np.shape(x0)}")
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

    Parameters
    ----------
    damping : float
        ``d`` in Hz, finite and >= 0.
    stiffness : float
        ``s`` in Hz, finite and > 0.
    coupling : float
        ``k`` in Hz, finite and > 0.

    Returns
    -------
    (2, 2) float array
        ``[[-d, -s], [k, 0]]``, Hz.

    Raises
    ------
    ValueError
        If a rate is out of its range.

    See Also
    --------
    second_order_modes : decay rates and frequency of such a matrix.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 6 (leaky differentiator and damped harmonic oscillator).

    Examples
    --------
    >>> A = second_order_system(damping=1.0, stiffness=4.0, coupling=1.0)
    >>> A
    array([[-1., -4.],
           [ 1.,  0.]])
    >>> round(second_order_modes(A).damping_ratio, 3)  # d / (2 sqrt(s k))
    0.25
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

    Parameters
    ----------
    damping : float, default 400.0
        ``d`` in Hz, finite and >= 0.
    stiffness : float, default 800.0
        ``s`` in Hz, finite and > 0.
    coupling : float, default 50.0
        ``k`` in Hz, finite and > 0.

    Returns
    -------
    (2, 2) float array
        ``[[-d, -s], [k, 0]]``, Hz.

    Raises
    ------
    ValueError
        If a rate is out of its range (see :func:`second_order_system`).

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 6A. The default values are a lead from a
       reimplementation (MODEL.md), not values legible in the paper.

    Examples
    --------
    >>> modes = second_order_modes(leaky_differentiator())
    >>> modes.decay_rates, modes.angular_frequency, round(modes.damping_ratio, 6)
    ((200.0, 200.0), 0.0, 1.0)
    """
    return second_order_system(damping, stiffness, coupling)


def damped_oscillator(damping: float = 4.8, stiffness: float = 22.4, coupling: float = 40.0) -> np.ndarray:
    """Fig. 6B damped harmonic oscillator (MODEL.md lead ``A = [[-4.8, -22.4], [40, 0]]``, Hz).

    With these values the eigenvalues are ``-2.4 ± 29.84i`` Hz: it rings at
    4.75 Hz (period 0.21 s) and its amplitude decays with time constant 0.42 s.

    Parameters
    ----------
    damping : float, default 4.8
        ``d`` in Hz, finite and >= 0.
    stiffness : float, default 22.4
        ``s`` in Hz, finite and > 0.
    coupling : float, default 40.0
        ``k`` in Hz, finite and > 0.

    Returns
    -------
    (2, 2) float array
        ``[[-d, -s], [k, 0]]``, Hz.

    Raises
    ------
    ValueError
        If a rate is out of its range (see :func:`second_order_system`).

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 6B. The default values are a lead from a
       reimplementation (MODEL.md), not values legible in the paper.

    Examples
    --------
    >>> modes = second_order_modes(damped_oscillator())
    >>> round(modes.frequency, 2), round(modes.decay_rates[0], 2)
    (4.75, 2.4)
    """
    return second_order_system(damping, stiffness, coupling)


@dataclass(frozen=True)
class SecondOrderModes:
    """Modes of a 2×2 system from its eigenvalues: ``decay_rates`` (Hz, one per
    eigenvalue, -Re λ), ``angular_frequency`` (rad/s, |Im λ|, 0 if real),
    ``natural_frequency`` ω_0 = sqrt(det A) (rad/s), ``damping_ratio`` ζ = -tr A / (2 ω_0).

    Attributes
    ----------
    decay_rates : tuple of float
        ``-Re λ`` of the two eigenvalues, Hz, ascending.
    angular_frequency : float
        ``max |Im λ|``, rad/s (0 if the eigenvalues are real).
    natural_frequency : float
        ``ω_0 = sqrt(det A)``, rad/s.
    damping_ratio : float
        ``ζ = -tr A / (2 ω_0)`` (dimensionless; < 1 rings, 1 critical, > 1 overdamped).

    See Also
    --------
    second_order_modes : computes them.

    Examples
    --------
    >>> modes = second_order_modes([[-2.0, -26.0], [1.0, 0.0]])  # eigenvalues -1 ± 5i
    >>> modes.decay_rates, modes.angular_frequency, round(modes.frequency, 4)
    ((1.0, 1.0), 5.0, 0.7958)
    """
    decay_rates: tuple
    angular_frequency: float
    natural_frequency: float
    damping_ratio: float

    @property
    def frequency(self) -> float:
        """Oscillation frequency, Hz (``angular_frequency / 2π``; 0 if over- or critically damped)."""
        return self.angular_frequency / (2 * math.pi)


def second_order_modes(A) -> SecondOrderModes:
    """Decay rates and oscillation frequency of a 2×2 state-transition matrix ``A`` (Hz).

    Parameters
    ----------
    A : (2, 2) array_like
        State-transition matrix in Hz, finite, with ``det A > 0`` (a restoring
        force).

    Returns
    -------
    SecondOrderModes
        Decay rates (Hz), angular and natural frequencies (rad/s) and the
        damping ratio, from the eigenvalues of ``A``.

    Raises
    ------
    ValueError
        If ``A`` is not a finite 2×2 matrix or its determinant is not positive.

    Examples
    --------
    >>> modes = second_order_modes(damped_oscillator())
    >>> round(modes.angular_frequency, 2), round(modes.natural_frequency, 2), round(modes.damping_ratio, 3)
    (29.84, 29.93, 0.08)
    """
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
    from the start of the fitted window.

    Attributes
    ----------
    amplitude : float
        Initial amplitude, units of the signal (>= 0 when fitted).
    decay_rate : float
        Amplitude decay rate, Hz (the time constant is ``1 / decay_rate`` s).
    frequency : float
        Oscillation frequency, Hz (>= 0 when fitted).
    phase : float
        Phase at t = 0, rad (in [-2π, 2π] when fitted).
    offset : float
        Constant the oscillation decays to, units of the signal.

    See Also
    --------
    fit_damped_sinusoid : fits one to a signal.

    Examples
    --------
    >>> ringing = DampedSinusoid(amplitude=1.0, decay_rate=2.4, frequency=4.75, phase=0.0, offset=0.0)
    >>> round(1 / ringing.frequency, 3), round(1 / ringing.decay_rate, 3)  # period and time constant, s
    (0.211, 0.417)
    """
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

    ``scipy.optimize.curve_fit`` is started from four phases (the periodogram's
    peak frequency, the largest deviation from the mean as amplitude, a decay of
    one over the window); the fit with the smallest squared error is kept.

    Parameters
    ----------
    times : (n,) array_like
        Sample times in s, finite and strictly increasing, ``n >= 16``; the fit's
        time origin is ``times[0]``. Roughly even spacing is assumed (the
        periodogram uses the mean step).
    signal : (n,) array_like
        The signal at those times (any units), finite.

    Returns
    -------
    DampedSinusoid
        The fitted parameters (frequency and decay rate in Hz, phase in rad,
        amplitude and offset in the signal's units).

    Raises
    ------
    ValueError
        If ``times`` and ``signal`` are not 1-D of the same length >= 16, not
        finite, or ``times`` is not strictly increasing.
    RuntimeError
        If no start converges.

    See Also
    --------
    second_order_modes : the decay and frequency a linear system should show.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0.0, 1.0, 1e-3)
    >>> y = 2.0 * np.exp(-3.0 * t) * np.cos(2 * np.pi * 5.0 * t + 0.5) + 1.0
    >>> y = y + 0.05 * np.random.default_rng(0).standard_normal(t.size)  # jitter
    >>> fit = fit_damped_sinusoid(t, y)
    >>> round(fit.frequency, 2), round(fit.decay_rate, 1), round(fit.amplitude, 1), round(fit.offset, 2)
    (5.0, 3.0, 2.0, 1.0)
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
