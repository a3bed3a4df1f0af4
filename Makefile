# SyncHub: `make demo` and `make test` work on a fresh machine (they create .venv and install).
PYTHON ?= python3
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
# this machine's pip.conf names local indexes that may be absent; their warnings are noise
QUIET := { grep -v "^WARNING: Location" || true; }
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Installs come from hashed lock files (uv pip compile); `make lock` refreshes them on purpose.
LOCK := requirements/dev.lock
BENCH_LOCK := requirements/bench.lock
BENCH_STAMP := $(VENV)/.bench-stamp
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --custom-compile-command "make lock"
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90

.PHONY: install demo test lint typecheck pytest bench bench-install lock clean

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK) 2>&1 | $(QUIET)
	$(BIN)/python -m pip install --quiet --no-deps -e . 2>&1 | $(QUIET)
	$(BIN)/python -m pip check
	$(BIN)/python -c "import hub, core, store, services, audit, prefect, sqlalchemy, psycopg" && touch $(STAMP)

demo: $(STAMP)
	$(BIN)/synchub demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	PREFECT_HOME=$${PREFECT_HOME:-$$(mktemp -d)} $(BIN)/pytest -q $(PYTEST_ARGS)

test: lint typecheck pytest

# every benchmark, each goal judged on the configuration it names; a dated results file per run in
# bench/results/ (its README says how to read them); the peers (Splink) installed first
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run_all.py

# Splink, DuckDB and recordlinkage for bench/dedupe.py's comparison (large; not needed by the tests)
bench-install: $(BENCH_STAMP)

$(BENCH_STAMP): $(STAMP) $(BENCH_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(BENCH_LOCK) 2>&1 | $(QUIET)
	$(BIN)/python -m pip install --quiet --no-deps -e . 2>&1 | $(QUIET)
	touch $(BENCH_STAMP)

# Refresh the lock files from pyproject.toml (newest releases that fit); then run `make test` and commit
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench $(LOCK_FLAGS) -o $(BENCH_LOCK)

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
