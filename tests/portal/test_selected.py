"""A portal applicant selected in a decided call: the recruitment service says the application
became a participant, and the portal links the applicant's account to that participant, so
the person finds their checklist and training pages. An account already taken is never
overwritten: the person and the deciding staff member are told instead."""

import pytest
from django.urls import reverse

from delegation.models import Notification
from delegation.roles import Role
from portal.models import ApplicationDraft, PortalAccount
from recruitment.models import Application
from recruitment.services import participant_made
from tests.factories import ApplicationFactory, ParticipantFactory, UserFactory
from tests.portal.test_applying import NIK, fill_to_consent, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(applicant_client, call):
    fill_to_consent(applicant_client, call)
    applicant_client.post(step_url(call, "consent"), {"agree": "on"})
    return ApplicationDraft.objects.get()


@pytest.fixture
def selected(sent, cohort):
    return ParticipantFactory(nik=NIK, cohort=cohort, status="selected", full_name="Rina Amalia")


def made(draft, participant, by, capture):
    with capture(execute=True):
        participant_made.send(
            sender=Application, application=draft.application, participant=participant, by=by
        )


def test_the_applicants_account_becomes_the_participants(
    applicant_client, applicant, sent, selected, hr, django_capture_on_commit_callbacks
):
    assert applicant_client.get(reverse("portal:checklist")).status_code == 302  # no pages yet
    made(sent, selected, hr, django_capture_on_commit_callbacks)
    assert PortalAccount.objects.get(user=applicant).participant == selected
    assert applicant_client.get(reverse("portal:checklist")).status_code == 200
    assert applicant_client.get(reverse("portal:training")).status_code == 200
    note = Notification.objects.get(user=applicant, key=f"portal-selected-{selected.pk}")
    assert note.link == reverse("portal:home")
    assert not Notification.objects.filter(user=hr).exists()


def test_a_participant_with_another_account_is_not_taken_over(
    applicant, sent, selected, hr, django_capture_on_commit_callbacks
):
    other = UserFactory(username="lama@example.org", role=Role.PARTICIPANT)
    PortalAccount.objects.create(user=other, participant=selected)
    made(sent, selected, hr, django_capture_on_commit_callbacks)
    assert PortalAccount.objects.get(participant=selected).user == other
    assert not PortalAccount.objects.filter(user=applicant).exists()
    told = Notification.objects.get(user=applicant, key=f"portal-selected-{selected.pk}")
    assert told.link == reverse("portal:application_detail", args=[sent.pk])
    staff = Notification.objects.get(user=hr)
    assert staff.link == selected.get_absolute_url()
    assert sent.application.registration_number in staff.text and NIK not in staff.text


def test_an_account_linked_to_someone_else_is_left_alone(
    applicant, sent, selected, hr, cohort, django_capture_on_commit_callbacks
):
    someone = ParticipantFactory(cohort=cohort)
    PortalAccount.objects.create(user=applicant, participant=someone)
    made(sent, selected, hr, django_capture_on_commit_callbacks)
    assert PortalAccount.objects.get(user=applicant).participant == someone
    assert not PortalAccount.objects.filter(participant=selected).exists()
    assert Notification.objects.filter(user=hr).count() == 1


def test_an_account_already_linked_stays_and_no_one_is_told(
    applicant, sent, selected, hr, django_capture_on_commit_callbacks
):
    PortalAccount.objects.create(user=applicant, participant=selected)
    made(sent, selected, hr, django_capture_on_commit_callbacks)
    assert PortalAccount.objects.get(user=applicant).participant == selected
    assert (
        not Notification.objects.filter(key__startswith="portal-")
        .exclude(key__startswith="portal-application-received")
        .exists()
    )


def test_a_counter_application_links_no_account(hr, call, django_capture_on_commit_callbacks):
    application = ApplicationFactory(call=call)
    person = ParticipantFactory(nik=application.nik)
    with django_capture_on_commit_callbacks(execute=True):
        participant_made.send(
            sender=Application, application=application, participant=person, by=hr
        )
    assert not PortalAccount.objects.exists() and not Notification.objects.exists()
