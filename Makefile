VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# The report's faces (Noto CJK: 黑体/宋体; AR PL UKai: 楷体; TeX Live's Fandol: 仿宋) and
# HarfBuzz subsetting for the PDF, gettext for translations, libpq-dev to build
# psycopg2, postgresql-client for pg_dump/pg_restore (manage.py backup and restore);
# chromium, poppler-utils and LibreOffice Writer for the browser, PDF and Word tests;
# redis-server for the tests that run a real Celery worker.
RUN_PACKAGES := fonts-noto-cjk fonts-arphic-ukai texlive-lang-chinese libharfbuzz-subset0 gettext libpq-dev gcc postgresql-client
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui redis-server

.PHONY: run test setup setup-test demo lint format migrations-check deploy-check bench ci clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup:
	bash scripts/system-packages.sh $(RUN_PACKAGES)
	$(MAKE) --no-print-directory $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv

setup-test:
	bash scripts/system-packages.sh $(TEST_PACKAGES)
	command -v npm >/dev/null || bash scripts/system-packages.sh npm
	$(MAKE) --no-print-directory node_modules/.installed setup

# axe-core for the accessibility checks in the browser tests (package.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-fund --no-audit --loglevel=error
	touch $@

## Serve the 2021 demo on http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set).
run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole test suite (DATABASE_URL=postgres://... runs it on PostgreSQL).
test: setup-test
	$(PY) -m pytest -q

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run

deploy-check:
	DEBUG=false SECRET_KEY=deploy-check-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	ALLOWED_HOSTS=assessment.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: setup
	$(PY) benchmarks/run.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media .test-db.sqlite3*
