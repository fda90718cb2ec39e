"""Recording one exam's results for a whole batch (``training.services.cohort_exams_record``)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from participants.models import Status
from tests.factories import ParticipantFactory, UserFactory
from training.models import ExamResult, ExamType
from training.services import cohort_exams_record, score_from_text

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 11, 12)


@pytest.fixture
def people(cohort):
    return [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(3)]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _record(people, entries, code="jft-basic"):
    return cohort_exams_record(
        people=people,
        exam_type=ExamType.objects.get(code=code),
        date=DAY,
        entries=entries,
        by=UserFactory(),
    )


def test_it_saves_a_result_for_each_filled_row_and_skips_the_empty_ones(people):
    first, second, third = people
    outcome = _record(people, {first.pk: ("215", ""), second.pk: ("187,5", ""), third.pk: ("", "")})
    assert outcome.saved == 2
    assert outcome.row_errors == {}
    saved = {r.participant_id: (r.score, r.passed) for r in ExamResult.objects.all()}
    assert saved == {first.pk: (Decimal("215"), True), second.pk: (Decimal("187.5"), False)}
    assert ExamResult.history.count() == 2


def test_one_wrong_row_saves_nothing_and_names_each_wrong_row(people):
    first, second, third = people
    outcome = _record(
        people, {first.pk: ("215", ""), second.pk: ("abc", ""), third.pk: ("999", "")}
    )
    assert outcome.saved == 0
    assert outcome.row_errors == {
        second.pk: "“abc” is not a score.",
        third.pk: "The highest score of JFT-Basic is 250.0.",
    }
    assert not ExamResult.objects.exists()


def test_a_pass_fail_exam_takes_the_verdict(people):
    first, *_ = people
    outcome = _record(people, {first.pk: ("", "pass")}, code="jlpt-n4")
    assert outcome.saved == 1
    assert ExamResult.objects.get().passed is True


def test_nothing_entered_saves_nothing_and_reports_no_row(people):
    outcome = _record(people, {})
    assert (outcome.saved, outcome.row_errors) == (0, {})
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("text", ["NaN", "-1", "1e9", "12.3.4", "Infinity"])
def test_a_score_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        score_from_text(text)
