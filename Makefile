# Everyday commands. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The embedded default: SQLite under var/, tasks in-process, demo logins.
LOCAL_ENV := DEBUG=1 DATABASE_URL= REDIS_URL=
# Production-like settings for `check --deploy` (values only need to look real).
DEPLOY_ENV := DEBUG=0 ALLOWED_HOSTS=delegation.example.org EMAIL_URL=consolemail:// \
	SECRET_KEY=check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH

.PHONY: run test lint format messages lock worker beat bench bench-data loadtest fonts guide clean

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	@$(PY) -m delegation.syscheck
	@$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	@$(LOCAL_ENV) $(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	@$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite in two passes: the independent tests spread over $(TEST_PROCESSES) processes
# (pytest-xdist), then one at a time the tests that tests/conftest.py marks serial (a real
# Celery worker, a browser, a live server). Both passes always run and `make test` fails if
# either fails; a pass that selects nothing (`PYTEST_ARGS=tests/cohorts` leaves the second
# empty) is no failure, unless both select nothing.
TEST_PROCESSES ?= 2
test: $(VENV)/.dev
	first=0; second=0; \
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist worksteal -m "not serial" --durations=10 $(PYTEST_ARGS) || first=$$?; \
	$(PY) -m pytest -m serial --durations=10 $(PYTEST_ARGS) || second=$$?; \
	if [ $$first = 5 ] && [ $$second = 5 ]; then exit 5; fi; \
	for code in $$first $$second; do [ $$code = 0 ] || [ $$code = 5 ] || exit $$code; done

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (xgettext, msgmerge, msgfmt): a developer tool only; the compiled
# catalogues are committed, so running the app never needs it.
messages: $(VENV)/.dev
	$(PY) manage.py makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

lock: $(VENV)/.dev
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements-dev.txt pyproject.toml

# Benchmarks: figures printed beside their targets, never asserted. BENCH_SCALE=100k (the
# default) or 1m picks the data set, kept between runs in its own PostgreSQL database
# (BENCH_DATABASE_URL); EXPLAIN=1 also prints the plan of each page's heaviest query.
BENCH_SCALE ?= 100k
EXPLAIN ?=
BENCH_ENV := BENCH_SCALE=$(BENCH_SCALE) EXPLAIN=$(EXPLAIN)

bench: $(VENV)/.dev
	$(PY) -m benchmarks.documents
	$(BENCH_ENV) $(PY) -m benchmarks.participants
	$(BENCH_ENV) $(PY) -m benchmarks.certificates

# Build the data set of BENCH_SCALE once (every benchmark does it when it is missing).
bench-data: $(VENV)/.dev
	$(BENCH_ENV) $(PY) -m benchmarks.seed

# 50 simulated signed-in users for 60 s against gunicorn with production settings (PostgreSQL).
loadtest: $(VENV)/.dev
	$(BENCH_ENV) $(PY) -m benchmarks.loadtest

# Cut the bundled Noto Sans JP subsets again (needs Debian's fonts-noto-cjk), then write the
# WOFF2 web fonts and static/css/fonts.css from them (alone: scripts/subset_fonts.py --web-only).
fonts: $(VENV)/.dev
	$(PY) scripts/subset_fonts.py

# The user guide's screenshots (docs/panduan/img/), taken from a fresh demo in var/guide.sqlite3
# with Chromium (/usr/bin/chromium, or GUIDE_CHROMIUM=...) through Playwright.
guide: $(VENV)/.dev
	$(PY) scripts/guide_screenshots.py

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A delegation worker --queues celery,documents --loglevel INFO

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A delegation beat --loglevel INFO

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
