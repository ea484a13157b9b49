# Two entry points (see README): `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/baseline.yaml

.PHONY: run test test-slow lint bench venv explore

$(PY):
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	echo "creating $(VENV) with $$PYBIN"; \
	"$$PYBIN" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "installing flashpoint and its dependencies into $(VENV) (1-2 minutes the first time)"
	$(PY) -m pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $(VENV)/.installed-explore $@

$(VENV)/.installed-explore: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[explore]'
	touch $(VENV)/.installed $@

explore: $(VENV)/.installed-explore
	$(VENV)/bin/flashpoint explore

run: $(VENV)/.installed
	$(VENV)/bin/flashpoint run $(SCENARIO)

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check sim analysis tests benchmarks
	$(PY) -m pytest -q -n auto

test-slow: $(VENV)/.installed-test
	$(PY) -m pytest -q -n auto -m 'slow and not browser'
	$(PY) -m pytest -q -m 'slow and browser'

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_engine.py
