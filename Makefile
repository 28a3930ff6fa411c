# Tillsammans: `make run` to try it, `make test` to test it.
# Needs only Python 3.11+ and make; everything else is installed from the registries.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-fast test-browser lint format migrations-check deploy-check messages browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s). Set PYTHON=python3.x." % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Create the database, the demo municipality (once), and serve http://$(HOST):$(PORT)
run: install
	@mkdir -p var/static var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Tillsammans is at http://$(HOST):$(PORT)/  (demo logins: see README.md; stop with Ctrl-C)"
	@bash scripts/serve $(HOST) $(PORT)

## The whole suite: unit, integration and browser tests (installs Chromium if it can).
test: install
	@bash scripts/ensure-chromium || true
	$(BIN)/pytest

## Everything but the browser tests.
test-fast: install
	$(BIN)/pytest -m "not browser"

test-browser: install
	@bash scripts/ensure-chromium
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	@mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run

deploy-check: install
	DEBUG=false SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=tillsammans.example.se $(BIN)/python manage.py check --deploy --fail-level WARNING

## Update the Swedish and English catalogues after changing strings (needs gettext).
messages: install
	cd src/tillsammans && ../../$(BIN)/python ../../manage.py makemessages -l sv -l en --no-obsolete --ignore "static/*"
	cd src/tillsammans && ../../$(BIN)/python ../../manage.py compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
