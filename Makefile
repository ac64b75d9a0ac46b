# The two commands a newcomer needs: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test chromium validate bench clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# Debian's chromium for the end-to-end browser tests (Playwright drives /usr/bin/chromium; no browser download).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

install-test: $(BIN)/python chromium
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

# The property-based fuzz suite with the long profile (20x the CI examples); prints how many inputs were tried.
fuzz: install-test
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py

clean:
	rm -rf $(VENV) .cache .pytest_cache
