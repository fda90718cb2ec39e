"""The participant profile (``office/overviews/profile.py``): what each role sees, revealing
personal data, the change history."""

import pytest
from django.urls import reverse

from delegation.models import AuditEvent
from tests.factories import DocumentFactory, ParticipantFactory, make_nik
from tests.participants.data import BIRTH

pytestmark = pytest.mark.django_db


class TestProfile:
    def test_personal_data_is_masked_until_shown_and_showing_is_logged(self, client, hr):
        siti = ParticipantFactory(phone="+6281234567890")
        client.force_login(hr)
        page = client.get(siti.get_absolute_url()).content.decode()
        assert siti.nik not in page and "0812-3456-7890" not in page
        revealed = client.post(reverse("participant_reveal", args=[siti.pk])).content.decode()
        assert siti.nik in revealed and "0812-3456-7890" in revealed
        event = AuditEvent.objects.get(action="view_sensitive")
        assert (event.actor, event.subject_id) == (hr, str(siti.pk))

    def test_a_coordinator_cannot_reveal(self, client, assigned, coordinator, cohort):
        siti = ParticipantFactory(cohort=cohort)
        client.force_login(coordinator)
        assert client.get(siti.get_absolute_url()).status_code == 200
        assert client.post(reverse("participant_reveal", args=[siti.pk])).status_code == 403
        assert not AuditEvent.objects.exists()

    def test_revealing_takes_a_post(self, client, hr):
        siti = ParticipantFactory()
        client.force_login(hr)
        assert client.get(reverse("participant_reveal", args=[siti.pk])).status_code == 405

    def test_an_instructor_sees_names_but_no_documents_or_contacts(
        self, client, assigned, instructor, cohort
    ):
        siti = ParticipantFactory(cohort=cohort, full_name="Siti")
        DocumentFactory(participant=siti)
        client.force_login(instructor)
        response = client.get(siti.get_absolute_url())
        assert response.status_code == 200
        assert "Siti" in response.content.decode()
        assert response.context["documents"] == [] and response.context["contacts"] is None

    def test_a_possible_duplicate_is_shown_for_review(self, client, hr):
        first = ParticipantFactory(full_name="Siti Rahmah")
        second = ParticipantFactory(full_name="Siti Rahmah")
        client.force_login(hr)
        response = client.get(second.get_absolute_url())
        assert list(response.context["duplicates"]) == [first]

    def test_a_participant_out_of_scope_does_not_exist(self, client, assigned, coordinator):
        stranger = ParticipantFactory()
        client.force_login(coordinator)
        assert client.get(stranger.get_absolute_url()).status_code == 404

    def test_the_change_history_names_fields_but_not_personal_values(self, client, hr):
        siti = ParticipantFactory(full_name="Siti")
        old_nik = siti.nik
        siti.nik = make_nik(BIRTH, "F", serial=99)
        siti.full_name = "Siti Rahmah"
        siti.save()
        client.force_login(hr)
        response = client.get(siti.get_absolute_url())
        fields = response.context["changes"][0]["fields"]
        nik_change = next(f for f in fields if f["label"] == "NIK")
        assert nik_change["masked"] and old_nik not in response.content.decode()
        assert any(f["new"] == "Siti Rahmah" for f in fields)
