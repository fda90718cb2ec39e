"""The public verify page (``/verify/<token>/``) that certificates' QR codes print: who issued
the certificate, what to do about an unknown code, a fixed phrase for a revoked one, and a
rate limit that counts the address the trusted proxies saw."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from delegation.models import Organisation
from tests.factories import CohortFactory, ParticipantFactory
from training.models import Certificate
from training.views.public import VERIFY_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        pk=Organisation.SINGLE_ROW_ID,
        name="Pemerintah Kota Banjarmasin",
        unit="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        phone="(0511) 3352500",
        email="bkpsdm@banjarmasinkota.go.id",
    )


@pytest.fixture
def certificate(db):
    participant = ParticipantFactory(
        cohort=CohortFactory(number=4), full_name="Siti Rahmah", name_katakana="シティ・ラフマ"
    )
    return Certificate.objects.create(
        participant=participant,
        kind=Certificate.Kind.TRAINING,
        number="001/SERT-KS/2026",
        token="a-verification-token",
        issued_on=datetime.date(2026, 2, 14),
        hours=Decimal("900"),
    )


def test_a_valid_certificate_names_the_government_that_issued_it(client, organisation, certificate):
    response = client.get(certificate.get_verify_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sertifikat ini sah: diterbitkan oleh Pemerintah Kota Banjarmasin." in body
    assert "Diterbitkan oleh" in body and "Badan Kepegawaian" in body
    assert "Siti Rahmah" in body and "001/SERT-KS/2026" in body


def test_an_unknown_code_is_404_on_the_public_page_saying_whom_to_ask(client, organisation):
    response = client.get("/verify/no-such-token/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sertifikat tidak terdaftar." in body
    assert "hubungi Pemerintah Kota Banjarmasin" in body
    assert "(0511) 3352500" in body and "bkpsdm@banjarmasinkota.go.id" in body
    assert "Halaman tidak ditemukan" not in body  # not the signed-in 404 page
    assert "dasbor" not in body.lower()


def test_an_unknown_code_without_contacts_still_says_what_to_do(client):
    response = client.get("/verify/no-such-token/")
    assert response.status_code == 404
    assert "hubungi kantor yang menerbitkannya" in response.content.decode()


def test_a_revoked_certificate_says_so_in_a_fixed_phrase_without_the_reason(
    client, organisation, certificate
):
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = "Pemalsuan nilai ujian oleh Bapak X (laporan internal)"
    certificate.save()
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "Sertifikat ini telah dicabut." in body
    assert "Pemalsuan" not in body and "laporan internal" not in body
    assert "Sertifikat ini sah" not in body


def test_a_revoked_certificate_reads_the_same_in_english(client, certificate, settings):
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = "Data entry error"
    certificate.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "This certificate has been revoked." in body
    assert "Data entry error" not in body


@pytest.fixture
def one_minute(monkeypatch):
    """The limit counts an address's requests per clock minute: a test's requests all fall in
    the same minute, however slowly a loaded machine answers them."""
    instant = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: instant)


def exhaust(client, url, **meta):
    for _ in range(VERIFY_LIMIT):
        assert client.get(url, **meta).status_code == 200


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(
    client, certificate, settings, one_minute
):
    settings.TRUSTED_PROXY_COUNT = 0
    url = certificate.get_verify_url()
    exhaust(client, url, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.1")
    # A new forged address each time is still the same client.
    response = client.get(url, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert response.status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.5").status_code == 200


def test_behind_one_proxy_the_address_it_saw_is_counted_not_what_the_client_wrote(
    client, certificate, settings, one_minute
):
    settings.TRUSTED_PROXY_COUNT = 1
    url = certificate.get_verify_url()
    proxy = "10.0.0.2"
    exhaust(client, url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    # The client forges another first entry; the proxy still appended the same address.
    forged = client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.2, 203.0.113.9")
    assert forged.status_code == 429
    # Another client behind the same proxy has its own count.
    other = client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200
