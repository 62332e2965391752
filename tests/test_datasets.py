import numpy as np
import pytest

from pcn_core import datasets


def test_h1_matches_sources_md(h1_recording):
    assert h1_recording.spikes.size == 600_000 and h1_recording.dt == 0.002
    assert h1_recording.spikes.sum() == 53_601
    assert h1_recording.spikes[150:].sum() == 53_583
    assert np.std(h1_recording.stimulus) == pytest.approx(50.534, abs=1e-3)


def test_mt_spike_count_header_is_dropped(mt_cells):
    assert len(mt_cells) == 52
    assert sum(len(c.trials) for c in mt_cells) == 3519
    assert sum(t.size for c in mt_cells for t in c.trials) == 201_560
    times = np.concatenate([t for c in mt_cells for t in c.trials])
    assert times.min() >= 0.001 and times.max() <= 2.0


def test_missing_data_says_where_to_get_it(tmp_path):
    assert not datasets.available("h1", tmp_path)
    with pytest.raises(datasets.DataNotFoundError, match="PCN_DATA_DIR"):
        datasets.load_h1(tmp_path)
    with pytest.raises(ValueError, match="key must be one of"):
        datasets.available("v4")
