"""Single leaky integrate-and-fire neuron driven by a given input (Zador 1998,
Denève & Machens 2016 Fig 1d-e, model neurons elsewhere).

    tau dv/dt = -(v - v_rest) + drive(t),   spike when v >= v_thresh, then v = v_reset

``drive`` is R·I(t) in mV, held constant over each step of length ``dt`` and
integrated exactly over the step (exponential Euler), so results converge as
``dt`` shrinks without a stability limit. A refractory period clamps ``v`` at
``v_reset`` for that many seconds after each spike.
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
        out.append(buffer[:n] * dt)
    return out, voltage


def lif_rate(drive: float, tau: float, v_rest: float, v_reset: float, v_thresh: float,
             refractory: float = 0.0) -> float:
    """Analytic firing rate (Hz) of the LIF neuron under constant ``drive`` (mV).

    ``1 / (refractory + tau * ln((v_inf - v_reset) / (v_inf - v_thresh)))`` with
    ``v_inf = v_rest + drive``; 0 if ``v_inf <= v_thresh``. Times in seconds.
    """
    v_inf = v_rest + drive
    if v_inf <= v_thresh:
        return 0.0
    return 1.0 / (refractory + tau * math.log((v_inf - v_reset) / (v_inf - v_thresh)))


def simulate_lif(drive, dt: float, *, tau: float = 0.02, v_rest: float = -70.0,
                 v_reset: float = -70.0, v_thresh: float = -55.0, refractory: float = 0.0,
                 v0: float | None = None) -> list[np.ndarray]:
    """Simulate the LIF neuron for each row of ``drive``.

    Parameters
    ----------
    drive : array (n_steps,) or (n_trials, n_steps), R·I in mV per step
    dt : step in s; tau, refractory : s; v_rest, v_reset, v_thresh, v0 : mV
        (``v0`` defaults to ``v_rest``)

    Returns
    -------
    list of arrays of spike times in s (step index times ``dt``), one per trial.
    """
    return _run(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0, record=False)[0]


def simulate_lif_voltage(drive, dt: float, *, tau: float = 0.02, v_rest: float = -70.0,
                         v_reset: float = -70.0, v_thresh: float = -55.0, refractory: float = 0.0,
                         v0: float | None = None):
    """Like :func:`simulate_lif`, also returning the membrane potential (for plotting traces).

    Returns ``(spike_times, voltage)``: the list of spike-time arrays (s), one
    per trial, exactly as :func:`simulate_lif` gives them, and an array of the
    shape of ``drive`` with ``v`` (mV) at the end of each step (``v_reset`` on
    a spike step and during the refractory period).
    """
    spikes, voltage = _run(drive, dt, tau, v_rest, v_reset, v_thresh, refractory, v0, record=True)
    return spikes, voltage.reshape(np.shape(drive))
