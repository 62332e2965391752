"""The bad-input trial of a new user, as a table: each input that once misbehaved
(silently truncated, dropped, clipped or returned nonsense) and the clear error it
now raises, naming the parameter."""
import numpy as np
import pytest

from pcn_core import binning, information, lif, network, signals, simulation, spikestats

NAN = float("nan")
_NET = network.boerlin_network(network.homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10, membrane_leak=20)

# (what was tried, call, exception type, words the message must contain)
BAD_INPUTS = [
    ("non-integer seed", lambda: signals.white_noise(1.0, 0.01, seed=1.5), TypeError, "seed must be None, an integer"),
    ("negative seed", lambda: signals.white_noise(1.0, 0.01, seed=-2), TypeError, "seed must be None, an integer"),
    ("float neuron indices in trains_from_events", lambda: spikestats.trains_from_events([0.1, 0.2], [0.5, 1.0], 3),
     TypeError, "neurons must hold integer indices"),
    ("NaN spike time in trains_from_events", lambda: spikestats.trains_from_events([NAN], [0], 1),
     ValueError, "times must be finite"),
    ("NaN spike time in exponential_rate", lambda: spikestats.exponential_rate([0.1, NAN], 0.0, 1.0, 0.01, 0.05),
     ValueError, "spike_times must be a 1-D array of finite times"),
    ("t_stop = inf in binned_counts", lambda: spikestats.binned_counts([np.array([0.1])], 0.01, 0.0, np.inf),
     ValueError, "t_start and t_stop must be finite"),
    ("t_stop = inf in spike_counts", lambda: spikestats.spike_counts([np.array([0.1])], 0.0, np.inf),
     ValueError, "t_start and t_stop must be finite"),
    ("NaN v0 in simulate_lif", lambda: lif.simulate_lif(np.ones(100), 1e-4, v0=NAN), ValueError, "v0 must be a finite"),
    ("NaN v_rest in simulate_lif", lambda: lif.simulate_lif(np.ones(100), 1e-4, v_rest=NAN), ValueError,
     "v_rest must be a finite"),
    ("binary_entropy(NaN)", lambda: information.binary_entropy(NAN), ValueError, "p must be a probability"),
    ("NaN std of white noise", lambda: signals.white_noise(1.0, 0.01, NAN), ValueError, "std must be a finite"),
    ("NaN mean of smoothed noise", lambda: signals.smoothed_white_noise(1.0, 0.01, 0.1, mean=NAN), ValueError,
     "mean must be a finite"),
    ("NaN std of smoothed noise", lambda: signals.smoothed_white_noise(1.0, 0.01, 0.1, NAN), ValueError,
     "std must be a finite"),
    ("all-zero decoder column", lambda: network.boerlin_network([[0.1, 0.0, -0.1]], [[0.0]], decoder_leak=10,
                                                                 membrane_leak=20), ValueError,
     "decoder columns \\[1\\] are all zero"),
    ("non-integer seed of a simulation", lambda: simulation.simulate(_NET, np.zeros(100), 1e-4, seed=1.5), TypeError,
     "seed must be"),
    ("float neuron index to record", lambda: simulation.simulate(_NET, np.zeros(100), 1e-4, record_voltages=[0.5]),
     TypeError, r"record_voltages must hold integer indices in \[0, 3\]"),
    ("delay longer than the run", lambda: simulation.simulate(_NET, np.zeros(100), 1e-4, delay=0.02, spike_rule="all"),
     ValueError, "delay=0.02 s is not shorter than the run"),
    ("unstable A", lambda: simulation.simulate(network.boerlin_network(network.homogeneous_kernels(4, 0.1), [[50.0]],
                                                                       decoder_leak=10, membrane_leak=20),
                                               np.ones(20_000), 1e-4), ValueError, "A has an eigenvalue with real part 50"),
    ("low-rank profiles of the wrong shape",
     lambda: simulation.simulate(_NET, simulation.LowRankCommand(np.zeros((100, 2)), np.zeros((1, 3))), 1e-4),
     ValueError, "command.profiles must have shape \\(J, R\\) = \\(1, 2\\)"),
    ("NaN in a low-rank time course",
     lambda: simulation.simulate(_NET, simulation.LowRankCommand(np.full((100, 1), NAN), np.ones((1, 1))), 1e-4),
     ValueError, "command.time_courses must contain only finite values"),
    ("lif_rate with the reset above threshold", lambda: lif.lif_rate(20.0, 0.02, -70.0, -50.0, -55.0), ValueError,
     r"v_reset \(-50.0 mV\) must be below v_thresh \(-55.0 mV\)"),
    ("lif_rate with tau = 0", lambda: lif.lif_rate(20.0, 0.0, -70.0, -70.0, -55.0), ValueError,
     "tau must be a finite number > 0 s"),
    ("lif_rate with a negative refractory period", lambda: lif.lif_rate(20.0, 0.02, -70.0, -70.0, -55.0, -0.01),
     ValueError, "refractory must be a finite number >= 0 s"),
    ("lif_rate with a NaN drive", lambda: lif.lif_rate(NAN, 0.02, -70.0, -70.0, -55.0), ValueError,
     "drive must be a finite number mV"),
    ("float neuron count of homogeneous kernels", lambda: network.homogeneous_kernels(4.0, 0.1), TypeError,
     r"n_neurons must be an integer >= 2, got 4.0 \(float\)"),
    ("bool copy count of sparse kernels",
     lambda: network.sparse_random_kernels(4, True, connection_probability=0.5, low=0.1, high=0.2, seed=0), TypeError,
     r"n_copies must be an integer >= 1, got True \(bool\)"),
    ("float neuron count of sparse kernels",
     lambda: network.sparse_random_kernels(4.5, 2, connection_probability=0.5, low=0.1, high=0.2, seed=0), TypeError,
     "n_neurons must be an integer >= 2"),
    ("zero variables of normalized kernels", lambda: network.normalized_random_kernels(0, 5, 0.1, seed=0), ValueError,
     "n_variables must be an integer >= 1, got 0"),
    ("float neuron count of normalized kernels", lambda: network.normalized_random_kernels(2, 5.0, 0.1, seed=0),
     TypeError, "n_neurons must be an integer >= 1"),
    ("fractional counts to spike times", lambda: binning.spike_times_from_counts([1.5, 0.7], 0.001), ValueError,
     "counts must be whole numbers of spikes, got 1.5 in bin 0"),
    ("NaN count to spike times", lambda: binning.spike_times_from_counts([1.0, NAN], 0.001), ValueError,
     "counts must be whole numbers of spikes, got nan in bin 1"),
    ("fractional number of bins", lambda: binning.bin_spikes([0.1], 2.5, 0.1), TypeError,
     r"n_steps must be an integer >= 1, got 2.5 \(float\)"),
    ("zero bins", lambda: binning.bin_spikes([], 0, 0.1), ValueError, "n_steps must be an integer >= 1, got 0"),
    ("fractional number of samples to split", lambda: binning.holdout_split(10.5), TypeError,
     "n_steps must be an integer >= 4"),
    ("too few samples to split", lambda: binning.holdout_split(3), ValueError, "n_steps must be an integer >= 4, got 3"),
]


@pytest.mark.parametrize("tried, call, error, message", BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_raises_a_clear_error(tried, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_sparse_kernels_never_leave_a_neuron_without_a_kernel():
    kernels = network.sparse_random_kernels(400, 2, connection_probability=0.3, low=0.06, high=0.1, seed=0)
    assert np.all(np.any(kernels != 0, axis=0))
    assert np.all(kernels[:, :200] >= 0) and np.all(kernels[:, 200:] <= 0)


def test_whole_valued_float_counts_still_give_spike_times():
    np.testing.assert_array_equal(binning.spike_times_from_counts(np.array([0.0, 2.0, 1.0]), 0.001),
                                  binning.spike_times_from_counts(np.array([0, 2, 1]), 0.001))
