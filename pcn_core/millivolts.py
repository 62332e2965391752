"""Membrane potentials of spike-coding networks in physical units (Boerlin et al. 2013).

The network's voltage ``V_i`` is a (penalised) prediction error in units of x².
The paper maps it to millivolts by an affine transformation per neuron,
``V_i[mV] = gain_i · V_i + rest_i``, with the two constants fixed by asking that
the threshold ``T_i`` maps to a chosen threshold potential and the reset
potential ``T_i - self_reset_i`` (where V lands after the neuron's own spike)
maps to a chosen reset potential. ``rest_i`` is then the image of ``V_i = 0``,
the resting potential. With no linear cost the reset is ``-T_i``, and the
resting potential lies midway between threshold and reset.
"""
from __future__ import annotations

import numpy as np

from .network import Network


def millivolt_map(network: Network, neurons=None, *, threshold_mv: float, reset_mv: float):
    """Gain (mV per unit of V) and resting potential (mV) of each neuron's affine map.

    Parameters
    ----------
    network : the spike-coding network (its thresholds and self-resets fix the map)
    neurons : indices of the neurons (default: all)
    threshold_mv : potential (mV) that the threshold T_i maps to
    reset_mv : potential (mV) that the reset potential T_i - self_reset_i maps to;
        must be below ``threshold_mv``

    Returns ``(gain, rest_mv)``, arrays of shape (len(neurons),).
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a pcn_core.network.Network, got {type(network).__name__}")
    threshold_mv, reset_mv = float(threshold_mv), float(reset_mv)
    if not (np.isfinite(threshold_mv) and np.isfinite(reset_mv)):
        raise ValueError(f"threshold_mv and reset_mv must be finite (mV), got {threshold_mv}, {reset_mv}")
    if not reset_mv < threshold_mv:
        raise ValueError(f"reset_mv must be below threshold_mv, got reset {reset_mv} mV, threshold {threshold_mv} mV")
    idx = np.arange(network.n_neurons) if neurons is None else np.asarray(neurons, dtype=np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= network.n_neurons):
        raise ValueError(f"neurons must hold indices in [0, {network.n_neurons - 1}], got {idx.tolist()}")
    # threshold and reset potential are self_reset apart in network units
    gain = (threshold_mv - reset_mv) / network.self_reset[idx]
    rest_mv = threshold_mv - gain * network.thresholds[idx]
    return gain, rest_mv


def to_millivolts(voltages, network: Network, neurons, *, threshold_mv: float, reset_mv: float) -> np.ndarray:
    """Rescale recorded voltages (n_steps, len(neurons)) to mV, one affine map per neuron
    (see :func:`millivolt_map`). ``neurons`` are the indices of the recorded columns,
    e.g. ``SimulationResult.voltage_neurons``."""
    v = np.asarray(voltages, dtype=float)
    idx = np.asarray(neurons, dtype=np.int64).ravel()
    if v.ndim != 2 or v.shape[1] != idx.size:
        raise ValueError(f"voltages must have shape (n_steps, {idx.size}) to match neurons, got {v.shape}")
    gain, rest_mv = millivolt_map(network, idx, threshold_mv=threshold_mv, reset_mv=reset_mv)
    return v * gain + rest_mv
