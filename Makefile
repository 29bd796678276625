# atomkb: the two commands a newcomer needs are `make serve` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
PLATFORM_PORT ?= 8080
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CLIENTS := tests/clients

.PHONY: help install browser postgres npm serve test lint bench

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
	    $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver ) || \
	  echo "warning: could not install chromium; the browser test will be skipped, saying why"

postgres:  ## Install Debian's postgresql (AutoML scale-out tests) if missing.
	@{ command -v initdb && command -v pg_ctl || \
	   ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl; } >/dev/null 2>&1 || \
	  ( $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq --no-install-recommends postgresql ) || \
	  echo "warning: could not install postgresql; the PostgreSQL tests will be skipped, saying why"

npm:  ## Install the JavaScript test clients (tests/clients) if missing.
	@[ $(CLIENTS)/node_modules -nt $(CLIENTS)/package-lock.json ] || \
	  { command -v node >/dev/null && command -v npm >/dev/null && \
	    npm ci --prefix $(CLIENTS) --no-audit --no-fund && touch $(CLIENTS)/node_modules; } || \
	  echo "warning: could not install the npm packages of $(CLIENTS) (needs node and npm); the JavaScript client tests will be skipped, saying why"

nginx:  ## Install Debian's nginx, apache2-utils (htpasswd) and shellcheck for the platform if missing.
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 && command -v htpasswd shellcheck >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq --no-install-recommends nginx apache2-utils shellcheck ) || \
	  echo "warning: could not install nginx; the platform tests will be skipped, saying why"

platform: install postgres nginx  ## The team platform on loopback (nginx, PostgreSQL, MLflow, search, AutoML dashboard).
	@test -f _build/html/index.html || $(BIN)/kb build -q
	@test -f _build/search/index.sqlite || $(BIN)/kb index
	$(BIN)/python -m infra.localstack --port $(PLATFORM_PORT)

serve: install  ## Install, check the catalog, build the knowledge base and serve it.
	$(BIN)/kb catalog check
	$(BIN)/kb build -W
	$(BIN)/kb index
	$(BIN)/kb serve --port $(PORT)

lint: install  ## Ruff lint and format check.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser postgres nginx npm  ## Install everything, lint, and run the whole test suite.
	$(BIN)/ruff check .
	$(BIN)/pytest

BENCHES := cli_startup scaffold forecasting_airline forecasting_intervals classification_ucr anomaly_ucr135 docs_build generalisation automl

bench: install postgres nginx  ## Run every benchmark in bench/ and print its figures (tens of minutes).
	@for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py || exit 1; done
	$(BIN)/kb build -q
	@echo "== bench/search_relevance.py"; $(BIN)/python bench/search_relevance.py
	@echo "== bench/search_scale.py"; $(BIN)/python bench/search_scale.py --index _build/search/scale.sqlite
	@echo "== bench/search_serve_load.py"; $(BIN)/python bench/search_serve_load.py --index-file _build/search/scale.sqlite
	@echo "== bench/search_100k.py"; $(BIN)/python bench/search_100k.py --index _build/search/index100k.sqlite
	@echo "== bench/team_platform.py"; $(BIN)/python bench/team_platform.py
