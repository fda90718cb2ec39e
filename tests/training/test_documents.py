"""The blank attendance sheet of a training session (Daftar Hadir Pertemuan)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from delegation.models import AuditEvent
from participants.models import Status
from tests.factories import ModuleFactory, ParticipantFactory, SessionFactory, TrainingPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cohort, instructor):
    plan = TrainingPlanFactory(cohort=cohort, location="Balai Diklat Banjarmasin")
    module = ModuleFactory(plan=plan, name="Bahasa Jepang Dasar")
    for n in range(1, 4):
        ParticipantFactory(
            cohort=cohort,
            participant_number=f"KAI-04-{n:03d}",
            full_name=f"Peserta Pelatihan {n}",
            status=Status.IN_TRAINING,
        )
    ParticipantFactory(cohort=cohort, full_name="Sudah Mundur", status=Status.WITHDRAWN)
    return SessionFactory(
        module=module,
        date=datetime.date(2026, 3, 4),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        instructor=instructor,
        topic="Salam dan perkenalan",
    )


def sheet_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_batchs_instructor_prints_a_blank_sheet_of_the_session(
    client, assigned, instructor, session
):
    client.force_login(instructor)
    response = client.get(reverse("training:session_sheet", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = sheet_text(response)
    assert "DAFTAR HADIR PERTEMUAN" in text
    assert "Bahasa Jepang Dasar" in text and "Salam dan perkenalan" in text
    assert "Rabu, 4 Maret 2026" in text
    assert "09.00–11.00 WITA" in text
    assert "Balai Diklat Banjarmasin" in text
    assert instructor.get_full_name() in text
    for n in range(1, 4):
        assert f"KAI-04-{n:03d}" in text and f"Peserta Pelatihan {n}" in text
    assert "Sudah Mundur" not in text
    assert "Jumlah peserta: 3 orang" in text
    event = AuditEvent.objects.get(detail="daftar-hadir-pertemuan.pdf")
    assert event.actor == instructor and event.action == AuditEvent.Action.EXPORT


def test_the_attendance_page_offers_the_sheet_to_those_who_may_print_it(
    client, assigned, coordinator, leadership, session
):
    url = reverse("training:session_sheet", args=[session.pk])
    client.force_login(coordinator)
    assert url in client.get(reverse("training:attendance", args=[session.pk])).content.decode()
    client.force_login(leadership)
    assert url not in client.get(reverse("training:attendance", args=[session.pk])).content.decode()


def test_leadership_reads_attendance_but_takes_no_sheet(client, assigned, leadership, session):
    client.force_login(leadership)
    response = client.get(reverse("training:session_sheet", args=[session.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


def test_another_batchs_session_does_not_exist_for_an_instructor(client, session):
    from tests.factories import UserFactory

    stranger = UserFactory(role="instructor")
    client.force_login(stranger)
    response = client.get(reverse("training:session_sheet", args=[session.pk]))
    assert response.status_code == 404


def test_the_anonymous_user_is_sent_to_sign_in(client, session):
    response = client.get(reverse("training:session_sheet", args=[session.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_programme_line_separates_programme_and_batch(client, assigned, hr, session):
    client.force_login(hr)
    text = sheet_text(client.get(reverse("training:session_sheet", args=[session.pk])))
    assert f"{session.module.plan.cohort.program.name}, Angkatan IV" in text


def test_a_session_without_its_own_teacher_prints_the_batchs_instructors(
    client, assigned, hr, instructor, session
):
    session.instructor = None
    session.save()
    client.force_login(hr)
    text = sheet_text(client.get(reverse("training:session_sheet", args=[session.pk])))
    assert f"Pengajar : {instructor.get_full_name()}" in text
    assert "Pengajar : —" not in text


def test_a_guest_teacher_is_printed_before_the_batchs_instructors(
    client, assigned, hr, instructor, session
):
    session.instructor, session.guest_instructor = None, "Sensei Tamu"
    session.save()
    client.force_login(hr)
    text = sheet_text(client.get(reverse("training:session_sheet", args=[session.pk])))
    assert "Pengajar : Sensei Tamu" in text and instructor.get_full_name() not in text
