"""One spike-time convention in every simulator: a spike found in step k (the interval
[k dt, (k+1) dt)) is stamped at the end of that step, t = (k + 1) dt (README, "Spike times")."""
import numpy as np

from pcn_core import lif
from pcn_core import network as nw
from pcn_core import simulation as sim


def test_lif_stamps_a_spike_at_the_end_of_its_step():
    dt = 1e-4
    trains, voltage = lif.simulate_lif_voltage(np.full(2000, 20.0), dt)
    spikes, v = trains[0], np.ravel(voltage)
    crossing = int(np.flatnonzero(v == -70.0)[0])   # the step whose end-of-step v was reset
    assert spikes[0] == (crossing + 1) * dt
    # from reset, the first spike comes one full interspike interval after t = 0
    np.testing.assert_allclose(spikes[0], np.diff(spikes)[0])


def test_network_stamps_a_spike_at_the_end_of_its_step():
    dt = 1e-4
    net = nw.boerlin_network([[0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=20.0)
    res = sim.simulate(net, np.full(2000, 20.0), dt, record_voltages=[0])
    crossing = int(np.flatnonzero(np.diff(res.voltages[:, 0]) < 0)[0]) + 1  # the step that reset V
    assert res.spike_times[0] == (crossing + 1) * dt
