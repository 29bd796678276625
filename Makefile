# atomkb: the two commands a newcomer needs are `make serve` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install browser serve test lint bench

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	@touch $@

install: $(BIN)/kb  ## Create .venv and install atomkb with everything it needs.

browser:  ## Install Debian's chromium and chromedriver (browser tests) if missing.
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver )

serve: install  ## Install, check the catalog, build the knowledge base and serve it.
	$(BIN)/kb catalog check
	$(BIN)/kb build -W
	$(BIN)/kb index
	$(BIN)/kb serve --port $(PORT)

lint: install  ## Ruff lint and format check.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser  ## Install everything, lint, and run the whole test suite.
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: install  ## Run the benchmarks in bench/ and print their figures.
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
