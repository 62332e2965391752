"""Target systems of Boerlin 2013 Figs 5-6 and the tuning-curve fits: analytic properties and bad input."""
import math

import numpy as np
import pytest

from pcn_core import linear_systems as ls
from pcn_core import tuning


def test_arm_matrix_integrates_velocity_and_has_friction_eigenvalues():
    A = ls.point_mass_arm(2.0)
    assert np.allclose(A @ [0, 0, 3, 4], [3, 4, -6, -8])
    assert np.allclose(np.sort(np.linalg.eigvals(A).real), [-2, -2, 0, 0])


@pytest.mark.parametrize("friction", [0.0, 1.0, 5.0])
@pytest.mark.parametrize("direction", [0.3, 2.0, -2.5])
def test_euler_reach_reaches_the_target_and_stops(friction, direction):
    dt = 1e-4
    reach = ls.centre_out_reach(direction, distance=0.1, speed=0.5, friction=friction, dt=dt,
                                ramp_time=0.05, start=(0.05, -0.1), hold_time=0.1)
    x = ls.euler_trajectory(ls.point_mass_arm(friction), reach.command, dt)
    t = reach.times + dt
    settled = (t > 0.02) & (t <= reach.movement_start)
    assert np.allclose(x[settled, :2], reach.start, atol=1e-9)  # placed at the start, at rest
    assert np.allclose(x[settled, 2:], 0, atol=1e-9)
    after = t >= reach.movement_stop
    assert np.allclose(x[after, :2], reach.target, atol=1e-4)  # 0.1 mm on a 10 cm reach
    assert np.allclose(x[after, 2:], 0, atol=1e-4)
    speed = np.hypot(x[:, 2], x[:, 3])
    assert speed.max() == pytest.approx(0.5, abs=1e-3)
    heading = np.arctan2(x[speed > 0.1, 3], x[speed > 0.1, 2])
    assert np.allclose(np.angle(np.exp(1j * (heading - direction))), 0, atol=1e-6)


def test_reach_force_is_push_then_pull_and_converges_in_dt():
    errors = []
    for dt in (4e-4, 1e-4, 2.5e-5):
        reach = ls.centre_out_reach(0.0, distance=0.2, speed=1.0, friction=3.0, dt=dt, ramp_time=0.05,
                                    mass=2.0, hold_time=0.05)
        t = reach.times
        push = (t > reach.movement_start + 0.001) & (t < reach.movement_start + 0.049)
        pull = (t > reach.movement_stop - 0.049) & (t < reach.movement_stop - 0.001)
        cruise = (t > reach.movement_start + 0.051) & (t < reach.movement_stop - 0.051)
        fx = reach.force[:, 0]
        assert np.all(fx[push] > 0) and np.all(fx[pull] < 0)
        # mass 2 kg: F = m (dv/dt + friction v) = 2 (20 + 3 v) pushing, 2 * 3 * 1 N cruising
        assert np.allclose(fx[cruise], 6.0)
        assert np.allclose(reach.force[:, 1], 0, atol=1e-12)
        x = ls.euler_trajectory(ls.point_mass_arm(3.0), reach.command, dt)
        errors.append(np.abs(x[-1, :2] - reach.target).max() + np.abs(x[-1, 2:]).max())
    assert errors[-1] < errors[0] / 4  # Euler error shrinks at least linearly with dt


def test_reach_bad_input():
    kw = dict(distance=0.1, speed=0.5, friction=1.0, dt=1e-4, ramp_time=0.05)
    with pytest.raises(ValueError, match="distance"):
        ls.centre_out_reach(0.0, **{**kw, "distance": 0.01})
    with pytest.raises(ValueError, match="friction"):
        ls.centre_out_reach(0.0, **{**kw, "friction": -1.0})
    with pytest.raises(ValueError, match="dt"):
        ls.centre_out_reach(0.0, **{**kw, "dt": 0.02})
    with pytest.raises(ValueError, match="start"):
        ls.centre_out_reach(0.0, start=(0.0, np.nan), **kw)
    with pytest.raises(ValueError, match="friction"):
        ls.point_mass_arm(np.inf)


def test_model_leads_and_their_modes():
    assert np.array_equal(ls.leaky_differentiator(), [[-400, -800], [50, 0]])
    assert np.array_equal(ls.damped_oscillator(), [[-4.8, -22.4], [40, 0]])
    diff = ls.second_order_modes(ls.leaky_differentiator())
    assert diff.damping_ratio == pytest.approx(1.0)  # critically damped: double eigenvalue -200 Hz
    assert diff.decay_rates == pytest.approx((200.0, 200.0), rel=1e-6)
    osc = ls.second_order_modes(ls.damped_oscillator())
    assert osc.decay_rates == pytest.approx((2.4, 2.4))
    assert osc.angular_frequency == pytest.approx(math.sqrt(22.4 * 40 - 2.4 ** 2))
    with pytest.raises(ValueError, match="determinant"):
        ls.second_order_modes([[0.0, 1.0], [1.0, 0.0]])


def test_oscillator_rings_at_the_eigen_frequency_and_decays_at_the_eigen_rate():
    dt = 1e-5
    A = ls.damped_oscillator()
    modes = ls.second_order_modes(A)
    command = np.zeros((int(round(2.0 / dt)), 2))
    command[0, 0] = 1.0 / dt  # unit impulse on x_1
    x2 = ls.euler_trajectory(A, command, dt)[:, 1]
    t = dt * np.arange(1, x2.size + 1)
    up = np.nonzero((x2[:-1] < 0) & (x2[1:] >= 0))[0]  # upward zero crossings, one per period
    period = np.diff(t[up]).mean()
    assert period == pytest.approx(2 * np.pi / modes.angular_frequency, rel=1e-3)
    peaks = [k for k in range(1, x2.size - 1) if x2[k - 1] < x2[k] >= x2[k + 1] and x2[k] > 0]
    decay = -np.polyfit(t[peaks], np.log(x2[peaks]), 1)[0]
    assert decay == pytest.approx(modes.decay_rates[0], rel=1e-2)


def test_differentiator_output_is_the_scaled_derivative_of_a_slow_command():
    dt = 1e-5
    A = ls.leaky_differentiator()
    t = dt * np.arange(int(round(0.5 / dt)))
    slope = 3000.0  # command ramps at 3000 /s²
    command = np.column_stack([slope * t, np.zeros_like(t)])
    x = ls.euler_trajectory(A, command, dt)
    # after many 5 ms time constants: x_1 -> (dc/dt) / (s k), x_2 -> c / s - d (dc/dt) / (s^2 k)
    assert x[-1, 0] == pytest.approx(slope / (800 * 50), rel=1e-3)
    assert x[-1, 1] == pytest.approx(slope * t[-1] / 800 - 400 * slope / (800 ** 2 * 50), rel=1e-3)


def test_von_mises_fit_recovers_known_parameters():
    theta = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    rates = tuning.von_mises(theta, 2.0, 10.0, 1.5, -2.0)
    fit = tuning.fit_von_mises(theta, rates)
    assert (fit.baseline, fit.amplitude, fit.kappa) == pytest.approx((2.0, 10.0, 1.5), rel=1e-4)
    assert fit.preferred == pytest.approx(-2.0, abs=1e-4)
    assert fit.r_squared == pytest.approx(1.0)
    noisy = rates + np.random.default_rng(0).normal(0, 0.5, theta.size)
    assert 0.9 < tuning.fit_von_mises(theta, noisy).r_squared < 1.0
    with pytest.raises(ValueError, match="constant"):
        tuning.fit_von_mises(theta, np.ones(16))
    with pytest.raises(ValueError, match="5 directions"):
        tuning.fit_von_mises(theta[:4], rates[:4])


def test_offset_gain_fit_separates_additive_and_multiplicative_effects():
    reference = tuning.von_mises(np.linspace(0, 2 * np.pi, 16, endpoint=False), 1.0, 8.0, 2.0, 0.5)
    fit = tuning.fit_offset_gain(reference, 3.0 + 0.5 * reference)
    assert (fit.offset, fit.gain, fit.r_squared) == pytest.approx((3.0, 0.5, 1.0))
    with pytest.raises(ValueError, match="constant"):
        tuning.fit_offset_gain(np.ones(5), np.arange(5.0))
    with pytest.raises(ValueError, match="same shape"):
        tuning.fit_offset_gain(reference, reference[:-1])


def test_offset_gain_change_detects_known_changes_and_not_noise():
    rng = np.random.default_rng(1)
    shape = tuning.von_mises(np.linspace(0, 2 * np.pi, 16, endpoint=False), 1.0, 10.0, 2.0, 0.0)

    def trials(offset, gain, n=10):
        return offset + gain * shape[:, None] + rng.normal(0, 1.0, (shape.size, n))

    ref = trials(0.0, 1.0)
    change = tuning.offset_gain_change(ref, trials(0.0, 0.7), trials(2.0, 1.3), n_boot=300, seed=2)
    assert change.gain_change == pytest.approx(0.6, abs=0.1)
    assert change.offset_change == pytest.approx(2.0, abs=0.6)
    assert change.gain_z > 4 and change.offset_z > 3
    # same condition twice: changes within noise (|z| small) in most repeats
    z = [tuning.offset_gain_change(ref, trials(0.0, 1.0), trials(0.0, 1.0), n_boot=200, seed=k).gain_z
         for k in range(20)]
    assert np.mean(np.abs(z) > 2) <= 0.2
    with pytest.raises(ValueError, match="n_trials"):
        tuning.offset_gain_change(ref, ref[:, :1], ref)


def test_damped_sinusoid_fit_recovers_a_noisy_staircase_oscillation():
    t = np.arange(0, 1.0, 1e-4)
    clean = 1.3 * np.exp(-2.4 * t) * np.cos(2 * np.pi * 4.75 * t + 0.7)
    staircase = 0.05 * np.round(clean / 0.05) + np.random.default_rng(0).normal(0, 0.01, t.size)
    fit = ls.fit_damped_sinusoid(t + 5.0, staircase)  # the window's start is time zero
    assert fit.frequency == pytest.approx(4.75, rel=0.01)
    assert fit.decay_rate == pytest.approx(2.4, rel=0.05)
    assert fit.amplitude == pytest.approx(1.3, rel=0.03)
    with pytest.raises(ValueError, match="increasing"):
        ls.fit_damped_sinusoid(t[::-1], staircase)


def test_euler_trajectory_refuses_non_finite_input_and_a_wrong_x0():
    from pcn_core.linear_systems import euler_trajectory
    with pytest.raises(ValueError, match="A and command must be finite"):
        euler_trajectory([[np.nan]], np.zeros((5, 1)), 1e-3)
    with pytest.raises(ValueError, match="x0 must be a finite vector of length 1"):
        euler_trajectory([[-1.0]], np.zeros((5, 1)), 1e-3, x0=[0.0, 1.0])
