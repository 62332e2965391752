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

Fig. 1c on networks (:func:`network_coding_error`): the same comparison with a
Boerlin et al. (2013) spike-coding network and its matched Poisson rate model.

References: Denève S, Machens CK (2016). Efficient codes and balanced networks.
Nat Neurosci 19:375-382 (Fig. 1 and its text, "Loosely balanced networks").
"""
from __future__ import annotations

import math
import numbers

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

    Parameters
    ----------
    values : float or (n_trials,) array_like
        Number(s) to represent (finite, >= 0, dimensionless), one per trial.
    n_steps : int
        Time steps in the window, >= 1.

    Returns
    -------
    (n_trials, n_steps) float array
        Step ``k`` holds ``x (k + 1) / n_steps``, so the last step holds ``x`` itself.

    Raises
    ------
    ValueError
        If ``values`` is not a 1-D array of finite numbers >= 0 or ``n_steps``
        is not a positive integer.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1a,b.

    Examples
    --------
    >>> ramp_target([2.0], 4)
    array([[0.5, 1. , 1.5, 2. ]])
    """
    x = np.atleast_1d(np.asarray(values, dtype=float))
    if x.ndim != 1 or not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError("values must be a 1-D array of finite numbers >= 0")
    if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or n_steps < 1:
        raise ValueError(f"n_steps must be a positive integer, got {n_steps!r}")
    return x[:, None] * (np.arange(1, int(n_steps) + 1) / n_steps)[None, :]


def poisson_code(target, spike_weight: float, *, seed=None) -> np.ndarray:
    """Rate code: spike counts per step of a Poisson process whose expected
    cumulative count is ``target / spike_weight``.

    Step ``k`` draws Poisson(``(c_k - c_{k-1}) / w``) spikes (``c_{-1} = 0``), so
    the final count is Poisson with mean ``x / w = M`` and the read-out error has
    standard deviation ``sqrt(w x) = x / sqrt(M)``.

    Parameters
    ----------
    target : (n_steps,) or (n_trials, n_steps) array_like
        Cumulative target (dimensionless), finite, >= 0 and non-decreasing along time.
    spike_weight : float
        Value one spike adds to the read-out (finite, > 0; units of the target).
    seed : int, None or np.random.Generator, default None
        Source of the random draws (an integer >= 0 for a reproducible run; a
        Generator is used as is, so its stream continues).

    Returns
    -------
    int64 array, same shape as ``target``
        Spikes per step.

    Raises
    ------
    ValueError
        If ``target`` is not a non-empty 1-D or 2-D finite cumulative target
        (>= 0, non-decreasing), or ``spike_weight`` is not finite and > 0.
    TypeError
        If ``seed`` is not None, an integer >= 0 or a np.random.Generator.

    See Also
    --------
    error_correcting_code : the deterministic code with error at most ``w / 2``.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1a-c.

    Examples
    --------
    2000 trials representing x = 1 with spikes of weight 0.1: the count has
    mean and variance ``x / w = 10`` (Poisson).

    >>> import numpy as np
    >>> counts = poisson_code(ramp_target(np.ones(2000), 10), 0.1, seed=0).sum(axis=1)
    >>> round(counts.mean()), round(counts.var())
    (10, 10)
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
    :func:`poisson_code`. After each step the count is ``n = max(0,
    ceil(c / w - 1/2))``, so ``|c - w n| <= w / 2 = x / (2 M)``.

    Parameters
    ----------
    target : (n_steps,) or (n_trials, n_steps) array_like
        Cumulative target (dimensionless), finite, >= 0 and non-decreasing along time.
    spike_weight : float
        Value one spike adds to the read-out (finite, > 0; units of the target).

    Returns
    -------
    int64 array, same shape as ``target``
        Spikes per step.

    Raises
    ------
    ValueError
        If ``target`` is not a non-empty 1-D or 2-D finite cumulative target
        (>= 0, non-decreasing), or ``spike_weight`` is not finite and > 0.

    See Also
    --------
    poisson_code : the rate code, error ``x / sqrt(M)``.
    read_out : the running read-out of the counts.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1a-c.

    Examples
    --------
    >>> target = ramp_target([1.0], 10)
    >>> counts = error_correcting_code(target, 0.25)
    >>> counts
    array([[0, 1, 0, 1, 0, 0, 1, 0, 1, 0]])
    >>> float(abs(target - read_out(counts, 0.25)).max())  # never above w / 2 = 0.125
    0.1
    """
    c = _cumulative_target(target)
    w = _positive("spike_weight", spike_weight)
    # After firing, n is the smallest count with c - w n <= w/2, i.e. ceil(c/w - 1/2);
    # a count never decreases, so take the running maximum (a no-op for a non-decreasing c).
    needed = np.maximum(np.ceil(c / w - 0.5), 0.0)
    cumulative = np.maximum.accumulate(needed, axis=-1).astype(np.int64)
    return np.diff(cumulative, axis=-1, prepend=0)


def read_out(counts, spike_weight: float) -> np.ndarray:
    """Running read-out ``spike_weight * n(t)`` from spike counts per step (last axis is time).

    Parameters
    ----------
    counts : (n_steps,) or (n_trials, n_steps) array_like
        Spikes per step, >= 0.
    spike_weight : float
        Value one spike adds to the read-out (finite, > 0; units of the target).

    Returns
    -------
    float array, same shape as ``counts``
        ``spike_weight`` times the cumulative count after each step (units of the target).

    Raises
    ------
    ValueError
        If ``counts`` is not 1-D or 2-D or has a negative entry, or
        ``spike_weight`` is not finite and > 0.

    Examples
    --------
    >>> read_out([0, 1, 0, 2], 0.5)
    array([0. , 0.5, 0.5, 1.5])
    """
    w = _positive("spike_weight", spike_weight)
    counts = np.asarray(counts)
    if counts.ndim not in (1, 2) or not np.all(np.isfinite(counts)) or np.any(counts < 0) \
            or np.any(counts != np.round(counts)):
        raise ValueError("counts must be a 1-D or 2-D array of non-negative integer spike counts")
    return w * np.cumsum(counts, axis=-1)


def coding_error(values, spike_weights, *, n_steps: int = 50, seed=None):
    """Error of both codes against the number of spikes, by simulation.

    For every ``spike_weight`` each code represents every number in ``values``
    (one trial each) over a ramp of ``n_steps`` steps; the error is the final
    read-out minus the number. The Poisson code's RMS error approaches
    ``sqrt(w x)`` (``1/sqrt(M)``), the corrective code's largest error stays
    below ``w / 2`` (``1/M``).

    Parameters
    ----------
    values : float or (n_trials,) array_like
        Numbers to represent (finite, >= 0, dimensionless), one trial each.
    spike_weights : float or (n_weights,) array_like
        Spike weights ``w`` to test (each finite and > 0; units of the values).
    n_steps : int, default 50
        Time steps of the ramp, >= 1.
    seed : int, None or np.random.Generator, default None
        Source of the Poisson code's draws (an integer >= 0 for a reproducible run; a
        Generator is used as is, so its stream continues).

    Returns
    -------
    pandas.DataFrame
        One row per weight: ``spike_weight``, and for ``code`` in
        (``poisson``, ``corrective``) the mean number of spikes
        ``<code>_spikes``, the RMS error ``<code>_rms`` and the largest absolute
        error ``<code>_max`` (errors in units of the values).

    Raises
    ------
    ValueError
        If ``spike_weights`` is not a non-empty 1-D array, a weight is not
        finite and > 0, or ``values`` or ``n_steps`` are invalid (see
        :func:`ramp_target`).
    TypeError
        If ``seed`` is not None, an integer >= 0 or a np.random.Generator.

    See Also
    --------
    loglog_slope : fits the scaling of the error with the number of spikes.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1c.

    Examples
    --------
    >>> import numpy as np
    >>> errors = coding_error(np.linspace(0.5, 1.5, 100), [0.1, 0.01], seed=0)
    >>> errors[["spike_weight", "corrective_spikes"]]
       spike_weight  corrective_spikes
    0          0.10               10.0
    1          0.01              100.0
    >>> bool((errors["corrective_max"] <= errors["spike_weight"] / 2).all())  # error <= w / 2
    True
    >>> bool((errors["poisson_rms"] > 5 * errors["corrective_rms"]).all())
    True
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
    (``slope``, ``intercept``, ``stderr``, ...). ``x`` and ``y`` must be positive.

    The slope is the exponent of a power law ``y = a x**slope``: about -1 for
    the error of an error-correcting code against the number of spikes, -1/2
    for a Poisson code.

    Parameters
    ----------
    x, y : (n,) array_like
        Positive finite values (any units), ``n >= 3``.

    Returns
    -------
    scipy.stats._stats_py.LinregressResult
        ``slope`` (dimensionless exponent), ``intercept`` (``log10 a``),
        ``rvalue``, ``pvalue``, ``stderr``, ``intercept_stderr``.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` are not 1-D of equal length >= 3, or not all finite and > 0.

    Examples
    --------
    >>> fit = loglog_slope([1, 10, 100], [3.0, 3.0 / 10 ** 0.5, 0.3])
    >>> round(float(fit.slope), 3), round(float(10 ** fit.intercept), 3)
    (-0.5, 3.0)
    """
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

    Parameters
    ----------
    rate : float
        Total input spike rate in Hz, finite and >= 0.
    jump : float
        Step of ``R·I`` per input spike in mV, finite (any sign).
    tau_syn : float
        Decay time constant of the synaptic current in s, finite and > 0.
    dt : float or None, default None
        Sampling step in s (finite, > 0) for the exact moments of the sampled
        current; None for the continuous-time moments.

    Returns
    -------
    mean : float
        Stationary mean of the current, mV.
    variance : float
        Stationary variance of the current, mV².

    Raises
    ------
    ValueError
        If ``rate`` is negative or not finite, ``jump`` is not finite, or
        ``tau_syn`` or ``dt`` is not finite and > 0.

    References
    ----------
    .. [1] Campbell N (1909). The study of discontinuous phenomena. Proc Camb
       Philos Soc 15:117-136 (Campbell's theorem).
    .. [2] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1d,e (Poisson excitation and inhibition).

    Examples
    --------
    1000 input spikes/s of 0.5 mV decaying with 5 ms: mean 2.5 mV, variance
    0.625 mV²; sampled every 0.1 ms, slightly more.

    >>> shot_noise_moments(1000.0, 0.5, 0.005)
    (2.5, 0.625)
    >>> [round(m, 3) for m in shot_noise_moments(1000.0, 0.5, 0.005, dt=1e-4)]
    [2.525, 0.638]
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

    Input spikes are counted per step of ``dt`` (s) and each step's current
    decays by ``a = exp(-dt / tau_syn)``: ``y_k = a y_{k-1} + jump n_k`` with
    ``n_k`` ~ Poisson(``rate dt``). The current starts at its stationary mean
    (no transient in the mean; the variance settles within a few ``tau_syn``).

    Parameters
    ----------
    rate : float
        Total input spike rate in Hz, finite and >= 0 (all afferents pooled; a
        sum of Poisson trains is Poisson).
    jump : float
        Step of ``R·I`` per input spike in mV, finite and > 0 (the sign is
        applied by the caller).
    tau_syn : float
        Decay time constant of the synaptic current in s, finite and > 0.
    duration : float
        Length of each trial in s, finite and > 0.
    dt : float
        Time step in s, finite, > 0 and <= ``tau_syn / 10``.
    n_trials : int, default 1
        Independent trials, >= 1.
    seed : int, None or np.random.Generator, default None
        Source of the random draws (an integer >= 0 for a reproducible run; a
        Generator is used as is, so its stream continues).

    Returns
    -------
    (n_trials, round(duration / dt)) float array
        The current in mV, one row per trial, one sample per step.

    Raises
    ------
    ValueError
        If a time, ``jump`` or ``rate`` is out of range (see above),
        ``dt > tau_syn / 10`` or ``n_trials`` is not a positive integer.
    TypeError
        If ``seed`` is not None, an integer >= 0 or a np.random.Generator.

    See Also
    --------
    shot_noise_moments : its stationary mean and variance.
    excitation_inhibition_drive : an excitatory and an inhibitory current.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1d,e.

    Examples
    --------
    2000 inputs/s of 0.5 mV decaying with 5 ms: the mean is about
    ``rate jump tau_syn`` = 5 mV.

    >>> current = poisson_shot_noise(2000.0, 0.5, 0.005, duration=1.0, dt=1e-4, n_trials=4, seed=0)
    >>> current.shape, round(float(current.mean()), 1)
    ((4, 10000), 5.0)
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
    if n_steps < 1:
        raise ValueError(f"duration={duration} s is shorter than one step (dt={dt} s)")
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
    Excitation dominating gives regular output spikes; excitation and
    inhibition cancelling on average ("loose" balance) gives irregular,
    Poisson-like output.

    Parameters
    ----------
    rate_exc, rate_inh : float
        Total excitatory and inhibitory input rates in Hz, finite and >= 0.
    jump_exc, jump_inh : float
        Step of ``R·I`` per excitatory and per inhibitory input spike in mV,
        finite and > 0 (inhibition is subtracted by the caller).
    tau_syn : float
        Decay time constant of both synaptic currents in s, finite and > 0.
    duration : float
        Length of each trial in s, finite and > 0.
    dt : float
        Time step in s, finite, > 0 and <= ``tau_syn / 10``.
    n_trials : int, default 1
        Independent trials, >= 1.
    seed : int, None or np.random.Generator, default None
        Source of both currents' draws (excitation first) (an integer >= 0 for a reproducible run; a
        Generator is used as is, so its stream continues).

    Returns
    -------
    excitation : (n_trials, round(duration / dt)) float array
        Excitatory current, mV (>= 0).
    inhibition : (n_trials, round(duration / dt)) float array
        Inhibitory current, mV (>= 0).

    Raises
    ------
    ValueError
        If a rate, jump or time is out of range (see :func:`poisson_shot_noise`).
    TypeError
        If ``seed`` is not None, an integer >= 0 or a np.random.Generator.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1d,e.

    Examples
    --------
    Balanced on average: 2000 Hz of 0.5 mV against 1000 Hz of 1 mV, both
    with a mean of 5 mV.

    >>> exc, inh = excitation_inhibition_drive(2000.0, 1000.0, 0.5, 1.0, 0.005, duration=1.0,
    ...                                        dt=1e-4, n_trials=4, seed=0)
    >>> exc.shape, round(float(exc.mean()), 1), round(float(inh.mean()), 1)
    ((4, 10000), 5.0, 5.0)
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

    The network sees only its command, not the initial state: its read-out
    starts at 0 and approaches ``x`` with the decoder time constant ``1/λ_d``,
    so ``warmup`` should span several ``1/λ_d`` (the default 0.5 s is 5/λ_d,
    leaving ``value · exp(-5)`` of the initial error). Cost: one network and one
    rate-model simulation of ``duration / dt`` steps per ``M``.

    Parameters
    ----------
    spikes_per_value : sequence of float
        ``M`` values (finite, > 0; spikes per decoder time constant): the
        kernel is ``value / M``.
    value : float, default 1.0
        The represented number x (finite, > 0, units of x).
    n_neurons : int, default 20
        Even number of neurons, >= 2 (half ``+w``, half ``-w``).
    decoder_leak : float, default 10.0
        λ_d in Hz, finite and > 0.
    duration, warmup : float, default 2.0 and 0.5
        Simulated time and the initial part left out of the error, in s;
        ``0 <= warmup < duration``.
    dt : float, default 1e-4
        Euler step in s, finite and > 0.
    seed : int, None or np.random.Generator, default None
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
        If a value is out of its range (``n_neurons`` not even and >= 2 is
        refused by :func:`pcn_core.network.homogeneous_kernels`).
    TypeError
        If ``seed`` is not None, an integer >= 0 or a np.random.Generator.

    See Also
    --------
    coding_error : the same comparison without networks.

    References
    ----------
    .. [1] Denève S, Machens CK (2016). Efficient codes and balanced networks.
       Nat Neurosci 19:375-382, Fig. 1c.
    .. [2] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258
       (homogeneous network; Poisson rate model with the same rates).

    Examples
    --------
    Four neurons, M = 4 and 16 spikes per decoder time constant, 1 s: the
    network keeps ``x̂`` in a sawtooth of one kernel (RMS ``w / sqrt(12)``) and
    fires exactly ``M`` spikes per ``1/λ_d``; the Poisson model errs more.

    >>> import numpy as np
    >>> result = network_coding_error([4, 16], n_neurons=4, duration=1.0, warmup=0.5, seed=0)
    >>> result["network_spikes"], np.round(result["network_rms"], 3)
    (array([ 4., 16.]), array([0.072, 0.018]))
    >>> np.round(result["kernel"] / np.sqrt(12), 3)
    array([0.072, 0.018])
    >>> bool(np.all(result["poisson_rms"] > 2 * result["network_rms"]))
    True
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
