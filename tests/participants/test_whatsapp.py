"""WhatsApp click-to-chat: a logged redirect to wa.me, for roles that see numbers unmasked."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from delegation.models import AuditEvent
from participants.models import MessageTemplate
from tests.factories import ContactFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cohort):
    return ParticipantFactory(cohort=cohort, full_name="Siti Rahmah", phone="+6281234567890")


def test_hr_staff_are_sent_to_wa_me_with_the_template_filled_in(client, hr, person):
    client.force_login(hr)
    response = client.get(
        reverse("participants:whatsapp", args=[person.pk]), {"template": "check_in_due"}
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "wa.me", "/6281234567890")
    text = parse_qs(target.query)["text"][0]
    assert text.startswith("Assalamualaikum Siti Rahmah,")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_SENSITIVE)
    assert event.actor == hr and "check_in_due" in event.detail
    assert "6281234567890" not in event.detail


def test_an_edited_template_is_the_one_sent(client, hr, person):
    MessageTemplate.objects.filter(code="schedule").update(text="Halo {nama}, jadwal {angkatan}.")
    client.force_login(hr)
    response = client.get(
        reverse("participants:whatsapp", args=[person.pk]), {"template": "schedule"}
    )
    text = parse_qs(urlsplit(response["Location"]).query)["text"][0]
    assert text == f"Halo Siti Rahmah, jadwal {person.cohort}."


def test_the_emergency_contact_gets_a_message_about_the_participant(client, hr, person):
    contact = ContactFactory(participant=person, name="Hj. Aminah", phone="0812-9988-7766")
    client.force_login(hr)
    response = client.get(
        reverse("participants:whatsapp", args=[person.pk]),
        {"to": str(contact.pk), "template": "contact_news"},
    )
    target = urlsplit(response["Location"])
    assert target.path == "/6281299887766"
    assert "kontak darurat Siti Rahmah" in parse_qs(target.query)["text"][0]


def test_roles_that_see_the_number_masked_get_no_link(client, coordinator, person, assigned):
    client.force_login(coordinator)
    response = client.get(reverse("participants:whatsapp", args=[person.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("participants:whatsapp", args=[person.pk]) not in page


def test_the_profile_offers_the_link_to_hr_staff(client, hr, person):
    client.force_login(hr)
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("participants:whatsapp", args=[person.pk]) in page


def test_no_number_no_chat(client, hr, cohort):
    person = ParticipantFactory(cohort=cohort, phone="")
    client.force_login(hr)
    response = client.get(reverse("participants:whatsapp", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert not AuditEvent.objects.exists()


def test_a_contact_of_another_person_is_not_found(client, hr, person, cohort):
    stranger = ContactFactory(participant=ParticipantFactory(cohort=cohort), phone="08122223333")
    client.force_login(hr)
    response = client.get(
        reverse("participants:whatsapp", args=[person.pk]), {"to": str(stranger.pk)}
    )
    assert response.status_code == 404
