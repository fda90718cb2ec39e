"""An applicant's journey in a real Chromium at a phone's width (390 px), on the demo data:
register, confirm the address with the link from the mailbox, apply to the open call with
uploads across steps, leave and come back to the draft, send, and keep the receipt."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.models import ApplicationDraft
from recruitment.models import Application
from tests.office.test_prints import pdf_text
from tests.portal.test_journeys import PDF

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "Lamaran-Saya-2026"
LINK = re.compile(r"https?://\S+(/saya/daftar/verifikasi/[^/\s]+/)")


def test_an_applicant_registers_applies_with_uploads_and_keeps_the_receipt(
    browser, live_server, demo
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/saya/lowongan/")
    page.locator("section.card").first.get_by_role("link", name="Daftar untuk melamar").click()
    page.get_by_label("Alamat e-mail").fill("dewi.applicant@example.org")
    page.get_by_label(re.compile(r"^Sandi")).fill(PASSWORD)
    page.get_by_label("Ulangi sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa surel Anda")

    # The link from the mailbox, with the password chosen, opens the account and signs in.
    (message,) = [m for m in mail.outbox if m.to == ["dewi.applicant@example.org"]]
    page.goto(LINK.search(message.body).group(1))
    page.get_by_label("Sandi Anda").fill(PASSWORD)
    page.get_by_role("button", name="Buka akun saya").click()
    expect(page.get_by_role("status")).to_contain_text("akun Anda sudah terbuka")
    page.locator("section.card").first.get_by_role("link", name="Melamar").click()

    # Step 1: personal data; a wrong NIK is explained as on the staff's form.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 1 dari 5")
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Dewi Anggraini")
    page.get_by_label("NIK:", exact=True).fill("6371 01 123")
    page.get_by_label("Tanggal lahir").fill("2000-05-09")
    page.get_by_label("Tempat lahir").fill("Banjarmasin")
    page.get_by_label("Jenis kelamin").select_option("F")
    page.get_by_label("Telepon (WhatsApp)").fill("0812-5555-0101")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.locator(".errorlist")).to_contain_text("16 angka")
    page.get_by_label("NIK:", exact=True).fill("6371014905000777")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()

    # Step 2: addresses.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 2 dari 5")
    page.get_by_label("Jalan, nomor, RT/RW (KTP)").fill("Jl. Pramuka No. 9 RT 3 RW 1")
    page.get_by_label("Kelurahan/desa (KTP)").fill("Pemurus Luar")
    page.get_by_label("Kecamatan (KTP)").fill("Banjarmasin Timur")
    page.get_by_label("Kabupaten/kota (KTP)").select_option(label="Kota Banjarmasin")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 3 dari 5")

    # Step 3: education and track.
    page.get_by_label("Pendidikan terakhir").select_option("d3")
    page.get_by_label("Jurusan").fill("Keperawatan")
    page.get_by_label("Tenaga Kerja").check()
    page.get_by_role("button", name="Simpan dan lanjutkan").click()

    # Step 4: the call's uploads; on a slow line, one at a time.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 4 dari 5")
    page.get_by_label("KTP").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.get_by_role("status")).to_contain_text("Ijazah terakhir")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 4 dari 5")

    # The phone sleeps, the session is gone: signing in again resumes the draft where it
    # stopped, with the upload kept.
    context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill("dewi.applicant@example.org")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Lamaran saya").first.click()
    page.get_by_role("link", name="Lanjutkan lamaran saya").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 4 dari 5")
    expect(page.locator("form.card")).to_contain_text("Sudah diunggah")
    expect(page.locator("form.card")).to_contain_text("KTP")
    page.get_by_label("Ijazah terakhir").set_input_files(
        {"name": "ijazah.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langkah 5 dari 5")

    # Step 5: the consent in full, then send.
    expect(page.get_by_role("main")).to_contain_text("Undang-Undang Nomor 27 Tahun 2022")
    page.get_by_role("button", name="Kirim lamaran saya").click()
    expect(page.locator(".errorlist")).to_contain_text("hanya dapat dikirim dengan persetujuan")
    page.get_by_label("Saya telah membaca teks di atas dan menyetujuinya.").check()
    page.get_by_role("button", name="Kirim lamaran saya").click()
    expect(page.get_by_role("status")).to_contain_text("Lamaran Anda telah diterima")

    draft = ApplicationDraft.objects.get(user__username="dewi.applicant@example.org")
    application = Application.objects.get(pk=draft.application_id)
    assert application.channel == "portal" and application.nik == "6371014905000777"
    assert sorted(application.documents.values_list("name", flat=True)) == [
        "Ijazah terakhir",
        "KTP",
    ]
    expect(page.get_by_role("main")).to_contain_text(application.registration_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The receipt is the counter's PDF on the letterhead, downloaded to keep.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tanda terima (PDF)").click()
    assert download.value.suggested_filename.startswith("tanda-terima_")
    with open(download.value.path(), "rb") as handle:
        text = pdf_text(handle.read())
    assert "TANDA TERIMA PENDAFTARAN" in text and application.registration_number in text
    assert "Dewi Anggraini" in text
    context.close()
