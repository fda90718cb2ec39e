"""The ceremony pack and the certificates: what they print, how their jobs run, who may ask."""

import datetime
import io
import logging
import shutil
import subprocess
import zipfile

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cohorts.models import ProgramSignatory
from delegation import jobs
from delegation.models import AuditEvent, Job
from delegation.numbering import issue_number
from office.prints import ceremony_pack, services
from office.prints.tasks import render_document
from participants.models import Status
from tests.conftest import require, start_worker, stop_worker
from tests.factories import (
    CeremonyAttendeeFactory,
    DepartureCeremonyFactory,
    JobFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
)
from training import readiness
from training.models import Attendance, Certificate

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Siti Rahmah", "RAHMAH", "SITI", "シティ・ラフマ", "F"),
    ("Ahmad Fauzi", "FAUZI", "AHMAD", "アフマド・ファウジ", "M"),
]


@pytest.fixture
def batch(cohort):
    """Batch 4 with its ceremony, two departed participants and a finished training year."""
    DepartureCeremonyFactory(
        cohort=cohort,
        on_behalf_of_name="H Muhammad Yamin HR",
        on_behalf_of_title="Wali Kota Banjarmasin",
    )
    CeremonyAttendeeFactory(
        ceremony=cohort.ceremony, name="Ikhsan Budiman", title="Sekretaris Daerah"
    )
    plan = TrainingPlanFactory(cohort=cohort, end_date=datetime.date(2026, 2, 13))
    module = ModuleFactory(plan=plan)
    session = SessionFactory(module=module)
    for full_name, surname, given, katakana, gender in PEOPLE:
        person = ParticipantFactory(
            full_name=full_name,
            passport_surname=surname,
            passport_given_names=given,
            name_katakana=katakana,
            gender=gender,
            status=Status.DEPARTED,
        )
        person.place(cohort)
        Attendance.objects.create(session=session, participant=person)
    ProgramSignatory.objects.create(
        program=cohort.program,
        document="roster",
        position="Wakil Wali Kota Banjarmasin",
        name="Hj Ananda",
        on_behalf_of="Wali Kota Banjarmasin",
    )
    return cohort


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        return result.stdout.decode()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def font_names(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def ask_for_pack(cohort, user, captured):
    with captured(execute=True):
        return services.ceremony_pack_request(cohort=cohort, user=user)


class TestCeremonyPack:
    def test_it_prints_every_participant_the_venue_and_the_date_in_indonesian(
        self, batch, coordinator, django_capture_on_commit_callbacks, caplog
    ):
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            job, created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert created and job.status == Job.Status.DONE
        content = job.file.read()
        text = pdf_text(content)
        for full_name, surname, given, katakana, _gender in PEOPLE:
            assert full_name in text
            assert f"{surname} {given}" in text
            assert katakana in text
        assert "Aula Kayuh Baimbai, Balai Kota Banjarmasin" in text
        assert "Rabu, 18 Februari 2026" in text
        assert "09.00 WITA" in text
        assert "壮行式" in text
        assert "a.n. Wali Kota Banjarmasin" in text
        assert "Halaman 1 dari 1" in text
        assert f"Jumlah peserta: {len(PEOPLE)} orang" in text
        assert len(PdfReader(io.BytesIO(content)).pages) >= 3  # roster, sign-in sheet, minutes
        assert "Using fontTools instead" not in caplog.text

    def test_the_pack_opens_on_the_rosters_landscape_first_page(self, batch):
        numbers = {"roster": "1/DP-PLP", "sign_in": "2/DH-PLP", "handover": "3/BAST-PLP"}
        content = ceremony_pack.render_pack(
            ceremony_pack.pack_data(batch), numbers, requested_by="Machli Riyadi"
        )
        first = PdfReader(io.BytesIO(content)).pages[0]
        assert first.mediabox.width > first.mediabox.height
        text = first.extract_text()
        assert "DAFTAR PESERTA PELEPASAN ANGKATAN IV" in text
        assert "Siti Rahmah" in text
        assert "Machli Riyadi" in text and "Halaman 1 dari 1" in text

    @pytest.mark.parametrize("count", range(15, 19))  # around a page break
    def test_the_place_and_date_stay_on_the_page_of_the_signatures(self, batch, count):
        data = ceremony_pack.pack_data(batch)
        data["participants"] = (data["participants"] * count)[:count]
        numbers = {"roster": "1/DP-PLP", "sign_in": "2/DH-PLP", "handover": "3/BAST-PLP"}
        pages = [
            page.extract_text()
            for page in PdfReader(io.BytesIO(ceremony_pack.render_pack(data, numbers))).pages
        ]
        place_date = f"{data['org']['place'] or ''}, 18 Februari 2026".lstrip(", ")
        roster_end = next(text for text in pages if place_date in text.splitlines())
        assert "a.n. Wali Kota Banjarmasin" in roster_end

    def test_the_roster_prints_no_passport_number(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        from tests.factories import DocumentFactory

        DocumentFactory(participant=batch.participants.first(), number="C9876543")
        job, _created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert "C9876543" not in pdf_text(job.file.read())

    def test_the_fonts_are_the_projects_own(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        job, _created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert font_names(job.file.read()) == {"Noto-Sans-JP", "Noto-Sans-JP-Bold"}

    def test_kanji_typed_by_a_user_come_from_the_second_face(self, batch):
        data = ceremony_pack.pack_data(batch)
        data["participants"][0]["occupation"] = "桜ケア介護職"  # 桜: not in the first face
        numbers = {"roster": "1/DP-PLP", "sign_in": "2/DH-PLP", "handover": "3/BAST-PLP"}
        content = ceremony_pack.render_pack(data, numbers)
        assert "桜ケア介護職" in pdf_text(content)
        assert font_names(content) == {"Noto-Sans-JP", "Noto-Sans-JP-Bold", "Noto-Sans-JP-Kanji"}

    def test_asking_twice_makes_one_job_and_one_file(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        first, _ = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        second, created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        assert second == first and not created
        assert Job.objects.count() == 1
        files = list((settings.MEDIA_ROOT / "jobs").rglob(f"{first.pk}-*"))
        assert len(files) == 1

    def test_running_the_task_twice_makes_one_file(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        job, _ = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        render_document(job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (Job.Status.DONE, 1)
        assert len(list((settings.MEDIA_ROOT / "jobs").rglob(f"{job.pk}-*"))) == 1

    def test_new_data_makes_a_new_job_and_supersedes_the_old(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        old, _ = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        person = batch.participants.first()
        person.full_name = "Siti Rahmah Wulandari"
        person.save()
        new, created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        old.refresh_from_db()
        assert created and new != old
        assert old.status == Job.Status.SUPERSEDED

    def test_making_again_gives_new_numbers(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        old, _ = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            new, _ = services.print_regenerate(job=old, user=coordinator)
        old.refresh_from_db()
        new.refresh_from_db()
        assert new.params["numbers"]["roster"] != old.params["numbers"]["roster"]

    def test_the_pack_needs_the_ceremony(self, cohort, coordinator):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.ceremony_pack_request(cohort=cohort, user=coordinator)

    def test_the_roster_as_xlsx(self, batch):
        from openpyxl import load_workbook

        sheet = load_workbook(
            io.BytesIO(ceremony_pack.roster_xlsx(ceremony_pack.pack_data(batch)))
        ).active
        names = [row[2] for row in sheet.iter_rows(min_row=6, values_only=True)]
        assert names == ["Siti Rahmah", "Ahmad Fauzi"]


class TestRosterSpreadsheet:
    def roster(self, batch):
        from openpyxl import load_workbook

        content = ceremony_pack.roster_xlsx(ceremony_pack.pack_data(batch))
        return load_workbook(io.BytesIO(content)).active

    def test_a_name_or_occupation_that_starts_a_formula_is_text(self, batch):
        from participants.models import Participant

        Participant.objects.filter(full_name="Siti Rahmah").update(
            full_name='=HYPERLINK("http://evil.example","Siti")', occupation="@SUM(1+1)"
        )
        sheet = self.roster(batch)
        cells = [sheet["C6"], sheet["I6"]]
        assert [(c.value, c.data_type) for c in cells] == [
            ('=HYPERLINK("http://evil.example","Siti")', "s"),
            ("@SUM(1+1)", "s"),
        ]

    def test_it_prints_on_a4_landscape_one_page_wide_with_the_header_row_repeated(self, batch):
        sheet = self.roster(batch)
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$5:$5" and sheet.freeze_panes == "A6"
        assert all(cell.font.bold for cell in sheet[5])

    def test_participant_numbers_are_text_and_widths_follow_the_content(self, batch):
        sheet = self.roster(batch)
        assert (sheet["B6"].data_type, sheet["B6"].number_format) == ("s", "@")
        assert sheet.column_dimensions["A"].width == 6
        assert sheet.column_dimensions["C"].width == len("Nama Lengkap") + 2  # wider than names
        assert sheet.column_dimensions["E"].width == 2 * len("アフマド・ファウジ") + 2

    def test_the_download_is_named_for_programme_batch_and_ceremony_day(self, client, hr, batch):
        client.force_login(hr)
        response = client.get(reverse("roster_xlsx", args=[batch.pk]))
        assert response["Content-Disposition"] == (
            'attachment; filename="daftar-peserta_kaikoukai_angkatan-4_2026-02-18.xlsx"'
        )
        assert "no-store" in response["Cache-Control"]


class TestNumbering:
    def test_numbers_follow_the_organisations_format_without_gaps(self):
        from delegation.models import Organisation

        Organisation.objects.create(
            pk=1, name="Pemkot", document_number_format="{seq:03d}/{code}/BJM/{year}"
        )
        day = datetime.date(2026, 2, 18)
        assert [issue_number("DP", on=day) for _ in range(3)] == [
            "001/DP/BJM/2026",
            "002/DP/BJM/2026",
            "003/DP/BJM/2026",
        ]
        assert issue_number("DP", on=datetime.date(2027, 1, 2)) == "001/DP/BJM/2027"


class TestDeadWorkers:
    def running(self, **fields):

        job = Job.objects.create(kind="ceremony_pack", status=Job.Status.RUNNING, **fields)
        return job

    def test_a_job_running_past_the_hard_limit_is_queued_again(
        self, django_capture_on_commit_callbacks
    ):
        from django.utils import timezone

        old = timezone.now() - datetime.timedelta(
            seconds=settings.CELERY_TASK_HARD_TIME_LIMIT + 120
        )
        job = self.running(started_at=old, attempts=1)
        sent = []
        with django_capture_on_commit_callbacks(execute=True):
            jobs.requeue_stale_jobs(send=sent.append)
        job.refresh_from_db()
        assert (job.status, sent) == (Job.Status.QUEUED, [job.pk])

    def test_after_its_attempts_it_fails_with_a_reason(self):
        from django.utils import timezone

        old = timezone.now() - datetime.timedelta(hours=5)
        job = self.running(started_at=old, attempts=jobs.MAX_ATTEMPTS)
        with translation.override("en"):
            jobs.requeue_stale_jobs(send=lambda pk: None)
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "attempts" in job.error

    def test_a_restarted_worker_takes_back_its_own_jobs(self, django_capture_on_commit_callbacks):
        from django.utils import timezone

        mine = self.running(started_at=timezone.now(), attempts=1, worker="w1@host")
        other = self.running(started_at=timezone.now(), attempts=1, worker="w2@host")
        with django_capture_on_commit_callbacks(execute=True):
            jobs.requeue_stale_jobs(send=lambda pk: None, worker="w1@host")
        mine.refresh_from_db()
        other.refresh_from_db()
        assert (mine.status, other.status) == (Job.Status.QUEUED, Job.Status.RUNNING)


class TestCertificates:
    def test_completers_get_certificates_with_a_qr_code_of_their_verification_page(
        self, batch, coordinator, client, django_capture_on_commit_callbacks, tmp_path
    ):
        if not shutil.which("pdftoppm"):
            require("poppler-utils is not installed: cannot rasterise the certificate")
        import zxingcpp
        from PIL import Image

        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.certificates_request(cohort=batch, user=coordinator)
        job.refresh_from_db()
        bundle = zipfile.ZipFile(io.BytesIO(job.file.read()))
        names = sorted(bundle.namelist())
        assert len([n for n in names if n.startswith("per-peserta/")]) == 4  # 2 people × 2 kinds
        merged = bundle.read(next(n for n in names if n.endswith("-semua.pdf")))
        assert len(PdfReader(io.BytesIO(merged)).pages) == 4
        text = pdf_text(merged)
        assert "修了証書" in text and "SITI RAHMAH" not in text and "Siti Rahmah" in text

        (tmp_path / "merged.pdf").write_bytes(merged)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "150",
                "-png",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp_path / "merged.pdf"),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        decoded = [b.text for b in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
        certificate = Certificate.objects.order_by(
            "participant__participant_number", "-kind"
        ).first()  # the training certificate comes first, then the charter
        assert settings.SITE_URL + certificate.get_verify_url() in decoded

        client.logout()
        page = client.get(certificate.get_verify_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert certificate.number in body and certificate.participant.full_name in body
        assert certificate.participant.nik not in body

    def test_tokens_and_numbers_are_kept_when_made_again(
        self, batch, coordinator, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.certificates_request(cohort=batch, user=coordinator)
        before = set(Certificate.objects.values_list("token", "number"))
        with django_capture_on_commit_callbacks(execute=True):
            services.print_regenerate(job=job, user=coordinator)
        assert set(Certificate.objects.values_list("token", "number")) == before

    def test_nobody_completes_before_the_plan_ends(self, cohort, coordinator):
        from django.core.exceptions import ValidationError

        TrainingPlanFactory(cohort=cohort, end_date=datetime.date(2099, 1, 1))
        ParticipantFactory(cohort=cohort)
        with pytest.raises(ValidationError):
            services.certificates_request(cohort=cohort, user=coordinator)

    def test_low_attendance_or_no_ambassador_role_means_fewer_papers(self, batch):
        from training.certificates import issue_certificates

        first, second = batch.participants.order_by("participant_number")
        second.culture_ambassador = False
        second.save()
        Attendance.objects.filter(participant=first).update(status="absent")
        issued = issue_certificates(batch, on=datetime.date(2026, 11, 27))
        assert [(c.participant, c.kind) for c in issued] == [(second, "training")]


class TestVerifyPage:
    def certificate(self, batch):
        from training.certificates import issue_certificates

        return issue_certificates(batch, on=datetime.date(2026, 11, 27))[0]

    def test_an_unknown_token_is_404(self, client):
        assert client.get("/verify/not-a-token/").status_code == 404

    def test_a_revoked_certificate_says_so(self, client, batch):
        from django.utils import timezone

        certificate = self.certificate(batch)
        certificate.revoked_at = timezone.now()
        certificate.save()
        assert "telah dicabut" in client.get(certificate.get_verify_url()).content.decode()

    def test_it_is_rate_limited_per_client_address(self, client, batch):
        certificate = self.certificate(batch)
        url = certificate.get_verify_url()
        for _ in range(30):
            assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 429
        assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


class TestPermissions:
    def test_a_coordinator_asks_for_the_pack_of_an_assigned_batch(
        self, client, assigned, coordinator, batch
    ):
        client.force_login(coordinator)
        response = client.post(reverse("ceremony_pack_create", args=[batch.pk]))
        assert response["Location"] == reverse("jobs")
        assert Job.objects.filter(kind="ceremony_pack").count() == 1

    @pytest.mark.parametrize("role", ["leadership", "instructor", "outsider"])
    def test_other_roles_may_not(self, client, assigned, batch, role, request):
        client.force_login(request.getfixturevalue(role))
        assert client.post(reverse("ceremony_pack_create", args=[batch.pk])).status_code == 403
        assert client.post(reverse("certificates_create", args=[batch.pk])).status_code == 403
        assert not Job.objects.exists()

    def test_asking_takes_a_post(self, client, coordinator, batch):
        client.force_login(coordinator)
        assert client.get(reverse("ceremony_pack_create", args=[batch.pk])).status_code == 405

    def test_a_batch_out_of_scope_does_not_exist(self, client, coordinator, batch):
        client.force_login(coordinator)
        assert client.post(reverse("ceremony_pack_create", args=[batch.pk])).status_code == 404

    def test_downloads_go_through_a_permission_check(
        self, client, assigned, coordinator, leadership, batch, django_capture_on_commit_callbacks
    ):
        job, _ = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        url = reverse("job_download", args=[job.pk])
        client.force_login(leadership)
        assert client.get(url).status_code == 403
        client.force_login(coordinator)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_the_documents_page_polls_while_a_job_is_under_way(self, client, hr):
        Job.objects.create(kind="ceremony_pack", status=Job.Status.RUNNING, progress=10)
        client.force_login(hr)
        assert 'hx-trigger="every 2s"' in client.get(reverse("jobs")).content.decode()
        Job.objects.update(status=Job.Status.DONE)
        assert "hx-trigger" not in client.get(reverse("job_rows")).content.decode()


class TestAccessEndsWithTheAssignment:
    """A job is its requester's only while they can still see its subject."""

    @pytest.fixture
    def made(self, assigned, coordinator, batch, django_capture_on_commit_callbacks):
        job, _created = ask_for_pack(batch, coordinator, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert job.status == Job.Status.DONE
        coordinator.program_assignments.all().delete()
        return job

    def test_a_coordinator_removed_from_the_programme_downloads_nothing(
        self, client, coordinator, made
    ):
        client.force_login(coordinator)
        assert client.get(reverse("job_download", args=[made.pk])).status_code == 404

    def test_a_coordinator_removed_from_the_programme_cannot_make_it_again(
        self, client, coordinator, made
    ):
        client.force_login(coordinator)
        assert client.post(reverse("job_regenerate", args=[made.pk])).status_code == 404
        made.refresh_from_db()
        assert made.status == Job.Status.DONE
        assert Job.objects.count() == 1

    def test_the_documents_page_no_longer_lists_it(self, client, coordinator, made):
        client.force_login(coordinator)
        for name in ("jobs", "job_rows"):
            page = client.get(reverse(name)).content.decode()
            assert reverse("job_download", args=[made.pk]) not in page, name

    def test_the_list_reads_each_kind_of_subject_once_whatever_the_number_of_jobs(
        self, client, assigned, coordinator, program, cohort, django_assert_max_num_queries
    ):
        def job(subject, number):
            Job.objects.create(
                kind=f"kind-{number}",
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=subject.pk,
                status=Job.Status.DONE,
                requested_by=coordinator,
            )

        for number in range(3):
            job(cohort, number)
            job(program, number)
        client.force_login(coordinator)
        client.get(reverse("job_rows"))  # warm the session and the content types
        with django_assert_max_num_queries(12) as captured:
            first = client.get(reverse("job_rows"))
        for number in range(3, 10):
            job(cohort, number)
            job(program, number)
        with django_assert_max_num_queries(len(captured)):
            second = client.get(reverse("job_rows"))
        assert first.content.decode().count("<tr") == 6
        assert second.content.decode().count("<tr") == 20

    def test_a_job_without_a_subject_stays_its_requesters(self, coordinator):
        own = JobFactory(requested_by=coordinator)
        assert list(Job.objects.visible_to(coordinator)) == [own]

    def test_making_again_a_kind_that_cannot_be_made_again_is_refused(self, client, coordinator):
        job = JobFactory(requested_by=coordinator, kind="participant_import")
        client.force_login(coordinator)
        response = client.post(reverse("job_regenerate", args=[job.pk]))
        assert response.status_code == 400
        assert "tidak dapat dibuat ulang" in response.content.decode()
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED


def test_the_commands_render_without_a_worker(batch, tmp_path):
    call_command("render_roster", str(batch.pk), "--output", str(tmp_path / "pack.pdf"))
    call_command(
        "render_roster",
        str(batch.pk),
        "--output",
        str(tmp_path / "roster.xlsx"),
        "--format",
        "xlsx",
    )
    call_command("render_certificates", str(batch.pk), "--output", str(tmp_path / "certs"))
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(tmp_path / "roster.xlsx")
    assert len(list((tmp_path / "certs" / "per-peserta").glob("*.pdf"))) == 4


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_pack_end_to_end(batch, coordinator):
    process = start_worker()
    try:
        sent = []
        job, _ = jobs.request_job(
            kind="ceremony_pack",
            subject=batch,
            data_checksum="end-to-end",
            make_params=lambda: {
                "cohort": batch.pk,
                "numbers": {"roster": "1", "sign_in": "2", "handover": "3"},
            },
            user=coordinator,
            send=lambda pk: sent.append(render_document.delay(pk)),
        )
        sent[0].get(timeout=120)
    finally:
        stop_worker(process)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.file.read().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_died_mid_job_and_starts_again_leaves_one_document(batch, coordinator):
    from django.utils import timezone

    job, _ = jobs.request_job(
        kind="ceremony_pack",
        subject=batch,
        data_checksum="crash",
        make_params=lambda: {
            "cohort": batch.pk,
            "numbers": {"roster": "1", "sign_in": "2", "handover": "3"},
        },
        user=coordinator,
        send=lambda pk: None,
    )
    # The worker "w1" took the job and died: the row still says running, and the broker still
    # holds the unacknowledged message, which it will deliver again.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker="w1@tests", started_at=timezone.now(), attempts=1
    )
    process = start_worker(hostname="w1@tests")
    try:
        # On start the worker takes back the job it was running; the redelivered message then
        # finds the job done (or renders it, if it comes first): one document either way.
        render_document.delay(job.pk).get(timeout=120)
    finally:
        stop_worker(process)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert len(list((settings.MEDIA_ROOT / "jobs").rglob(f"{job.pk}-*"))) == 1
    assert job.progress == 100


class TestLeadershipReadsTheProgrammeReport:
    """Coordinators and HR generate the programme report (it takes an official number);
    leadership read the latest one of their programmes."""

    @staticmethod
    def report(program, *, day, status=Job.Status.DONE, content=b"%PDF-1.4 laporan"):
        job = Job.objects.create(
            kind="programme_report",
            subject_type=ContentType.objects.get_for_model(program),
            subject_id=program.pk,
            status=status,
            checksum=f"data-of-day-{day}",  # the figures changed between reports
            finished_at=datetime.datetime(2026, 3, day, 9, 0, tzinfo=datetime.UTC),
        )
        job.file.save(f"laporan-{day}.pdf", ContentFile(content))
        return job

    def test_leadership_download_the_latest_report_of_their_programme(
        self, client, assigned, leadership, program
    ):
        self.report(program, day=2, content=b"%PDF-1.4 lama")
        self.report(program, day=9, content=b"%PDF-1.4 terbaru")
        self.report(program, day=12, status=Job.Status.SUPERSEDED, content=b"%PDF-1.4 diganti")
        client.force_login(leadership)
        response = client.get(reverse("programme_report_latest", args=[program.slug]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 terbaru"
        assert AuditEvent.objects.filter(actor=leadership, action="download").exists()

    def test_the_documents_page_lists_it_for_them(self, client, assigned, leadership, program):
        self.report(program, day=9)
        client.force_login(leadership)
        response = client.get(reverse("jobs"))
        page = response.content.decode()
        assert [job.program for job in response.context["reports"]] == [program]
        assert reverse("programme_report_latest", args=[program.slug]) in page
        assert "Laporan Program" in page
        overview = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        assert reverse("programme_report_latest", args=[program.slug]) in overview

    def test_a_programme_they_do_not_see_has_no_report_for_them(
        self, client, assigned, leadership, other_program
    ):
        self.report(other_program, day=9)
        client.force_login(leadership)
        url = reverse("programme_report_latest", args=[other_program.slug])
        assert client.get(url).status_code == 404
        assert client.get(reverse("jobs")).context["reports"] == []

    def test_without_a_finished_report_there_is_nothing_to_download(
        self, client, assigned, leadership, program
    ):
        self.report(program, day=9, status=Job.Status.RUNNING)
        client.force_login(leadership)
        url = reverse("programme_report_latest", args=[program.slug])
        assert client.get(url).status_code == 404

    def test_instructors_may_not_read_it(self, client, assigned, instructor, program):
        self.report(program, day=9)
        client.force_login(instructor)
        url = reverse("programme_report_latest", args=[program.slug])
        assert client.get(url).status_code == 403

    def test_leadership_still_download_no_other_generated_document(
        self, client, assigned, leadership, program
    ):
        job = self.report(program, day=9)
        client.force_login(leadership)
        assert client.get(reverse("job_download", args=[job.pk])).status_code == 403


class TestAPackThatCannotBeMadeYet:
    """Asking for the pack of a batch with nobody ready, or no ceremony, is no dead end: the
    page says what is missing and leads to the readiness board."""

    @pytest.fixture
    def training_batch(self, cohort):
        TrainingPlanFactory(cohort=cohort)
        people = [
            ParticipantFactory(cohort=cohort, full_name=name, status=Status.IN_TRAINING)
            for name in ("Nur Aisyah", "Budi Santoso")
        ]
        ParticipantFactory(cohort=cohort, full_name="Withdrawn One", status=Status.WITHDRAWN)
        return cohort, people

    def test_nobody_ready_names_who_is_not_ready_and_what_they_miss(
        self, client, assigned, coordinator, training_batch
    ):
        cohort, people = training_batch
        DepartureCeremonyFactory(cohort=cohort)
        client.force_login(coordinator)
        response = client.post(reverse("ceremony_pack_create", args=[cohort.pk]))
        assert response.status_code == 409
        page = response.content.decode()
        assert "Paket acara pelepasan belum dapat dicetak" in page
        assert "Belum ada yang siap berangkat" in page
        for person in people:
            assert person.full_name in page
        assert "Withdrawn One" not in page
        # Each person's unmet requirements, as the readiness check words them.
        missing = readiness.check(people[0]).missing
        assert missing and all(reason in page for reason in missing)
        assert f'{cohort.get_absolute_url()}#readiness-heading"' in page
        assert "Catat acara pelepasan" not in page  # the ceremony is there
        assert not Job.objects.exists()

    def test_without_a_ceremony_the_page_says_to_record_it(
        self, client, assigned, coordinator, training_batch
    ):
        cohort, _people = training_batch
        client.force_login(coordinator)
        response = client.post(reverse("ceremony_pack_create", args=[cohort.pk]))
        page = response.content.decode()
        assert response.status_code == 409
        assert "Belum ada acara pelepasan yang dicatat" in page
        assert reverse("cohorts:ceremony_edit", args=[cohort.pk]) in page
        assert "Belum ada yang siap berangkat" in page
        assert not Job.objects.exists()

    def test_hr_staff_are_told_who_records_the_ceremony(self, client, hr, training_batch):
        cohort, _people = training_batch
        client.force_login(hr)
        page = client.post(reverse("ceremony_pack_create", args=[cohort.pk])).content.decode()
        assert "Koordinator program mencatatnya di halaman angkatan." in page
        assert reverse("cohorts:ceremony_edit", args=[cohort.pk]) not in page

    def test_a_batch_with_people_on_the_roster_asks_only_for_the_ceremony(
        self, client, assigned, coordinator, cohort
    ):
        ParticipantFactory(cohort=cohort, status=Status.READY)
        client.force_login(coordinator)
        page = client.post(reverse("ceremony_pack_create", args=[cohort.pk])).content.decode()
        assert "Belum ada acara pelepasan yang dicatat" in page
        assert "Belum ada yang siap berangkat" not in page

    def test_the_blockers_follow_what_the_user_may_see(self, training_batch, instructor):
        cohort, _people = training_batch
        blockers = services.ceremony_pack_blockers(cohort=cohort, user=instructor)
        assert blockers["waiting"] == []  # not assigned: sees nobody
        assert blockers["ceremony_missing"] and not blockers["on_roster"]
