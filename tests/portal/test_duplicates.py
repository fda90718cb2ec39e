"""A portal application whose NIK is already known never errors and never says so: it goes to
HR's review queue, where it is accepted as someone else, merged with the known record, or
rejected with a reason, and the decision is kept."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from delegation.models import AuditEvent
from delegation.roles import Role
from participants.models import ConsentRecord
from portal import applicants
from portal.models import ApplicationDraft, DuplicateReview, PortalAccount
from recruitment.models import Application
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ParticipantFactory,
    UserFactory,
    make_nik,
)
from tests.portal.test_applying import BIRTH, NIK, PDF, fill_to_consent, personal, step_url

pytestmark = pytest.mark.django_db


def send(client, call, capture):
    fill_to_consent(client, call)
    with capture(execute=True):
        return client.post(step_url(call, "consent"), {"agree": "on"})


def answer_page(client, response) -> str:
    return client.get(response.url).content.decode()


class TestTheApplicantIsToldTheSame:
    def test_a_new_nik_and_a_known_one_get_the_same_answer(
        self, client, applicant_client, call, django_capture_on_commit_callbacks
    ):
        fresh = UserFactory(
            username="baru@example.org", email="baru@example.org", role=Role.PARTICIPANT
        )
        client_fresh = Client()
        client_fresh.force_login(fresh)
        fill_to_consent(client_fresh, call)
        client_fresh.post(step_url(call, "personal"), personal(nik=make_nik(BIRTH, serial=77)))
        new = client_fresh.post(step_url(call, "consent"), {"agree": "on"})
        ParticipantFactory(nik=NIK, birth_date=BIRTH, gender="F", status="applicant")
        known = send(applicant_client, call, django_capture_on_commit_callbacks)
        assert new.status_code == known.status_code == 302
        said = [list(r.wsgi_request._messages)[-1].message for r in (new, known)]
        assert said[0] == said[1]
        draft = ApplicationDraft.objects.get(user__username="rina@example.org")
        assert draft.status == "submitted" and draft.application is not None
        review = DuplicateReview.objects.get()
        assert review.draft == draft and review.participant.nik == NIK
        assert review.status == "open"

    def test_a_nik_already_applied_to_the_same_call_is_held_not_refused(
        self, applicant_client, call, django_capture_on_commit_callbacks
    ):
        counter = ApplicationFactory(call=call, nik=NIK, birth_date=BIRTH)
        response = send(applicant_client, call, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        draft = ApplicationDraft.objects.get()
        assert draft.status == ApplicationDraft.Status.HELD and draft.application is None
        assert Application.objects.get() == counter  # no second application, no error
        assert DuplicateReview.objects.get().same_call == counter
        page = answer_page(applicant_client, response)
        assert counter.registration_number not in page and counter.full_name not in page

    def test_another_calls_application_is_listed_for_review(
        self, applicant_client, call, cohort, django_capture_on_commit_callbacks
    ):
        earlier = ApplicationFactory(call=CallFactory(cohort=cohort), nik=NIK, birth_date=BIRTH)
        send(applicant_client, call, django_capture_on_commit_callbacks)
        review = DuplicateReview.objects.get()
        assert list(review.other_applications.all()) == [earlier]
        assert review.draft.application is not None

    def test_a_new_nik_goes_to_no_queue(self, applicant_client, call):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        assert not DuplicateReview.objects.exists()


@pytest.fixture
def held(applicant_client, call, django_capture_on_commit_callbacks):
    counter = ApplicationFactory(call=call, nik=NIK, birth_date=BIRTH)
    send(applicant_client, call, django_capture_on_commit_callbacks)
    return DuplicateReview.objects.get(), counter


@pytest.fixture
def known_participant(applicant_client, call, django_capture_on_commit_callbacks):
    person = ParticipantFactory(nik=NIK, birth_date=BIRTH, gender="F", status="applicant")
    send(applicant_client, call, django_capture_on_commit_callbacks)
    return DuplicateReview.objects.get(), person


class TestTheQueue:
    def test_hr_sees_the_possible_duplicates(self, client, hr, held):
        review, counter = held
        client.force_login(hr)
        page = client.get(reverse("portal_staff:duplicate_queue")).content.decode()
        assert "Rina Amalia" in page and counter.registration_number in page
        assert NIK not in page  # the match is named, the NIK never shown

    def test_roles_without_the_applications_permission_are_refused(
        self, client, instructor, leadership, held
    ):
        for user in (instructor, leadership):
            client.force_login(user)
            assert client.get(reverse("portal_staff:duplicate_queue")).status_code == 403

    def test_merging_a_held_submission_joins_the_application_already_there(
        self, client, hr, held, applicant
    ):
        review, counter = held
        client.force_login(hr)
        response = client.post(
            reverse("portal_staff:duplicate_decide", args=[review.pk]), {"decision": "merged"}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.status == "merged" and review.decided_by == hr and review.decided_at
        draft = review.draft
        assert draft.status == "submitted" and draft.application == counter
        assert not draft.documents.exists()

    def test_a_held_submission_cannot_be_accepted_as_a_second_application(self, hr, held):
        review, _counter = held
        with pytest.raises(ValidationError):
            applicants.duplicate_decide(review=review, decision="accepted", by=hr)
        review.refresh_from_db()
        assert review.status == "open"

    def test_rejecting_needs_a_reason_and_tells_the_person(
        self, client, hr, held, applicant, django_capture_on_commit_callbacks
    ):
        review, _counter = held
        client.force_login(hr)
        url = reverse("portal_staff:duplicate_decide", args=[review.pk])
        client.post(url, {"decision": "rejected"})
        review.refresh_from_db()
        assert review.status == "open"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"decision": "rejected", "note": "KTP milik orang lain"})
        review.refresh_from_db()
        assert review.status == "rejected" and review.note == "KTP milik orang lain"
        assert review.draft.status == "rejected"
        assert [m.to for m in mail.outbox] == [[applicant.email]]
        assert "KTP milik orang lain" not in mail.outbox[0].body

    def test_rejecting_a_made_application_marks_it_not_eligible(self, hr, known_participant):
        review, _person = known_participant
        applicants.duplicate_decide(review=review, decision="rejected", by=hr, note="Ganda")
        application = review.draft.application
        application.refresh_from_db()
        assert application.admin_status == Application.Check.INELIGIBLE
        assert "Ganda" in application.admin_reason

    def test_accepting_keeps_the_application(self, hr, known_participant):
        review, _person = known_participant
        applicants.duplicate_decide(review=review, decision="accepted", by=hr)
        review.refresh_from_db()
        assert review.status == "accepted"
        assert review.draft.application.admin_status == Application.Check.PENDING

    def test_merging_with_a_registry_person_records_the_online_consent_and_the_account(
        self, hr, known_participant, applicant
    ):
        review, person = known_participant
        applicants.duplicate_decide(review=review, decision="merged", by=hr)
        consent = ConsentRecord.objects.get(participant=person)
        assert consent.form == ConsentRecord.Form.ONLINE and not consent.signed_file
        assert consent.text_version == applicants.CONSENT_VERSION
        assert consent.account == applicant and consent.recorded_by == hr
        assert PortalAccount.objects.get(user=applicant).participant == person

    def test_a_decided_review_is_not_decided_again(self, hr, known_participant):
        review, _person = known_participant
        applicants.duplicate_decide(review=review, decision="accepted", by=hr)
        with pytest.raises(ValidationError):
            applicants.duplicate_decide(review=review, decision="rejected", by=hr, note="x")

    def test_a_get_to_the_action_is_refused(self, client, hr, held):
        review, _counter = held
        client.force_login(hr)
        response = client.get(reverse("portal_staff:duplicate_decide", args=[review.pk]))
        assert response.status_code == 405


class TestTheDecisionIsAudited:
    @pytest.mark.parametrize(
        ("decision", "note", "detail"),
        [
            ("accepted", "", "accepted"),
            ("merged", "Orang yang sama", "merged: Orang yang sama"),
            ("rejected", "Ganda", "rejected: Ganda"),
        ],
    )
    def test_each_decision_writes_a_review_event(
        self, hr, known_participant, decision, note, detail
    ):
        review, _person = known_participant
        applicants.duplicate_decide(review=review, decision=decision, by=hr, note=note)
        event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW)
        assert event.actor == hr and event.subject_id == str(review.pk)
        assert event.detail == detail
        assert NIK not in event.detail and NIK not in event.subject_repr

    def test_a_refused_decision_writes_nothing(self, hr, held):
        review, _counter = held
        with pytest.raises(ValidationError):
            applicants.duplicate_decide(review=review, decision="accepted", by=hr)
        assert not AuditEvent.objects.exists()

    def test_the_decision_through_the_queue_is_logged_with_the_reviewer(self, client, hr, held):
        review, _counter = held
        client.force_login(hr)
        client.post(
            reverse("portal_staff:duplicate_decide", args=[review.pk]), {"decision": "merged"}
        )
        event = AuditEvent.objects.get()
        assert event.action == AuditEvent.Action.REVIEW and event.actor == hr


class TestTheHeldDocuments:
    def test_hr_opens_a_held_submissions_upload_from_the_queue(self, client, hr, held):
        review, _counter = held
        document = review.draft.documents.get(name="KTP")
        client.force_login(hr)
        page = client.get(reverse("portal_staff:duplicate_queue")).content.decode()
        url = reverse("portal_staff:duplicate_document", args=[document.pk])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        event = AuditEvent.objects.get()
        assert event.action == AuditEvent.Action.DOWNLOAD and event.actor == hr
        assert event.subject_id == str(review.pk)

    def test_no_one_else_opens_it(self, client, applicant, instructor, leadership, held):
        review, _counter = held
        url = reverse("portal_staff:duplicate_document", args=[review.draft.documents.first().pk])
        for user in (applicant, instructor, leadership):
            client.force_login(user)
            assert client.get(url).status_code == 403
        assert not AuditEvent.objects.exists()

    def test_a_decided_or_unqueued_draft_has_no_document_to_open(self, client, hr, held, call):
        review, _counter = held
        document = review.draft.documents.first()
        draft = ApplicationDraft.objects.create(
            user=UserFactory(role=Role.PARTICIPANT), call=CallFactory(cohort=call.cohort)
        )
        loose = draft.documents.create(name="KTP", file=ContentFile(PDF, name="ktp.pdf"))
        client.force_login(hr)
        url = reverse("portal_staff:duplicate_document", args=[loose.pk])
        assert client.get(url).status_code == 404
        DuplicateReview.objects.filter(pk=review.pk).update(status="rejected")
        url = reverse("portal_staff:duplicate_document", args=[document.pk])
        assert client.get(url).status_code == 404
        assert not AuditEvent.objects.exists()


def test_the_profile_shows_an_online_consent_with_its_version(client, hr, known_participant):
    review, person = known_participant
    applicants.duplicate_decide(review=review, decision="merged", by=hr)
    client.force_login(hr)
    page = client.get(person.get_absolute_url()).content.decode()
    assert f"versi teks {applicants.CONSENT_VERSION}" in page
