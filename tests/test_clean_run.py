"""`make test`'s notebook step writes nothing tracked: run it on one notebook and
compare `git status --porcelain` before and after."""
import shutil
import subprocess

import pytest

from pcn_core.paths import REPO_ROOT


def _status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.slow
def test_the_notebook_step_of_make_test_leaves_the_tree_clean():
    if shutil.which("git") is None or shutil.which("make") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("needs a git checkout and make")
    before = _status()
    run = subprocess.run(["make", "nbval", "NOTEBOOKS=notebooks/deneve2016_fig1.ipynb", "JOBS=1"],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
    assert _status() == before
