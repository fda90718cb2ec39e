"""Duty of care in a real browser, on the demo data."""

import re

import pytest
from playwright.sync_api import expect

from participants.models import CheckIn, Participant
from tests.browser import sign_in
from welfare.models import Case

pytestmark = pytest.mark.browser


def test_a_help_now_check_in_becomes_a_case_that_is_handled_and_closed(page, demo):
    person = (
        Participant.objects.filter(status="working", cohort__number=3)
        .order_by("participant_number")
        .first()
    )
    sign_in(page, "hr")
    page.goto(f"/participants/{person.pk}/")
    page.get_by_role("link", name="Minta bantuan sekarang").click()
    page.get_by_label("Bantuan yang dibutuhkan").fill("Saya jatuh di tangga dan kaki saya sakit.")
    page.get_by_label("Saluran").select_option("phone")
    page.get_by_label("Kesejahteraan (1–5)").fill("2")
    page.get_by_label("Kepuasan kerja (1–5)").fill("3")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("status")).to_contain_text("Permintaan bantuan dicatat")
    expect(page.get_by_text("Permintaan bantuan membuka draf ini")).to_be_visible()
    case = Case.objects.get(participant=person)
    assert case.status == Case.Status.DRAFT
    assert CheckIn.objects.filter(participant=person, follow_up_needed=True).exists()

    page.get_by_role("link", name="Lengkapi draf").click()
    page.get_by_label("Jenis").select_option("injury")
    page.get_by_label("Tingkat keparahan").select_option("high")
    page.get_by_label("Penanggung jawab").select_option(label="Staf BKPSDM")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Belum diterima oleh penanggung jawabnya.")).to_be_visible()

    page.get_by_role("button", name="Terima kasus").click()
    expect(page.get_by_role("status")).to_contain_text("Kasus diterima.")

    page.get_by_role("link", name="Tambah ke kronologi").click()
    page.get_by_label("Yang dilakukan").fill(
        "Menelepon rumah sakit; rontgen tidak menunjukkan patah."
    )
    page.get_by_label("Dengan siapa").select_option("hospital")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("rontgen tidak menunjukkan patah")).to_be_visible()

    page.get_by_role("link", name="Selesaikan atau tutup").click()
    page.get_by_label("Status").select_option("closed")
    page.get_by_label("Hasil akhir").select_option("resolved_in_place")
    page.get_by_label("Catatan").fill("Pulih, kembali bekerja.")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_contain_text("Kasus ditutup.")
    expect(page.get_by_text(re.compile("Ditutup"))).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.outcome, case.kind) == ("closed", "resolved_in_place", "injury")
    assert case.acknowledged_at is not None
    assert case.entries.count() == 3  # acknowledged, the call, closed
