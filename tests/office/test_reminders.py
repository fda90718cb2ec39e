import datetime

import pytest
from django.core import mail
from django.urls import reverse

from delegation.models import Notification
from office.reminders.digest import send_reminders
from participants.models import Contract, DocumentType, Status, contract_end
from tests.factories import AgreementFactory, CohortFactory, DocumentFactory, ParticipantFactory

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


class TestCoordinators:
    """Coordinators get the reminders of the programmes they coordinate, in the app and by
    e-mail; nothing of a programme they do not coordinate."""

    @pytest.fixture
    def theirs_and_others(self, assigned, cohort, other_program):
        mine = ParticipantFactory(cohort=cohort, full_name="Rina Milik", status=Status.WORKING)
        DocumentFactory(participant=mine, expires_on=TODAY + datetime.timedelta(days=100))
        AgreementFactory(
            program=cohort.program, number="9/PKS", valid_until=TODAY + datetime.timedelta(days=90)
        )
        elsewhere = ParticipantFactory(
            cohort=CohortFactory(program=other_program, number=1),
            full_name="Dodi Lain",
            status=Status.WORKING,
        )
        DocumentFactory(participant=elsewhere, expires_on=TODAY + datetime.timedelta(days=100))
        AgreementFactory(
            program=other_program,
            number="3/PKS-LAIN",
            valid_until=TODAY + datetime.timedelta(days=90),
        )
        return mine, elsewhere

    def test_a_coordinator_gets_the_reminders_of_their_programmes_only(
        self, coordinator, theirs_and_others
    ):
        send_reminders(today=TODAY)
        texts = list(Notification.objects.filter(user=coordinator).values_list("text", flat=True))
        assert any("Paspor milik Rina Milik" in t for t in texts)
        assert any("Perjanjian 9/PKS" in t for t in texts)
        assert any("1 peserta" in t and "terlambat dipantau" in t for t in texts)
        assert [t for t in texts if "Dodi Lain" in t or "3/PKS-LAIN" in t] == []

    def test_a_coordinator_gets_one_digest_by_e_mail_and_its_sending_is_recorded(
        self, coordinator, theirs_and_others
    ):
        send_reminders(today=TODAY)
        [message] = [m for m in mail.outbox if m.to == [coordinator.email]]
        assert "Rina Milik" in message.body and "Dodi Lain" not in message.body
        assert not Notification.objects.filter(user=coordinator, emailed_at__isnull=True).exists()

    def test_hr_staff_still_get_every_programmes_reminders(self, hr, theirs_and_others):
        send_reminders(today=TODAY)
        texts = " ".join(Notification.objects.filter(user=hr).values_list("text", flat=True))
        assert "Rina Milik" in texts and "Dodi Lain" in texts

    def test_leadership_and_instructors_get_no_reminders(
        self, leadership, instructor, theirs_and_others
    ):
        send_reminders(today=TODAY)
        assert not Notification.objects.filter(user__in=[leadership, instructor]).exists()

    def test_a_coordinator_sees_their_reminders_on_the_notifications_page(
        self, client, coordinator, theirs_and_others
    ):
        send_reminders(today=TODAY)
        client.force_login(coordinator)
        page = client.get(reverse("notifications")).content.decode()
        assert "Rina Milik" in page and "Dodi Lain" not in page


class TestFirstVisitOfTheDay:
    """Without a beat process (``make run``), the first signed-in visit of the day computes
    the day's reminders; later visits that day do not compute them again."""

    def test_the_first_visit_of_the_day_gives_todays_reminders(self, client, settings, hr, due):
        settings.REMINDERS_ON_FIRST_VISIT = True
        client.force_login(hr)
        page = client.get(reverse("dashboard")).content.decode()
        assert Notification.objects.filter(user=hr).exists()
        assert reverse("notifications") in page
        assert len(mail.outbox) == 1

    def test_later_visits_the_same_day_do_not_compute_them_again(self, client, settings, hr, due):
        settings.REMINDERS_ON_FIRST_VISIT = True
        client.force_login(hr)
        client.get(reverse("dashboard"))
        Notification.objects.all().delete()
        client.get(reverse("dashboard"))
        assert not Notification.objects.exists()

    def test_nothing_is_computed_when_a_beat_process_does_it(self, client, settings, hr, due):
        settings.REMINDERS_ON_FIRST_VISIT = False
        client.force_login(hr)
        client.get(reverse("dashboard"))
        assert not Notification.objects.exists()

    def test_an_anonymous_visit_computes_nothing(self, client, settings, due):
        settings.REMINDERS_ON_FIRST_VISIT = True
        client.get(reverse("login"))
        assert not Notification.objects.exists()


def test_past_a_handful_the_rest_of_a_kind_is_summed_up_in_one_line(hr, monkeypatch):
    monkeypatch.setattr("office.reminders.digest.ITEMISED_AT_MOST", 2)
    people = [ParticipantFactory(full_name=f"Orang {n}", status=Status.WORKING) for n in range(5)]
    for n, person in enumerate(people):  # Orang 4's passport expires first
        DocumentFactory(participant=person, expires_on=TODAY + datetime.timedelta(days=50 - n))
    assert send_reminders(today=TODAY) == 4  # two passports, the rest, the check-ins
    texts = list(Notification.objects.filter(user=hr).values_list("text", flat=True))
    named = sorted(t for t in texts if t.startswith("Paspor"))
    assert len(named) == 2 and "Orang 4" in named[0] + named[1] and "Orang 3" in "".join(named)
    assert any(t.startswith("3 dokumen lainnya") for t in texts), texts
    # The same day again: nothing new, the summary included.
    assert send_reminders(today=TODAY) == 0
    assert len(mail.outbox) == 1
