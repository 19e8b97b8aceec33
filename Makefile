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
# The engine that builds the site: mkdocs, or properdocs (the maintained MkDocs 1.x fork, README).
ENGINE ?= mkdocs
# Where make compare-engines has ProperDocs build the site, to compare with SITE_DIR.
PROPERDOCS_SITE_DIR ?= site-properdocs
# make test TEST_WORKERS=1: the suite in one process (pytest-xdist's -n)
TEST_WORKERS ?= 2
# make check-posts POSTS="docs/blog/posts/my-post.md" FORMAT=github (all posts when POSTS is empty)
POSTS ?=
FORMAT ?= text
# make check-changed-posts BASE=origin/main: the branch the changes are compared with
BASE ?= origin/main

# make import-wordpress FILE=export.xml COUNCIL=id UPLOADS=dir [MAPPING=file.yml] [ARGS="--online"]
FILE ?=
COUNCIL ?=
UPLOADS ?=
MAPPING ?=

# Material for MkDocs 9.x prints an end-of-life banner on every build; the README says what we run on.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build compare-engines test check format preview bench bench-engine page-weight
.PHONY: browser-deps pin clean
.PHONY: import-wordpress new-post check-posts check-changed-posts check-site lint-workflows guide hooks

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --editable .
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(SITE_STAMP)
	$(PIP) install -r requirements-dev.txt
	@touch $@

serve: $(SITE_STAMP) ## Live preview at http://127.0.0.1:8000
	@echo "Previewing the site at http://$(HOST)/ (Ctrl+C to stop); each page shows what is left to fix."
	$(BIN)/mkdocs serve --quiet --dev-addr $(HOST) --livereload

preview: $(SITE_STAMP) ## Live preview of one post: make preview POST=docs/blog/posts/my-post.md
	@test -n "$(POST)" || { echo 'Name the post: make preview POST=docs/blog/posts/my-post.md'; exit 2; }
	$(BIN)/python scripts/preview.py --dev-addr $(HOST) $(POST)

bench: $(DEV_STAMP) ## Benchmark synthetic sites of 100-2,000 posts and a WordPress import; updates docs/maintainers/benchmarks.md
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_wordpress.py

bench-engine: $(DEV_STAMP) ## Time the engine's settings one at a time on 1,000 posts; updates docs/maintainers/benchmarks.md
	$(BIN)/python scripts/bench.py --engine-options

page-weight: $(DEV_STAMP) browser-deps ## Weigh a post page against Material's default page; updates docs/maintainers/benchmarks.md
	$(BIN)/python scripts/page_weight.py --write docs/maintainers/benchmarks.md

build: $(SITE_STAMP) ## Strict build into site/ (ENGINE=properdocs builds it with ProperDocs)
	$(BIN)/$(ENGINE) build --strict --site-dir $(SITE_DIR) --config-file mkdocs.yml

compare-engines: $(SITE_STAMP) ## Build with ProperDocs too and compare with site/ file by file (after make build)
	$(BIN)/properdocs build --strict --site-dir $(PROPERDOCS_SITE_DIR) --config-file mkdocs.yml
	$(BIN)/python scripts/compare_sites.py $(SITE_DIR) $(PROPERDOCS_SITE_DIR)

test: $(DEV_STAMP) browser-deps ## Run the whole test suite, on two cores
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

check: $(DEV_STAMP) lint-workflows ## Lint, format check, type check, workflow lint and both guides' check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/update_guide.py --check

format: $(DEV_STAMP) ## Fix lint and formatting where ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

new-post: $(SITE_STAMP) ## Start a new post (asks for its details; ARGS="--help" lists the options)
	$(BIN)/python scripts/new_post.py $(ARGS)

import-wordpress: $(DEV_STAMP) ## Import a WordPress blog: FILE=export.xml COUNCIL=id UPLOADS=dir (MAPPING=, ARGS=)
	@test -n "$(FILE)" -a -n "$(COUNCIL)" || { echo 'Name the export and the council: make import-wordpress FILE=export.xml COUNCIL=monmouthshire UPLOADS=wp-content/uploads'; exit 2; }
	$(BIN)/python scripts/import_wordpress.py "$(FILE)" --council "$(COUNCIL)" $(if $(UPLOADS),--uploads "$(UPLOADS)") $(if $(MAPPING),--mapping "$(MAPPING)") $(ARGS)

check-posts: $(SITE_STAMP) ## Check posts without a build (POSTS=files, FORMAT=text|github)
	$(BIN)/python scripts/check_posts.py --format $(FORMAT) $(POSTS)

check-changed-posts: $(SITE_STAMP) ## Check the posts this branch changes since BASE (FORMAT=github)
	$(BIN)/python scripts/check_changed_posts.py --format $(FORMAT) $(BASE)

check-site: $(SITE_STAMP) ## Check the built site in site/ (after make build)
	$(BIN)/python scripts/check_site.py $(SITE_DIR)

lint-workflows: $(DEV_STAMP) ## Lint (actionlint) and audit (zizmor, offline) the GitHub workflows
	$(BIN)/actionlint -shellcheck $(BIN)/shellcheck
	$(BIN)/zizmor --offline --no-progress --collect=default,pre-commit .

guide: $(SITE_STAMP) ## Regenerate the generated parts of CONTRIBUTING.md and docs/maintainers/guide.md
	$(BIN)/python scripts/update_guide.py

hooks: $(DEV_STAMP) ## Run ruff and the post check before each git commit
	$(BIN)/pre-commit install

browser-deps: ## Install Chromium and Java (Debian), axe-core and the Nu HTML Checker (npm) for the tests, if missing
	@command -v chromium >/dev/null 2>&1 || scripts/install_debian.sh chromium chromium fonts-dejavu-core
	@command -v java >/dev/null 2>&1 || scripts/install_debian.sh java default-jre-headless
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar \
		|| npm ci --no-audit --no-fund --ignore-scripts

pin: | $(BIN)/python ## Re-pin requirements*.txt from requirements*.in
	scripts/pin_requirements.sh

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(SITE_DIR) $(PROPERDOCS_SITE_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis
