import datetime

import pytest
from django.core import mail
from django.urls import reverse

from delegation.models import Notification
from delegation.reminders import send_reminders
from participants.models import Contract, DocumentType, Status, contract_end
from tests.factories import AgreementFactory, DocumentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def due(program):
    """A passport in its 180-day lead time, an agreement and a contract ending in six months,
    and one working participant never checked in."""
    person = ParticipantFactory(full_name="Siti", status=Status.WORKING)
    DocumentFactory(participant=person, expires_on=TODAY + datetime.timedelta(days=100))
    DocumentFactory(
        participant=person,
        document_type=DocumentType.objects.get(code="medical"),
        expires_on=TODAY + datetime.timedelta(days=100),  # outside its 30-day lead time
    )
    AgreementFactory(
        program=program, number="7/PKS", valid_until=TODAY + datetime.timedelta(days=90)
    )
    start = datetime.date(2021, 12, 1)
    Contract.objects.create(
        participant=person,
        employer="Kaikoukai",
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
        status="active",
    )
    return person


def test_hr_staff_get_each_reminder_once_and_one_digest(hr, outsider, due):
    assert send_reminders(today=TODAY) == 4
    texts = sorted(Notification.objects.filter(user=hr).values_list("text", flat=True))
    assert len(texts) == 4
    assert any("Paspor milik Siti" in t for t in texts)
    assert any("Perjanjian 7/PKS" in t for t in texts)
    assert any("Kontrak Siti berakhir" in t for t in texts)
    assert any("terlambat dipantau" in t for t in texts)
    assert not Notification.objects.filter(user=outsider).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [hr.email]
    assert send_reminders(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_reminders_show_in_the_app_and_can_be_marked_read(client, hr, due):
    send_reminders(today=TODAY)
    client.force_login(hr)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("notifications") in page and ">4<" in page.replace(" ", "")
    client.post(reverse("notifications"))
    assert not Notification.objects.unread().exists()


def test_the_signatories_are_kept_by_coordinators(client, assigned, coordinator, hr, program):
    url = reverse("cohorts:signatories", args=[program.slug])
    data = {
        "signers-TOTAL_FORMS": "1",
        "signers-INITIAL_FORMS": "0",
        "signers-MIN_NUM_FORMS": "0",
        "signers-MAX_NUM_FORMS": "1000",
        "signers-0-document": "roster",
        "signers-0-order": "1",
        "signers-0-position": "Sekretaris Daerah Kota Banjarmasin",
        "signers-0-name": "Ikhsan Budiman",
        "signers-0-on_behalf_of": "Wali Kota Banjarmasin",
    }
    client.force_login(hr)
    assert client.post(url, data).status_code == 403
    client.force_login(coordinator)
    client.post(url, data)
    assert program.signatories.get().name == "Ikhsan Budiman"
