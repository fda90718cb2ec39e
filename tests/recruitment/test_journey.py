"""A selection from the call to the draft decree, in a real browser, on the demo data.

HR staff open a call, register two applicants at the counter and start the selection; the
committee's secretary signs the integrity pact and enters the interview scores; HR staff lock
the stage, publish the provisional result, decide once the objection period is over and
download the draft mayor's decree, whose lampiran names the selected applicant."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from participants.models import Participant
from recruitment.models import Call
from tests.browser import sign_in
from tests.factories import make_nik

pytestmark = pytest.mark.browser

PROGRAMME = "Kerja Sama G-to-B Pemkot Banjarmasin – Kaikoukai Healthcare Corporation"
APPLICANTS = [
    # name, sex, birth date, NIK serial, interview scores
    ("Raudah Khairunnisa", "F", datetime.date(2002, 5, 17), 7301, "88"),
    ("Muhammad Rizal", "M", datetime.date(2000, 11, 2), 7302, "71,5"),
]


def heading(page):
    return page.get_by_role("heading", level=1)


def sign_out(page):
    page.get_by_role("button", name="Noor Hayati").or_(
        page.get_by_role("button", name="Staf BKPSDM")
    ).click()
    page.get_by_role("button", name="Keluar").click()


def click_move(page, label):
    page.get_by_role("button", name=f"Ubah ke: {label}").click()
    expect(page.get_by_role("status")).to_contain_text("Status pengumuman diubah.")


def test_a_call_runs_from_its_opening_to_the_draft_decree(page, demo):
    sign_in(page, "hr")
    page.get_by_role("link", name="Seleksi", exact=True).first.click()
    expect(heading(page)).to_have_text("Pengumuman penerimaan")
    page.get_by_role("link", name="Pengumuman baru").click()
    page.get_by_label("Program kerja sama").select_option(index=1)
    page.get_by_label("Angkatan tujuan").select_option(label=f"{PROGRAMME} — Angkatan VII (2028)")
    page.get_by_label("Judul").fill("Penerimaan Tambahan Angkatan VII")
    page.get_by_label("Dibuka pada").fill("2026-01-05T08:00")
    page.get_by_label("Ditutup pada").fill("2030-12-31T16:00")
    page.get_by_label("Kuota: tenaga kerja").fill("1")
    page.get_by_label("Kuota: penerima beasiswa").fill("0")
    page.get_by_label("Cadangan per jalur").fill("1")
    page.get_by_label("Tanggal acuan usia").fill("2026-01-05")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_contain_text("Pengumuman disimpan sebagai konsep.")
    expect(heading(page)).to_have_text("Penerimaan Tambahan Angkatan VII")

    page.get_by_role("link", name="Tambah tahap").click()
    page.get_by_label("Urutan").fill("1")
    page.locator("#id_name").fill("Wawancara")
    page.locator("#id_kind").select_option(label="Wawancara")
    page.get_by_label("Penilaian").select_option(label="Nilai 0–100")
    page.get_by_label("Bobot").fill("100")
    page.get_by_label("Batas lulus").fill("60")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_contain_text("Tahap ditambahkan.")

    page.get_by_role("link", name="Tambah anggota").click()
    page.get_by_label("Akun").select_option(label="Noor Hayati")
    page.get_by_label("Nama dengan gelar").fill("Noor Hayati, S.Sos.")
    page.get_by_label("Jabatan").select_option(label="Sekretaris")
    page.get_by_label("Wawancara").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_contain_text("Anggota panitia ditambahkan.")

    click_move(page, "Pendaftaran dibuka")
    for name, sex, birth, serial, _score in APPLICANTS:
        page.get_by_role("link", name="Loket pendaftaran").first.click()
        expect(heading(page)).to_have_text("Loket pendaftaran")
        page.get_by_label("Nama lengkap").fill(name)
        page.locator("#id_nik").fill(make_nik(birth, sex, serial=serial))
        page.get_by_label("Tanggal lahir").fill(birth.isoformat())
        page.get_by_label("Jenis kelamin").select_option(sex)
        page.get_by_label("Kabupaten/kota (KTP)").select_option(label="Kota Banjarmasin (63.71)")
        page.get_by_label("Jenjang pendidikan").select_option(label="SMA/SMK")
        page.get_by_label("Jalur").select_option(label="Tenaga Kerja")
        page.get_by_role("button", name="Daftarkan").click()
        expect(page.get_by_role("status")).to_contain_text("tercatat")
        expect(heading(page)).to_have_text(name)
        expect(page.get_by_text("Memenuhi semua persyaratan pengumuman.")).to_be_visible()
        with page.expect_download() as receipt:
            page.get_by_role("link", name="Unduh tanda terima (PDF)").click()
        assert receipt.value.suggested_filename.startswith("tanda-terima_")
        page.get_by_role("link", name="Penerimaan Tambahan Angkatan VII", exact=True).click()
    click_move(page, "Ditutup")
    click_move(page, "Seleksi berlangsung")
    sign_out(page)

    # The committee's secretary signs the pact and enters the interview scores.
    sign_in(page, "committee")
    page.get_by_role("link", name="Seleksi", exact=True).first.click()
    page.get_by_role("link", name="Penerimaan Tambahan Angkatan VII", exact=True).click()
    page.get_by_role("button", name="Tanda tangani pakta").click()
    expect(page.get_by_role("status")).to_contain_text("Pakta integritas ditandatangani.")
    page.get_by_role("link", name="Nilai", exact=True).click()
    expect(heading(page)).to_have_text("Wawancara")
    for name, *_rest, score in APPLICANTS:
        page.get_by_label(name).fill(score)
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_role("status")).to_contain_text("2 nilai disimpan.")
    expect(page.get_by_label("Muhammad Rizal")).to_have_value("71,50")
    sign_out(page)

    sign_in(page, "hr")
    page.get_by_role("link", name="Seleksi", exact=True).first.click()
    page.get_by_role("link", name="Penerimaan Tambahan Angkatan VII", exact=True).click()
    page.get_by_role("button", name="Kunci").click()
    expect(page.get_by_role("status")).to_contain_text("Nilai tahap ini dikunci.")
    page.get_by_role("button", name="Umumkan hasil sementara").click()
    expect(page.get_by_role("status")).to_contain_text("Hasil sementara diumumkan; sanggahan")
    page.get_by_role("link", name="Peringkat").click()
    first, second = page.locator("tbody tr").all()[:2]
    expect(first).to_contain_text("Raudah Khairunnisa")
    expect(first).to_contain_text("Terpilih")
    expect(second).to_contain_text("Cadangan")

    # Three working days pass: the objection period is over.
    call = Call.objects.get(title="Penerimaan Tambahan Angkatan VII")
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(
        result_published_on=today - datetime.timedelta(days=7),
        objection_until=today - datetime.timedelta(days=1),
    )
    page.get_by_role("link", name="Penerimaan Tambahan Angkatan VII", exact=True).click()
    page.get_by_role("link", name="Penetapan").click()
    page.get_by_role("button", name="Tetapkan hasil seleksi").click()
    expect(page.get_by_role("status")).to_contain_text("Seleksi ditetapkan: 1 peserta lulus")
    selected = Participant.objects.get(full_name="Raudah Khairunnisa")
    assert (selected.status, selected.cohort.number) == ("selected", 7)
    assert not Participant.objects.filter(full_name="Muhammad Rizal").exists()

    page.get_by_role("button", name="Rancangan Keputusan Wali Kota").click()
    expect(heading(page)).to_have_text("Cetakan & impor")
    job = page.get_by_role("main").locator("tbody tr").filter(has_text="Rancangan Keputusan")
    expect(job.locator("td").nth(1)).to_have_text("Selesai")
    with page.expect_download() as download:
        job.get_by_role("link", name="Unduh").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "KEPUTUSAN WALI KOTA BANJARMASIN" in text
    assert "LAMPIRAN I" in text and "Raudah Khairunnisa" in text
    assert "Muhammad Rizal" in text  # the reserve, in Lampiran II
    for _name, sex, birth, serial, _score in APPLICANTS:
        assert make_nik(birth, sex, serial=serial) not in text
