"""Set-ups of Boerlin, Machens & Denève (2013) that several figure notebooks share.

The notebooks of Figs 1, 3, 4 and 7 drive a network representing one variable x with
the same kind of input: a stimulus made of two pulses (x rises, then falls) and a
sensory noise that stops when the stimulus stops (:func:`pcn_core.signals.white_noise_until`).
Figs 3 and 4 run the same inhomogeneous network (J copies of x, sparse random kernels)
on the same noisy input; :func:`inhomogeneous_integrator` builds it from one seed, drawing
the kernels first and then the noise, so that both figures (and any later draws from the
same Generator) get the same numbers.
"""
from __future__ import annotations

import ctypes
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import scipy.signal
import statsmodels.api as sm

from . import network as nw
from . import signals, validation
from . import simulation as sim


def two_pulse_stimulus(duration: float, dt: float, amplitude: float, *, second_height: float = -0.5,
                       first: tuple[float, float] = (0.1, 0.5),
                       second: tuple[float, float] = (0.6, 0.8)) -> np.ndarray:
    """Stimulus s(t) of two rectangular pulses: ``amplitude`` on ``first``, then
    ``second_height * amplitude`` on ``second`` (Boerlin et al. 2013, Figs 1, 3, 4, 7).

    Parameters
    ----------
    duration : float
        Length in s, > 0.
    dt : float
        Time step in s, > 0.
    amplitude : float
        Height of the first pulse, units of x per s (any sign).
    second_height : float
        Height of the second pulse relative to the first (default -0.5: x falls back by a quarter
        of its rise when the pulses last 0.4 s and 0.2 s).
    first, second : (float, float)
        Windows ``[start, stop)`` of the pulses, in s.

    Returns
    -------
    (n_steps,) float array
        s(t) on the grid ``dt * arange(round(duration / dt))``, units of x per s.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not positive, a window is not increasing, or a height is not
        finite (from :func:`pcn_core.signals.pulse`).

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Figs 1C-D and 3.

    Examples
    --------
    >>> s = two_pulse_stimulus(1.0, 0.1, 20.0)
    >>> s.tolist()
    [0.0, 20.0, 20.0, 20.0, 20.0, 0.0, -10.0, -10.0, 0.0, 0.0]
    """
    return amplitude * (signals.pulse(duration, dt, *first) + second_height * signals.pulse(duration, dt, *second))


@dataclass(frozen=True)
class IntegratorSetup:
    """A network with its input: kernels, network, stimulus and sensory noise.

    Attributes
    ----------
    kernels : (J, N) float array
        Decoding kernels Γ, units of x per spike.
    network : pcn_core.network.Network
        The network built on ``kernels``.
    stimulus : (n_steps,) float array
        Stimulus s(t), units of x per s.
    sensory_noise : (n_steps,) float array
        Noise added to the stimulus, units of x per s (0 after the input stops).

    Examples
    --------
    >>> kernels = nw.homogeneous_kernels(4, 0.1)
    >>> net = nw.boerlin_network(kernels, [[0.0]], decoder_leak=10.0, membrane_leak=20.0)
    >>> setup = IntegratorSetup(kernels, net, np.ones(3), np.zeros(3))
    >>> setup.command.tolist()   # one column per copy of x
    [[1.0], [1.0], [1.0]]
    """
    kernels: np.ndarray
    network: nw.Network
    stimulus: np.ndarray
    sensory_noise: np.ndarray

    @property
    def command(self) -> np.ndarray:
        """(n_steps, J) command: the noisy stimulus, the same for every copy of x (x per s)."""
        return np.repeat((self.stimulus + self.sensory_noise)[:, None], self.kernels.shape[0], axis=1)


def inhomogeneous_integrator(*, n_neurons: int, n_copies: int, connection_probability: float, kernel_low: float,
                             kernel_high: float, decoder_leak: float, membrane_leak: float, linear_cost: float,
                             quadratic_cost: float, duration: float, dt: float, stimulus_amplitude: float,
                             sensory_noise: float, input_stop: float, seed=None) -> IntegratorSetup:
    """The inhomogeneous perfect integrator of Boerlin et al. (2013) Figs 3-4 and its noisy input.

    ``n_copies`` copies of one variable x (``A = 0``), sparse random kernels
    (:func:`pcn_core.network.sparse_random_kernels`), driven by :func:`two_pulse_stimulus` plus
    sensory noise that stops at ``input_stop`` (:func:`pcn_core.signals.white_noise_until`).
    The draws come from one Generator in a fixed order: the kernels, then the noise; a
    Generator passed as ``seed`` continues its stream afterwards.

    Parameters
    ----------
    n_neurons : int
        N, even, >= 2 (first half positive kernels, second half negative).
    n_copies : int
        J, copies of x, >= 1.
    connection_probability : float
        Probability that a kernel entry is nonzero, in (0, 1].
    kernel_low, kernel_high : float
        Nonzero ``|Γ_ji|`` are uniform in ``[kernel_low, kernel_high]``, units of x per spike.
    decoder_leak : float
        λ_d in Hz, > 0.
    membrane_leak : float
        λ_V in Hz, >= 0.
    linear_cost, quadratic_cost : float
        ν and μ, >= 0 (dimensionless).
    duration : float
        Length of the input in s, > 0.
    dt : float
        Time step in s, > 0.
    stimulus_amplitude : float
        Height of the first stimulus pulse, x per s (any sign).
    sensory_noise : float
        Noise density σ_s, x per √s, >= 0.
    input_stop : float
        Time in s at which the noise stops.
    seed : int, None or np.random.Generator
        Source of every draw.

    Returns
    -------
    IntegratorSetup
        Kernels, network, stimulus and noise; ``.command`` is the ``(n_steps, J)`` input.

    Raises
    ------
    ValueError
        From the kernel, network and signal builders, naming the parameter out of range.
    TypeError
        If ``seed`` is not None, an integer >= 0 or a Generator.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Figs 3 and 4.

    Examples
    --------
    >>> setup = inhomogeneous_integrator(n_neurons=20, n_copies=3, connection_probability=0.7, kernel_low=0.06,
    ...                                  kernel_high=0.1, decoder_leak=10.0, membrane_leak=20.0, linear_cost=1e-5,
    ...                                  quadratic_cost=1e-6, duration=1.0, dt=1e-3, stimulus_amplitude=20.0,
    ...                                  sensory_noise=1.0, input_stop=0.5, seed=0)
    >>> setup.kernels.shape, setup.command.shape
    ((3, 20), (1000, 3))
    >>> bool(np.all(setup.sensory_noise[500:] == 0))
    True
    """
    rng = validation.rng(seed)
    kernels = nw.sparse_random_kernels(n_neurons, n_copies, connection_probability=connection_probability,
                                       low=kernel_low, high=kernel_high, seed=rng)
    stimulus = two_pulse_stimulus(duration, dt, stimulus_amplitude)
    noise = signals.white_noise_until(duration, dt, sensory_noise, input_stop, seed=rng)
    network = nw.boerlin_network(kernels, np.zeros((n_copies, n_copies)), decoder_leak=decoder_leak,
                                 membrane_leak=membrane_leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    return IntegratorSetup(kernels, network, stimulus, noise)


# --- Size scaling of the homogeneous integrator (Fig 7), to 10⁵ neurons with the greedy rule ---


def scaled_integrator(n_neurons: int, *, reference_size: int, kernel: float, decoder_leak: float,
                      membrane_leak: float, linear_cost: float, quadratic_cost: float,
                      voltage_noise: float) -> tuple[nw.Network, float]:
    """The homogeneous perfect integrator of Fig 7's size-scaling panel at size N.

    Kernels ``±γ`` with ``γ = kernel · reference_size / N`` keep single-unit rates fixed; ν, μ and
    σ_V scale with ``(γ / kernel)²`` (∝ 1/N²), so thresholds, resets, costs and noise keep their
    size relative to the kernel (Boerlin et al. 2013, Methods, "Scaling"). At ``N =
    reference_size`` it is the network of Figs 1C and 7B.

    Parameters
    ----------
    n_neurons : int
        N, even, >= 2.
    reference_size : int
        Size at which the kernel is ``kernel`` (400 in Figs 1C and 7), >= 1.
    kernel : float
        ``|Γ_i|`` at ``reference_size`` (x per spike), > 0.
    decoder_leak, membrane_leak : float
        λ_d > 0 and λ_V >= 0 (Hz), independent of N.
    linear_cost, quadratic_cost : float
        ν and μ at ``reference_size``, >= 0.
    voltage_noise : float
        σ_V at ``reference_size`` (voltage per √s), >= 0.

    Returns
    -------
    network : pcn_core.network.Network
        The integrator (``A = 0``, low-rank fast connections).
    voltage_noise : float
        σ_V at size N, the ``voltage_noise`` of :func:`pcn_core.simulation.simulate`.

    Raises
    ------
    ValueError
        If ``n_neurons`` is odd or < 2, ``reference_size`` < 1, or a value is out of range (from
        the network builders).
    TypeError
        If ``n_neurons`` or ``reference_size`` is not an integer.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Methods ("Scaling") and Fig. 7.

    Examples
    --------
    >>> net, noise = scaled_integrator(4000, reference_size=400, kernel=0.1, decoder_leak=10.0, membrane_leak=20.0,
    ...                                linear_cost=5e-5, quadratic_cost=1e-6, voltage_noise=5e-4)
    >>> float(net.decoder[0, 0]), float(net.linear_cost / 5e-5), float(noise / 5e-4)
    (0.01, 0.01, 0.01)
    """
    n_neurons = validation.count(n_neurons, "n_neurons", low=2)
    reference_size = validation.count(reference_size, "reference_size")
    if not (np.isfinite(kernel) and kernel > 0):
        raise ValueError(f"kernel must be a finite number > 0 (x per spike), got {kernel}")
    if not (np.isfinite(voltage_noise) and voltage_noise >= 0):
        raise ValueError(f"voltage_noise must be a finite number >= 0 (per √s), got {voltage_noise}")
    gamma = kernel * reference_size / n_neurons
    factor = (gamma / kernel) ** 2
    network = nw.boerlin_network(nw.homogeneous_kernels(n_neurons, gamma), [[0.0]], decoder_leak=decoder_leak,
                                 membrane_leak=membrane_leak, linear_cost=linear_cost * factor,
                                 quadratic_cost=quadratic_cost * factor)
    return network, voltage_noise * factor


def fluctuation(trace, times) -> float:
    """Standard deviation of a read-out error around its linear trend (units of x).

    The paper's derivation bounds the fluctuations of the estimate (Eqs 44-45) and neglects the
    membrane leak, whose slow drift of a held value is relatively larger in small networks; the
    trend removes that drift. This is the error of Fig 7's size-scaling panel.

    Parameters
    ----------
    trace : (n,) array_like
        x̂ - x (or x̂) sampled at ``times``, n >= 3, finite.
    times : (n,) array_like
        Sample times (s), finite, not all equal.

    Returns
    -------
    float
        RMS of the residuals of the least-squares line (units of ``trace``).

    Raises
    ------
    ValueError
        If the arrays are not 1-D of equal length >= 3, contain non-finite values, or the times
        are all equal.

    Examples
    --------
    >>> t = np.linspace(0.0, 1.0, 5)
    >>> fluctuation(2.0 * t + np.array([0.1, -0.1, 0.1, -0.1, 0.1]), t) < 0.1
    True
    >>> round(fluctuation(3.0 - t, t), 12)
    0.0
    """
    trace = np.asarray(trace, dtype=float)
    times = np.asarray(times, dtype=float)
    if trace.ndim != 1 or trace.shape != times.shape or trace.size < 3:
        raise ValueError(f"trace and times must be 1-D of equal length >= 3, got {trace.shape} and {times.shape}")
    if not (np.all(np.isfinite(trace)) and np.all(np.isfinite(times))):
        raise ValueError("trace and times must be finite")
    if np.ptp(times) == 0:
        raise ValueError("times must not all be equal (a trend needs a time span)")
    return float(np.std(trace - np.polyval(np.polyfit(times, trace, 1), times)))


@dataclass(frozen=True)
class ScalingStudy:
    """Runs of :func:`scaled_integrator` holding x, one row per (N, dt), one column per seed.

    Attributes
    ----------
    sizes : (n_rows,) int array
        N of each row.
    dts : (n_rows,) float array
        Time step of each row (s).
    errors : (n_rows, n_seeds) float array
        Fluctuation of x̂ - x in the measurement window (:func:`fluctuation`, units of x), the
        error of Fig 7's size-scaling panel.
    rms_errors : (n_rows, n_seeds) float array
        RMS of x̂ - x in the window, offset and drift included (units of x).
    rates : (n_rows, n_seeds) float array
        Mean rate of the positive-kernel half in the window (Hz per neuron).
    spikes_per_step : (n_rows,) float array
        Mean population spikes per step in the window (over seeds).
    ns_per_neuron_step : (n_rows,) float array
        Median over seeds of the wall time of one run divided by N × steps (ns; depends on the
        machine and its load).
    peak_memory : (n_rows,) float array
        Largest over seeds of the peak resident memory of the process during a run, above its
        size before the run (bytes; Linux ``/proc``; NaN where unavailable).

    Examples
    --------
    >>> study = ScalingStudy(sizes=np.array([100, 1000, 10000]), dts=np.full(3, 1e-4),
    ...                      errors=np.array([[1.0, 1.1], [0.1, 0.11], [0.01, 0.011]]), rms_errors=np.ones((3, 2)),
    ...                      rates=np.full((3, 2), 3.0), spikes_per_step=np.ones(3),
    ...                      ns_per_neuron_step=np.ones(3), peak_memory=np.ones(3))
    >>> np.round(study.error, 4).tolist(), study.rate.tolist()
    ([1.05, 0.105, 0.0105], [3.0, 3.0, 3.0])
    >>> slope, se = study.slope()
    >>> round(slope, 6), round(se, 3)
    (-1.0, 0.015)
    """
    sizes: np.ndarray
    dts: np.ndarray
    errors: np.ndarray
    rms_errors: np.ndarray
    rates: np.ndarray
    spikes_per_step: np.ndarray
    ns_per_neuron_step: np.ndarray
    peak_memory: np.ndarray

    @property
    def error(self) -> np.ndarray:
        """(n_rows,) mean error over seeds (units of x)."""
        return self.errors.mean(axis=1)

    @property
    def error_se(self) -> np.ndarray:
        """(n_rows,) standard error of :attr:`error` over seeds (NaN with one seed)."""
        return _standard_error(self.errors)

    @property
    def rate(self) -> np.ndarray:
        """(n_rows,) mean rate over seeds (Hz)."""
        return self.rates.mean(axis=1)

    @property
    def rate_se(self) -> np.ndarray:
        """(n_rows,) standard error of :attr:`rate` over seeds (NaN with one seed)."""
        return _standard_error(self.rates)

    def slope(self) -> tuple[float, float]:
        """Log-log slope of the mean error against N, and its standard error from the seeds.

        The least-squares slope of ``log10 error`` on ``log10 N``; its standard error comes from
        the seed-to-seed variance of ``log10 error``, pooled over the rows (every row has the
        same number of seeds, and the relative spread of the error is assumed the same at every
        N), so that two seeds per size still give a usable estimate.

        Returns
        -------
        slope : float
            Exponent of ``error ∝ N^slope`` (-1 for the network's 1/N law).
        stderr : float
            Its standard error (NaN with one seed).

        Raises
        ------
        ValueError
            If there are fewer than 3 distinct sizes, or an error is not > 0.
        """
        sizes = np.log10(self.sizes.astype(float))
        if np.unique(sizes).size < 3:
            raise ValueError(f"a slope needs at least 3 distinct sizes, got {self.sizes.tolist()}")
        if not np.all(self.errors > 0):
            raise ValueError("every error must be > 0 for a log-log slope")
        logs = np.log10(self.errors)
        mean_logs = logs.mean(axis=1)
        n_seeds = logs.shape[1]
        fit = sm.OLS(mean_logs, sm.add_constant(sizes))
        if n_seeds < 2:
            return float(fit.fit().params[1]), math.nan
        pooled = np.sum((logs - mean_logs[:, None]) ** 2) / (logs.shape[0] * (n_seeds - 1))
        # the seeds' variance of each mean fixes the scale (not the residuals around the line)
        result = fit.fit(cov_type="fixed scale", cov_kwds={"scale": pooled / n_seeds})
        return float(result.params[1]), float(result.bse[1])


def _standard_error(values: np.ndarray) -> np.ndarray:
    n = values.shape[1]
    if n < 2:
        return np.full(values.shape[0], math.nan)
    return values.std(axis=1, ddof=1) / math.sqrt(n)


def _stroboscope(n_neurons: int, dt: float, window_steps: int, *, reference_size: int, kernel: float,
                 decoder_leak: float, level: float) -> str | None:
    """Why end-of-step samples of the held read-out would alias, or None.

    Holding x, the read-out decays by ``λ_d x dt`` per step, i.e. ``ratio`` kernels, and the
    network fires that many spikes per step: the error is a sawtooth one kernel wide, and the
    step ends sample it at phases advancing by ``ratio`` (mod 1). If ``ratio`` is close to p/q
    with q <= 4, the samples fall on q phases only, and the window is too short for the small
    difference to sweep the gaps: the measured fluctuation would be wrong (0 for q = 1).
    """
    def aliases(n):
        ratio = decoder_leak * abs(level) * dt / (kernel * reference_size / n)
        near = Fraction(ratio).limit_denominator(4)
        return ratio, near, abs(ratio - near) * window_steps * near.denominator < 1

    ratio, near, bad = aliases(n_neurons)
    if not bad:
        return None
    nearest = next((n for step in range(2, n_neurons, 2) for n in (n_neurons - step, n_neurons + step)
                    if n >= 2 and not aliases(n)[2]), None)
    return (f"N={n_neurons} at dt={dt} s: the read-out decays by λ_d x dt = {ratio:.6g} kernels per step "
            f"(≈ {near}), so the ends of the steps sample only {near.denominator} phase(s) of the error's "
            f"sawtooth and the measured fluctuation aliases; the nearest even size that does not is {nearest}")


def _resident_bytes(key: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return float(line.split()[1]) * 1024
    raise OSError(f"{key} not in /proc/self/status")


def _measured_run(function):
    """Call ``function()``; return its result, the wall time (s) and the peak resident memory above
    the size before the call (bytes; NaN without Linux /proc).

    Freed memory that the C allocator keeps would be reused without raising the resident size, so
    it is first handed back to the system (glibc ``malloc_trim``), and the peak is reset to the
    current size (``/proc/self/clear_refs``)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/clear_refs", "w") as refs:  # resets the peak (VmHWM) to the current size
            refs.write("5")
        before = _resident_bytes("VmRSS:")
    except OSError:
        before = None
    start = time.perf_counter()
    result = function()
    wall = time.perf_counter() - start
    peak = math.nan
    if before is not None:
        try:
            peak = _resident_bytes("VmHWM:") - before
        except OSError:
            pass
    return result, wall, peak


def _scaling_rows(rows, *, reference_size, kernel, decoder_leak, membrane_leak, linear_cost, quadratic_cost,
                  voltage_noise, level, ramp, duration, measure_from, n_seeds, spike_rule, seed) -> ScalingStudy:
    """Run ``n_seeds`` seeds of every (N, dt) in ``rows`` (see :func:`size_scaling`)."""
    if not (np.isfinite(level) and level != 0):
        raise ValueError(f"level must be a finite nonzero value of x, got {level}")
    if not (np.isfinite(ramp) and ramp > 0):
        raise ValueError(f"ramp must be > 0 s, got {ramp}")
    if not (np.isfinite(measure_from) and ramp <= measure_from):
        raise ValueError(f"measure_from must be >= ramp = {ramp} s, got {measure_from}")
    if not (np.isfinite(duration) and duration > measure_from):
        raise ValueError(f"duration must exceed measure_from = {measure_from} s, got {duration}")
    n_seeds = validation.count(n_seeds, "n_seeds")
    rng = validation.rng(seed)
    setups = []
    for n_neurons, dt in rows:
        net, noise = scaled_integrator(n_neurons, reference_size=reference_size, kernel=kernel,
                                       decoder_leak=decoder_leak, membrane_leak=membrane_leak,
                                       linear_cost=linear_cost, quadratic_cost=quadratic_cost,
                                       voltage_noise=voltage_noise)
        if not (np.isfinite(dt) and dt > 0):
            raise ValueError(f"dt must be > 0 s, got {dt}")
        command = level / ramp * signals.pulse(duration, dt, 0.0, ramp)
        window = dt * np.arange(1, command.size + 1) > measure_from      # steps ending after it (as result.times)
        problem = _stroboscope(n_neurons, dt, int(window.sum()), reference_size=reference_size, kernel=kernel,
                               decoder_leak=decoder_leak, level=level)
        if problem:
            raise ValueError(problem)
        setups.append((net, noise, dt, command, window))
    shape = (len(rows), n_seeds)
    errors, rms, rates = np.empty(shape), np.empty(shape), np.empty(shape)
    per_step, speed, memory = np.empty(shape), np.empty(shape), np.empty(shape)
    for row, (net, noise, dt, command, window) in enumerate(setups):
        N = net.n_neurons
        halves = (np.arange(N) >= N // 2).astype(np.int64)
        # compile (or load) the kernel for this size's argument types outside the measurements
        sim.simulate(net, command[:2], dt, spike_rule=spike_rule, record="summary", groups=halves, trajectory_every=1)
        for column, run_seed in enumerate(rng.integers(2**63, size=n_seeds)):
            res, wall, peak = _measured_run(lambda: sim.simulate(
                net, command, dt, voltage_noise=noise, spike_rule=spike_rule, record="summary", groups=halves,
                trajectory_every=1, seed=int(run_seed)))
            error = res.estimate[window, 0] - res.target[window, 0]
            errors[row, column] = fluctuation(error, res.times[window])
            rms[row, column] = float(np.sqrt(np.mean(error ** 2)))
            rates[row, column] = res.group_counts[window, 0].sum() / (N // 2) / (window.sum() * dt)
            per_step[row, column] = res.population_counts[window].mean()
            speed[row, column] = 1e9 * wall / (N * command.size)
            memory[row, column] = peak
    return ScalingStudy(sizes=np.array([r[0] for r in rows]), dts=np.array([float(r[1]) for r in rows]),
                        errors=errors, rms_errors=rms, rates=rates, spikes_per_step=per_step.mean(axis=1),
                        ns_per_neuron_step=np.median(speed, axis=1), peak_memory=memory.max(axis=1))


def size_scaling(sizes, *, reference_size: int, kernel: float, decoder_leak: float, membrane_leak: float,
                 linear_cost: float, quadratic_cost: float, voltage_noise: float, dt: float, level: float,
                 duration: float, n_seeds: int, ramp: float = 0.3, measure_from: float = 0.8,
                 spike_rule: str = "greedy", seed=None) -> ScalingStudy:
    """Size scaling of the homogeneous integrator at fixed single-unit rates (Fig 7's panel).

    For every N, ``n_seeds`` runs of :func:`scaled_integrator` (kernels ∝ 1/N; ν, μ, σ_V ∝ 1/N²)
    driven by ``level / ramp`` for ``ramp`` s, which takes x to ``level``, then by nothing: the
    network holds x. From ``measure_from`` to ``duration`` each run gives the fluctuation of the
    read-out error (:func:`fluctuation`), its RMS, the rate of the positive-kernel half, the
    wall time per neuron-step and the peak memory. This is the protocol of the panel in
    ``notebooks/boerlin2013_fig7.ipynb``; with ``spike_rule="greedy"`` (default) it holds from
    10² to 10⁵ neurons and beyond, where one spike per step cannot keep up and "all" runs away.

    The Methods derive error ∝ 1/N (the read-out stays within half a kernel of x) against
    1/√N for independent Poisson neurons at the same rates; :meth:`ScalingStudy.slope` gives the
    measured exponent with its standard error from the seeds.

    The error is sampled at the end of every step. While x is held the read-out error is a
    sawtooth one kernel wide that advances by ``λ_d x dt`` kernels per step; a size at which that
    is (nearly) a whole number of kernels, or a half or a quarter, would sample the same few
    phases at every step (e.g. N = 10⁵ with the panel's x = 6, λ_d = 10 Hz, dt = 0.1 ms gives 15
    kernels per step and a measured fluctuation of 0.03 % of its true value), so such sizes are
    refused.

    Parameters
    ----------
    sizes : sequence of int
        Network sizes N (even, >= 2).
    reference_size, kernel, decoder_leak, membrane_leak, linear_cost, quadratic_cost, voltage_noise
        The network at ``reference_size`` (see :func:`scaled_integrator`).
    dt : float
        Time step (s), > 0.
    level : float
        Held value of x (units of x), nonzero.
    duration : float
        Length of every run (s), > ``measure_from``.
    n_seeds : int
        Runs per size, >= 1 (>= 2 for standard errors).
    ramp : float
        Length of the drive that brings x to ``level`` (s), > 0.
    measure_from : float
        Start of the measurement window (s), >= ``ramp``.
    spike_rule : {"greedy", "single", "all"}
        Spike rule of :func:`pcn_core.simulation.simulate` (delay 0).
    seed : None, int or numpy.random.Generator
        Source of the runs' seeds (per size, ``n_seeds`` integers in order).

    Returns
    -------
    ScalingStudy
        One row per size.

    Raises
    ------
    ValueError
        If a value is out of range, a size is odd or would alias (above), or a run fails (e.g. the
        greedy rule does not settle).
    TypeError
        If a size, ``reference_size`` or ``n_seeds`` is not an integer, or ``seed`` is not a valid seed.

    See Also
    --------
    dt_convergence : the same runs at one size for several time steps.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Methods ("Scaling", Eqs 42-49) and Fig. 7.

    Examples
    --------
    >>> study = size_scaling([50, 100, 200], reference_size=400, kernel=0.1, decoder_leak=10.0, membrane_leak=20.0,
    ...                      linear_cost=5e-5, quadratic_cost=1e-6, voltage_noise=5e-4, dt=1e-4, level=6.0,
    ...                      duration=1.0, n_seeds=2, seed=0)
    >>> slope, se = study.slope()
    >>> bool(abs(slope + 1) < 0.1), bool(np.all(np.abs(study.rate - 3.0) < 1.0))
    (True, True)
    """
    rows = [(validation.count(n, "sizes", low=2), float(dt)) for n in sizes]
    if not rows:
        raise ValueError("sizes must hold at least one network size")
    return _scaling_rows(rows, reference_size=reference_size, kernel=kernel, decoder_leak=decoder_leak,
                         membrane_leak=membrane_leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost,
                         voltage_noise=voltage_noise, level=level, ramp=ramp, duration=duration,
                         measure_from=measure_from, n_seeds=n_seeds, spike_rule=spike_rule, seed=seed)


def dt_convergence(n_neurons: int, dts, *, reference_size: int, kernel: float, decoder_leak: float,
                   membrane_leak: float, linear_cost: float, quadratic_cost: float, voltage_noise: float,
                   level: float, duration: float, n_seeds: int, ramp: float = 0.3, measure_from: float = 0.8,
                   spike_rule: str = "greedy", seed=None) -> ScalingStudy:
    """The runs of :func:`size_scaling` at one size for several time steps.

    With the greedy rule the spikes of a step are those of the sequential rule, so the error
    and the rate must converge as dt shrinks: compare each row with the finest (differences
    within a few standard errors, or shrinking with dt).

    Parameters
    ----------
    n_neurons : int
        N (even, >= 2).
    dts : sequence of float
        Time steps (s), each > 0.
    reference_size, kernel, decoder_leak, membrane_leak, linear_cost, quadratic_cost, voltage_noise, level, duration, n_seeds, ramp, measure_from, spike_rule, seed
        As in :func:`size_scaling`.

    Returns
    -------
    ScalingStudy
        One row per time step.

    Raises
    ------
    ValueError
        As :func:`size_scaling`, or if ``dts`` is empty.
    TypeError
        As :func:`size_scaling`.

    See Also
    --------
    size_scaling

    Examples
    --------
    >>> study = dt_convergence(200, [2e-4, 1e-4], reference_size=400, kernel=0.1, decoder_leak=10.0,
    ...                        membrane_leak=20.0, linear_cost=5e-5, quadratic_cost=1e-6, voltage_noise=5e-4,
    ...                        level=6.0, duration=1.0, n_seeds=2, seed=0)
    >>> study.dts.tolist(), bool(abs(study.rate[0] - study.rate[1]) < 0.2)
    ([0.0002, 0.0001], True)
    """
    n_neurons = validation.count(n_neurons, "n_neurons", low=2)
    rows = [(n_neurons, float(dt)) for dt in dts]
    if not rows:
        raise ValueError("dts must hold at least one time step")
    return _scaling_rows(rows, reference_size=reference_size, kernel=kernel, decoder_leak=decoder_leak,
                         membrane_leak=membrane_leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost,
                         voltage_noise=voltage_noise, level=level, ramp=ramp, duration=duration,
                         measure_from=measure_from, n_seeds=n_seeds, spike_rule=spike_rule, seed=seed)


# --- Fig 7F: a long recording of the inhomogeneous integrator for the GLM ---


@dataclass(frozen=True)
class GLMRecording:
    """What the coupling GLM of Fig 7F needs from a long run, in bins of ``bin_width``.

    Returned by :func:`glm_recording`. Bin ``b`` covers the simulation steps that run from
    ``settle + b·bin_width`` to ``settle + (b+1)·bin_width`` (s): it holds the spikes stamped in
    that interval ``(t0, t1]`` and the means of c and x over those steps.

    Attributes
    ----------
    bin_width : float
        Bin width, s.
    duration : float
        Recorded time after the settling period, s (``n_bins · bin_width``).
    settle : float
        Time simulated before the recording starts, s (not recorded).
    recorded : (n_recorded,) int64 array
        Indices of the recorded neurons, sorted.
    counts : (n_recorded, n_bins) uint8 array
        Spike counts of the recorded neurons per bin.
    neuron_counts : (N,) int64 array
        Spikes of every neuron in the recording (after ``settle``).
    command : (n_bins,) float array
        Mean command c over each bin, x per s.
    state : (n_bins,) float array
        Mean of the represented variable x after each step of the bin (the simulator's
        ``target``), units of x.

    Examples
    --------
    >>> rec = GLMRecording(bin_width=0.001, duration=0.003, settle=0.0, recorded=np.array([0, 2]),
    ...                    counts=np.array([[1, 0, 0], [0, 0, 2]], dtype=np.uint8),
    ...                    neuron_counts=np.array([1, 5, 2]), command=np.zeros(3), state=np.zeros(3))
    >>> rec.n_bins, rec.rates.round(1).tolist()
    (3, [333.3, 1666.7, 666.7])
    """
    bin_width: float
    duration: float
    settle: float
    recorded: np.ndarray
    counts: np.ndarray = field(repr=False)
    neuron_counts: np.ndarray = field(repr=False)
    command: np.ndarray = field(repr=False)
    state: np.ndarray = field(repr=False)

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.counts.shape[1])

    @property
    def rates(self) -> np.ndarray:
        """(N,) mean rate of every neuron over the recording, Hz."""
        return self.neuron_counts / self.duration


def _whole_steps(value: float, dt: float, name: str, *, low: int) -> int:
    """``value`` (s) as a whole number >= ``low`` of steps of ``dt``, or a ValueError naming it."""
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value}")
    steps = int(round(value / dt))
    if steps < low or abs(steps * dt - value) > 1e-9 * max(abs(value), dt):
        raise ValueError(f"{name} must be a whole number >= {low} of steps of {dt} s, got {value} s")
    return steps


def _progress_bar(progress, total, desc):
    """A tqdm bar over ``total`` steps, shown unless ``progress`` is False or, with None, PCN_PROGRESS=0."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="s", disable=not validation.progress(progress), delay=2.0)


def glm_recording(network: nw.Network, *, duration: float, dt: float, input_std: float, input_tau: float,
                  mean_reversion: float, voltage_noise: float, n_recorded: int, min_rate: float,
                  input_mean: float = 0.0, bin_width: float = 1e-3, settle: float = 1.0,
                  chunk_duration: float = 60.0, seed=None, progress: bool | None = None) -> GLMRecording:
    """Record the network of Fig 7F for a long time, keeping only what the coupling GLM needs.

    The perfect integrator ``network`` (``A = 0``, J copies of x) is driven in every copy by
    the same scalar command ``c = s - κ x``, where ``s`` is smoothed white noise
    (:class:`pcn_core.signals.SmoothedWhiteNoiseStream`: mean ``input_mean``, s.d.
    ``input_std``, correlation time ``input_tau``) and ``-κ x`` a weak mean reversion
    (``κ = mean_reversion``) that keeps x bounded; x follows the network's own Euler step
    ``x_{k+1} = x_k + dt c_k`` (computed from the command by a first-order filter, exactly
    as :func:`scipy.signal.lfilter` on the whole signal). The command is passed as a
    rank-one :class:`pcn_core.simulation.LowRankCommand` (never the ``(n_steps, J)`` array)
    and the run is simulated in chunks of ``chunk_duration``, each continuing the previous
    one exactly (``initial_state``), in summary mode: working memory is that of one chunk
    whatever ``duration``. What is kept grows by about ``6·(population rate) + n_recorded/bin_width
    + 16/bin_width`` bytes per simulated second (every spike as a bin and a neuron index, the
    recorded counts, binned c and x): about 40 kB/s, 0.7 GB for 5 h at N = 400.

    After the run, ``n_recorded`` units are drawn (half among units with positive kernels,
    i.e. ``Γ_i`` summing to > 0, the rest among the others) from those firing at least
    ``min_rate`` over the recording, and their spikes are binned.

    The draws come from ``seed`` in a fixed order: the noise's seed, the simulation's seed,
    then the recorded units (a Generator passed as ``seed`` continues its stream). The run is
    one chain of simulations (it cannot be split into independent pieces); it is not cached.
    A progress bar over simulated seconds is shown unless ``progress`` is False (None: unless
    the environment sets ``PCN_PROGRESS=0``, as batch runs do).

    Parameters
    ----------
    network : pcn_core.network.Network
        The inhomogeneous integrator (``A`` all zero).
    duration : float
        Recorded time after ``settle``, s; a whole number >= 2 of bins.
    dt : float
        Time step, s, > 0.
    input_std : float
        Stationary s.d. of the smoothed white noise, x per s, >= 0.
    input_tau : float
        Its correlation time, s, > 0.
    mean_reversion : float
        κ, Hz, >= 0 (0: x random-walks).
    voltage_noise : float
        σ_V per √s, >= 0.
    n_recorded : int
        Recorded units, integer >= 2 (``n_recorded // 2`` with positive kernels).
    min_rate : float
        Recorded units fire at least this much over the recording, Hz, >= 0.
    input_mean : float, optional
        Mean of the smoothed white noise, x per s (default 0).
    bin_width : float, optional
        Bin of the counts and covariates, s; a whole number >= 1 of steps (default 1 ms).
    settle : float, optional
        Time simulated before the recording starts, s; a whole number >= 0 of bins (default 1).
    chunk_duration : float, optional
        Length of each simulated chunk, s; a whole number >= 1 of bins (default 60). The
        result does not depend on it.
    seed : int, None or numpy.random.Generator
        Source of every draw.
    progress : bool or None
        Show a progress bar (default None: unless ``PCN_PROGRESS=0``).

    Returns
    -------
    GLMRecording
        Recorded units, their counts per bin, every neuron's spike count, binned c and x.

    Raises
    ------
    ValueError
        If a value is out of range (named, with its range), the network is not a perfect
        integrator (``A != 0``), or fewer units of a kernel sign than needed fire at least
        ``min_rate``.
    TypeError
        If ``network`` is not a Network, ``n_recorded`` is not an integer or ``seed`` not a
        valid seed.

    See Also
    --------
    pcn_core.glm.fit_coupling_glm_streaming : the GLM fit of such a recording.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Methods ("Measuring GLM
       filters") and Fig. 7F.

    Examples
    --------
    >>> kernels = nw.sparse_random_kernels(40, 3, connection_probability=0.7, low=0.06, high=0.1, seed=0)
    >>> net = nw.boerlin_network(kernels, np.zeros((3, 3)), decoder_leak=10.0, membrane_leak=20.0,
    ...                          linear_cost=1e-5, quadratic_cost=1e-6)
    >>> rec = glm_recording(net, duration=2.0, dt=1e-4, input_std=40.0, input_tau=0.05, mean_reversion=1.0,
    ...                     voltage_noise=1e-3, n_recorded=4, min_rate=1.0, chunk_duration=0.5, seed=1)
    >>> rec.counts.shape, rec.command.shape, rec.recorded.size
    ((4, 2000), (2000,), 4)
    >>> bool(np.all(rec.counts.sum(axis=1) == rec.neuron_counts[rec.recorded]))
    True
    """
    if not isinstance(network, nw.Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    if np.any(np.asarray(network.A) != 0):
        raise ValueError("network must be a perfect integrator (A all zero): x is computed from the command alone")
    dt = validation.real(dt, "dt", low=0.0, low_open=True, unit="s")
    steps_per_bin = _whole_steps(bin_width, dt, "bin_width", low=1)
    n_bins = _whole_steps(duration, bin_width, "duration", low=2)
    settle_bins = _whole_steps(settle, bin_width, "settle", low=0)
    chunk_bins = _whole_steps(chunk_duration, bin_width, "chunk_duration", low=1)
    input_std = validation.real(input_std, "input_std", low=0.0, unit="x per s")
    input_mean = validation.real(input_mean, "input_mean", unit="x per s")
    input_tau = validation.real(input_tau, "input_tau", low=0.0, low_open=True, unit="s")
    mean_reversion = validation.real(mean_reversion, "mean_reversion", low=0.0, unit="Hz")
    voltage_noise = validation.real(voltage_noise, "voltage_noise", low=0.0, unit="per √s")
    n_recorded = validation.count(n_recorded, "n_recorded", low=2)
    min_rate = validation.real(min_rate, "min_rate", low=0.0, unit="Hz")
    if mean_reversion * dt > 0.1:
        raise ValueError(f"mean_reversion must satisfy mean_reversion · dt <= 0.1 (Euler step), got {mean_reversion} Hz")
    if steps_per_bin > np.iinfo(np.uint8).max:
        raise ValueError(f"bin_width must hold at most 255 steps of dt (counts are uint8), got {steps_per_bin}")
    rng = validation.rng(seed)
    N, J = network.n_neurons, network.n_variables
    noise = signals.SmoothedWhiteNoiseStream(dt, input_tau, input_std, mean=input_mean, seed=int(rng.integers(2**63)))
    run_seed = int(rng.integers(2**63))
    profiles = np.ones((J, 1))
    decay = 1.0 - mean_reversion * dt
    x_filter_state = np.zeros(1)
    neuron_dtype = np.uint16 if N <= np.iinfo(np.uint16).max else np.int32
    spike_bins, spike_neurons = [], []
    neuron_counts = np.zeros(N, dtype=np.int64)
    command_binned = np.empty(n_bins)
    state_binned = np.empty(n_bins)
    # the settling period (not recorded), then the recording in chunks
    pieces = ([(None, settle_bins)] if settle_bins else []) + \
        [(b, min(chunk_bins, n_bins - b)) for b in range(0, n_bins, chunk_bins)]
    state = None
    with _progress_bar(progress, round((settle_bins + n_bins) * bin_width, 6), "Fig 7F recording") as bar:
        for first_bin, width in pieces:
            n_steps = width * steps_per_bin
            s = noise.take(n_steps)
            # x before each step (the notebook's filter), so that c = s - κ x and x_{k+1} = x_k + dt c_k
            x_before, x_filter_state = scipy.signal.lfilter([0.0, dt], [1.0, -decay], s, zi=x_filter_state)
            c = s - mean_reversion * x_before
            begin = 0 if state is None else state.step
            window = [(begin * dt, (begin + n_steps) * dt)] if first_bin is not None else None
            kwargs = dict(seed=run_seed) if state is None else dict(initial_state=state)
            res = sim.simulate(network, sim.LowRankCommand(time_courses=c[:, None], profiles=profiles), dt,
                               voltage_noise=voltage_noise, record="summary", spike_windows=window, **kwargs)
            state = res.final_state
            if first_bin is not None:
                if res.spike_times.size != int(res.spike_counts.sum()):
                    raise RuntimeError(f"the chunk from {begin * dt:g} s stored {res.spike_times.size} spikes of "
                                       f"{int(res.spike_counts.sum())}: its spike window missed some")
                steps = np.rint(res.spike_times / dt).astype(np.int64) - 1 - begin  # step within the chunk
                spike_bins.append((first_bin + steps // steps_per_bin).astype(np.uint32))
                spike_neurons.append(res.spike_neurons.astype(neuron_dtype))
                neuron_counts += res.spike_counts
                rows = slice(first_bin, first_bin + width)
                command_binned[rows] = c.reshape(width, steps_per_bin).mean(axis=1)
                # x after each step, as the simulator's target
                state_binned[rows] = (x_before + dt * c).reshape(width, steps_per_bin).mean(axis=1)
            bar.update(round(n_steps * dt, 6))
    duration = n_bins * bin_width
    rates = neuron_counts / duration
    positive = network.decoder.sum(axis=0) > 0
    chosen = []
    for group, k in ((positive, n_recorded // 2), (~positive, n_recorded - n_recorded // 2)):
        eligible = np.flatnonzero(group & (rates >= min_rate))
        if eligible.size < k:
            sign = "positive" if group is positive else "non-positive"
            raise ValueError(f"min_rate = {min_rate} Hz leaves {eligible.size} units with {sign} kernels, fewer than "
                             f"the {k} to record: lower min_rate or n_recorded, or record longer")
        chosen.append(rng.choice(eligible, k, replace=False))
    recorded = np.sort(np.concatenate(chosen)).astype(np.int64)
    row_of = np.full(N, -1, dtype=np.int64)
    row_of[recorded] = np.arange(recorded.size)
    counts = np.zeros((recorded.size, n_bins), dtype=np.uint8)
    for bins, neurons in zip(spike_bins, spike_neurons):
        rows = row_of[neurons]
        kept = rows >= 0
        np.add.at(counts, (rows[kept], bins[kept]), 1)
    return GLMRecording(bin_width=float(bin_width), duration=float(duration), settle=settle_bins * bin_width,
                        recorded=recorded, counts=counts, neuron_counts=neuron_counts, command=command_binned,
                        state=state_binned)
