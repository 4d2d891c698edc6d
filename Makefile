# Proliferate infrastructure: four Pulumi micro-stacks. `make` (or `make help`) lists the targets.
#
# Variables: STACK (default dev), FLAGS (passed to every pulumi command, e.g. FLAGS="--yes --diff"),
# POLICY_PACK (default policy: the pack run with every preview and up; empty turns it off),
# IMAGE_TAG (deploy-services), CONFIRM (destroy of a production stack), SHOW_SECRETS=1 (outputs),
# BACKEND (state backend URL; default: a local file backend in .pulumi-state/), SECRETS_PROVIDER.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NPM ?= npm
STACK ?= dev
FLAGS ?=
IMAGE_TAG ?=
CONFIRM ?=
SHOW_SECRETS ?=
# The policy pack every preview and up runs (POLICY_PACK= turns it off).
POLICY_PACK ?= policy
LAYERS := foundation data secrets services
RUN := node dist/scripts/layers.js $(if $(POLICY_PACK),--policy-pack $(POLICY_PACK))
export BACKEND SECRETS_PROVIDER

# The per-layer pattern targets (up-%, preview-%, ...) are not listed here on purpose: make skips
# pattern rules for .PHONY targets.
.PHONY: help install build lint test docs clean deploy-all preview-all refresh-all destroy-all deploy-services \
	outputs drift check-config smoke bootstrap-backend

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-22s %s\n", $$1, $$2}'

install: ## Install the pinned dependencies from package-lock.json (also bundles the layer programs)
	$(NPM) ci --no-audit --no-fund

build: ## Type-check and compile everything (tsc, strict) and bundle each layer to stacks/<layer>/bin
	$(NPM) run --silent build

lint: ## ESLint (typescript-eslint, @pulumi/eslint-plugin) and the GitHub workflow files
	$(NPM) run --silent lint

test: ## Run the unit and mock tests; ends with "N passed, N failed"
	$(NPM) run --silent test

docs: build ## Regenerate the config reference and secret mapping in each Pulumi.yaml and README.md
	node dist/scripts/config-docs.js

clean: ## Remove build output (dist/ and the layer bundles)
	rm -rf dist stacks/*/bin

deploy-all: build ## Pre-flight, then pulumi up in every layer in order (stops at the first failure), then smoke
	$(RUN) up --stack $(STACK) --flags "$(FLAGS)"
	node dist/scripts/smoke.js --stack $(STACK)

preview-all: build ## Pre-flight, then pulumi preview in every layer (placeholders for undeployed upstreams)
	$(RUN) preview --stack $(STACK) --flags "$(FLAGS)"

refresh-all: build ## pulumi refresh in every layer, in order
	$(RUN) refresh --stack $(STACK) --flags "$(FLAGS)"

destroy-all: build ## pulumi destroy in reverse order; production-like stacks need CONFIRM=<stack>
	$(RUN) destroy --stack $(STACK) --confirm "$(CONFIRM)" --flags "$(FLAGS)"

up-%: build ## pulumi up in one layer, e.g. make up-data
	$(RUN) up --stack $(STACK) --layers $* --flags "$(FLAGS)"

preview-%: build ## pulumi preview in one layer, e.g. make preview-services
	$(RUN) preview --stack $(STACK) --layers $* --flags "$(FLAGS)"

refresh-%: build ## pulumi refresh in one layer
	$(RUN) refresh --stack $(STACK) --layers $* --flags "$(FLAGS)"

destroy-%: build ## pulumi destroy in one layer; production-like stacks need CONFIRM=<stack>
	$(RUN) destroy --stack $(STACK) --layers $* --confirm "$(CONFIRM)" --flags "$(FLAGS)"

deploy-services: build ## App teams: set IMAGE_TAG=<tag> and update only the services stack
	$(RUN) deploy-services --stack $(STACK) --image-tag "$(IMAGE_TAG)" --flags "$(FLAGS)"

outputs: build ## All layers' outputs as one JSON document (secrets redacted unless SHOW_SECRETS=1)
	@$(RUN) outputs --stack $(STACK) $(if $(SHOW_SECRETS),--show-secrets)

drift: build ## Preview every layer with --expect-no-changes; non-zero exit and a summary on drift
	$(RUN) drift --stack $(STACK) --flags "$(FLAGS)"

check-config: build ## Pre-flight: validate all four layers' Pulumi.$(STACK).yaml with the programs' schemas
	node dist/scripts/preflight.js --stack $(STACK)

smoke: build ## GET the gateway /health and llm-proxy /health/liveliness from the stack outputs
	node dist/scripts/smoke.js --stack $(STACK)

bootstrap-backend: ## Create the S3 state bucket and KMS key (AWS CLI): BUCKET=<name> [AWS_REGION=...]
	scripts/bootstrap-backend.sh
