"""Recordings: registry checksums, fetching from a (local) server, and clear errors
for missing, corrupt or truncated files and mistyped folders."""
import functools
import hashlib
import http.server
import os
import threading

import numpy as np
import pytest

from pcn_core import datasets, paths


def test_h1_matches_its_documented_check_values(h1_recording):
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


class _Server:
    """A loopback HTTP server for one folder, counting the requests it answers."""

    def __init__(self, folder):
        self.requests = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                outer.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def fake_recording(tmp_path, monkeypatch):
    """A registry entry for a small file served from tmp_path/served."""
    served = tmp_path / "served"
    served.mkdir()
    payload = np.random.default_rng(0).bytes(4096)
    (served / "fake.bin").write_bytes(payload)
    entry = datasets.DataFile(name="fake.bin", sha256=hashlib.sha256(payload).hexdigest(), size=len(payload),
                              url="http://127.0.0.1:9/unused", description="test", citation="-", licence="-")
    monkeypatch.setitem(datasets.REGISTRY, "fake", entry)
    return served, entry


def test_fetch_downloads_verifies_and_does_not_download_twice(tmp_path, fake_recording):
    served, entry = fake_recording
    target = tmp_path / "cache"
    with _Server(served) as server:
        path = datasets.fetch("fake", directory=target, base_url=server.url)["fake"]
        assert path.read_bytes() == (served / "fake.bin").read_bytes()
        datasets.fetch("fake", directory=target, base_url=server.url)
    assert len(server.requests) == 1
    assert datasets.available("fake", target)


def test_fetch_of_corrupt_bytes_names_the_file_and_checksum(tmp_path, fake_recording):
    served, entry = fake_recording
    (served / "fake.bin").write_bytes(b"not the registered bytes")
    with _Server(served) as server, pytest.raises(datasets.DataChecksumError, match=f"fake.bin.*{entry.sha256}"):
        datasets.fetch("fake", directory=tmp_path / "cache", base_url=server.url)
    assert not (tmp_path / "cache" / "fake.bin").exists()  # nothing half-verified is left behind


def test_truncated_or_corrupt_local_file_is_refused(tmp_path, fake_recording):
    served, entry = fake_recording
    good = (served / "fake.bin").read_bytes()
    (tmp_path / "fake.bin").write_bytes(good[:100])
    with pytest.raises(datasets.DataChecksumError, match=f"100 bytes, expected {entry.size}"):
        datasets.verify("fake", tmp_path / "fake.bin")
    (tmp_path / "fake.bin").write_bytes(bytes(len(good)))
    with pytest.raises(datasets.DataChecksumError, match=f"sha256 .* expected {entry.sha256}"):
        datasets.verify("fake", tmp_path / "fake.bin")


def test_real_recordings_match_the_registry_through_a_local_server(tmp_path):
    """The registry's sizes and checksums are those of the real files (needs them)."""
    folder = os.environ.get("PCN_DATA_DIR")
    present = [k for k in datasets.REGISTRY if folder and (paths.Path(folder) / datasets.REGISTRY[k].name).is_file()]
    if not present:
        pytest.skip("needs the recordings c1p8.mat / nsa2009_1.mat in PCN_DATA_DIR (run `make data`)")
    with _Server(folder) as server:
        fetched = datasets.fetch(present, directory=tmp_path, base_url=server.url)
    for key, path in fetched.items():
        assert path.stat().st_size == datasets.REGISTRY[key].size


def test_missing_recording_says_how_to_get_it(tmp_path):
    assert not datasets.available("h1", tmp_path)
    with pytest.raises(datasets.DataNotFoundError, match="make data"):
        datasets.load_h1(tmp_path)
    with pytest.raises(ValueError, match="key must be one of"):
        datasets.available("v4")


def test_a_folder_that_does_not_exist_is_an_error_not_a_skip(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="data_dir"):
        datasets.available("h1", tmp_path / "typo")
    monkeypatch.setenv("PCN_DATA_DIR", str(tmp_path / "typo"))
    with pytest.raises(FileNotFoundError, match="PCN_DATA_DIR"):
        datasets.load_mt()


def test_h1_recording_spike_times_are_the_bin_centres_the_bialek_notebooks_use():
    from pcn_core.binning import bin_spikes, spike_times_from_counts
    from pcn_core.datasets import H1Recording
    spikes = np.zeros(500, dtype=np.int64)
    spikes[[3, 40, 41, 499]] = 1
    rec = H1Recording(stimulus=np.zeros(500), spikes=spikes, dt=0.002)
    np.testing.assert_allclose(rec.spike_times, spike_times_from_counts(spikes, 0.002))
    np.testing.assert_allclose(rec.spike_times, (np.array([3, 40, 41, 499]) + 0.5) * 0.002)
    # re-binning the times gives the recording back, the last bin included
    np.testing.assert_array_equal(bin_spikes(rec.spike_times, spikes.size, 0.002), spikes)
