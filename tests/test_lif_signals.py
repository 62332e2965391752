"""Single LIF neuron against its analytic rate; input signals' statistics."""
import numpy as np
import pytest

from pcn_core import lif, signals


@pytest.mark.parametrize("drive, refractory", [(16.0, 0.0), (20.0, 0.0), (40.0, 0.002)])
def test_constant_drive_fires_at_analytic_rate_and_converges_in_dt(drive, refractory):
    expected = lif.lif_rate(drive, 0.02, -70.0, -70.0, -55.0, refractory)
    for dt in (4e-4, 1e-4, 2.5e-5):
        n = int(round(5.0 / dt))
        spikes = lif.simulate_lif(np.full(n, drive), dt, refractory=refractory)[0]
        # each ISI is the analytic one rounded up to a whole step: error within one dt
        assert 0 <= np.mean(np.diff(spikes)) - 1.0 / expected <= 1.001 * dt


def test_subthreshold_drive_never_fires():
    assert lif.lif_rate(14.9, 0.02, -70.0, -70.0, -55.0) == 0.0
    assert lif.simulate_lif(np.full(20000, 14.9), 1e-4)[0].size == 0


def test_lif_rejects_bad_input():
    with pytest.raises(ValueError, match="drive must be finite"):
        lif.simulate_lif([1.0, np.inf], 1e-4)
    with pytest.raises(ValueError, match="dt=.*too large"):
        lif.simulate_lif(np.ones(10), 0.01, tau=0.02)
    with pytest.raises(ValueError, match="v_reset"):
        lif.simulate_lif(np.ones(10), 1e-4, v_reset=-50.0)
    with pytest.raises(ValueError, match="refractory"):
        lif.simulate_lif(np.ones(10), 1e-4, refractory=-1.0)
    with pytest.raises(ValueError, match="drive must be a non-empty"):
        lif.simulate_lif(np.ones((2, 2, 2)), 1e-4)


def test_smoothed_white_noise_has_requested_std_and_correlation_time():
    dt, tau = 1e-3, 0.02
    x = signals.smoothed_white_noise(400.0, dt, tau, std=2.0, mean=1.0, seed=3)
    assert x.mean() == pytest.approx(1.0, abs=0.05)
    assert x.std() == pytest.approx(2.0, rel=0.02)
    lag = int(tau / dt)
    z = x - x.mean()
    assert np.mean(z[:-lag] * z[lag:]) / z.var() == pytest.approx(np.exp(-1), abs=0.03)


def test_signals_are_reproducible_and_validated():
    a = signals.white_noise(1.0, 1e-3, shape=2, seed=5)
    assert a.shape == (1000, 2)
    np.testing.assert_array_equal(a, signals.white_noise(1.0, 1e-3, shape=2, seed=5))
    with pytest.raises(ValueError, match="std"):
        signals.white_noise(1.0, 1e-3, std=-1)
    with pytest.raises(ValueError, match="dt"):
        signals.white_noise(1.0, 0.0)
    with pytest.raises(ValueError, match="tau"):
        signals.smoothed_white_noise(1.0, 1e-3, tau=0)
    assert signals.pulse(1.0, 0.1, 0.2, 0.5).tolist() == [0, 0, 1, 1, 1, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("make", [lambda d: signals.time_grid(d, 0.1), lambda d: signals.white_noise(d, 0.1, seed=0),
                                  lambda d: signals.smoothed_white_noise(d, 0.1, 1.0, seed=0),
                                  lambda d: signals.pulse(d, 0.1, 0.0, 1.0)])
def test_a_duration_shorter_than_half_a_step_is_refused(make):
    # round(0.04 / 0.1) = 0 used to give an empty grid; 0.06 s still rounds to one step
    with pytest.raises(ValueError, match=r"duration must be at least half a step, dt / 2 = 0.05 s"):
        make(0.04)
    assert len(make(0.06)) == 1


def test_white_noise_until_has_the_requested_density_then_stops():
    dt, density, stop = 1e-3, 0.5, 300.0
    noise = signals.white_noise_until(400.0, dt, density, stop, seed=6)
    on = signals.time_grid(400.0, dt) < stop
    # per-step s.d. density/√dt: the integrated noise grows as density·√t
    assert noise[on].std() * np.sqrt(dt) == pytest.approx(density, rel=0.01)
    assert noise[on].mean() == pytest.approx(0.0, abs=3 * density / np.sqrt(dt) / np.sqrt(on.sum()))
    assert np.all(noise[~on] == 0)


def test_white_noise_until_draws_every_step_so_later_draws_ignore_stop():
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    early = signals.white_noise_until(1.0, 1e-3, 1.0, 0.2, seed=a)
    late = signals.white_noise_until(1.0, 1e-3, 1.0, 0.8, seed=b)
    np.testing.assert_array_equal(early[:200], late[:200])
    assert a.random() == b.random()   # the Generators are at the same point of their streams


def test_white_noise_until_rejects_bad_input():
    with pytest.raises(ValueError, match="density"):
        signals.white_noise_until(1.0, 1e-3, -1.0, 0.5)
    with pytest.raises(ValueError, match="stop"):
        signals.white_noise_until(1.0, 1e-3, 1.0, np.nan)
    with pytest.raises(ValueError, match="dt"):
        signals.white_noise_until(1.0, 0.0, 1.0, 0.5)
    with pytest.raises(TypeError, match="seed"):
        signals.white_noise_until(1.0, 1e-3, 1.0, 0.5, seed="abc")


def test_smoothed_white_noise_stream_equals_the_whole_signal_for_any_chunks():
    from pcn_core import signals as sg

    stream = sg.SmoothedWhiteNoiseStream(1e-3, 0.02, 3.0, mean=-1.0, shape=2, seed=4)
    chunks = np.concatenate([stream.take(n) for n in (1, 2, 997, 3000)])
    whole = sg.smoothed_white_noise(4.0, 1e-3, 0.02, 3.0, mean=-1.0, shape=2, seed=4)
    assert np.array_equal(chunks, whole)
    with pytest.raises(ValueError, match="tau"):
        sg.SmoothedWhiteNoiseStream(1e-3, 0.0)
    with pytest.raises(TypeError, match="n_steps"):
        stream.take(2.0)
