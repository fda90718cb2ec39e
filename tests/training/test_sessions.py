"""A session's pages: attendance and its guards (``training/views/sessions.py``)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from participants.models import Status
from tests.factories import ModuleFactory, ParticipantFactory, SessionFactory
from tests.pages import messages_of
from training.models import Attendance

pytestmark = pytest.mark.django_db


class TestAttendancePage:
    def test_everyone_is_present_by_default_and_saved_in_one_submit(
        self, client, assigned, instructor, cohort, session
    ):
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(3)]
        client.force_login(instructor)
        url = reverse("training:attendance", args=[session.pk])
        page = client.get(url)
        assert [row["status"] for row in page.context["rows"]] == ["present"] * 3
        data = {f"status-{p.pk}": "present" for p in people}
        data[f"status-{people[1].pk}"] = "sick"
        data[f"note-{people[1].pk}"] = "Demam"
        response = client.post(url, data)
        assert response.status_code == 302
        assert Attendance.objects.get(participant=people[1]).note == "Demam"
        assert Attendance.objects.filter(session=session).count() == 3

    @pytest.mark.parametrize("size", [2, 15])
    def test_saving_takes_the_same_number_of_queries_for_any_batch_size(
        self, client, hr, cohort, session, size, django_assert_num_queries
    ):
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(size)]
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        client.get(url)
        with django_assert_num_queries(14):
            client.post(url, {f"status-{p.pk}": "present" for p in people})

    def test_an_unknown_status_is_refused_and_nothing_saved(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        response = client.post(
            reverse("training:attendance", args=[session.pk]), {f"status-{person.pk}": "asleep"}
        )
        assert response.status_code == 200
        assert not Attendance.objects.exists()

    def test_a_session_still_to_come_takes_no_attendance(self, client, hr, cohort, plan):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        session = SessionFactory(module=ModuleFactory(plan=plan), date=tomorrow)
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        page = client.get(url)
        assert page.context["can_edit"] is False
        assert "Presensi dapat dicatat mulai hari pertemuan" in page.content.decode()
        response = client.post(url, {f"status-{person.pk}": "present"})
        assert response["Location"] == url
        assert messages_of(response)[0].startswith("Presensi dapat dicatat mulai hari pertemuan")
        assert not Attendance.objects.exists()

    def test_a_departed_batch_takes_no_attendance(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        cohort.status = Cohort.Status.DEPARTED
        cohort.save()
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        response = client.post(url, {f"status-{person.pk}": "present"})
        assert "sudah berangkat" in messages_of(response)[0]
        assert not Attendance.objects.exists()

    def test_each_choice_shows_its_word_and_its_colour(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        page = client.get(reverse("training:attendance", args=[session.pk])).content.decode()
        labels = {
            value: (classes, text)
            for classes, value, text in re.findall(
                rf'<label class="btn btn-sm ([^"]+)" for="s{person.pk}-(\w+)">([^<]+)</label>', page
            )
        }
        assert labels["present"] == ("btn-outline-success", "Hadir")
        assert labels["absent"] == ("btn-outline-danger", "Alpa")
        assert "btn-outline-warning" in labels["sick"][0] and labels["sick"][1] == "Sakit"
        assert "btn-outline-warning" in labels["excused"][0] and labels["excused"][1] == "Izin"
        assert labels["late"][1] == "Terlambat"

    def test_an_instructor_cannot_open_another_batchs_session(
        self, client, assigned, instructor, other_session
    ):
        client.force_login(instructor)
        url = reverse("training:attendance", args=[other_session.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404

    def test_leadership_reads_attendance_but_cannot_save(
        self, client, assigned, leadership, cohort, session
    ):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(leadership)
        url = reverse("training:attendance", args=[session.pk])
        assert client.get(url).context["can_edit"] is False
        assert client.post(url, {f"status-{person.pk}": "present"}).status_code == 403
        assert not Attendance.objects.exists()


def test_a_nul_character_in_an_attendance_note_is_not_stored(
    client, assigned, instructor, cohort, session
):
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    client.force_login(instructor)
    client.post(
        reverse("training:attendance", args=[session.pk]),
        {f"status-{person.pk}": "late", f"note-{person.pk}": "Macet\x00 di jalan"},
    )
    assert Attendance.objects.get().note == "Macet di jalan"
