# Alongside: `make run` serves the demo, `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# mypy's Django plugin and makemigrations --check import settings; give them a URL so they
# don't start the embedded database (which `make test` would then leave running). makemigrations
# only warns that it can't check the applied history against it, which the suite does anyway.
NO_DATABASE_ENV := DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=postgres://unused@127.0.0.1:1/unused

.PHONY: run stop test lint imports typecheck migrations-check pytest bench lock assets install

install: $(VENV)/.installed
# Development installs dev.lock (the runtime set plus tests and tools); the image, runtime.lock alone.
$(VENV)/.installed: requirements/dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements/dev.lock
	touch $@

assets: static/vendor/.built
static/vendor/.built: package.json package-lock.json scripts/build_assets.py scripts/build_assets.mjs $(wildcard static/scss/*.scss) scripts/build_sw.mjs static/img/icon.svg
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/build_assets.py
	touch $@

run: install assets
	./scripts/run.sh

stop:
	@PY=$(PY) ./scripts/stop.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The import contracts in pyproject.toml: apps and layers point one way, no private names across modules.
imports: install
	$(VENV)/bin/lint-imports

typecheck: install
	$(NO_DATABASE_ENV) $(VENV)/bin/mypy .

migrations-check: install
	$(NO_DATABASE_ENV) $(PY) -W ignore::RuntimeWarning manage.py makemigrations --check --dry-run

pytest: install assets
	./scripts/ensure_chromium.sh
	./scripts/pytest.sh

test: lint imports typecheck migrations-check pytest

bench: install assets
	$(PY) bench/pages.py

# Re-resolve both locks from their .in files (versions already locked are kept unless an .in file
# asks for another: delete a line from a lock to let that package move). Never frozen from .venv.
UV_COMPILE := ../$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 --no-header
lock: install
	cd requirements && $(UV_COMPILE) runtime.in -o runtime.lock && $(UV_COMPILE) dev.in -o dev.lock
