import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from delegation.roles import Role
from tests.demo import load_demo
from tests.factories import (
    CohortAssignmentFactory,
    CohortFactory,
    ProgramAssignmentFactory,
    ProgramFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[1]

# `make test` runs the suite in two passes: the independent tests spread over two processes by
# pytest-xdist (`-n 2 -m "not serial"`), then the tests marked ``serial`` one at a time
# (`-m serial`). Serial are the tests that start a real Celery worker (it takes any message on
# the shared queues, and a test process beside it slows it past its time limits), drive
# Chromium or serve a live server. They are marked here, from the fixtures they use and the
# helpers they call, so that a new one cannot be forgotten.
SERIAL_FIXTURES = {"worker", "browser", "page", "live_server"}
SERIAL_HELPERS = {"start_worker"}

# Under pytest-xdist each test process is named (gw0, gw1, ...) and pytest-django gives it a
# database of its own (test_<name>_gw0, ...); its temporary folders are its own too. Its keys in
# Redis (the broker's queues, the cache) get its name as a prefix (after REDIS_KEY_PREFIX, if
# one is set), which the Celery workers and programs it starts inherit through REDIS_KEY_PREFIX.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _isolate_redis_keys(process_name: str) -> None:
    prefix = f"{django_settings.REDIS_KEY_PREFIX}test-{process_name}:"
    os.environ["REDIS_KEY_PREFIX"] = prefix
    django_settings.REDIS_KEY_PREFIX = prefix
    default_cache = django_settings.CACHES["default"]
    if "KEY_PREFIX" in default_cache:
        default_cache["KEY_PREFIX"] = f"{prefix}cache"
    current_app.conf.broker_transport_options = {
        **current_app.conf.broker_transport_options,
        "global_keyprefix": prefix,
    }


if XDIST_WORKER:
    _isolate_redis_keys(XDIST_WORKER)


# Property tests (hypothesis). Locally each test draws the number of examples it names. Under
# HYPOTHESIS_PROFILE=ci (set by .ci/run) the slow ones, which go through the database and the
# views and name their number with ``examples()``, draw at most CI_EXAMPLES; every @example
# still runs. The fast ones (pure functions: the NIK, the spreadsheet cells) keep theirs.
CI_EXAMPLES = 10
hypothesis_settings.register_profile("ci", max_examples=CI_EXAMPLES, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def examples(wanted: int) -> int:
    """The examples a slow property test draws: its own number, at most the profile's."""
    return min(wanted, hypothesis_settings.default.max_examples)


def _names_called(code) -> set[str]:
    """The global names a function's code (and the functions defined in it) refers to."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            names |= _names_called(constant)
    return names


def is_serial(item) -> bool:
    if item.get_closest_marker("serial") or item.get_closest_marker("browser"):
        return True
    callspec = getattr(item, "callspec", None)
    parameters = set(callspec.params) if callspec else set()  # e.g. a parameter named page
    if SERIAL_FIXTURES & (set(getattr(item, "fixturenames", ())) - parameters):
        return True
    function = getattr(item, "function", None)
    return function is not None and bool(SERIAL_HELPERS & _names_called(function.__code__))


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Mark the serial tests; browser tests run last (Playwright's event loop stays up until
    the session ends)."""
    for item in items:
        if is_serial(item) and not item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.serial)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def require(reason: str, *, env: str = "REQUIRE_SERVICES") -> None:
    """Skip with a visible reason, or fail when the environment demands the dependency."""
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 demands it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test starts with an empty cache of its own (never the shared Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever a previous request chose."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_reminders_on_first_visit(settings):
    """Pages answer without computing the day's reminders, unless a test turns it on."""
    settings.REMINDERS_ON_FIRST_VISIT = False


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):
    """Tasks run in the test's process unless a test asks for a real worker."""
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def hr(db):
    return UserFactory(username="hr", role=Role.HR_STAFF)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", role=Role.COORDINATOR)


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=Role.LEADERSHIP)


@pytest.fixture
def instructor(db):
    return UserFactory(username="instructor", role=Role.INSTRUCTOR)


@pytest.fixture
def outsider(db):
    """A signed-in user with no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def program(db):
    """A programme with one batch, the coordinator, leadership and instructor assigned."""
    return ProgramFactory(name="Kaikoukai G-to-B", slug="kaikoukai")


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, number=4, year=2026)


@pytest.fixture
def other_program(db):
    """A programme nobody in the fixed cast is assigned to."""
    return ProgramFactory(name="Another partner's programme", slug="other")


@pytest.fixture
def assigned(program, cohort, coordinator, leadership, instructor):
    """Assign the coordinator and leadership to ``program`` and the instructor to ``cohort``."""
    ProgramAssignmentFactory(program=program, user=coordinator, role="coordinator")
    ProgramAssignmentFactory(program=program, user=leadership, role="leadership")
    CohortAssignmentFactory(cohort=cohort, user=instructor)


def start_worker(hostname: str = "worker@tests"):
    """A real Celery worker process on the test database and the real Redis broker."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        require("REDIS_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: a worker process cannot share the test database")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "delegation",
            "worker",
            "--pool",
            "solo",
            "--queues",
            "celery,documents",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            hostname,
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    current_app.conf.task_always_eager = False
    return process


def stop_worker(process) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.fixture
def worker(transactional_db):
    process = start_worker()
    try:
        yield process
    finally:
        stop_worker(process)


@pytest.fixture
def demo(transactional_db, tmp_path_factory):
    """Everything `seed_demo --demo-users` makes (seeded once per process: tests/demo.py)."""
    load_demo(tmp_path_factory.getbasetemp())


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright (Debian's chromium, not a downloaded one)."""
    if not os.path.exists(CHROMIUM):
        require(f"Chromium is not installed at {CHROMIUM}", env="REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
