# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet .

run: install
	$(BIN)/paperdeck

test: $(BIN)/python
	$(BIN)/pip install --quiet '.[test]'
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(BIN)/python
	$(BIN)/pip install --quiet '.[test]'
	$(BIN)/python tests/bench/bench.py --papers 2000 --json /tmp/paperdeck-bench.json

clean:
	rm -rf $(VENV) build *.egg-info
