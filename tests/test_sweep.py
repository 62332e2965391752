"""pcn_core.sweep: parallel results equal serial ones, the per-cell cache is
reused, resumed, invalidated and repaired, and the Dask path runs on a cluster.

Cell functions are module-level (worker processes import them). Calls are
counted with one file per call in tmp_path, which works across processes.
"""
import json
import functools
import os
import sys
import uuid
from pathlib import Path

import joblib
import numpy as np
import pytest

from pcn_core import sweep
from pcn_core.paths import REPO_ROOT
from pcn_core.sweep import CacheWarning, cache_key, run_sweep


def noisy_cell(mean, n, seed, calls):
    Path(calls, f"{os.getpid()}-{uuid.uuid4().hex}").write_text(repr(mean))
    samples = np.random.default_rng(seed).normal(mean, 1.0, n)
    return {"samples": samples, "total": samples.sum(), "count": n, "label": f"m{mean}"}


def failing_cell(x, seed, calls, flag):
    """Raises for x == 2 until the file ``flag`` exists (a simulated crash on the first run)."""
    Path(calls, f"{os.getpid()}-{uuid.uuid4().hex}").write_text(repr(x))
    if x == 2 and not Path(flag).exists():
        raise RuntimeError("simulated failure")
    return {"y": np.random.default_rng(seed).random(3) + x}


def worker_identity_cell(x, seed):
    from distributed import get_worker

    return {"square": float(x) ** 2, "draw": np.random.default_rng(seed).random(), "worker": get_worker().address}


def numba_dir_cell(x):
    return {"numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR", ""), "x": x}


def square_cell(x):
    return {"square": x * x}


def object_output_cell(x):
    return {"ragged": np.array([np.zeros(1), np.zeros(2)], dtype=object)}


def calls_made(folder):
    return len(list(Path(folder).iterdir()))


@pytest.fixture
def calls(tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    return folder


def grid(calls, n_cells=6):
    return [dict(mean=float(m), n=5, seed=100 + m, calls=str(calls)) for m in range(n_cells)]


def assert_same_results(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert list(a) == list(b)
        for key in a:
            assert type(a[key]) is type(b[key]), key
            np.testing.assert_array_equal(a[key], b[key])


def test_parallel_results_equal_serial_computation(calls):
    cells = grid(calls)
    serial = [sweep._normalise_result(noisy_cell(**cell), "noisy_cell") for cell in cells]
    assert_same_results(run_sweep(noisy_cell, cells, cache_dir=False, n_jobs=2, progress=False), serial)
    assert_same_results(run_sweep(noisy_cell, cells, cache_dir=False, n_jobs=1, progress=False), serial)
    # outputs come back as numpy arrays / numpy scalars, in cell order
    assert isinstance(serial[0]["total"], np.float64) and serial[3]["label"] == "m3.0"


def test_cache_hit_avoids_recomputation_for_any_n_jobs(tmp_path, calls):
    cells = grid(calls)
    first = run_sweep(noisy_cell, cells, cache_dir=tmp_path / "cache", n_jobs=2, progress=False)
    assert calls_made(calls) == len(cells)
    assert len(list((tmp_path / "cache").glob("*/*.npz"))) == len(cells)
    again = run_sweep(noisy_cell, cells, cache_dir=tmp_path / "cache", n_jobs=1, progress=False)
    assert calls_made(calls) == len(cells)  # nothing recomputed
    assert_same_results(first, again)
    # a grown grid computes only its new cells; identical cells are computed once
    bigger = grid(calls, 8) + [grid(calls, 8)[7]]
    run_sweep(noisy_cell, bigger, cache_dir=tmp_path / "cache", n_jobs=1, progress=False)
    assert calls_made(calls) == 8


def test_interrupted_sweep_resumes_from_cache(tmp_path, calls):
    flag = tmp_path / "fixed"
    cells = [dict(x=x, seed=x, calls=str(calls), flag=str(flag)) for x in range(5)]
    with pytest.raises(RuntimeError, match="simulated failure") as info:
        run_sweep(failing_cell, cells, cache_dir=tmp_path / "cache", n_jobs=1, progress=False)
    notes = "\n".join(info.value.__notes__)
    assert "cells[2]" in notes and "1 of 5 cells failed" in notes
    assert calls_made(calls) == 5  # the other cells still ran after the failure...
    assert len(list((tmp_path / "cache").glob("*/*.npz"))) == 4  # ...and were cached
    flag.touch()
    results = run_sweep(failing_cell, cells, cache_dir=tmp_path / "cache", n_jobs=1, progress=False)
    assert calls_made(calls) == 6  # only the failed cell ran again
    fresh = [sweep._normalise_result(failing_cell(**cell), "failing_cell") for cell in cells]
    assert_same_results(results, fresh)


def test_code_version_change_invalidates(tmp_path, calls):
    cells = grid(calls, 3)
    run_sweep(noisy_cell, cells, cache_dir=tmp_path, version="v1", n_jobs=1, progress=False)
    run_sweep(noisy_cell, cells, cache_dir=tmp_path, version="v1", n_jobs=1, progress=False)
    assert calls_made(calls) == 3
    run_sweep(noisy_cell, cells, cache_dir=tmp_path, version="v2", n_jobs=1, progress=False)
    assert calls_made(calls) == 6
    # the default version hashes every pcn_core source file
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    before = sweep.code_version(package)
    (package / "b.py").write_text("y = 2\n")
    with_new_module = sweep.code_version(package)
    (package / "a.py").write_text("x = 10\n")
    changed = sweep.code_version(package)
    assert len({before, with_new_module, changed}) == 3
    # documentation is not code: comments, docstrings and layout keep the version (and the cache)
    (package / "a.py").write_text('"""Module doc."""\n# a comment\nx = (10)  # ten\n\n\n'
                                  'def f(a):\n    """Doc, edited."""\n    return a\n')
    documented = sweep.code_version(package)
    (package / "a.py").write_text('x = 10\ndef f(a):\n    return a\n')
    assert documented == sweep.code_version(package) != changed
    (package / "a.py").write_text('x = 10\ndef f(a):\n    return a + 1\n')
    assert sweep.code_version(package) != documented
    assert cache_key(noisy_cell, cells[0]) == cache_key(noisy_cell, cells[0], sweep._default_version(noisy_cell))


def test_a_module_version_covers_what_it_imports_and_nothing_else(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cells.py").write_text("from . import model\n\ndef cell(x):\n    return model.f(x)\n")
    (package / "model.py").write_text("from .helpers import g\n\ndef f(x):\n    return g(x)\n")
    (package / "helpers.py").write_text("def g(x):\n    return x + 1\n")
    (package / "plots.py").write_text("def draw():\n    return 0\n")
    before = sweep.code_version(package, module="cells")
    (package / "plots.py").write_text("def draw():\n    return 1\n")  # not imported by cells
    assert sweep.code_version(package, module="cells") == before
    (package / "helpers.py").write_text("def g(x):\n    return x + 2\n")  # imported through model
    assert sweep.code_version(package, module="cells") != before
    with pytest.raises(ValueError, match="module must be a module of the package"):
        sweep.code_version(package, module="absent")
    # the default version of a pcn_core cell function follows its own module's imports
    from pcn_core import koren
    assert sweep._default_version(koren.trial) != sweep._default_version(noisy_cell)


def test_editing_the_cell_function_invalidates(tmp_path, monkeypatch):
    import importlib

    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # the edit must not reuse a stale .pyc
    module_file = tmp_path / "edited_cells.py"
    module_file.write_text("def cell(x):\n    return {'y': x + 1}\n")
    module = importlib.import_module("edited_cells")
    before = cache_key(module.cell, dict(x=1))
    module_file.write_text("def cell(x):\n    return {'y': x + 20}\n")
    module = importlib.reload(module)
    assert module.cell(1) == {"y": 21}
    assert cache_key(module.cell, dict(x=1)) != before
    del sys.modules["edited_cells"]


def test_corrupt_cache_file_is_recomputed_with_warning(tmp_path, calls):
    cells = grid(calls, 3)
    first = run_sweep(noisy_cell, cells, cache_dir=tmp_path, n_jobs=1, progress=False)
    victim = sweep.cache_directory("test_sweep.noisy_cell", tmp_path) / f"{cache_key(noisy_cell, cells[1])}.npz"
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])  # a half-written file
    with pytest.warns(CacheWarning, match="unreadable"):
        again = run_sweep(noisy_cell, cells, cache_dir=tmp_path, n_jobs=1, progress=False)
    assert calls_made(calls) == 4
    assert_same_results(first, again)
    with np.load(victim) as repaired:  # repaired in place
        np.testing.assert_array_equal(repaired["samples"], first[1]["samples"])
    # a leftover temporary file from a killed write is never read as a cell
    (victim.parent / f".{victim.name}.dead.tmp").write_bytes(b"partial")
    run_sweep(noisy_cell, cells, cache_dir=tmp_path, n_jobs=1, progress=False)
    assert calls_made(calls) == 4


def test_parameter_canonicalisation():
    def key(**params):
        return cache_key(square_cell, params, "v")

    # numpy scalars are their Python values; key order does not matter
    assert key(x=1.0, seed=3) == key(seed=np.int64(3), x=np.float64(1.0))
    # but int, float and bool stay distinct, and floats are exact
    assert len({key(x=1.0, seed=3), key(x=1, seed=3), key(x=True, seed=3)}) == 3
    assert key(x=np.float32(0.1), seed=3) != key(x=0.1, seed=3)
    assert key(x=0.1 + 0.2, seed=3) != key(x=0.3, seed=3)
    # arrays are keyed by content, dtype and shape; lists and tuples alike
    a = np.arange(6.0)
    assert key(x=a, seed=3) == key(x=a.copy(), seed=3)
    assert key(x=a, seed=3) != key(x=a.reshape(2, 3), seed=3)
    assert key(x=a, seed=3) != key(x=a.astype(np.float32), seed=3)
    assert key(x=[1, 2], seed=3) == key(x=(1, 2), seed=3)
    # version and function are part of the key
    assert key(x=1.0, seed=3) != cache_key(square_cell, dict(x=1.0, seed=3), "w")
    assert key(x=1.0, seed=3) != cache_key(noisy_cell, dict(x=1.0, seed=3), "v")


def test_dask_cluster_runs_the_cells(tmp_path):
    distributed = pytest.importorskip("distributed")
    cells = [dict(x=x, seed=x) for x in range(6)]
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        with joblib.parallel_config(backend="dask"):
            results = run_sweep(worker_identity_cell, cells, cache_dir=tmp_path, progress=False)
        workers = set(client.scheduler_info()["workers"])
    assert {str(r["worker"]) for r in results} <= workers
    assert [r["square"] for r in results] == [float(x) ** 2 for x in range(6)]
    assert [r["draw"] for r in results] == [np.random.default_rng(x).random() for x in range(6)]
    assert len(list(tmp_path.glob("*/*.npz"))) == 6  # the caller wrote the cache


def test_workers_share_the_callers_numba_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "numba"))
    results = run_sweep(numba_dir_cell, [dict(x=x) for x in range(4)], cache_dir=False, n_jobs=2, progress=False)
    assert {str(r["numba_cache_dir"]) for r in results} == {str(tmp_path / "numba")}


def test_cache_location_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("PCN_CACHE_DIR", raising=False)
    assert sweep.cache_directory("koren2017") == REPO_ROOT / "build" / "cache" / "koren2017"
    monkeypatch.setenv("PCN_CACHE_DIR", str(tmp_path / "env"))
    run_sweep(square_cell, [dict(x=2)], name="squares", progress=False, n_jobs=1)
    assert len(list((tmp_path / "env" / "squares").glob("*.npz"))) == 1
    run_sweep(square_cell, [dict(x=2)], name="squares", cache_dir=tmp_path / "arg", progress=False, n_jobs=1)
    assert len(list((tmp_path / "arg" / "squares").glob("*.npz"))) == 1


def test_n_jobs_from_environment(monkeypatch):
    monkeypatch.delenv("PCN_JOBS", raising=False)
    assert sweep._resolve_n_jobs(None) == -1
    monkeypatch.setenv("PCN_JOBS", "3")
    assert sweep._resolve_n_jobs(None) == 3 and sweep._resolve_n_jobs(2) == 2
    monkeypatch.setenv("PCN_JOBS", "many")
    with pytest.raises(ValueError, match="PCN_JOBS"):
        sweep._resolve_n_jobs(None)


def test_collect_results(calls):
    cells = grid(calls, 3)
    results = run_sweep(noisy_cell, cells, cache_dir=False, n_jobs=1, progress=False)
    stacked = sweep.stack_results(results)
    assert stacked["samples"].shape == (3, 5)
    np.testing.assert_array_equal(stacked["total"], stacked["samples"].sum(axis=1))
    frame = sweep.results_frame(cells, results, outputs=["total", "count"])
    assert list(frame.columns) == ["mean", "n", "seed", "calls", "total", "count"]
    np.testing.assert_array_equal(frame["total"], stacked["total"])
    with pytest.raises(ValueError, match="'samples'.*not a scalar"):
        sweep.results_frame(cells, results)


def test_bad_inputs_raise_clear_errors(tmp_path):
    def local_cell(x):
        return {"x": x}

    for function in (lambda x: {"x": x}, local_cell, functools.partial(square_cell)):
        with pytest.raises(TypeError, match="module level"):
            run_sweep(function, [dict(x=1)], cache_dir=False)
    bad_cells = {
        "must be a dict": [[("x", 1)]],
        "non-string key": [{1: 2}],
        "has type object": [dict(x=object())],
        "int seed": [dict(x=np.random.default_rng(0))],
        "object array": [dict(x=np.array([None]))],
        r"does not match .*square_cell": [dict(y=1)],
    }
    for message, cells in bad_cells.items():
        with pytest.raises(TypeError, match=message):
            run_sweep(square_cell, cells, cache_dir=False)
    for n_jobs, error in ((0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="n_jobs"):
            run_sweep(square_cell, [dict(x=1)], cache_dir=False, n_jobs=n_jobs)
    with pytest.raises(TypeError, match="cache_dir"):
        run_sweep(square_cell, [dict(x=1)], cache_dir=True)
    with pytest.raises(ValueError, match="name"):
        run_sweep(square_cell, [dict(x=1)], cache_dir=tmp_path, name="../outside")
    with pytest.raises(TypeError, match="object dtype"):
        run_sweep(object_output_cell, [dict(x=1)], cache_dir=False, n_jobs=1)
    assert run_sweep(square_cell, [], cache_dir=tmp_path) == []


def test_dask_scheduler_from_the_environment_runs_every_sweep_there(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    cells = [dict(x=x, seed=x) for x in range(4)]
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv("PCN_DASK_SCHEDULER", cluster.scheduler_address)
        monkeypatch.setenv("PCN_SWEEP_LOG", str(tmp_path / "sweeps.jsonl"))
        try:
            results = run_sweep(worker_identity_cell, cells, cache_dir=tmp_path, progress=False)
            workers = set(sweep._DASK_CLIENTS[cluster.scheduler_address].scheduler_info()["workers"])
        finally:
            client = sweep._DASK_CLIENTS.pop(cluster.scheduler_address, None)
            if client is not None:
                client.close()
    assert {str(r["worker"]) for r in results} <= workers
    assert [r["draw"] for r in results] == [np.random.default_rng(x).random() for x in range(4)]
    assert len(list(tmp_path.glob("*/*.npz"))) == 4
    # the sweep log names the cluster the cells ran on
    record = json.loads((tmp_path / "sweeps.jsonl").read_text())
    assert record["backend"] == f"dask {cluster.scheduler_address} (2 workers)" and record["computed"] == 4


def test_sweep_log_records_cached_and_computed_cells(tmp_path, calls, monkeypatch):
    log = tmp_path / "sweeps.jsonl"
    monkeypatch.setenv("PCN_SWEEP_LOG", str(log))
    run_sweep(noisy_cell, grid(calls, 3), name="logged", cache_dir=tmp_path / "cache", n_jobs=2, progress=False)
    run_sweep(noisy_cell, grid(calls, 5), name="logged", cache_dir=tmp_path / "cache", n_jobs=1, progress=False)
    first, second = [json.loads(line) for line in log.read_text().splitlines()]
    assert (first["sweep"], first["n_cells"], first["from_cache"], first["computed"]) == ("logged", 3, 0, 3)
    assert (second["from_cache"], second["computed"], second["failed"]) == (3, 2, 0)
    assert first["backend"] == "loky, n_jobs=2" and second["backend"] == "serial"
    assert first["seconds"] >= 0
