"""Exam requirements and results, one at a time or a batch at once (``training/views/exams.py``)."""

import pytest
from django.urls import reverse

from participants.models import Status
from tests.factories import ParticipantFactory
from training.models import ExamRequirement, ExamResult, ExamType

pytestmark = pytest.mark.django_db


class TestExams:
    def test_a_score_decides_a_score_exam(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        jft = ExamType.objects.get(code="jft-basic")
        client.post(
            reverse("training:exam_result_create", args=[person.pk]),
            {"exam_type": jft.pk, "date": "2025-11-12", "score": "199", "verdict": "pass"},
        )
        assert ExamResult.objects.get().passed is False

    def test_a_score_above_the_maximum_is_refused(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        jft = ExamType.objects.get(code="jft-basic")
        response = client.post(
            reverse("training:exam_result_create", args=[person.pk]),
            {"exam_type": jft.pk, "date": "2025-11-12", "score": "251"},
        )
        assert response.context["form"].non_field_errors()
        assert not ExamResult.objects.exists()

    def test_a_pass_fail_exam_needs_the_verdict(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        n4 = ExamType.objects.get(code="jlpt-n4")
        url = reverse("training:exam_result_create", args=[person.pk])
        assert client.post(url, {"exam_type": n4.pk, "date": "2025-12-07"}).status_code == 200
        client.post(url, {"exam_type": n4.pk, "date": "2025-12-07", "verdict": "pass"})
        assert ExamResult.objects.get().passed is True

    def test_results_for_a_whole_batch_at_once(self, client, assigned, instructor, cohort):
        people = [ParticipantFactory(cohort=cohort) for _ in range(3)]
        jft = ExamType.objects.get(code="jft-basic")
        client.force_login(instructor)
        client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {
                "exam_type": jft.pk,
                "date": "2025-11-12",
                f"score-{people[0].pk}": "230",
                f"score-{people[1].pk}": "180",
            },
        )
        results = {r.participant_id: r.passed for r in ExamResult.objects.all()}
        assert results == {people[0].pk: True, people[1].pk: False}

    def test_one_bad_row_saves_nothing(self, client, hr, cohort):
        people = [ParticipantFactory(cohort=cohort) for _ in range(2)]
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {
                "exam_type": ExamType.objects.get(code="jft-basic").pk,
                "date": "2025-11-12",
                f"score-{people[0].pk}": "230",
                f"score-{people[1].pk}": "two hundred",
            },
        )
        assert response.status_code == 200
        assert not ExamResult.objects.exists()

    @pytest.mark.parametrize(
        ("date", "score"),
        [("2999-01-01", "230"), ("2025-11-12", "1000000"), ("2025-11-12", "85.55")],
        ids=["future date", "too many digits", "two decimals"],
    )
    def test_a_batch_result_the_single_form_would_refuse_saves_nothing(
        self, client, hr, cohort, date, score
    ):
        person = ParticipantFactory(cohort=cohort)
        open_ended = ExamType.objects.create(
            code="class-test", name="Class test", kind="internal", rule="min_score", pass_score=60
        )
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {"exam_type": open_ended.pk, "date": date, f"score-{person.pk}": score},
        )
        assert response.status_code == 200
        assert not ExamResult.objects.exists()

    def test_hr_staff_set_the_programmes_exam_groups(self, client, hr, program):
        client.force_login(hr)
        wanted = ExamType.objects.filter(code__in=["jlpt-n4", "jlpt-n3", "jft-basic"])
        client.post(
            reverse("training:exam_requirements", args=[program.slug]),
            {
                "groups-TOTAL_FORMS": "1",
                "groups-INITIAL_FORMS": "0",
                "groups-MIN_NUM_FORMS": "0",
                "groups-MAX_NUM_FORMS": "1000",
                "groups-0-name": "Japanese: N4 or higher, or JFT-Basic",
                "groups-0-order": "1",
                "groups-0-exam_types": [t.pk for t in wanted],
            },
        )
        group = ExamRequirement.objects.get(program=program)
        assert set(group.exam_types.all()) == set(wanted)

    def test_a_coordinator_may_not_set_exam_groups(self, client, assigned, coordinator, program):
        client.force_login(coordinator)
        assert (
            client.get(reverse("training:exam_requirements", args=[program.slug])).status_code
            == 403
        )


@pytest.mark.parametrize("score", ["NaN", "sNaN", "-Infinity"])
def test_a_score_that_is_not_a_number_is_a_row_error_not_a_500(
    client, assigned, instructor, cohort, score
):
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    client.force_login(instructor)
    response = client.post(
        reverse("training:cohort_exams", args=[cohort.pk]),
        {
            "exam_type": ExamType.objects.get(code="jft-basic").pk,
            "date": "2025-11-12",
            f"score-{person.pk}": score,
        },
    )
    assert response.status_code == 200
    assert response.context["rows"][0]["error"]
    assert not ExamResult.objects.exists()
