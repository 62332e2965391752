"""Drawing helpers: a subset raster puts each shown neuron on its row, in its colour."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from pcn_core import plotting  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


TIMES = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
NEURONS = np.array([3, 0, 2, 3, 1, 0])


def test_subset_raster_rows_follow_the_order_of_shown(ax):
    plotting.subset_raster(ax, TIMES, NEURONS, [3, 0])
    offsets = ax.collections[0].get_offsets()
    # neuron 3 on row 0, neuron 0 on row 1; neurons 1 and 2 are not drawn
    assert offsets.tolist() == [[0.1, 0.0], [0.2, 1.0], [0.4, 0.0], [0.6, 1.0]]


def test_subset_raster_window_spacing_and_baseline(ax):
    plotting.subset_raster(ax, TIMES, NEURONS, [0, 1, 2, 3], window=(0.2, 0.5), row_height=0.5, baseline=-1.0)
    assert ax.collections[0].get_offsets().tolist() == [[0.2, -1.0], [0.3, 0.0], [0.4, 0.5]]


def test_subset_raster_colours_each_spike_by_its_neuron(ax):
    per_neuron = np.array(["red", "blue", "red", "blue"])   # e.g. kernel signs
    plotting.subset_raster(ax, TIMES, NEURONS, [0, 1, 2, 3], colors=per_neuron)
    drawn = ax.collections[0].get_facecolors()
    expected = [mcolors.to_rgba(per_neuron[n]) for n in NEURONS]
    np.testing.assert_allclose(drawn, expected)


def test_subset_raster_hollow_markers_carry_the_colour_on_their_edges(ax):
    plotting.subset_raster(ax, TIMES, NEURONS, [0, 3], colors="green", size=10, marker="o", hollow=True)
    collection = ax.collections[0]
    assert len(collection.get_facecolors()) == 0
    np.testing.assert_allclose(collection.get_edgecolors()[0], mcolors.to_rgba("green"))


def test_subset_raster_rejects_bad_input(ax):
    with pytest.raises(ValueError, match="same shape"):
        plotting.subset_raster(ax, TIMES, NEURONS[:-1], [0])
    with pytest.raises(ValueError, match="finite"):
        plotting.subset_raster(ax, np.r_[TIMES[:-1], np.nan], NEURONS, [0])
    with pytest.raises(ValueError, match="distinct"):
        plotting.subset_raster(ax, TIMES, NEURONS, [0, 0])
    with pytest.raises(ValueError, match="integer"):
        plotting.subset_raster(ax, TIMES, NEURONS, [0.0, 1.0])
    with pytest.raises(ValueError, match="integer"):
        plotting.subset_raster(ax, TIMES, NEURONS - 1, [0])
    with pytest.raises(ValueError, match="one colour per neuron"):
        plotting.subset_raster(ax, TIMES, NEURONS, [3], colors=["red", "blue"])
    with pytest.raises(ValueError, match="window"):
        plotting.subset_raster(ax, TIMES, NEURONS, [3], window=(0.5, 0.1))
