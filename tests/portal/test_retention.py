"""Anonymising a participant closes their portal account and drops what they asked for."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from office.privacy.retention import participants_anonymise
from participants.models import PersonRequest
from portal.models import Invitation, PortalAccount
from portal.services import identity_change_request, invitation_create
from tests.office.test_retention import TODAY, worked

pytestmark = pytest.mark.django_db


def test_the_account_invitations_and_requests_of_an_anonymised_person_go(
    cohort, portal_user, person
):
    gone = worked(cohort, ended_on=datetime.date(2027, 5, 1), full_name="Rina Lama")
    account = get_user_model().objects.create_user(username="rina@example.org")
    PortalAccount.objects.create(user=account, participant=gone)
    identity_change_request(
        participant=gone, field_name="birth_place", new_value="Martapura", reason="x", by=account
    )
    other = worked(cohort, ended_on=datetime.date(2027, 5, 1), full_name="Tanpa Akun")
    invitation_create(participant=other, email="tanpa@example.org")

    report = participants_anonymise(today=TODAY)

    assert {entry.participant.pk for entry in report.due} >= {gone.pk, other.pk}
    assert not get_user_model().objects.filter(username="rina@example.org").exists()
    assert not PortalAccount.objects.filter(participant=gone).exists()
    assert not PersonRequest.objects.filter(participant=gone).exists()
    assert not Invitation.objects.filter(participant=other).exists()
    # Someone not due keeps their account.
    assert PortalAccount.objects.filter(user=portal_user, participant=person).exists()
