# Tally: `make run` starts everything on the embedded defaults; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-fast lint typecheck contracts graphql-contract schema pytest install clean migrate demo

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

# The published GraphQL contract: regenerate it after changing the schema.
schema: $(STAMP)
	$(BIN)/tally schema --output schema.graphql

# The contract as third-party clients meet it: a Relay client compiles against it and it lints
# clean (Node.js tools, locked in contract/package-lock.json).
contract/node_modules/.installed: contract/package.json contract/package-lock.json
	@command -v npm >/dev/null || { echo "make: the GraphQL contract check needs Node.js 20+ and npm" >&2; exit 1; }
	cd contract && npm ci --no-audit --no-fund --loglevel=error
	touch $@

graphql-contract: contract/node_modules/.installed
	mkdir -p contract/client/__generated__
	cd contract && npx --no-install relay-compiler
	cd contract && npx --no-install graphql-schema-linter ../schema.graphql

test: lint typecheck contracts graphql-contract pytest

# The fast lane: everything but the tests that need a real server on a port (marked `live`).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not live" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache contract/node_modules contract/client/__generated__
