"""Each participant's attendance by module as XLSX: hours attended of hours held and the rate,
per module and overall, for those who may see the batch's attendance."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from delegation.models import AuditEvent
from participants.models import Participant
from tests.factories import (
    CohortFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
)
from training.models import Attendance, Module

pytestmark = pytest.mark.django_db

PRESENT, LATE, SICK = (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.SICK)


@pytest.fixture
def batch(cohort):
    """Language: two two-hour sessions held, one cancelled, one to come; culture: one held."""
    plan = TrainingPlanFactory(cohort=cohort)
    language = ModuleFactory(plan=plan, name="Bahasa Jepang", order=1)
    culture = ModuleFactory(
        plan=plan, name="Budaya Banjar", kind=Module.Kind.BANJAR_CULTURE, order=2
    )
    first = SessionFactory(module=language, date=datetime.date(2025, 3, 3))
    second = SessionFactory(module=language, date=datetime.date(2025, 3, 4))
    SessionFactory(module=language, date=datetime.date(2025, 3, 5), cancelled=True)
    SessionFactory(module=language, date=timezone.localdate() + datetime.timedelta(days=30))
    dance = SessionFactory(module=culture, date=datetime.date(2025, 3, 6))
    siti, ahmad = (
        ParticipantFactory(
            cohort=cohort,
            full_name=name,
            participant_number=number,
            status=Participant.Status.IN_TRAINING,
        )
        for name, number in (("Siti Rahmah", "KAI-04-001"), ("Ahmad Fauzi", "KAI-04-002"))
    )
    for session, person, status in [
        (first, siti, PRESENT),
        (second, siti, LATE),
        (dance, siti, SICK),
        (first, ahmad, PRESENT),
    ]:
        Attendance.objects.create(session=session, participant=person, status=status)
    return cohort


def download(client, user, cohort):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("training:attendance_export", args=[cohort.pk]))


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_a_row_per_participant_with_hours_attended_held_and_the_rate_per_module_and_overall(
    client, hr, batch
):
    sheet = sheet_of(download(client, hr, batch))
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0] == (
        "No.",
        "Participant number",
        "Full name",
        "Status",
        "Bahasa Jepang: hours attended",
        "Bahasa Jepang: hours held",
        "Bahasa Jepang: %",
        "Budaya Banjar: hours attended",
        "Budaya Banjar: hours held",
        "Budaya Banjar: %",
        "Overall: hours attended",
        "Overall: hours held",
        "Overall: %",
    )
    assert rows[1] == (
        1,
        "KAI-04-001",
        "Siti Rahmah",
        "In training",
        4,
        4,
        100,
        0,
        2,
        0,
        4,
        6,
        66.7,
    )
    assert rows[2] == (2, "KAI-04-002", "Ahmad Fauzi", "In training", 2, 4, 50, 0, 2, 0, 2, 6, 33.3)


def test_it_prints_landscape_on_a4_one_page_wide_with_the_header_repeated(client, hr, batch):
    sheet = sheet_of(download(client, hr, batch))
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$4:$4" and sheet.freeze_panes == "A5"
    assert sheet["B5"].number_format == "@" and sheet["G5"].number_format == "0.0"


def test_the_batchs_instructor_downloads_it_and_it_is_logged_named_and_not_cached(
    client, assigned, instructor, batch
):
    response = download(client, instructor, batch)
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="presensi-per-materi_kaikoukai_angkatan-4_{day}.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.subject_id, event.detail) == (
        instructor,
        str(batch.pk),
        "attendance.xlsx",
    )


def test_an_instructor_of_another_batch_finds_no_such_batch(
    client, assigned, instructor, program, batch
):
    other = CohortFactory(program=program, number=5)
    TrainingPlanFactory(cohort=other)
    assert download(client, instructor, other).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_user_without_a_role_is_refused(client, outsider, batch):
    assert download(client, outsider, batch).status_code == 403


def test_anonymous_users_are_sent_to_login(client, batch):
    response = client.get(reverse("training:attendance_export", args=[batch.pk]))
    assert response["Location"].startswith(reverse("login"))


def test_a_batch_without_a_plan_is_sent_back_with_a_message(client, hr, cohort):
    response = download(client, hr, cohort)
    assert response["Location"] == reverse("training:cohort_training", args=[cohort.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This batch has no training plan yet."
    ]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_training_page_offers_the_download(client, assigned, instructor, batch):
    client.force_login(instructor)
    page = client.get(reverse("training:cohort_training", args=[batch.pk])).content.decode()
    assert reverse("training:attendance_export", args=[batch.pk]) in page


def test_its_queries_do_not_grow_with_the_batch(client, hr, batch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert download(client, hr, batch).status_code == 200
        return len(captured)

    queries()  # the first request also signs in and reads the user's permissions
    before = queries()
    module = Module.objects.get(name="Bahasa Jepang")
    session = module.sessions.order_by("date").first()
    for _n in range(5):
        person = ParticipantFactory(cohort=batch, status=Participant.Status.IN_TRAINING)
        Attendance.objects.create(session=session, participant=person)
    assert queries() == before
