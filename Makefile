# The two commands a newcomer needs: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test validate bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Install, load, validate (SHACL gate) and serve on http://127.0.0.1:5000 with a production WSGI server.
run: install
	$(BIN)/migratie-kg serve --host $(HOST) --port $(PORT)

# Install what the tests need and run them.
test: install-test
	$(BIN)/pytest -q

validate: install
	$(BIN)/migratie-kg validate

bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .cache .pytest_cache
