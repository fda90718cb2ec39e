"""Numbers as each language writes them, through one set of helpers for pages and prints."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from delegation.formatting import money, number, percent, rupiah
from participants.models import CostItem, to_idr


@pytest.mark.parametrize(
    ("value", "decimals", "indonesian", "english"),
    [
        (Decimal("719.00"), None, "719", "719"),
        (Decimal("719.0"), None, "719", "719"),
        (Decimal("66.70"), None, "66,7", "66.7"),
        (Decimal("1234567.891"), 1, "1.234.567,9", "1,234,567.9"),
        (Decimal("0.00"), None, "0", "0"),
        (20072500, None, "20.072.500", "20,072,500"),
        (Decimal("12.5"), 2, "12,50", "12.50"),
        ("80.00", None, "80", "80"),
    ],
)
def test_numbers_follow_the_active_language(value, decimals, indonesian, english):
    with translation.override("id"):
        assert number(value, decimals) == indonesian
    with translation.override("en"):
        assert number(value, decimals) == english


def test_a_print_pins_indonesian_whatever_the_readers_language():
    with translation.override("en"):
        assert number(Decimal("1234.5"), language="id") == "1.234,5"
        assert translation.get_language() == "en"


def test_percentages_money_and_nothing():
    with translation.override("id"):
        assert percent(Decimal("66.7")) == "66,7%"
        assert rupiah(Decimal("20072500")) == "Rp20.072.500"
        assert money(Decimal("1250"), "JPY") == "1.250,00 JPY"
        assert money(Decimal("1500000"), "IDR") == "Rp1.500.000"
        assert number(None) == percent(None) == rupiah(None) == ""
    with translation.override("en"):
        assert percent(Decimal("66.7")) == "66.7%"
        assert rupiah(Decimal("20072500")) == "Rp20,072,500"


def test_the_template_filters_use_the_same_helpers():
    template = Template(
        "{% load delegation_tags %}"
        "{{ h|number }} {{ r|percent }} {{ a|rupiah }} {{ y|money:'JPY' }}"
    )
    context = Context(
        {"h": Decimal("719.00"), "r": Decimal("66.70"), "a": 20072500, "y": Decimal("5000")}
    )
    with translation.override("id"):
        assert template.render(context) == "719 66,7% Rp20.072.500 5.000,00 JPY"
    with translation.override("en"):
        assert template.render(context) == "719 66.7% Rp20,072,500 5,000.00 JPY"


@pytest.mark.django_db
def test_the_cost_page_writes_rupiah_with_dots_in_indonesian_and_commas_in_english(
    client, assigned, coordinator, program, cohort
):
    CostItem.objects.create(
        program=program,
        cohort=cohort,
        category="airfare",
        payer="sponsor",
        amount=Decimal("20072500"),
        currency="IDR",
        rate_to_idr=Decimal("1"),
        amount_idr=to_idr(Decimal("20072500"), Decimal("1")),
        date=datetime.date(2026, 2, 10),
        description="Tiket",
    )
    client.force_login(coordinator)
    url = reverse("participants:cohort_costs", args=[cohort.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rp20.072.500" in page
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Rp20,072,500" in page and "Rp20.072.500" not in page


@pytest.mark.django_db
def test_the_training_certificate_prints_whole_hours_in_indonesian(settings):
    from training.certificate_pdf import bundle

    settings.SITE_URL = "https://pelatihan.banjarmasinkota.go.id"
    fact = {
        "kind": "training",
        "number": "001/SERT-PLT/2026",
        "token": "T0k3n-" + "x" * 26,
        "revoked": False,
        "name": "Siti Rahmah",
        "katakana": "",
        "participant_number": "KAI-04-001",
        "program": "Kerja Sama",
        "partner": "Kaikoukai",
        "cohort": "Angkatan IV",
        "period": "17 Februari 2025 – 13 Februari 2026",
        "location": "Banjarmasin",
        "hours": number(Decimal("1719.00"), language="id"),
        "issued": "13 Februari 2026",
        "signers": [
            {
                "position": "Kepala",
                "name": "Machli Riyadi",
                "rank": "",
                "nip": "",
                "on_behalf_of": "",
            },
            {
                "position": "Sekretaris Daerah",
                "name": "Ikhsan Budiman",
                "rank": "",
                "nip": "",
                "on_behalf_of": "Wali Kota Banjarmasin",
            },
        ],
    }
    with translation.override("en"):
        archive = zipfile.ZipFile(io.BytesIO(bundle([fact], name="sertifikat")))
    merged = archive.read("sertifikat-semua.pdf")
    page = PdfReader(io.BytesIO(merged)).pages[0]
    baselines = {}

    def note(text, cm, tm, font, size):
        if text.strip() in {"Machli Riyadi", "Ikhsan Budiman"}:
            baselines[text.strip()] = round((tm[5] * cm[3]) + cm[5], 1)

    text = page.extract_text(visitor_text=note)
    flat = re.sub(r"\s+", " ", text)
    assert "sebanyak 1.719 jam" in flat
    assert "Pindai untuk memeriksa keaslian" in flat
    assert "pelatihan.banjarmasinkota.go.id" in flat
    assert "T0k3n" not in flat  # the token is in the QR code only, never printed cut
    assert flat.count("13 Februari 2026") == 2  # the period, and the place and date once
    assert len(baselines) == 2 and len(set(baselines.values())) == 1, baselines
