"""Up states and population analyses (Koren & Denève 2017): known answers on synthetic data."""
import math

import numpy as np
import pytest
import scipy.special

from pcn_core import upstates as up
from pcn_core.network import koren_network
from pcn_core.simulation import simulate

DT = 1e-3


# ------------------------------------------------------------- synchrony, MUA
def test_percent_synchrony_of_alternating_halves_is_50():
    counts = np.tile([10, 10], 50)              # N = 20: half the neurons spike every step
    assert up.percent_synchrony(counts, 20) == pytest.approx(50.0)
    assert up.percent_synchrony(np.r_[np.zeros(99, int), 20], 20) == pytest.approx(1.0)


def test_transition_sharpness():
    assert up.transition_sharpness([50, 50, 0, 0]) == pytest.approx(1.0)
    assert up.transition_sharpness([40, 30, 20, 10, 0]) == pytest.approx(0.25)
    assert up.transition_sharpness([48.8, 46.7, 42.9, 44.1, 20.1, 0]) == pytest.approx(24.0 / 48.8)
    assert math.isnan(up.transition_sharpness([0, 10, 20]))


def test_mua_recursion_equals_direct_convolution_with_the_unnormalised_kernel():
    rng = np.random.default_rng(0)
    counts = rng.poisson(2.0, (3000, 2))
    kernel = np.exp(-50.0 * DT * np.arange(3000))
    mua = up.multi_unit_activity(counts, DT, 50.0)
    for g in range(2):
        np.testing.assert_allclose(mua[:, g], np.convolve(counts[:, g], kernel)[:3000], rtol=1e-10)
    single = np.zeros(10, int)
    single[2] = 1                                # one spike adds exactly 1, then decays
    np.testing.assert_allclose(up.multi_unit_activity(single, DT)[2:], np.exp(-0.05 * np.arange(8)))


# ------------------------------------------------------------------ Up states
def _reference_detector(counts, n, theta, w, gap_steps):
    """Plain-loop reading of koren2017.md §2.3, plus merging of runs whose back-dated onsets overlap."""
    a = [sum(counts[max(0, k - w + 1):k + 1]) for k in range(len(counts))]
    runs, start = [], None
    for k, value in enumerate(a + [-1]):
        if value >= theta * n - 1e-9 and start is None:
            start = k
        elif value < theta * n - 1e-9 and start is not None:
            runs.append([start, k - 1])
            start = None
    merged = []
    for run in runs:
        if merged and (run[0] - merged[-1][1] - 1 < gap_steps or run[0] - (w - 1) <= merged[-1][1]):
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    return [(max(0, f - (w - 1)), last) for f, last in merged]


def _planted(n_steps=3000, seed=1):
    """N = 100, background of 0-3 spikes per step (window count <= 6 < 20), and events of 15 spikes
    per step (window count 30 from the second step on), one step of 40 (peak 0.4)."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 4, n_steps)
    events = [(200, 229), (700, 759), (1300, 1319), (2100, 2189)]
    for s, e in events:
        counts[s:e + 1] = 15
        counts[s + 5] = 40
    return counts, events


def test_planted_events_are_found_with_their_onsets_offsets_durations_and_ibis():
    counts, events = _planted()
    res = up.detect_up_states(counts, 100, DT)
    # first Up step is s + 1 (window count 30), back-dated by W - 1 = 1 step: onset s
    np.testing.assert_array_equal(res.onsets, [s for s, _ in events])
    np.testing.assert_array_equal(res.offsets, [e for _, e in events])
    np.testing.assert_allclose(res.durations, [(e - s + 1) * DT for s, e in events])
    np.testing.assert_allclose(res.ibis, np.diff([s for s, _ in events]) * DT)
    np.testing.assert_allclose(res.peak_fraction, 0.4)
    assert res.frequency == pytest.approx(4 / 3.0)
    assert res.percent_time == pytest.approx(100 * sum(e - s + 1 for s, e in events) / 3000)
    assert not res.at_edges.any()


@pytest.mark.parametrize("gap, n_events", [(9, 1), (10, 2)])
def test_runs_closer_than_the_merge_gap_are_merged(gap, n_events):
    counts = np.zeros(400, int)
    counts[100:130] = 15                    # Up steps 101..129
    counts[129 + gap:160] = 15              # Up steps from 130 + gap: `gap` non-Up steps in between
    res = up.detect_up_states(counts, 100, DT, merge_gap=0.010)
    assert res.n_events == n_events
    assert res.onsets[0] == 100 and res.offsets[-1] == 159


def test_events_at_the_start_and_end_of_the_record():
    counts = np.zeros(100, int)
    counts[:10] = 25                        # Up from step 0 (partial window): onset clipped to 0
    counts[95:] = 15                        # still Up at the last step
    res = up.detect_up_states(counts, 100, DT)
    np.testing.assert_array_equal(res.onsets, [0, 95])
    np.testing.assert_array_equal(res.offsets, [10, 99])   # step 10: window 25 + 0 >= 20
    np.testing.assert_array_equal(res.at_edges, [True, True])
    counts = np.zeros(100, int)
    counts[:3] = 15                         # step 0 alone is below threshold: first Up step 1, onset 0
    res = up.detect_up_states(counts, 100, DT)
    assert (res.onsets[0], res.offsets[0]) == (0, 2)


def test_window_edge_cases_threshold_rounding_and_non_overlap():
    # 0.3 * 10 = 3.0000000000000004 in floating point: a window count of 3 is still Up
    res = up.detect_up_states(np.r_[0, 3, 0, 0], 10, DT, threshold=0.3, window_steps=1, merge_gap=0)
    assert (res.onsets.tolist(), res.offsets.tolist()) == ([1], [1])
    # W = 3, two single-step pulses: Up runs [5, 7] and [9, 11] would overlap once back-dated -> merged
    pulses = np.zeros(20, int)
    pulses[[5, 9]] = 10
    res = up.detect_up_states(pulses, 10, DT, threshold=1.0, window_steps=3, merge_gap=0)
    assert (res.onsets.tolist(), res.offsets.tolist()) == ([3], [11])
    pulses = np.zeros(20, int)
    pulses[[5, 10]] = 10                    # runs [5, 7] and [10, 12]: back-dated onsets 3 and 8
    res = up.detect_up_states(pulses, 10, DT, threshold=1.0, window_steps=3, merge_gap=0)
    assert (res.onsets.tolist(), res.offsets.tolist()) == ([3, 8], [7, 12])


@pytest.mark.parametrize("w, theta, gap", [(1, 0.2, 0.0), (2, 0.2, 0.010), (5, 0.1, 0.004), (5, 0.2, 0.0),
                                           (2, 0.3, 0.0)])
def test_detector_matches_a_plain_loop_reference_on_random_bursty_counts(w, theta, gap):
    rng = np.random.default_rng(w)
    counts = rng.binomial(50, np.where(rng.random(4000) < 0.2, 0.15, 0.01))
    res = up.detect_up_states(counts, 50, DT, threshold=theta, window_steps=w, merge_gap=gap)
    ref = _reference_detector(counts.tolist(), 50, theta, w, gap / DT - 1e-9)
    assert list(zip(res.onsets.tolist(), res.offsets.tolist())) == ref
    assert res.n_events > 5 and np.all(res.onsets[1:] > res.offsets[:-1])
    covered = np.zeros(4000, bool)
    for on, off in zip(res.onsets, res.offsets):
        covered[on:off + 1] = True
    window = np.convolve(counts, np.ones(w, int))[:4000]
    assert covered[window >= math.ceil(theta * 50 - 1e-9)].all()
    np.testing.assert_allclose(res.peak_fraction, [counts[a:b + 1].max() / 50
                                                   for a, b in zip(res.onsets, res.offsets)])


def test_group_detector_uses_each_group_size():
    counts, _ = _planted()
    small = np.minimum(counts // 5, 20)          # a group of 20 neurons
    res = up.detect_group_up_states(np.column_stack((counts, small)), [100, 20], DT)
    for g, (column, size) in enumerate(((counts, 100), (small, 20))):
        ref = up.detect_up_states(column, size, DT)
        np.testing.assert_array_equal(res[g].onsets, ref.onsets)
        np.testing.assert_array_equal(res[g].offsets, ref.offsets)
        np.testing.assert_allclose(res[g].peak_fraction, ref.peak_fraction)
    assert res[1].n_events == 4                  # 3 spikes/step in events: window 6 >= 0.2·20


def test_recruitment_on_a_hand_built_event():
    event = up.UpStates(np.array([10, 30]), np.array([14, 31]), np.array([0.2, 0.1]), DT, 40)
    steps = [10, 12, 14, 11, 13, 14, 15, 9, 30]
    neurons = [0, 0, 0, 3, 5, 5, 7, 7, 2]
    res = up.recruitment(event, steps, neurons, 10)
    np.testing.assert_allclose(res.fraction, [0.3, 0.1])      # neurons {0, 3, 5}, then {2}
    np.testing.assert_allclose(res.median_spikes, [2.0, 1.0])  # median of (3, 1, 2), then 1


def test_step_counts_and_percent_active():
    steps, neurons = [0, 0, 2, 2, 2], [0, 3, 1, 2, 3]
    np.testing.assert_array_equal(up.step_counts(steps, neurons, 4), [2, 0, 3, 0])
    groups = up.step_counts(steps, neurons, 4, group_of_neuron=[0, 0, 1, 1])
    np.testing.assert_array_equal(groups, [[1, 1], [0, 0], [1, 2], [0, 0]])
    np.testing.assert_allclose(up.percent_active(groups, 2), [[50, 50], [0, 0], [50, 100], [0, 0]])


# ------------------------------------------------------------ Gamma and KDE
def test_gamma_fit_recovers_shape_and_scale_within_sampling_error():
    k, theta, n = 3.0, 0.1, 20_000
    sample = np.random.default_rng(2).gamma(k, theta, n)
    fit = up.fit_gamma_ibi(sample)
    trigamma = scipy.special.polygamma(1, k)      # inverse Fisher information of (k, θ)
    se_k = math.sqrt(k / (n * (k * trigamma - 1)))
    se_theta = math.sqrt(trigamma * theta ** 2 / (n * (k * trigamma - 1)))
    assert abs(fit.shape - k) < 4 * se_k and abs(fit.scale - theta) < 4 * se_theta
    assert fit.mean == pytest.approx(fit.shape * fit.scale)
    assert fit.cv == pytest.approx(1 / math.sqrt(fit.shape))


def _matlab_epanechnikov(x, grid, h):
    z = (grid[:, None] - x[None, :]) / h     # MATLAB's unit-variance kernel, support ±√5
    return np.sum(np.where(np.abs(z) < math.sqrt(5), 0.75 * (1 - z ** 2 / 5) / math.sqrt(5), 0), axis=1) / (x.size * h)


def test_kde_uses_matlabs_bandwidth_and_kernel_and_integrates_to_one():
    d = np.random.default_rng(3).gamma(4.0, 0.008, 300)
    mad = np.median(np.abs(d - np.median(d)))
    assert up.matlab_bandwidth(d) == pytest.approx(mad / 0.6745 * (4 / (3 * 300)) ** 0.2)
    grid, density, h = up.epanechnikov_density(d, gridsize=4001)
    assert h == pytest.approx(up.matlab_bandwidth(d)) and grid.size == 4001
    assert grid[0] == pytest.approx(d.min() - math.sqrt(5) * h)
    assert grid[-1] == pytest.approx(d.max() + math.sqrt(5) * h)
    np.testing.assert_allclose(density, _matlab_epanechnikov(d, grid, h), rtol=1e-9, atol=1e-9)
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-4)
    grid, density, h = up.epanechnikov_density(d, bandwidth=0.002)
    assert h == 0.002 and np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(density, _matlab_epanechnikov(d, grid, h), rtol=1e-9, atol=1e-9)


def test_bandwidth_falls_back_to_the_range_when_the_mad_is_zero():
    d = np.array([0.03, 0.03, 0.03, 0.03, 0.05])
    assert up.matlab_bandwidth(d) == pytest.approx(0.02 * (4 / 15) ** 0.2)
    with pytest.raises(ValueError, match="equal"):
        up.matlab_bandwidth([0.03, 0.03])


# ------------------------------------------------------------------- S-MUA
def _smua_brute_force(trials, n_neurons, lag, decay):
    n_steps = trials[0][2]
    kernel = decay ** np.arange(n_steps)

    def filtered(steps, neurons, who=None):
        train = np.zeros(n_steps)
        sel = np.ones(len(steps), bool) if who is None else np.asarray(neurons) == who
        np.add.at(train, np.asarray(steps)[sel], 1.0)
        return np.convolve(train, kernel)[:n_steps]

    diff = np.zeros((n_neurons, 2 * lag + 1))
    spikes = np.zeros(n_neurons)
    for r, (steps, neurons, _) in enumerate(trials):
        steps, neurons = np.asarray(steps), np.asarray(neurons)
        s2, n2, _ = trials[(r + 1) % len(trials)]
        for i in range(n_neurons):
            raw_mua = filtered(steps, neurons) - filtered(steps, neurons, i)
            shuf_mua = filtered(s2, n2) - filtered(s2, n2, i)
            for k in steps[neurons == i]:
                spikes[i] += 1
                for t in range(-lag, lag + 1):
                    if 0 <= k + t < n_steps:
                        diff[i, t + lag] += raw_mua[k + t] - shuf_mua[k + t]
    used = spikes > 0
    return np.mean(diff[used] / spikes[used, None], axis=0), diff.sum(axis=0) / spikes.sum()


def _poisson_trials(rng, n_trials, n_neurons, n_steps, p, events=None, event_fraction=0.5):
    trials = []
    for r in range(n_trials):
        spikes = rng.random((n_steps, n_neurons)) < p
        for k in (events[r] if events is not None else ()):
            spikes[k] |= rng.random(n_neurons) < event_fraction
        steps, neurons = np.nonzero(spikes)
        trials.append((steps, neurons, n_steps))
    return trials


def test_smua_efficient_form_equals_brute_force():
    rng = np.random.default_rng(4)
    events = [rng.integers(0, 60, 3) for _ in range(3)]
    trials = _poisson_trials(rng, 3, 6, 60, 0.12, events)
    trials[0] = (np.r_[trials[0][0], 59, 0], np.r_[trials[0][1], 0, 1], 60)   # spikes on the edges
    keep = trials[1][1] != 4                                            # neuron 4 silent in trial 1
    trials[1] = (trials[1][0][keep], trials[1][1][keep], 60)
    trials = [(s, np.where(n == 5, 4, n), m) for s, n, m in trials]      # neuron 5 never fires
    mean, pooled = _smua_brute_force(trials, 6, 8, math.exp(-50.0 * DT))
    res = up.spike_triggered_mua(trials, 6, DT, max_lag=0.008)
    np.testing.assert_allclose(res.lags, np.arange(-8, 9) * DT)
    np.testing.assert_allclose(res.mean, mean, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(res.pooled, pooled, rtol=1e-9, atol=1e-9)
    assert res.n_neurons_used == 5


def _replicates(make, n_reps=20):
    return np.array([up.spike_triggered_mua(make(np.random.default_rng(100 + s)), 20, DT,
                                            max_lag=0.02).mean for s in range(n_reps)])


def test_smua_is_zero_for_independent_poisson_trains_within_standard_errors():
    reps = _replicates(lambda rng: _poisson_trials(rng, 4, 20, 4000, 0.02))
    se = reps.std(axis=0, ddof=1) / math.sqrt(reps.shape[0])
    assert np.all(np.abs(reps.mean(axis=0)) < 4 * se)
    # the test can fail: a trivial self-peak (+1 at τ = 0) or an uncorrected MUA level (~7.8) is
    # hundreds of standard errors away
    assert se.max() < 0.02


def test_smua_peaks_at_zero_for_trial_specific_synchrony_and_the_shuffle_removes_locked_synchrony():
    def own_events(rng):
        return _poisson_trials(rng, 4, 20, 4000, 0.02, [rng.integers(0, 4000, 40) for _ in range(4)])
    reps = _replicates(own_events)
    mean = reps.mean(axis=0)
    se = reps.std(axis=0, ddof=1) / math.sqrt(reps.shape[0])
    assert np.argmax(mean) == 20 and mean[20] > 20 * se[20]

    def locked_events(rng):           # identical event times and participants in every trial
        times = rng.integers(0, 4000, 40)
        who = rng.random((40, 20)) < 0.5
        trials = []
        for steps, neurons, n in _poisson_trials(rng, 4, 20, 4000, 0.02):
            extra_steps, extra_neurons = np.nonzero(who)
            pairs = np.unique(np.r_[steps * 20 + neurons, times[extra_steps] * 20 + extra_neurons])
            trials.append((pairs // 20, pairs % 20, n))
        return trials
    reps = _replicates(locked_events)
    se = reps.std(axis=0, ddof=1) / math.sqrt(reps.shape[0])
    assert np.all(np.abs(reps.mean(axis=0)) < 4 * se) and abs(reps.mean(axis=0)[20]) < 0.1 * mean[20]


# -------------------------------------------------------------- ± read-out
def test_subpopulation_estimates_add_up_to_the_simulated_readout():
    rng = np.random.default_rng(5)
    w = rng.standard_normal((2, 12))
    net = koren_network(w, leak=10.0, linear_cost=0.5, quadratic_cost=0.5)
    t = DT * np.arange(800)
    command = 300 * np.column_stack((np.sin(2 * np.pi * 2 * t), np.cos(2 * np.pi * 3 * t)))
    sim = simulate(net, command, DT, delay=DT, spike_rule="all", voltage_noise=1.0, seed=6)
    steps = np.round(sim.spike_times / DT).astype(int) - 1          # simulator times are (k + 1)·dt
    assert steps.size > 50
    res = up.subpopulation_readout(w[0], steps, sim.spike_neurons, 800, DT, leak=10.0)
    np.testing.assert_allclose(res.estimate_plus + res.estimate_minus, sim.estimate[:, 0], atol=1e-9)
    assert res.n_plus == np.sum(w[0] > 0) and res.n_minus == np.sum(w[0] < 0)
    assert np.all(res.estimate_plus >= 0) and np.all(res.estimate_minus <= 0)


def test_subpopulation_rate_kernel_has_unit_area_per_neuron():
    w = np.array([1.0, 0.5, -2.0, 0.3])              # three + neurons, one − neuron
    res = up.subpopulation_readout(w, [0, 0], [1, 2], 2000, DT, leak=10.0)
    assert np.sum(res.rate_plus) * DT * 3 == pytest.approx(1.0, rel=1e-9)   # one spike, area 1
    assert np.sum(res.rate_minus) * DT * 1 == pytest.approx(1.0, rel=1e-9)
    np.testing.assert_allclose(res.estimate_plus[:3], 0.5 * 0.99 ** np.arange(3))


# --------------------------------------------------------- error, cost, optimum
def test_error_and_cost_from_running_sums_equal_those_from_trajectories():
    rng = np.random.default_rng(7)
    w = np.array([[3.0, 0.0, 1.0], [4.0, 2.0, 0.0]])       # column norms 5, 2, 1: w̄ = 8/3
    x, xhat = rng.standard_normal((500, 2)), rng.standard_normal((500, 2))
    e1, c1 = up.coding_error_cost(w, 250, target=x, estimate=xhat)
    norms = np.linalg.norm(x - xhat, axis=1)
    e2, c2 = up.coding_error_cost(w, 250, error_norm_sum=float(norms.sum()), n_steps=500)
    assert e1 == pytest.approx(e2) and e1 == pytest.approx(norms.mean() / (2 * 8 / 3))
    assert c1 == c2 == 0.5


def test_optimum_breaks_ties_by_lower_cost_then_by_grid_order():
    nu = np.arange(5.0)
    error = np.array([1.0, 0.6, 0.4, 0.5, 0.9])
    cost = np.array([0.5, 0.2, 0.4, 0.3, 0.1])         # totals 1.5, 0.8, 0.8, 0.8, 1.0
    assert up.optimum(nu, error, cost) == (1.0, 1)
    cost[3] = 0.1                                       # totals ... 0.6 at ν = 3
    assert up.optimum(nu, error, cost) == (3.0, 3)
    assert up.optimum(nu, error, cost, alpha=1.0, beta=0.0)[1] == 2     # error-only optimum
    pairs = np.array([[0, 0], [2, 0], [2, 2]])
    value, index = up.optimum(pairs, [0.3, 0.2, 0.1], [0.0, 0.1, 0.2])  # all totals 0.3: lowest cost
    assert index == 0 and value.tolist() == [0, 0]
    np.testing.assert_allclose(up.total_error(error, cost, 2.0, 0.5), 2 * error + 0.5 * cost)


# ------------------------------------------------------------------- CV2
def test_population_cv2_averages_neurons_with_enough_isis_and_needs_enough_neurons():
    regular = [(np.arange(0, 120, 10) + i, np.full(12, i)) for i in range(25)]   # 11 ISIs, CV2 = 0
    rng = np.random.default_rng(8)
    sparse = [(np.sort(rng.choice(1000, 8, replace=False)), np.full(8, 25 + i)) for i in range(5)]
    steps = np.concatenate([s for s, _ in regular + sparse])
    neurons = np.concatenate([n for _, n in regular + sparse])
    value, n = up.population_cv2(steps, neurons, 30, DT)
    assert value == pytest.approx(0.0, abs=1e-12) and n == 25
    value, n = up.population_cv2(steps, neurons, 30, DT, min_neurons=26)
    assert math.isnan(value) and n == 25
    poisson = np.concatenate([np.cumsum(rng.geometric(0.05, 200)) for _ in range(20)])  # ISIs >= 1 step
    cv, n = up.population_cv2(poisson, np.repeat(np.arange(20), 200), 20, DT)
    assert n == 20 and 0.8 < cv < 1.2                     # near-Poisson trains: CV2 ≈ 1


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, error", [
    (lambda: up.percent_synchrony([1, 21], 20), ValueError),
    (lambda: up.percent_synchrony([1.5, 2], 20), TypeError),
    (lambda: up.percent_synchrony([-1, 2], 20), ValueError),
    (lambda: up.percent_synchrony([], 20), ValueError),
    (lambda: up.percent_synchrony([1, 2], 0), ValueError),
    (lambda: up.multi_unit_activity([1, 2], 0.0), ValueError),
    (lambda: up.multi_unit_activity([1, 2], DT, decay_rate=-1), ValueError),
    (lambda: up.detect_up_states([1, 2], 10, DT, threshold=0), ValueError),
    (lambda: up.detect_up_states([1, 2], 10, DT, threshold=1.5), ValueError),
    (lambda: up.detect_up_states([1, 2], 10, DT, window_steps=0), ValueError),
    (lambda: up.detect_up_states([1, 2], 10, DT, window_steps=2.0), ValueError),
    (lambda: up.detect_up_states([1, 2], 10, DT, merge_gap=-0.01), ValueError),
    (lambda: up.detect_up_states([[1, 2]], 10, DT), ValueError),
    (lambda: up.detect_group_up_states([[1, 2]], [10, 10, 10], DT), ValueError),
    (lambda: up.detect_group_up_states([[1, 5]], [10, 4], DT), ValueError),
    (lambda: up.recruitment("events", [1], [0], 2), TypeError),
    (lambda: up.recruitment(up.UpStates(np.zeros(0, int), np.zeros(0, int), np.zeros(0), DT, 5),
                            [5], [0], 2), ValueError),
    (lambda: up.fit_gamma_ibi([0.1]), ValueError),
    (lambda: up.fit_gamma_ibi([0.1, -0.2, 0.3]), ValueError),
    (lambda: up.fit_gamma_ibi([0.1, 0.1, 0.1]), ValueError),
    (lambda: up.epanechnikov_density([0.01, np.nan]), ValueError),
    (lambda: up.epanechnikov_density([0.01, 0.02], bandwidth=0), ValueError),
    (lambda: up.epanechnikov_density([0.01, 0.02], gridsize=1), ValueError),
    (lambda: up.spike_triggered_mua([([0], [0], 10)], 1, DT), ValueError),
    (lambda: up.spike_triggered_mua([([0], [0], 10), ([0], [0], 12)], 1, DT, max_lag=0.002), ValueError),
    (lambda: up.spike_triggered_mua([([0], [0], 10), ([0], [0], 10)], 1, DT, max_lag=0.0015), ValueError),
    (lambda: up.spike_triggered_mua([([0], [0], 10), ([0], [0], 10)], 1, DT, max_lag=0.01), ValueError),
    (lambda: up.spike_triggered_mua([([0], [1], 10), ([0], [0], 10)], 1, DT, max_lag=0.002), ValueError),
    (lambda: up.spike_triggered_mua([([10], [0], 10), ([0], [0], 10)], 1, DT, max_lag=0.002), ValueError),
    (lambda: up.subpopulation_readout([1.0, 2.0], [0], [0], 10, DT, leak=10.0), ValueError),
    (lambda: up.subpopulation_readout([1.0, -2.0], [0], [0], 10, DT, leak=2000.0), ValueError),
    (lambda: up.coding_error_cost(np.ones((2, 3)), 5), ValueError),
    (lambda: up.coding_error_cost(np.ones((2, 3)), 5, error_norm_sum=1.0), ValueError),
    (lambda: up.coding_error_cost(np.ones((2, 3)), 5, target=np.ones((4, 3)), estimate=np.ones((4, 3))),
     ValueError),
    (lambda: up.coding_error_cost(np.ones((2, 3)), -1, error_norm_sum=1.0, n_steps=3), ValueError),
    (lambda: up.optimum([0, 1], [0.1, np.nan], [0.1, 0.1]), ValueError),
    (lambda: up.optimum([0, 1, 2], [0.1, 0.2], [0.1, 0.1]), ValueError),
    (lambda: up.total_error(0.1, 0.1, alpha=-1), ValueError),
    (lambda: up.population_cv2([1, 1], [0, 0], 1, DT), ValueError),
    (lambda: up.step_counts([0, 4], [0, 0], 4), ValueError),
])
def test_bad_inputs_raise(call, error):
    with pytest.raises(error):
        call()
