# Proliferate infrastructure: four Pulumi micro-stacks. `make` (or `make help`) lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NPM ?= npm

.PHONY: help install build lint test docs clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-22s %s\n", $$1, $$2}'

install: ## Install the pinned dependencies from package-lock.json (also bundles the layer programs)
	$(NPM) ci --no-audit --no-fund

build: ## Type-check and compile everything (tsc, strict) and bundle each layer to stacks/<layer>/bin
	$(NPM) run --silent build

lint: ## ESLint with typescript-eslint and @pulumi/eslint-plugin (Outputs in template strings)
	$(NPM) run --silent lint

test: ## Run the unit and mock tests; ends with "N passed, N failed"
	$(NPM) run --silent test

docs: build ## Regenerate the config reference in each Pulumi.yaml and README.md from the schemas
	node dist/scripts/config-docs.js

clean: ## Remove build output (dist/ and the layer bundles)
	rm -rf dist stacks/*/bin
