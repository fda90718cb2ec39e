"""The regency/city pickers: typed as a name or a code, suggested as one types, the
organisation's own province first (whatever province that is)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from delegation.models import Organisation
from participants.forms import ParticipantForm
from participants.models import Participant, Region
from tests.factories import ParticipantFactory, make_nik

SEARCH = reverse("participants:regency_search")
HTMX = {"HX-Request": "true"}


def office_in(province_code: str) -> Organisation:
    organisation, _created = Organisation.objects.update_or_create(
        pk=Organisation.SINGLE_ROW_ID,
        defaults={"name": "Pemerintah Kota Contoh", "province_code": province_code},
    )
    return organisation


def codes(regions) -> list[str]:
    return [region.code for region in regions]


@pytest.mark.django_db
class TestSearch:
    def test_the_offices_own_province_comes_first(self):
        office_in("63")
        found = codes(Region.objects.search("banjar", province_first="63"))
        assert found[:3] == ["63.03", "63.71", "63.72"]
        assert set(found[3:]) == {"32.79", "33.04"}

    def test_another_office_sees_its_own_province_first(self):
        found = codes(Region.objects.search("banjar", province_first="32"))
        assert found[0] == "32.79"

    def test_names_that_begin_with_the_text_come_before_names_that_hold_it(self):
        assert codes(Region.objects.search("kota banjar")) == ["32.79", "63.71", "63.72"]
        assert codes(Region.objects.search("Kab. Banjar")) == ["63.03", "33.04"]
        assert codes(Region.objects.search("sungai")) == ["15.72", "63.06", "63.07", "63.08"]
        # The office's province still comes before a name that begins with the text.
        assert codes(Region.objects.search("sungai", province_first="63"))[-1] == "15.72"

    def test_a_code_with_or_without_its_dot_finds_the_regency(self):
        assert codes(Region.objects.search("63.7")) == ["63.71", "63.72"]
        assert codes(Region.objects.search("6371")) == ["63.71"]

    def test_nothing_typed_lists_the_offices_province(self):
        found = codes(Region.objects.search("", province_first="63"))
        assert len(found) == 13
        assert all(code.startswith("63.") for code in found)


@pytest.mark.django_db
class TestSearchView:
    def test_htmx_gets_the_datalist_options_read_from_the_pickers_own_name(self, client, hr):
        office_in("63")
        client.force_login(hr)
        response = client.get(
            SEARCH, {"field": "ktp_regency", "ktp_regency": "banjar"}, headers=HTMX
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        options = [line for line in html.splitlines() if line.startswith("<option")]
        assert options[0] == '<option value="Kabupaten Banjar (63.03)">Kalimantan Selatan</option>'
        assert len(options) == 5
        assert 'value="Kota Banjar (32.79)"' in options[3] + options[4]
        assert "HX-Request" in response["Vary"]

    def test_without_script_it_is_a_page_to_look_a_code_up(self, client, hr):
        client.force_login(hr)
        response = client.get(SEARCH, {"q": "banjarmasin"})
        assert response.status_code == 200
        assert response.templates[0].name == "participants/regency_search.html"
        assert [region.code for region in response.context["regions"]] == ["63.71"]
        assert "<code>63.71</code>" in response.content.decode()

    def test_a_search_that_finds_nothing_says_so(self, client, hr):
        client.force_login(hr)
        response = client.get(SEARCH, {"q": "Atlantis"})
        assert (
            "Tidak ada kabupaten/kota yang sesuai dengan “Atlantis”." in response.content.decode()
        )

    def test_a_long_list_is_cut_and_says_how_to_narrow_it(self, client, hr):
        client.force_login(hr)
        response = client.get(SEARCH, {"q": "kabupaten"})
        assert len(response.context["regions"]) == 50
        assert response.context["more"] is True

    def test_only_those_who_enter_participants_use_it(self, client, coordinator, instructor):
        for user in (coordinator, instructor):
            client.force_login(user)
            assert client.get(SEARCH, {"q": "banjar"}).status_code == 403

    def test_it_answers_only_get(self, client, hr):
        client.force_login(hr)
        assert client.post(SEARCH, {"q": "banjar"}).status_code == 405


def person(**overrides) -> dict:
    birth = datetime.date(1998, 2, 18)
    data = {
        "full_name": "Siti Rahmah",
        "nik": make_nik(birth, "F", serial=41),
        "gender": "F",
        "birth_date": birth.isoformat(),
        "track": "worker",
        "origin": "Kota Banjarmasin (63.71)",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestPickerOnTheForm:
    @pytest.mark.parametrize(
        "typed", ["Kota Banjarmasin (63.71)", "63.71", "6371", "Banjarmasin", "kota banjarmasin"]
    )
    def test_a_regency_is_read_from_its_label_its_code_or_its_name(self, client, hr, typed):
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person(origin=typed))
        assert response.status_code == 302
        assert Participant.objects.get().origin.code == "63.71"

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("Banjar", "“Banjar” bisa berarti Kota Banjar (32.79) atau Kabupaten Banjar (63.03)"),
            ("99.99", "99.99 bukan kode kabupaten/kota yang dikenal."),
            ("Atlantis", "Atlantis bukan kabupaten/kota yang dikenal."),
        ],
    )
    def test_an_unclear_or_unknown_regency_is_explained_and_nothing_is_saved(
        self, client, hr, typed, message
    ):
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person(origin=typed))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["origin"])
        assert not Participant.objects.exists()
        # What was typed stays in the box, to be corrected.
        assert f'value="{typed}"' in response.content.decode()

    def test_the_form_offers_the_offices_province_before_anything_is_typed(self, client, hr):
        office_in("63")
        client.force_login(hr)
        response = client.get(reverse("participants:participant_create"))
        html = response.content.decode()
        datalist = html[html.index('<datalist id="regency-options">') :]
        datalist = datalist[: datalist.index("</datalist>")]
        assert datalist.count("<option") == 13
        assert 'value="Kota Banjarmasin (63.71)"' in datalist
        for name in ("origin", "ktp_regency", "domicile_regency"):
            assert f'name="{name}"' in html
            assert f"{SEARCH}?field={name}" in html
        assert html.count('list="regency-options"') == 3

    def test_an_edit_shows_the_stored_regency_and_keeps_it_unchanged(self, client, hr):
        siti = ParticipantFactory(origin=Region.objects.get(code="63.03"))
        form = ParticipantForm(instance=siti)
        assert form["origin"].value() == "Kabupaten Banjar (63.03)"
        data = {**form.initial, "origin": "Kabupaten Banjar (63.03)"}
        assert "origin" not in ParticipantForm(data, instance=siti).changed_data


@pytest.mark.django_db
class TestOfficeProvince:
    def test_hr_set_the_offices_province_on_the_letterhead_page(self, client, hr):
        client.force_login(hr)
        response = client.post(
            reverse("letterhead_edit"),
            {
                "name": "Pemerintah Kota Banjarmasin",
                "province_code": "63",
                "document_number_format": "{seq:03d}/{code}/{year}",
            },
        )
        assert response.status_code == 302
        assert Organisation.current_province_code() == "63"

    def test_a_province_code_is_two_digits(self, client, hr):
        client.force_login(hr)
        response = client.post(
            reverse("letterhead_edit"),
            {
                "name": "Pemerintah Kota Banjarmasin",
                "province_code": "6",
                "document_number_format": "{seq:03d}/{code}/{year}",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["province_code"] == [
            "Kode provinsi terdiri atas 2 angka, misalnya 63."
        ]
        assert Organisation.current_province_code() == ""


@pytest.mark.django_db
def test_the_list_filters_origins_list_the_offices_province_first(client, hr):
    office_in("63")
    for code in ("32.79", "63.71", "11.01"):
        ParticipantFactory(origin=Region.objects.get(code=code))
    client.force_login(hr)
    response = client.get(reverse("participants:participant_filters"))
    rows = response.context["filter"].form.fields["origin"].widget.rows
    assert [name for _pk, name in rows[1:]] == [
        "Kota Banjarmasin",
        "Kabupaten Aceh Selatan",
        "Kota Banjar",
    ]
