import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from delegation.audit import record_event
from delegation.models import AuditEvent, Job, Organisation
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def job_for(subject, **fields):
    return JobFactory(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, **fields
    )


def test_only_one_live_job_per_kind_subject_and_checksum():
    subject = Group.objects.get(name="hr_staff")
    job_for(subject, checksum="abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        job_for(subject, checksum="abc")


def test_a_superseded_job_leaves_room_for_a_new_one():
    subject = Group.objects.get(name="hr_staff")
    old = job_for(subject, checksum="abc")
    old.supersede()
    new = job_for(subject, checksum="abc")
    assert set(Job.objects.for_subject(subject).live()) == {new}


def test_a_job_moves_through_its_states():
    job = JobFactory()
    job.start()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)
    job.set_progress(140)
    assert job.progress == 100
    job.finish(file_name="jobs/x.pdf", sha256="f" * 64)
    job.refresh_from_db()
    assert (job.status, job.file.name, job.finished_at is not None) == ("done", "jobs/x.pdf", True)


def test_a_failed_job_keeps_its_reason():
    job = JobFactory()
    job.fail("WeasyPrint could not load a font")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "WeasyPrint could not load a font"


def test_the_database_refuses_progress_above_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        JobFactory(progress=101)


def test_the_organisation_is_a_single_row():
    Organisation.objects.create(pk=1, name="Pemerintah Kota Banjarmasin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(pk=2, name="Another office")
    assert Organisation.current().name == "Pemerintah Kota Banjarmasin"


def test_the_footer_reads_the_organisation_name_once_until_it_changes(
    client, hr, django_assert_num_queries, django_capture_on_commit_callbacks
):
    organisation = Organisation.objects.create(pk=1, name="Pemerintah Kota Banjarmasin")
    assert Organisation.current_name() == "Pemerintah Kota Banjarmasin"
    with django_assert_num_queries(0):
        assert Organisation.current_name() == "Pemerintah Kota Banjarmasin"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Pemerintah Kota Banjarbaru"
        organisation.save()
    assert Organisation.current_name() == "Pemerintah Kota Banjarbaru"
    client.force_login(hr)
    assert "Pemerintah Kota Banjarbaru" in client.get("/").content.decode()
    organisation.delete()
    assert Organisation.current_name() == ""
    Organisation(pk=1, name="Pemerintah Kota Banjarmasin").save_base(raw=True)  # as loaddata
    assert Organisation.current_name() == "Pemerintah Kota Banjarmasin"


def test_record_event_writes_who_did_what_to_whom(hr):
    subject = Group.objects.get(name="coordinator")
    event = record_event(hr, AuditEvent.Action.EXPORT, subject, detail="XLSX roster")
    assert (event.actor, event.actor_username, event.action) == (hr, "hr", "export")
    assert (event.subject_id, event.subject_repr, event.detail) == (
        str(subject.pk),
        "coordinator",
        "XLSX roster",
    )


def test_record_event_keeps_the_name_when_the_account_is_deleted(hr):
    event = record_event(hr, AuditEvent.Action.DELETE)
    hr.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_username) == (None, "hr")
