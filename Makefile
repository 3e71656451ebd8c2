# Tally: `make run` starts everything on the embedded defaults; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-fast lint typecheck contracts graphql-contract schema pytest install clean migrate demo web web-test web-dev

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory web; \
	else echo "make: no Node.js here: serving the API without the web app (see README)"; fi
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

# The web app (web/): React + TypeScript + Vite with Relay, locked in web/package-lock.json.
# `make web` builds it into web/dist, which the gateway serves at /; the build prints the
# first page's gzipped JavaScript and fails past its budget.
WEB_SOURCES := $(shell find web/src web/scripts web/vite web/public -type f -not -path '*/__generated__/*' 2>/dev/null) \
	web/index.html web/graphiql.html web/vite.config.ts web/relay.config.json web/tsconfig.json schema.graphql

web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "make: the web app needs Node.js 20+ and npm" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build
	touch $@

web: web/dist/index.html

# Relay's compiler against schema.graphql, TypeScript, and the component tests (Vitest).
web-test: web/node_modules/.installed
	cd web && npm run check

# Vite's dev server on :5173, against the gateway on :8000 (start it with
# TALLY_CORS_ORIGINS=http://localhost:5173 make run).
web-dev: web/node_modules/.installed
	cd web && npm run dev

# The browser tests (tests/web) drive Debian's chromium against the built app; in CI
# (TALLY_REQUIRE_BROWSER=1, set by .ci/run) a missing browser or build fails them.
test: lint typecheck contracts graphql-contract web-test web pytest

# The fast lane: everything but the tests that need a real server on a port (marked `live`).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not live" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache contract/node_modules contract/client/__generated__ \
		web/node_modules web/dist web/src/__generated__
