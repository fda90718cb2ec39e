"""The way home: the return form, and the status page sending returns and deaths to their pages."""

import pytest
from django.urls import reverse

from participants.models import Status
from tests.welfare.conftest import working
from welfare.models import FollowUp, Return

pytestmark = pytest.mark.django_db


class TestReturn:
    def test_the_return_form_ends_the_contract_and_schedules_follow_ups(
        self, client, hr, person, case
    ):
        client.force_login(hr)
        client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {
                "kind": "early",
                "on": "2026-03-01",
                "case": case.pk,
                "journey_paid_by": "sponsor",
                "reason": "Sengketa",
            },
        )
        person.refresh_from_db()
        assert person.status == Status.RETURNED_EARLY
        assert FollowUp.objects.filter(participant=person).count() == 3

    def test_an_early_return_without_case_is_refused_and_changes_nothing(self, client, hr, person):
        client.force_login(hr)
        response = client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {"kind": "early", "on": "2026-03-01", "journey_paid_by": "sponsor"},
        )
        assert response.context["form"].errors["case"]
        person.refresh_from_db()
        assert person.status == Status.WORKING and not Return.objects.exists()


class TestTheStatusPageSendsTheDutyOfCareToItsPages:
    """The participant's status page no longer makes the moves of the duty of care: it says
    where each is made and links there (``welfare.routes``, registered with participants)."""

    def test_a_worker_is_sent_home_through_the_return_and_to_a_case_for_a_death(
        self, client, hr, person
    ):
        client.force_login(hr)
        response = client.get(reverse("participants:participant_move", args=[person.pk]))
        page = response.content.decode()
        choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
        assert choices == ["extended"]
        assert "Perubahan status di halaman lain" in page
        assert reverse("welfare:return_home", args=[person.pk]) in page
        assert "tindak lanjut 1, 6, dan 12 bulan" in page
        assert reverse("welfare:case_create", args=[person.pk]) in page

    def test_an_open_case_is_where_a_death_is_recorded(self, client, hr, person, case):
        client.force_login(hr)
        page = client.get(reverse("participants:participant_move", args=[person.pk]))
        page = page.content.decode()
        assert case.get_absolute_url() in page
        assert reverse("welfare:case_create", args=[person.pk]) not in page

    def test_the_return_page_followed_from_there_schedules_the_follow_ups(self, client, hr, person):
        client.force_login(hr)
        client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {"kind": "end_of_contract", "on": "2026-03-01", "journey_paid_by": "sponsor"},
        )
        person.refresh_from_db()
        assert person.status == Status.COMPLETED
        assert FollowUp.objects.filter(participant=person).count() == 3

    def test_before_departure_the_page_names_no_other_page(self, client, hr, cohort):
        trainee = working(cohort)
        trainee.status = Status.IN_TRAINING
        trainee.save(update_fields=["status"])
        client.force_login(hr)
        page = client.get(reverse("participants:participant_move", args=[trainee.pk]))
        assert "Perubahan status di halaman lain" not in page.content.decode()
