.DEFAULT_GOAL := help
.PHONY: help run dev test lint format setup lock search-node-start search-node-stop services-start services-stop bench vendor

help: ## Show this help
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

run: ## Run the platform on the embedded default at http://127.0.0.1:8000
	tools/run

dev: ## Like run, but with DEBUG on (Django's debug pages, console logging)
	KPO_DEBUG=1 tools/run

test: ## Run the whole test suite against real PostgreSQL, Redis and OpenSearch
	tools/test

setup: ## Create .venv and install the project
	tools/setup

lock: ## Regenerate the hashed lock files from pyproject.toml (after changing dependencies)
	tools/lock

lint: setup ## ruff lint and format check, mypy (strict on services/selectors), the import contract
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy && .venv/bin/lint-imports --no-cache

lint-api: setup ## Lint the OpenAPI document with Spectral and the Logius API Design Rules
	tools/lint-api

format: setup ## Format the code
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

search-node-start: ## Start the local OpenSearch node
	tools/search-node start

search-node-stop: ## Stop the local OpenSearch node
	tools/search-node stop

services-start: ## Start PostgreSQL and Redis for tests
	tools/services start

services-stop: ## Stop what services-start started
	tools/services stop

bench: setup ## Run the benchmarks (prints figures)
	tools/bench

vendor: ## Refresh the front-end files in kpo/static/vendor from npm
	npm install --no-audit --no-fund
	cp node_modules/@utrecht/component-library-css/dist/index.css kpo/static/vendor/utrecht-components.css
	cp node_modules/@utrecht/design-tokens/dist/theme.css kpo/static/vendor/utrecht-theme.css
	cp node_modules/htmx.org/dist/htmx.min.js kpo/static/vendor/htmx.min.js
	mkdir -p kpo/static/vendor/fonts/noto-sans
	for f in latin-400-normal latin-400-italic latin-600-normal latin-700-normal; do \
	  cp node_modules/@fontsource/noto-sans/files/noto-sans-$$f.woff2 kpo/static/vendor/fonts/noto-sans/; done
	cp node_modules/@fontsource/noto-sans/LICENSE kpo/static/vendor/fonts/noto-sans/OFL.txt
