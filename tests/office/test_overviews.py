import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from cohorts.models import Cohort, Program
from delegation.models import AuditEvent
from delegation.roles import Role
from participants.models import (
    DocumentRequirement,
    DocumentType,
    Participant,
    Residence,
    Status,
    StatusChange,
)
from participants.sensitive import mask_date, mask_number
from tests.factories import (
    AgreementFactory,
    CeremonyAttendeeFactory,
    CohortFactory,
    DepartureCeremonyFactory,
    DocumentFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
    UserFactory,
)
from tests.signin import sign_in
from training.models import Attendance, Module

pytestmark = pytest.mark.django_db


class TestReadinessBoardAtAGlance:
    """One row per person, a mark per requirement, the reasons one click away, a summary
    line per requirement, and attendance read the way the training page reads it."""

    @pytest.fixture
    def midyear(self, assigned, cohort):
        """Half of the sessions held by today, the other half still to come before departure."""
        today = timezone.localdate()
        cohort.planned_departure = today + datetime.timedelta(days=60)
        cohort.save()
        plan = TrainingPlanFactory(cohort=cohort)
        module = ModuleFactory(plan=plan)
        sessions = [
            SessionFactory(module=module, date=today + datetime.timedelta(days=offset))
            for offset in [*range(-10, 0), *range(1, 11)]
        ]
        keen = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING, full_name="Ani Rajin")
        lax = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING, full_name="Bayu Absen")
        for index, session in enumerate(sessions[:10]):
            Attendance.objects.create(
                session=session, participant=keen, status="present" if index < 7 else "absent"
            )
            Attendance.objects.create(
                session=session, participant=lax, status="present" if index < 5 else "absent"
            )
        return keen, lax

    def test_attendance_so_far_is_the_training_pages_and_the_mark_is_whether_it_can_be_met(
        self, client, hr, cohort, midyear
    ):
        keen, lax = midyear
        client.force_login(hr)
        board = client.get(cohort.get_absolute_url()).context["board"]
        rows = {row["participant"].full_name: row for row in board["rows"]}
        training = client.get(reverse("training:participant_training", args=[keen.pk]))
        assert rows["Ani Rajin"]["attendance_so_far"] == training.context["attendance_rate"]
        assert rows["Ani Rajin"]["attendance_so_far"] == Decimal("70.0")
        assert rows["Ani Rajin"]["cells"][0] == {
            "label": "Presensi s.d. keberangkatan",
            "met": True,
        }
        assert rows["Bayu Absen"]["cells"][0]["met"] is False

    def test_each_row_keeps_its_reasons_one_click_away_and_each_requirement_has_a_summary(
        self, client, hr, cohort, midyear
    ):
        client.force_login(hr)
        html = client.get(cohort.get_absolute_url()).content.decode()
        section = html[html.index('id="readiness-heading"') :]
        assert "0 dari 2 peserta siap berangkat." in section
        assert "Presensi s.d. keberangkatan: 1 dari 2 terpenuhi" in section
        assert "Persetujuan transfer data: 0 dari 2 terpenuhi" in section
        assert section.count("<details") == 2  # the rows ready have no reasons to open
        first = section[section.index("<details") : section.index("</details>")]
        assert "<summary>2 belum terpenuhi</summary>" in first
        assert "<li>Belum ada paspor yang dicatat.</li>" in first
        assert '<span class="visually-hidden">Paspor: belum terpenuhi</span>' in section
        assert 'class="board-key' in section
        assert ">70,0%</td>" in section  # attendance so far, written as the training page does

    def test_a_departed_row_shows_the_attendance_stored_at_departure(
        self, client, hr, assigned, cohort
    ):
        person = ParticipantFactory(cohort=cohort, status=Status.DEPARTED)
        StatusChange.objects.create(
            participant=person,
            from_status=Status.READY,
            to_status=Status.DEPARTED,
            effective_date=datetime.date(2026, 2, 18),
            readiness={
                "ready": True,
                "reference_date": "2026-02-18",
                "attendance_rate": "91.5",
                "requirements": [
                    {"key": "attendance", "label": "Presensi", "met": True, "detail": "91.5%"}
                ],
            },
        )
        client.force_login(hr)
        [row] = client.get(cohort.get_absolute_url()).context["board"]["rows"]
        assert (row["stored"], row["attendance_so_far"], row["missing"]) == (
            True,
            Decimal("91.5"),
            [],
        )


class TestProgramOverview:
    def test_it_shows_partner_terms_batches_and_agreements(self, client, hr, program, cohort):
        AgreementFactory(program=program, number="7/PKS/2025")
        client.force_login(hr)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        for text in [program.partner.name, "Government-to-Business", "5 tahun", "12 bulan"]:
            assert text in page
        assert "Angkatan IV (2026)" in page and "7/PKS/2025" in page
        assert "Pelatihan bahasa, Ujian" in page

    def test_it_warns_of_an_agreement_expiring_within_six_months(self, client, hr, program):
        soon = datetime.date.today() + datetime.timedelta(days=60)
        AgreementFactory(program=program, valid_until=soon)
        client.force_login(hr)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        assert "1 perjanjian berakhir dalam enam bulan." in page

    def test_a_coordinator_opens_an_assigned_programme_but_not_another(
        self, client, assigned, coordinator, program, other_program
    ):
        client.force_login(coordinator)
        assert client.get(reverse("program_overview", args=[program.slug])).status_code == 200
        url = reverse("program_overview", args=[other_program.slug])
        assert client.get(url).status_code == 404

    def test_leadership_reads_it_without_edit_links(self, client, assigned, leadership, program):
        client.force_login(leadership)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        assert reverse("cohorts:program_edit", args=[program.slug]) not in page

    def test_anonymous_users_are_sent_to_login(self, client, program):
        response = client.get(reverse("program_overview", args=[program.slug]))
        assert response["Location"].startswith(reverse("login"))


class TestCohortOverview:
    def test_it_shows_the_ceremony_card_and_honest_empty_sections(self, client, hr, cohort):
        ceremony = DepartureCeremonyFactory(
            cohort=cohort,
            on_behalf_of_name="H Muhammad Yamin HR",
            on_behalf_of_title="Wali Kota Banjarmasin",
        )
        CeremonyAttendeeFactory(ceremony=ceremony, name="Ikhsan Budiman", title="Sekretaris Daerah")
        client.force_login(hr)
        page = client.get(reverse("cohort_overview", args=[cohort.pk])).content.decode()
        assert "Rabu, 18 Februari 2026, 09.00 WITA" in page
        assert "Wakil Wali Kota Banjarmasin Hj Ananda" in page
        assert "Wali Kota Banjarmasin H Muhammad Yamin HR" in page
        assert "Sekretaris Daerah Ikhsan Budiman" in page
        assert "Belum ada peserta di angkatan ini." in page

    def test_it_offers_only_the_moves_the_batch_may_make(self, client, hr, cohort):
        cohort.status = Cohort.Status.READY
        cohort.save()
        client.force_login(hr)
        response = client.get(reverse("cohort_overview", args=[cohort.pk]))
        assert [m["status"] for m in response.context["moves"]] == ["training"]
        assert "Catat acara pelepasan terlebih dahulu." in response.content.decode()

    def test_a_coordinator_sees_no_move_buttons(self, client, assigned, coordinator, cohort):
        client.force_login(coordinator)
        page = client.get(reverse("cohort_overview", args=[cohort.pk])).content.decode()
        assert reverse("training:cohort_move", args=[cohort.pk]) not in page
        assert reverse("cohorts:ceremony_edit", args=[cohort.pk]) in page

    def test_an_instructor_opens_only_their_batch(
        self, client, assigned, instructor, program, cohort
    ):
        other = CohortFactory(program=program, number=5)
        client.force_login(instructor)
        assert client.get(reverse("cohort_overview", args=[cohort.pk])).status_code == 200
        assert client.get(reverse("cohort_overview", args=[other.pk])).status_code == 404


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


class TestRecapSpreadsheet:
    def test_recaps_of_everything_a_programme_and_a_batch_have_different_names(
        self, client, hr, program, cohort
    ):
        client.force_login(hr)
        day = timezone.localdate().isoformat()
        names = [
            client.get(url)["Content-Disposition"]
            for url in (
                reverse("recap"),
                reverse("program_recap", args=[program.slug]),
                reverse("cohort_recap", args=[cohort.pk]),
            )
        ]
        assert names == [
            f'attachment; filename="rekapitulasi_semua-program_{day}.xlsx"',
            f'attachment; filename="rekapitulasi_kaikoukai_{day}.xlsx"',
            f'attachment; filename="rekapitulasi_kaikoukai_angkatan-4_{day}.xlsx"',
        ]

    def test_it_prints_on_a4_portrait_one_page_wide_with_its_title_repeated(
        self, client, hr, cohort
    ):
        ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        response = client.get(reverse("cohort_recap", args=[cohort.pk]))
        sheet = workbook_of(response).active
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.page_setup.orientation == "portrait"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.column_dimensions["A"].width == 6  # "No.", not the title's length
        assert "no-store" in response["Cache-Control"]


class TestReadinessSpreadsheet:
    @pytest.fixture
    def board(self, cohort):
        plan = TrainingPlanFactory(cohort=cohort)
        module = ModuleFactory(plan=plan, name="Budaya Banjar", kind=Module.Kind.BANJAR_CULTURE)
        session = SessionFactory(module=module)
        siti = ParticipantFactory(
            cohort=cohort,
            full_name="Siti Rahmah",
            participant_number="KAI-04-001",
            status=Participant.Status.IN_TRAINING,
        )
        Attendance.objects.create(session=session, participant=siti)
        ParticipantFactory(
            cohort=cohort,
            full_name="Ahmad Fauzi",
            participant_number="KAI-04-002",
            status=Participant.Status.IN_TRAINING,
        )
        return cohort

    def download(self, client, user, cohort):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.get(reverse("readiness_export", args=[cohort.pk]))

    def test_a_row_per_participant_a_column_per_requirement_and_the_reasons(
        self, client, hr, board
    ):
        sheet = workbook_of(self.download(client, hr, board)).active
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert rows[0] == (
            "No.",
            "Participant number",
            "Full name",
            "Status",
            "Ready",
            "Reference date",
            "Attendance so far (%)",
            "Attendance by departure",
            "Budaya Banjar",
            "Passport",
            "Transfer consent",
            "What is missing",
        )
        consent = (
            f"No consent to the transfer of personal data to {board.program.partner.name} "
            "(UU 27/2022)."
        )
        assert rows[1][:3] == (1, "KAI-04-001", "Siti Rahmah")
        assert rows[1][4:11] == ("No", rows[1][5], 100, "Met", "Met", "Not met", "Not met")
        assert rows[1][11].split("\n") == ["No passport recorded.", consent]
        assert rows[2][6:11] == (0, "Not met", "Not met", "Not met", "Not met")
        assert rows[2][11].split("\n") == [
            "Attendance 0.0% (needs 80%).",
            "Budaya Banjar: attendance 0.0% (needs 80%).",
            "No passport recorded.",
            consent,
        ]
        assert sheet["F5"].is_date

    def test_it_prints_landscape_with_the_header_repeated(
        self, client, coordinator, assigned, board
    ):
        sheet = workbook_of(self.download(client, coordinator, board)).active
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$4:$4" and sheet.freeze_panes == "A5"
        assert sheet["B5"].number_format == "@"

    def test_the_download_is_logged_named_and_not_cached(self, client, hr, board):
        response = self.download(client, hr, board)
        day = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="kesiapan-keberangkatan_kaikoukai_angkatan-4_{day}.xlsx"'
        )
        assert "no-store" in response["Cache-Control"]
        event = AuditEvent.objects.get(action="export")
        assert (event.actor, event.subject_id, event.detail) == (
            hr,
            str(board.pk),
            "readiness.xlsx",
        )

    @pytest.mark.parametrize("role", ["instructor", "leadership"])
    def test_roles_that_see_no_documents_are_refused_it(
        self, client, request, assigned, board, role
    ):
        response = self.download(client, request.getfixturevalue(role), board)
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="export").exists()

    def test_a_batch_out_of_scope_does_not_exist(self, client, coordinator, board):
        assert self.download(client, coordinator, board).status_code == 404

    def test_anonymous_users_are_sent_to_login(self, client, board):
        response = client.get(reverse("readiness_export", args=[board.pk]))
        assert response["Location"].startswith(reverse("login"))

    def test_the_button_is_offered_only_to_roles_that_may_download(
        self, client, assigned, coordinator, instructor, board
    ):
        url = reverse("readiness_export", args=[board.pk])
        client.force_login(coordinator)
        assert url in client.get(reverse("cohort_overview", args=[board.pk])).content.decode()
        client.force_login(instructor)
        assert url not in client.get(reverse("cohort_overview", args=[board.pk])).content.decode()


class TestTheBriefsProgramme:
    """What a coordinator reads after `seed_demo`: the programme exactly as the report tells it."""

    @pytest.fixture
    def seeded(self):
        call_command("seed_demo", "--demo-users", verbosity=0)
        return Program.objects.get(slug="kaikoukai")

    def test_the_programme_has_batches_one_to_four(self, client, seeded):
        sign_in(client, "coordinator", "demo-password")
        response = client.get(reverse("program_overview", args=[seeded.slug]))
        page = response.content.decode()
        for label in ["Angkatan I (2023)", "Angkatan II (2024)", "Angkatan III (2025)"]:
            assert label in page
        assert "Angkatan IV (2026)" in page
        assert "Penerimaan terakhir" in page

    @pytest.mark.parametrize(
        ("language", "when", "released_by"),
        [
            ("id", "Rabu, 18 Februari 2026, 09.00 WITA", "Dilepas oleh"),
            ("en", "Wednesday, 18 February 2026, 09.00 WITA", "Released by"),
        ],
    )
    def test_batch_four_shows_its_ceremony_in_both_languages(
        self, client, seeded, language, when, released_by
    ):
        sign_in(client, "coordinator", "demo-password")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        batch4 = seeded.cohorts.get(number=4)
        page = client.get(reverse("cohort_overview", args=[batch4.pk])).content.decode()
        assert when in page
        assert "Aula Kayuh Baimbai, Balai Kota Banjarmasin" in page
        assert released_by in page
        assert "Wakil Wali Kota Banjarmasin Hj Ananda" in page
        assert "Wali Kota Banjarmasin H Muhammad Yamin HR" in page
        assert "Sekretaris Daerah Ikhsan Budiman" in page
        assert "Para Kepala SKPD" in page
        assert "Koordinator Pelaksana Kerja Sama Machli Riyadi" in page


class TestDocumentFactsByRole:
    """Passport validity, required documents (MCU, SKCK) and life abroad (residence status,
    the embassy report) only for roles that hold the document and residence permissions:
    HR staff and coordinators. Instructors and leadership read whether a participant is
    ready and the training reasons (attendance, exams), not the document ones; instructors
    read no personal data at all, leadership reads it masked."""

    PASSPORT_EXPIRY = datetime.date(2031, 7, 9)
    EMBASSY_REPORT = datetime.date(2029, 5, 13)
    DOCUMENT_TEXTS = ["MCU", "SKCK", "2031", "Paspor"]
    RESIDENCE_TEXTS = ["Lapor diri", "2029"]

    @pytest.fixture
    def people(self, assigned, cohort):
        for code in ("medical", "police_clearance"):
            DocumentRequirement.objects.create(
                program=cohort.program, document_type=DocumentType.objects.get(code=code)
            )
        TrainingPlanFactory(cohort=cohort)
        waiting = ParticipantFactory(
            cohort=cohort, status=Status.IN_TRAINING, full_name="Siti Menunggu"
        )
        DocumentFactory(participant=waiting, expires_on=self.PASSPORT_EXPIRY)
        DocumentFactory(
            participant=waiting,
            document_type=DocumentType.objects.get(code="medical"),
            number="MED-1",
        )
        abroad = ParticipantFactory(cohort=cohort, status=Status.WORKING, full_name="Budi Kerja")
        Residence.objects.create(
            participant=abroad,
            status=Residence.Kind.CARE,
            embassy_report_date=self.EMBASSY_REPORT,
        )
        with translation.override("id"):
            residence_label = str(Residence.Kind.CARE.label)
        return waiting, abroad, residence_label

    def page(self, client, user, url):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response

    @pytest.mark.parametrize("role", ["instructor", "leadership"])
    def test_the_board_shows_ready_or_not_and_training_reasons_only(
        self, request, client, cohort, people, role
    ):
        response = self.page(client, request.getfixturevalue(role), cohort.get_absolute_url())
        board = response.context["board"]
        assert board["columns"] == ["Presensi s.d. keberangkatan"]
        [row] = board["rows"]
        assert (row["ready"], row["missing"]) == (False, ["Belum ada pertemuan yang terlaksana."])
        html = response.content.decode()
        section = html[html.index('id="readiness-heading"') :]
        assert [text for text in self.DOCUMENT_TEXTS if text in section] == []
        assert "tidak ditampilkan untuk peran Anda" in section

    @pytest.mark.parametrize("role", ["hr", "coordinator"])
    def test_the_board_shows_document_reasons_to_roles_that_read_documents(
        self, request, client, cohort, people, role
    ):
        response = self.page(client, request.getfixturevalue(role), cohort.get_absolute_url())
        board = response.context["board"]
        assert board["columns"] == [
            "Presensi s.d. keberangkatan",
            "Paspor",
            "Pemeriksaan Kesehatan (MCU)",
            "SKCK",
            "Persetujuan transfer data",
        ]
        [row] = board["rows"]
        assert row["missing"] == [
            "Belum ada pertemuan yang terlaksana.",
            "SKCK: belum ada.",
            f"Belum ada persetujuan transfer data pribadi kepada {cohort.program.partner.name} "
            "(UU 27/2022).",
        ]
        assert "tidak ditampilkan untuk peran Anda" not in response.content.decode()

    def test_an_instructor_reads_the_name_and_readiness_but_no_document_or_personal_data(
        self, client, instructor, people
    ):
        waiting, abroad, residence_label = people
        response = self.page(client, instructor, waiting.get_absolute_url())
        html = response.content.decode()
        assert "Siti Menunggu" in html
        assert [text for text in self.DOCUMENT_TEXTS if text in html] == []
        assert [r["key"] for r in _keys(response.context["readiness"]["requirements"])] == [
            "attendance"
        ]
        assert "Belum siap" in html or "Not ready" in html
        assert mask_number(waiting.nik) not in html and waiting.nik[:4] not in html
        assert mask_date(waiting.birth_date) not in html
        assert 'id="personal-heading"' not in html

        html = self.page(client, instructor, abroad.get_absolute_url()).content.decode()
        assert [t for t in [*self.RESIDENCE_TEXTS, residence_label] if t in html] == []

    def test_leadership_reads_personal_data_masked_but_no_document_or_residence(
        self, client, leadership, people
    ):
        waiting, abroad, residence_label = people
        response = self.page(client, leadership, waiting.get_absolute_url())
        html = response.content.decode()
        assert mask_number(waiting.nik) in html
        assert [text for text in self.DOCUMENT_TEXTS if text in html] == []
        assert [r["key"] for r in _keys(response.context["readiness"]["requirements"])] == [
            "attendance"
        ]
        html = self.page(client, leadership, abroad.get_absolute_url()).content.decode()
        assert [t for t in [*self.RESIDENCE_TEXTS, residence_label] if t in html] == []

    @pytest.mark.parametrize("role", ["hr", "coordinator"])
    def test_hr_and_coordinators_read_documents_and_residence(self, request, client, people, role):
        user = request.getfixturevalue(role)
        waiting, abroad, residence_label = people
        response = self.page(client, user, waiting.get_absolute_url())
        html = response.content.decode()
        assert [text for text in self.DOCUMENT_TEXTS if text not in html] == []
        assert "passport" in [
            r["key"] for r in _keys(response.context["readiness"]["requirements"])
        ]
        html = self.page(client, user, abroad.get_absolute_url()).content.decode()
        assert [t for t in [*self.RESIDENCE_TEXTS, residence_label] if t not in html] == []

    def test_the_reasons_stored_at_departure_are_filtered_the_same_way(
        self, client, instructor, hr, people
    ):
        _waiting, abroad, _label = people
        StatusChange.objects.create(
            participant=abroad,
            kind=StatusChange.Kind.STATUS,
            from_status=Status.READY,
            to_status=Status.DEPARTED,
            effective_date=datetime.date(2026, 3, 1),
            readiness={
                "ready": True,
                "reference_date": "2026-03-01",
                "attendance_rate": "95.0",
                "requirements": [
                    {"key": "attendance", "label": "Presensi", "met": True, "detail": "95%"},
                    {"key": "passport", "label": "Paspor", "met": True, "detail": "2031"},
                ],
            },
        )
        hr_view = self.page(client, hr, abroad.get_absolute_url()).context["readiness"]
        assert [r["key"] for r in hr_view["requirements"]] == ["attendance", "passport"]
        seen = self.page(client, instructor, abroad.get_absolute_url()).context["readiness"]
        assert (seen["ready"], [r["key"] for r in seen["requirements"]]) == (True, ["attendance"])


def _keys(requirements) -> list[dict]:
    """Requirements of a live check or of a stored one, as dicts."""
    return [r if isinstance(r, dict) else {"key": r.key} for r in requirements]


def test_the_profile_names_who_recorded_a_move_by_their_name_not_their_account(client, cohort):
    officer = UserFactory(
        username="bkpsdm3", first_name="Rahmi", last_name="Fitriani", role=Role.HR_STAFF
    )
    person = ParticipantFactory(cohort=cohort, status=Participant.Status.SELECTED)
    person.move(
        Participant.Status.IN_TRAINING,
        by=officer,
        effective_date=datetime.date(2026, 3, 2),
        reason="Lulus seleksi",
    )
    client.force_login(officer)
    html = client.get(reverse("participant_profile", args=[person.pk])).content.decode()
    assert "Rahmi Fitriani, " in html
    assert "bkpsdm3" not in html
