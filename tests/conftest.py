import os

import pytest
from celery import current_app

from delegation.roles import Role
from tests.factories import UserFactory


def require(reason: str, *, env: str = "REQUIRE_SERVICES") -> None:
    """Skip with a visible reason, or fail when the environment demands the dependency."""
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 demands it)")
    pytest.skip(reason)


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
