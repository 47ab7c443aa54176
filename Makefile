# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Everything else here is for developers.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install system-deps load check fmt goldens bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Debian packages the test suite needs (PostgreSQL server, Chromium); installs only what is missing.
system-deps:
	bash .ci/system-deps.sh

## The main job: serve the web UI on http://localhost:8501 (loads the bundled rules into the default database on first start).
run: install
	$(BIN)/dtrc ui

## The whole suite (starts its own PostgreSQL and Chromium where tests need them).
test: install system-deps
	$(BIN)/python -m pytest -q

## Load the bundled rules into the default database (./var/dtrc.sqlite, or $$DATABASE_URL).
load: install
	$(BIN)/dtrc load rules/

check: install
	$(BIN)/dtrc check rules/
	$(BIN)/dtrc fmt --check rules/

fmt: install
	$(BIN)/dtrc fmt rules/

## Regenerate the expected output of the golden tests; review with `git diff tests/fixtures`.
goldens: install
	$(BIN)/python -m tests.goldens

bench: install
	$(BIN)/python -m benchmarks

## Long fuzzing of the reader, parser, checker and formatter (not part of `make test`):
## the hypothesis properties run long, then 100,000 generated and mutated files, then 100 kills of a loader
## per database and 8 PostgreSQL stops inside a write (docs/reliability.md).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_properties.py
	$(BIN)/python -m tests.fuzz.campaign 100000
	DTRC_FAULT_KILLS=100 DTRC_FAULT_STOPS=8 $(BIN)/python -m pytest -q tests/store/test_faults.py -k "killed or stopped"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis var build dist
