"""Fixtures the training tests share: a batch's plan and a session of it."""

import pytest

from tests.factories import CohortFactory, ModuleFactory, SessionFactory, TrainingPlanFactory


@pytest.fixture
def plan(cohort):
    return TrainingPlanFactory(cohort=cohort)


@pytest.fixture
def session(plan):
    return SessionFactory(module=ModuleFactory(plan=plan))


@pytest.fixture
def other_session(other_program):
    """A session of a batch nobody in the fixed cast is assigned to."""
    plan = TrainingPlanFactory(cohort=CohortFactory(program=other_program))
    return SessionFactory(module=ModuleFactory(plan=plan))
