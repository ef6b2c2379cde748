# identity-stack: two entry points, `make dev` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Lambda's runtime is python3.12: take it from PATH, else from pyenv's versions folder.
PY312 ?= $(shell command -v python3.12 2>/dev/null || ls -d $(HOME)/.pyenv/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V | tail -n 1)
VENV := .venv
PY := $(VENV)/bin/python
DEPS_STAMP := $(VENV)/.deps-installed
TOOLS_VENV := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.deps-installed
MINISTACK_VENV := .venv-ministack
MINISTACK_STAMP := $(MINISTACK_VENV)/.deps-installed
export PATH := $(dir $(PY312)):$(PATH)
# Loopback traffic must never go through a proxy set in the environment.
export NO_PROXY := 127.0.0.1,localhost
export no_proxy := 127.0.0.1,localhost

.PHONY: help dev test lint typecheck pytest check-templates check-terraform check-workflows deploy-rehearsal deploy \
	frontend-test deps tools ministack frontend-deps e2e-deps clean

help:
	@echo "make dev   - install what is missing, then run the local stack (IdP :8400, moto :8500, API :8000, SPA :3000)"
	@echo "make test  - install what is missing, then run lint, mypy, every test and the template/Terraform checks"
	@echo "make typecheck - mypy --strict on the layer, local/ and each function (part of make test)"
	@echo "make deploy-rehearsal - sam deploy onto MiniStack offline, smoke-test, tear down (part of make test)"
	@echo "make deploy STAGE=dev|prod - sam build + sam deploy --config-env STAGE (AWS credentials, Terraform applied)"

$(PY):
	@test -n "$(PY312)" || { echo "python3.12 not found (PATH or ~/.pyenv/versions/3.12.*)"; exit 1; }
	$(PY312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(DEPS_STAMP): $(PY) requirements-dev.txt layers/shared/requirements.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# SAM CLI and checkov pin their own dependency trees; they live in a separate venv.
$(TOOLS_STAMP): requirements-tools.txt
	@test -x $(TOOLS_VENV)/bin/python || $(PY312) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/python -m pip install --quiet -r requirements-tools.txt
	@touch $@

# MiniStack pins an older botocore than the SAM CLI: a venv of its own (docs/deploy-rehearsal.md).
$(MINISTACK_STAMP): requirements-ministack.txt
	@test -x $(MINISTACK_VENV)/bin/python || $(PY312) -m venv $(MINISTACK_VENV)
	$(MINISTACK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINISTACK_VENV)/bin/python -m pip install --quiet -r requirements-ministack.txt
	@touch $@

# npm writes node_modules/.package-lock.json on every install: newer than the lock file means up to date.
FRONTEND_STAMP := frontend/node_modules/.package-lock.json
$(FRONTEND_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

deps: $(DEPS_STAMP)
tools: $(TOOLS_STAMP)
ministack: $(MINISTACK_STAMP)
frontend-deps: $(FRONTEND_STAMP)
# Browser tests drive Debian's Chromium (tests/e2e); Playwright's own browser downloads are never used.
e2e-deps:
	@command -v chromium >/dev/null || { sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y chromium; }

dev: deps frontend-deps
	$(PY) -m local dev

lint: deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The layer and local/ in one run ([tool.mypy] in pyproject.toml); then each function on its own, with its folder on
# the path as the Lambda task root, because every function's handler module is the top-level `app`.
typecheck: deps
	$(PY) -m mypy
	@for folder in functions/*/; do \
		echo "mypy $${folder}app.py"; \
		MYPYPATH=$${folder%/} $(PY) -m mypy --follow-imports=silent $${folder}app.py || exit 1; \
	done

pytest: deps frontend-deps e2e-deps
	$(PY) -m pytest

check-templates: deps tools
	$(VENV)/bin/cfn-lint template.yaml
	$(TOOLS_VENV)/bin/sam validate --lint --template template.yaml --region us-east-1
	$(TOOLS_VENV)/bin/sam build --template template.yaml --build-dir .aws-sam/build --cached --parallel

# Only `terraform fmt` runs: providers cannot be downloaded offline (checkov and python-hcl2 tests do the rest).
check-terraform: tools
	@command -v terraform >/dev/null || { echo "terraform CLI not found: install Terraform >= 1.10 (only 'fmt' is used)"; exit 1; }
	terraform -chdir=infra fmt -check -recursive
	$(TOOLS_VENV)/bin/checkov --quiet --compact --skip-download -d infra --framework terraform

# .github/ offline: actionlint (with shellcheck on every run: script) and zizmor's offline audits; any finding fails.
check-workflows: tools
	$(TOOLS_VENV)/bin/actionlint -shellcheck $(TOOLS_VENV)/bin/shellcheck
	$(TOOLS_VENV)/bin/zizmor --offline --no-progress --quiet .github

# The whole rehearsal takes about a minute; the bound stops a hung emulator (SIGINT: the stack is still deleted).
REHEARSAL_TIMEOUT_S ?= 1500
deploy-rehearsal: deps tools ministack
	timeout --signal=INT --kill-after=60 $(REHEARSAL_TIMEOUT_S) $(PY) -m local.rehearsal

# Deploys the current checkout to a stage whose Terraform is applied, from a machine with AWS credentials. CI does not
# run this target: deploy.yml runs the same two SAM commands in separate jobs (sam build without AWS access, sam deploy
# with the deploy role; docs/ci.md). SAM_DEPLOY_FLAGS=--no-confirm-changeset for an unattended run (dev's samconfig
# section asks for confirmation at a terminal).
SAM_DEPLOY_FLAGS ?=
deploy: tools
	@case "$(STAGE)" in dev|prod) ;; *) echo "usage: make deploy STAGE=dev|prod"; exit 2;; esac
	$(TOOLS_VENV)/bin/sam build --template template.yaml --build-dir .aws-sam/build-$(STAGE)
	bucket=$$($(TOOLS_VENV)/bin/python scripts/artifacts_bucket.py $(STAGE)) && \
	$(TOOLS_VENV)/bin/sam deploy --config-env $(STAGE) --template-file .aws-sam/build-$(STAGE)/template.yaml \
		--s3-bucket "$$bucket" $(SAM_DEPLOY_FLAGS)

frontend-test: frontend-deps
	cd frontend && npm run lint && npm test && npm run build && npm run check:budget

test: lint typecheck check-templates check-terraform check-workflows frontend-test deploy-rehearsal pytest

clean:
	rm -rf .aws-sam .pytest_cache .ruff_cache .mypy_cache
