import datetime
from decimal import Decimal

import pytest

from participants.models import Contract, contract_end
from tests.factories import ContactFactory, ParticipantFactory
from welfare import services
from welfare.models import Case


def working(cohort, *, subdivision="JP-17", city="Kanazawa", start=datetime.date(2025, 4, 1)):
    """A participant working abroad under an active contract in ``subdivision``."""
    person = ParticipantFactory(cohort=cohort, status="working")
    Contract.objects.create(
        participant=person,
        employer="Kaikoukai",
        subdivision=subdivision,
        city=city,
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
        monthly_salary=Decimal("200000"),
        status=Contract.Status.ACTIVE,
    )
    ContactFactory(participant=person, is_emergency=True, phone="+6281234567890")
    return person


@pytest.fixture
def person(cohort, assigned):
    return working(cohort)


@pytest.fixture
def case(person, hr):
    return services.case_open(
        participant=person,
        kind=Case.Kind.WORKPLACE_DISPUTE,
        severity=Case.Severity.MEDIUM,
        reported_via=Case.Source.FAMILY,
        description="Jam kerja berlebihan",
        by=hr,
    )
