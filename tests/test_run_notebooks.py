"""tools/run_notebooks.py: notebooks run in parallel respect the sweeps they share."""
import concurrent.futures
import importlib.util
import json
import re
import threading
import time
from pathlib import Path

import pytest

from pcn_core import koren
from pcn_core.notebook import NOTEBOOKS_DIR, notebook_sweep_sources

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(folder: Path, name: str, reads=()):
    meta = {"pcn_core": {"reads_sweeps_of": list(reads)}} if reads else {}
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}))
    return path


class Recorder:
    """A stand-in for papermill: records when each notebook starts and ends."""

    def __init__(self, seconds: dict):
        self.seconds, self.events, self.lock = seconds, [], threading.Lock()
        self.running = self.most_running = 0

    def __call__(self, nb, preset):
        with self.lock:
            self.events.append(("start", nb.stem))
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        time.sleep(self.seconds.get(nb.stem, 0.01))
        with self.lock:
            self.events.append(("end", nb.stem))
            self.running -= 1
        return nb.stem, self.seconds.get(nb.stem, 0.01), None


def test_a_notebook_waits_for_the_sweeps_it_reads_and_the_longest_starts_first(tmp_path):
    paths = [_notebook(tmp_path, "a"), _notebook(tmp_path, "b", reads=["a"]), _notebook(tmp_path, "c"),
             _notebook(tmp_path, "d"), _notebook(tmp_path, "e", reads=["a", "d"])]
    recorder = Recorder({"a": 0.2, "c": 0.05, "d": 0.3})
    last_times = {"d": 300.0, "a": 200.0}  # d was the longest last time, c unknown
    finished = list(_module()._run_all(paths, "quick", 2, last_times, run=recorder,
                                       pool=concurrent.futures.ThreadPoolExecutor(2)))
    assert sorted(name for name, _, _ in finished) == ["a", "b", "c", "d", "e"]  # each once
    assert recorder.most_running == 2
    order = recorder.events
    assert [e for e in order if e[0] == "start"][:2] == [("start", "d"), ("start", "a")]
    for reader, sources in {"b": ["a"], "e": ["a", "d"]}.items():
        for source in sources:
            assert order.index(("end", source)) < order.index(("start", reader))


def test_one_job_runs_in_the_given_order(tmp_path):
    paths = [_notebook(tmp_path, n) for n in "xyz"]
    recorder = Recorder({})
    list(_module()._run_all(paths, "quick", 1, {"z": 99.0}, run=recorder))
    assert [n for kind, n in recorder.events if kind == "start"] == ["x", "y", "z"]


def test_a_cycle_of_sweep_sources_is_refused(tmp_path):
    paths = [_notebook(tmp_path, "p", reads=["q"]), _notebook(tmp_path, "q", reads=["p"])]
    with pytest.raises(ValueError, match="cycle"):
        list(_module()._run_all(paths, "quick", 2, {}, run=Recorder({}),
                                pool=concurrent.futures.ThreadPoolExecutor(2)))


def test_jobs_below_one_is_refused(capsys):
    with pytest.raises(SystemExit):
        _module().main(["--jobs", "0", "--preset", "quick"])
    assert "--jobs must be >= 1, got 0" in capsys.readouterr().err


def _sweep_names(path: Path) -> set:
    """Names passed to run_sweep in a notebook's code (literal or a pcn_core.koren constant)."""
    source = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    return ({literal or getattr(koren, constant)
             for literal, constant in re.findall(r'run_sweep\([^)]*?name=(?:"([^"]+)"|koren\.(\w+))', source)})


def test_declared_sweep_sources_are_notebooks_that_run_the_same_sweep():
    notebooks = {nb.stem: nb for nb in sorted(NOTEBOOKS_DIR.glob("*_fig*.ipynb"))}
    pairs = [(reader, source) for reader, nb in notebooks.items() for source in notebook_sweep_sources(nb)]
    assert pairs  # Koren Figs 7, 9 (Fig 6's grid) and 12 (Fig 10's)
    for reader, source in pairs:
        assert source in notebooks and source != reader
        shared = _sweep_names(notebooks[reader]) & _sweep_names(notebooks[source])
        assert shared, f"{reader} declares it reads {source}'s sweeps but they share no sweep name"


def test_every_sweep_shared_by_notebooks_is_declared():
    """A sweep name run by two notebooks (same cells, computed once) must be declared, else
    `make figures --jobs 2` may compute it twice at once."""
    notebooks = {nb.stem: nb for nb in sorted(NOTEBOOKS_DIR.glob("*_fig*.ipynb"))}
    users = {}
    for name, nb in notebooks.items():
        for sweep in _sweep_names(nb):
            users.setdefault(sweep, []).append(name)
    for sweep, names in users.items():
        readers = [n for n in names if set(notebook_sweep_sources(notebooks[n])) & set(names)]
        assert len(names) - len(readers) <= 1, f"{sweep} is run by {names}: declare reads_sweeps_of"
