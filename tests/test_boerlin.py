"""Boerlin et al. (2013) shared set-ups: the inhomogeneous integrator and its input."""
import numpy as np
import pytest

from pcn_core import boerlin, network as nw, simulation as sim

PARAMS = dict(n_neurons=40, n_copies=5, connection_probability=0.7, kernel_low=0.06, kernel_high=0.1,
              decoder_leak=10.0, membrane_leak=20.0, linear_cost=1e-5, quadratic_cost=1e-6,
              duration=1.0, dt=1e-3, stimulus_amplitude=20.0, sensory_noise=1.0, input_stop=0.6)


def test_two_pulse_stimulus_moves_an_integrator_up_then_back_by_a_quarter():
    dt = 1e-4
    s = boerlin.two_pulse_stimulus(2.0, dt, 20.0)
    # x = ∫ s dt: +20 for 0.4 s, then -10 for 0.2 s
    x = np.cumsum(s) * dt
    assert x[int(round(0.55 / dt))] == pytest.approx(8.0, rel=1e-6)
    assert x[-1] == pytest.approx(6.0, rel=1e-6)
    custom = boerlin.two_pulse_stimulus(1.0, 0.1, 10.0, second_height=-5.0, second=(0.6, 0.7))
    assert custom.tolist() == [0, 10, 10, 10, 10, 0, -50, 0, 0, 0]


def test_inhomogeneous_integrator_draws_kernels_then_noise_from_one_generator():
    rng = np.random.default_rng(11)
    setup = boerlin.inhomogeneous_integrator(**PARAMS, seed=rng)
    # the same steps by hand, in the same order, from an equal Generator
    ref = np.random.default_rng(11)
    kernels = nw.sparse_random_kernels(40, 5, connection_probability=0.7, low=0.06, high=0.1, seed=ref)
    t = 1e-3 * np.arange(1000)
    noise = np.where(t < 0.6, 1.0 / np.sqrt(1e-3), 0.0) * ref.standard_normal(t.size)
    np.testing.assert_array_equal(setup.kernels, kernels)
    np.testing.assert_array_equal(setup.sensory_noise, noise)
    np.testing.assert_array_equal(setup.network.decoder, kernels)
    assert rng.random() == ref.random()   # a Generator passed in continues its stream
    again = boerlin.inhomogeneous_integrator(**PARAMS, seed=11)
    np.testing.assert_array_equal(again.command, setup.command)


def test_inhomogeneous_integrator_command_drives_every_copy_to_the_same_state():
    setup = boerlin.inhomogeneous_integrator(**PARAMS, seed=3)
    command = setup.command
    assert command.shape == (1000, 5)
    np.testing.assert_array_equal(command, np.repeat((setup.stimulus + setup.sensory_noise)[:, None], 5, axis=1))
    assert np.all(setup.sensory_noise[600:] == 0) and np.all(setup.sensory_noise[:600] != 0)
    res = sim.simulate(setup.network, command, 1e-3)
    # the network is a perfect integrator of its command: every copy of x is the same
    np.testing.assert_allclose(res.target, np.repeat(res.target[:, :1], 5, axis=1))
    assert res.target[-1, 0] == pytest.approx(np.sum(command[:-1, 0]) * 1e-3, rel=1e-9)


def test_inhomogeneous_integrator_rejects_bad_input():
    with pytest.raises(ValueError, match="connection_probability"):
        boerlin.inhomogeneous_integrator(**{**PARAMS, "connection_probability": 1.5}, seed=0)
    with pytest.raises(ValueError, match="density"):
        boerlin.inhomogeneous_integrator(**{**PARAMS, "sensory_noise": -1.0}, seed=0)
    with pytest.raises(TypeError, match="seed"):
        boerlin.inhomogeneous_integrator(**PARAMS, seed=1.5)
