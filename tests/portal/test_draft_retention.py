"""Portal drafts in retention and in the data-access archive: a draft never sent goes, with
its uploads, ``RETENTION_MONTHS_DRAFTS`` months after its last change; a sent one loses its
answers when its application is anonymised; the archive of a person holds their
applications and portal drafts."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delegation.models import AuditEvent
from delegation.roles import Role
from office.privacy.data_access import build_archive, participant_records
from office.privacy.retention import participants_anonymise, retention_report
from portal.models import ApplicationDraft, DraftDocument, PortalAccount
from recruitment.models import Call
from tests.factories import (
    WITA,
    ApplicationFactory,
    CallFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.portal.conftest import PDF

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2032, 6, 1)


def draft_of(user, *, saved: datetime.date, **fields) -> ApplicationDraft:
    draft = ApplicationDraft.objects.create(
        user=user,
        call=CallFactory(),
        data={"full_name": "Rina Amalia", "phone": "081234567890"},
        updated_at=datetime.datetime.combine(saved, datetime.time(12), tzinfo=WITA),
        **fields,
    )
    DraftDocument.objects.create(draft=draft, name="KTP", file=ContentFile(PDF, name="ktp.pdf"))
    return draft


def test_a_draft_never_sent_goes_with_its_uploads_after_six_months(
    settings, applicant, django_capture_on_commit_callbacks
):
    settings.RETENTION_MONTHS_DRAFTS = 6
    old = draft_of(applicant, saved=datetime.date(2031, 12, 1))
    kept = draft_of(applicant, saved=datetime.date(2031, 12, 2))
    path = old.documents.get().file.path
    report = retention_report(today=TODAY)
    assert report.drafts == [old]
    assert "1 portal draft(s) never sent" in "\n".join(report.lines())
    with django_capture_on_commit_callbacks(execute=True):
        participants_anonymise(today=TODAY)
    assert list(ApplicationDraft.objects.all()) == [kept]
    assert list(DraftDocument.objects.values_list("draft", flat=True)) == [kept.pk]
    with pytest.raises(FileNotFoundError):
        open(path, "rb")  # noqa: SIM115


def test_the_setting_moves_the_limit(settings, applicant):
    draft_of(applicant, saved=datetime.date(2031, 12, 2))
    settings.RETENTION_MONTHS_DRAFTS = 1
    assert len(retention_report(today=TODAY).drafts) == 1


def test_a_sent_draft_is_not_deleted_but_loses_its_answers_with_its_application(
    applicant, django_capture_on_commit_callbacks
):
    call = CallFactory(status=Call.Status.DECIDED, decided_on=datetime.date(2030, 1, 5))
    application = ApplicationFactory(call=call, outcome="not_selected")
    draft = draft_of(
        applicant,
        saved=datetime.date(2029, 12, 1),
        status=ApplicationDraft.Status.SUBMITTED,
        application=application,
        consented_at=timezone.now(),
    )
    assert retention_report(today=TODAY).drafts == []
    with django_capture_on_commit_callbacks(execute=True):
        participants_anonymise(today=TODAY)
    draft.refresh_from_db()
    assert draft.data == {} and not draft.documents.exists()
    assert draft.consented_at is not None  # the consent's record stays


def test_the_archive_holds_the_applications_and_portal_drafts(applicant, cohort):
    person = ParticipantFactory(cohort=cohort, full_name="Rina Amalia")
    PortalAccount.objects.create(user=applicant, participant=person)
    application = ApplicationFactory(nik=person.nik, full_name="Rina Amalia")
    sent = draft_of(
        applicant,
        saved=datetime.date(2026, 1, 1),
        status=ApplicationDraft.Status.SUBMITTED,
        application=application,
        consented_at=timezone.now(),
    )
    unsent = draft_of(applicant, saved=datetime.date(2026, 2, 1))
    ApplicationFactory(full_name="Orang Lain")
    data, files = participant_records(person)
    assert [row["pk"] for row in data["applications"]] == [application.pk]
    assert [row["pk"] for row in data["portal_applications"]] == [sent.pk, unsent.pk]
    assert len(data["portal_application_documents"]) == 2
    names = [name for name, _file in files]
    assert sum(name.startswith("files/portal_application_documents/") for name in names) == 2
    with zipfile.ZipFile(build_archive(person)) as bundle:
        records = bundle.read("records.json").decode()
    assert "Orang Lain" not in records and "081234567890" in records


class TestTheApplicantsOwnDownload:
    URL = "/saya/lamaran/unduh/"

    def test_an_applicant_downloads_their_applications_and_drafts(
        self, applicant_client, applicant
    ):
        mine = draft_of(applicant, saved=datetime.date(2026, 2, 1))
        draft_of(UserFactory(role=Role.PARTICIPANT), saved=datetime.date(2026, 2, 1))
        page = applicant_client.get(reverse("portal:applications")).content.decode()
        assert reverse("portal_applications_export") == self.URL and self.URL in page
        response = applicant_client.post(self.URL)
        assert response.status_code == 200
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
            records = json.loads(bundle.read("records.json"))
            names = bundle.namelist()
        assert [row["pk"] for row in records["portal_applications"]] == [mine.pk]
        assert sum(name.startswith("files/portal_application_documents/") for name in names) == 1
        event = AuditEvent.objects.get()
        assert event.action == AuditEvent.Action.EXPORT and event.actor == applicant

    def test_staff_are_refused_and_a_participant_is_sent_to_their_own_archive(
        self, hr, portal_client
    ):
        staff = Client()
        staff.force_login(hr)
        assert staff.post(self.URL).status_code == 403
        assert portal_client.post(self.URL).url == reverse("portal:my_data")
        assert not AuditEvent.objects.exists()
