# Two entry points (see README): `make figures` and `make test`.
# Both build the virtual environment in .venv from pyproject.toml if needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# preset for `make figures`: default (committed outputs), quick, or paper
PRESET ?= default
# number of pytest workers for `make test` (CI has 2 cores)
JOBS ?= 2

# numba's on-disk cache survives fresh clones on the same machine
export NUMBA_CACHE_DIR ?= $(HOME)/.cache/pcn_core/numba
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all env figures test unit nbval lab bench clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[notebooks,test]'
	touch $(STAMP)

env: $(STAMP)

figures: $(STAMP)
	$(PY) tools/run_notebooks.py --preset $(PRESET)

test: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadfile tests \
	    --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    notebooks

unit: $(STAMP)
	$(PY) -m pytest -n $(JOBS) tests

nbval: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadfile --nbval-lax --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

bench: $(STAMP)
	$(PY) -m pcn_core.bench

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) build .pytest_cache
