"""Speed benchmark of the simulator on networks people study: ``python -m pcn_core.bench`` (``make bench``).

Every network is first run once and checked to be in the regime it stands for
(:class:`Regime`: mean rate per neuron, busy fraction of steps, no runaway
synchrony, read-out error); a network out of its regime stops the benchmark
(SystemExit with the reason) and is never timed. Timings are the minimum of
three interleaved runs after a compilation run, in ns per neuron-step.

1. **The active network** (:data:`ACTIVE`, :func:`active_network`), timed with
   each of the simulator's normal generators (the exact ziggurat, the default,
   and ``normal_generator="vector"``, float32 Box–Muller on lock-step lanes), and
   broken down in the same rounds into the normals alone (one block of N per
   step, each generator) and the network without noise: a
   Boerlin-style spike-coding network tracking a leaky integrator of three
   smoothed white-noise inputs, N = 400, J = 3, dt = 0.1 ms, 1 ms delay,
   voltage noise, the "all" rule, 10 s. Construction: kernels drawn
   isotropically and normalised to γ = 1 (x in units of one kernel); the
   signal and the read-out share the leak λ = λ_d = λ_V = 10 Hz
   (``A = -λ I``, so no slow connections); the costs are large against the
   kernel, ν λ_d = 30 γ² and μ λ_d² = 5 γ², and the voltage noise is
   60 γ² per √s. With smaller costs or less noise the 1.1 ms check-to-check
   latency lets the kernels aligned with the error fire together and the
   network runs away (hundreds of spikes in one step); with more noise the
   noise-driven spikes do. The input is ``2000 · OU(τ = 0.1 s)`` per
   dimension (x ≈ 110 kernels s.d.), which puts the network at ≈ 12 Hz per
   neuron, asynchronous (at most ≈ 3 % of the neurons in one step), with a
   mean read-out error ≈ 10 % of the mean signal, most of it the shrinkage
   the costs buy (x̂ ≈ 0.9 x).
2. **Koren & Denève's all-to-all network** at the paper's parameters
   (:data:`pcn_core.koren.ALL_TO_ALL`, built with the :mod:`pcn_core.koren`
   constructors), dt = δ = 1 ms, 100 s, in ``record="full"`` and
   ``record="summary"`` mode. At ν = μ = 5, σ = 0.25 it is in the Up-state
   regime of the paper's Figs 2–5: sparse asynchronous firing with brief
   Up states (>= 20 % of the neurons in one step, the paper's criterion) in
   about 0.5–1 % of the steps; its regime allows them, but not persistent
   synchrony.
3. **Size scaling to 10⁵ neurons** (Boerlin Fig 7's homogeneous integrator,
   kernels ∝ 1/N, costs and noise ∝ 1/N², the greedy spike rule, low-rank
   path): a table of spikes per step, error in kernels, rate, ns per
   neuron-step and peak memory from 10² to 10⁵ neurons. Its regime is the
   paper's scaling law: error slope −1 ± 0.2 and the rate of Eq. 43 within
   10 % at the largest N, else the benchmark stops.

Brian2 comparison (optional; ``pip install -e '.[bench]'``, or ``make
brian2-env`` for a separate environment): the active network is rebuilt in
Brian2's C++ standalone mode with the same update order and delay convention
(:mod:`pcn_core.brian2_network`), compiled once and timed by running the
compiled program (the simulation loop, as the program reports it; compilation
excluded). Without noise both engines must give identical spike trains (the
benchmark fails otherwise); with noise, rate, ISI CV and read-out error over
several seeds per engine must agree within two standard errors (printed, for
each normal generator).
Without Brian2 the comparison is skipped with the reason.

The plain NumPy oracle of the simulator's step lives with the tests
(``tests/reference.py``).

References
----------
.. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
   variables in balanced spiking networks. PLoS Comput Biol 9:e1003258.
.. [2] Koren V, Denève S (2017). Computational account of spontaneous activity
   as a signature of predictive coding. PLoS Comput Biol 13:e1005355.
.. [3] Stimberg M, Brette R, Goodman DFM (2019). Brian 2, an intuitive and
   efficient neural simulator. eLife 8:e47314.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import scipy.signal

from . import koren, random_streams
from .network import Network, boerlin_network, koren_network, normalized_random_kernels
from .paths import REPO_ROOT
from .signals import smoothed_white_noise
from .simulation import SimulationResult, simulate

#: Fraction of the neurons spiking in one step that makes an Up step (Koren & Denève's criterion).
UP_FRACTION = koren.ALL_TO_ALL.up_threshold


@dataclass(frozen=True)
class ActiveNetworkParameters:
    """Parameters of the active benchmark network (module docstring, item 1).

    Attributes
    ----------
    n_neurons, n_variables : int
        N and J.
    kernel_norm : float
        γ, norm of every kernel (units of x per spike).
    leak : float
        λ = λ_d = λ_V (Hz), also the signal's leak (``A = -λ I``).
    linear_cost, quadratic_cost : float
        ν and μ in Boerlin's convention (ν λ_d = 30 γ², μ λ_d² = 5 γ²).
    voltage_noise : float
        σ_V, voltage-noise density (γ² per √s).
    input_amplitude : float
        Stationary s.d. of each input dimension (units of x per s).
    input_tau : float
        Correlation time of the input (s).
    dt, delay, duration : float
        Step, synaptic delay and length of a run (s).

    Examples
    --------
    >>> ACTIVE.n_neurons, ACTIVE.dt, ACTIVE.delay
    (400, 0.0001, 0.001)
    >>> round(ACTIVE.linear_cost * ACTIVE.leak, 6), round(ACTIVE.quadratic_cost * ACTIVE.leak ** 2, 6)
    (30.0, 5.0)
    """
    n_neurons: int = 400
    n_variables: int = 3
    kernel_norm: float = 1.0
    leak: float = 10.0
    linear_cost: float = 3.0
    quadratic_cost: float = 0.05
    voltage_noise: float = 60.0
    input_amplitude: float = 2000.0
    input_tau: float = 0.1
    dt: float = 1e-4
    delay: float = 1e-3
    duration: float = 10.0


ACTIVE = ActiveNetworkParameters()


def active_network(params: ActiveNetworkParameters | None = None, seed=0) -> Network:
    """The active benchmark network (module docstring, item 1), with a dense Ω_f.

    Parameters
    ----------
    params : ActiveNetworkParameters, optional
        Its parameters (default :data:`ACTIVE`).
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Seed of the kernel directions.

    Returns
    -------
    pcn_core.network.Network
        ``boerlin_network(γ-normalised random kernels, -λ I, decoder_leak=λ,
        membrane_leak=λ, linear_cost=ν, quadratic_cost=μ, dense=True)``.

    Examples
    --------
    >>> net = active_network()
    >>> net.n_neurons, net.n_variables, net.fast_weights.shape
    (400, 3, (400, 400))
    >>> bool(np.all(net.slow_matrix == 0))     # the signal's leak is the read-out's
    True
    >>> float(net.thresholds[0])               # (ν λ_d + μ λ_d² + γ²) / 2
    18.0
    """
    params = ACTIVE if params is None else params
    kernels = normalized_random_kernels(params.n_variables, params.n_neurons, params.kernel_norm, seed=seed)
    return boerlin_network(kernels, -params.leak * np.eye(params.n_variables), decoder_leak=params.leak,
                           membrane_leak=params.leak, linear_cost=params.linear_cost,
                           quadratic_cost=params.quadratic_cost, dense=True)


def active_input(duration: float, params: ActiveNetworkParameters | None = None, seed=1) -> np.ndarray:
    """Input c(t) of the active network: independent smoothed white noise per dimension.

    Parameters
    ----------
    duration : float
        Length (s) > 0.
    params : ActiveNetworkParameters, optional
        Amplitude, correlation time, J and dt (default :data:`ACTIVE`).
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Seed of the white noise.

    Returns
    -------
    (n_steps, J) float ndarray
        c at each step (units of x per s).

    Raises
    ------
    ValueError
        If ``duration`` is not positive (from :func:`pcn_core.signals.smoothed_white_noise`).

    Examples
    --------
    >>> c = active_input(1.0)
    >>> c.shape
    (10000, 3)
    """
    params = ACTIVE if params is None else params
    return smoothed_white_noise(duration, params.dt, params.input_tau, params.input_amplitude,
                                shape=params.n_variables, seed=seed)


# ---------------------------------------------------------------------------------------------
# regimes


@dataclass(frozen=True)
class Regime:
    """The regime a benchmark network must be in before it is timed.

    Attributes
    ----------
    name : str
        What the regime is called in the output.
    rate : (float, float)
        Allowed mean rate per neuron (Hz), inclusive.
    min_busy_fraction : float
        Smallest allowed fraction of steps with at least one spike.
    max_step_fraction : float
        Largest allowed number of spikes in one step, as a fraction of N
        (1 allows any: Up states are part of Koren's regime).
    max_up_step_fraction : float
        Largest allowed fraction of Up steps (>= :data:`UP_FRACTION` of the
        neurons in one step); persistent synchrony is a runaway.
    max_relative_error : float
        Largest allowed ``mean ‖x − x̂‖₂ / mean ‖x‖₂``.

    Examples
    --------
    >>> ACTIVE_REGIME.rate, ACTIVE_REGIME.max_step_fraction
    ((5.0, 20.0), 0.05)
    """
    name: str
    rate: tuple
    min_busy_fraction: float
    max_step_fraction: float
    max_up_step_fraction: float
    max_relative_error: float

    def __str__(self) -> str:
        parts = [f"{self.rate[0]:g}–{self.rate[1]:g} Hz", f"busy >= {100 * self.min_busy_fraction:g} %"]
        if self.max_step_fraction < 1:
            parts.append(f"< {100 * self.max_step_fraction:g} % of N in one step")
        parts.append(f"Up steps <= {100 * self.max_up_step_fraction:g} %")
        parts.append(f"error <= {100 * self.max_relative_error:g} % of the signal")
        return f"{self.name!r} ({', '.join(parts)})"


#: The active network: asynchronous, 5–20 Hz, tracking its signal within 20 %.
ACTIVE_REGIME = Regime("active asynchronous", rate=(5.0, 20.0), min_busy_fraction=0.1, max_step_fraction=0.05,
                       max_up_step_fraction=0.0, max_relative_error=0.2)
#: Koren's network at T2*: sparse firing with brief Up states, read-out better than none.
KOREN_REGIME = Regime("Up states (Koren T2*)", rate=(0.5, 10.0), min_busy_fraction=0.01, max_step_fraction=1.0,
                      max_up_step_fraction=0.05, max_relative_error=1.0)


@dataclass(frozen=True)
class RegimeStatistics:
    """What :func:`regime_statistics` measures on one run.

    Attributes
    ----------
    n_neurons, n_steps : int
        N and the number of steps.
    mean_rate : float
        Spikes per neuron per second (Hz).
    busy_fraction : float
        Fraction of steps with at least one spike.
    max_step_spikes : int
        Most spikes in one step.
    up_step_fraction : float
        Fraction of steps with at least :data:`UP_FRACTION` · N spikes.
    isi_cv : float
        Mean over neurons with >= 3 spikes of the ISI coefficient of
        variation (NaN if none).
    error : float
        ``mean_k ‖x_k − x̂_k‖₂`` (units of x).
    relative_error : float
        ``error / mean_k ‖x_k‖₂``.

    Examples
    --------
    >>> stats = RegimeStatistics(400, 1000, 10.0, 0.3, 8, 0.0, 1.1, 2.5, 0.1)
    >>> print(stats)
    10.00 Hz per neuron, busy 30.0 % of steps, at most 8 spikes in one step (2.0 % of N), Up steps 0.00 %, ISI CV 1.10, error 2.5 (10.0 % of the signal)
    """
    n_neurons: int
    n_steps: int
    mean_rate: float
    busy_fraction: float
    max_step_spikes: int
    up_step_fraction: float
    isi_cv: float
    error: float
    relative_error: float

    def __str__(self) -> str:
        return (f"{self.mean_rate:.2f} Hz per neuron, busy {100 * self.busy_fraction:.1f} % of steps, "
                f"at most {self.max_step_spikes} spike{'' if self.max_step_spikes == 1 else 's'} in one step "
                f"({100 * self.max_step_spikes / self.n_neurons:.1f} % of N), "
                f"Up steps {100 * self.up_step_fraction:.2f} %, ISI CV {self.isi_cv:.2f}, "
                f"error {self.error:.3g} ({100 * self.relative_error:.1f} % of the signal)")


def readout(spike_steps, spike_neurons, decoder, decoder_leak: float, dt: float, n_steps: int) -> np.ndarray:
    """The read-out x̂ after every step from the spikes, as the simulator computes it.

    ``x̂_k = (1 − λ_d dt) x̂_{k−1} + Σ_{spikes of step k} Γ_j``, x̂ = 0 before step 0
    (the kicks of one step are summed first, which changes only the last bits).

    Parameters
    ----------
    spike_steps, spike_neurons : array_like of int
        Step index (0 .. n_steps − 1) and neuron (0 .. N − 1) of each spike.
    decoder : (J, N) array_like
        Kernels Γ (units of x per spike).
    decoder_leak : float
        λ_d (Hz), > 0.
    dt : float
        Step (s), > 0.
    n_steps : int
        Number of steps.

    Returns
    -------
    (n_steps, J) float ndarray
        x̂ at the end of each step.

    Raises
    ------
    ValueError
        If a step or neuron index is out of range or the two arrays differ in length.

    Examples
    --------
    One spike of a kernel 0.5 in step 1, λ_d dt = 0.1:

    >>> readout([1], [0], [[0.5]], decoder_leak=10.0, dt=0.01, n_steps=4)[:, 0]
    array([0.   , 0.5  , 0.45 , 0.405])
    """
    steps = np.asarray(spike_steps, dtype=np.int64)
    neurons = np.asarray(spike_neurons, dtype=np.int64)
    decoder = np.asarray(decoder, dtype=float)
    if steps.shape != neurons.shape:
        raise ValueError(f"spike_steps and spike_neurons must have the same length, got {steps.shape} "
                         f"and {neurons.shape}")
    if steps.size and (steps.min() < 0 or steps.max() >= n_steps):
        raise ValueError(f"spike_steps must lie in [0, {n_steps - 1}]")
    if neurons.size and (neurons.min() < 0 or neurons.max() >= decoder.shape[1]):
        raise ValueError(f"spike_neurons must lie in [0, {decoder.shape[1] - 1}]")
    kicks = np.zeros((n_steps, decoder.shape[0]))
    np.add.at(kicks, steps, decoder.T[neurons])
    return scipy.signal.lfilter([1.0], [1.0, -(1.0 - decoder_leak * dt)], kicks, axis=0)


def regime_statistics(spike_steps, spike_neurons, network: Network, dt: float, target) -> RegimeStatistics:
    """Rate, busy fraction, synchrony, ISI CV and read-out error of one run.

    The read-out is rebuilt from the spikes (:func:`readout`), so runs of any
    engine are measured the same way.

    Parameters
    ----------
    spike_steps, spike_neurons : array_like of int
        Step index and neuron of each spike.
    network : pcn_core.network.Network
        The network that produced them (kernels, λ_d, N).
    dt : float
        Step (s).
    target : (n_steps, J) array_like
        The signal x after every step.

    Returns
    -------
    RegimeStatistics

    Examples
    --------
    >>> from pcn_core.network import koren_network
    >>> net = koren_network([[1.0, -1.0]], leak=10.0)
    >>> stats = regime_statistics([0, 2, 4], [0, 0, 0], net, 0.1, np.ones((5, 1)))
    >>> stats.mean_rate, stats.busy_fraction, stats.isi_cv
    (3.0, 0.6, 0.0)
    """
    steps = np.asarray(spike_steps, dtype=np.int64)
    neurons = np.asarray(spike_neurons, dtype=np.int64)
    target = np.asarray(target, dtype=float)
    n_steps, N = target.shape[0], network.n_neurons
    counts = np.bincount(steps, minlength=n_steps)
    estimate = readout(steps, neurons, network.decoder, network.decoder_leak, dt, n_steps)
    error = float(np.linalg.norm(target - estimate, axis=1).mean())
    signal = float(np.linalg.norm(target, axis=1).mean())
    return RegimeStatistics(
        n_neurons=N, n_steps=n_steps, mean_rate=steps.size / (N * n_steps * dt),
        busy_fraction=float(np.mean(counts > 0)), max_step_spikes=int(counts.max()) if n_steps else 0,
        up_step_fraction=float(np.mean(counts >= UP_FRACTION * N)), isi_cv=_mean_isi_cv(steps, neurons, N),
        error=error, relative_error=error / signal if signal > 0 else math.inf)


def _mean_isi_cv(steps: np.ndarray, neurons: np.ndarray, n_neurons: int) -> float:
    """Mean over neurons with >= 3 spikes of std/mean of their ISIs (ddof 0, as spikestats.cv)."""
    order = np.lexsort((steps, neurons))
    s, n = steps[order].astype(float), neurons[order]
    same = np.diff(n) == 0
    isi, owner = np.diff(s)[same], n[1:][same]
    count = np.bincount(owner, minlength=n_neurons)
    total = np.bincount(owner, isi, minlength=n_neurons)
    squares = np.bincount(owner, isi * isi, minlength=n_neurons)
    use = count >= 2
    if not use.any():
        return math.nan
    mean = total[use] / count[use]
    var = np.maximum(squares[use] / count[use] - mean ** 2, 0.0)
    return float(np.mean(np.sqrt(var) / mean))


def spike_steps(result: SimulationResult) -> np.ndarray:
    """Step index k (0-based, local to the run) of each stored spike of a pcn_core run.

    Parameters
    ----------
    result : pcn_core.simulation.SimulationResult
        A run; spikes are stamped at the end of their step, ``(k + 1) dt``.

    Returns
    -------
    (n_spikes,) int64 ndarray

    Examples
    --------
    >>> from pcn_core.network import koren_network
    >>> net = koren_network([[1.0, -1.0]], leak=10.0, linear_cost=1.0)    # thresholds 1
    >>> res = simulate(net, np.zeros((3, 1)), 1e-3, initial_voltage=[1.2, 0.0])
    >>> res.spike_times, spike_steps(res)
    (array([0.001]), array([0]))
    """
    return np.rint(result.spike_times / result.dt).astype(np.int64) - 1 - result.start_step


def result_statistics(result: SimulationResult) -> RegimeStatistics:
    """:func:`regime_statistics` of a pcn_core run recorded with ``record="full"``.

    Parameters
    ----------
    result : pcn_core.simulation.SimulationResult
        A full-record run (every spike and the target after every step).

    Returns
    -------
    RegimeStatistics

    Raises
    ------
    ValueError
        If the run was recorded in summary mode.

    Examples
    --------
    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(20, 0.01), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> res = simulate(net, np.ones(200), dt=1e-3, voltage_noise=1e-5, seed=0)
    >>> result_statistics(res).mean_rate       # 40 spikes of 20 neurons in 0.2 s
    10.0
    """
    if result.record != "full":
        raise ValueError("result_statistics needs a run recorded with record='full'")
    return regime_statistics(spike_steps(result), result.spike_neurons, result.network, result.dt, result.target)


def regime_problems(stats: RegimeStatistics, regime: Regime) -> list[str]:
    """The ways in which a run is out of its regime (empty if it is in it).

    Parameters
    ----------
    stats : RegimeStatistics
        The run's statistics.
    regime : Regime
        The regime it must be in.

    Returns
    -------
    list of str
        One sentence per violated condition.

    Examples
    --------
    >>> silent = RegimeStatistics(400, 1000, 0.5, 0.02, 1, 0.0, 0.9, 20.0, 0.6)
    >>> regime_problems(silent, ACTIVE_REGIME)
    ['mean rate 0.5 Hz outside 5–20 Hz', 'busy in 2.0 % of steps, below 10 %', 'read-out error 60.0 % of the signal, above 20 %']
    """
    problems = []
    low, high = regime.rate
    if not low <= stats.mean_rate <= high:
        problems.append(f"mean rate {stats.mean_rate:.3g} Hz outside {low:g}–{high:g} Hz")
    if stats.busy_fraction < regime.min_busy_fraction:
        problems.append(f"busy in {100 * stats.busy_fraction:.1f} % of steps, below {100 * regime.min_busy_fraction:g} %")
    if regime.max_step_fraction < 1 and stats.max_step_spikes >= regime.max_step_fraction * stats.n_neurons:
        problems.append(f"runaway: {stats.max_step_spikes} spikes in one step "
                        f"({100 * stats.max_step_spikes / stats.n_neurons:.1f} % of N, limit "
                        f"{100 * regime.max_step_fraction:g} %)")
    if stats.up_step_fraction > regime.max_up_step_fraction:
        problems.append(f"synchronous: {100 * stats.up_step_fraction:.2f} % of steps have >= "
                        f"{100 * UP_FRACTION:g} % of N spiking (limit {100 * regime.max_up_step_fraction:g} %)")
    if not stats.relative_error <= regime.max_relative_error:
        problems.append(f"read-out error {100 * stats.relative_error:.1f} % of the signal, above "
                        f"{100 * regime.max_relative_error:g} %")
    return problems


def check_regime(stats: RegimeStatistics, regime: Regime, name: str) -> None:
    """Stop the benchmark (SystemExit with the reasons) if a network is out of its regime.

    Parameters
    ----------
    stats : RegimeStatistics
        The network's statistics on its check run.
    regime : Regime
        The regime it must be in.
    name : str
        The network's name, for the message.

    Raises
    ------
    SystemExit
        With the reasons, if :func:`regime_problems` finds any.

    Examples
    --------
    >>> runaway = RegimeStatistics(400, 1000, 60.0, 0.4, 200, 0.01, 5.0, 300.0, 1.2)
    >>> check_regime(runaway, ACTIVE_REGIME, "active network")
    Traceback (most recent call last):
    ...
    SystemExit: active network is out of its regime 'active asynchronous' ...: mean rate 60 Hz outside 5–20 Hz; runaway: 200 spikes in one step (50.0 % of N, limit 5 %); ...
    """
    problems = regime_problems(stats, regime)
    if problems:
        raise SystemExit(f"{name} is out of its regime {regime}: {'; '.join(problems)}. Not timed.")


# ---------------------------------------------------------------------------------------------
# Brian2


@dataclass(frozen=True)
class Brian2Run:
    """One run of the Brian2 twin (:func:`run_brian2`).

    Attributes
    ----------
    spike_steps, spike_neurons : (n_spikes,) int64 ndarray
        Step index and neuron of each spike.
    loop_seconds : float
        Wall time of the simulation loop, as the compiled program reports it.
    binary_seconds : float
        Wall time of the whole compiled program (start, synapse creation, run, writing results).
    compile_seconds : float
        Time of code generation's compilation step (0 when nothing changed).
    binary : str
        Path of the compiled program (re-run by :func:`time_brian2`).
    version : str
        Brian2's version.

    Examples
    --------
    >>> run = Brian2Run(np.array([0]), np.array([3]), 0.5, 1.0, 30.0, "main", "brian2 2.9.0")
    >>> run.spike_neurons
    array([3])
    """
    spike_steps: np.ndarray
    spike_neurons: np.ndarray
    loop_seconds: float
    binary_seconds: float
    compile_seconds: float
    binary: str
    version: str


def brian2_python(python: str | None = None) -> tuple[str, str]:
    """The interpreter that runs the Brian2 twin, and its Brian2 version or why it cannot.

    Looked for in order: ``python``, the environment variable
    ``PCN_BRIAN2_PYTHON``, ``build/brian2-venv/bin/python`` in the repository
    (``make brian2-env``), then this interpreter. Brian2 2.9 (the last release
    for Python 3.11) does not import with NumPy >= 2.4, hence the separate
    environment.

    Parameters
    ----------
    python : str, optional
        Path of a Python interpreter.

    Returns
    -------
    python : str
        The interpreter tried (the first that exists).
    status : str
        ``"brian2 X.Y.Z"`` or ``"unavailable: <reason>"``.

    Examples
    --------
    >>> path, status = brian2_python()
    >>> status.startswith(("brian2 ", "unavailable: "))
    True
    """
    candidates = [python, os.environ.get("PCN_BRIAN2_PYTHON"),
                  str(REPO_ROOT / "build" / "brian2-venv" / "bin" / "python"), sys.executable]
    path = next(c for c in candidates if c and Path(c).exists())
    try:
        done = subprocess.run([path, "-m", "pcn_core.brian2_network", "--version"], capture_output=True, text=True,
                              env=_worker_env(), timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return path, f"unavailable: {exc}"
    if done.returncode != 0:
        return path, f"unavailable: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    return path, done.stdout.strip().splitlines()[-1]


def _package_parent() -> Path:
    return Path(__file__).resolve().parent.parent


def _worker_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_package_parent()), env.get("PYTHONPATH")]))
    return env


def run_brian2(network: Network, command, dt: float, *, voltage_noise: float, delay: float, seed: int,
               directory, python: str) -> Brian2Run:
    """Build, compile and run the Brian2 twin of a pcn_core run (``spike_rule="all"``, dense delivery).

    The twin (:mod:`pcn_core.brian2_network`) runs in ``python`` (see
    :func:`brian2_python`); compilation goes to ``directory``, which is reused:
    a later call that changes only the seed recompiles only the main file.

    Parameters
    ----------
    network : pcn_core.network.Network
        Without slow connections (``A + λ_d I = 0``).
    command : (n_steps, J) array_like
        Input c (units of x per s), as for :func:`pcn_core.simulation.simulate`.
    dt : float
        Step (s), > 0.
    voltage_noise : float
        σ_V >= 0 (per √s); Brian2 adds ``σ_V √dt · randn()`` per step.
    delay : float
        Synaptic delay (s), a whole number >= 1 of steps.
    seed : int
        Seed of Brian2's random generator (its stream differs from pcn_core's).
    directory : str or path
        Build directory (outside the tracked files, e.g. under ``build/``).
    python : str
        Interpreter with Brian2.

    Returns
    -------
    Brian2Run

    Raises
    ------
    ValueError
        If the network has slow connections, the command has the wrong shape,
        or the delay is not a whole number >= 1 of steps.
    RuntimeError
        If the Brian2 process fails (its last lines of output are in the message).

    Examples
    --------
    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> leaky = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                         membrane_leak=10.0)
    >>> run_brian2(leaky, np.ones((10, 1)), 1e-3, voltage_noise=0.0, delay=1e-3, seed=0,
    ...            directory="unused", python=sys.executable)
    Traceback (most recent call last):
    ...
    ValueError: the Brian2 twin has no slow connections: A + decoder_leak I must be 0 ...
    """
    if np.any(network.slow_matrix != 0):
        raise ValueError("the Brian2 twin has no slow connections: A + decoder_leak I must be 0 "
                         f"(a leaky integrator with the read-out's leak), got {network.slow_matrix.tolist()}")
    command = np.asarray(command, dtype=float)
    if command.ndim != 2 or command.shape[1] != network.n_variables:
        raise ValueError(f"command must be (n_steps, J={network.n_variables}), got {command.shape}")
    delay_steps = int(round(delay / dt))
    if delay_steps < 1 or not math.isclose(delay_steps * dt, delay, rel_tol=1e-9):
        raise ValueError(f"delay must be a whole number >= 1 of steps of dt={dt} s, got {delay}")
    request = dict(thresholds=network.thresholds, self_reset=network.self_reset, decoder=network.decoder,
                   fast_weights=np.asarray(network.dense_fast_weights()),
                   input_steps=command * dt,  # the product the kernel forms, c[k, a] * dt
                   leak_factor=1.0 - float(network.membrane_leak) * dt,
                   noise_step=float(voltage_noise * math.sqrt(dt)), dt=dt, delay_steps=delay_steps,
                   seed=int(seed), directory=str(Path(directory).resolve()))
    with tempfile.TemporaryDirectory(prefix="pcn_brian2_") as tmp:
        np.savez(Path(tmp, "request.npz"), **request)
        done = subprocess.run([python, "-m", "pcn_core.brian2_network", str(Path(tmp, "request.npz")),
                               str(Path(tmp, "reply.npz"))], capture_output=True, text=True, env=_worker_env())
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise RuntimeError(f"the Brian2 run failed ({python}):\n{tail}")
        with np.load(Path(tmp, "reply.npz"), allow_pickle=False) as reply:
            return Brian2Run(spike_steps=reply["spike_steps"], spike_neurons=reply["spike_neurons"],
                             loop_seconds=float(reply["loop_seconds"]),
                             binary_seconds=float(reply["binary_seconds"]),
                             compile_seconds=float(reply["compile_seconds"]), binary=str(reply["binary"]),
                             version=str(reply["version"]))


def time_brian2(run: Brian2Run) -> tuple[float, float]:
    """Run a compiled Brian2 program again; return its loop time and its wall time (s).

    Parameters
    ----------
    run : Brian2Run
        A run whose program is still in its build directory.

    Returns
    -------
    loop_seconds : float
        The simulation loop, as the program reports it (``results/last_run_info.txt``).
    wall_seconds : float
        The whole program (start, synapse creation, loop, writing results).

    Raises
    ------
    RuntimeError
        If the program fails or reports no run time.

    Examples
    --------
    >>> time_brian2(Brian2Run(np.array([]), np.array([]), 0.0, 0.0, 0.0, "/nonexistent/main", ""))
    Traceback (most recent call last):
    ...
    RuntimeError: cannot run the compiled Brian2 program /nonexistent/main: ...
    """
    binary = Path(run.binary)
    start = time.perf_counter()
    try:
        done = subprocess.run([str(binary)], cwd=binary.parent, capture_output=True, text=True)
    except OSError as exc:
        raise RuntimeError(f"cannot run the compiled Brian2 program {binary}: {exc}") from None
    wall = time.perf_counter() - start
    info = binary.parent / "results" / "last_run_info.txt"
    if done.returncode != 0 or not info.exists():
        raise RuntimeError(f"the compiled Brian2 program {binary} failed or wrote no {info.name}: {done.stderr[-500:]}")
    return float(info.read_text().split()[0]), wall


@dataclass(frozen=True)
class Agreement:
    """One statistic of two engines over seeds: means, standard errors, agreement.

    Attributes
    ----------
    name : str
        The statistic.
    mean_a, se_a, mean_b, se_b : float
        Mean and standard error of the mean over seeds, engine a and engine b.
    agree : bool
        ``|mean_a − mean_b| <= 2 √(se_a² + se_b²)``.

    Examples
    --------
    >>> Agreement("rate (Hz)", 10.0, 0.1, 10.1, 0.1, True).agree
    True
    """
    name: str
    mean_a: float
    se_a: float
    mean_b: float
    se_b: float
    agree: bool


def compare_engines(stats_a: list[RegimeStatistics], stats_b: list[RegimeStatistics]) -> list[Agreement]:
    """Rate, ISI CV and relative read-out error of two engines over seeds, and whether they agree.

    Parameters
    ----------
    stats_a, stats_b : list of RegimeStatistics
        One per seed and engine (at least two each).

    Returns
    -------
    list of Agreement
        Mean rate (Hz), ISI CV and relative error (% of the signal): means,
        standard errors (``std(ddof=1) / √n``) and agreement within two
        standard errors of the difference.

    Raises
    ------
    ValueError
        If an engine has fewer than two runs.

    Examples
    --------
    >>> a = [RegimeStatistics(400, 10, r, 0.3, 5, 0.0, 1.0, 1.0, 0.10) for r in (10.0, 10.2, 9.8)]
    >>> b = [RegimeStatistics(400, 10, r, 0.3, 5, 0.0, 1.0, 1.0, 0.10) for r in (11.0, 11.2, 10.8)]
    >>> [(row.name, row.agree) for row in compare_engines(a, b)]
    [('rate (Hz)', False), ('ISI CV', True), ('error (% of signal)', True)]
    """
    if len(stats_a) < 2 or len(stats_b) < 2:
        raise ValueError(f"need at least two runs per engine, got {len(stats_a)} and {len(stats_b)}")
    rows = []
    for name, get in (("rate (Hz)", lambda s: s.mean_rate), ("ISI CV", lambda s: s.isi_cv),
                      ("error (% of signal)", lambda s: 100 * s.relative_error)):
        a, b = np.array([get(s) for s in stats_a]), np.array([get(s) for s in stats_b])
        se_a, se_b = a.std(ddof=1) / math.sqrt(a.size), b.std(ddof=1) / math.sqrt(b.size)
        agree = abs(a.mean() - b.mean()) <= 2 * math.hypot(se_a, se_b)
        rows.append(Agreement(name, float(a.mean()), float(se_a), float(b.mean()), float(se_b), bool(agree)))
    return rows


# ---------------------------------------------------------------------------------------------
# the benchmark


def _ns(seconds: float, n_neurons: int, n_steps: int) -> float:
    return seconds / (n_neurons * n_steps) * 1e9


def _interleaved(timers: dict, repeat: int = 3) -> dict:
    """Call each timer in turn, ``repeat`` rounds; the minimum seconds each returned."""
    best = {name: math.inf for name in timers}
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer())
    return best


def _wall(fn):
    def timer():
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    return timer


@numba.njit(cache=True)
def _ziggurat_blocks(state, tables, out, n_blocks):
    for _ in range(n_blocks):
        random_streams._fill_standard_normal(state, tables, out)


@numba.njit(cache=True)
def _vector_blocks(lanes, raw, halves, out, n_blocks):
    for _ in range(n_blocks):
        random_streams._fill_vector_normal(lanes, raw, halves, out)


def _normal_block_timers(n_neurons: int, n_steps: int) -> dict:
    """Timers of the normals alone: n_steps blocks of n_neurons, as the kernel draws them."""
    state = random_streams.stream_state(0)
    ziggurat_out = np.empty(n_neurons)
    lanes = random_streams.lane_state(0)
    raw = np.empty(random_streams.vector_pairs(n_neurons), dtype=np.uint64)
    halves = raw.view(np.uint32)
    vector_out = np.empty(2 * raw.shape[0], dtype=np.float32)
    _ziggurat_blocks(state, random_streams._TABLES, ziggurat_out, 1)   # compile
    _vector_blocks(lanes, raw, halves, vector_out, 1)
    return {"ziggurat normals": _wall(lambda: _ziggurat_blocks(state, random_streams._TABLES, ziggurat_out, n_steps)),
            "vector normals": _wall(lambda: _vector_blocks(lanes, raw, halves, vector_out, n_steps))}


def _same_trains(steps_a, neurons_a, steps_b, neurons_b) -> bool:
    a = np.lexsort((neurons_a, steps_a))
    b = np.lexsort((neurons_b, steps_b))
    return (len(a) == len(b) and np.array_equal(np.asarray(steps_a)[a], np.asarray(steps_b)[b])
            and np.array_equal(np.asarray(neurons_a)[a], np.asarray(neurons_b)[b]))


def _active(args, out) -> None:
    p = ActiveNetworkParameters(duration=args.duration)
    net = active_network(p)
    command = active_input(p.duration, p)
    n_steps = command.shape[0]
    kw = dict(voltage_noise=p.voltage_noise, delay=p.delay, spike_rule="all")
    print(f"Active network (Boerlin-style leaky integrator): N={p.n_neurons}, J={p.n_variables}, "
          f"dt={p.dt * 1e3:g} ms, delay {p.delay * 1e3:g} ms, voltage noise, 'all' rule, {p.duration:g} s", file=out)
    vector = dict(kw, normal_generator="vector")
    simulate(net, command[:100], p.dt, seed=0, **kw)  # compile (or load numba's cache)
    simulate(net, command[:100], p.dt, seed=0, **vector)
    stats = result_statistics(simulate(net, command, p.dt, seed=0, **kw))
    print(f"  regime: {stats}", file=out)
    check_regime(stats, ACTIVE_REGIME, "the active network")
    stats_vector = result_statistics(simulate(net, command, p.dt, seed=0, **vector))
    print(f"  regime with the vector normal generator: {stats_vector}", file=out)
    check_regime(stats_vector, ACTIVE_REGIME, "the active network with the vector generator")
    print(f"  in regime {ACTIVE_REGIME}", file=out)

    brian = None
    if args.brian2 == "off":
        print("  Brian2 comparison skipped: --brian2 off", file=out)
    else:
        python, status = brian2_python(args.brian2_python)
        if status.startswith("unavailable"):
            print(f"  Brian2 comparison skipped: {python} cannot import brian2 ({status[len('unavailable: '):]}); "
                  f"install the 'bench' extra or run `make brian2-env`", file=out)
        else:
            brian = _brian2_comparison(args, net, command, p, python, (stats, stats_vector), out)

    noise_free = dict(kw, voltage_noise=0.0)
    timers = {"pcn_core": _wall(lambda: simulate(net, command, p.dt, seed=0, **kw)),
              "pcn_core vector": _wall(lambda: simulate(net, command, p.dt, seed=0, **vector)),
              "noise-free": _wall(lambda: simulate(net, command, p.dt, seed=0, **noise_free)),
              **_normal_block_timers(p.n_neurons, n_steps)}
    program_seconds = []
    if brian is not None:
        def brian_loop():
            loop, wall = time_brian2(brian)
            program_seconds.append(wall)
            return loop
        timers["Brian2"] = brian_loop
    best = _interleaved(timers)
    labels = {"pcn_core": "pcn_core, ziggurat normals (exact, the default)",
              "pcn_core vector": "pcn_core, vector normals (float32 Box–Muller)"}
    for name, label in labels.items():
        print(f"  {label:48s}: {_ns(best[name], p.n_neurons, n_steps):6.2f} ns per neuron-step "
              f"({best[name]:.2f} s, min of 3)", file=out)
    if brian is not None:
        print(f"  {'Brian2':48s}: {_ns(best['Brian2'], p.n_neurons, n_steps):6.2f} ns per neuron-step "
              f"({best['Brian2']:.2f} s simulation loop, min of 3; the whole program {min(program_seconds):.2f} s; "
              f"{brian.version} cpp_standalone, compiled without -ffast-math)", file=out)
        for name, label in labels.items():
            ratio = best[name] / best['Brian2']
            print(f"  ratio {label} / Brian2: {ratio:.3f} ({1 / ratio:.1f}× faster)", file=out)
    parts = {name: _ns(best[name], p.n_neurons, n_steps) for name in ("ziggurat normals", "vector normals", "noise-free")}
    print(f"  breakdown (ns per neuron-step, same rounds): the normals alone (one block of N per step) "
          f"{parts['ziggurat normals']:.2f} ziggurat, {parts['vector normals']:.2f} vector; the network without "
          f"noise {parts['noise-free']:.2f} (it fires less)", file=out)


def _brian2_comparison(args, net, command, p, python, stats_seed0, out) -> Brian2Run:
    """Identity without noise (fails loudly), statistics with noise (pcn_core with each normal
    generator against Brian2; ``stats_seed0`` their seed-0 statistics); returns the run to time."""
    directory = Path(args.brian2_dir)
    directory.mkdir(parents=True, exist_ok=True)
    noise_free = dict(voltage_noise=0.0, delay=p.delay)
    ours = simulate(net, command, p.dt, seed=0, spike_rule="all", **noise_free)
    theirs = run_brian2(net, command, p.dt, seed=0, directory=directory, python=python, **noise_free)
    if not _same_trains(spike_steps(ours), ours.spike_neurons, theirs.spike_steps, theirs.spike_neurons):
        raise SystemExit(f"Brian2 twin is not identical without noise: {theirs.spike_steps.size} spikes in Brian2, "
                         f"{ours.n_spikes} in pcn_core (build in {directory}); the comparison is void")
    print(f"  Brian2 ({theirs.version}, cpp_standalone, compiled in {theirs.compile_seconds:.0f} s): "
          f"noise-free, {p.duration:g} s: identical spike trains ({ours.n_spikes} spikes)", file=out)
    target = ours.target
    seeds = list(range(args.seeds))
    ours_stats = {generator: [first] + [
        regime_statistics(spike_steps(r), r.spike_neurons, net, p.dt, target)
        for r in (simulate(net, command, p.dt, seed=s, voltage_noise=p.voltage_noise, delay=p.delay,
                           spike_rule="all", normal_generator=generator) for s in seeds[1:])]
        for generator, first in zip(("ziggurat", "vector"), stats_seed0)}
    runs = {}
    for s in reversed(seeds):  # seed 0 last: its program stays compiled for the timing
        runs[s] = run_brian2(net, command, p.dt, seed=s, voltage_noise=p.voltage_noise, delay=p.delay,
                             directory=directory, python=python)
    theirs_stats = [regime_statistics(runs[s].spike_steps, runs[s].spike_neurons, net, p.dt, target) for s in seeds]
    check_regime(theirs_stats[0], ACTIVE_REGIME, "the Brian2 twin of the active network")
    print(f"  with noise, {len(seeds)} seeds per engine (mean ± standard error; agree: within 2 SE):", file=out)
    for generator, stats in ours_stats.items():
        print(f"    {'normals: ' + generator:22s}{'pcn_core':>18s}{'Brian2':>18s}   agree", file=out)
        for row in compare_engines(stats, theirs_stats):
            print(f"    {row.name:22s}{row.mean_a:10.3f} ± {row.se_a:5.3f}{row.mean_b:10.3f} ± {row.se_b:5.3f}   "
                  f"{'yes' if row.agree else 'NO'}", file=out)
    return runs[0]


def _koren(args, out) -> None:
    params = koren.ALL_TO_ALL
    net = koren.network(koren.weights(params.n_inputs, params.n_neurons, seed=0),
                        linear_cost=params.linear_cost, quadratic_cost=params.quadratic_cost)
    command = koren.input_signal(args.koren_duration, seed=1)
    n_steps = command.shape[0]
    print(f"Koren & Denève all-to-all network (T2*: ν = {params.linear_cost:g}, μ = {params.quadratic_cost:g}, "
          f"σ = {params.noise:g} per ms): N={params.n_neurons}, J={params.n_inputs}, dt = δ = "
          f"{params.dt * 1e3:g} ms, {args.koren_duration:g} s", file=out)
    koren.run(net, command[:100], seed=0)  # compile
    check = koren.run(net, command, seed=0)
    stats = result_statistics(check)
    print(f"  regime: {stats}", file=out)
    check_regime(stats, KOREN_REGIME, "Koren's network")
    print(f"  in regime {KOREN_REGIME}", file=out)
    summary = koren.run(net, command, seed=0, record="summary")
    if summary.n_spikes != check.n_spikes:
        raise SystemExit(f"Koren's network: record='summary' gave {summary.n_spikes} spikes, "
                         f"record='full' {check.n_spikes}")
    best = _interleaved({record: _wall(lambda record=record: koren.run(net, command, seed=0, record=record))
                         for record in ("full", "summary")})
    for record, seconds in best.items():
        print(f"  record={record!r:10s}: {_ns(seconds, params.n_neurons, n_steps):6.2f} ns per neuron-step "
              f"({seconds:.2f} s, min of 3)", file=out)


# ---- size scaling with the greedy rule ------------------------------------------------------
#: Fig 7's size-scaling network (Boerlin et al. 2013, Figs 1C and 7; the notebook's parameters): the
#: homogeneous integrator at N = 400, rescaled to every N by :func:`pcn_core.boerlin.scaled_integrator`.
SCALING_NETWORK = dict(reference_size=400, kernel=0.1, decoder_leak=10.0, membrane_leak=20.0, linear_cost=5e-5,
                       quadratic_cost=1e-6, voltage_noise=5e-4, dt=1e-4, level=6.0)
#: Sizes of the scaling table: three decades; 10,786 and 102,546 rather than 10⁴ and 10⁵, whose per-step
#: read-out decay is a whole number of kernels (see :func:`pcn_core.boerlin.size_scaling`).
SCALING_SIZES = (100, 316, 1000, 3162, 10786, 31622, 102546)


def _size_scaling(args, out) -> None:
    """The greedy rule from 10² to 10⁵ neurons: error ∝ 1/N at the rate of Eq. 43, checked before it is reported."""
    from .boerlin import size_scaling

    study = size_scaling(args.scaling_sizes, duration=args.scaling_duration, n_seeds=args.scaling_seeds, seed=0,
                         **SCALING_NETWORK)
    slope, slope_se = study.slope()
    p = SCALING_NETWORK
    rate_eq43 = p["decoder_leak"] * p["level"] / (p["kernel"] * p["reference_size"] / 2)
    print(f"Boerlin integrator, greedy rule, N = {study.sizes[0]}-{study.sizes[-1]}: kernels ∝ 1/N, costs and "
          f"σ_V ∝ 1/N², dt = {p['dt'] * 1e3:g} ms, x held at {p['level']:g}, {args.scaling_seeds} × "
          f"{args.scaling_duration:g} s per size", file=out)
    print("        N  spikes/step  error/kernel  rate (Hz)  ns per neuron-step  peak MB", file=out)
    for row, n in enumerate(study.sizes):
        gamma = p["kernel"] * p["reference_size"] / n
        print(f"  {n:7d}  {study.spikes_per_step[row].mean():11.3g}  {study.error[row] / gamma:12.4f}  "
              f"{study.rate[row]:9.2f}  {np.nanmean(study.ns_per_neuron_step[row]):18.1f}  "
              f"{np.nanmax(study.peak_memory[row]) / 1e6:7.2f}", file=out)
    problems = []
    if not abs(slope + 1.0) <= 0.2:
        problems.append(f"error slope {slope:.3f}, not within -1 ± 0.2 (the 1/N law)")
    if not abs(study.rate[-1] / rate_eq43 - 1.0) <= 0.1:
        problems.append(f"rate at the largest N {study.rate[-1]:.2f} Hz, not within 10 % of Eq. 43's {rate_eq43:.2f} Hz")
    if problems:
        raise SystemExit("size scaling out of regime: " + "; ".join(problems))
    print(f"  error slope {slope:.3f} ± {slope_se:.3f} (1/N: -1); rate at N = {study.sizes[-1]} "
          f"{study.rate[-1]:.2f} Hz (Eq. 43: {rate_eq43:.2f} Hz); no N×N array", file=out)


def main(argv=None) -> None:
    """Run the benchmark (the ``python -m pcn_core.bench`` entry point); see the module docstring.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default ``sys.argv[1:]``): ``--duration``
        (s of the active network, default 10), ``--koren-duration`` (s, default
        100), ``--scaling-sizes`` (comma-separated N, default
        :data:`SCALING_SIZES`), ``--scaling-duration`` (s per run, default 1,
        > 0.8), ``--scaling-seeds`` (default 2), ``--seeds`` (noisy runs per engine in the Brian2
        comparison, default 5, >= 2), ``--brian2 {auto,off}``,
        ``--brian2-python`` (interpreter with Brian2) and ``--brian2-dir``
        (build directory, default ``build/brian2-bench``).

    Raises
    ------
    SystemExit
        If a network is out of its regime (never timed), the Brian2 twin is not
        identical without noise, or on bad arguments (argparse).

    Examples
    --------
    A cheap run (short durations, three small sizes, no Brian2); the
    numbers vary from run to run and are elided:

    >>> main(["--duration", "1", "--koren-duration", "10", "--scaling-sizes", "100,150,200",
    ...       "--scaling-duration", "1", "--brian2", "off"])
    Active network (Boerlin-style leaky integrator): N=400, J=3, dt=0.1 ms, delay 1 ms, voltage noise, 'all' rule, 1 s
      regime: ... Hz per neuron, busy ... % of steps, at most ... spikes in one step (... % of N), ...
      regime with the vector normal generator: ... Hz per neuron, ...
      in regime 'active asynchronous' (5–20 Hz, ...)
      Brian2 comparison skipped: --brian2 off
      pcn_core, ziggurat normals (exact, the default) : ... ns per neuron-step (... s, min of 3)
      pcn_core, vector normals (float32 Box–Muller)   : ... ns per neuron-step (... s, min of 3)
      breakdown (ns per neuron-step, same rounds): the normals alone (one block of N per step) ...
    Koren & Denève all-to-all network (T2*: ν = 5, μ = 5, σ = 0.25 per ms): N=400, J=3, dt = δ = 1 ms, 10 s
      regime: ...
      in regime 'Up states (Koren T2*)' (...)
      record='full'    : ... ns per neuron-step (... s, min of 3)
      record='summary' : ... ns per neuron-step (... s, min of 3)
    Boerlin integrator, greedy rule, N = 100-200: ...
            N  spikes/step  error/kernel  rate (Hz)  ns per neuron-step  peak MB
          100  ...
          150  ...
          200  ...
      error slope ... (1/N: -1); rate at N = 200 ... Hz (Eq. 43: 3.00 Hz); no N×N array
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=ACTIVE.duration, help="s of the active network (10)")
    parser.add_argument("--koren-duration", type=float, default=100.0, help="s of Koren's network (100)")
    parser.add_argument("--scaling-sizes", type=lambda text: [int(v) for v in text.split(",")],
                        default=list(SCALING_SIZES), help="comma-separated N of the size-scaling table")
    parser.add_argument("--scaling-duration", type=float, default=1.0, help="s per run of the scaling table (1)")
    parser.add_argument("--scaling-seeds", type=int, default=2, help="runs per size of the scaling table (2)")
    parser.add_argument("--seeds", type=int, default=5, help="noisy runs per engine in the Brian2 comparison (5)")
    parser.add_argument("--brian2", choices=("auto", "off"), default="auto")
    parser.add_argument("--brian2-python", default=None, help="interpreter with Brian2 (default: see brian2_python)")
    parser.add_argument("--brian2-dir", default=str(REPO_ROOT / "build" / "brian2-bench"),
                        help="Brian2 build directory (default build/brian2-bench)")
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error(f"--seeds must be >= 2 (standard errors), got {args.seeds}")
    out = sys.stdout
    _active(args, out)
    _koren(args, out)
    _size_scaling(args, out)


if __name__ == "__main__":
    main()
