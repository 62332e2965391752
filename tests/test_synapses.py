"""Unreliable synaptic drive (Zador 1998): release statistics and the first-passage kernels."""
import numpy as np
import pytest
import scipy.stats

from pcn_core import lif, synapses as sy

DT = 1e-3


@pytest.mark.parametrize("contacts, p_release", [(1, 1.0), (1, 0.3), (5, 0.5), (25, 0.9)])
def test_net_release_rate_is_held_fixed(contacts, p_release):
    syn = sy.Synapses(2400.0, contacts, p_release, quantal_cv=0.4)
    counts = sy.afferent_counts(syn, 50.0, DT, seed=1)
    assert counts.mean() == pytest.approx(syn.axon_rate * DT, rel=0.02)
    amp = sy.release_amplitudes(counts, syn, 4, seed=2)
    # mean released quanta per second = S_net whatever N_r and P_r
    assert amp.mean() / DT == pytest.approx(2400.0, rel=0.02)


@pytest.mark.parametrize("contacts, p_release, cv", [(1, 0.7, 0.0), (5, 0.5, 0.3), (3, 1.0, 0.5)])
def test_trial_to_trial_variance_of_a_frozen_step(contacts, p_release, cv):
    # a step with c axon spikes releases n ~ Binomial(c·N_r, P_r) quanta of CV cv:
    # Var = c N_r P_r cv^2 + c N_r P_r (1 - P_r)
    syn = sy.Synapses(1000.0, contacts, p_release, quantal_cv=cv)
    c = 3
    amp = sy.release_amplitudes(np.array([c, 0]), syn, 40000, seed=3)
    n_mean = c * contacts * p_release
    assert amp[:, 0].mean() == pytest.approx(n_mean, rel=0.02)
    assert amp[:, 0].var() == pytest.approx(n_mean * cv ** 2 + n_mean * (1 - p_release), rel=0.05)
    assert np.all(amp[:, 1] == 0)


def test_kernel_matches_simulate_lif_on_the_same_deterministic_input():
    syn = sy.Synapses(2000.0, 2, 1.0, quantal_cv=0.0, epsp_size=0.44)
    rng = np.random.default_rng(4)
    for _ in range(20):
        counts = sy.afferent_counts(syn, 1.0, DT, seed=rng)
        spikes = lif.simulate_lif(sy.synaptic_drive(counts, syn, 1, DT), DT)[0]
        out = np.empty((1, 3), dtype=np.int64)
        sy._first_spikes_frozen(counts[None, :], 3, *sy._kernel_args(syn, sy._neuron(None, DT), DT), rng, out)
        assert spikes.size > 0
        # noiseless synapses: every trial identical; a first spike found in step k is stamped at the
        # end of that step, (k + 1) dt, which is an interval of k + 1 steps from t = 0
        assert np.all(out == round(spikes[0] / DT))


def test_fresh_isis_have_the_distribution_of_a_long_simulate_lif_run():
    syn = sy.Synapses(1800.0, 3, 0.6, quantal_cv=0.3, epsp_size=0.44)
    counts = sy.afferent_counts(syn, 200.0, DT, seed=5)
    spikes = lif.simulate_lif(sy.synaptic_drive(counts, syn, 1, DT, seed=6), DT)[0]
    long_run = np.round(np.diff(spikes) / DT).astype(int)
    fresh = sy.isi_steps(syn, 20000, DT, seed=7)
    assert scipy.stats.ks_2samp(long_run, fresh).pvalue > 1e-3
    assert fresh.mean() == pytest.approx(long_run.mean(), abs=4 * long_run.std() / np.sqrt(long_run.size))


def test_noiseless_synapses_give_identical_trials_even_when_frozen_inputs_are_extended():
    syn = sy.Synapses(1500.0, 1, 1.0, quantal_cv=0.0, epsp_size=0.44)
    # a 5 ms segment is shorter than most ISIs, so inputs must be extended, never dropped
    out = sy.conditional_isi_steps(syn, 30, 5, DT, segment=0.005, seed=8)
    assert np.all(out >= 1)
    assert np.all(out == out[:, :1])
    assert np.any(out[:, 0] > 5)


def test_noisy_synapses_vary_across_trials_and_extension_keeps_the_distribution():
    syn = sy.Synapses(1600.0, 1, 0.7, quantal_cv=0.2, epsp_size=0.44)
    short = sy.conditional_isi_steps(syn, 300, 20, DT, segment=0.01, seed=9)
    long = sy.conditional_isi_steps(syn, 300, 20, DT, segment=2.0, seed=10)
    assert np.mean(short.std(axis=1)) > 0
    assert scipy.stats.ks_2samp(short.ravel()[::20], long.ravel()[::20]).pvalue > 1e-3


def test_renewal_train_and_bad_input():
    assert np.allclose(sy.renewal_train([2, 3], 0.001), [0, 0.002, 0.005])
    with pytest.raises(ValueError, match="release_probability"):
        sy.Synapses(1000.0, release_probability=1.5)
    with pytest.raises(ValueError, match="release_probability"):
        sy.Synapses(1000.0, release_probability=0.0)
    with pytest.raises(ValueError, match="contacts_per_axon"):
        sy.Synapses(1000.0, contacts_per_axon=0)
    with pytest.raises(ValueError, match="net_release_rate"):
        sy.Synapses(-1.0)
    with pytest.raises(ValueError, match="quantal_cv"):
        sy.Synapses(1000.0, quantal_cv=np.nan)
    syn = sy.Synapses(1000.0)
    with pytest.raises(ValueError, match="dt=.*too large"):
        sy.isi_steps(syn, 10, 0.005)
    with pytest.raises(ValueError, match="unknown parameters"):
        sy.isi_steps(syn, 10, DT, neuron={"threshold": -50.0})
    with pytest.raises(ValueError, match="counts"):
        sy.release_amplitudes(np.array([1.5, 2.0]), syn, 2)
    with pytest.raises(ValueError, match="n_trials"):
        sy.conditional_isi_steps(syn, 2, 0, DT)
    with pytest.raises(RuntimeError, match="max_isi"):
        sy.isi_steps(sy.Synapses(200.0), 5, DT, max_isi=0.5)  # far below threshold: never fires
    with pytest.raises(ValueError, match="intervals"):
        sy.renewal_train([1, 0], DT)


def test_renewal_train_refuses_fractional_intervals_and_a_bad_dt():
    np.testing.assert_array_equal(sy.renewal_train(np.array([2.0, 3.0]), 0.001), sy.renewal_train([2, 3], 0.001))
    for bad in ([1.5, 2], [2, np.nan], [2, np.inf]):
        with pytest.raises(ValueError, match=r"intervals must be a 1-D array of integers >= 1 \(steps\)"):
            sy.renewal_train(bad, DT)
    with pytest.raises(ValueError, match="dt must be a finite number > 0 s, got -0.001"):
        sy.renewal_train([2, 3], -0.001)


@pytest.mark.parametrize("call, error, match", [
    (lambda: sy.isi_steps(sy.Synapses(4000.0), 5, DT, max_isi=-1.0), ValueError, "max_isi must be a finite number > 0 s"),
    (lambda: sy.isi_steps(sy.Synapses(4000.0), 5, DT, max_isi=np.nan), ValueError, "max_isi must be a finite number"),
    (lambda: sy.conditional_isi_steps(sy.Synapses(4000.0), 2, 2, DT, segment=np.inf, max_isi=np.inf), ValueError,
     "segment must be a finite number > 0 s, got inf"),
    (lambda: sy.conditional_isi_steps(sy.Synapses(4000.0), 2, 2, DT, max_isi=np.inf), ValueError,
     "max_isi must be a finite number > 0 s, got inf"),
    (lambda: sy.conditional_isi_steps(sy.Synapses(4000.0), 2, 2, DT, segment=3.0, max_isi=2.0), ValueError,
     "need 0 < segment <= max_isi"),
    (lambda: sy.synaptic_drive(np.array([1, 0]), sy.Synapses(1000.0), 1, DT, tau=0.0), ValueError,
     "tau must be a finite number > 0 s, got 0.0"),
    (lambda: sy.synaptic_drive(np.array([1, 0]), sy.Synapses(1000.0), 1, DT, tau=np.nan), ValueError,
     "tau must be a finite number > 0 s"),
])
def test_time_parameters_are_checked_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_transmitted_information_is_the_direct_method_pipeline_in_draw_order():
    sizes = dict(n_intervals=400, n_inputs=4, n_trials=30)
    rng = np.random.default_rng(21)
    first = sy.transmitted_information(2000.0, 2, 0.5, quantal_cv=0.3, epsp_size=0.43, dt=2e-3, seed=rng, **sizes)
    second = sy.transmitted_information(2400.0, 1, 0.7, quantal_cv=0.3, epsp_size=0.43, dt=2e-3, seed=rng, **sizes)
    # by hand from an equal Generator: Synapses -> isi_ensemble -> direct_information, twice
    from pcn_core import information
    ref = np.random.default_rng(21)
    for (estimate, total), args in ((first, (2000.0, 2, 0.5)), (second, (2400.0, 1, 0.7))):
        syn = sy.Synapses(*args, quantal_cv=0.3, epsp_size=0.43)
        t, c = sy.isi_ensemble(syn, sizes["n_intervals"], sizes["n_inputs"], sizes["n_trials"], 2e-3, seed=ref)
        np.testing.assert_array_equal(total, t)
        assert estimate == information.direct_information(t, c, 2e-3, seed=ref)


def test_transmitted_information_of_reliable_synapses_is_the_whole_entropy():
    # no release failures and no quantal noise: a frozen input fixes the ISI, so H(T|Z) = 0 and I = H(T)
    estimate, total = sy.transmitted_information(2400.0, 1, 1.0, quantal_cv=0.0, epsp_size=0.43, n_intervals=2000,
                                                 n_inputs=10, n_trials=50, dt=2e-3, seed=5)
    assert estimate.conditional_entropy == pytest.approx(0.0, abs=1e-9)
    assert estimate.information_per_spike == pytest.approx(estimate.total_entropy)
    assert estimate.rate == pytest.approx(1.0 / (total.mean() * 2e-3))
    noisy, _ = sy.transmitted_information(2400.0, 1, 0.5, quantal_cv=0.5, epsp_size=0.43, n_intervals=2000,
                                          n_inputs=10, n_trials=50, dt=2e-3, seed=5)
    assert noisy.conditional_entropy > 1.0   # failures and quantal noise spread the ISIs of a frozen input


def test_transmitted_information_rejects_bad_input():
    with pytest.raises(ValueError, match="n_intervals"):
        sy.transmitted_information(2400.0, 1, 1.0, quantal_cv=0.0, epsp_size=0.43, n_intervals=0, n_inputs=2,
                                   n_trials=2, dt=2e-3, seed=0)
    with pytest.raises(TypeError, match="seed"):
        sy.transmitted_information(2400.0, 1, 1.0, quantal_cv=0.0, epsp_size=0.43, n_intervals=10, n_inputs=2,
                                   n_trials=2, dt=2e-3, seed="x")
    # counts must be integers: 3.0 and True are refused, not converted
    with pytest.raises(TypeError, match="n_intervals"):
        sy.isi_steps(sy.Synapses(4000.0), 3.0, dt=1e-4, seed=0)
    with pytest.raises(TypeError, match="n_trials"):
        sy.conditional_isi_steps(sy.Synapses(4000.0), 3, True, dt=1e-4, seed=0)


def test_information_table_rows_are_the_loop_over_settings_with_one_generator():
    options = dict(quantal_cv=0.3, epsp_size=0.43, n_intervals=300, n_inputs=4, n_trials=20, dt=2e-3)
    settings = [(2000.0, 1, 1.0), (2000.0, 3, 0.5), (2600.0, 1, 0.3)]
    table = sy.information_table(settings, seed=np.random.default_rng(8), **options)
    from pcn_core import information
    ref = np.random.default_rng(8)
    for row, (s_net, contacts, p) in zip(table.itertuples(), settings):
        estimate, _ = sy.transmitted_information(s_net, contacts, p, seed=ref, **options)
        assert (row.s_net, row.contacts, row.p_release) == (s_net, contacts, p)
        assert row.I == information.direct_summary(estimate)["I"] and row.rate == estimate.rate
    assert len(table) == 3
    with pytest.raises(ValueError, match="triples"):
        sy.information_table([], seed=0, **options)
    with pytest.raises(ValueError, match="triples"):
        sy.information_table([(2000.0, 1)], seed=0, **options)


def test_zador_model_is_checked_and_builds_the_estimate_options():
    model = sy.ZADOR_1998
    assert model.neuron == sy.DEFAULT_NEURON          # the LIF defaults are the Zador neuron
    syn = model.synapses(2400.0, 5, 0.5)
    assert (syn.quantal_cv, syn.epsp_size, syn.axon_rate) == (model.quantal_cv, model.epsp_size, 960.0)
    options = model.estimate_options(n_intervals=1000, n_inputs=10, n_trials=100, sample_scale=4.0, seed=3)
    assert (options["n_intervals"], options["n_inputs"], options["n_trials"]) == (4000, 40, 200)
    assert options["dt"] == model.resolution and options["neuron"] == model.neuron and options["seed"] == 3
    with pytest.raises(ValueError, match="v_reset"):
        model.replace(v_reset=-50.0)
    with pytest.raises(ValueError, match="epsp_size"):
        model.replace(epsp_size=0.0)
    with pytest.raises(TypeError):
        model.replace(threshold=-50.0)                # not a field
    with pytest.raises(ValueError, match="n_trials"):
        model.estimate_options(n_intervals=1000, n_inputs=10, n_trials=1, sample_scale=0.25, seed=0)
    with pytest.raises(TypeError, match="n_inputs"):
        model.estimate_options(n_intervals=1000, n_inputs=10.0, n_trials=100, seed=0)
