# Two entry points on a fresh clone: `make demo` (the main job) and `make test`.
# Both create .venv in the repository root and install mfn into it (editable).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.mfn-installed

.PHONY: demo test lint install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m mfn simulate --out outputs/default_run.nc

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r mfn

test: lint
	$(PY) -m pytest mfn tests

clean:
	rm -rf $(VENV) outputs .pytest_cache
