# Two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup install migrate import test lint check-migrations clients clean

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: install migrate import

$(PY):
	@test -n "$(PYTHON)" || { echo "make: no python3.11 (or python3) on PATH; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

import: migrate
	$(PY) manage.py import_tei

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r documents edition bench manage.py gunicorn.conf.py

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# The real citation clients (Zotero's translation-server, citeproc-js) in .clients/, from the npm registry.
clients:
	bash tests/clients/setup.sh

test: install lint check-migrations clients
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .clients
