import datetime

import pytest
from django.core.files.base import ContentFile

from delegation.roles import Role
from portal.models import PortalAccount
from tests.factories import CallFactory, ParticipantFactory, StageFactory, UserFactory

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


@pytest.fixture
def call(cohort):
    """An open call asking for two uploads, with one stage."""
    call = CallFactory(cohort=cohort, required_documents=["KTP", "Ijazah"], title="Angkatan IX")
    StageFactory(call=call, order=1, name="Tes tertulis", place="Balai Kota")
    return call


@pytest.fixture
def applicant(db):
    """A self-registered applicant's account (verified), with no participant."""
    return UserFactory(username="rina@example.org", email="rina@example.org", role=Role.PARTICIPANT)


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client
