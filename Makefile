# Two entry points on a fresh clone: `make demo` (the main job) and `make test`.
# Both create .venv in the repository root and install mfn into it (editable).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.mfn-installed

.PHONY: demo test lint install clean tutorials bench bench-check

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The flagship notebooks, executed headless on their defaults into outputs/ (.ipynb + .html).
DEMO_NOTEBOOKS := notebooks/field_simulation.ipynb notebooks/feature_analysis.ipynb notebooks/fractal_exploration.ipynb \
	notebooks/regime_detection.ipynb notebooks/federated_robustness.ipynb notebooks/validation_report.ipynb \
	notebooks/dataset_sweep.ipynb notebooks/turing_patterns.ipynb notebooks/colony_growth.ipynb

demo: $(STAMP)
	$(PY) -m mfn simulate --out outputs/default_run.nc
	$(PY) -m mfn notebook $(DEMO_NOTEBOOKS) --out outputs --html
	@echo "executed notebooks and HTML exports are in outputs/"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r mfn

test: lint
	$(PY) -m pytest mfn tests
	$(PY) -m pytest --nbval tutorials

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
