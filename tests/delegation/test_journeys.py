"""Whole journeys through the interface, in a real browser, on the demo data.

Each test is one person's errand from sign-in to the result they came for, and checks what
they see on the way: messages, table rows, the saved marks after a reload, the text of the
PDF they download. The interface speaks Indonesian unless the user switches.
"""

import csv
import datetime
import io
import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cohorts.models import Cohort, CohortAssignment
from participants.models import Participant
from tests.browser import DEMO_PASSWORD, sign_in
from tests.factories import (
    DocumentFactory,
    JobFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgramFactory,
    SessionFactory,
    TrainingPlanFactory,
    TransferConsentFactory,
    make_nik,
)
from training.models import Attendance, Module, Session

pytestmark = pytest.mark.browser


def main(page):
    return page.get_by_role("main")


def status_message(page):
    return page.get_by_role("status")


# Journey 1: HR staff import a file, read the problem, correct it and import it.

NEWCOMERS = [
    # name, gender, birth date, serial of the NIK
    ("Rina Maulida", "F", datetime.date(2001, 4, 12), 9101),
    ("Ahmad Fauzan", "M", datetime.date(1999, 9, 3), 9102),
    ("Nurul Hidayah", "F", datetime.date(2000, 12, 25), 9103),
]


def import_csv(*, broken_nik_of: str = "") -> bytes:
    """Three newcomers to batch V; ``broken_nik_of`` gets a NIK one digit short."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["full_name", "nik", "gender", "birth_date", "origin_regency", "track"])
    for name, gender, birth_date, serial in NEWCOMERS:
        nik = make_nik(birth_date, gender, serial=serial)
        if name == broken_nik_of:
            nik = nik[:-1]
        writer.writerow([name, nik, "P" if gender == "F" else "L", birth_date, "63.71", "worker"])
    return out.getvalue().encode()


def upload(page, content: bytes) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor peserta")
    page.get_by_label("Berkas").set_input_files(
        {"name": "peserta-baru.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa impor")


def test_hr_imports_a_file_with_a_bad_row_reads_the_problem_fixes_it_and_imports_it(page, demo):
    names = [name for name, *_ in NEWCOMERS]
    sign_in(page, "hr")
    page.get_by_role("link", name="Peserta", exact=True).first.click()
    main(page).get_by_role("link", name="Impor", exact=True).click()
    page.get_by_label("Angkatan").select_option(label="Angkatan V (2027)")
    upload(page, import_csv(broken_nik_of="Ahmad Fauzan"))
    expect(main(page).locator(".alert-danger")).to_have_text(
        "Berkas memiliki 1 masalah. Tidak ada yang disimpan: perbaiki berkas lalu unggah lagi."
    )
    problems = main(page).locator("table tbody tr")
    expect(problems).to_have_count(1)
    # Ahmad is on line 3: the header is line 1.
    expect(problems.first.locator("td")).to_have_text(
        ["3", "nik", "NIK terdiri atas tepat 16 angka; yang ini 15."]
    )
    expect(page.get_by_role("button", name="Impor semua baris")).to_have_count(0)
    assert not Participant.objects.filter(full_name__in=names).exists()

    page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    # The corrected file goes to the batch chosen the first time, without choosing again.
    expect(page.get_by_label("Angkatan").locator("option:checked")).to_have_text(
        "Angkatan V (2027)"
    )
    upload(page, import_csv())
    expect(main(page).locator(".alert-success")).to_have_text(
        "Semua 3 baris benar dan siap diimpor."
    )
    expect(main(page).locator("table tbody tr td:nth-child(2)")).to_have_text(names)
    page.get_by_role("button", name="Impor semua baris").click()

    expect(status_message(page)).to_contain_text("3 peserta diimpor.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peserta")
    listed = main(page).locator("table tbody tr")
    for name in names:
        row = listed.filter(has=page.get_by_role("link", name=name, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(2)).to_have_text("Angkatan V (2027)")
    assert Participant.objects.filter(full_name__in=names, cohort__number=5).count() == 3


# Journey 2: an instructor records the attendance of a whole session.


@pytest.fixture
def batch_five_class(demo):
    """Batch V in training with five people, the demo instructor teaching it, and its next
    session today (attendance opens on the day; the demo's own timetable ends in February
    2027)."""
    batch = Cohort.objects.get(number=5)
    CohortAssignment.objects.get_or_create(
        cohort=batch, user=get_user_model().objects.get(username="instructor")
    )
    for name in ["Fitri Handayani", "Muhammad Rizki", "Siti Aisyah"]:
        ParticipantFactory(full_name=name, status=Participant.Status.IN_TRAINING).place(batch)
    today = timezone.localdate()
    Session.objects.filter(module__plan__cohort=batch, date__gte=today).delete()
    SessionFactory(
        module=Module.objects.filter(plan__cohort=batch).order_by("order").first(),
        date=today,
    )
    return batch


def test_an_instructor_records_a_whole_sessions_attendance_in_one_save(page, batch_five_class):
    today = timezone.localdate()
    session = (
        Session.objects.filter(module__plan__cohort=batch_five_class, date__gte=today)
        .filter(cancelled=False)
        .order_by("date", "start_time")
        .first()
    )
    sign_in(page, "instructor")
    page.get_by_role("link", name="Pelatihan", exact=True).first.click()
    page.get_by_role("link", name="Angkatan V (2027)").click()
    upcoming = page.get_by_role("region", name="Pertemuan mendatang")
    upcoming.get_by_role("listitem").first.get_by_role("link", name="Presensi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Presensi")
    expect(main(page)).to_contain_text(session.module.name)
    expect(main(page)).to_contain_text("semua ditandai hadir")
    rows = main(page).locator("table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.locator("td:nth-child(2)")).to_have_text(
        ["Dewi Rahman", "Ilham Safitri", "Fitri Handayani", "Muhammad Rizki", "Siti Aisyah"]
    )
    for index in range(5):
        expect(rows.nth(index).get_by_label("Hadir")).to_be_checked()

    def row_of(name):
        return rows.filter(has_text=name)

    row_of("Muhammad Rizki").get_by_text("Terlambat", exact=True).click()
    row_of("Muhammad Rizki").get_by_label("Catatan").fill("Datang 08.20, ban motor bocor")
    row_of("Siti Aisyah").get_by_text("Sakit", exact=True).click()
    row_of("Siti Aisyah").get_by_label("Catatan").fill("Surat dokter menyusul")
    page.get_by_role("button", name="Simpan presensi").click()

    expect(status_message(page)).to_contain_text("Presensi tersimpan (5 berubah).")
    page.goto(f"/training/sessions/{session.pk}/attendance/")
    expect(row_of("Dewi Rahman").get_by_label("Hadir")).to_be_checked()
    expect(row_of("Fitri Handayani").get_by_label("Hadir")).to_be_checked()
    expect(row_of("Muhammad Rizki").get_by_label("Terlambat")).to_be_checked()
    expect(row_of("Muhammad Rizki").get_by_label("Catatan")).to_have_value(
        "Datang 08.20, ban motor bocor"
    )
    expect(row_of("Siti Aisyah").get_by_label("Sakit")).to_be_checked()
    expect(row_of("Siti Aisyah").get_by_label("Catatan")).to_have_value("Surat dokter menyusul")
    expect(main(page)).not_to_contain_text("semua ditandai hadir")
    assert sorted(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "late",
        "present",
        "present",
        "present",
        "sick",
    ]


# Journey 3: a coordinator reads batch IV's readiness and downloads its ceremony pack.


def pdf_pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_a_coordinator_reads_batch_fours_readiness_and_downloads_its_roster(page, demo):
    sign_in(page, "coordinator")
    page.get_by_role("link", name="Program Kerja Sama", exact=True).first.click()
    page.get_by_role("link", name="Kerja Sama G-to-B Pemkot Banjarmasin").click()
    page.get_by_role("link", name="Angkatan IV (2026)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angkatan IV (2026)")

    participants = page.get_by_role("region", name="Peserta")
    names = participants.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert len(names) == 15

    board = page.get_by_role("region", name="Kesiapan Keberangkatan")
    rows = board.locator("tbody tr")
    expect(rows).to_have_count(15)
    first = rows.first
    expect(first.get_by_role("rowheader")).to_contain_text(names[0])
    expect(first.get_by_role("rowheader")).to_contain_text("saat berangkat")
    expect(first.locator("td").first).to_have_text("Ya")
    expect(first.get_by_text("belum terpenuhi")).to_have_count(0)
    expect(first.locator("details")).to_have_count(0)
    expect(board.get_by_text("Tidak", exact=True)).to_have_count(0)
    expect(board).to_contain_text("15 dari 15 peserta siap berangkat.")
    expect(board).to_contain_text("Persetujuan transfer data: 15 dari 15 terpenuhi")

    page.get_by_role("region", name="Dokumen").get_by_role(
        "button", name="Paket acara pelepasan"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cetakan & impor")
    expect(status_message(page)).to_contain_text(
        "Dokumen sedang disiapkan; akan muncul di bawah setelah selesai."
    )
    job = main(page).locator("tbody tr").filter(has_text="Paket acara pelepasan")
    expect(job).to_have_count(1)
    expect(job).to_contain_text("Angkatan IV (2026)")
    expect(job.locator("td").nth(1)).to_have_text("Selesai")
    with page.expect_download() as download:
        job.get_by_role("link", name="Unduh").click()

    assert download.value.suggested_filename.endswith("acara-pelepasan-angkatan-4.pdf")
    pages = pdf_pages(download.value.path())
    # The pack opens on the roster; every participant of the batch page is on it.
    assert "DAFTAR PESERTA PELEPASAN ANGKATAN IV" in pages[0]
    assert "Rabu, 18 Februari 2026" in pages[0]
    roster = "\n".join(itertools.takewhile(lambda text: "DAFTAR HADIR" not in text, pages))
    for number, name in enumerate(names, start=1):
        assert re.search(rf"^KAI-04-{number:03d} {name}\b", roster, re.MULTILINE), name


def test_on_a_1366_px_laptop_the_navbar_is_one_line_and_the_board_shows_every_column(page, demo):
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, "hr")
    batch4 = Cohort.objects.get(program__slug="kaikoukai", number=4)
    page.goto(f"/batches/{batch4.pk}/")
    navbar = page.get_by_role("navigation", name="Navigasi utama")
    brand = navbar.get_by_role("link", name="Delegasi Kerja").bounding_box()
    for item in ("Program Kerja Sama", "Cetakan & impor", "Kop Surat"):
        link = navbar.get_by_role("link", name=item, exact=True).bounding_box()
        assert abs(link["y"] - brand["y"]) < brand["height"], item  # the brand's line
        assert link["height"] < brand["height"] * 1.5, item  # not broken inside
    for tool in (
        navbar.get_by_role("button", name="Staf BKPSDM"),
        page.get_by_role("form", name="Bahasa"),
    ):
        box = tool.bounding_box()
        assert abs(box["y"] + box["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
        assert box["x"] + box["width"] <= 1366
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    board = page.locator(".readiness-board")
    last = board.locator("thead th").last
    expect(last).to_contain_text("Persetujuan transfer data")
    fits = "t => t.scrollWidth <= t.closest('.table-responsive').clientWidth"
    assert board.evaluate(fits)  # nothing hidden past the board's right edge


def test_hr_read_a_batchs_readiness_on_a_phone_and_open_the_reasons_of_one_person(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "hr")
    batch5 = Cohort.objects.get(program__slug="kaikoukai", number=5)
    page.goto(f"/batches/{batch5.pk}/")
    board = page.get_by_role("region", name="Kesiapan Keberangkatan")
    row = board.locator("tbody tr").filter(has_text="Dewi Rahman")
    name = row.get_by_role("rowheader")
    expect(name).to_contain_text("Dalam pelatihan")
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the name stays on screen
    # The marks scroll inside the board; the page itself does not move sideways.
    assert page.evaluate("() => { window.scrollTo(600, 0); return window.scrollX; }") == 0
    reason = row.get_by_text("Belum ada persetujuan transfer data pribadi", exact=False)
    expect(reason).to_be_hidden()
    row.locator("summary").click()
    expect(reason).to_be_visible()
    expect(board).to_contain_text("Persetujuan transfer data: 0 dari 2 terpenuhi")


# Journey 4: the interface switches to English, stays so, and switches back.


def test_the_interface_switches_to_english_stays_english_and_switches_back(page, demo):
    sign_in(page, "hr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for link, heading in [
        ("Participants", "Participants"),
        ("Programmes", "Programmes"),
        ("Training", "Training"),
        ("Prints and imports", "Prints and imports"),
    ]:
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name=link, exact=True
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("link", name="Programmes", exact=True).first.click()
    page.get_by_role("link", name="Kerja Sama G-to-B Pemkot Banjarmasin").click()
    page.get_by_role("link", name="Batch IV (2026)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch IV (2026)")
    expect(page.get_by_role("region", name="Readiness for departure")).to_be_visible()

    # The choice outlives the session: signing out and in again keeps English.
    page.get_by_role("button", name="Staf BKPSDM").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill("hr")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Peserta", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peserta")


# Journey 5: HR staff accept a batch's newly imported people into training with one form.


def test_hr_accepts_a_batchs_new_people_into_training_with_one_form(page, demo):
    batch = Cohort.objects.get(number=5)
    names = ["Andi Pratama", "Bayu Saputra", "Citra Lestari", "Dina Marlina", "Eka Putri"]
    for name in names:
        ParticipantFactory(full_name=name, status=Participant.Status.SELECTED).place(batch)
    sign_in(page, "hr")
    page.goto(f"/batches/{batch.pk}/")
    participants = page.get_by_role("region", name=re.compile("^Peserta"))
    participants.get_by_role("link", name="Centang semua").click()
    expect(participants.get_by_role("checkbox")).to_have_count(7)
    for box in participants.get_by_role("checkbox").all():
        expect(box).to_be_checked()
    participants.get_by_label("Tindakan").select_option(label="Terima ke pelatihan")
    participants.get_by_label("Alasan").fill("Lulus seleksi akhir")
    participants.get_by_role("button", name="Terapkan pada yang dicentang").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Terima ke pelatihan")
    expect(main(page)).to_contain_text("5 peserta selesai, 2 ditolak.")
    rows = main(page).locator("table tbody tr")
    expect(rows).to_have_count(7)
    for name in names:
        expect(rows.filter(has_text=name)).to_contain_text("Selesai")
    # The two already in training are refused, and say why.
    expect(rows.filter(has_text="Ditolak")).to_have_count(2)
    expect(rows.filter(has_text="Ditolak").first).to_contain_text("Dalam pelatihan")
    assert set(
        Participant.objects.filter(full_name__in=names).values_list("status", flat=True)
    ) == {Participant.Status.IN_TRAINING}


# Journey 6: HR staff type a cost line's amount the way Indonesian writes it.


def test_hr_types_an_amount_with_indonesian_separators_and_reads_it_back(page, demo):
    batch = Cohort.objects.get(number=5)
    sign_in(page, "hr")
    page.goto(f"/batches/{batch.pk}/costs/")
    main(page).get_by_role("link", name="Pos biaya baru").click()
    form = main(page)
    form.get_by_label("Kategori").select_option(index=1)
    form.get_by_label("Ditanggung oleh").select_option(index=1)
    form.get_by_label("Mata uang").select_option("JPY")
    form.get_by_label("Jumlah*", exact=True).fill("12.500")
    form.get_by_label("Kurs ke IDR").fill("108,5")
    form.get_by_label("Tanggal").fill("2026-11-20")
    form.get_by_label("Uraian").fill("Biaya ujian JFT-Basic")
    form.get_by_role("button", name="Simpan").click()

    expect(status_message(page)).to_contain_text("Pos biaya tersimpan.")
    expect(main(page)).to_contain_text("Biaya ujian JFT-Basic")
    expect(main(page)).to_contain_text("Rp1.356.250")


# Journeys 7–9: the other actions on a batch's ticked participants, each person's result shown.


def tick(participants_region, names) -> None:
    for name in names:
        participants_region.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()


def test_hr_postpone_two_of_a_batch_with_one_reason_and_date(page, demo):
    batch = Cohort.objects.get(number=5)
    names = ["Fajar Nugroho", "Gita Permata"]
    for name in names:
        ParticipantFactory(full_name=name, status=Participant.Status.IN_TRAINING).place(batch)
    sign_in(page, "hr")
    page.goto(f"/batches/{batch.pk}/")
    participants = page.get_by_role("region", name=re.compile("^Peserta"))
    tick(participants, names)
    participants.get_by_label("Tindakan").select_option(label="Ubah status")
    participants.get_by_label("Status baru").select_option(label="Ditunda")
    participants.get_by_label("Alasan").fill("Sakit, menunggu pemulihan")
    participants.get_by_role("button", name="Terapkan pada yang dicentang").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ubah status")
    expect(main(page)).to_contain_text("2 peserta selesai, 0 ditolak.")
    rows = main(page).locator("table tbody tr")
    expect(rows).to_have_count(2)
    for name in names:
        expect(rows.filter(has_text=name)).to_contain_text("Selesai")
    # Dewi Rahman and Ilham Safitri were not ticked: they stay in training.
    assert list(
        Participant.objects.filter(cohort=batch).order_by("status").values_list("status")
    ) == [("in_training",), ("in_training",), ("postponed",), ("postponed",)]
    change = Participant.objects.get(full_name="Gita Permata").status_changes.latest("pk")
    assert change.reason == "Sakit, menunggu pemulihan"


def test_hr_move_three_to_the_next_batch_and_read_that_its_quota_took_two(page, demo):
    batch = Cohort.objects.get(number=5)
    # A batch of its own after the demo's last (the demo's selection fills the next ones).
    number = Cohort.objects.filter(program=batch.program).order_by("-number").first().number + 1
    later = Cohort.objects.create(
        program=batch.program, number=number, year=2027, quota=2, status=Cohort.Status.RECRUITING
    )
    names = ["Hana Safitri", "Irfan Maulana", "Joko Susilo"]
    for name in names:
        ParticipantFactory(full_name=name, status=Participant.Status.SELECTED).place(batch)
    sign_in(page, "hr")
    page.goto(f"/batches/{batch.pk}/")
    participants = page.get_by_role("region", name=re.compile("^Peserta"))
    tick(participants, names)
    participants.get_by_label("Tindakan").select_option(label="Pindah ke angkatan lain")
    participants.get_by_label("Angkatan baru").select_option(str(later.pk))
    participants.get_by_label("Alasan").fill("Menunggu angkatan berikutnya")
    participants.get_by_role("button", name="Terapkan pada yang dicentang").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pindah ke angkatan lain")
    expect(main(page)).to_contain_text("2 peserta selesai, 1 ditolak.")
    rows = main(page).locator("table tbody tr")
    expect(rows.filter(has_text="Selesai")).to_have_count(2)
    refused = rows.filter(has_text="Ditolak")
    expect(refused).to_contain_text("Joko Susilo")
    expect(refused).to_contain_text(f"Angkatan {later.roman_number} sudah penuh: kuota 2 peserta.")
    moved = Participant.objects.filter(cohort=later).order_by("participant_number")
    assert [(p.full_name, p.participant_number[-6:]) for p in moved] == [
        ("Hana Safitri", f"{number:02d}-001"),
        ("Irfan Maulana", f"{number:02d}-002"),
    ]
    assert Participant.objects.get(full_name="Joko Susilo").cohort == batch


def test_hr_mark_a_batch_ready_and_read_why_one_person_is_not(page, demo):
    batch = Cohort.objects.get(number=5)
    program = ProgramFactory(name="Program Uji Kesiapan")
    small = Cohort.objects.create(
        program=program,
        number=1,
        year=2026,
        planned_departure=datetime.date(2026, 2, 18),
        status=Cohort.Status.TRAINING,
    )
    plan = TrainingPlanFactory(cohort=small)
    session = SessionFactory(module=ModuleFactory(plan=plan), date=datetime.date(2025, 3, 3))
    ready = ParticipantFactory(full_name="Kiki Amelia", status=Participant.Status.IN_TRAINING)
    ready.place(small)
    Attendance.objects.create(session=session, participant=ready)
    DocumentFactory(participant=ready, expires_on=datetime.date(2030, 1, 1))
    TransferConsentFactory(participant=ready)
    unready = ParticipantFactory(full_name="Lina Marlina", status=Participant.Status.IN_TRAINING)
    unready.place(small)
    Attendance.objects.create(session=session, participant=unready)
    assert batch.pk != small.pk

    sign_in(page, "hr")
    page.goto(f"/batches/{small.pk}/")
    participants = page.get_by_role("region", name=re.compile("^Peserta"))
    participants.get_by_role("link", name="Centang semua").click()
    participants.get_by_label("Tindakan").select_option(label="Tandai siap (pemeriksaan kesiapan)")
    participants.get_by_role("button", name="Terapkan pada yang dicentang").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Tandai siap")
    expect(main(page)).to_contain_text("1 peserta selesai, 1 ditolak.")
    rows = main(page).locator("table tbody tr")
    expect(rows.filter(has_text="Kiki Amelia")).to_contain_text("Selesai")
    refused = rows.filter(has_text="Lina Marlina")
    expect(refused).to_contain_text("Ditolak")
    expect(refused).to_contain_text("paspor")
    assert Participant.objects.get(full_name="Kiki Amelia").status == Participant.Status.READY
    assert Participant.objects.get(full_name="Lina Marlina").status == (
        Participant.Status.IN_TRAINING
    )


# Journey 10: HR staff type a regency in the new-participant form, with and without script.


def fill_new_person(form, *, name: str, serial: int) -> None:
    birth = datetime.date(2001, 4, 12)
    form.get_by_label("Nama lengkap").fill(name)
    form.get_by_label("NIK*", exact=True).fill(make_nik(birth, "F", regency="63.07", serial=serial))
    form.get_by_label("Jenis kelamin").select_option("F")
    form.get_by_label("Tanggal lahir").fill(birth.isoformat())
    form.get_by_label("Jalur").select_option("worker")


def test_hr_type_part_of_a_regency_pick_it_and_copy_the_ktp_address(page, demo):
    sign_in(page, "hr")
    page.goto("/participants/new/")
    options = page.locator("#regency-options option")
    # Before anything is typed: the office's own province (Kalimantan Selatan, 13 of them).
    expect(options).to_have_count(13)
    form = main(page)
    fill_new_person(form, name="Maya Sari", serial=9201)
    origin = form.get_by_label("Kabupaten/Kota Asal")
    origin.press_sequentially("sungai")
    expect(options).to_have_count(4)
    expect(options.first).to_have_attribute("value", "Kabupaten Hulu Sungai Selatan (63.06)")
    expect(options.last).to_have_attribute("value", "Kota Sungai Penuh (15.72)")
    origin.fill("Kabupaten Hulu Sungai Tengah (63.07)")  # what picking the suggestion writes
    form.get_by_label("Jalan (KTP)").fill("Jl. Murakata No. 5")
    ktp = form.get_by_label("Kabupaten/kota (KTP)")
    ktp.press_sequentially("63.07")
    expect(options).to_have_count(1)
    ktp.fill("Kabupaten Hulu Sungai Tengah (63.07)")
    form.get_by_label("Sama dengan alamat KTP").check()
    form.get_by_role("button", name="Simpan").click()

    expect(status_message(page)).to_contain_text("Maya Sari")
    maya = Participant.objects.get(full_name="Maya Sari")
    assert (maya.origin.code, maya.ktp_regency.code, maya.domicile_regency.code) == (
        "63.07",
        "63.07",
        "63.07",
    )
    assert maya.domicile_street == "Jl. Murakata No. 5"


def test_without_script_a_typed_code_or_name_is_read_and_an_unclear_one_explained(
    browser, live_server, demo
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "hr")
    page.goto("/participants/new/")
    form = main(page)
    fill_new_person(form, name="Nina Oktavia", serial=9202)
    form.get_by_label("Kabupaten/Kota Asal").fill("Banjar")
    form.get_by_role("button", name="Simpan").click()
    expect(main(page)).to_contain_text(
        "“Banjar” bisa berarti Kota Banjar (32.79) atau Kabupaten Banjar (63.03)"
    )
    assert not Participant.objects.filter(full_name="Nina Oktavia").exists()

    form.get_by_label("Kabupaten/Kota Asal").fill("6307")
    form.get_by_label("Tanggal lahir").fill("2001-04-12")
    form.get_by_role("button", name="Simpan").click()
    expect(status_message(page)).to_contain_text("Nina Oktavia")
    assert Participant.objects.get(full_name="Nina Oktavia").origin.code == "63.07"
    context.close()


def test_on_a_phone_the_download_button_of_a_made_print_is_on_screen(page, demo):
    hr = get_user_model().objects.get(username="hr")
    job = JobFactory(kind="ceremony_pack", status="done", requested_by=hr)
    job.file.save("paket.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "hr")
    page.goto("/jobs/")
    row = page.locator("#job-rows tr").filter(has_text="Paket acara pelepasan")
    for name in ("Unduh", "Buat ulang"):
        box = row.get_by_role(
            "link" if name == "Unduh" else "button", name=name, exact=True
        ).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, name


@pytest.mark.parametrize("path", ["/welfare/cases/{case}/", "/welfare/follow-ups/"])
def test_on_a_phone_the_duty_of_care_tables_fit_the_screen(page, demo, path):
    from welfare.models import Case

    case = Case.objects.filter(costs__isnull=False).first()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "hr")
    page.goto(path.format(case=case.pk))
    assert page.locator("table").count() > 0
    overflow = page.evaluate(
        "Array.from(document.querySelectorAll('.table-responsive'))"
        ".map(e => e.scrollWidth - e.clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
