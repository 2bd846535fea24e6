# The commands of the workbench. `make run` and `make test` are the two the README starts with.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8501
BIN = $(VENV)/bin

.PHONY: run test test-tools lint format demo migrate backup restore bench

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# The default learned model, trained once from evidence/training_data (never downloaded).
$(BIN)/.model: $(BIN)/.installed evidence/default_model.py $(wildcard evidence/training_data/*.jsonl)
	$(BIN)/python -m evidence.default_model
	touch $@

$(BIN)/.installed-dev: requirements-dev.txt $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## Install the app and start it on http://localhost:$(PORT) (SQLite under ./data).
run: $(BIN)/.installed $(BIN)/.model
	$(BIN)/streamlit run app.py --server.port $(PORT)

## Install the test tools (and Debian's Chromium for the browser tests), lint, run every test.
# The Debian packages (.ci/install-test-tools) and the Python packages install side by side.
test:
	$(MAKE) --no-print-directory -j2 $(BIN)/.installed-dev $(BIN)/.model test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

test-tools:
	bash .ci/install-test-tools

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format: $(BIN)/.installed-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

## Build (or rebuild) the demo database under ./data.
demo: $(BIN)/.installed $(BIN)/.model
	$(BIN)/python -m exports.demo

## Upgrade the database schema (for deployments that run it as their own step).
migrate: $(BIN)/.installed
	$(BIN)/python -m consultations.migrate

## Back up the database to FILE (default: a new file under <data dir>/backups/).
backup: $(BIN)/.installed
	$(BIN)/python -m consultations.backup backup $(FILE)

## Restore the database from FILE: says what it would replace, and replaces it with YES=1.
restore: $(BIN)/.installed
	$(BIN)/python -m consultations.backup restore $(FILE) $(if $(YES),--yes)

bench: $(BIN)/.installed-dev
	$(BIN)/python bench/all.py
