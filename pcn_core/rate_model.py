"""Poisson rate model matched to a spike-coding network (Boerlin et al. 2013, Fig. 7C).

The paper's comparison model keeps the network's feed-forward input and slow
connections but removes the fast connections and replaces the greedy
integrate-and-fire rule by Poisson spike generators with the network's
instantaneous firing rate. In the homogeneous network the common membrane
potential of the active pool rises at ``dV/dt ≈ Γ_iᵀ(c + (A + λ_d I) x̂)`` (leak
neglected) and falls by the reset ``‖Γ_i‖² + μ λ_d²`` at each population spike,
so the population fires at that rate divided by the reset, shared by the
``coactive_neurons`` neurons of one sign (N/2), which gives

    ρ_i(t) = [Γ_iᵀ (c(t) + (A + λ_d I) x̂(t))]₊ / ((‖Γ_i‖² + μ λ_d²) · coactive_neurons)

(Materials and Methods, "Rate model matching the firing rate of the
homogeneous integrator network"). The read-out is the network's,
``dx̂/dt = -λ_d x̂ + Γ o``; the target ``x`` obeys ``dx/dt = A x + c`` as in
:func:`pcn_core.simulation.simulate`.

Per step of length ``dt`` (s), in this order (matching ``simulate``): the
command (plus shared sensory noise) drives the target; the rates are computed
from the command and the current ``x̂``; ``x̂`` decays with ``λ_d``; each neuron
emits ``Poisson(ρ_i dt)`` spikes (several are allowed in one step, none is
dropped), each adding ``Γ_i`` to ``x̂``. Spikes are stamped at the end of their
step. With ``A = -λ_d I`` the slow connections vanish and the model is a
population of independent Poisson neurons whose rates follow the command.

References
----------
.. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
   variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
   Materials and Methods, "Rate model matching the firing rate of the
   homogeneous integrator network", and Fig. 7B-C.
"""
from __future__ import annotations

import math

import numba
import numpy as np

from . import validation
from .network import Network
from .simulation import SimulationResult, _advance_target, _check_drive, _summary_from_spikes


@numba.njit(cache=True)
def _run(k_start, k_stop, decoder, rate_scale, A, slow_matrix, decoder_leak, dt, command,
         sensory_step_std, rng, xhat, x, counts, istate, spike_step, spike_neuron, xhat_rec, x_rec):
    """Steps k_start..k_stop-1. istate = [n_spikes, pending]; pending = 1 means the counts
    of step k_start were drawn (and x advanced) but did not fit in the spike buffer."""
    N = decoder.shape[1]
    J = decoder.shape[0]
    capacity = spike_step.shape[0]
    drive = np.empty(J)
    s = np.empty(J)
    x_new = np.empty(J)
    sensory_noise = np.zeros(J)
    decay = 1.0 - decoder_leak * dt
    for k in range(k_start, k_stop):
        total = 0
        if istate[1] == 1:
            istate[1] = 0
            for i in range(N):
                total += counts[i]
        else:
            # s: the drive of the common membrane potential over this step, (c + (A + λ_d) x̂) dt
            if sensory_step_std > 0:
                for a in range(J):
                    sensory_noise[a] = sensory_step_std * rng.standard_normal()
            _advance_target(k, command, dt, sensory_noise, A, slow_matrix, xhat, x, drive, s, x_new)
            for i in range(N):
                u = 0.0
                for a in range(J):
                    u += decoder[a, i] * s[a]
                mean_count = u * rate_scale[i]
                c = rng.poisson(mean_count) if mean_count > 0.0 else 0
                counts[i] = c
                total += c
            for a in range(J):
                xhat[a] *= decay
        n = istate[0]
        if n + total > capacity:
            istate[1] = 1
            return k
        for i in range(N):
            for m in range(counts[i]):
                spike_step[n] = k
                spike_neuron[n] = i
                n += 1
                for a in range(J):
                    xhat[a] += decoder[a, i]
        istate[0] = n
        for a in range(J):
            xhat_rec[k, a] = xhat[a]
            x_rec[k, a] = x[a]
    return k_stop


def instantaneous_rates(network: Network, command, estimate, coactive_neurons: float | None = None) -> np.ndarray:
    """The rate model's firing rates (Hz), shape (n_times, N), for commands ``c`` (n_times, J)
    (x per s) and estimates ``x̂`` (n_times, J): ``[Γ_iᵀ(c + (A + λ_d I) x̂)]₊ / (reset_i · coactive)``.

    ``coactive_neurons`` defaults to N/2 (one sign of the homogeneous network).
    ``reset_i = ‖Γ_i‖² + μ λ_d²`` is ``network.self_reset``.

    Parameters
    ----------
    network : pcn_core.network.Network
        The spike-coding network whose rates are matched.
    command : array_like, shape (n_times, J)
        Command input c (x per s); 1-D accepted when J = 1.
    estimate : array_like, shape (n_times, J)
        Read-out x̂ (units of x) at the same times; 1-D accepted when J = 1.
    coactive_neurons : float, optional
        Number of neurons sharing one integration cycle, in [1, N]
        (default N/2).

    Returns
    -------
    (n_times, N) float ndarray
        Instantaneous firing rate of each neuron (Hz), >= 0.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`pcn_core.network.Network`.
    ValueError
        If ``command`` and ``estimate`` do not both have shape (n_times, J),
        or ``coactive_neurons`` is outside [1, N].

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
       Materials and Methods, "Rate model matching the firing rate of the
       homogeneous integrator network", and Fig. 7B-C.

    Examples
    --------
    Perfect integrator, kernels ±0.1, ``c = 1``, ``x̂ = 0.5``: the positive
    neurons get ``0.1 · (1 + 10 · 0.5) / (0.01 · 2) = 30`` Hz, the negative ones 0.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> instantaneous_rates(net, [[1.0]], [[0.5]])
    array([[30., 30.,  0.,  0.]])
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    J = network.n_variables
    coactive = _coactive(network, coactive_neurons)
    command = np.asarray(command, dtype=float)
    estimate = np.asarray(estimate, dtype=float)
    if command.ndim == 1 and J == 1:
        command = command[:, None]
    if estimate.ndim == 1 and J == 1:
        estimate = estimate[:, None]
    if command.ndim != 2 or command.shape[1] != J or estimate.shape != command.shape:
        raise ValueError(f"command and estimate must both have shape (n_times, J={J}), "
                         f"got {command.shape} and {estimate.shape}")
    drive = (command + estimate @ network.slow_matrix.T) @ network.decoder
    return np.maximum(drive, 0.0) / (network.self_reset * coactive)


def _coactive(network: Network, coactive_neurons) -> float:
    coactive = network.n_neurons / 2 if coactive_neurons is None else float(coactive_neurons)
    if not (np.isfinite(coactive) and 1.0 <= coactive <= network.n_neurons):
        raise ValueError(f"coactive_neurons must lie in [1, N={network.n_neurons}], got {coactive_neurons}")
    return coactive


def simulate_rate_model(network: Network, command, dt: float, *, x0=None, sensory_noise: float = 0.0,
                        coactive_neurons: float | None = None, seed=None,
                        initial_spike_capacity: int = 1 << 16) -> SimulationResult:
    """Simulate the Poisson rate model matched to ``network`` (see the module docstring).

    Parameters
    ----------
    network : pcn_core.network.Network
        From :func:`pcn_core.network.boerlin_network`; its decoder, ``A``,
        ``λ_d`` and resets are used; its fast connections, thresholds, membrane
        leak and voltage noise are not (they have no counterpart here).
    command : array_like, shape (n_steps, J)
        Command input c(t) per step (x per s), finite; 1-D accepted when J = 1.
    dt : float
        Euler step (s); dt × fastest rate of the model (``λ_d`` and the
        eigenvalues of ``A``) <= 0.1.
    x0 : array_like, shape (J,), optional
        Initial target state (default 0); the estimate starts at 0.
    sensory_noise : float
        σ_s >= 0, shared input noise density (x per √s), as in
        :func:`pcn_core.simulation.simulate`.
    coactive_neurons : float, optional
        Number of neurons sharing one integration cycle (default N/2, the
        neurons of one sign in the homogeneous network); in [1, N].
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of every random draw (see :func:`pcn_core.validation.rng`).
    initial_spike_capacity : int
        First size of the spike buffer (it grows as needed; nothing is lost).

    Returns
    -------
    pcn_core.simulation.SimulationResult
        With no voltages or currents recorded and no ``final_state``
        (``trains()``, ``rates()``, ``estimate``, ``target`` and the summary
        fields work as usual). Spikes are stamped at the end of their step.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`pcn_core.network.Network` or ``seed``
        is not a valid seed.
    ValueError
        If ``command`` is not a finite (n_steps, J) array, ``dt`` is not
        positive or too large, ``sensory_noise`` is negative, ``x0`` is not a
        finite (J,) vector, ``coactive_neurons`` is outside [1, N], or ``A``
        would make the target grow by more than
        :data:`pcn_core.simulation.MAX_TARGET_GROWTH` over the run.

    See Also
    --------
    instantaneous_rates : the rates the model draws from.
    pcn_core.simulation.simulate : the spiking network it is compared with.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
       Materials and Methods, "Rate model matching the firing rate of the
       homogeneous integrator network", and Fig. 7B-C.

    Examples
    --------
    With ``A = -λ_d I`` the slow connections vanish: under ``c = 1`` the 50
    positive neurons fire ``c / γ = 100`` spikes per s together, the negative
    ones stay silent, and the target settles at ``c / λ_d = 0.1``.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(100, 0.01), [[-10.0]], decoder_leak=10.0,
    ...                       membrane_leak=10.0)
    >>> result = simulate_rate_model(net, np.ones(2000), dt=1e-3, seed=0)
    >>> result.estimate.shape, result.voltages.shape
    ((2000, 1), (2000, 0))
    >>> bool(result.spike_neurons.max() < 50)
    True
    >>> round(result.mean_population_rate, -1), round(float(result.target[-1, 0]), 3)
    (100.0, 0.1)
    """
    # the rate model has no membrane: only the decoder leak and A limit dt
    fastest = max(network.decoder_leak, float(np.abs(np.linalg.eigvals(network.A)).max())) \
        if isinstance(network, Network) else 0.0
    command, dt, x = _check_drive(network, command, dt, x0, sensory_noise, fastest)
    N, J = network.n_neurons, network.n_variables
    coactive = _coactive(network, coactive_neurons)
    rng = validation.rng(seed)

    n_steps = command.shape[0]
    rate_scale = 1.0 / (network.self_reset * coactive)  # spikes per unit of common-voltage drive
    xhat = np.zeros(J)
    counts = np.zeros(N, dtype=np.int64)
    istate = np.zeros(2, dtype=np.int64)
    capacity = max(int(initial_spike_capacity), 16)
    spike_step = np.empty(capacity, dtype=np.int64)
    spike_neuron = np.empty(capacity, dtype=np.int64)
    xhat_rec = np.empty((n_steps, J))
    x_rec = np.empty((n_steps, J))
    decoder = np.ascontiguousarray(network.decoder)
    k = 0
    while k < n_steps:
        k = _run(k, n_steps, decoder, rate_scale, network.A, network.slow_matrix, network.decoder_leak, dt,
                 command, sensory_noise * math.sqrt(dt), rng, xhat, x, counts, istate, spike_step,
                 spike_neuron, xhat_rec, x_rec)
        if k < n_steps:  # buffer full: grow it; step k's drawn spikes are emitted on resume
            capacity = max(2 * capacity, int(istate[0] + counts.sum()))
            spike_step = np.concatenate([spike_step, np.empty(capacity - spike_step.size, dtype=np.int64)])
            spike_neuron = np.concatenate([spike_neuron, np.empty(capacity - spike_neuron.size, dtype=np.int64)])
    n = int(istate[0])
    empty = np.zeros(0, dtype=np.int64)
    return SimulationResult(network=network, dt=dt, n_steps=n_steps,
                            spike_times=(spike_step[:n] + 1) * dt, spike_neurons=spike_neuron[:n].copy(),
                            estimate=xhat_rec, target=x_rec, voltage_neurons=empty,
                            voltages=np.zeros((n_steps, 0)), current_neurons=empty,
                            excitatory=np.zeros((n_steps, 0)), inhibitory=np.zeros((n_steps, 0)),
                            **_summary_from_spikes(spike_step[:n], spike_neuron[:n], n_steps, N, xhat_rec, x_rec))
