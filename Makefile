# Two entry points (see README): `make figures` and `make test`.
# Both build the virtual environment in .venv from pyproject.toml if needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# preset for `make figures`: default (committed outputs), quick, or paper
PRESET ?= default
# processes at once: pytest workers for `make test`, notebooks for `make figures` (CI has 2 cores)
JOBS ?= 2

# numba's on-disk cache survives fresh clones on the same machine
export NUMBA_CACHE_DIR ?= $(HOME)/.cache/pcn_core/numba
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# batch runs: no progress bars (they carry timings) in executed notebooks
export PCN_PROGRESS := 0
# one BLAS thread per process: the test workers and sweep workers already fill the cores, and
# threads on top of them oversubscribe (Boerlin Fig 7's nbval: 4.4 min single-threaded, 7.7 with
# OpenBLAS threads on 2 cores); also keeps the GLM fits independent of the machine's core count
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# -rs prints why each skipped test was skipped (e.g. a recording that is absent)
PYTEST := $(PY) -m pytest -n $(JOBS) --dist loadfile -rs
# the examples in pcn_core's docstrings run as tests
DOCTEST := --doctest-modules pcn_core
# notebooks checked by `make nbval` (all by default)
NOTEBOOKS ?= notebooks
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: all env data figures test unit nbval lab bench brian2-env clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[notebooks,test]'
	touch $(STAMP)

env: $(STAMP)

# download the real recordings into the user's cache (or PCN_DATA_DIR), checksummed
data: $(STAMP)
	$(PY) -m pcn_core.datasets

figures: $(STAMP)
	$(PY) tools/run_notebooks.py --preset $(PRESET) --jobs $(JOBS)

# the test run must leave tracked files as it found them (tools/unchanged.sh)
test: $(STAMP)
	tools/unchanged.sh $(PYTEST) tests $(DOCTEST) $(NBVAL) notebooks

unit: $(STAMP)
	$(PYTEST) tests $(DOCTEST)

nbval: $(STAMP)
	tools/unchanged.sh $(PYTEST) $(NBVAL) $(NOTEBOOKS)

# the benchmark compares the simulator with Brian2 (cpp_standalone, needs g++) in the same run
bench: $(STAMP) brian2-env
	$(PY) -m pcn_core.bench

# Brian2 in its own environment (build/, untracked): Brian2 2.9, the last release for
# Python 3.11, does not import with NumPy >= 2.4. `python -m pcn_core.bench` finds it there.
BRIAN2_VENV := build/brian2-venv
brian2-env: $(BRIAN2_VENV)/.installed-stamp

$(BRIAN2_VENV)/.installed-stamp: pyproject.toml
	$(PYTHON) -m venv $(BRIAN2_VENV)
	$(BRIAN2_VENV)/bin/python -m pip install --quiet "numpy<2.4" "brian2>=2.9"
	touch $@

# JupyterLab refuses to run as root without --allow-root (common in containers)
lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

clean:
	rm -rf $(VENV) build .pytest_cache
