# Proliferate infrastructure: four Pulumi micro-stacks. `make` (or `make help`) lists the targets.
#
# Variables: STACK (default dev; "org/dev" works too), FLAGS (extra pulumi arguments, split like shell
# words but never run by a shell, e.g. FLAGS="--yes --diff"), POLICY_PACK (default policy: the pack
# every preview and up runs; empty turns it off), IMAGE_TAG (deploy-services), CONFIRM (destroy of a
# production-like stack), SHOW_SECRETS=1 (outputs), TIMEOUT (per-layer time limit, e.g. 45m),
# IGNORE_DOWNSTREAM=1 (destroy an upstream layer that downstream stacks still use), BACKEND (state
# backend URL; see docs/operations.md for how it is chosen), SECRETS_PROVIDER.
#
# No make variable reaches a shell: each is handed to the runner as an environment variable, taken
# unexpanded with $(value ...), and validated there (scripts/runner/request.ts).
SHELL := bash
# No -u: Debian's bash reads /etc/bash.bashrc when stdin is a socket (as under Node's spawn), which trips on it.
.SHELLFLAGS := -e -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

NPM ?= npm
STACK ?= dev
FLAGS ?=
IMAGE_TAG ?=
CONFIRM ?=
SHOW_SECRETS ?=
POLICY_PACK ?= policy
TIMEOUT ?=
IGNORE_DOWNSTREAM ?=
# make plan: FORMAT=text|json|markdown|html, OUT=<file>, BASE=<git-ref> to compare with another commit.
FORMAT ?=
OUT ?=
BASE ?=

# make would expand these (make functions included) to export them to recipes; the runner gets
# the raw text through PROLIFERATE_* instead.
unexport STACK FLAGS IMAGE_TAG CONFIRM SHOW_SECRETS POLICY_PACK TIMEOUT IGNORE_DOWNSTREAM FORMAT OUT BASE
export PROLIFERATE_STACK := $(value STACK)
export PROLIFERATE_FLAGS := $(value FLAGS)
export PROLIFERATE_IMAGE_TAG := $(value IMAGE_TAG)
export PROLIFERATE_CONFIRM := $(value CONFIRM)
export PROLIFERATE_SHOW_SECRETS := $(value SHOW_SECRETS)
export PROLIFERATE_POLICY_PACK := $(value POLICY_PACK)
export PROLIFERATE_TIMEOUT := $(value TIMEOUT)
export PROLIFERATE_IGNORE_DOWNSTREAM := $(value IGNORE_DOWNSTREAM)
export PROLIFERATE_PLAN_FORMAT := $(value FORMAT)
export PROLIFERATE_PLAN_OUT := $(value OUT)
export PROLIFERATE_PLAN_BASE := $(value BASE)

# Scripts start from their TypeScript sources (bundled in memory, no build step).
CLI := node scripts/cli.cjs
RUN := $(CLI) layers

# `make build` type-checks and compiles to dist/ (the tests run from there) only when a source
# changed: the stamp is newer than every input, so a no-op build costs a timestamp check.
SOURCES := $(shell find shared stacks scripts policy test -name '*.ts' -not -path '*/node_modules/*' 2>/dev/null)
BUILD_STAMP := dist/.build-stamp

# The per-layer pattern targets (up-%, preview-%, ...) are not listed here on purpose: make skips
# pattern rules for .PHONY targets.
.PHONY: help install build lint test test-unit engine e2e docs clean plan deploy-all preview-all refresh-all destroy-all deploy-services \
	outputs drift check-config smoke bootstrap-backend migrate-plan migrate-apply migrate-rollback

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-22s %s\n", $$1, $$2}'

install: ## Install the pinned dependencies from package-lock.json
	$(NPM) ci --no-audit --no-fund

$(BUILD_STAMP): $(SOURCES) tsconfig.json package-lock.json
	$(NPM) run --silent build
	@touch $@

build: $(BUILD_STAMP) ## Type-check and compile (tsc, strict, incremental) to dist/; a no-op when nothing changed

lint: ## Prettier check, ESLint (typescript-eslint, @pulumi/eslint-plugin) and the GitHub workflow files
	$(NPM) run --silent lint

# Test files: all of them, or TESTS=test/unit/runner.test.ts (sources; their compiled twins in dist/
# run). Handed over as an environment variable like the others: the shell only splits it into words.
TESTS ?=
unexport TESTS
export PROLIFERATE_TEST_FILES := $(patsubst %.ts,dist/%.js,$(value TESTS))

test: $(BUILD_STAMP) ## All tests: unit, mock, policy and make-target tests (TESTS=<file.ts> for some); "N passed, N failed"
	node_modules/.bin/mocha $${PROLIFERATE_TEST_FILES:-'dist/test/**/*.test.js'}

test-unit: $(BUILD_STAMP) ## The fast feedback loop: unit, layer (mocks), policy, plan and simulator tests, without the make-target scenarios
	node_modules/.bin/mocha 'dist/test/{unit,layers,policy,plan}/**/*.test.js' 'dist/test/engine/**/*.test.js'

engine: ## Build the real Pulumi CLI from its Go modules into a cache outside the repo (once; then instant)
	tools/pulumi-engine/build.sh >/dev/null

e2e: $(BUILD_STAMP) engine ## The real engine over a simulated AWS, moto for S3 state and KMS secrets, driven through make
	node_modules/.bin/mocha --timeout 900000 'dist/test/e2e/**/*.e2e.js' 'dist/test/engine/**/*.e2e.js' 'dist/test/migrate/**/*.e2e.js'

docs: $(BUILD_STAMP) ## Regenerate the config reference and the policy table in docs/
	node dist/scripts/config-docs.js

clean: ## Remove build output (dist/)
	rm -rf dist

# SMOKE=0 skips the smoke checks after deploy-all (for a network that cannot reach the load balancers).
SMOKE ?= 1

deploy-all: $(BUILD_STAMP) ## Pre-flight, then pulumi up in every layer in order (stops at the first failure), then smoke
	$(RUN) up
	$(if $(filter 0,$(value SMOKE)),@echo "smoke: skipped (SMOKE=0)",$(CLI) smoke)

preview-all: $(BUILD_STAMP) ## Pre-flight, then pulumi preview in every layer (placeholders for undeployed upstreams)
	$(RUN) preview

refresh-all: $(BUILD_STAMP) ## pulumi refresh in every layer, in order
	$(RUN) refresh

destroy-all: $(BUILD_STAMP) ## pulumi destroy in reverse order; production-like stacks need CONFIRM=<stack>
	$(RUN) destroy

# The layer comes from the target's stem, handed over unexpanded like every other variable.
up-% preview-% refresh-% destroy-%: export PROLIFERATE_LAYER = $*

up-%: $(BUILD_STAMP) ## pulumi up in one layer, e.g. make up-data
	$(RUN) up

preview-%: $(BUILD_STAMP) ## pulumi preview in one layer, e.g. make preview-services
	$(RUN) preview

refresh-%: $(BUILD_STAMP) ## pulumi refresh in one layer
	$(RUN) refresh

destroy-%: $(BUILD_STAMP) ## pulumi destroy in one layer; production-like stacks need CONFIRM=<stack>
	$(RUN) destroy

deploy-services: $(BUILD_STAMP) ## App teams: IMAGE_TAG=<tag> updates only the services stack
	$(RUN) deploy-services

outputs: ## All layers' outputs as one JSON document on stdout (secrets redacted unless SHOW_SECRETS=1)
	@$(RUN) outputs

drift: ## Refresh-preview every layer: no changes / drifted / could not check (non-zero exit on either)
	$(RUN) drift

plan: ## Offline plan of all four layers (Pulumi.$(STACK).yaml or the dev examples): resources, outputs, policies, cost, rollout; BASE=<ref> diffs and gates output contracts; FORMAT=json|markdown|html; no cloud
	@$(CLI) plan

check-config: ## Pre-flight: validate all four layers' Pulumi.$(STACK).yaml with the programs' schemas
	$(CLI) preflight

smoke: ## GET the gateway /health and llm-proxy /health/liveliness from the stack outputs
	$(CLI) smoke

bootstrap-backend: ## Create the S3 state bucket and KMS key (AWS CLI): BUCKET=<name> [AWS_REGION=...]
	scripts/bootstrap-backend.sh

# Monolith migration (docs/migration.md): STACK names the layers' stack; the mapping is migration/$(STACK)/mapping.json.
# migrate-plan's inputs, handed over unexpanded like STACK (validated in scripts/migrate/request.ts).
SOURCE ?=
SOURCE_DIR ?=
unexport SOURCE SOURCE_DIR
migrate-plan: export PROLIFERATE_SOURCE := $(value SOURCE)
migrate-plan: export PROLIFERATE_SOURCE_DIR := $(value SOURCE_DIR)

migrate-plan: ## Plan adopting a monolith: SOURCE=<org>/proliferate-infra/<stack> STACK=<stack> SOURCE_DIR=<its folder>; writes migration/<stack>/mapping.json
	$(CLI) migrate-plan

migrate-apply: ## Move the monolith's resources into the four layer stacks per migration/$(STACK)/mapping.json (backup, resumable, preview-checked)
	$(CLI) migrate-apply

migrate-rollback: ## Restore the state backups migrate-apply took (every stack involved, reverse order) and clear its journal
	$(CLI) migrate-rollback
