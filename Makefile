# atomkb: the two commands a newcomer needs are `make serve` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: help install serve test lint bench

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	@touch $@

install: $(BIN)/kb  ## Create .venv and install atomkb with everything it needs.

serve: install  ## Install, check the catalog and show it (the main job).
	$(BIN)/kb catalog check
	$(BIN)/kb catalog list

lint: install  ## Ruff lint and format check.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install  ## Install, lint, and run the whole test suite.
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: install  ## Run the benchmarks in bench/ and print their figures.
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
