"""Portal journeys in a real Chromium at a phone's width (390 px), on the demo data:
a participant uploads a passport that HR staff verify; a participant abroad asks for help.
And every portal page at 360 px without JavaScript."""

import pytest
from playwright.sync_api import expect

from delegation.models import Notification
from participants.models import CheckIn, Document
from portal.models import PortalAccount
from tests.browser import sign_in
from welfare.models import Case

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def phone(browser, live_server):
    """Open a new phone-sized browser (one per person)."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", PHONE)
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()


def test_a_participant_uploads_a_passport_that_hr_verifies(phone, demo):
    person = PortalAccount.objects.get(user__username="peserta1").participant
    page = phone()
    sign_in(page, "peserta1")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    page.get_by_role("link", name="Daftar periksa", exact=True).click()
    passport = page.get_by_role("listitem").filter(has_text="Paspor")
    # The demo passport lapses within 180 days of departure: not enough.
    expect(passport).to_contain_text("✗")
    passport.get_by_role("link", name="Unggah yang baru").click()
    page.get_by_label("Pindaian atau foto").set_input_files(
        {"name": "paspor.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Nomor dokumen").fill("x 9876543")
    page.get_by_label("Berlaku sampai").fill("2032-05-31")
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("status")).to_contain_text("kantor akan memeriksanya")
    expect(page.get_by_role("listitem").filter(has_text="Paspor")).to_contain_text(
        "kantor sedang memeriksanya"
    )
    upload = Document.objects.get(participant=person, review=Document.Review.PENDING)
    assert upload.number == "X9876543"

    staff = phone()
    sign_in(staff, "hr")
    staff.goto("/verification/")
    card = staff.get_by_role("article").filter(has_text=person.full_name)
    card.get_by_role("button", name="Terima").click()
    expect(staff.get_by_role("main")).to_contain_text("kini dihitung untuk kesiapan")
    upload.refresh_from_db()
    assert upload.review == Document.Review.VERIFIED

    page.reload()
    passport = page.get_by_role("listitem").filter(has_text="Paspor")
    expect(passport).to_contain_text("✓ Terverifikasi")
    expect(passport).to_contain_text("31 Mei 2032")
    page.get_by_role("link", name="Beranda").click()
    expect(page.get_by_role("main")).to_contain_text("Paspor Anda sudah diverifikasi.")


def test_a_participant_abroad_asks_for_help_and_the_coordinator_is_told(phone, demo):
    person = PortalAccount.objects.get(user__username="peserta2").participant
    assert person.status == "working"

    page = phone()
    sign_in(page, "peserta2")
    page.get_by_role("link", name="Di luar negeri").click()
    expect(page.get_by_role("main")).to_contain_text("Kaikoukai Healthcare Corporation")
    page.get_by_role("link", name="Kirim pemantauan").click()
    page.locator('input[name="wellbeing"][value="1"]').check()
    page.locator('input[name="work_satisfaction"][value="2"]').check()
    page.get_by_label("Hal yang Anda khawatirkan").fill("Saya sakit dan tidak bisa bekerja.")
    page.get_by_label("Saya butuh bantuan sekarang").check()
    page.get_by_role("button", name="Kirim").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kantor sudah diberi tahu")
    hotline = page.get_by_role("link", name="+81 80-0000-0000")
    expect(hotline).to_have_attribute("href", "tel:+8180-0000-0000")
    check_in = CheckIn.objects.get(participant=person, help_requested=True)
    assert check_in.follow_up_needed
    case = Case.objects.get(check_in=check_in, reported_via=Case.Source.PORTAL)
    assert Notification.objects.filter(
        user__username="coordinator", key=f"case-help-{case.pk}"
    ).exists()

    staff = phone()
    sign_in(staff, "coordinator")
    staff.goto("/notifications/")
    expect(staff.get_by_role("main")).to_contain_text(
        f"{person.full_name} meminta bantuan sekarang: draf kasus"
    )


PORTAL_PAGES = [
    "/saya/",
    "/saya/daftar-periksa/",
    "/saya/daftar-periksa/passport/unggah/",
    "/saya/pelatihan/",
    "/saya/di-luar-negeri/",
    "/saya/data-saya/",
]


def test_every_portal_page_fits_360_px(phone, demo):
    page = phone(viewport={"width": 360, "height": 740})
    sign_in(page, "peserta1")
    for path in PORTAL_PAGES:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_the_portal_works_without_javascript(phone, demo):
    page = phone(java_script_enabled=False)
    sign_in(page, "peserta1")
    page.goto("/saya/data-saya/")
    page.get_by_label("Telepon").fill("0812-7777-1234")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_contain_text("Data kontak Anda sudah disimpan.")
    person = PortalAccount.objects.get(user__username="peserta1").participant
    person.refresh_from_db()
    assert person.phone == "+6281277771234"
