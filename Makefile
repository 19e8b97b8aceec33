# Social Councils: every task a contributor needs, from a fresh clone.
# Only Python 3.11+, git and make are needed; everything else is installed here, pinned.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-requirements
DEV_STAMP := $(VENV)/.dev-requirements
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
HOST ?= 127.0.0.1:8000
SITE_DIR ?= site

# Material for MkDocs 9.x prints an end-of-life banner on every build; the README says what we run on.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build test check format preview bench browser-deps pin clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(SITE_STAMP)
	$(PIP) install -r requirements-dev.txt
	@touch $@

serve: $(SITE_STAMP) ## Live preview at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr $(HOST) --livereload

build: $(SITE_STAMP) ## Strict build into site/
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

test: $(DEV_STAMP) browser-deps ## Run the whole test suite
	$(BIN)/python -m pytest

check: $(DEV_STAMP) ## Lint, format check and type check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP) ## Fix lint and formatting where ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browser-deps: ## Install Chromium (Debian) and axe-core (npm) for the browser tests, if missing
	@command -v chromium >/dev/null 2>&1 || scripts/install_chromium.sh
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --ignore-scripts

pin: | $(BIN)/python ## Re-pin requirements*.txt from requirements*.in
	scripts/pin_requirements.sh

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(SITE_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis
