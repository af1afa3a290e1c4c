# openphm: `make demo` and `make test` work from a fresh clone (they create .venv themselves).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint typecheck pytest demo demo-report bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,service,dist,dl]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

# The service on http://127.0.0.1:8000 watching a demo fleet that replays real recordings
# (store in ./openphm-demo; Ctrl-C stops it). demo-report writes the static HTML report instead.
demo: $(STAMP)
	$(BIN)/openphm demo

demo-report: $(STAMP)
	$(BIN)/openphm demo --report-only --out demo-report

bench: $(STAMP)
	$(BIN)/python benchmarks/dm_throughput.py

clean:
	rm -rf $(VENV) demo-report openphm-demo .pytest_cache .mypy_cache .ruff_cache
