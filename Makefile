# Kotoverkko — the verbs developers type. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Settings that look like production, for `manage.py check --deploy`.
DEPLOY_ENV := DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9') \
	ALLOWED_HOSTS=kotoverkko.example.fi DATABASE_URL=sqlite:///var/check.sqlite3

.PHONY: help setup run test test-fast check lint fmt messages seed browser clean

help: ## List the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@PYTHON="$$(scripts/find-python.sh)" && echo "Using $$PYTHON" && \
	  { [ -x $(PY) ] || "$$PYTHON" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip sync --quiet --python $(PY) --require-hashes requirements.lock
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the locked dependencies

run: $(STAMP) ## Install, migrate, load reference and demo data, serve on http://127.0.0.1:8000
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) createcachetable
	DEBUG=1 $(MANAGE) seed_demo
	@echo "Serving Kotoverkko on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

seed: $(STAMP) ## Load reference data and the demo region (idempotent)
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) seed_demo

browser: ## Make sure Debian's Chromium is there for the browser tests
	@scripts/ensure-chromium.sh

test: $(STAMP) browser ## Run the whole test suite (DATABASE_URL picks PostgreSQL)
	$(VENV)/bin/pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP) ## The suite without the browser tests
	$(VENV)/bin/pytest -n 2 -p no:cacheprovider -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP) ## ruff lint, format check and import layering
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(STAMP) ## Format and autofix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP) ## Update the fi/sv translation catalogues and compile them
	DEBUG=1 $(MANAGE) makemessages -l fi -l sv --no-location --no-obsolete --ignore=.venv --ignore=var
	DEBUG=1 $(MANAGE) compilemessages -l fi -l sv --ignore=.venv

check: lint ## Everything CI checks besides the tests
	DEBUG=1 $(MANAGE) check --fail-level WARNING
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING
	$(PY) scripts/check_translations.py

clean: ## Remove the virtualenv, the local database and collected files
	rm -rf $(VENV) var
