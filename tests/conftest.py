"""Shared fixtures: real recordings are optional; tests that need one are skipped
with a reason naming the file and how to get it (``make test`` prints reasons)."""
import pytest

from pcn_core import datasets


def recording_or_skip(key: str):
    """Load recording ``key`` or skip the calling test, saying which file is missing."""
    if not datasets.available(key):
        entry = datasets.REGISTRY[key]
        pytest.skip(f"needs the recording {entry.name} ({key}): run `make data` or set PCN_DATA_DIR")
    return datasets.load_mt() if key == "mt" else datasets.load_h1()


@pytest.fixture(scope="session")
def mt_cells():
    return recording_or_skip("mt")


@pytest.fixture(scope="session")
def h1_recording():
    return recording_or_skip("h1")
