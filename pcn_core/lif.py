"""Single leaky integrate-and-fire neuron driven by a given input (Zador 1998,
Denève & Machens 2016 Fig 1d-e, model neurons elsewhere).

    tau dv/dt = -(v - v_rest) + drive(t),   spike when v >= v_thresh, then v = v_reset

``drive`` is R·I(t) in mV, held constant over each step of length ``dt`` and
integrated exactly over the step (exponential Euler), so results converge as
``dt`` shrinks without a stability limit. A refractory period clamps ``v`` at
``v_reset`` for that many seconds after each spike.

The threshold is checked at the end of each step, so a spike is found in the
step during which ``v`` crosses ``v_thresh`` and stamped at that step's end,
``(k + 1) · dt``, the convention of every simulator in ``pcn_core`` (a spike
belongs to the interval ``(k dt, (k + 1) dt]``); at most one spike per step. Under a constant drive the simulated
interspike interval is the analytic one (:func:`lif_rate`) rounded up to a
whole number of steps.

References
----------
.. [1] Zador A (1998). Impact of synaptic unreliability on the information
   transmitted by spiking neurons. J Neurophysiol 79:1219-1229, Methods,
   "Model of spiking".
.. [2] Denève S, Machens CK (2016). Efficient codes and balanced networks.
   Nat Neurosci 19:375-382, Fig. 1d-e.
"""
from __future__ import annotations

import math

import numba
import numpy as np

from . import validation


@numba.njit(cache=True)
def _lif_trial(drive, dt, tau, v_rest, v_reset, v_thresh, refractory_steps, v0, spike_steps, voltage):
    """One trial; records v at the end of every step when ``voltage`` is not empty."""
    decay = math.exp(-dt / tau)
    record = voltage.size > 0
    v = v0
    n_spikes = 0
    hold = 0
    for k in range(drive.size):
        if hold > 0:
            hold -= 1
            v = v_reset
        else:
            v_inf = v_rest + drive[k]
            v = v_inf + (v - v_inf) * decay
            if v >= v_thresh:
                spike_steps[n_spikes] = k
                n_spikes += 1
                v = v_reset
                hold = refractory_steps
        if record:
            voltage[k] = v
    return n_spikes


def _check_lif_args(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0):
    """Validate the arguments of the simulators; return (drive rows, v0, refractory steps)."""
    drive = np.asarray(drive, dtype=float)
    if drive.ndim not in (1, 2) or drive.shape[-1] == 0:
        raise ValueError(f"drive must be a non-empty array (n_steps,) or (n_trials, n_steps), got shape {drive.shape}")
    if not np.all(np.isfinite(drive)):
        raise ValueError("drive must be finite")
    for name, value in (("dt", dt), ("tau", tau)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive number of seconds, got {value}")
    if dt > 0.1 * tau:
        raise ValueError(f"dt={dt} s is too large for tau={tau} s: need dt <= tau/10")
    if not (refractory >= 0 and np.isfinite(refractory)):
        raise ValueError(f"refractory must be >= 0 s, got {refractory}")
    for name, value in (("v_rest", v_rest), ("v_reset", v_reset), ("v_thresh", v_thresh)):
        validation.real(value, name, unit="mV")
    if not v_reset < v_thresh:
        raise ValueError(f"v_reset ({v_reset} mV) must be below v_thresh ({v_thresh} mV)")
    v0 = v_rest if v0 is None else validation.real(v0, "v0", unit="mV")
    rows = drive.reshape(-1, drive.shape[-1])
    refractory_steps = int(round(refractory / dt))
    return rows, v0, refractory_steps


def _run(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0, record):
    rows, v0, refractory_steps = _check_lif_args(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0)
    buffer = np.empty(rows.shape[1], dtype=np.int64)  # at most one spike per step
    voltage = np.empty_like(rows) if record else np.empty((rows.shape[0], 0))
    out = []
    for row, v_row in zip(rows, voltage):
        n = _lif_trial(row, dt, tau, v_rest, v_reset, v_thresh, refractory_steps, v0, buffer, v_row)
        out.append((buffer[:n] + 1) * dt)
    return out, voltage


def lif_rate(drive: float, tau: float, v_rest: float, v_reset: float, v_thresh: float,
             refractory: float = 0.0) -> float:
    """Analytic firing rate (Hz) of the LIF neuron under constant ``drive`` (mV).

    ``1 / (refractory + tau * ln((v_inf - v_reset) / (v_inf - v_thresh)))`` with
    ``v_inf = v_rest + drive``; 0 if ``v_inf <= v_thresh``. Times in seconds.

    Parameters
    ----------
    drive : float
        Constant input ``R·I`` (mV).
    tau : float
        Membrane time constant (s), > 0.
    v_rest, v_reset, v_thresh : float
        Resting, reset and threshold potentials (mV), ``v_reset < v_thresh``.
    refractory : float
        Absolute refractory period (s), >= 0.

    Returns
    -------
    float
        Firing rate (Hz); 0.0 when ``v_rest + drive <= v_thresh``.

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If an argument is not finite, ``tau <= 0``, ``refractory < 0`` or
        ``v_reset >= v_thresh`` (a reset above threshold would give a negative
        "rate").

    See Also
    --------
    simulate_lif : the same neuron on a time grid.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229, Methods,
       "Model of spiking".

    Examples
    --------
    A 20 mV drive takes ``v`` from -70 mV towards -50 mV, through the -55 mV
    threshold after ``tau · ln(4)`` s; a 10 mV drive never reaches it.

    >>> round(lif_rate(20.0, tau=0.02, v_rest=-70.0, v_reset=-70.0, v_thresh=-55.0), 2)
    36.07
    >>> round(1 / (0.02 * math.log(4)), 2)
    36.07
    >>> lif_rate(10.0, tau=0.02, v_rest=-70.0, v_reset=-70.0, v_thresh=-55.0)
    0.0
    >>> lif_rate(20.0, tau=0.02, v_rest=-70.0, v_reset=-50.0, v_thresh=-55.0)
    Traceback (most recent call last):
    ...
    ValueError: v_reset (-50.0 mV) must be below v_thresh (-55.0 mV)
    """
    # checked, not converted: the arithmetic below sees the values as given
    for name, value in (("drive", drive), ("v_rest", v_rest), ("v_reset", v_reset), ("v_thresh", v_thresh)):
        validation.real(value, name, unit="mV")
    validation.real(tau, "tau", low=0.0, low_open=True, unit="s")
    validation.real(refractory, "refractory", low=0.0, unit="s")
    if not v_reset < v_thresh:
        raise ValueError(f"v_reset ({v_reset} mV) must be below v_thresh ({v_thresh} mV)")
    v_inf = v_rest + drive
    if v_inf <= v_thresh:
        return 0.0
    return 1.0 / (refractory + tau * math.log((v_inf - v_reset) / (v_inf - v_thresh)))


def simulate_lif(drive, dt: float, *, tau: float = 0.02, v_rest: float = -70.0,
                 v_reset: float = -70.0, v_thresh: float = -55.0, refractory: float = 0.0,
                 v0: float | None = None) -> list[np.ndarray]:
    """Simulate the LIF neuron for each row of ``drive``.

    ``tau dv/dt = -(v - v_rest) + drive(t)``, integrated exactly over each step
    with the drive held constant (module docstring); a spike when
    ``v >= v_thresh`` at the end of a step, then ``v = v_reset`` (held there
    for ``refractory`` s). Each trial starts from ``v0``.

    Parameters
    ----------
    drive : array_like, shape (n_steps,) or (n_trials, n_steps)
        Input ``R·I`` (mV) in each step of each trial, finite, ``n_steps >= 1``.
    dt : float
        Time step (s), > 0 and ``<= tau / 10``.
    tau : float
        Membrane time constant (s), > 0.
    v_rest, v_reset, v_thresh : float
        Resting, reset and threshold potentials (mV), finite,
        ``v_reset < v_thresh``.
    refractory : float
        Absolute refractory period (s), >= 0, rounded to a whole number of
        steps.
    v0 : float, optional
        Initial potential (mV) of every trial; default ``v_rest``.

    Returns
    -------
    list of (n_spikes,) float ndarray
        Spike times (s) of each trial, one array per row of ``drive`` (one for
        a 1-D drive): the end ``(k + 1) · dt`` of the step ``k`` in which ``v``
        crossed threshold.

    Raises
    ------
    ValueError
        If ``drive`` is empty, not 1-D or 2-D or not finite, ``dt`` or ``tau``
        is not positive, ``dt > tau / 10``, ``refractory < 0``, a potential is
        not finite, or ``v_reset >= v_thresh``.
    TypeError
        If a potential or ``v0`` is not a real number.

    See Also
    --------
    simulate_lif_voltage : also returns the membrane potential.
    lif_rate : the analytic rate under a constant drive.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229, Methods,
       "Model of spiking".

    Examples
    --------
    Two trials of 1 s with a constant 20 mV drive: the interspike interval is
    the analytic ``1 / lif_rate = 27.73 ms`` rounded up to whole 0.1 ms steps.

    >>> trains = simulate_lif(np.full((2, 10000), 20.0), dt=1e-4)
    >>> [train.size for train in trains]
    [35, 35]
    >>> trains[0][:3]
    array([0.0278, 0.0556, 0.0834])
    >>> round(1 / lif_rate(20.0, 0.02, -70.0, -70.0, -55.0), 5)
    0.02773
    """
    return _run(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0, record=False)[0]


def simulate_lif_voltage(drive, dt: float, *, tau: float = 0.02, v_rest: float = -70.0,
                         v_reset: float = -70.0, v_thresh: float = -55.0, refractory: float = 0.0,
                         v0: float | None = None):
    """Like :func:`simulate_lif`, also returning the membrane potential (for plotting traces).

    Parameters
    ----------
    drive : array_like, shape (n_steps,) or (n_trials, n_steps)
        Input ``R·I`` (mV) in each step of each trial, finite, ``n_steps >= 1``.
    dt : float
        Time step (s), > 0 and ``<= tau / 10``.
    tau : float
        Membrane time constant (s), > 0.
    v_rest, v_reset, v_thresh : float
        Resting, reset and threshold potentials (mV), finite,
        ``v_reset < v_thresh``.
    refractory : float
        Absolute refractory period (s), >= 0, rounded to a whole number of
        steps.
    v0 : float, optional
        Initial potential (mV) of every trial; default ``v_rest``.

    Returns
    -------
    spike_times : list of (n_spikes,) float ndarray
        Spike times (s), one array per trial, exactly as :func:`simulate_lif`
        gives them.
    voltage : float ndarray, shape of ``drive``
        ``v`` (mV) at the end of each step (``v_reset`` on a spike step and
        during the refractory period).

    Raises
    ------
    ValueError
        As :func:`simulate_lif`.
    TypeError
        As :func:`simulate_lif`.

    Examples
    --------
    >>> spikes, v = simulate_lif_voltage(np.full(1000, 20.0), dt=1e-4, refractory=0.002)
    >>> spikes[0]
    array([0.0278, 0.0576, 0.0874])
    >>> v.shape, bool(v.max() < -55.0)
    ((1000,), True)
    >>> v[277:297].tolist() == [-70.0] * 20   # reset, then 2 ms refractory
    True
    """
    spikes, voltage = _run(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0, record=True)
    return spikes, voltage.reshape(np.shape(drive))
