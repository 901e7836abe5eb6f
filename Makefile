# Podium's set-up contract: `make demo` and `make test` work on a fresh Debian machine.
# Both create .venv when missing and reinstall the project only when pyproject.toml changed.

SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed
PORT ?= 8000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-x tests/seminars"`.
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install test-deps demo test test-sqlite test-postgres bench lint

help:
	@echo "make demo           run the demo series on http://127.0.0.1:$(PORT)/"
	@echo "make test           the whole suite on SQLite, then on a throwaway PostgreSQL"
	@echo "make test-sqlite    the suite on SQLite only"
	@echo "make test-postgres  the suite on PostgreSQL only"
	@echo "make bench          every benchmark in bench/"
	@echo "make lint           ruff check and ruff format --check"

# On Linux, made from the system's Python when it is 3.11 or newer (built with PGO and LTO:
# the export runs a fifth faster than on a default pyenv build); PODIUM_PYTHON=... chooses
# another (scripts/make-venv).
$(PYTHON):
	scripts/make-venv $(VENV)

$(STAMP): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --disable-pip-version-check --progress-bar off -e '.[test]'
	@# An editable install leaves byte-compiling to the first import (never done where
	@# PYTHONDONTWRITEBYTECODE is set): every podium command would compile its modules.
	$(PYTHON) -m compileall -q podium
	touch $@

install: $(STAMP)

# System packages (Chromium, PostgreSQL), installed only when missing.
test-deps:
	@scripts/install-test-deps

demo: $(STAMP)
	$(VENV)/bin/podium demo --port $(PORT)

# Both runs always happen, so one report shows what fails where; either failing fails `test`.
test: $(STAMP) test-deps
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	exit $$status

test-sqlite: $(STAMP) test-deps
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

test-postgres: $(STAMP) test-deps
	@echo "== test suite on PostgreSQL =="
	scripts/with-postgres $(PYTEST) $(PYTEST_ARGS)

bench: $(STAMP) test-deps
	@for f in bench/*.py; do \
	  [ -e "$$f" ] || continue; \
	  echo "== $$f =="; \
	  $(PYTHON) "$$f" || exit 1; \
	done

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
