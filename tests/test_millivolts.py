"""Membrane potentials in mV: the affine map sends threshold and reset where asked."""
import numpy as np
import pytest

from pcn_core import network as nw
from pcn_core import simulation as sim
from pcn_core import millivolts


def _net(linear_cost=1e-5):
    kernels = nw.sparse_random_kernels(20, 3, connection_probability=0.7, low=0.06, high=0.1, seed=0)
    return nw.boerlin_network(kernels, np.zeros((3, 3)), decoder_leak=10.0, membrane_leak=20.0,
                              linear_cost=linear_cost, quadratic_cost=1e-6)


def test_threshold_and_reset_map_to_the_chosen_potentials():
    net = _net()
    idx = np.arange(net.n_neurons)
    v = np.stack([net.thresholds, net.thresholds - net.self_reset])
    mv = millivolts.to_millivolts(v, net, idx, threshold_mv=-50.0, reset_mv=-80.0)
    np.testing.assert_allclose(mv[0], -50.0)
    np.testing.assert_allclose(mv[1], -80.0)


def test_without_linear_cost_rest_is_midway_between_threshold_and_reset():
    # ν = 0: reset potential = -T_i, so V = 0 maps to the midpoint
    gain, rest = millivolts.millivolt_map(_net(linear_cost=0.0), threshold_mv=-50.0, reset_mv=-80.0)
    np.testing.assert_allclose(rest, -65.0)
    assert np.all(gain > 0)


def test_a_spike_drops_the_rescaled_potential_by_threshold_minus_reset():
    # single neuron, constant drive: just after each spike V sits one self-reset below
    net = nw.boerlin_network([[0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=20.0,
                             linear_cost=0.01, quadratic_cost=0.001)
    res = sim.simulate(net, np.full(5000, 20.0), 1e-4, record_voltages=[0])
    mv = millivolts.to_millivolts(res.voltages, net, res.voltage_neurons, threshold_mv=-55.0, reset_mv=-70.0)
    k = np.round(res.spike_times / 1e-4).astype(int) - 1  # step index of each spike
    drop = mv[k - 1, 0] - mv[k, 0]
    gain = 15.0 / net.self_reset[0]
    # one step of integration (drive and leak) happens between the two samples
    assert np.all(np.abs(drop - 15.0) < gain * 2e-3)
    assert np.all(mv[k, 0] < -55.0 - 10.0)


def test_bad_input_raises():
    net = _net()
    with pytest.raises(ValueError, match="reset_mv"):
        millivolts.millivolt_map(net, threshold_mv=-50.0, reset_mv=-40.0)
    with pytest.raises(ValueError, match="neurons"):
        millivolts.millivolt_map(net, [25], threshold_mv=-50.0, reset_mv=-80.0)
    with pytest.raises(ValueError, match="voltages"):
        millivolts.to_millivolts(np.zeros((5, 2)), net, [0, 1, 2], threshold_mv=-50.0, reset_mv=-80.0)
    with pytest.raises(TypeError):
        millivolts.millivolt_map("net", threshold_mv=-50.0, reset_mv=-80.0)
    # potentials are checked by name, not passed through float() ("-50" or True would be accepted)
    with pytest.raises(TypeError, match="threshold_mv must be a real number"):
        millivolts.millivolt_map(net, threshold_mv="-50", reset_mv=-80.0)
    with pytest.raises(ValueError, match="reset_mv must be a finite number"):
        millivolts.millivolt_map(net, threshold_mv=-50.0, reset_mv=np.nan)


def test_float_neuron_indices_are_refused_not_truncated():
    # [1.7] used to be read as neuron 1
    net = _net()
    with pytest.raises(TypeError, match=r"neurons must hold integer indices in \[0, 19\]"):
        millivolts.millivolt_map(net, [1.7], threshold_mv=-50.0, reset_mv=-80.0)
    with pytest.raises(TypeError, match=r"neurons must hold integer indices in \[0, 19\]"):
        millivolts.to_millivolts(np.zeros((5, 1)), net, [1.7], threshold_mv=-50.0, reset_mv=-80.0)
    with pytest.raises(TypeError, match="neurons must hold the integer neuron index of each column"):
        millivolts.to_millivolts(np.zeros((5, 20)), net, None, threshold_mv=-50.0, reset_mv=-80.0)
