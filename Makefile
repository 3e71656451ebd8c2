# Tally: `make run` starts everything on the embedded defaults; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-fast lint typecheck contracts pytest install clean migrate demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/tally serve --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(BIN)/tally migrate

demo: $(STAMP)
	$(BIN)/tally demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy services shared tally plaid_sandbox

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck contracts pytest

# The fast lane: everything but the tests that need a real server on a port (marked `live`).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not live" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
