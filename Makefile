# Entry point for everything. `make dev` runs the platform locally, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := libs/crm_proto libs/crm_core $(wildcard services/*) gateway
STAMP := $(VENV)/.installed
# The policy scanner of the rendered chart (checkov, from PyPI) in a virtual environment of its own: its
# pinned dependencies never meet the platform's. tests/charts/test_scanner.py runs it.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed
CHECKOV_VERSION := 3.3.30
# The web client's tooling (Biome, esbuild: web/package-lock.json); reinstalled when the lock changes.
WEB_STAMP := web/node_modules/.installed
# A real S3-compatible server (s3rver, an npm package serving a folder) for the documents service's blob-store tests.
S3SERVER_DIR := services/documents/tests/s3server
S3SERVER_STAMP := $(S3SERVER_DIR)/node_modules/.installed
# The web client's build (web/build.mjs -> web/dist/), rebuilt when a source changes; the gateway serves it when it
# is newer than every source (CRM_GATEWAY_WEB_BUNDLE=auto), so an edited module is served unbuilt until the next build.
WEB_BUNDLE := web/dist/bundle.json
WEB_SOURCES := web/index.html web/favicon.svg web/build.mjs $(shell find web/js web/css web/i18n web/fonts -type f 2>/dev/null)
# make dev serves the sources (edit a module, reload); WEB_BUNDLE_MODE=on builds and serves the build.
WEB_BUNDLE_MODE ?= off

.PHONY: setup web s3server scanner infra chromium pdf-libs dev test test-unit lint format proto proto-check new-service bench faults charts clean

$(STAMP): requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt $(foreach p,$(PACKAGES),-e $(p))
	touch $(STAMP)

setup: $(STAMP) $(WEB_BUNDLE) ## virtual environment with every package installed editable; the web client's build

$(SCAN_STAMP): Makefile
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install -q checkov==$(CHECKOV_VERSION)
	touch $(SCAN_STAMP)

scanner: $(SCAN_STAMP) ## checkov in .venv-scan, for the chart's policy scan (tests/charts/test_scanner.py)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

$(S3SERVER_STAMP): $(S3SERVER_DIR)/package.json $(S3SERVER_DIR)/package-lock.json
	cd $(S3SERVER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(S3SERVER_STAMP)

s3server: $(S3SERVER_STAMP) ## s3rver (npm) for the documents service's S3 blob-store tests

$(WEB_BUNDLE): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && node build.mjs

web: $(WEB_BUNDLE) ## build the web client (web/dist/: minified bundle, lazy chunks, one stylesheet) when a source changed

infra: setup pdf-libs ## start PostgreSQL and NATS when nothing answers on their ports
	./scripts/infra.sh

# WeasyPrint (the documents service's PDFs) loads pango and harfbuzz at import; DejaVu renders Cyrillic.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core
pdf-libs: ## Debian's pango, harfbuzz and DejaVu fonts for the documents service's PDFs, when missing
	@if dpkg -s $(PDF_LIBS) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(PDF_LIBS) (Debian packages) for the documents service"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; \
	else echo "pdf-libs: $(PDF_LIBS) are missing and cannot be installed here (needs root and apt-get)"; fi

dev: infra ## run the whole platform locally (Ctrl-C stops it); REPLICAS=contacts=2 runs more processes of a service
	CRM_GATEWAY_WEB_BUNDLE=$(WEB_BUNDLE_MODE) CRM_ADMIN_PASSWORD=$${CRM_ADMIN_PASSWORD:-admin} CRM_LOG_FORMAT=$${CRM_LOG_FORMAT:-console} $(PY) -m crm_core.launcher --replicas "$(REPLICAS)"

chromium: ## Debian's Chromium for the browser tests (Playwright cannot download its own here)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get); browser tests will be skipped"; fi

test: infra chromium scanner web s3server ## the whole suite: unit, integration, e2e (API and browser), charts, stubs
	$(PY) -m pytest -q

test-unit: setup s3server
	$(PY) -m pytest -q -m "not e2e" services/*/tests/unit libs/crm_core/tests

# mypy reads every package from its source folder (editable installs hide them from it): with them on its
# path, a call into crm_core, another module or the protobuf stubs is checked, not Any.
empty :=
space := $(empty) $(empty)
export MYPYPATH := $(subst $(space),:,$(wildcard libs/*/src services/*/src) gateway/src)

lint: setup $(WEB_STAMP) ## ruff (lint + format check) and mypy on libs/, the gateway, the services and faults/; Biome on web/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy libs/crm_core/src
	$(VENV)/bin/mypy gateway/src
	$(VENV)/bin/mypy faults
	for s in services/*/src; do $(VENV)/bin/mypy $$s || exit 1; done
	cd web && node_modules/.bin/biome ci --colors=off .

format: setup $(WEB_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	cd web && node_modules/.bin/biome check --write .

proto: setup ## regenerate libs/crm_proto from proto/
	$(PY) scripts/gen_proto.py

new-service: setup ## a new service from scripts/service_template: make new-service NAME=marketing [PORT=50060 TITLE_EN=... TITLE_RU=...]
	@test -n "$(NAME)" || { echo "usage: make new-service NAME=<lowercase name> [PORT=...] [TITLE_EN=...] [TITLE_RU=...]"; exit 2; }
	$(PY) scripts/new_service.py "$(NAME)" $(if $(PORT),--port "$(PORT)") $(if $(TITLE_EN),--title-en "$(TITLE_EN)") $(if $(TITLE_RU),--title-ru "$(TITLE_RU)")

bench: infra ## benchmarks that print numbers
	$(PY) bench/parties.py
	$(PY) bench/deals_kanban.py
	$(PY) bench/processes.py
	$(PY) bench/replicas.py
	$(PY) bench/load_parties.py --count 20000
	$(PY) bench/contacts_scale.py --sizes 10000 --bulk 20000
	$(PY) bench/documents.py
	$(PY) bench/helpdesk_tickets.py
	$(PY) bench/helpdesk_intake.py

faults: setup ## the fault suite: six failures under load on servers of its own (FAULTS_ARGS="--scenarios nats-wipe --after 20")
	$(PY) -m faults $(FAULTS_ARGS)

charts: setup scanner ## render, lint and validate the Helm charts offline
	$(PY) -m pytest -q tests/charts

clean:
	rm -rf $(VENV) $(SCAN_VENV) .dev .pytest_cache .ruff_cache .mypy_cache artifacts web/node_modules web/dist $(S3SERVER_DIR)/node_modules
