# civic-entities: `make run` then `make test` on a fresh clone (see README.md).
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= outputs
INPUT ?= corpus
BENCH_ARGS ?=

.PHONY: setup run test test-fast eval audit bench lint clean

setup: $(STAMP)

# Exact versions and hashes: requirements.lock (pip-compile --generate-hashes from
# pyproject.toml), then the spaCy pipelines from models/spacy-models.txt.
$(STAMP): requirements.lock models/spacy-models.txt pyproject.toml
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --require-hashes --no-deps -r models/spacy-models.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: setup
	$(PY) -m pipeline run $(INPUT) --out $(OUT)

test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow and not browser"

eval: setup
	$(PY) -m pipeline eval

audit: setup
	$(PY) -m pipeline audit --out $(OUT)

# BENCH_ARGS=--large adds the 200× corpus (about half an hour on two cores).
bench: setup
	$(PY) -m pipeline.bench $(BENCH_ARGS)

lint: setup
	$(PY) -m ruff check pipeline tests
	$(PY) -m mypy pipeline

clean:
	rm -rf $(OUT)/*.parquet $(OUT)/run.json $(OUT)/audit $(OUT)/.cache $(OUT)/.staging-* .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
