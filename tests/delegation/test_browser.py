"""The first journey in a real browser: sign in, read the dashboard, switch language."""

import pytest
from django.contrib.auth import get_user_model

from cohorts.models import CohortAssignment
from participants.models import Participant
from tests.browser import sign_in
from training.models import Attendance, Session

pytestmark = pytest.mark.browser


def test_hr_signs_in_sees_the_dashboard_in_indonesian_and_switches_to_english(page, demo):
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.get_by_label("Nama pengguna").fill("hr")
    page.get_by_label("Sandi").fill("demo-password")
    page.get_by_role("button", name="Masuk").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Dasbor"
    assert page.locator("html").get_attribute("lang") == "id"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Prints and imports", exact=True).is_visible()


def test_a_wrong_password_shows_an_error_on_the_login_page(page, demo):
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill("hr")
    page.get_by_label("Sandi").fill("not-the-password")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Masuk"
    assert page.locator(".alert-danger, .invalid-feedback, .alert-block").count() >= 1


def test_a_coordinator_follows_the_programme_to_batch_fours_ceremony(page, demo):
    sign_in(page, "coordinator")
    page.get_by_role("link", name="Program Kerja Sama").first.click()
    page.get_by_role("link", name="Kerja Sama G-to-B Pemkot Banjarmasin").click()
    for label in ["Angkatan I (2023)", "Angkatan II (2024)", "Angkatan III (2025)"]:
        assert page.get_by_role("link", name=label).is_visible()
    page.get_by_role("link", name="Angkatan IV (2026)").click()

    ceremony = page.get_by_role("region", name="Acara pelepasan")
    assert "Rabu, 18 Februari 2026, 09.00 WITA" in ceremony.inner_text()
    assert "Aula Kayuh Baimbai, Balai Kota Banjarmasin" in ceremony.inner_text()
    assert "Wakil Wali Kota Banjarmasin Hj Ananda" in ceremony.inner_text()

    page.get_by_role("button", name="English").click()
    ceremony = page.get_by_role("region", name="Departure ceremony")
    assert "Wednesday, 18 February 2026, 09.00 WITA" in ceremony.inner_text()
    assert "Sekretaris Daerah Ikhsan Budiman" in ceremony.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Batch IV (2026)"


def test_hr_finds_a_participant_by_nik_and_reveals_the_data_once(page, demo):
    siti = Participant.objects.filter(cohort__number=4).order_by("participant_number").first()
    sign_in(page, "hr")
    page.get_by_role("link", name="Peserta").first.click()
    page.get_by_label("Nama, nomor peserta, NIK, atau nomor paspor").fill(siti.nik)
    page.get_by_role("button", name="Cari").click()
    assert siti.nik not in page.url
    page.get_by_role("link", name=siti.full_name).click()

    personal = page.get_by_role("region", name="Data pribadi")
    assert siti.nik not in personal.inner_text()
    personal.get_by_role("button", name="Tampilkan").click()
    personal = page.get_by_role("region", name="Data pribadi")
    assert siti.nik in personal.inner_text()
    assert "Ditampilkan dan dicatat" in personal.inner_text()


def test_hr_opens_the_filter_panel_and_filters_the_list_by_batch(page, demo):
    sign_in(page, "hr")
    page.get_by_role("link", name="Peserta").first.click()
    batch = page.get_by_label("Angkatan", exact=True)
    assert batch.count() == 0  # the closed panel is filled when first opened
    page.get_by_text("Saringan dan urutan").click()
    batch.select_option(label="Angkatan IV (2026)")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**/participants/?*cohort=*")
    rows = page.locator("main table tbody tr")
    assert rows.count() == Participant.objects.filter(cohort__number=4).count() == 15
    assert page.get_by_label("Angkatan", exact=True).input_value() != ""  # kept, shown open


def test_an_instructor_records_a_sessions_attendance(page, demo):
    session = (
        Session.objects.filter(module__plan__cohort__number=5, date__gt="2026-11-20")
        .order_by("date")
        .first()
    )
    CohortAssignment.objects.get_or_create(
        cohort=session.module.plan.cohort, user=get_user_model().objects.get(username="instructor")
    )
    sign_in(page, "instructor")
    page.goto(f"/training/sessions/{session.pk}/attendance/")
    page.get_by_text("Sakit").first.click()
    page.get_by_role("button", name="Simpan presensi").click()
    assert "Presensi tersimpan" in page.get_by_role("status").inner_text()
    statuses = Attendance.objects.filter(session=session).order_by("participant__pk")
    assert list(statuses.values_list("status", flat=True)) == ["sick", "present"]


def test_a_coordinator_clicks_once_and_downloads_batch_fours_ceremony_pack(page, demo):
    sign_in(page, "coordinator")
    batch4 = Participant.objects.filter(cohort__number=4).first().cohort
    page.goto(f"/batches/{batch4.pk}/")
    page.get_by_role("button", name="Paket acara pelepasan").click()
    assert page.url.endswith("/jobs/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").first.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
