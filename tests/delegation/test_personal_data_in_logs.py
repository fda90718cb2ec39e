"""No NIK or passport number reaches a URL or a log line while HR staff work with a person."""

import logging

import pytest
from django.urls import reverse

from participants.models import Participant
from tests.factories import CohortFactory, DocumentFactory
from tests.participants.data import person_data

pytestmark = pytest.mark.django_db


def test_searching_registering_reading_and_editing_a_person_logs_no_nik_or_passport(
    client, hr, caplog
):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    client.force_login(hr)
    cohort = CohortFactory()
    data = person_data(cohort=cohort.pk)
    nik = data["nik"]
    urls = []

    def visit(response):
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        if "Location" in response:
            urls.append(response["Location"])
        return response

    visit(client.post(reverse("participants:participant_create"), data))
    person = Participant.objects.get(nik=nik)
    passport = DocumentFactory(participant=person, number="C7654321").number

    visit(client.post(reverse("participants:participant_list"), {"q": nik[:8]}))
    page = visit(client.get(reverse("participants:participant_list"))).content.decode()
    assert person.full_name in page  # the search found them
    visit(client.post(reverse("participants:participant_list"), {"q": passport}))
    visit(client.get(reverse("participants:participant_list")))

    visit(client.get(reverse("participant_profile", args=[person.pk])))
    revealed = visit(client.post(reverse("participant_reveal", args=[person.pk])))
    assert nik in revealed.content.decode()  # HR may read it: it is on the page, nowhere else

    edit = reverse("participants:participant_edit", args=[person.pk])
    visit(client.get(edit))
    changed = person_data(full_name="Hj. Siti Rahmah Binti Ahmad", phone="0813-1111-2222")
    visit(client.post(edit, changed))
    person.refresh_from_db()
    assert person.full_name == "Hj. Siti Rahmah Binti Ahmad"  # the edit was saved

    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(record.args) for record in caplog.records)
    assert caplog.records, "nothing was captured: the check would prove nothing"
    for secret in (nik, passport, nik[:8]):
        assert secret not in logged
        assert not any(secret in url for url in urls), urls
