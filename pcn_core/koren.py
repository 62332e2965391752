"""Koren & Denève (2017): the all-to-all network, its parameters and one run.

Koren's network is a discrete-time model whose step is the synaptic delay
(dt = δ = 1 ms): every neuron above threshold fires in a step (the "all"
rule) and the others see its spike at the next step's threshold check. In
:func:`pcn_core.simulation.simulate`'s exact delay convention that latency is
``dt + delay``, so the paper's δ is ``delay = δ − dt``
(:func:`pcn_core.simulation.koren_kernel_delay`); :func:`run` does this.

The paper's S1 parameter tables are lost. :data:`ALL_TO_ALL` holds our
reconstruction, each value with its source: ``[cap]`` figure caption, ``[txt]``
Results text, ``[M]`` Methods, ``[inf]`` inferred from the text, ``[pilot]``
chosen from exploratory runs (see each notebook's parameters cell).

Noise: "the standard deviation of the noise is in units of ms⁻¹" [txt]; we read
σ as the s.d. added to V per 1 ms step, i.e. a density σ/√(1 ms) per √s
(:func:`voltage_noise_density`), so results hold their meaning at other dt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import validation
from .network import Network, koren_network
from .signals import smoothed_white_noise
from .simulation import SimulationResult, koren_kernel_delay, simulate
from .upstates import coding_error_cost

#: One millisecond (s): the unit of the paper's noise s.d. and of its time step.
MS = 1e-3


@dataclass(frozen=True)
class AllToAllParameters:
    """The all-to-all network of Figs 2–9 ("T2*", our reconstruction of S1 Table 2)."""
    n_neurons: int = 400            #: [txt]
    n_inputs: int = 3               #: J [txt]
    dt: float = 1e-3                #: s, = δ [inf: "consecutive time steps", 50 % synchrony]
    synaptic_delay: float = 1e-3    #: δ, s [txt]
    leak: float = 10.0              #: λ = λ_d = λ_V, Hz [pilot; Table 2 lost]
    input_amplitude: float = 20.0   #: A_s, s = A_s·OU per dimension [pilot]
    input_tau: float = 0.2          #: s, OU correlation time of the input [pilot]
    noise: float = 0.25             #: σ, s.d. per 1 ms step [cap, Figs 3B–D, 5A]
    quadratic_cost: float = 5.0     #: μ [cap]
    linear_cost: float = 5.0        #: ν where the paper says "Table 2" [inf: Fig 6C]
    mua_decay_rate: float = 50.0    #: λ_D, Hz [M]
    up_threshold: float = 0.2       #: fraction of neurons active together [M]


ALL_TO_ALL = AllToAllParameters()


def voltage_noise_density(sigma: float) -> float:
    """pcn_core's voltage-noise density (per √s) for the paper's σ (s.d. per 1 ms step)."""
    return validation.real(sigma, "sigma", low=0.0) / math.sqrt(MS)


def weights(n_inputs: int, n_neurons: int, seed) -> np.ndarray:
    """(J, N) decoding weights drawn i.i.d. from a standard normal, not normalised [txt]."""
    if int(n_inputs) != n_inputs or n_inputs < 1 or int(n_neurons) != n_neurons or n_neurons < 1:
        raise ValueError(f"n_inputs and n_neurons must be integers >= 1, got {n_inputs}, {n_neurons}")
    return validation.rng(seed).standard_normal((int(n_inputs), int(n_neurons)))


def network(w, *, linear_cost: float, quadratic_cost: float, leak: float = ALL_TO_ALL.leak) -> Network:
    """The all-to-all Koren network for weights ``w`` (J, N) and the paper's costs ν, μ."""
    return koren_network(w, leak=leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost)


def input_signal(duration: float, *, amplitude: float = ALL_TO_ALL.input_amplitude,
                 tau: float = ALL_TO_ALL.input_tau, n_inputs: int = ALL_TO_ALL.n_inputs,
                 dt: float = ALL_TO_ALL.dt, seed=None) -> np.ndarray:
    """The active-state input s(t): white noise, independent across inputs, smoothed
    by an exponential filter of time constant ``tau`` (s) [txt], with stationary
    s.d. ``amplitude``; shape (n_steps, n_inputs)."""
    return smoothed_white_noise(duration, dt, tau, validation.real(amplitude, "amplitude", low=0.0),
                                shape=n_inputs, seed=seed)


def run(net: Network, command, *, noise: float = ALL_TO_ALL.noise, spike_failure: float = 0.0,
        dt: float = ALL_TO_ALL.dt, synaptic_delay: float = ALL_TO_ALL.synaptic_delay,
        seed=None, **options) -> SimulationResult:
    """Simulate Koren's discrete model: "all" rule, synaptic delay δ mapped onto the
    simulator's delay, the paper's σ (per 1 ms step) as voltage noise.

    Parameters
    ----------
    net : from :func:`network`
    command : (n_steps, J) input s(t) (zeros for the quiescent state)
    noise : σ >= 0, s.d. of the voltage noise per 1 ms step
    spike_failure : 1 − p_spike, probability that a neuron at threshold does not fire
    dt, synaptic_delay : s (δ a whole number >= 1 of steps)
    seed : seed of the noise (and of failures)
    options : passed to :func:`pcn_core.simulation.simulate` (``record="summary"``,
        ``groups``, ``spike_windows``, ``initial_state``, ``record_voltages``, ...)
    """
    return simulate(net, command, dt, voltage_noise=voltage_noise_density(noise),
                    delay=koren_kernel_delay(synaptic_delay, dt), spike_rule="all",
                    spike_failure=spike_failure, seed=seed, **options)


def error_and_cost(result: SimulationResult) -> tuple[float, float]:
    """Mean coding error and cost of a run (:func:`pcn_core.upstates.coding_error_cost`)
    from its running sums: ⟨‖x − x̂‖₂⟩ / (J · mean_i ‖w_i‖₂), and population spikes per step."""
    return coding_error_cost(result.network.decoder, int(result.spike_counts.sum()),
                             error_norm_sum=result.error_norm_sum, n_steps=result.n_error_steps)
