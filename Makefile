# `make demo` runs the demo on SQLite; `make test` runs linters and the whole suite (SQLite, then PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest pytest-sqlite pytest-postgres bench messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/waspada demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: $(STAMP)
	@echo "== tests on SQLite"
	WASPADA_DATA_DIR=$$(mktemp -d) DATABASE_URL= $(BIN)/pytest -q -n 2 --dist loadfile

pytest-postgres: $(STAMP)
	@echo "== tests on PostgreSQL"
	@url="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"; \
	if $(BIN)/python scripts/pg_available.py "$$url"; then \
		WASPADA_DATA_DIR=$$(mktemp -d) DATABASE_URL="$$url" $(BIN)/pytest -q -n 2 --dist loadfile -m "not browser"; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL is not reachable at $$url: under CI this is a failure"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $$url: SKIPPING the PostgreSQL half of the suite"; \
	fi

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# Refresh the Indonesian catalogue after changing UI strings, translate the new entries, then compile.
messages: $(STAMP)
	cd src/waspada && WASPADA_DATA_DIR=$$(mktemp -d) ../../$(BIN)/django-admin makemessages -l id --no-obsolete --settings=waspada.settings
	cd src/waspada && WASPADA_DATA_DIR=$$(mktemp -d) ../../$(BIN)/django-admin compilemessages --settings=waspada.settings

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
