"""The steps of starting an import, apart from its pages: keeping the upload, deciding
whether the check runs in the background, and the batch's room."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from participants import importer
from participants.services import (
    CHECK_IN_BACKGROUND_ROWS,
    import_check_start,
    import_quota_problem,
    import_upload_keep,
)
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _csv(rows: int) -> SimpleUploadedFile:
    lines = [",".join(importer.COLUMNS)] + ["x"] * rows
    return SimpleUploadedFile("Peserta.CSV", ("\n".join(lines) + "\n").encode())


def test_an_upload_is_kept_under_a_random_name_and_described_for_the_preview(cohort):
    pending = import_upload_keep(upload=_csv(2), cohort=cohort, historical=True)
    assert pending["path"].startswith("imports/") and pending["path"].endswith(".csv")
    assert "Peserta" not in pending["path"]
    assert (pending["name"], pending["cohort"], pending["historical"]) == (
        "Peserta.CSV",
        cohort.pk,
        True,
    )
    assert default_storage.exists(pending["path"])


def test_a_corrected_upload_replaces_the_file_it_corrects():
    first = import_upload_keep(upload=_csv(2), cohort=None, historical=False)
    second = import_upload_keep(upload=_csv(3), cohort=None, historical=False, replacing=first)
    assert not default_storage.exists(first["path"])
    assert default_storage.exists(second["path"])
    assert second["cohort"] is None


def test_a_small_file_is_checked_in_the_request(hr):
    pending = import_upload_keep(upload=_csv(5), cohort=None, historical=False)
    assert import_check_start(pending=pending, user=hr) is None


def test_a_large_file_is_checked_by_a_background_job(hr):
    pending = import_upload_keep(
        upload=_csv(CHECK_IN_BACKGROUND_ROWS + 1), cohort=None, historical=False
    )
    job = import_check_start(pending=pending, user=hr)
    assert job is not None
    assert job.params["path"] == pending["path"]


def test_a_file_gone_since_the_upload_says_so(hr):
    pending = import_upload_keep(upload=_csv(1), cohort=None, historical=False)
    default_storage.delete(pending["path"])
    with pytest.raises(FileNotFoundError):
        import_check_start(pending=pending, user=hr)


def test_the_quota_problem_names_the_full_batch_and_nothing_without_a_batch(cohort):
    cohort.quota = 2
    cohort.save()
    ParticipantFactory(cohort=cohort)
    assert import_quota_problem(cohort, 1) is None
    assert import_quota_problem(None, 500) is None
    with translation.override("en"):
        problem = import_quota_problem(cohort, 2)
    assert problem and "2" in problem
