"""Coding a number with spikes, and the Poisson drive of a single neuron
(Denève & Machens 2016, Figure 1).

Coding error (Fig 1a-c). A number ``x >= 0`` is represented by spikes of
weight ``w``: the read-out after ``n`` spikes is ``x_hat = w * n``, so about
``M = x / w`` spikes are needed. Both codes are run on a time grid against a
*cumulative target* ``c(t)`` (the part of ``x`` that should have been
represented by time ``t``; a ramp ``x t / T`` for a constant number over a
window ``T``):

- rate code: spikes are a Poisson process whose expected count is ``c(t) / w``,
  so the final count is Poisson with mean ``x / w`` and the read-out error has
  standard deviation ``sqrt(w x) = x / sqrt(M)``;
- error-correcting code: a spike is fired whenever the running error
  ``c(t) - w n(t)`` exceeds half a spike weight, so the error never exceeds
  ``w / 2 = x / (2 M)``.

Drive (Fig 1d-e). Pooled excitatory and inhibitory Poisson inputs, each
spike adding a jump to an exponentially decaying current (shot noise). The
current is returned as ``R·I`` in mV, sampled once per step, ready for
:func:`pcn_core.lif.simulate_lif`.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.signal
import scipy.stats

from . import validation


def _positive(name: str, value: float, unit: str = "") -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number{unit}, got {value}")
    return value


def _cumulative_target(target) -> np.ndarray:
    c = np.asarray(target, dtype=float)
    if c.ndim not in (1, 2) or c.shape[-1] == 0:
        raise ValueError(f"target must be a non-empty array (n_steps,) or (n_trials, n_steps), got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError("target must be finite")
    if np.any(c[..., 0] < 0) or np.any(np.diff(c, axis=-1) < 0):
        raise ValueError("target must be a cumulative target: >= 0 and non-decreasing along time "
                         "(spikes of positive weight cannot represent a decrease)")
    return c


def ramp_target(values, n_steps: int) -> np.ndarray:
    """Cumulative target for constant numbers spread evenly over a window of ``n_steps`` steps.

    ``values`` : number(s) to represent (>= 0, dimensionless), one per trial.
    Returns an array (n_trials, n_steps) whose step ``k`` holds ``x (k + 1) / n_steps``,
    so the last step holds ``x`` itself.
    """
    x = np.atleast_1d(np.asarray(values, dtype=float))
    if x.ndim != 1 or not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError("values must be a 1-D array of finite numbers >= 0")
    if int(n_steps) != n_steps or n_steps < 1:
        raise ValueError(f"n_steps must be a positive integer, got {n_steps}")
    return x[:, None] * (np.arange(1, int(n_steps) + 1) / n_steps)[None, :]


def poisson_code(target, spike_weight: float, *, seed=None) -> np.ndarray:
    """Rate code: spike counts per step of a Poisson process whose expected
    cumulative count is ``target / spike_weight``.

    ``target`` : cumulative target, array (n_steps,) or (n_trials, n_steps),
    non-decreasing and >= 0 (dimensionless). ``spike_weight`` : value one spike
    adds to the read-out (> 0). Returns integer counts of the same shape.
    """
    c = _cumulative_target(target)
    w = _positive("spike_weight", spike_weight)
    increments = np.diff(c, axis=-1, prepend=0.0)
    return validation.rng(seed).poisson(increments / w)


def error_correcting_code(target, spike_weight: float) -> np.ndarray:
    """Greedy code: spike counts per step such that a spike is fired whenever the
    running error ``target - spike_weight * n`` exceeds ``spike_weight / 2``.

    Several spikes are fired in one step if the target jumped by more than one
    weight, so no spike is lost to the grid. Deterministic. Same arguments as
    :func:`poisson_code`.
    """
    c = _cumulative_target(target)
    w = _positive("spike_weight", spike_weight)
    # After firing, n is the smallest count with c - w n <= w/2, i.e. ceil(c/w - 1/2);
    # a count never decreases, so take the running maximum (a no-op for a non-decreasing c).
    needed = np.maximum(np.ceil(c / w - 0.5), 0.0)
    cumulative = np.maximum.accumulate(needed, axis=-1).astype(np.int64)
    return np.diff(cumulative, axis=-1, prepend=0)


def read_out(counts, spike_weight: float) -> np.ndarray:
    """Running read-out ``spike_weight * n(t)`` from spike counts per step (last axis is time)."""
    w = _positive("spike_weight", spike_weight)
    counts = np.asarray(counts)
    if counts.ndim not in (1, 2) or np.any(counts < 0):
        raise ValueError("counts must be a 1-D or 2-D array of non-negative spike counts")
    return w * np.cumsum(counts, axis=-1)


def coding_error(values, spike_weights, *, n_steps: int = 50, seed=None):
    """Error of both codes against the number of spikes, by simulation.

    For every ``spike_weight`` each code represents every number in ``values``
    (one trial each) over a ramp of ``n_steps`` steps; the error is the final
    read-out minus the number.

    Returns a pandas DataFrame with one row per weight: ``spike_weight``, and
    for ``code`` in (``poisson``, ``corrective``) the mean number of spikes
    ``<code>_spikes``, the RMS error ``<code>_rms`` and the largest absolute
    error ``<code>_max``.
    """
    import pandas as pd

    weights = np.atleast_1d(np.asarray(spike_weights, dtype=float))
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError("spike_weights must be a non-empty 1-D array")
    target = ramp_target(values, n_steps)
    x = target[:, -1]
    rng = validation.rng(seed)
    rows = []
    for w in weights:
        row = {"spike_weight": float(w)}
        for name, counts in (("poisson", poisson_code(target, w, seed=rng)),
                             ("corrective", error_correcting_code(target, w))):
            n = counts.sum(axis=-1)
            err = w * n - x
            row[f"{name}_spikes"] = float(n.mean())
            row[f"{name}_rms"] = float(np.sqrt(np.mean(err ** 2)))
            row[f"{name}_max"] = float(np.abs(err).max())
        rows.append(row)
    return pd.DataFrame(rows)


def loglog_slope(x, y):
    """Least-squares line through ``(log10 x, log10 y)``: returns scipy's LinregressResult
    (``slope``, ``intercept``, ``stderr``, ...). ``x`` and ``y`` must be positive."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size < 3:
        raise ValueError(f"x and y must be 1-D of equal length >= 3, got {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and np.all(x > 0) and np.all(y > 0)):
        raise ValueError("x and y must be finite and positive for a log-log fit")
    return scipy.stats.linregress(np.log10(x), np.log10(y))


# ---------------------------------------------------------------------------
# Poisson excitation and inhibition (Fig 1d-e)

def shot_noise_moments(rate: float, jump: float, tau_syn: float, dt: float | None = None):
    """Stationary mean and variance (mV, mV^2) of :func:`poisson_shot_noise`.

    Campbell's theorem for the kernel ``jump * exp(-t / tau_syn)`` gives mean
    ``rate * jump * tau_syn`` and variance ``rate * jump**2 * tau_syn / 2``
    (``dt=None``). With ``dt`` (s) the exact values for the sampled current are
    returned: counts per step are Poisson(``rate dt``) and decay by
    ``a = exp(-dt / tau_syn)`` per step, so mean ``jump rate dt / (1 - a)`` and
    variance ``jump**2 rate dt / (1 - a**2)``; they approach the continuous
    ones as ``dt / tau_syn -> 0``.
    """
    if not (math.isfinite(rate) and rate >= 0):
        raise ValueError(f"rate must be >= 0 Hz, got {rate}")
    if not math.isfinite(jump):
        raise ValueError(f"jump must be a finite number of mV, got {jump}")
    tau_syn = _positive("tau_syn", tau_syn, " of seconds")
    if dt is None:
        return rate * jump * tau_syn, rate * jump ** 2 * tau_syn / 2.0
    dt = _positive("dt", dt, " of seconds")
    a = math.exp(-dt / tau_syn)
    return jump * rate * dt / (1.0 - a), jump ** 2 * rate * dt / (1.0 - a * a)


def poisson_shot_noise(rate: float, jump: float, tau_syn: float, duration: float, dt: float, *,
                       n_trials: int = 1, seed=None) -> np.ndarray:
    """Current (as ``R·I``, mV) produced by a pooled Poisson input.

    ``rate`` : total input spike rate (Hz, all afferents pooled; a sum of
    Poisson trains is Poisson). ``jump`` : step of ``R·I`` per input spike
    (mV; > 0, the sign is applied by the caller). ``tau_syn`` : decay time
    constant of the synaptic current (s). Input spikes are counted per step of
    ``dt`` (s) and each step's current decays by ``exp(-dt / tau_syn)``. The
    current starts at its stationary mean (no transient in the mean; the
    variance settles within a few ``tau_syn``).

    Returns an array (n_trials, round(duration/dt)) in mV.
    """
    tau_syn = _positive("tau_syn", tau_syn, " of seconds")
    dt = _positive("dt", dt, " of seconds")
    jump = _positive("jump", jump, " of mV")
    duration = _positive("duration", duration, " of seconds")
    if not (math.isfinite(rate) and rate >= 0):
        raise ValueError(f"rate must be >= 0 Hz, got {rate}")
    if dt > 0.1 * tau_syn:
        raise ValueError(f"dt={dt} s is too large for tau_syn={tau_syn} s: need dt <= tau_syn/10")
    if int(n_trials) != n_trials or n_trials < 1:
        raise ValueError(f"n_trials must be a positive integer, got {n_trials}")
    n_steps = int(round(duration / dt))
    mean, _ = shot_noise_moments(rate, jump, tau_syn, dt)
    a = math.exp(-dt / tau_syn)
    counts = validation.rng(seed).poisson(rate * dt, size=(int(n_trials), n_steps)).astype(float)
    # y[k] = a y[k-1] + jump * counts[k], with y[-1] = mean
    zi = np.full((int(n_trials), 1), a * mean)
    current, _ = scipy.signal.lfilter([jump], [1.0, -a], counts, axis=-1, zi=zi)
    return current


def excitation_inhibition_drive(rate_exc: float, rate_inh: float, jump_exc: float, jump_inh: float,
                                tau_syn: float, duration: float, dt: float, *, n_trials: int = 1,
                                seed=None):
    """Independent excitatory and inhibitory shot-noise currents (mV, as ``R·I``).

    Returns ``(excitation, inhibition)``, both positive arrays (n_trials, n_steps);
    the neuron's drive is ``excitation - inhibition``. Rates in Hz, jumps in mV,
    ``tau_syn``, ``duration`` and ``dt`` in s (see :func:`poisson_shot_noise`).
    """
    rng = validation.rng(seed)
    exc = poisson_shot_noise(rate_exc, jump_exc, tau_syn, duration, dt, n_trials=n_trials, seed=rng)
    inh = poisson_shot_noise(rate_inh, jump_inh, tau_syn, duration, dt, n_trials=n_trials, seed=rng)
    return exc, inh


# ---------------------------------------------------------------------------
# The same comparison on simulated spiking networks (Fig 1c on networks)

def network_coding_error(spikes_per_value, *, value: float = 1.0, n_neurons: int = 20,
                         decoder_leak: float = 10.0, duration: float = 2.0, warmup: float = 0.5,
                         dt: float = 1e-4, seed=None) -> dict:
    """Read-out error of a spike-coding network and of its matched Poisson rate model.

    A homogeneous Boerlin et al. (2013) network (:func:`pcn_core.network.boerlin_network`,
    kernels ``±w``, no costs, no noise) holds a constant ``x = value``: ``A = -λ_d``
    and the constant command ``c = λ_d x``, so the slow connections vanish and only
    the fast, error-correcting connections remain. The matched model
    (:func:`pcn_core.rate_model.simulate_rate_model`) fires Poisson spikes at the
    network's instantaneous rates. With kernel ``w = value / M`` the read-out
    ``dx̂/dt = -λ_d x̂ + Γ o`` holds about ``M`` spikes per decoder time constant,
    so the error of the network should scale as ``1/M`` and that of the Poisson
    model as ``1/√M`` (shot noise: s.d. ``w sqrt(M / 2)`` = ``value / sqrt(2 M)``).

    Parameters
    ----------
    spikes_per_value : sequence of float
        ``M`` values (> 0): the kernel is ``value / M``.
    value : float
        The represented number x (> 0, units of x).
    n_neurons : int
        Even number of neurons (half ``+w``, half ``-w``).
    decoder_leak : float
        λ_d (Hz).
    duration, warmup : float
        Simulated time and the initial part left out of the error (s), ``0 <= warmup < duration``.
    dt : float
        Euler step (s).
    seed : int, None or np.random.Generator
        Seed of the Poisson model's draws (the network is deterministic).

    Returns
    -------
    dict of (len(spikes_per_value),) arrays
        ``kernel`` (x per spike); ``network_spikes`` and ``poisson_spikes``: measured
        spikes per decoder time constant (population rate / λ_d); ``network_rms`` and
        ``poisson_rms``: RMS of ``x̂ - x`` after the warm-up (units of x).

    Raises
    ------
    ValueError
        If a value is out of its range.
    """
    from .network import boerlin_network, homogeneous_kernels
    from .rate_model import simulate_rate_model
    from .simulation import simulate

    spikes = np.asarray(spikes_per_value, dtype=float)
    if spikes.ndim != 1 or spikes.size < 1 or not np.all(np.isfinite(spikes) & (spikes > 0)):
        raise ValueError("spikes_per_value must be a non-empty 1-D sequence of finite values > 0")
    value = _positive("value", value)
    decoder_leak = _positive("decoder_leak", decoder_leak, " Hz")
    duration = _positive("duration", duration, " s")
    dt = _positive("dt", dt, " s")
    if not (np.isfinite(warmup) and 0 <= warmup < duration):
        raise ValueError(f"warmup must be in [0, duration={duration}) s, got {warmup}")
    rng = validation.rng(seed)
    n_steps = int(round(duration / dt))
    kept = slice(int(round(warmup / dt)), n_steps)
    command = np.full(n_steps, decoder_leak * value)
    out = {k: [] for k in ("kernel", "network_spikes", "poisson_spikes", "network_rms", "poisson_rms")}
    for m in spikes:
        kernel = value / m
        net = boerlin_network(homogeneous_kernels(n_neurons, kernel), [[-decoder_leak]], decoder_leak=decoder_leak,
                              membrane_leak=0.0)
        out["kernel"].append(kernel)
        for name, result in (("network", simulate(net, command, dt, x0=[value])),
                             ("poisson", simulate_rate_model(net, command, dt, x0=[value], seed=rng))):
            error = result.estimate[kept, 0] - result.target[kept, 0]
            times = result.spike_times
            in_window = np.sum(times >= kept.start * dt)
            out[f"{name}_spikes"].append(in_window / ((n_steps - kept.start) * dt) / decoder_leak)
            out[f"{name}_rms"].append(float(np.sqrt(np.mean(error ** 2))))
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
