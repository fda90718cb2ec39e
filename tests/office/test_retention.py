"""Retention: who is anonymised when, what changes, and what is kept."""

import datetime
import io
import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from delegation.audit import record_event
from delegation.models import AuditEvent, Job, Notification
from office.privacy import tasks
from office.privacy.retention import participants_anonymise, retention_report
from participants.models import (
    ConsentRecord,
    Contact,
    Contract,
    Document,
    Participant,
    StatusChange,
    contract_end,
)
from tests.factories import ContactFactory, DocumentFactory, ExamResultFactory, ParticipantFactory
from training.models import Certificate

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2032, 6, 1)


def worked(cohort, *, ended_on: datetime.date, status="completed", **fields) -> Participant:
    """Someone sent abroad whose contract ended on ``ended_on``."""
    person = ParticipantFactory(cohort=cohort, status="completed", **fields)
    StatusChange.objects.create(
        participant=person,
        kind="status",
        from_status="ready",
        to_status="departed",
        effective_date=datetime.date(2021, 3, 1),
        historical=True,
    )
    start = _years_before(ended_on, 5) + datetime.timedelta(days=1)
    Contract.objects.create(
        participant=person,
        employer="Kaikoukai",
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
        ended_on=ended_on,
        status=status,
    )
    return person


def _years_before(day, years):
    return day.replace(year=day.year - years)


def applicant(last_change: datetime.date, **fields) -> Participant:
    person = ParticipantFactory(**fields)
    moment = timezone.make_aware(datetime.datetime.combine(last_change, datetime.time(9)))
    Participant.objects.filter(pk=person.pk).update(created_at=moment)
    person.history.update(history_date=moment)
    return person


def save_file(field_file, name="x.pdf"):
    field_file.save(name, SimpleUploadedFile(name, PDF))
    return field_file.name


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class TestWhoIsDue:
    def test_a_contract_that_ended_five_years_ago_is_due_a_day_later_not(self, settings, cohort):
        settings.RETENTION_YEARS_AFTER_CONTRACT = 5
        due = worked(cohort, ended_on=datetime.date(2027, 6, 1))
        worked(cohort, ended_on=datetime.date(2027, 6, 2))
        report = retention_report(today=TODAY)
        assert [(e.participant, e.rule) for e in report.due] == [(due, "contract")]

    def test_someone_with_a_live_contract_is_never_due(self, cohort):
        person = worked(cohort, ended_on=datetime.date(2020, 1, 1))
        Contract.objects.filter(participant=person).update(status="active")
        assert retention_report(today=TODAY).due == []

    def test_someone_who_came_home_with_no_contract_recorded_is_due_after_the_same_years(
        self, settings, cohort
    ):
        settings.RETENTION_YEARS_AFTER_CONTRACT = 5
        people = []
        for returned_on in (datetime.date(2027, 6, 1), datetime.date(2027, 6, 2)):
            person = ParticipantFactory(cohort=cohort, status="returned_early")
            StatusChange.objects.create(
                participant=person,
                kind="status",
                from_status="working",
                to_status="returned_early",
                effective_date=returned_on,
                historical=True,
            )
            people.append(person)
        report = retention_report(today=TODAY)
        assert [(e.participant, e.rule) for e in report.due] == [(people[0], "returned")]
        assert "came home 2027-06-01" in report.lines()[-1]

    def test_an_applicant_unchanged_for_the_configured_months_is_due(self, settings):
        settings.RETENTION_MONTHS_UNPLACED = 24
        due = applicant(datetime.date(2030, 6, 1))
        applicant(datetime.date(2030, 6, 2))
        applicant(datetime.date(2020, 1, 1), status="in_training")
        report = retention_report(today=TODAY)
        assert [(e.participant, e.rule) for e in report.due] == [(due, "unplaced")]

    def test_a_later_edit_or_status_change_restarts_an_applicants_time(self, settings):
        settings.RETENTION_MONTHS_UNPLACED = 24
        edited, moved, due = (applicant(datetime.date(2020, 1, 1)) for _n in range(3))
        recently = timezone.make_aware(datetime.datetime(TODAY.year - 1, 1, 1, 9))
        latest = edited.history.earliest("history_date")
        latest.pk, latest.history_date = None, recently  # a newer version of the record
        latest.save()
        StatusChange.objects.create(
            participant=moved,
            kind="status",
            from_status="applicant",
            to_status="withdrawn",
            effective_date=recently.date(),
            recorded_at=recently,
        )
        report = retention_report(today=TODAY)
        assert [(e.participant, e.since) for e in report.due] == [(due, datetime.date(2020, 1, 1))]

    def test_a_withdrawn_person_who_once_departed_is_not_an_unplaced_applicant(self, hr, cohort):
        person = applicant(datetime.date(2020, 1, 1), status="withdrawn", cohort=cohort)
        StatusChange.objects.create(
            participant=person,
            kind="status",
            from_status="ready",
            to_status="departed",
            effective_date=datetime.date(2019, 3, 1),
            recorded_at=timezone.make_aware(datetime.datetime(2019, 3, 1)),
        )
        assert retention_report(today=TODAY).due == []

    def test_the_settings_change_the_time(self, settings):
        applicant(datetime.date(2031, 6, 1))
        settings.RETENTION_MONTHS_UNPLACED = 24
        assert retention_report(today=TODAY).due == []
        settings.RETENTION_MONTHS_UNPLACED = 12
        assert len(retention_report(today=TODAY).due) == 1


@pytest.fixture
def full_person(cohort, hr):
    """A person with every kind of record and file, whose contract ended long ago."""
    person = worked(
        cohort,
        ended_on=datetime.date(2025, 1, 31),
        full_name="Siti Rahmah",
        phone="081234567890",
        ktp_street="Jl. Lambung Mangkurat 1",
        participant_number="KAI-04-007",
    )
    photo = person.photo.save("siti.png", SimpleUploadedFile("siti.png", b"\x89PNG\r\n\x1a\n"))
    del photo
    document = DocumentFactory(participant=person, number="C1234567")
    files = [person.photo.name, save_file(document.file, "paspor.pdf")]
    ContactFactory(participant=person, name="Ibu Aminah", phone="081111")
    files.append(save_file(person.contracts.get().signed_file, "kontrak.pdf"))
    consent = ConsentRecord(
        participant=person, kind="processing", given_on="2021-01-02", scope="All records"
    )
    files.append(save_file(consent.signed_file, "persetujuan.pdf"))
    files.append(save_file(ExamResultFactory(participant=person).certificate, "jlpt.pdf"))
    certificate = Certificate.objects.create(
        participant=person,
        kind="training",
        number="SERT-PLT/001/2021",
        token="tok-" + "a" * 20,
        issued_on=datetime.date(2021, 2, 1),
        hours=400,
    )
    job = Job.objects.create(kind="roster", subject=cohort, status=Job.Status.DONE)
    files.append(save_file(job.file, "daftar.pdf"))
    record_event(hr, AuditEvent.Action.VIEW_SENSITIVE, person)
    Notification.objects.create(
        user=hr, text="The contract of Siti Rahmah ends soon.", link=person.get_absolute_url()
    )
    Notification.objects.create(user=hr, text="Agreement 1 ends soon.", link="/programmes/x/")
    record_event(hr, AuditEvent.Action.DOWNLOAD, document, detail="paspor.pdf")
    Participant.objects.filter(pk=person.pk).update(notes="Alergi")
    person.refresh_from_db()
    person.save()  # one more history row carrying the personal values
    return {"person": person, "files": files, "certificate": certificate, "nik": person.nik}


class TestAnonymising:
    def test_the_dry_run_reports_and_changes_nothing(self, full_person):
        report = retention_report(today=TODAY)
        (entry,) = report.due
        assert len(entry.files) == 6
        assert entry.rows_deleted["documents"] == 1 and entry.rows_deleted["contacts"] == 1
        assert entry.jobs == 1 and entry.rows_deleted["reminders"] == 1
        line = "\n".join(report.lines())
        assert "KAI-04-007" in line and "last contract ended 2025-01-31" in line
        assert full_person["nik"] not in line
        person = Participant.objects.get()
        assert person.full_name == "Siti Rahmah" and person.anonymised_at is None
        assert all(default_storage.exists(name) for name in full_person["files"])

    def test_it_replaces_the_personal_data_everywhere(
        self, full_person, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            report = participants_anonymise(today=TODAY)
        assert len(report.due) == 1
        person = Participant.objects.get()
        pk = person.pk
        assert person.anonymised_at is not None
        assert person.full_name == f"ANONIM-{pk}" and person.nik == f"{pk:016d}"
        assert (person.phone, person.ktp_street, person.notes, person.photo.name) == (
            "",
            "",
            "",
            "",
        )
        assert person.participant_number == "" and person.birth_date == datetime.date(1998, 1, 1)
        # What the figures need stays.
        assert (person.status, person.cohort_id) == ("completed", full_person["person"].cohort_id)
        assert person.contracts.get().ended_on == datetime.date(2025, 1, 31)
        assert StatusChange.objects.filter(participant=person, to_status="departed").exists()
        # Every earlier version of the row is scrubbed.
        assert set(person.history.values_list("full_name", "nik", "phone", "notes")) == {
            (f"ANONIM-{pk}", f"{pk:016d}", "", "")
        }
        assert not Document.objects.exists() and not Document.history.exists()
        assert not Contact.objects.exists() and not Contact.history.exists()
        consent = ConsentRecord.objects.get()
        assert (consent.signed_file.name, consent.scope) == ("", "")
        assert not consent.history.exclude(signed_file="").exists()
        assert not person.exam_results.exclude(certificate="").exists()
        # The batch's printed documents are made again on the next request.
        assert set(Job.objects.values_list("status", "file")) == {(Job.Status.SUPERSEDED, "")}
        assert list(Notification.objects.values_list("text", flat=True)) == [
            "Agreement 1 ends soon."
        ]
        # The audit trail keeps who did what, but no longer names the person or the passport.
        subjects = set(AuditEvent.objects.values_list("action", "subject_repr"))
        assert subjects == {
            ("view_sensitive", f"ANONIM-{pk}"),
            ("download", f"document of ANONIM-{pk}"),
        }
        # And the files are gone.
        assert not any(default_storage.exists(name) for name in full_person["files"])

    def test_replaced_photos_and_files_only_history_remembers_are_deleted(
        self, full_person, django_capture_on_commit_callbacks
    ):
        person = full_person["person"]
        old_photo = person.photo.name
        person.photo.save("siti-2.png", SimpleUploadedFile("siti-2.png", b"\x89PNG\r\n\x1a\n"))
        document = Document.objects.get(participant=person)
        old_scan = document.file.name
        save_file(document.file, "paspor-baru.pdf")
        gone = DocumentFactory(participant=person, number="X0000408")
        gone_scan = save_file(gone.file, "paspor-lama.pdf")
        gone.delete()  # deleted long ago: only its history row still names its file
        kept = [old_photo, old_scan, gone_scan, person.photo.name, document.file.name]
        assert all(default_storage.exists(name) for name in kept)
        assert set(kept) <= set(retention_report(today=TODAY).due[0].files)
        with django_capture_on_commit_callbacks(execute=True):
            participants_anonymise(today=TODAY)
        assert not any(default_storage.exists(name) for name in kept)

    def test_the_admin_log_no_longer_names_the_person_or_their_documents(
        self, admin_user, cohort, full_person
    ):
        person = full_person["person"]
        document = DocumentFactory(participant=person, number="X0000408")
        contact = Contact.objects.get(participant=person)
        person_type = ContentType.objects.get_for_model(Participant)
        LogEntry.objects.create(
            user=admin_user,
            content_type=person_type,
            object_id=str(person.pk),
            object_repr="Siti Rahmah",
            action_flag=CHANGE,
            change_message=json.dumps(
                [
                    {"changed": {"fields": ["Phone"]}},
                    {"added": {"name": "document", "object": "Paspor X0000408"}},
                    {"deleted": {"name": "contact", "object": "Ibu Aminah (Mother)"}},
                ]
            ),
        )
        for row, label in ((document, "Paspor X0000408"), (contact, "Ibu Aminah (Mother)")):
            LogEntry.objects.create(
                user=admin_user,
                content_type=ContentType.objects.get_for_model(row),
                object_id=str(row.pk),
                object_repr=label,
                action_flag=CHANGE,
                change_message="[]",
            )
        other = worked(cohort, ended_on=datetime.date(2031, 1, 31), full_name="Budi Santoso")
        LogEntry.objects.create(
            user=admin_user,
            content_type=person_type,
            object_id=str(other.pk),
            object_repr="Budi Santoso",
            action_flag=ADDITION,
            change_message="[]",
        )
        participants_anonymise(today=TODAY)
        written = repr(list(LogEntry.objects.values_list("object_repr", "change_message")))
        for secret in ("Siti", "X0000408", "Aminah"):
            assert secret not in written
        assert "Budi Santoso" in written and '"Phone"' in written
        assert LogEntry.objects.filter(object_repr=f"ANONIM-{person.pk}").exists()
        assert LogEntry.objects.filter(object_repr=f"document of ANONIM-{person.pk}").exists()

    def test_audit_details_that_named_the_persons_rows_are_cleared(self, hr, full_person):
        person = full_person["person"]
        contact = Contact.objects.get(participant=person)
        record_event(hr, AuditEvent.Action.DELETE, contact, detail="Ibu Aminah (Mother)")
        record_event(hr, AuditEvent.Action.EXPORT, person, detail="data-access archive (ZIP)")
        participants_anonymise(today=TODAY)
        details = set(AuditEvent.objects.values_list("action", "detail"))
        assert not any("Aminah" in detail or "paspor" in detail for _action, detail in details)
        assert ("export", "data-access archive (ZIP)") in details

    def test_files_stay_when_the_transaction_does_not_commit(self, full_person):
        participants_anonymise(today=TODAY)  # the test's transaction never commits
        assert all(default_storage.exists(name) for name in full_person["files"])

    def test_an_anonymised_person_is_never_processed_again(self, full_person):
        participants_anonymise(today=TODAY)
        assert retention_report(today=TODAY).due == []
        assert participants_anonymise(today=TODAY).due == []

    def test_the_verification_page_then_shows_only_that_the_certificate_existed(
        self, client, full_person
    ):
        token = full_person["certificate"].token
        with translation.override("en"):
            before = client.get(reverse("verify", args=[token])).content.decode()
            assert "Siti Rahmah" in before
            participants_anonymise(today=TODAY)
            after = client.get(reverse("verify", args=[token])).content.decode()
        assert "was issued by the city" in after
        assert "Siti Rahmah" not in after and "ANONIM" not in after
        assert "SERT-PLT/001/2021" not in after
        assert Certificate.objects.filter(token=token).exists()

    def test_lists_and_the_profile_mark_the_anonymised(self, client, hr, full_person):
        participants_anonymise(today=TODAY)
        person = Participant.objects.get()
        client.force_login(hr)
        with translation.override("en"):
            listing = client.get(reverse("participants:participant_list")).content.decode()
            profile = client.get(person.get_absolute_url()).content.decode()
        assert "Anonymised" in listing and "Anonymised" in profile


class TestCommandAndTask:
    """These run on the real date: the contract ended on 31 January 2025."""

    @pytest.fixture(autouse=True)
    def _one_year(self, settings):
        settings.RETENTION_YEARS_AFTER_CONTRACT = 1
        assert timezone.localdate() >= datetime.date(2026, 1, 31)

    def test_the_command_is_a_dry_run_by_default(self, full_person):
        out = io.StringIO()
        call_command("anonymise_participants", stdout=out)
        assert "1 participant(s) due" in out.getvalue()
        assert "Dry run" in out.getvalue()
        assert Participant.objects.get().anonymised_at is None

    def test_the_command_applies_with_commit(self, full_person):
        out = io.StringIO()
        call_command("anonymise_participants", "--commit", stdout=out)
        assert "1 participant(s) anonymised." in out.getvalue()
        assert Participant.objects.get().anonymised_at is not None

    def test_the_daily_task_anonymises_and_is_scheduled(self, settings, full_person):
        assert tasks.anonymise_participants_daily.delay().get() == 1
        assert Participant.objects.get().anonymised_at is not None
        entry = settings.CELERY_BEAT_SCHEDULE["anonymise-participants-daily"]
        assert entry["task"] == "delegation.anonymise_participants"


class TestExpiredSessions:
    def session(self, key: str, expires: datetime.datetime, **data) -> None:
        Session.objects.create(
            session_key=key, session_data=SessionStore().encode(data), expire_date=expires
        )

    def test_the_daily_task_deletes_expired_sessions_and_keeps_live_ones(self):
        now = timezone.now()
        self.session(
            "expired" + "x" * 25, now - datetime.timedelta(minutes=1), q="6371015802980001"
        )
        self.session("live" + "y" * 28, now + datetime.timedelta(hours=1), q="Siti")
        tasks.clear_expired_sessions_daily.delay().get()
        assert list(Session.objects.values_list("session_key", flat=True)) == ["live" + "y" * 28]

    def test_beat_runs_it_every_night(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions-daily"]
        assert entry["task"] == tasks.clear_expired_sessions_daily.name
        assert entry["task"] == "delegation.clear_expired_sessions"
