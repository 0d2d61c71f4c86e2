# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true
# Tests run with production-like settings (DEBUG off) but no HTTPS redirect.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-secret SECURE_SSL_REDIRECT=false \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` logs in with ORCID against a stand-in of ORCID on loopback (manage.py orcid_standin,
# the port after the site's), with a demo client: never ORCID itself, and refused unless DEBUG is on
ORCID_STANDIN_PORT ?= $(shell expr $(PORT) + 1)
RUN_ORCID := ORCID_CLIENT_ID=APP-DEMO-STANDIN ORCID_CLIENT_SECRET=demo-stand-in-secret \
	ORCID_BASE_URL=http://127.0.0.1:$(ORCID_STANDIN_PORT) ORCID_API_URL=http://127.0.0.1:$(ORCID_STANDIN_PORT)

.PHONY: run test lint typecheck format migrations-check install demo bench clean fuzz

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## run: set up the database, load the demo catalogue, then serve http://127.0.0.1:8000/ with a
## worker, the scheduler and a stand-in of ORCID beside it (Procfile.dev, under honcho: one Ctrl-C stops all)
run: $(STAMP)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — the demo item: http://$(HOST):$(PORT)/p/ipt/iptwpa/jrc108028.html"
	@echo "Log in with ORCID: a local stand-in of ORCID (not ORCID) on http://127.0.0.1:$(ORCID_STANDIN_PORT)/"
	$(DEV_ENV) $(RUN_ORCID) HARVEST_SCHEDULED=false RUN_ADDRESS=$(HOST):$(PORT) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start

## test: lint, types, migrations check, the whole suite (SQLite, or DATABASE_URL if set)
test: $(STAMP) lint typecheck migrations-check
	$(TEST_ENV) $(PY) -m pytest

## fuzz: the ReDIF parser and importer on many hostile inputs (FUZZ_EXAMPLES, default 20000)
FUZZ_EXAMPLES ?= 20000
fuzz: $(STAMP)
	$(TEST_ENV) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/reliability/test_fuzz_redif.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --tabwidth 2 --check templates

# mypy with django-stubs over catalogue/ and config/ (settings read at import: TEST_ENV)
typecheck: $(STAMP)
	$(TEST_ENV) $(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml --tabwidth 2 templates

migrations-check: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles var
