# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INDEX ?= var/index
CORPUS ?= seeds
HOST ?= 127.0.0.1
PORT ?= 5000
BENCH_N ?= 100000

.PHONY: venv run test lint format eval bench index clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

index: $(STAMP)
	$(PY) -m indexer build --corpus $(CORPUS) --index $(INDEX)

run: index
	$(PY) -m webui --index $(INDEX) --corpus $(CORPUS) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m ruff check indexer webui tests
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check indexer webui tests
	$(PY) -m ruff format --check indexer webui tests

format: $(STAMP)
	$(PY) -m ruff format indexer webui tests
	$(PY) -m ruff check --fix indexer webui tests

eval: $(STAMP)
	$(PY) -m tests.eval.realpages --table
	$(PY) -m tests.eval.score

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]' || echo "bench: peers not installable, running without them"
	$(PY) -m tests.bench.run --n $(BENCH_N)
	$(PY) -m tests.bench.load --n 1000
	$(PY) -m tests.bench.freshness --n $(BENCH_N)
	$(PY) -m tests.bench.locks
	$(PY) -m tests.bench.facts --n $(BENCH_N)

clean:
	rm -rf var bench-results .pytest_cache .ruff_cache
