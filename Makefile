# Lantern: `make run` sets up and serves the demo; `make test` sets up and runs every test.
# Needs only Python 3.12+, Node.js with npm, and Debian's package manager (Pango for PDFs, Chromium for browser tests).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# Packages mypy checks in `make test` (settings in pyproject.toml; modules with older
# errors are listed there until they pass).
TYPED_PACKAGES := lantern.core lantern.intelligence lantern.operations lantern.environment

.PHONY: run test setup lint format assets messages clean pdf-libraries

$(BIN)/python:
	@python="$$(scripts/find-python)" && echo "Using $$python" && "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-main: requirements/main.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/main.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-main

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

src/lantern/static/lantern/lantern.css: node_modules/.package-lock.json $(wildcard frontend/* frontend/images/*) scripts/build-assets.mjs
	npm run --silent build

assets: src/lantern/static/lantern/lantern.css

# WeasyPrint (board packs, certificates) needs Pango and a font from Debian's packages.
pdf-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset || { \
		echo "Installing Pango and fonts for PDF documents"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

setup: $(VENV)/.installed-main assets pdf-libraries

run: setup
	$(BIN)/lantern migrate --no-input
	$(BIN)/lantern demo
	@echo "Serving Lantern at http://$(HOST):$(PORT)/ with its background worker (Ctrl+C stops both)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/lantern serve --with-worker

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: $(VENV)/.installed-dev assets pdf-libraries $(CHROMIUM)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lantern makemigrations --check --dry-run
	$(BIN)/mypy $(addprefix -p ,$(TYPED_PACKAGES))
	$(BIN)/pytest --numprocesses=$(TEST_WORKERS) --cov --cov-report=term --cov-fail-under=90 $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Re-extract the French catalogue after changing user-facing text (needs GNU gettext);
# the compiled .mo file is committed so that a fresh machine shows French without it.
messages: $(VENV)/.installed-dev
	cd src/lantern && ../../$(BIN)/lantern makemessages --locale=fr --no-obsolete --ignore=static
	cd src/lantern && ../../$(BIN)/lantern compilemessages --locale=fr

clean:
	rm -rf $(VENV) node_modules src/lantern/static var test-artifacts .coverage .mypy_cache
