"""Retention of the selection's applications: those that made nobody a participant are
anonymised ``RETENTION_MONTHS_APPLICATIONS`` months after their call was decided (or closed,
when cancelled); those that did follow their participant."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from delegation.audit import record_event
from delegation.models import AuditEvent, Job
from office.privacy import tasks
from office.privacy.retention import participants_anonymise, retention_report
from recruitment.models import Application, ApplicationDocument, Call, Objection
from tests.factories import WITA, ApplicationFactory, CallFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2032, 6, 1)


def decided_call(decided_on: datetime.date) -> Call:
    return CallFactory(status=Call.Status.DECIDED, decided_on=decided_on)


def not_selected(call: Call, **fields) -> Application:
    application = ApplicationFactory(
        call=call,
        outcome="not_selected",
        ktp_street="Jl. Rahasia 9",
        phone="081234567890",
        email="siti@example.com",
        birth_place="Banjarmasin",
        **fields,
    )
    document = ApplicationDocument.objects.create(application=application, name="KTP")
    document.file.save("ktp.pdf", ContentFile(PDF))
    return application


@pytest.fixture
def hr():
    return UserFactory(username="hr", role="hr_staff")


def test_an_application_is_due_24_months_after_the_decision_not_a_day_earlier(settings):
    settings.RETENTION_MONTHS_APPLICATIONS = 24
    due = not_selected(decided_call(datetime.date(2030, 6, 1)))
    not_selected(decided_call(datetime.date(2030, 6, 2)))
    not_selected(CallFactory(status=Call.Status.PROVISIONAL))
    report = retention_report(today=TODAY)
    assert [entry.application for entry in report.applications] == [due]
    assert "1 application(s) due" in "\n".join(report.lines())
    assert due.nik not in "\n".join(report.lines())


def test_a_cancelled_call_counts_from_its_closing():
    call = CallFactory(
        status=Call.Status.CANCELLED,
        opens_at=datetime.datetime(2029, 1, 5, 8, 0, tzinfo=WITA),
        closes_at=datetime.datetime(2030, 5, 30, 16, 0, tzinfo=WITA),
    )
    application = not_selected(call)
    assert [e.application for e in retention_report(today=TODAY).applications] == [application]


def test_anonymising_an_application_keeps_the_figures_and_removes_the_person(
    hr, django_capture_on_commit_callbacks
):
    call = decided_call(datetime.date(2029, 1, 10))
    application = not_selected(call, admin_status="ineligible", admin_reason="Ijazah palsu")
    document = application.documents.get()
    stored, storage = document.file.name, document.file.storage
    Objection.objects.create(
        call=call,
        application=application,
        received_on=datetime.date(2029, 1, 5),
        text="Saya Siti, nilai saya salah",
        recorded_by=hr,
        answer="Ditolak, Siti sudah diperiksa",
        verdict="rejected",
    )
    record_event(hr, AuditEvent.Action.DOWNLOAD, application, detail="KTP Siti.pdf")
    job = Job.objects.create(
        kind="selection_result", subject=call, status=Job.Status.DONE, checksum="x"
    )
    job.file.save("hasil.pdf", ContentFile(PDF))
    job_file = job.file.name
    person = ParticipantFactory(status="in_training")  # not due itself
    selected = ApplicationFactory(call=call, outcome="selected", participant=person)
    before = (application.gender, application.ktp_regency_id, application.track)

    with django_capture_on_commit_callbacks(execute=True):
        report = participants_anonymise(today=TODAY)

    assert [entry.application for entry in report.applications] == [application]
    application.refresh_from_db()
    assert application.full_name == f"ANONIM-PENDAFTAR-{application.pk}"
    assert application.nik == f"{application.pk:016d}"
    assert application.birth_date == datetime.date(2000, 1, 1)
    assert (application.ktp_street, application.phone, application.email) == ("", "", "")
    assert application.birth_place == "" and application.admin_reason == "—"
    assert (application.gender, application.ktp_regency_id, application.track) == before
    assert application.outcome == "not_selected" and application.anonymised_at is not None
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(stored)
    objection = Objection.objects.get()
    assert "Siti" not in objection.text + objection.answer
    event = AuditEvent.objects.get(action="download")
    assert "Siti" not in event.subject_repr + event.detail
    job.refresh_from_db()
    assert job.status == Job.Status.SUPERSEDED and not job.file.storage.exists(job_file)
    selected.refresh_from_db()
    assert selected.anonymised_at is None and not selected.full_name.startswith("ANONIM")
    # Once done, never again.
    assert participants_anonymise(today=TODAY).applications == []


def test_the_dry_run_changes_nothing():
    application = not_selected(decided_call(datetime.date(2029, 1, 10)))
    report = retention_report(today=TODAY)
    assert len(report.applications) == 1 and len(report.applications[0].files) == 1
    application.refresh_from_db()
    assert application.anonymised_at is None and application.documents.exists()


def test_a_participants_application_is_anonymised_with_them(hr):
    person = ParticipantFactory(status="withdrawn")
    call = CallFactory(status=Call.Status.DECIDED, decided_on=datetime.date(2031, 12, 1))
    application = ApplicationFactory(
        call=call, outcome="selected", participant=person, nik=person.nik
    )
    reserve = ApplicationFactory(call=call, outcome="reserve")
    record_event(
        hr,
        AuditEvent.Action.REPLACE,
        application,
        detail=f"{application} withdrew; replaced by reserve {reserve}",
    )
    Participant = type(person)
    Participant.objects.filter(pk=person.pk).update(
        created_at=datetime.datetime(2029, 1, 1, tzinfo=WITA)
    )
    person.history.update(history_date=datetime.datetime(2029, 1, 1, tzinfo=WITA))
    report = participants_anonymise(today=TODAY)
    assert [entry.participant for entry in report.due] == [person]
    application.refresh_from_db()
    assert application.anonymised_at is not None and application.nik != person.nik
    assert AuditEvent.objects.get(action="replace").detail == ""


def test_the_command_and_the_nightly_task_anonymise_applications():
    not_selected(decided_call(datetime.date(2020, 1, 10)))
    out = io.StringIO()
    call_command("anonymise_participants", "--commit", stdout=out)
    assert "1 application(s) anonymised." in out.getvalue()
    not_selected(decided_call(datetime.date(2020, 1, 10)))
    assert tasks.anonymise_participants_daily.delay().get() == 1
    assert not Application.objects.filter(anonymised_at__isnull=True).exists()
