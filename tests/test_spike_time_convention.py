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


def test_windows_over_a_run_hold_its_last_step():
    """Windows of a simulation result are (t0, t1]: a window on the step grid holds exactly the
    steps that run from t0 to t1, so a run's last-step spikes (stamped at its end T) count."""
    dt = 1e-4
    net = nw.boerlin_network([[0.5, -0.5]], [[-10.0]], decoder_leak=10.0, membrane_leak=20.0)
    command = np.full(2000, 20.0)
    first = sim.simulate(net, command, dt, voltage_noise=0.05, seed=3)
    last_step = int(round(first.spike_times[-1] / dt)) - 1
    # the same run cut right after a spiking step: that spike is stamped at the run's end T
    res = sim.simulate(net, command[: last_step + 1], dt, voltage_noise=0.05, seed=3)
    T = res.duration
    assert res.spike_times[-1] == (last_step + 1) * dt == T
    np.testing.assert_allclose(res.rates() * T, res.spike_counts)
    np.testing.assert_allclose(res.rates(0.0, T).sum() * T, res.n_spikes)
    # splitting the run at a step boundary splits its spikes exactly
    mid = 0.1
    both = res.rates(0.0, mid) * mid + res.rates(mid, T) * (T - mid)
    np.testing.assert_allclose(both, res.spike_counts)
    # summary mode stores the same spikes for the window (0, T]
    summary = sim.simulate(net, command[: last_step + 1], dt, voltage_noise=0.05, seed=3, record="summary",
                           spike_windows=[(0.0, T)])
    np.testing.assert_array_equal(summary.spike_times, res.spike_times)

