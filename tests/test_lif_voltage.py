"""The LIF simulator that also records the membrane potential."""
import numpy as np
import pytest

from pcn_core import lif


def test_voltage_run_gives_the_same_spikes_as_simulate_lif():
    rng = np.random.default_rng(0)
    drive = 16.0 + 8.0 * rng.standard_normal((3, 20000))
    spikes, voltage = lif.simulate_lif_voltage(drive, 1e-4, refractory=0.002, v_reset=-65.0)
    reference = lif.simulate_lif(drive, 1e-4, refractory=0.002, v_reset=-65.0)
    assert voltage.shape == drive.shape
    for a, b in zip(spikes, reference):
        np.testing.assert_array_equal(a, b)
    assert all(a.size > 10 for a in spikes)
    # never at or above threshold at the end of a step; at reset on every spike step
    assert voltage.max() < -55.0
    steps = np.round(spikes[0] / 1e-4).astype(int)
    np.testing.assert_array_equal(voltage[0, steps], -65.0)


def test_subthreshold_voltage_relaxes_exponentially_to_rest_plus_drive():
    dt, tau = 1e-4, 0.02
    _, v = lif.simulate_lif_voltage(np.full(5000, 10.0), dt, tau=tau)
    t = dt * np.arange(1, 5001)
    np.testing.assert_allclose(v, -70.0 + 10.0 * (1 - np.exp(-t / tau)), rtol=0, atol=1e-9)


def test_voltage_run_rejects_bad_input():
    with pytest.raises(ValueError, match="dt=.*too large"):
        lif.simulate_lif_voltage(np.ones(10), 0.01, tau=0.02)
