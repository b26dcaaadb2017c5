# Kinderrechtencollectief site. `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST_PORT ?= 127.0.0.1:8000

.DEFAULT_GOAL := help

.PHONY: help install dev tools run serve test lint format lock messages lighthouse bench faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What the site runs on; the test and lint tools come on top only where a target needs them,
# so that `make serve` on a server installs no test runner or browser driver. Every package
# comes in the exact version and with the hashes pinned in requirements/ (`make lock`), so
# a server set up next year runs what the tests ran today.
$(VENV)/.installed: $(BIN)/python requirements/site.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/site.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# The compiled catalogues, each remade only when its .po file changed: two runs side by side
# (CI) never rewrite a file the other is reading.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard collective/locale/*/LC_MESSAGES/*.po))

%.mo: %.po $(VENV)/.installed
	$(BIN)/pocompile --progress=none -i $< -o $@

install: $(VENV)/.installed $(MO_FILES) ## Install the site into .venv and compile the translations

dev: install $(VENV)/.installed-dev ## Also install the test and lint tools (pytest, Playwright, ruff)

tools: ## Install the third-party checkers (Nu HTML Checker, axe-core, Lighthouse; needs npm and Java)
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests/tools

run: install ## Migrate, load the seed content and serve on http://127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_content
	$(MANAGE) runserver $(HOST_PORT)

serve: install ## Production settings under gunicorn on 127.0.0.1:8000 (needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS)
	@$(BIN)/python -c "import environ, os, sys; e = environ.Env(); f = os.environ.get('DJANGO_ENV_FILE', '.env'); f and environ.Env.read_env(f); sys.exit(None if e.str('DJANGO_SECRET_KEY', default='') and e.str('DJANGO_ALLOWED_HOSTS', default='') else 'make serve: set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS in the environment or in .env, or in the file DJANGO_ENV_FILE names (see .env.example)')"
	DJANGO_DEBUG=false $(MANAGE) check --deploy
	DJANGO_DEBUG=false $(MANAGE) collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=false $(MANAGE) migrate --no-input
	DJANGO_DEBUG=false exec $(BIN)/gunicorn -c collective/gunicorn.py collective.wsgi

test: dev ## Run the whole test suite (browser tests need Chromium at /usr/bin/chromium)
	$(BIN)/pytest

lint: dev ## ruff check and format check, Django's checks, no pending migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: dev ## Let ruff fix what it can and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lighthouse: dev tools ## Lighthouse scores of both "Who are we" pages (needs Chromium)
	$(BIN)/python tests/tools/lighthouse.py

bench: dev ## Requests/s and latency against a constant Django view, on loopback (needs wrk)
	$(BIN)/python tests/tools/bench.py $(BENCH_ARGS)

faults: dev ## 60 s at 64 connections, then PostgreSQL restarted and Redis stopped under load
	$(BIN)/python tests/tools/faults.py

# pip-compile resolves pyproject.toml's ranges to exact versions with their hashes: the site's
# packages, the site with S3 media storage, and the site with the test tools, the last two
# holding the site's pins. `make lock` keeps every pin that still fits; `make lock
# LOCK_ARGS=--upgrade` moves each package to its newest version within the ranges.
LOCK = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(BIN)/python ## Pin the dependencies of pyproject.toml in requirements/ (pip-tools)
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(LOCK) -o requirements/site.txt pyproject.toml
	$(LOCK) --extra s3 -c requirements/site.txt -o requirements/s3.txt pyproject.toml
	$(LOCK) --extra dev -c requirements/site.txt -o requirements/dev.txt pyproject.toml

messages: install ## Update the .po files from the code and templates (needs GNU gettext)
	$(MANAGE) makemessages --all --no-location --no-obsolete --ignore=.venv --ignore=tests
