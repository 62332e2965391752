"""Shared fixtures: real recordings are optional and skipped plainly when absent."""
import pytest

from pcn_core import datasets


@pytest.fixture(scope="session")
def mt_cells():
    if not datasets.available("mt"):
        pytest.skip("MT recording nsa2009_1.mat not in the data directory (set PCN_DATA_DIR)")
    return datasets.load_mt()


@pytest.fixture(scope="session")
def h1_recording():
    if not datasets.available("h1"):
        pytest.skip("H1 recording c1p8.mat not in the data directory (set PCN_DATA_DIR)")
    return datasets.load_h1()
