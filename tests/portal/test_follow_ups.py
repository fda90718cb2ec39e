"""After return: the returnee answers their own follow-ups (1, 6, 12 months) in the portal;
the answers land on the follow-up record, where staff read them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import ParticipantFactory
from welfare.models import FollowUp

pytestmark = pytest.mark.django_db

ANSWERS = {
    "activity": "working_id",
    "sector": "Perawatan lansia",
    "employer_kind": "hospital",
    "income_band": "3m_6m",
    "willing_to_mentor": "on",
    "phone": "0812-1111-2222",
    "email": "siti.baru@example.org",
    "notes": "Bekerja di RS Ulin",
}


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def returned(person):
    person.status = "completed"
    person.save()
    today = timezone.localdate()
    due = FollowUp.objects.create(
        participant=person, months=1, due_on=today - datetime.timedelta(days=3)
    )
    later = FollowUp.objects.create(
        participant=person, months=6, due_on=today + datetime.timedelta(days=150)
    )
    return due, later


def test_the_page_lists_the_follow_ups_due(portal_client, returned, english):
    due, later = returned
    page = portal_client.get(reverse("portal:follow_ups")).content.decode()
    assert reverse("portal:follow_up_answer", args=[due.pk]) in page
    assert reverse("portal:follow_up_answer", args=[later.pk]) not in page
    home = portal_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:follow_ups") in home


def test_answers_land_on_the_follow_up_and_staff_see_them(
    portal_client, portal_user, returned, client, hr
):
    due, _later = returned
    response = portal_client.post(reverse("portal:follow_up_answer", args=[due.pk]), ANSWERS)
    assert response.status_code == 302 and response.url == reverse("portal:follow_ups")
    due.refresh_from_db()
    assert due.filled_on == timezone.localdate()
    assert due.filled_by == portal_user and due.filled_via == FollowUp.Via.PORTAL
    assert due.activity == "working_id" and due.sector == "Perawatan lansia"
    assert due.willing_to_mentor and not due.willing_to_speak
    assert due.phone == "+6281211112222"
    client.force_login(hr)
    page = client.get(reverse("welfare:follow_up_list") + "?show=filled").content.decode()
    assert due.participant.full_name in page
    with translation.override("id"):
        assert str(FollowUp.Via.PORTAL.label) in page
        assert str(FollowUp.Activity.WORKING_ID.label) in page


def test_an_answer_needs_what_the_person_does_now(portal_client, returned, english):
    due, _later = returned
    response = portal_client.post(
        reverse("portal:follow_up_answer", args=[due.pk]), {**ANSWERS, "activity": ""}
    )
    assert response.status_code == 400
    due.refresh_from_db()
    assert due.filled_on is None


def test_a_follow_up_not_due_or_answered_or_anothers_cannot_be_answered(
    portal_client, returned, cohort
):
    due, later = returned
    assert portal_client.get(reverse("portal:follow_up_answer", args=[later.pk])).status_code == 404
    portal_client.post(reverse("portal:follow_up_answer", args=[due.pk]), ANSWERS)
    assert portal_client.get(reverse("portal:follow_up_answer", args=[due.pk])).status_code == 404
    other = FollowUp.objects.create(
        participant=ParticipantFactory(cohort=cohort, status="completed"),
        months=1,
        due_on=timezone.localdate(),
    )
    assert portal_client.get(reverse("portal:follow_up_answer", args=[other.pk])).status_code == 404
