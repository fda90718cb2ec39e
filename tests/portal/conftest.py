import datetime

import pytest
from django.core.files.base import ContentFile

from delegation.roles import Role
from portal.models import PortalAccount
from tests.factories import ParticipantFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def person(cohort):
    """Someone of batch IV in training, with a portal account."""
    cohort.planned_departure = datetime.date(2026, 9, 1)
    cohort.save()
    return ParticipantFactory(cohort=cohort, status="in_training", full_name="Siti Rahmah")


@pytest.fixture
def portal_user(person):
    user = UserFactory(username="siti@example.org", email="siti@example.org", role=Role.PARTICIPANT)
    PortalAccount.objects.create(user=user, participant=person)
    return user


@pytest.fixture
def portal_client(client, portal_user):
    client.force_login(portal_user)
    return client


def pdf_upload(name: str = "paspor.pdf"):
    return ContentFile(PDF, name=name)
