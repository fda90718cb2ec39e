"""The import pages: upload, preview, confirmation, background checks and imports
(``participants/views/imports.py``)."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegation.models import AuditEvent, Job
from participants.models import Participant
from tests.factories import make_nik
from tests.participants.data import BIRTH

pytestmark = pytest.mark.django_db


class TestImportPages:
    def upload(self, client, content: bytes, name="peserta.csv", **extra):
        return client.post(
            reverse("participants:import_upload"),
            {"file": SimpleUploadedFile(name, content), **extra},
        )

    def csv(self, count: int) -> bytes:
        lines = ["full_name,nik,gender,birth_date,origin_regency,track"]
        for n in range(1, count + 1):
            lines.append(f"Peserta {n},{make_nik(BIRTH, 'F', serial=n)},P,1998-02-18,63.71,worker")
        return ("\n".join(lines) + "\n").encode()

    def test_a_preview_lists_bad_rows_and_saves_nothing(self, client, hr):
        client.force_login(hr)
        content = self.csv(2).replace(b"63.71,worker\n", b"Banjar,worker\n", 1)
        response = self.upload(client, content)
        assert response["Location"] == reverse("participants:import_preview")
        preview = client.get(response["Location"])
        assert not preview.context["result"].ok
        assert "Kabupaten Banjar" in preview.content.decode()
        assert client.post(reverse("participants:import_preview")).status_code == 200
        assert not Participant.objects.exists()

    def test_confirming_a_clean_file_imports_every_row(self, client, hr, cohort):
        client.force_login(hr)
        self.upload(client, self.csv(3), cohort=cohort.pk)
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 302
        assert cohort.participants.count() == 3
        assert AuditEvent.objects.filter(action="import").exists()

    def test_a_batch_filled_during_the_confirmation_is_refused_not_a_500(
        self, client, hr, cohort, monkeypatch
    ):
        cohort.quota = 1
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(2), cohort=cohort.pk)
        # The confirm step's check passed a moment before someone else took the places.
        monkeypatch.setattr(
            "participants.services.import_quota_problem", lambda cohort, count: None
        )
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 200
        assert "Angkatan IV sudah penuh" not in response.content.decode()  # 1 place, 2 rows
        assert "hanya dapat menerima 1 peserta lagi" in response.content.decode()
        assert not cohort.participants.exists()
        assert not Job.objects.filter(kind="participant_import").exists()

    def test_the_preview_already_says_the_rows_are_beyond_the_quota(self, client, hr, cohort):
        cohort.quota = 2
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(5), cohort=cohort.pk)
        response = client.get(reverse("participants:import_preview"))
        page = response.content.decode()
        assert "kuota 2 peserta" in page
        assert "3 baris berkas melebihi kuota." in page
        assert "siap diimpor" not in page  # not "all correct and ready to import"
        assert "Impor semua baris" not in page
        assert reverse("cohorts:cohort_edit", args=[cohort.pk]) in page
        assert not cohort.participants.exists()

    def test_a_preview_within_the_quota_offers_the_import(self, client, hr, cohort):
        cohort.quota = 5
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(5), cohort=cohort.pk)
        page = client.get(reverse("participants:import_preview")).content.decode()
        assert "Impor semua baris" in page and "melebihi kuota" not in page

    def test_confirming_past_the_quota_saves_nobody_until_hr_raise_it(self, client, hr, cohort):
        cohort.quota = 2
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(3), cohort=cohort.pk)
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Angkatan IV hanya dapat menerima 2 peserta lagi, bukan 3: kuota 2 peserta." in page
        assert reverse("cohorts:cohort_edit", args=[cohort.pk]) in page
        assert not cohort.participants.exists()
        client.post(
            reverse("cohorts:cohort_edit", args=[cohort.pk]),
            {"program": cohort.program.pk, "number": 4, "year": 2026, "quota": 3},
        )
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 302
        assert cohort.participants.count() == 3

    def test_a_large_file_is_queued_on_a_job(
        self, client, hr, cohort, django_capture_on_commit_callbacks
    ):
        client.force_login(hr)
        self.upload(client, self.csv(201), cohort=cohort.pk)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("jobs")
        job = Job.objects.get(kind="participant_import")
        job.refresh_from_db()
        assert job.status == "done"
        assert cohort.participants.count() == 201
        event = AuditEvent.objects.get(action="import")
        assert (event.actor, event.subject_id, event.detail) == (hr, str(job.pk), "201 rows queued")

    def test_a_large_file_is_checked_by_a_job_with_its_progress_on_the_page(
        self, client, hr, cohort, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.services.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8), cohort=cohort.pk)
        with monkeypatch.context() as request_only:
            request_only.setattr(
                "participants.importer.check_file",
                lambda *args, **kwargs: pytest.fail("checked in the web request"),
            )
            with django_capture_on_commit_callbacks(execute=True):
                waiting = client.get(reverse("participants:import_preview")).content.decode()
            assert 'hx-trigger="every 2s"' in waiting and 'hx-select="#import-check"' in waiting
            check = Job.objects.get(kind="participant_import_check")
            assert (check.status, check.params["rows"], check.params["error_count"]) == (
                "done",
                8,
                0,
            )
            done = client.get(reverse("participants:import_preview"))
            assert done.context["checked_ok"]
            assert 'hx-select="#import-check"' not in done.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("jobs")
        assert cohort.participants.count() == 8
        assert Job.objects.get(kind="participant_import").status == "done"

    def test_a_large_files_problems_come_from_its_check_job(
        self, client, hr, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.services.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8).replace(b"63.71,worker\n", b"Banjar,worker\n", 1))
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("participants:import_preview"))
        page = client.get(reverse("participants:import_preview"))
        assert not page.context["checked_ok"]
        assert "Banjar" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("participants:import_preview"))
        assert not Participant.objects.exists()

    def test_a_large_files_check_lists_200_problems_and_counts_the_rest(
        self, client, hr, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.services.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(230).replace(b",P,", b",X,"))
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("participants:import_preview"))
        page = client.get(reverse("participants:import_preview")).content.decode()
        assert page.count("Tulis L atau P") == 200
        assert "dan 30 lainnya" in page
        assert "Berkas memiliki 230 masalah" in page

    def test_a_large_file_with_the_broker_down_is_refused_plainly(
        self, client, hr, monkeypatch, settings
    ):
        from celery import current_app

        monkeypatch.setattr("participants.services.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8))
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        current_app.conf.task_always_eager = False
        response = client.get(reverse("participants:import_preview"), follow=True)
        assert "Pekerjaan latar belakang sedang tidak tersedia" in response.content.decode()
        assert not Job.objects.exists()

    def test_confirming_the_same_preview_twice_queues_one_import(self, client, hr, cohort):
        """A second tab (or a double click) still holds the preview the first confirmed."""
        client.force_login(hr)
        self.upload(client, self.csv(201), cohort=cohort.pk)
        preview = client.session["participant_import"]
        assert client.post(reverse("participants:import_preview"))["Location"] == reverse("jobs")
        session = client.session
        session["participant_import"] = preview
        session.save()
        response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
            "Berkas ini sudah diimpor (atau sedang diimpor): tidak ada yang ditambahkan."
        )
        assert Job.objects.filter(kind="participant_import").count() == 1

    def test_a_preview_whose_file_was_just_imported_asks_for_a_new_upload(self, client, hr, cohort):
        client.force_login(hr)
        self.upload(client, self.csv(2), cohort=cohort.pk)
        default_storage.delete(client.session["participant_import"]["path"])
        response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")
        assert not Participant.objects.exists()

    def test_the_corrected_file_is_offered_the_same_batch_and_replaces_the_bad_one(
        self, client, hr, cohort
    ):
        client.force_login(hr)
        bad = self.csv(2).replace(b"63.71,worker\n", b"Banjar,worker\n", 1)
        self.upload(client, bad, cohort=cohort.pk, historical="on")
        bad_path = client.session["participant_import"]["path"]
        form = client.get(reverse("participants:import_upload")).context["form"]
        assert form["cohort"].value() == cohort.pk
        assert form["historical"].value() is True
        self.upload(client, self.csv(2), cohort=cohort.pk)
        assert not default_storage.exists(bad_path)
        assert default_storage.exists(client.session["participant_import"]["path"])

    def test_the_first_upload_offers_no_batch(self, client, hr, cohort):
        client.force_login(hr)
        form = client.get(reverse("participants:import_upload")).context["form"]
        assert form["cohort"].value() is None

    def test_a_file_of_another_type_is_refused_at_upload(self, client, hr):
        client.force_login(hr)
        response = self.upload(client, b"%PDF-1.4", name="peserta.pdf")
        assert "file" in response.context["form"].errors

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "peserta.csv",
                b"full_name,nik\n" + b"x,1\n" * 50_001,
                "Berkas memiliki lebih dari 50.000 baris",
            ),
            (
                "peserta.csv",
                ",".join(f"c{n}" for n in range(61)).encode() + b"\n",
                "lebih dari 60 kolom",
            ),
            ("peserta.csv", "Siti Ra\u0127mah".encode("utf-16"), "tidak berformat UTF-8"),
            ("peserta.xlsx", b"PK\x03\x04 cut short", "bukan buku kerja XLSX"),
            ("peserta.xlsx", b"full_name,nik\n", "bukan buku kerja XLSX"),
        ],
        ids=["too-many-rows", "too-wide", "not-utf8", "truncated-xlsx", "not-a-zip"],
    )
    def test_a_file_past_the_bounds_or_unreadable_is_refused_at_upload_and_not_kept(
        self, client, hr, name, content, message
    ):
        client.force_login(hr)
        response = self.upload(client, content, name=name)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["file"])
        assert "participant_import" not in client.session
        assert not default_storage.exists("imports")
        assert not Participant.objects.exists()

    def test_a_tall_xlsx_that_declares_no_size_is_stopped_at_the_cap_by_the_preview(
        self, client, hr, tall_xlsx
    ):
        client.force_login(hr)
        response = self.upload(client, tall_xlsx, name="peserta.xlsx")
        assert response["Location"] == reverse("participants:import_preview")
        for _visit in range(2):
            page = client.get(reverse("participants:import_preview")).content.decode()
            assert "Berkas memiliki lebih dari 50.000 baris" in page
        assert client.post(reverse("participants:import_preview")).status_code == 200
        assert not Participant.objects.exists()
        assert not Job.objects.exists()

    def test_a_file_larger_than_20_mb_is_refused_at_upload(self, client, hr):
        client.force_login(hr)
        response = self.upload(client, b"x" * (20 * 2**20 + 1))
        assert "lebih besar dari 20 MB" in " ".join(response.context["form"].errors["file"])
        assert "participant_import" not in client.session

    def test_the_preview_lists_200_problems_and_counts_the_rest(self, client, hr):
        client.force_login(hr)
        content = self.csv(230).replace(b",P,", b",X,")
        self.upload(client, content)
        page = client.get(reverse("participants:import_preview")).content.decode()
        assert page.count("Tulis L atau P") == 200
        assert "dan 30 lainnya" in page
        assert "Berkas memiliki 230 masalah" in page

    def test_an_expired_upload_sends_the_user_back(self, client, hr):
        client.force_login(hr)
        response = client.get(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")

    def test_the_template_downloads(self, client, hr):
        client.force_login(hr)
        response = client.get(reverse("participants:import_template"))
        assert response.content.decode().startswith("full_name,nik,gender")

    def test_the_xlsx_template_downloads_from_the_import_page(self, client, hr):
        client.force_login(hr)
        page = client.get(reverse("participants:import_upload")).content.decode()
        assert reverse("participants:import_template_xlsx") in page
        response = client.get(reverse("participants:import_template_xlsx"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="template-peserta.xlsx"' in response["Content-Disposition"]
        assert response.content.startswith(b"PK")

    def test_the_preview_names_gender_and_track_in_the_pages_language(self, client, hr):
        client.force_login(hr)
        self.upload(client, self.csv(1))
        indonesian = client.get(reverse("participants:import_preview")).content.decode()
        assert "<td>Perempuan</td>" in indonesian and "<td>Tenaga Kerja</td>" in indonesian
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(reverse("participants:import_preview")).content.decode()
        assert "<td>Female</td>" in english and "<td>Worker</td>" in english
        assert "<td>F</td>" not in english and "<td>worker</td>" not in english

    def test_a_coordinator_may_not_import(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("participants:import_upload")).status_code == 403
