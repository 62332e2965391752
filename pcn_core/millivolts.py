"""Membrane potentials of spike-coding networks in physical units (Boerlin et al. 2013).

The network's voltage ``V_i`` is a (penalised) prediction error in units of x².
The paper maps it to millivolts by an affine transformation per neuron,
``V_i[mV] = gain_i · V_i + rest_i``, with the two constants fixed by asking that
the threshold ``T_i`` maps to a chosen threshold potential and the reset
potential ``T_i - self_reset_i`` (where V lands after the neuron's own spike)
maps to a chosen reset potential. ``rest_i`` is then the image of ``V_i = 0``,
the resting potential. With no linear cost the reset is ``-T_i``, and the
resting potential lies midway between threshold and reset.

References
----------
.. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
   variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
   "Scaling and physical units", Eqns. (12)-(14).
"""
from __future__ import annotations

import numpy as np

from . import validation
from .network import Network


def millivolt_map(network: Network, neurons=None, *, threshold_mv: float, reset_mv: float):
    """Gain (mV per unit of V) and resting potential (mV) of each neuron's affine map.

    ``gain_i = (threshold_mv - reset_mv) / self_reset_i`` and
    ``rest_i = threshold_mv - gain_i T_i``, so that ``V[mV] = gain_i V + rest_i``
    sends ``T_i`` to ``threshold_mv`` and ``T_i - self_reset_i`` to ``reset_mv``.

    Parameters
    ----------
    network : pcn_core.network.Network
        The spike-coding network (its thresholds and self-resets fix the map).
    neurons : array_like of int, optional
        Indices of the neurons, in [0, N - 1] (default: all).
    threshold_mv : float
        Potential (mV) that the threshold T_i maps to, finite.
    reset_mv : float
        Potential (mV) that the reset potential T_i - self_reset_i maps to;
        finite and below ``threshold_mv``.

    Returns
    -------
    gain : (len(neurons),) float ndarray
        mV per unit of V (units of x²), > 0.
    rest_mv : (len(neurons),) float ndarray
        Resting potential (mV), the image of ``V = 0``.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`pcn_core.network.Network`, a potential
        is not a real number, or a neuron index is not an integer (a float such
        as 1.7 is refused, not truncated).
    ValueError
        If a potential is not finite, ``reset_mv >= threshold_mv``, or a neuron
        index is out of range.

    See Also
    --------
    to_millivolts : applies the map to recorded voltages.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, "Scaling and physical units", Eqns. (12)-(14).

    Examples
    --------
    Kernels ±0.1 without costs: ``T = 0.005``, reset at ``T - 0.01 = -0.005``.
    Threshold -50 mV and reset -60 mV give 1000 mV per unit of V and a resting
    potential midway, at -55 mV.

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> gain, rest_mv = millivolt_map(net, [0, 3], threshold_mv=-50.0, reset_mv=-60.0)
    >>> np.round(gain, 6), np.round(rest_mv, 6)
    (array([1000., 1000.]), array([-55., -55.]))
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    threshold_mv = validation.real(threshold_mv, "threshold_mv", unit="mV")
    reset_mv = validation.real(reset_mv, "reset_mv", unit="mV")
    if not reset_mv < threshold_mv:
        raise ValueError(f"reset_mv must be below threshold_mv, got reset {reset_mv} mV, threshold {threshold_mv} mV")
    # a float index (1.7) would otherwise be truncated to another neuron
    idx = np.arange(network.n_neurons) if neurons is None else validation.indices(neurons, network.n_neurons, "neurons")
    # threshold and reset potential are self_reset apart in network units
    gain = (threshold_mv - reset_mv) / network.self_reset[idx]
    rest_mv = threshold_mv - gain * network.thresholds[idx]
    return gain, rest_mv


def to_millivolts(voltages, network: Network, neurons, *, threshold_mv: float, reset_mv: float) -> np.ndarray:
    """Rescale recorded voltages (n_steps, len(neurons)) to mV, one affine map per neuron
    (see :func:`millivolt_map`). ``neurons`` are the indices of the recorded columns,
    e.g. ``SimulationResult.voltage_neurons``.

    Parameters
    ----------
    voltages : array_like, shape (n_steps, len(neurons))
        Membrane potentials V in network units (x²), one column per neuron,
        e.g. ``SimulationResult.voltages``.
    network : pcn_core.network.Network
        The network that produced them.
    neurons : array_like of int
        Neuron index of each column, in [0, N - 1].
    threshold_mv : float
        Potential (mV) that the threshold T_i maps to, finite.
    reset_mv : float
        Potential (mV) that the reset potential maps to; finite and below
        ``threshold_mv``.

    Returns
    -------
    (n_steps, len(neurons)) float ndarray
        The voltages in mV.

    Raises
    ------
    ValueError
        If ``voltages`` is not 2-D with one column per neuron, or as
        :func:`millivolt_map`.
    TypeError
        If ``neurons`` is None or holds non-integer indices, or as
        :func:`millivolt_map`.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, "Scaling and physical units", Eqns. (12)-(14).

    Examples
    --------
    Threshold, reset and zero of the network of :func:`millivolt_map`'s example:

    >>> from pcn_core.network import boerlin_network, homogeneous_kernels
    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> v = np.array([[0.005], [-0.005], [0.0]])
    >>> np.round(to_millivolts(v, net, [2], threshold_mv=-50.0, reset_mv=-60.0), 6)
    array([[-50.],
           [-60.],
           [-55.]])
    """
    v = np.asarray(voltages, dtype=float)
    if neurons is None:  # millivolt_map would read None as "all neurons"
        raise TypeError("neurons must hold the integer neuron index of each column of voltages, got None")
    # checks network, neurons (integer indices in range) and the two potentials
    gain, rest_mv = millivolt_map(network, neurons, threshold_mv=threshold_mv, reset_mv=reset_mv)
    if v.ndim != 2 or v.shape[1] != gain.size:
        raise ValueError(f"voltages must have shape (n_steps, {gain.size}) to match neurons, got {v.shape}")
    return v * gain + rest_mv
