"""The letterhead page: HR staff keep the organisation's letterhead, every print carries it,
every change is kept, and the crest is a checked PNG or JPEG read back through the site."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from delegation.management.commands.seed_demo import placeholder_crest_png
from delegation.models import Organisation
from delegation.pdf import letterhead
from delegation.uploads import MAX_IMAGE_BYTES
from office.prints import ceremony_pack
from tests.factories import DepartureCeremonyFactory

pytestmark = pytest.mark.django_db

URL = "/letterhead/"
CREST_URL = "/letterhead/crest/"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)


def png(size=(60, 60), colour="navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "darkred").save(buffer, format="JPEG")
    return buffer.getvalue()


def fields(**changes) -> dict:
    data = {
        "name": "Pemerintah Kota Banjarbaru",
        "unit": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "address": "Jalan Panglima Batur No. 1, Banjarbaru 70711",
        "phone": "(0511) 4772500",
        "email": "bkpsdm@banjarbarukota.go.id",
        "website": "https://bkpsdm.banjarbarukota.go.id",
        "place": "Banjarbaru",
        "document_number_format": "{seq:03d}/{code}/BKPSDM/{year}",
    }
    data.update(changes)
    return data


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        pk=Organisation.SINGLE_ROW_ID,
        name="Pemerintah Kota Banjarmasin",
        unit="Koordinator Pelaksana Kerja Sama",
        place="Banjarmasin",
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class TestEditing:
    def test_hr_staff_see_the_form_the_preview_and_the_way_back(self, client, hr, organisation):
        client.force_login(hr)
        response = client.get(URL)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Pemerintah Kota Banjarmasin" in body and "letterhead-preview" in body
        assert 'name="document_number_format"' in body
        assert reverse("dashboard") in body

    def test_hr_staff_change_the_letterhead_and_the_next_print_carries_it(
        self, client, hr, organisation
    ):
        client.force_login(hr)
        upload = SimpleUploadedFile("lambang.png", png(), content_type="image/png")
        response = client.post(URL, {**fields(), "logo": upload}, follow=True)
        assert response.redirect_chain == [(URL, 302)]
        assert "tersimpan" in response.content.decode()  # the success message, in Indonesian
        organisation.refresh_from_db()
        assert organisation.name == "Pemerintah Kota Banjarbaru"
        assert organisation.logo.name.startswith("organisation/")

        cohort = DepartureCeremonyFactory().cohort
        data = ceremony_pack.pack_data(cohort)
        numbers = {"roster": "001/DP-PLP", "sign_in": "001/DH-PLP", "handover": "001/BAST-PLP"}
        content = ceremony_pack.render_pack(data, numbers)
        text = pdf_text(content)
        assert "PEMERINTAH KOTA BANJARBARU" in text
        assert "BADAN KEPEGAWAIAN" in text
        assert "Jalan Panglima Batur No. 1, Banjarbaru 70711" in text
        assert "Telp. (0511) 4772500" in text
        assert "bkpsdm@banjarbarukota.go.id" in text
        assert "https://bkpsdm.banjarbarukota.go.id" in text
        assert "Banjarmasin" not in text.split("DAFTAR PESERTA")[0]  # the old name is gone
        first = PdfReader(io.BytesIO(content)).pages[0]
        assert len(first.images) >= 1  # the crest

    def test_the_first_save_creates_the_letterhead(self, client, hr):
        client.force_login(hr)
        client.post(URL, fields())
        assert Organisation.current().name == "Pemerintah Kota Banjarbaru"

    def test_each_change_is_kept_with_who_made_it_and_shown(self, client, hr, organisation):
        client.force_login(hr)
        client.post(URL, fields())
        client.post(URL, fields(phone="(0511) 999"))
        records = list(organisation.history.order_by("history_id"))
        assert len(records) == 3  # created, then two changes
        assert [r.history_user for r in records[1:]] == [hr, hr]
        assert records[-1].phone == "(0511) 999"
        body = client.get(URL).content.decode()
        assert body.count("<tr>") >= 4  # header and three rows
        assert "telepon" in body.lower()

    def test_the_form_links_the_current_crest_through_the_checked_download(
        self, client, hr, organisation
    ):
        organisation.logo.save("lambang.png", ContentFile(png()))
        client.force_login(hr)
        body = client.get(URL).content.decode()
        assert f'<a href="{CREST_URL}">lambang' in body
        assert f'<img src="{CREST_URL}?v=' in body  # the preview
        assert "organisation/lambang" not in body  # no link to the stored file's path

    def test_saving_without_a_change_writes_no_history(self, client, hr, organisation):
        client.force_login(hr)
        client.post(URL, fields(), follow=True)
        response = client.post(URL, fields(), follow=True)
        assert organisation.history.count() == 2
        body = response.content.decode()
        assert "Tidak ada yang diubah." in body and "tersimpan" not in body

    def test_a_jpeg_crest_is_accepted_and_served_back(self, client, hr, organisation):
        client.force_login(hr)
        upload = SimpleUploadedFile("lambang.jpg", jpeg(), content_type="image/jpeg")
        client.post(URL, {**fields(), "logo": upload})
        response = client.get(CREST_URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")

    def test_the_crest_can_be_removed(self, client, hr, organisation):
        organisation.logo.save("lambang.png", ContentFile(png()))
        client.force_login(hr)
        client.post(URL, {**fields(), "logo-clear": "on"})
        organisation.refresh_from_db()
        assert not organisation.logo
        assert client.get(CREST_URL).status_code == 404


class TestRefusals:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("lambang.svg", SVG, "SVG"),
            ("lambang.png", SVG, "SVG"),
            ("lambang.png", b"This is a text file, not a picture.\n", "PNG atau JPEG"),
            ("lambang.jpg", png(), "tidak sesuai"),
            ("lambang.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "tidak dapat dibaca"),
        ],
    )
    def test_a_crest_that_is_not_a_png_or_jpeg_is_refused_with_a_message(
        self, client, hr, organisation, name, content, message
    ):
        client.force_login(hr)
        upload = SimpleUploadedFile(name, content, content_type="image/png")
        response = client.post(URL, {**fields(), "logo": upload})
        assert response.status_code == 200
        assert message in response.content.decode()
        organisation.refresh_from_db()
        assert organisation.name == "Pemerintah Kota Banjarmasin" and not organisation.logo
        assert organisation.history.count() == 1

    def test_a_crest_over_the_size_limit_is_refused(self, client, hr, organisation):
        client.force_login(hr)
        big = png() + b"\x00" * MAX_IMAGE_BYTES
        upload = SimpleUploadedFile("lambang.png", big, content_type="image/png")
        response = client.post(URL, {**fields(), "logo": upload})
        assert "batasnya" in response.content.decode()
        organisation.refresh_from_db()
        assert not organisation.logo

    @pytest.mark.parametrize("pattern", ["{seq}/{nomor}/{year}", "{code}/{year}", "{seq:zz}"])
    def test_a_number_format_with_unknown_or_missing_placeholders_is_refused(
        self, client, hr, organisation, pattern
    ):
        client.force_login(hr)
        response = client.post(URL, fields(document_number_format=pattern))
        assert response.status_code == 200
        assert "{seq}" in response.content.decode()
        organisation.refresh_from_db()
        assert organisation.document_number_format == "{seq:03d}/{code}/{year}"

    @pytest.mark.parametrize(
        "pattern",
        [
            "{seq:>999999}",  # a megabyte a number
            "{seq:>999999999999}",  # gigabytes, allocated while the format was tried
            "{seq:_^150}/{code}",  # longer than a stored number may be
            "{seq:03d}/" + "X" * 120,
            "{seq:c}",  # a control character
            "{code:03d}/{seq}",
            "{seq:%}",
            "{seq!r}/{code!a}",
        ],
    )
    def test_a_number_format_that_would_make_odd_or_overlong_numbers_is_refused(
        self, client, hr, organisation, pattern
    ):
        client.force_login(hr)
        response = client.post(URL, fields(document_number_format=pattern))
        assert response.status_code == 200
        assert "{seq:03d}; " in html.unescape(response.content.decode())
        organisation.refresh_from_db()
        assert organisation.document_number_format == "{seq:03d}/{code}/{year}"

    @pytest.mark.parametrize("pattern", ["{seq:04d}/{code}/{month:02d}/{year}", "{seq}-{code}"])
    def test_a_number_format_with_plain_widths_is_kept(self, client, hr, organisation, pattern):
        client.force_login(hr)
        client.post(URL, fields(document_number_format=pattern))
        organisation.refresh_from_db()
        assert organisation.document_number_format == pattern

    def test_the_name_is_required(self, client, hr, organisation):
        client.force_login(hr)
        response = client.post(URL, fields(name=""))
        assert response.status_code == 200 and "is-invalid" in response.content.decode()


class TestAccess:
    @pytest.mark.parametrize("role", ["coordinator", "leadership", "instructor", "outsider"])
    def test_other_roles_may_not_open_or_change_it(self, client, organisation, role, request):
        organisation.logo.save("lambang.png", ContentFile(png()))
        client.force_login(request.getfixturevalue(role))
        assert client.get(URL).status_code == 403
        assert client.post(URL, fields()).status_code == 403
        assert client.get(CREST_URL).status_code == 403
        organisation.refresh_from_db()
        assert organisation.name == "Pemerintah Kota Banjarmasin"

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, organisation):
        assert client.get(URL)["Location"].startswith(reverse("login"))
        assert client.get(CREST_URL)["Location"].startswith(reverse("login"))

    def test_the_navbar_links_it_for_those_who_may_edit_it(
        self, client, hr, coordinator, admin_user
    ):
        for user, shown in [(hr, True), (admin_user, True), (coordinator, False)]:
            client.force_login(user)
            assert (f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()) is shown

    def test_the_crest_download_takes_a_get(self, client, hr, organisation):
        client.force_login(hr)
        assert client.post(CREST_URL).status_code == 405

    def test_the_admin_shows_the_history(self, client, admin_user, organisation):
        client.force_login(admin_user)
        url = reverse("admin:delegation_organisation_history", args=[organisation.pk])
        assert client.get(url).status_code == 200


class TestPrinting:
    def test_the_crest_is_read_from_the_storage_as_data(self, organisation):
        organisation.logo.save("lambang.png", ContentFile(png()))
        assert letterhead()["logo"].startswith("data:image/png;base64,")

    def test_a_crest_missing_from_the_storage_prints_nothing(self, organisation):
        organisation.logo.save("lambang.png", ContentFile(png()))
        organisation.logo.storage.delete(organisation.logo.name)
        assert letterhead()["logo"] == ""

    def test_without_an_organisation_the_letterhead_is_empty(self, db):
        assert set(letterhead().values()) == {""}

    def test_the_demo_crest_is_a_small_png_shield(self):
        content = placeholder_crest_png()
        assert content.startswith(b"\x89PNG") and len(content) < 60_000
        with Image.open(io.BytesIO(content)) as image:
            assert image.size == (240, 240)
            assert image.getpixel((2, 2))[3] == 0  # transparent corners: a shape, not a box
            assert image.getpixel((120, 120))[3] == 255
