"""The dense path allocates one N×N matrix: building Ω_f makes no other N×N temporary,
and a run reads the stored matrix (its rows are its columns) instead of copying it."""
import tracemalloc

import numpy as np
import pytest

from pcn_core.network import Network, boerlin_network, koren_network, normalized_random_kernels
from pcn_core.simulation import simulate

N_LARGE = 4000
MATRIX_BYTES = N_LARGE * N_LARGE * 8


def _peak_bytes(build):
    """Peak traced allocation (bytes) above the start while ``build()`` runs, and its result."""
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = build()
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    return peak, result


@pytest.fixture(scope="module")
def large_dense():
    kernels = normalized_random_kernels(3, N_LARGE, 1.0, seed=0)
    peak, net = _peak_bytes(lambda: boerlin_network(kernels, -10 * np.eye(3), decoder_leak=10.0,
                                                     membrane_leak=10.0, linear_cost=3.0,
                                                     quadratic_cost=0.05, dense=True))
    return peak, net


def test_building_dense_fast_weights_allocates_one_matrix(large_dense):
    peak, net = large_dense
    assert net.fast_weights.nbytes == MATRIX_BYTES
    # the stored matrix plus strips of a few hundred rows, never a second N×N array
    assert peak < 1.1 * MATRIX_BYTES


def test_dense_fast_weights_are_exactly_symmetric_and_match_the_low_rank_form(large_dense):
    _, net = large_dense
    omega = net.fast_weights
    assert np.array_equal(omega, omega.T)
    rows = [0, 1, 2345, N_LARGE - 1]
    expected = -(net.decoder[:, rows].T @ net.decoder)
    expected[np.arange(len(rows)), rows] -= net.quadratic_cost * net.decoder_leak ** 2
    np.testing.assert_allclose(omega[rows], expected, rtol=1e-12, atol=1e-12)


def test_a_dense_run_makes_no_copy_of_the_matrix(large_dense):
    _, net = large_dense
    command = np.zeros((20, 3))
    simulate(net, command, 1e-4, delay=1e-3, spike_rule="all")   # compile or load the kernel first
    peak, _ = _peak_bytes(lambda: simulate(net, command, 1e-4, delay=1e-3, spike_rule="all"))
    assert peak < 0.1 * MATRIX_BYTES


def test_a_non_symmetric_matrix_is_still_delivered_by_columns():
    """A hand-made Network whose Ω_f is not symmetric: a spike of j adds column j (the copied path)."""
    base = koren_network([[1.0, -1.0, 0.5]], leak=10.0, linear_cost=0.1, dense=True)
    omega = np.array(base.fast_weights)
    omega[2, 0] += 0.3                     # only neuron 2 feels neuron 0's spikes differently
    net = Network(decoder=base.decoder, A=base.A, decoder_leak=base.decoder_leak,
                  membrane_leak=base.membrane_leak, linear_cost=base.linear_cost,
                  quadratic_cost=base.quadratic_cost, thresholds=base.thresholds,
                  self_reset=base.self_reset, fast_weights=omega)
    command = np.zeros((3, 1))
    # neuron 0 fires in step 0 (it starts above threshold even after one step of leak), nothing else
    start = np.array([base.thresholds[0] + 0.1, -5.0, -5.0])
    runs = [simulate(n, command, 1e-3, initial_voltage=start, record_voltages=[0, 1, 2], delay=1e-3,
                     spike_rule="all") for n in (base, net)]
    assert [r.spike_neurons.tolist() for r in runs] == [[0], [0]]
    # the spike arrives at the start of step 2 (one step of delay), before that step's leak:
    # V(step 2) = (V(step 1) + Ω_f[:, 0]) (1 - λ dt), no input
    leak_factor = 1 - 10.0 * 1e-3
    jump = [r.voltages[2] / leak_factor - r.voltages[1] for r in runs]
    np.testing.assert_allclose(jump[1] - jump[0], [0.0, 0.0, 0.3], atol=1e-12)
