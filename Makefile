# One task runner. `make help` lists the targets; CI runs `make test` (see .ci/run).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# ../shared/data stands in for the internet on machines without it (tests, CI).
SHARED ?= ../shared
FETCH_FROM ?= $(if $(wildcard $(SHARED)/data),$(SHARED)/data,)
LA ?= E08000027
QUARTER ?= 2026Q1

.DEFAULT_GOAL := help
.PHONY: help setup fetch build report test test-fast lint lab bench browser clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# JupyterLab gets a venv of its own: installed beside the report runtime it adds about a second to every kernel's
# imports (../shared/reference/stack-notes.md). It brings jupytext's JupyterLab extension (open .py notebooks as notebooks)
# and Vega 5 / Vega-Lite 5, which draws the charts with no internet (analysis.charts.display).
LAB_VENV ?= .venv-lab
$(LAB_VENV)/.lab: pyproject.toml
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e '.[lab]'
	touch $@

setup: $(VENV)/.runtime ## create .venv and install what reports need

fetch: setup ## download the registered official files (from FETCH_FROM when set) into data/cache
	$(BIN)/analysis fetch $(if $(FETCH_FROM),--from $(FETCH_FROM))

build: fetch ## build data/build/analysis.duckdb and print its summary
	$(BIN)/analysis build

report: build ## render the default quarterly report (LA=E08000027 QUARTER=2026Q1)
	$(BIN)/analysis report --la $(LA) --quarter $(QUARTER)

browser: ## install Debian's chromium for the browser tests when it is missing (needs root)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package to run tests/e2e"; fi

test: $(VENV)/.test browser ## install test needs and run the whole suite
	$(BIN)/analysis fetch $(if $(FETCH_FROM),--from $(FETCH_FROM))
	$(BIN)/python -m pytest -q

test-fast: $(VENV)/.test ## the suite without the slow and browser tests
	$(BIN)/python -m pytest -q -m "not slow and not e2e"

lint: $(VENV)/.test ## ruff and sqlfluff
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks notebooks
	$(BIN)/sqlfluff lint queries

# notebooks/.jupyter joins the config path: double-click opens a .py notebook as a notebook, and no news or update
# checks go to the internet. The venv's share/jupyter comes first so that its `python3` kernel (the venv's Python,
# with `analysis`) wins over one a user may have installed. Root (containers) needs --allow-root. LAB_ARGS adds more.
lab: $(LAB_VENV)/.lab ## open JupyterLab on the notebooks with the project's kernel
	JUPYTER_CONFIG_PATH="$(CURDIR)/notebooks/.jupyter$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
	JUPYTER_PATH="$(abspath $(LAB_VENV))/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))" \
	  $(LAB_VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

$(VENV)/.bench: pyproject.toml $(VENV)/.test
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(VENV)/.bench build ## build, then run the benchmarks (they print measured ratios)
	$(BIN)/python benchmarks/coding.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/corpus.py

clean: ## remove build outputs (not the fetch cache)
	rm -rf data/build reports/quarterly
