# cannon-studio developer entry points. Every target creates the virtual environment when it is
# missing (or when pyproject.toml changed), so a fresh clone needs nothing but Python 3.11+.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCE ?=
PYTEST_ARGS ?=

.PHONY: help venv regenerate test test-fast lint typecheck pytest docs docs-serve demo sandbox check-drift record bench schemathesis clean

## help: list the targets with what each does (the default target)
help:
	@grep -E '^## [a-z-]+:' $(MAKEFILE_LIST) | sed -E 's/^## ([a-z-]+): /  \1\t/; s/\$$\$$/$$/g' | expand -t 16

## venv: .venv with this package installed editable with its dev extra (again when pyproject.toml changes)
venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## regenerate: fetch the schema (SOURCE=file|URL, else $$CANNON_OPENAPI_URL, else live) and rebuild generated/
regenerate: $(STAMP)
	$(BIN)/python scripts/regenerate.py $(SOURCE)

## lint: ruff check + ruff format --check on everything hand-written, and the import contracts
lint: $(STAMP)
	$(BIN)/ruff check overlay scripts tests examples noxfile.py
	$(BIN)/ruff format --check overlay scripts tests examples noxfile.py
	$(BIN)/lint-imports --no-cache

## typecheck: mypy --strict on everything hand-written (overlay packages and scripts/)
typecheck: $(STAMP)
	$(BIN)/mypy

## pytest: the whole test suite
pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## docs: build the documentation site into site/ (mkdocs --strict: a broken link or reference fails)
# NO_MKDOCS_2_WARNING silences Material's banner about MkDocs 2 (a print, not a build warning).
# Never --quiet: it hides the warnings from --strict, which then passes a broken link.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## docs-serve: serve the documentation on http://127.0.0.1:8000, rebuilt on every change
docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

## test: lint, type checks, the docs build and the whole suite; fails if any of them fails
test: lint typecheck docs pytest

## test-fast: the developers' loop: every test not marked slow (tests/conftest.py lists them)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

## demo: the main job end to end on the sandbox (or on $$CANNON_BASE_URL with $$CANNON_API_KEY)
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## sandbox: run the local reference server on 127.0.0.1:8787
sandbox: $(STAMP)
	$(BIN)/cannon-studio sandbox --host 127.0.0.1 --port 8787

## check-drift: compare $$CANNON_OPENAPI_URL (default: live) with the snapshot, and generated/ with a fresh generation
check-drift: $(STAMP)
	$(BIN)/python scripts/check_drift.py $(if $(CANNON_OPENAPI_URL),--url "$(CANNON_OPENAPI_URL)",)

## record: re-record the vcrpy cassettes against the sandbox (or $$CANNON_BASE_URL + $$CANNON_API_KEY)
record: $(STAMP)
	$(BIN)/python scripts/record_cassettes.py

## bench: the client's speed, memory and import cost, each beside a same-run baseline, the ratio and its goal
# One table from `python -m scripts.bench` (rounds: per-call, fan-out 1,000 and 10,000 against a
# pure-aiohttp oracle, transport, light-load polling, import in a core-only venv, batch runner,
# regeneration); about 5-8 minutes on 2 cores, longer under load (the header says the load).
bench: $(STAMP)
	@started=$$(date +%s); \
	$(BIN)/python -m scripts.bench $(BENCH_ARGS) && \
	echo "make bench: $$(( $$(date +%s) - started )) s in total, load average now $$(cut -d' ' -f1-3 /proc/loadavg)"

## schemathesis: property-based API tests against a running sandbox
schemathesis: $(STAMP)
	$(BIN)/python scripts/run_schemathesis.py

## clean: remove .venv, build outputs and caches
clean:
	rm -rf $(VENV) out site .pytest_cache .mypy_cache .ruff_cache
