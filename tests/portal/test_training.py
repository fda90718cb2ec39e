"""My training: the timetable, the person's own attendance and exams, their certificates."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from delegation.models import AuditEvent
from tests.factories import (
    ExamResultFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
)
from training.models import Attendance, Certificate

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(person):
    today = timezone.localdate()
    return TrainingPlanFactory(
        cohort=person.cohort, start_date=today - 60 * DAY, end_date=today + 200 * DAY
    )


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def certificate_of(participant, number):
    return Certificate.objects.create(
        participant=participant,
        kind=Certificate.Kind.TRAINING,
        number=number,
        token=f"token-{number}",
        issued_on=datetime.date(2026, 12, 19),
        hours=Decimal("900"),
    )


def test_the_page_shows_the_timetable_and_only_the_persons_own_records(
    portal_client, person, plan, english
):
    today = timezone.localdate()
    module = ModuleFactory(plan=plan, name="Bahasa Jepang Dasar")
    held = SessionFactory(module=module, date=today - 3 * DAY)
    coming = SessionFactory(module=module, date=today + 5 * DAY, topic="Keigo")
    other = ParticipantFactory(cohort=person.cohort, full_name="Budi Santoso")
    Attendance.objects.create(session=held, participant=person, status="sick")
    Attendance.objects.create(session=held, participant=other, status="present")
    ExamResultFactory(participant=person, score=Decimal("98"))
    ExamResultFactory(participant=other, score=Decimal("77"))
    page = portal_client.get(reverse("portal:training")).content.decode()
    assert "Keigo" in page and date_format(coming.date, "j F Y") in page
    assert "Sick" in page
    assert "<strong>0%</strong>" in page  # two hours held, none attended (sick)
    assert "98" in page and "77" not in page
    assert "Budi Santoso" not in page


def test_the_person_downloads_their_own_certificate_and_it_is_logged(
    portal_client, person, plan, portal_user
):
    person.participant_number = "KAI-04-001"
    person.save()
    certificate = certificate_of(person, "001/SERT-PLT/2026")
    page = portal_client.get(reverse("portal:training")).content.decode()
    link = reverse("portal:certificate_download", args=[certificate.pk])
    assert link in page
    response = portal_client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Siti Rahmah" in text
    assert AuditEvent.objects.filter(actor=portal_user, action=AuditEvent.Action.DOWNLOAD).exists()


def test_another_persons_certificate_does_not_exist_for_them(portal_client, person, plan):
    other = ParticipantFactory(cohort=person.cohort)
    certificate = certificate_of(other, "002/SERT-PLT/2026")
    response = portal_client.get(reverse("portal:certificate_download", args=[certificate.pk]))
    assert response.status_code == 404
