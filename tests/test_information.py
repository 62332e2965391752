"""ISI entropy and direct information: analytic entropies recovered, Poisson bound met and respected."""
import numpy as np
import pytest

from pcn_core import information as inf, synapses as sy

DT = 1e-3


def test_plugin_entropy_of_known_distributions():
    assert inf.plugin_entropy(np.repeat(np.arange(8), 5)) == pytest.approx(3.0)
    assert inf.plugin_entropy(np.full(10, 4)) == pytest.approx(0.0, abs=1e-12)
    rows = np.array([[1, 1, 2, 2], [3, 3, 3, 3]])
    assert inf.plugin_entropy(rows) == pytest.approx(0.5)


@pytest.mark.parametrize("rate", [4.0, 40.0])
def test_estimator_recovers_entropy_of_discretised_exponential_isis(rate):
    rng = np.random.default_rng(1)
    bins = np.ceil(rng.exponential(1 / rate, 20000) / DT).astype(int)
    est = inf.entropy_estimate(bins, seed=2)
    exact = inf.discretised_exponential_entropy(rate, DT)
    assert abs(est.value - exact) < 4 * est.error + 0.01
    assert est.error < 0.05


def test_extrapolation_removes_most_of_the_small_sample_bias():
    rng = np.random.default_rng(3)
    exact = inf.discretised_exponential_entropy(4.0, DT)  # about 9.4 bits: many bins are populated
    errors_plugin, errors_extrap = [], []
    for _ in range(10):
        bins = np.ceil(rng.exponential(0.25, 1000) / DT).astype(int)
        est = inf.entropy_estimate(bins, seed=rng)
        errors_plugin.append(est.plugin - exact)
        errors_extrap.append(est.value - exact)
    assert np.mean(errors_plugin) < -0.2          # plug-in is biased low
    assert abs(np.mean(errors_extrap)) < 0.5 * abs(np.mean(errors_plugin))


@pytest.mark.parametrize("p", [0.004, 0.04, 0.2])
def test_poisson_bound_is_met_by_a_poisson_train(p):
    # binary string with independent bins: ISIs are geometric, entropy rate h(p)/dt
    spikes = np.flatnonzero(np.random.default_rng(4).random(int(40000 / p)) < p)
    isis = np.diff(spikes)
    rate = 1.0 / (isis.mean() * DT)
    est = inf.entropy_estimate(isis, seed=5)
    bound = inf.poisson_entropy_rate(rate, DT)
    assert est.value * rate == pytest.approx(bound, abs=4 * est.error * rate + 1e-3 * bound)
    assert inf.poisson_entropy_per_spike(rate, DT) * rate == pytest.approx(bound)


def test_poisson_bound_is_never_exceeded():
    rng = np.random.default_rng(6)
    samples = [np.ceil(rng.gamma(shape, 0.05 / shape, 20000) / DT) for shape in (0.5, 1.0, 3.0, 10.0)]
    samples += [rng.integers(20, 30, 20000)]
    samples += [sy.isi_steps(sy.Synapses(snet, nr, pr, 0.3, 0.44), 20000, DT, seed=7)
                for snet, nr, pr in [(1400.0, 1, 1.0), (2400.0, 5, 0.5), (4000.0, 25, 0.3)]]
    for isis in samples:
        isis = isis.astype(int)
        rate = 1.0 / (isis.mean() * DT)
        est = inf.entropy_estimate(isis, seed=8)
        assert est.value * rate <= inf.poisson_entropy_rate(rate, DT) + 3 * est.error * rate


def test_direct_information_limits():
    rng = np.random.default_rng(9)
    total = rng.integers(1, 65, 20000)                      # 6 bits
    noiseless = np.repeat(rng.integers(1, 65, (300, 1)), 50, axis=1)
    pure_noise = rng.integers(1, 65, (300, 200))            # output independent of the input
    full = inf.direct_information(total, noiseless, DT, seed=10)
    none = inf.direct_information(total, pure_noise, DT, seed=11)
    assert full.conditional_entropy == pytest.approx(0.0, abs=1e-9)
    assert full.information_per_spike == pytest.approx(6.0, abs=0.02)
    assert none.information_per_spike == pytest.approx(0.0, abs=4 * none.information_per_spike_error + 0.02)
    assert full.rate == pytest.approx(1.0 / (total.mean() * DT))
    assert full.information_rate == pytest.approx(full.information_per_spike * full.rate)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="integer symbols"):
        inf.plugin_entropy([0.5, 1.5])
    with pytest.raises(ValueError, match="n >= 2"):
        inf.entropy_estimate([1])
    with pytest.raises(ValueError, match="fractions"):
        inf.entropy_estimate(np.arange(100), fractions=(1.0, 1.5, 0.5))
    with pytest.raises(ValueError, match="rate"):
        inf.poisson_entropy_rate(2000.0, DT)
    with pytest.raises(ValueError, match="rate"):
        inf.poisson_entropy_rate(-1.0, DT)
    with pytest.raises(ValueError, match="p must be"):
        inf.binary_entropy(1.5)
    with pytest.raises(ValueError, match="more than one spike per bin"):
        inf.direct_information(np.array([0, 2, 3]), np.ones((2, 3), int), DT)
    with pytest.raises(ValueError, match="2-D"):
        inf.direct_information(np.arange(1, 5), np.arange(1, 5), DT)


def test_poisson_bound_is_one_bit_per_bin_at_half_occupancy_and_zero_without_spikes():
    assert inf.poisson_entropy_rate(250.0, 0.002) == pytest.approx(500.0)
    assert inf.poisson_entropy_rate(0.0, 0.002) == 0.0
    with pytest.raises(ValueError, match="rate must be > 0"):
        inf.poisson_entropy_per_spike(0.0, 0.002)


def test_word_information_recovers_a_binary_symmetric_channel():
    # each 2 ms bin copies a frozen binary stimulus (p = 0.2) with flips of probability 0.05, independently:
    # information per bin h(q) - h(0.05), q = 0.2·0.95 + 0.8·0.05, at every word length
    rng = np.random.default_rng(0)
    stim = rng.random(3000) < 0.2
    resp = np.where(rng.random((100, 3000)) < 0.05, ~stim, stim).astype(int)
    out = inf.word_information(resp, 2e-3, [1, 2, 3], seed=1)
    expected = (inf.binary_entropy(0.2 * 0.95 + 0.8 * 0.05) - inf.binary_entropy(0.05)) / 2e-3
    np.testing.assert_allclose(out["information_rate"], expected, rtol=0.06)
    assert out["extrapolated"] == pytest.approx(expected, rel=0.06)
    with pytest.raises(ValueError, match="word_lengths"):
        inf.word_information(resp, 2e-3, [3])
    with pytest.raises(ValueError, match="repeats"):
        inf.word_information(resp[:1], 2e-3, [1, 2])


def test_direct_summary_holds_the_estimate_and_its_derived_rates():
    d = inf.DirectInformation(resolution=2e-3, rate=20.0, total_entropy=7.0, total_entropy_error=0.3,
                              conditional_entropy=2.5, conditional_entropy_error=0.4)
    row = inf.direct_summary(d)
    assert row["I"] == pytest.approx(row["H"] - row["Hc"]) and row["I"] == pytest.approx(4.5)
    assert row["I_err"] == pytest.approx(0.5)                     # errors add in quadrature
    assert row["I_rate"] == pytest.approx(4.5 * 20.0) and row["I_rate_err"] == pytest.approx(0.5 * 20.0)
    assert row["H_rate"] == pytest.approx(140.0) and row["Hc_rate"] == pytest.approx(50.0)
    assert row["bound"] == pytest.approx(inf.poisson_entropy_rate(20.0, 2e-3))
    assert all(isinstance(v, float) for v in row.values())
    with pytest.raises(TypeError, match="DirectInformation"):
        inf.direct_summary(row)
