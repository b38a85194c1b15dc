# Quick start: `make run` prints the INSTC summary and writes the HTML report; `make test` runs every check.
# Each target creates .venv and installs what it needs; a second run reuses the
# environment and reinstalls only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint types contract pytest bench clean browser

run: $(RUN_STAMP)
	$(BIN)/instc summary --year 2024
	$(BIN)/instc report --year 2024 --out instc-report

test: $(TEST_STAMP) lint types contract pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench examples

types: $(TEST_STAMP)
	$(BIN)/mypy

contract: $(TEST_STAMP)
	$(BIN)/lint-imports

pytest: $(TEST_STAMP) browser
	$(BIN)/pytest -q

# The browser tests (tests/e2e) drive Debian's Chromium; install it when it is missing
# and apt-get can (CI runs as root). Without it those tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "note: /usr/bin/chromium is missing and cannot be installed here (needs apt-get as root); the browser tests will skip"; \
	  fi; \
	fi

BENCH_STAMP := $(VENV)/.installed-bench

bench: $(BENCH_STAMP) browser
	@if [ ! -x /usr/bin/wrk ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk); fi
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev,bench]'
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[report]'
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev]'
	@touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
