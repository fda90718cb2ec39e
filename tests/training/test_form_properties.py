"""Properties of the training forms posted through their pages with generated input: never a
500; invalid input is shown back with a message and saves nothing; nothing saved holds a NUL
character (PostgreSQL refuses those). Each example is rolled back."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from participants.models import Status
from tests.conftest import examples
from tests.factories import ParticipantFactory, SessionFactory
from tests.participants.test_form_properties import any_value, changed, post_and_check
from training.models import Attendance, ExamResult, ExamType

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_the_exam_result_form_never_fails_and_saves_only_valid_results(hr, cohort, data):
    participant = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    good = {
        "exam_type": str(ExamType.objects.get(code="jft-basic").pk),
        "date": "2025-11-12",
        "score": "230",
        "verdict": "",
        "note": "Lulus",
    }
    post_and_check(
        hr,
        reverse("training:exam_result_create", args=[participant.pk]),
        data.draw(changed(good)),
        ExamResult,
    )


@SETTINGS
@given(score=any_value, verdict=st.one_of(st.sampled_from(["", "pass", "fail"]), any_value))
@example(score="NaN", verdict="")
@example(score="sNaN", verdict="")
@example(score="-Infinity", verdict="")
def test_the_batch_exam_page_never_fails_and_saves_all_or_nothing(
    assigned, instructor, cohort, score, verdict
):
    client = Client(raise_request_exception=False)
    client.force_login(instructor)
    with transaction.atomic():
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(2)]
        data = {
            "exam_type": str(ExamType.objects.get(code="jft-basic").pk),
            "date": "2025-11-12",
            f"score-{people[0].pk}": "230",
            f"score-{people[1].pk}": score,
            f"verdict-{people[1].pk}": verdict,
        }
        response = client.post(reverse("training:cohort_exams", args=[cohort.pk]), data)
        assert response.status_code in (200, 302), (score, verdict)
        saved = ExamResult.objects.filter(participant__in=people).count()
        if response.status_code == 302:
            # The first person's result always; the second's unless the row was left empty
            # (the page skips a row with neither a score nor a verdict).
            empty = not score.strip() and not verdict
            assert ExamResult.objects.filter(participant=people[0]).count() == 1
            assert saved == (1 if empty else 2), (score, verdict)
        else:
            assert saved == 0
        transaction.set_rollback(True)


@SETTINGS
@given(status=st.one_of(st.sampled_from(Attendance.Status.values), any_value), note=any_value)
@example(status="present", note="Datang\x00terlambat")
def test_the_attendance_page_never_fails_and_saves_all_or_nothing(
    assigned, instructor, cohort, status, note
):
    client = Client(raise_request_exception=False)
    client.force_login(instructor)
    with transaction.atomic():
        session = SessionFactory(module__plan__cohort=cohort)
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(2)]
        data = {
            f"status-{people[0].pk}": "present",
            f"status-{people[1].pk}": status,
            f"note-{people[1].pk}": note,
        }
        response = client.post(reverse("training:attendance", args=[session.pk]), data)
        assert response.status_code in (200, 302), (status, note)
        rows = list(Attendance.objects.filter(session=session))
        if response.status_code == 302:
            assert len(rows) == 2
            assert all("\x00" not in row.note for row in rows)
        else:
            assert rows == []
        transaction.set_rollback(True)
