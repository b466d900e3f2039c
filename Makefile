# The two commands: `make run` (try the back office) and `make test` (lint + tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint format install install-dev test-postgres bench perfil clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: .env with a random key, migrations, first admin, demo data, then serve.
run: install
	$(BIN)/python -m admin_app.bootstrap
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## make test: ruff, then pytest (SQLite unless TEST_DATABASE_URL says otherwise).
test: install-dev lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-postgres: install-dev
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest $(PYTEST_ARGS)

## make bench: every figure of the performance issue (data, pages, exports, load test;
## about 20 minutes on 2 cores, PostgreSQL at 127.0.0.1), then bench/RESULTS.md.
bench: install-dev
	$(BIN)/python -m bench.run --db sqlite --size small --regenerate
	$(BIN)/python -m bench.run --db sqlite --size full --regenerate
	$(BIN)/python -m bench.run --db postgres --size small --regenerate
	$(BIN)/python -m bench.run --db postgres --size full --regenerate
	$(BIN)/python -m bench.run --db sqlite --size full --sin-estadisticas
	$(BIN)/python -m bench.run --db postgres --size full --sin-estadisticas
	$(BIN)/python -m bench.load --db postgres --size full --seconds 60 --think 0.5,1.5
	$(BIN)/python -m bench.load --db postgres --size full --seconds 60 --think 2,5
	$(BIN)/python -m bench.report

## make perfil URL=/admin/clientes/: where one page's time goes (SQL, templates, access
## checks, url_for, cProfile's top); PERFIL_ARGS="--db postgres --size full --repeat 50".
perfil: install-dev
	$(BIN)/python -m bench.perfil $(PERFIL_ARGS) $(URL)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
