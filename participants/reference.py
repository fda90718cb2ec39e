"""Reference data every deployment needs: Indonesia's regions and the document types.

Loaded by a data migration, and again after a flush (``ParticipantsConfig``), through the
same functions. They only add what is missing, so an administrator's edits stay.

The regions come from the npm package idn-area-data 4.0.1 (Kemendagri codes), whose data is
licensed under the ODbL: see ``participants/data/ATTRIBUTION.md``.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# code, name (Indonesian, as HR staff write them), expiry lead time in days, order
DOCUMENT_TYPES = [
    ("passport", "Paspor", 180),
    ("visa", "Visa", 60),
    ("coe", "Certificate of Eligibility (COE)", 30),
    ("residence_card", "Kartu Izin Tinggal (Zairyu Card)", 60),
    ("medical", "Pemeriksaan Kesehatan (MCU)", 30),
    ("psychological", "Tes Psikologi", 30),
    ("police_clearance", "SKCK", 30),
    ("ktp", "KTP", 30),
    ("kk", "Kartu Keluarga (KK)", 30),
    ("diploma", "Ijazah", 30),
    ("birth_certificate", "Akta Kelahiran", 30),
    ("family_permission", "Surat Izin Keluarga/Suami/Istri", 30),
    ("placement_agreement", "Perjanjian Penempatan", 30),
    ("employment_contract", "Perjanjian Kerja", 60),
    ("bpjs", "Kartu BPJS Ketenagakerjaan", 30),
    ("opp", "Sertifikat Orientasi Pra Pemberangkatan (OPP)", 30),
    ("passport_recommendation", "Surat Rekomendasi Paspor", 30),
    ("siskop2mi", "ID SISKOP2MI / E-PMI", 30),
    ("flight_ticket", "Tiket Pesawat", 7),
    ("language_certificate", "Sertifikat Bahasa", 30),
    ("competency_certificate", "Sertifikat Kompetensi", 30),
    ("other", "Lainnya", 30),
]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_regions(region_model) -> int:
    """Add the provinces and regencies/cities that are missing; return how many."""
    existing = set(region_model.objects.values_list("code", flat=True))
    provinces = [
        region_model(code=row["code"], name=row["name"], level="province")
        for row in _rows("provinces.csv")
        if row["code"] not in existing
    ]
    region_model.objects.bulk_create(provinces)
    province_ids = dict(region_model.objects.filter(level="province").values_list("code", "id"))
    regencies = [
        region_model(
            code=row["code"],
            name=row["name"],
            level="regency",
            province_id=province_ids[row["province_code"]],
        )
        for row in _rows("regencies.csv")
        if row["code"] not in existing
    ]
    region_model.objects.bulk_create(regencies)
    return len(provinces) + len(regencies)


def load_document_types(document_type_model) -> int:
    existing = set(document_type_model.objects.values_list("code", flat=True))
    missing = [
        document_type_model(code=code, name=name, expiry_lead_days=lead, order=order)
        for order, (code, name, lead) in enumerate(DOCUMENT_TYPES, start=1)
        if code not in existing
    ]
    document_type_model.objects.bulk_create(missing)
    return len(missing)


# The WhatsApp messages staff start from (editable in the admin): code, name, text.
MESSAGE_TEMPLATES = [
    (
        "missing_document",
        "Dokumen belum lengkap",
        "Assalamualaikum {nama}, kami dari tim Program Kerja Sama. Masih ada dokumen yang "
        "belum lengkap untuk keberangkatan. Silakan unggah di portal peserta atau bawa ke "
        "kantor. Terima kasih.",
    ),
    (
        "schedule",
        "Jadwal pelatihan",
        "Assalamualaikum {nama}, kami mengingatkan jadwal pelatihan {angkatan}. Silakan cek "
        "jadwal lengkap di portal peserta. Terima kasih.",
    ),
    (
        "check_in_due",
        "Pemantauan bulanan",
        "Assalamualaikum {nama}, bagaimana kabar Anda? Mohon isi pemantauan bulanan di portal "
        "peserta. Jika butuh bantuan segera, centang “Saya butuh bantuan sekarang”.",
    ),
    (
        "contact_news",
        "Kabar untuk keluarga",
        "Assalamualaikum, kami dari tim Program Kerja Sama, menghubungi Bapak/Ibu sebagai "
        "kontak darurat {peserta}. Mohon hubungi kami kembali. Terima kasih.",
    ),
]


def load_message_templates(template_model) -> int:
    existing = set(template_model.objects.values_list("code", flat=True))
    missing = [
        template_model(code=code, name=name, text=text, order=order)
        for order, (code, name, text) in enumerate(MESSAGE_TEMPLATES)
        if code not in existing
    ]
    template_model.objects.bulk_create(missing)
    return len(missing)
