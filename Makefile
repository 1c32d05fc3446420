# Crossread. `make run` serves the app on SQLite with the seeds imported;
# `make test` runs every test (DATABASE_URL=postgres://... runs them on PostgreSQL).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# Development mode for the demo server (DEBUG is off unless the environment turns it on).
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py import_articles seeds/
	$(BIN)/python manage.py setup_demo
	@echo "Crossread on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production server: gunicorn (config/gunicorn.py) with WEB_CONCURRENCY worker
# processes, DEBUG off whatever the environment says, static files collected with
# hashed names for WhiteNoise. Needs SECRET_KEY; DATABASE_URL for PostgreSQL, REDIS_URL
# for a Redis cache, ALLOWED_HOSTS... (see the README's "Serving a team").
serve: export DEBUG = 0
serve: export CROSSREAD_STATIC_MANIFEST ?= 1
serve: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Crossread (production) on http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --config config/gunicorn.py --bind $(HOST):$(PORT) config.wsgi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Two workers for most tests (pytest-xdist), then, alone, those that must have the
# machine to themselves (timing and race tests: the "serial" marker). Exit
# status 5 is pytest's "nothing selected" (a filtered run may leave either part empty).
WORKERS ?= 2
test: lint
	$(BIN)/python -m pytest -n $(WORKERS) -m "not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

bench: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
