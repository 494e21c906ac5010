# The README's two commands are the contract: `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
# Debian packages the test suite drives: a real Chromium for browser tests, docker-compose to validate
# docker/compose.yaml (no engine needed), wrk for the benchmark's load (its script is tested too).
SYSTEM_PACKAGES := chromium docker-compose gettext wrk
# WeasyPrint (PDF reports) needs Pango and HarfBuzz from Debian, and a font.
SYSTEM_PACKAGES += libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test install system-deps messages catalogues compilemessages migrate seed lint typecheck pytest clean help

help:
	@echo "make run    set up everything and serve the demo on http://localhost:$(PORT)"
	@echo "make test   set up everything and run lint, type checks and the whole test suite"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 14), "Python 3.11 to 3.13 is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Front-end tools the browser tests use (axe-core), from the npm registry, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

# Installs what is missing when run as root (CI, a fresh machine); otherwise says what to install.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install with apt-get:$$missing (browser and compose tests need them)"; exit 1; fi; \
	fi

# The translation catalogues (locale/<language>/LC_MESSAGES/django.po) regenerated from the code and
# templates, then compiled: new msgids added, gone ones dropped, translations kept. Run it after changing
# a translatable string and commit the .po files: `make test` fails while they are stale
# (tests/test_translations.py runs `make catalogues` on a copy of the checkout). No JavaScript has
# translatable strings, so there is no djangojs catalogue.
messages: catalogues
	$(MAKE) --no-print-directory compilemessages

catalogues: $(STAMP)
	$(MANAGE) makemessages --all --no-location --no-obsolete --verbosity 0 \
	  --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=test-artifacts

# The compiled catalogues (.mo, not committed) that every command serving or testing pages needs.
compilemessages: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

migrate: $(STAMP)
	$(MANAGE) migrate_schemas --noinput

seed: migrate
	$(MANAGE) seed_demo --port $(PORT)

run: $(STAMP) compilemessages seed
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy .

# Two workers, each with its own test database and Redis database (ivplatform/settings/test.py).
# PYTEST_ARGS picks tests, e.g. `make test PYTEST_ARGS="stats/tests -x"` (.ci/run does for its second path).
pytest: $(STAMP) compilemessages
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Without DATABASE_URL the steps below start the embedded PostgreSQL (mypy's Django plugin reads the
# settings too). A server this run started is stopped when it ends, passed or failed; one that was already
# running (`make run` in another terminal) is left as it was.
test: $(STAMP) system-deps node_modules/.installed
	@before=$$($(PY) -m ivplatform.database status); \
	$(MAKE) --no-print-directory compilemessages lint typecheck pytest; status=$$?; \
	if [ "$$before" = stopped ]; then $(PY) -m ivplatform.database stop; fi; \
	exit $$status

# The benchmark (bench/, docs/scaling.md): its own database, BENCH_TENANTS municipalities (300), the
# figures in bench/results.md and bench/results.json. BENCH_REBUILD=1 builds the database again.
.PHONY: bench
bench: $(STAMP) compilemessages
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then echo "Installing wrk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "Please install wrk with apt-get: the benchmark's load generator"; exit 1; fi; }
	$(PY) -m bench

clean:
	rm -rf $(VENV) .data staticfiles .pytest_cache .mypy_cache .ruff_cache
