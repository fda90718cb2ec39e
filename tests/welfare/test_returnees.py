"""After return: the alumni directory and its export."""

import datetime

import pytest
from django.urls import reverse

from delegation.models import AuditEvent
from tests.factories import CohortFactory, ProgramFactory
from tests.welfare.conftest import working
from welfare import services
from welfare.models import FollowUp

pytestmark = pytest.mark.django_db


class TestAlumni:
    def test_the_alumni_directory_filters_by_mentoring_and_exports(
        self, client, hr, coordinator, person, cohort
    ):
        other = working(cohort)
        for who in (person, other):
            services.return_home(
                participant=who,
                kind="end_of_contract",
                on=datetime.date(2025, 1, 5),
                reason="",
                by=hr,
            )
        follow_up = FollowUp.objects.get(participant=person, months=1)
        services.follow_up_fill(
            follow_up=follow_up,
            by=hr,
            via="staff",
            on=datetime.date(2025, 2, 5),
            activity="own_business",
            willing_to_mentor=True,
            phone="+6281299887766",
        )
        client.force_login(coordinator)
        page = client.get(reverse("welfare:alumni"), {"mentor": "on"})
        assert [row["person"] for row in page.context["rows"]] == [person]
        export = client.get(reverse("welfare:alumni_export"), {"mentor": "on"})
        assert export.status_code == 200
        assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

    def test_another_programmes_returnee_is_not_in_the_directory(self, client, coordinator, hr):
        stranger = working(CohortFactory(program=ProgramFactory()))
        services.return_home(
            participant=stranger,
            kind="end_of_contract",
            on=datetime.date(2025, 1, 5),
            reason="",
            by=hr,
        )
        client.force_login(coordinator)
        assert client.get(reverse("welfare:alumni")).context["rows"] == []
