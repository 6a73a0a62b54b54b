# Samverkansportalen. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
PHONY_EXTRA := objectstore-tools cluster cluster-stop drill redis-server
.PHONY: help install browser-tools idp-tools $(PHONY_EXTRA) run demo test lint typecheck messages check-messages bench db-stop lock clean backup restore run-prod

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the pinned dependencies

demo: install ## Migrate and load the demo data with the demo accounts (only what changed since the last time)
	$(PY) manage.py prepare_run --with-accounts

run: demo ## Set up, load the demo data, start the web server and a Celery worker
	@echo "Samverkansportalen: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@$(PY) -m samverkan.serve_dev $(HOST):$(PORT)

run-prod: install ## Try the production configuration here: gunicorn (4 workers), WhiteNoise, a real worker
	$(PY) -m samverkan.serve_prod

lint: install ## ruff (lint and format check) and the import contracts (layers, no circles)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install ## mypy with django-stubs
	$(BIN)/mypy .

PO := locale/sv/LC_MESSAGES/django.po

# The extraction's date is put back: without a new or changed string the catalogue stays
# as committed (a test run leaves no change behind).
check-messages: install ## Re-extract the UI strings when gettext is present (the tests then demand a translation for each)
	@if command -v xgettext >/dev/null; then \
		created="$$(grep '^"POT-Creation-Date:' $(PO))"; \
		$(PY) manage.py makemessages -l sv --add-location file --ignore '.venv/*' --ignore 'staticfiles/*' >/dev/null; \
		CREATED="$$created" $(PY) -c 'import os, pathlib, re; po = pathlib.Path("$(PO)"); po.write_text(re.sub(r"(?m)^\"POT-Creation-Date:.*$$", lambda _: os.environ["CREATED"], po.read_text("utf-8"), count=1), "utf-8")'; \
	else echo "gettext not installed: string extraction skipped (the committed catalogue is checked)"; fi

messages: check-messages ## Extract and compile the translations
	$(PY) manage.py compilemessages --ignore '.venv/*' >/dev/null

BROWSER := tests/browser
BROWSER_TOOLS := $(BROWSER)/node_modules/.installed-stamp

$(BROWSER_TOOLS): $(BROWSER)/package.json $(BROWSER)/package-lock.json
	npm ci --prefix $(BROWSER) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

IDP := tests/idp
IDP_TOOLS := $(IDP)/node_modules/.installed-stamp

$(IDP_TOOLS): $(IDP)/package.json $(IDP)/package-lock.json
	npm ci --prefix $(IDP) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

OBJECTSTORE := samverkan/cluster
OBJECTSTORE_TOOLS := $(OBJECTSTORE)/node_modules/.installed-stamp

$(OBJECTSTORE_TOOLS): $(OBJECTSTORE)/package.json $(OBJECTSTORE)/package-lock.json
	npm ci --prefix $(OBJECTSTORE) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

objectstore-tools: $(OBJECTSTORE_TOOLS) ## The S3-compatible object store make cluster and the tests start (s3rver, npm)

idp-tools: $(IDP_TOOLS) ## The identity providers the sign-in tests start (oidc-provider, npm)

browser-tools: $(BROWSER_TOOLS) ## Debian's Chromium and Java (apt-get, when missing), axe-core and vnu-jar (npm)
	@command -v chromium >/dev/null || test -n "$$SAMVERKAN_CHROMIUM" || \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) || \
		(echo "Install Debian's chromium package (the browser tests drive it)" && exit 1)
	@command -v java >/dev/null || \
		(apt-get install -y -qq default-jre-headless >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null)) || \
		(echo "Install Java (the Nu Html Checker runs on it)" && exit 1)

test: install browser-tools idp-tools objectstore-tools check-messages lint typecheck ## The whole suite: lint, types, migrations, tests (browser journeys included)
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	SAMVERKAN_BROKER_DIR=$(CURDIR)/.data/broker-test $(PY) -m pytest -n 2 --dist loadgroup

bench: install ## Every benchmark at full scale in one table (see docs/benchmarks.md)
	$(PY) bench/run.py

redis-server:
	@command -v redis-server >/dev/null || \
		(apt-get install -y -qq redis-server >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)) || \
		(echo "Install Redis (Debian: redis-server)" && exit 1)

cluster: install objectstore-tools redis-server ## Two web nodes (127.0.0.1:8101, :8102), a worker, Redis, PostgreSQL and an S3 object store, demo loaded (docs/deployment.md)
	$(PY) -m samverkan.cluster start

drill: install objectstore-tools redis-server ## The drill over two web nodes (tests/samverkan/test_cluster.py; .ci/run runs it after make test)
	$(PY) -m pytest -m cluster tests/samverkan/test_cluster.py

cluster-stop: ## Stop what make cluster started
	$(PY) -m samverkan.cluster stop

db-stop: ## Stop the embedded PostgreSQL server
	$(PY) -m samverkan.embedded_db stop

backup: install ## Back up the database and the stored files to .data/backups/<time>/ (or BACKUP_DIR)
	$(PY) manage.py backup $(BACKUP_DIR)

restore: install ## Restore BACKUP=<folder> into an empty installation (empty database, no files)
	@test -n "$(BACKUP)" || (echo "Say which: make restore BACKUP=.data/backups/<time>" && exit 2)
	$(PY) manage.py restore $(BACKUP)

lock: ## Re-pin the dependencies after changing pyproject.toml
	$(PY) -m pip freeze --exclude-editable | grep -v '^samverkansportalen' > requirements.lock

clean: ## Remove the virtualenv and caches (keeps .data/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
