# Two commands for a newcomer: `make run` and `make test`. Both are safe to re-run.
PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test assets migrate demo serve worker clean bench bench-smoke

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

static/css/app.css: node_modules/.package-lock.json static/src/app.scss scripts/build-assets.mjs
	npm run --silent build

assets: static/css/app.css

# search_index --create makes missing Elasticsearch indices (none without
# ELASTICSEARCH_URL); --fill-empty fills an empty index from existing data.
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py search_index --create --fill-empty

demo: migrate
	$(BIN)/python manage.py load_demo

# No permessage-deflate: live events are ~200-byte JSON, and compression
# cost CPU per socket per event and ~70 KiB per socket (docs/benchmarks.md).
UVICORN_ARGS := --ws-per-message-deflate false --ws-max-size 65536

# Emails are sent without a request (services, commands), so their links are
# built from SITE_URL: make it the address this server answers at, unless it
# is set already (e.g. the public https address behind a proxy).
run serve: export SITE_URL ?= http://$(HOST):$(PORT)

serve:
	$(BIN)/uvicorn cms.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_ARGS)

# The background worker (Huey, on a SQLite queue in var/ unless REDIS_URL is
# set) runs beside the server and stops with it: Ctrl-C reaches both (the
# worker finishes its running tasks), and if the server exits on its own the
# worker is sent SIGTERM. `make worker` runs one on its own.
run: install assets demo
	@echo "Mission Commons: http://$(HOST):$(PORT)/  (admin at /admin/; background worker: manage.py run_huey)"
	@$(BIN)/python manage.py run_huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/uvicorn cms.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_ARGS)

worker: migrate
	$(BIN)/python manage.py run_huey

# lint-imports: the one-way app graph (pyproject.toml, docs/architecture.md);
# ruff: the rules chosen in pyproject.toml (DEVELOPERS.md, "Lint").
# The suite runs in parallel (pytest-xdist): PYTEST_WORKERS processes, each
# with a test database and Redis prefix of its own (cms/settings/test.py);
# whole files go to one worker (--dist loadfile), so a module's fixtures (one
# browser per file) are made once. Serially, for debugging:
# PYTEST_ARGS="-n0 tests/ideas -x" make test (the last -n wins).
PYTEST_WORKERS ?= 2
test: install-test assets
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# `make bench` (bench/suite.py): the synthetic data set on PostgreSQL and
# Redis, the production ASGI server with 2 workers, the load generator here;
# writes docs/benchmarks.json (merged) and the generated section of
# docs/benchmarks.md. The database of DATABASE_URL is DROPPED and made again.
# `make bench-smoke` runs the same code at a tiny size (SQLite unless
# DATABASE_URL is set) into a temporary folder; `make test` runs it too
# (tests/bench/test_bench_smoke.py).
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/missioncommons_bench
bench: export REDIS_URL ?= redis://127.0.0.1:6379/9
bench: install-test assets
	$(BIN)/python -m bench.suite --size full --out docs

bench-smoke: install-test assets
	@out=$$(mktemp -d); $(BIN)/python -m bench.suite --size smoke --out $$out && echo "bench-smoke: figures in $$out"

clean:
	rm -rf $(VENV) node_modules static/govuk static/css/app.css
