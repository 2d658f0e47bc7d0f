# Two entry points on a fresh clone: `make demo` (the main job) and `make test`.
# Both create .venv in the repository root and install into it the locked environment
# (requirements.lock: every package of mfn[test,binder] pinned with its hashes), then mfn
# itself (editable, without resolving anything). `make lock` refreshes the lock on purpose.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.mfn-installed
LOCK := requirements.lock
# The lock is resolved for the machines it is tested on (CI and Binder: Linux x86_64, Python 3.11).
UV := uv==0.13.9
LOCK_ARGS := pyproject.toml --extra test --extra binder --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --generate-hashes -o $(LOCK)

.PHONY: demo test lint install clean tutorials bench bench-check lock lock-upgrade

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m mfn.simulation.compile  # numba's on-disk cache: no later process compiles the kernels again
	touch $(STAMP)

# Refresh the lock after editing pyproject.toml: keeps every pin that still satisfies it.
lock: | $(PY)
	$(PY) -m pip install --quiet $(UV)
	$(VENV)/bin/uv pip compile $(LOCK_ARGS)

# Move every pin to the newest release pyproject.toml allows (then run `make test`).
lock-upgrade: | $(PY)
	$(PY) -m pip install --quiet $(UV)
	$(VENV)/bin/uv pip compile --upgrade $(LOCK_ARGS)

install: $(STAMP)

# The flagship notebooks, executed headless on their defaults into outputs/ (.ipynb + .html).
DEMO_NOTEBOOKS := notebooks/field_simulation.ipynb notebooks/feature_analysis.ipynb notebooks/fractal_exploration.ipynb \
	notebooks/regime_detection.ipynb notebooks/federated_robustness.ipynb notebooks/validation_report.ipynb \
	notebooks/dataset_sweep.ipynb notebooks/turing_patterns.ipynb notebooks/colony_growth.ipynb \
	notebooks/real_networks.ipynb

demo: $(STAMP)
	$(PY) -m mfn simulate --out outputs/default_run.nc
	$(PY) -m mfn notebook $(DEMO_NOTEBOOKS) --out outputs --html
	@echo "executed notebooks and HTML exports are in outputs/"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r mfn

# The suite and the tutorials (nbval) run in one session on TEST_WORKERS processes (pytest-xdist):
# the workers start once and both stay busy to the end. loadgroup keeps the tests sharing one
# expensive session result (@pytest.mark.xdist_group, tests/conftest.py) on one worker, and each
# tutorial's cells in order on one kernel (tutorials/conftest.py puts them in one group).
# `make test TEST_WORKERS=0` runs serially.
TEST_WORKERS ?= 2

test: lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --nbval mfn tests tutorials

# Performance: the side-by-side table (README "Performance"), and the CI gate on its ratios
# (9 alternating repetitions: steady on a noisy 2-core machine; absolute times never gate).
bench: $(STAMP)
	$(PY) -m mfn bench --repeats 9

bench-check: $(STAMP)
	$(PY) -m mfn bench --check --repeats 9

# Re-execute the tutorials in place after editing them (they are stored with their outputs).
tutorials: $(STAMP)
	cd tutorials && ../$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace *.ipynb

clean:
	rm -rf $(VENV) outputs .pytest_cache
