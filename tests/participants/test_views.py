import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from delegation.models import AuditEvent, Job
from delegation.roles import Role
from participants.models import Contact, Document, DocumentRequirement, DocumentType, Participant
from participants.services import participants_search
from tests.factories import (
    CohortFactory,
    DocumentFactory,
    ParticipantFactory,
    UserFactory,
    make_nik,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BIRTH = datetime.date(1998, 2, 18)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response) -> list[int]:
    """The ids of the participants on a list page, in their order."""
    return [row.pk for row in response.context["page"].object_list]


def ids(participants) -> list[int]:
    return [participant.pk for participant in participants]


def person_data(**overrides):
    data = {
        "full_name": "Hj. Siti Rahmah",
        "passport_surname": "rahmah",
        "passport_given_names": "siti",
        "name_katakana": "シティ・ラフマ",
        "nik": make_nik(BIRTH, "F"),
        "gender": "F",
        "birth_date": "1998-02-18",
        "birth_place": "Banjarmasin",
        "origin": _region("63.71"),
        "phone": "0812-3456-7890",
        "email": "siti@example.org",
        "education_level": "d3",
        "education_field": "Keperawatan",
        "occupation": "Care worker (kaigo)",
        "track": "worker",
        "culture_ambassador": "on",
    }
    data.update(overrides)
    return data


def _region(code):
    """A regency as its picker sends it: the label the suggestions write."""
    from participants.models import Region

    return Region.objects.get(code=code).label


class TestList:
    def test_a_search_is_posted_and_never_reaches_the_url(self, client, hr):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        ParticipantFactory(full_name="Budi", gender="M")
        client.force_login(hr)
        response = client.post(reverse("participants:participant_list"), {"q": siti.nik})
        assert response["Location"] == reverse("participants:participant_list")
        assert siti.nik not in response["Location"]
        assert listed(client.get(response["Location"])) == [siti.pk]
        client.post(reverse("participants:search_clear"))
        assert (
            client.get(reverse("participants:participant_list")).context["page"].paginator.count
            == 2
        )

    def test_a_coordinator_finds_a_person_by_participant_number_without_dashes(
        self, client, coordinator, assigned, cohort
    ):
        person = ParticipantFactory(cohort=cohort, participant_number="KAI-04-003")
        ParticipantFactory(cohort=cohort, participant_number="KAI-04-004")
        client.force_login(coordinator)
        response = client.post(reverse("participants:participant_list"), {"q": "kai04003"})
        assert listed(client.get(response["Location"])) == [person.pk]

    def test_it_filters_by_batch_status_track_and_gender(self, client, hr, cohort):
        placed = ParticipantFactory(cohort=cohort, status="in_training", track="scholarship")
        ParticipantFactory(gender="M")
        client.force_login(hr)
        url = reverse("participants:participant_list")

        def filtered(**params):
            return listed(client.get(url, params))

        assert filtered(cohort=cohort.pk) == [placed.pk]
        assert filtered(program=cohort.program.pk) == [placed.pk]
        assert filtered(status="in_training", track="scholarship", gender="F") == [placed.pk]

    @pytest.mark.parametrize("rows", [1, 50])
    def test_the_query_count_does_not_depend_on_the_page_size(
        self, client, hr, cohort, rows, django_assert_num_queries
    ):
        for _n in range(rows):
            ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        client.get(reverse("participants:participant_list"))  # warm the session
        with django_assert_num_queries(6):  # the page's rows (its ids a subquery); no drop-downs
            client.get(reverse("participants:participant_list"))
        # Filtered by batch: the chosen batch is looked up, and the drop-downs list theirs.
        with django_assert_num_queries(10):
            client.get(reverse("participants:participant_list"), {"cohort": cohort.pk})

    def test_pages_keep_people_of_the_same_name_in_one_order(self, client, hr):
        namesakes = [ParticipantFactory(full_name="Siti Rahmah") for _n in range(30)]
        ParticipantFactory(full_name="Ahmad Fauzan", gender="M")
        client.force_login(hr)
        url = reverse("participants:participant_list")
        first = client.get(url).context["page"].object_list
        second = listed(client.get(url, {"page": 2}))
        assert first[0].full_name == "Ahmad Fauzan"
        # By name, then in the order they were entered.
        assert ids(first[1:]) + second == ids(namesakes)
        assert listed(client.get(url, {"ordering": "-name", "page": 2}))[:-1] == ids(namesakes[25:])

    @pytest.mark.parametrize("ordering", ["", "-name", "number", "-status", "-created"])
    def test_every_page_holds_the_same_rows_read_from_either_end(self, client, hr, ordering):
        statuses = ["applicant", "selected", "in_training"]
        for n in range(130):  # six pages; names, statuses and blank numbers repeat
            ParticipantFactory(
                full_name=f"Peserta {n % 7}",
                participant_number=f"KAI-01-{n:03d}" if n % 3 else "",
                status=statuses[n % 3],
            )
        fields = {"": "full_name", "name": "full_name", "number": "participant_number"}
        fields |= {"status": "status", "created": "created_at"}
        field = fields[ordering.lstrip("-")]
        expected = ids(
            Participant.objects.order_by(f"-{field}" if ordering.startswith("-") else field, "pk")
        )
        client.force_login(hr)
        url = reverse("participants:participant_list")
        pages = [listed(client.get(url, {"ordering": ordering, "page": n})) for n in range(1, 7)]
        # Pages 4 to 6 are read from the other end: 5 is neither the middle nor the last.
        assert pages == [expected[start : start + 25] for start in range(0, 130, 25)]

    def test_the_filters_offer_batches_and_origins_and_keep_the_choice(self, client, hr, cohort):
        ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        html = client.get(
            reverse("participants:participant_list"), {"cohort": cohort.pk}
        ).content.decode()
        with translation.override("id"):
            assert f'<option value="{cohort.pk}" selected>{cohort}</option>' in html
        assert re.search(r'<select[^>]* name="program"[^>]*><option value="" selected>', html)
        assert re.search(r'<select[^>]* name="cohort"[^>]*><option value="">', html)
        assert ">Kota Banjarmasin</option>" in html  # where someone comes from
        assert ">Kabupaten Tabalong</option>" not in html  # where nobody does

    def test_the_closed_filter_panel_is_filled_when_first_opened(self, client, hr, cohort):
        ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        url = reverse("participants:participant_list")
        filters_url = reverse("participants:participant_filters")
        for params in ({}, {"page": "1"}):
            html = client.get(url, params).content.decode()
            assert f'hx-get="{filters_url}" hx-trigger="toggle once"' in html
            assert "<select" not in html and '<details class="card card-body mb-3" open' not in html
            assert 'href="?filters=1"' in html  # without scripts, a link draws it in the page
        fragment = client.get(filters_url).content.decode()
        with translation.override("id"):
            assert f'<option value="{cohort.pk}">{cohort}</option>' in fragment
        assert '<select class="form-select" id="id_status" name="status">' in fragment
        for params in ({"filters": "1"}, {"track": "worker"}):
            html = client.get(url, params).content.decode()
            assert '<details class="card card-body mb-3" open>' in html
            assert f'<option value="{cohort.pk}">' in html and "hx-get" not in html

    def test_a_row_shows_number_name_batch_status_track_and_origin(self, client, hr, cohort):
        siti = ParticipantFactory(
            cohort=cohort, participant_number="KAI-04-001", status="in_training"
        )
        client.force_login(hr)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(reverse("participants:participant_list")).content.decode()
        row = re.search(r"<tr>\s*<td[^>]*>KAI-04-001</td>(.*?)</tr>", html, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        with translation.override("en"):
            assert cells == [
                siti.full_name,
                str(cohort),
                "In training",
                siti.get_track_display(),
                siti.origin.name,
            ]
        assert f'href="{siti.get_absolute_url()}"' in row

    def test_a_wrong_filter_value_is_marked_and_explained(self, client, hr):
        client.force_login(hr)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("participants:participant_list"), {"status": "bogus"})
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r'<select[^>]*class="form-select is-invalid"[^>]*id="id_status"', html)
        assert re.search(
            r'<div id="id_status_error" class="invalid-feedback">Select a valid choice\. bogus ',
            html,
        )
        assert re.search(r'<select class="form-select" id="id_track"', html)  # the others not

    def test_sorting_is_offered_in_the_pages_language(self, client, hr):
        client.force_login(hr)
        url = reverse("participants:participant_list")
        html = client.get(url, {"ordering": "-name"}).content.decode()
        assert '<option value="-name" selected>Nama (menurun)</option>' in html
        assert "descending" not in html
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(url, {"ordering": "-name"}).content.decode()
        assert '<option value="-name" selected>Name (descending)</option>' in html
        assert "menurun" not in html

    def test_each_row_shows_its_labels_in_the_language_of_the_page(self, client, hr):
        cohort = CohortFactory(number=4, year=2025)
        siti = ParticipantFactory(
            full_name="Siti Rahmah",
            participant_number="KAI-04-001",
            cohort=cohort,
            status="in_training",
            track="scholarship",
        )
        ParticipantFactory(full_name="Zaitun", cohort=None, anonymised_at=timezone.now())
        client.force_login(hr)
        url = reverse("participants:participant_list")
        cells = re.findall(r"<td[^>]*>(.*?)</td>", client.get(url).content.decode())
        link = f'<a href="{reverse("participant_profile", args=[siti.pk])}">Siti Rahmah</a>'
        assert cells[:6] == [
            "KAI-04-001",
            link,
            "Angkatan IV (2025)",
            "Dalam pelatihan",
            "Penerima Beasiswa",
            "Kota Banjarmasin",
        ]
        assert cells[6:9] == ["—", cells[7], "—"]  # no number, no batch
        assert cells[7].endswith('<span class="badge text-bg-dark">Dianonimkan</span>')
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        cells = re.findall(r"<td[^>]*>(.*?)</td>", client.get(url).content.decode())
        assert cells[2:5] == ["Batch IV (2025)", "In training", "Scholarship recipient"]
        assert cells[7].endswith('<span class="badge text-bg-dark">Anonymised</span>')

    def test_a_coordinator_lists_only_their_programmes_participants(
        self, client, assigned, coordinator, cohort, other_program
    ):
        mine = ParticipantFactory(cohort=cohort)
        ParticipantFactory(cohort=CohortFactory(program=other_program))
        client.force_login(coordinator)
        assert listed(client.get(reverse("participants:participant_list"))) == [mine.pk]

    def test_a_user_without_a_role_is_refused(self, client, outsider):
        client.force_login(outsider)
        assert client.get(reverse("participants:participant_list")).status_code == 403


class TestSearchByNumber:
    """The NIK prefix oracle: a search by number finds people only for those who may reveal
    it, is logged without its digits, and is limited per user and minute."""

    def search(self, client, text):
        client.post(reverse("participants:participant_list"), {"q": text})
        return client.get(reverse("participants:participant_list"))

    def test_an_instructor_cannot_tell_a_nik_by_watching_who_stays_in_the_list(
        self, client, assigned, cohort, instructor
    ):
        siti = ParticipantFactory(full_name="Siti Rahmah", cohort=cohort)
        client.force_login(instructor)
        assert listed(client.get(reverse("participants:participant_list"))) == [siti.pk]
        for length in (6, 8, 10, 12, 16):
            assert listed(self.search(client, siti.nik[:length])) == [], length
        assert listed(self.search(client, "rahmah")) == [siti.pk]

    def test_hr_still_finds_a_person_by_nik_prefix(self, client, hr):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        ParticipantFactory(full_name="Budi", gender="M")
        client.force_login(hr)
        assert listed(self.search(client, siti.nik[:12])) == [siti.pk]

    def test_each_search_that_looks_like_a_nik_is_logged_without_its_digits(self, client, hr):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        client.force_login(hr)
        self.search(client, "rahmah")
        self.search(client, "12345")  # five digits: not a NIK
        assert not AuditEvent.objects.exists()
        self.search(client, siti.nik[:8])
        self.search(client, "999999")
        events = list(AuditEvent.objects.order_by("at", "pk"))
        assert [(e.action, e.actor, e.detail) for e in events] == [
            (AuditEvent.Action.SEARCH, hr, "NIK-like search: 1 matched"),
            (AuditEvent.Action.SEARCH, hr, "NIK-like search: 0 matched"),
        ]
        assert all(siti.nik[:6] not in e.subject_repr + e.detail for e in events)

    def test_a_search_by_number_beyond_the_limit_is_refused_with_a_message(
        self, client, hr, settings
    ):
        settings.NIK_SEARCH_LIMIT = 3
        siti = ParticipantFactory(full_name="Siti Rahmah")
        client.force_login(hr)
        url = reverse("participants:participant_list")
        for _ in range(3):
            assert listed(self.search(client, siti.nik)) == [siti.pk]
        response = client.post(url, {"q": siti.nik}, follow=True)
        assert response.status_code == 200
        assert listed(response) == []
        assert messages_of(response) == [
            "Terlalu banyak pencarian dengan nomor: paling banyak 3 per menit. "
            "Tunggu satu menit, lalu cari lagi."
        ]
        assert siti.nik not in response.content.decode()
        # A name search is not limited, and ends the refusal.
        assert listed(self.search(client, "siti")) == [siti.pk]
        assert AuditEvent.objects.filter(detail__contains="refused").count() == 1

    def test_the_limit_is_counted_per_user(self, client, hr, settings):
        settings.NIK_SEARCH_LIMIT = 1
        other = UserFactory(username="hr-2", role=Role.HR_STAFF)
        siti = ParticipantFactory()
        client.force_login(hr)
        self.search(client, siti.nik)
        assert listed(self.search(client, siti.nik)) == []
        client.force_login(other)
        assert listed(self.search(client, siti.nik)) == [siti.pk]

    def test_without_a_cache_to_count_in_a_search_by_number_is_still_logged(self, hr, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            }
        }
        siti = ParticipantFactory()
        assert list(participants_search(user=hr, text=siti.nik)) == [siti]
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).count() == 1


class TestExport:
    def test_hr_staff_export_csv_unmasked_and_it_is_logged(self, client, hr):
        siti = ParticipantFactory(full_name="Siti")
        client.force_login(hr)
        response = client.get(reverse("participants:participant_export", args=["csv"]))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][1:3] == ["Siti", siti.nik]
        event = AuditEvent.objects.get(action="export")
        assert "unmasked" in event.detail and siti.nik not in event.detail

    def test_an_instructor_reads_the_list_but_takes_no_export(
        self, client, assigned, instructor, cohort
    ):
        ParticipantFactory(cohort=cohort)
        client.force_login(instructor)
        listing = client.get(reverse("participants:participant_list"))
        assert listing.status_code == 200 and len(listing.context["page"].object_list) == 1
        assert "/participants/export." not in listing.content.decode()
        for fmt in ("csv", "xlsx"):
            url = reverse("participants:participant_export", args=[fmt])
            assert client.get(url).status_code == 403
        assert not AuditEvent.objects.filter(action="export").exists()

    def test_a_coordinators_xlsx_is_masked(self, client, assigned, coordinator, cohort):
        siti = ParticipantFactory(cohort=cohort, phone="+6281234567890")
        client.force_login(coordinator)
        response = client.get(reverse("participants:participant_export", args=["xlsx"]))
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for cell in sheet[2]]
        assert siti.nik not in values
        assert values[2] == siti.nik[:4] + "•" * 10 + siti.nik[-2:]
        assert values[4] == "••-••-1998"
        assert values[9] == "0812-••••-7890"
        event = AuditEvent.objects.get(action="export")
        assert (event.actor, event.detail) == (coordinator, "participants.xlsx: 1 rows, masked")

    def test_the_export_follows_the_filters(self, client, hr, cohort):
        ParticipantFactory(cohort=cohort, full_name="In batch")
        ParticipantFactory(full_name="Not placed")
        client.force_login(hr)
        url = reverse("participants:participant_export", args=["csv"])
        content = client.get(url, {"cohort": cohort.pk}).content.decode("utf-8-sig")
        assert "In batch" in content and "Not placed" not in content

    def test_an_unknown_format_is_404(self, client, hr):
        client.force_login(hr)
        assert client.get("/participants/export.pdf").status_code == 404


class TestCreateAndEdit:
    def test_hr_staff_register_a_participant_in_a_batch(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_create"), person_data(cohort=cohort.pk)
        )
        siti = Participant.objects.get()
        assert response["Location"] == siti.get_absolute_url()
        assert (siti.passport_surname, siti.passport_given_names) == ("RAHMAH", "SITI")
        assert siti.phone == "+6281234567890"
        assert siti.participant_number == "KAI-04-001"
        assert siti.full_name == "Hj. Siti Rahmah"

    def test_a_full_batch_refuses_a_new_participant_with_its_quota(self, client, hr, cohort):
        cohort.quota = 1
        cohort.save()
        ParticipantFactory().place(cohort)
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_create"), person_data(cohort=cohort.pk)
        )
        assert response.status_code == 200
        assert "Angkatan IV sudah penuh: kuota 1 peserta." in response.content.decode()
        assert not Participant.objects.filter(full_name="Hj. Siti Rahmah").exists()

    def test_same_as_the_ktp_address_copies_it_to_the_domicile_on_save(self, client, hr):
        client.force_login(hr)
        client.post(
            reverse("participants:participant_create"),
            person_data(
                ktp_street="Jl. Pramuka No. 12",
                ktp_rt_rw="004/002",
                ktp_village="Pemurus Luar",
                ktp_district="Banjarmasin Timur",
                ktp_regency=_region("63.71"),
                ktp_postal_code="70238",
                domicile_street="ignored",
                domicile_rt_rw="bad",
                domicile_same_as_ktp="on",
            ),
        )
        siti = Participant.objects.get()
        assert [
            getattr(siti, f"domicile_{part}") for part in ("street", "rt_rw", "postal_code")
        ] == [
            "Jl. Pramuka No. 12",
            "004/002",
            "70238",
        ]
        assert (siti.domicile_village, siti.domicile_district) == (
            "Pemurus Luar",
            "Banjarmasin Timur",
        )
        assert siti.domicile_regency.code == "63.71"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"nik": "637101580298001"}, "nik"),
            ({"nik": "9971015802980001"}, "nik"),
            ({"name_katakana": "Siti"}, "name_katakana"),
            ({"phone": "12"}, "phone"),
            ({"origin": ""}, "origin"),
        ],
    )
    def test_bad_input_gets_a_message_and_saves_nothing(self, client, hr, overrides, field):
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person_data(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Participant.objects.exists()

    def test_an_inconsistent_nik_needs_a_written_reason(self, client, hr):
        client.force_login(hr)
        wrong_day = person_data(nik=make_nik(BIRTH, "M"))  # a woman's NIK without the +40
        response = client.post(reverse("participants:participant_create"), wrong_day)
        errors = response.context["form"].errors
        assert "dinaikkan 40" in errors["nik"][0]
        assert "nik_reason" in errors
        assert not Participant.objects.exists()

        wrong_day["nik_reason"] = (
            "KTP lama diterbitkan dengan kode laki-laki; sudah dicek Disdukcapil."
        )
        client.post(reverse("participants:participant_create"), wrong_day)
        siti = Participant.objects.get()
        assert siti.nik_reason.startswith("KTP lama")
        page = client.get(siti.get_absolute_url()).content.decode()
        assert "KTP lama diterbitkan" in page

    def test_a_possible_duplicate_is_pointed_out(self, client, hr):
        ParticipantFactory(full_name="Hj. Siti Rahmah", nik=make_nik(BIRTH, "F", serial=7))
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person_data())
        assert any("duplikat" in m.lower() for m in messages_of(response))

    def test_an_exe_renamed_as_a_photo_is_refused(self, client, hr):
        client.force_login(hr)
        fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00\x03" + b"\x00" * 100)
        response = client.post(
            reverse("participants:participant_create"), {**person_data(), "photo": fake}
        )
        assert "photo" in response.context["form"].errors
        assert not Participant.objects.exists()

    def test_a_coordinator_may_not_register_participants(self, client, assigned, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("participants:participant_create")).status_code == 403

    def test_hr_staff_correct_a_participant(self, client, hr):
        siti = ParticipantFactory(full_name="Siti", nik=make_nik(BIRTH, "F"))
        client.force_login(hr)
        client.post(
            reverse("participants:participant_edit", args=[siti.pk]),
            person_data(full_name="Siti Rahmah"),
        )
        siti.refresh_from_db()
        assert siti.full_name == "Siti Rahmah"
        assert siti.history.count() == 2


class TestMovesAndTransfers:
    def test_the_status_page_offers_only_the_allowed_moves(self, client, hr):
        participant = ParticipantFactory(status="in_training")
        client.force_login(hr)
        response = client.get(reverse("participants:participant_move", args=[participant.pk]))
        choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
        assert choices == ["postponed", "withdrawn"]

    def test_withdrawing_without_a_reason_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        response = client.post(url, {"to_status": "withdrawn", "effective_date": "2026-11-01"})
        assert response.context["form"].non_field_errors()
        participant.refresh_from_db()
        assert participant.status == "applicant"

    def test_a_move_is_recorded(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        client.post(url, {"to_status": "selected", "effective_date": "2026-11-01"})
        participant.refresh_from_db()
        assert participant.status == "selected"
        assert participant.status_changes.get().recorded_by == hr

    def test_a_future_effective_date_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        response = client.post(url, {"to_status": "selected", "effective_date": "2999-01-01"})
        assert "effective_date" in response.context["form"].errors

    def test_a_move_into_a_full_batch_is_refused_with_its_quota(self, client, hr, cohort):
        participant = ParticipantFactory(status="in_training")
        participant.place(cohort)
        later = CohortFactory(program=cohort.program, number=5, quota=1)
        ParticipantFactory().place(later)
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_transfer", args=[participant.pk]),
            {"cohort": later.pk, "effective_date": "2026-11-01", "reason": "Ditunda"},
        )
        assert "Angkatan V sudah penuh: kuota 1 peserta." in response.content.decode()
        participant.refresh_from_db()
        assert participant.cohort == cohort

    def test_hr_staff_move_a_participant_to_another_batch(self, client, hr, cohort):
        participant = ParticipantFactory(status="in_training")
        participant.place(cohort)
        later = CohortFactory(program=cohort.program, number=5)
        client.force_login(hr)
        client.post(
            reverse("participants:participant_transfer", args=[participant.pk]),
            {"cohort": later.pk, "effective_date": "2026-11-01", "reason": "Ditunda"},
        )
        participant.refresh_from_db()
        assert participant.cohort == later
        assert participant.status_changes.get().kind == "transfer"


class TestContactsAndDocuments:
    def contact_data(self, *rows):
        data = {
            "contacts-TOTAL_FORMS": str(len(rows)),
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"contacts-{index}-{key}"] = value
        return data

    def test_contacts_are_saved_with_one_heir(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        client.post(
            reverse("participants:participant_contacts", args=[participant.pk]),
            self.contact_data(
                {
                    "relation": "mother",
                    "name": "Ibu Aminah",
                    "phone": "081298765432",
                    "is_heir": "on",
                },
                {"relation": "father", "name": "Bapak Hasan", "is_emergency": "on"},
            ),
        )
        assert participant.contacts.get(is_heir=True).name == "Ibu Aminah"
        assert participant.contacts.get(is_emergency=True).name == "Bapak Hasan"

    def test_two_heirs_are_refused_and_nothing_saved(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_contacts", args=[participant.pk]),
            self.contact_data(
                {"relation": "mother", "name": "Ibu", "is_heir": "on"},
                {"relation": "spouse", "name": "Suami", "is_heir": "on"},
            ),
        )
        assert response.context["formset"].non_form_errors()
        assert not Contact.objects.exists()

    def test_a_document_is_uploaded_with_its_handler(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        passport = DocumentType.objects.get(code="passport")
        client.post(
            reverse("participants:document_create", args=[participant.pk]),
            {
                "document_type": passport.pk,
                "number": "C1234567",
                "issued_on": "2025-01-01",
                "expires_on": "2030-01-01",
                "file": SimpleUploadedFile("paspor.pdf", PDF),
            },
        )
        document = Document.objects.get()
        assert (document.handled_by, document.number) == (hr, "C1234567")

    def test_an_exe_renamed_pdf_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:document_create", args=[participant.pk]),
            {
                "document_type": DocumentType.objects.get(code="ktp").pk,
                "file": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
            },
        )
        assert "file" in response.context["form"].errors
        assert not Document.objects.exists()

    def test_a_renewal_keeps_the_old_document(self, client, hr):
        old = DocumentFactory(expires_on=datetime.date(2026, 12, 1))
        client.force_login(hr)
        client.post(
            reverse("participants:document_renew", args=[old.pk]),
            {"number": "C7777777", "expires_on": "2036-12-01"},
        )
        new = Document.objects.get(replaces=old)
        assert new.document_type == old.document_type
        assert Document.objects.count() == 2

    def test_a_document_file_downloads_for_hr_only_and_is_logged(
        self, client, hr, assigned, coordinator, cohort
    ):
        document = DocumentFactory(participant=ParticipantFactory(cohort=cohort))
        document.file.save("paspor.pdf", SimpleUploadedFile("paspor.pdf", PDF))
        url = reverse("participants:document_file", args=[document.pk])
        client.force_login(coordinator)
        assert client.get(url).status_code == 403
        client.force_login(hr)
        response = client.get(url)
        assert b"".join(response.streaming_content) == PDF
        assert AuditEvent.objects.filter(action="download").count() == 1

    def test_the_programme_requirements_are_set_on_their_page(self, client, hr, program):
        client.force_login(hr)
        wanted = DocumentType.objects.filter(code__in=["passport", "medical"])
        client.post(
            reverse("participants:requirements", args=[program.slug]),
            {"document_types": [t.pk for t in wanted]},
        )
        assert set(
            DocumentRequirement.objects.filter(program=program).values_list(
                "document_type__code", flat=True
            )
        ) == {"passport", "medical"}

    def test_the_profile_shows_what_is_missing_before_departure(self, client, hr, cohort):
        participant = ParticipantFactory(cohort=cohort)
        DocumentRequirement.objects.create(
            program=cohort.program, document_type=DocumentType.objects.get(code="medical")
        )
        client.force_login(hr)
        response = client.get(participant.get_absolute_url())
        assert [t.code for t in response.context["missing_documents"]] == ["medical"]
        assert "Pemeriksaan Kesehatan (MCU)" in response.content.decode()


class TestProfile:
    def test_personal_data_is_masked_until_shown_and_showing_is_logged(self, client, hr):
        siti = ParticipantFactory(phone="+6281234567890")
        client.force_login(hr)
        page = client.get(siti.get_absolute_url()).content.decode()
        assert siti.nik not in page and "0812-3456-7890" not in page
        revealed = client.post(reverse("participant_reveal", args=[siti.pk])).content.decode()
        assert siti.nik in revealed and "0812-3456-7890" in revealed
        event = AuditEvent.objects.get(action="view_sensitive")
        assert (event.actor, event.subject_id) == (hr, str(siti.pk))

    def test_a_coordinator_cannot_reveal(self, client, assigned, coordinator, cohort):
        siti = ParticipantFactory(cohort=cohort)
        client.force_login(coordinator)
        assert client.get(siti.get_absolute_url()).status_code == 200
        assert client.post(reverse("participant_reveal", args=[siti.pk])).status_code == 403
        assert not AuditEvent.objects.exists()

    def test_revealing_takes_a_post(self, client, hr):
        siti = ParticipantFactory()
        client.force_login(hr)
        assert client.get(reverse("participant_reveal", args=[siti.pk])).status_code == 405

    def test_an_instructor_sees_names_but_no_documents_or_contacts(
        self, client, assigned, instructor, cohort
    ):
        siti = ParticipantFactory(cohort=cohort, full_name="Siti")
        DocumentFactory(participant=siti)
        client.force_login(instructor)
        response = client.get(siti.get_absolute_url())
        assert response.status_code == 200
        assert "Siti" in response.content.decode()
        assert response.context["documents"] == [] and response.context["contacts"] is None

    def test_a_possible_duplicate_is_shown_for_review(self, client, hr):
        first = ParticipantFactory(full_name="Siti Rahmah")
        second = ParticipantFactory(full_name="Siti Rahmah")
        client.force_login(hr)
        response = client.get(second.get_absolute_url())
        assert list(response.context["duplicates"]) == [first]

    def test_a_participant_out_of_scope_does_not_exist(self, client, assigned, coordinator):
        stranger = ParticipantFactory()
        client.force_login(coordinator)
        assert client.get(stranger.get_absolute_url()).status_code == 404

    def test_the_change_history_names_fields_but_not_personal_values(self, client, hr):
        siti = ParticipantFactory(full_name="Siti")
        old_nik = siti.nik
        siti.nik = make_nik(BIRTH, "F", serial=99)
        siti.full_name = "Siti Rahmah"
        siti.save()
        client.force_login(hr)
        response = client.get(siti.get_absolute_url())
        fields = response.context["changes"][0]["fields"]
        nik_change = next(f for f in fields if f["label"] == "NIK")
        assert nik_change["masked"] and old_nik not in response.content.decode()
        assert any(f["new"] == "Siti Rahmah" for f in fields)


class TestImportPages:
    def upload(self, client, content: bytes, name="peserta.csv", **extra):
        return client.post(
            reverse("participants:import_upload"),
            {"file": SimpleUploadedFile(name, content), **extra},
        )

    def csv(self, count: int) -> bytes:
        lines = ["full_name,nik,gender,birth_date,origin_regency,track"]
        for n in range(1, count + 1):
            lines.append(f"Peserta {n},{make_nik(BIRTH, 'F', serial=n)},P,1998-02-18,63.71,worker")
        return ("\n".join(lines) + "\n").encode()

    def test_a_preview_lists_bad_rows_and_saves_nothing(self, client, hr):
        client.force_login(hr)
        content = self.csv(2).replace(b"63.71,worker\n", b"Banjar,worker\n", 1)
        response = self.upload(client, content)
        assert response["Location"] == reverse("participants:import_preview")
        preview = client.get(response["Location"])
        assert not preview.context["result"].ok
        assert "Kabupaten Banjar" in preview.content.decode()
        assert client.post(reverse("participants:import_preview")).status_code == 200
        assert not Participant.objects.exists()

    def test_confirming_a_clean_file_imports_every_row(self, client, hr, cohort):
        client.force_login(hr)
        self.upload(client, self.csv(3), cohort=cohort.pk)
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 302
        assert cohort.participants.count() == 3
        assert AuditEvent.objects.filter(action="import").exists()

    def test_a_batch_filled_during_the_confirmation_is_refused_not_a_500(
        self, client, hr, cohort, monkeypatch
    ):
        cohort.quota = 1
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(2), cohort=cohort.pk)
        # The confirm step's check passed a moment before someone else took the places.
        monkeypatch.setattr("participants.views._quota_problem", lambda cohort, count: None)
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 200
        assert "Angkatan IV sudah penuh" not in response.content.decode()  # 1 place, 2 rows
        assert "hanya dapat menerima 1 peserta lagi" in response.content.decode()
        assert not cohort.participants.exists()
        assert not Job.objects.filter(kind="participant_import").exists()

    def test_confirming_past_the_quota_saves_nobody_until_hr_raise_it(self, client, hr, cohort):
        cohort.quota = 2
        cohort.save()
        client.force_login(hr)
        self.upload(client, self.csv(3), cohort=cohort.pk)
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Angkatan IV hanya dapat menerima 2 peserta lagi, bukan 3: kuota 2 peserta." in page
        assert reverse("cohorts:cohort_edit", args=[cohort.pk]) in page
        assert not cohort.participants.exists()
        client.post(
            reverse("cohorts:cohort_edit", args=[cohort.pk]),
            {"program": cohort.program.pk, "number": 4, "year": 2026, "quota": 3},
        )
        response = client.post(reverse("participants:import_preview"))
        assert response.status_code == 302
        assert cohort.participants.count() == 3

    def test_a_large_file_is_queued_on_a_job(
        self, client, hr, cohort, django_capture_on_commit_callbacks
    ):
        client.force_login(hr)
        self.upload(client, self.csv(201), cohort=cohort.pk)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("documents")
        job = Job.objects.get(kind="participant_import")
        job.refresh_from_db()
        assert job.status == "done"
        assert cohort.participants.count() == 201
        event = AuditEvent.objects.get(action="import")
        assert (event.actor, event.subject_id, event.detail) == (hr, str(job.pk), "201 rows queued")

    def test_a_large_file_is_checked_by_a_job_with_its_progress_on_the_page(
        self, client, hr, cohort, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.views.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8), cohort=cohort.pk)
        with monkeypatch.context() as request_only:
            request_only.setattr(
                "participants.views.importer.check_file",
                lambda *args, **kwargs: pytest.fail("checked in the web request"),
            )
            with django_capture_on_commit_callbacks(execute=True):
                waiting = client.get(reverse("participants:import_preview")).content.decode()
            assert 'hx-trigger="every 2s"' in waiting and 'hx-select="#import-check"' in waiting
            check = Job.objects.get(kind="participant_import_check")
            assert (check.status, check.params["rows"], check.params["error_count"]) == (
                "done",
                8,
                0,
            )
            done = client.get(reverse("participants:import_preview"))
            assert done.context["checked_ok"]
            assert 'hx-select="#import-check"' not in done.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("documents")
        assert cohort.participants.count() == 8
        assert Job.objects.get(kind="participant_import").status == "done"

    def test_a_large_files_problems_come_from_its_check_job(
        self, client, hr, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.views.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8).replace(b"63.71,worker\n", b"Banjar,worker\n", 1))
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("participants:import_preview"))
        page = client.get(reverse("participants:import_preview"))
        assert not page.context["checked_ok"]
        assert "Banjar" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("participants:import_preview"))
        assert not Participant.objects.exists()

    def test_a_large_files_check_lists_200_problems_and_counts_the_rest(
        self, client, hr, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("participants.views.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(230).replace(b",P,", b",X,"))
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("participants:import_preview"))
        page = client.get(reverse("participants:import_preview")).content.decode()
        assert page.count("Tulis L atau P") == 200
        assert "dan 30 lainnya" in page
        assert "Berkas memiliki 230 masalah" in page

    def test_a_large_file_with_the_broker_down_is_refused_plainly(
        self, client, hr, monkeypatch, settings
    ):
        from celery import current_app

        monkeypatch.setattr("participants.views.CHECK_IN_BACKGROUND_ROWS", 5)
        client.force_login(hr)
        self.upload(client, self.csv(8))
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        current_app.conf.task_always_eager = False
        response = client.get(reverse("participants:import_preview"), follow=True)
        assert "Pekerjaan latar belakang sedang tidak tersedia" in response.content.decode()
        assert not Job.objects.exists()

    def test_confirming_the_same_preview_twice_queues_one_import(self, client, hr, cohort):
        """A second tab (or a double click) still holds the preview the first confirmed."""
        client.force_login(hr)
        self.upload(client, self.csv(201), cohort=cohort.pk)
        preview = client.session["participant_import"]
        assert client.post(reverse("participants:import_preview"))["Location"] == reverse(
            "documents"
        )
        session = client.session
        session["participant_import"] = preview
        session.save()
        response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
            "Berkas ini sudah diimpor (atau sedang diimpor): tidak ada yang ditambahkan."
        )
        assert Job.objects.filter(kind="participant_import").count() == 1

    def test_a_preview_whose_file_was_just_imported_asks_for_a_new_upload(self, client, hr, cohort):
        client.force_login(hr)
        self.upload(client, self.csv(2), cohort=cohort.pk)
        default_storage.delete(client.session["participant_import"]["path"])
        response = client.post(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")
        assert not Participant.objects.exists()

    def test_the_corrected_file_is_offered_the_same_batch_and_replaces_the_bad_one(
        self, client, hr, cohort
    ):
        client.force_login(hr)
        bad = self.csv(2).replace(b"63.71,worker\n", b"Banjar,worker\n", 1)
        self.upload(client, bad, cohort=cohort.pk, historical="on")
        bad_path = client.session["participant_import"]["path"]
        form = client.get(reverse("participants:import_upload")).context["form"]
        assert form["cohort"].value() == cohort.pk
        assert form["historical"].value() is True
        self.upload(client, self.csv(2), cohort=cohort.pk)
        assert not default_storage.exists(bad_path)
        assert default_storage.exists(client.session["participant_import"]["path"])

    def test_the_first_upload_offers_no_batch(self, client, hr, cohort):
        client.force_login(hr)
        form = client.get(reverse("participants:import_upload")).context["form"]
        assert form["cohort"].value() is None

    def test_a_file_of_another_type_is_refused_at_upload(self, client, hr):
        client.force_login(hr)
        response = self.upload(client, b"%PDF-1.4", name="peserta.pdf")
        assert "file" in response.context["form"].errors

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "peserta.csv",
                b"full_name,nik\n" + b"x,1\n" * 50_001,
                "Berkas memiliki lebih dari 50.000 baris",
            ),
            (
                "peserta.csv",
                ",".join(f"c{n}" for n in range(61)).encode() + b"\n",
                "lebih dari 60 kolom",
            ),
            ("peserta.csv", "Siti Ra\u0127mah".encode("utf-16"), "tidak berformat UTF-8"),
            ("peserta.xlsx", b"PK\x03\x04 cut short", "bukan buku kerja XLSX"),
            ("peserta.xlsx", b"full_name,nik\n", "bukan buku kerja XLSX"),
        ],
        ids=["too-many-rows", "too-wide", "not-utf8", "truncated-xlsx", "not-a-zip"],
    )
    def test_a_file_past_the_bounds_or_unreadable_is_refused_at_upload_and_not_kept(
        self, client, hr, name, content, message
    ):
        client.force_login(hr)
        response = self.upload(client, content, name=name)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["file"])
        assert "participant_import" not in client.session
        assert not default_storage.exists("imports")
        assert not Participant.objects.exists()

    def test_a_tall_xlsx_that_declares_no_size_is_stopped_at_the_cap_by_the_preview(
        self, client, hr, tall_xlsx
    ):
        client.force_login(hr)
        response = self.upload(client, tall_xlsx, name="peserta.xlsx")
        assert response["Location"] == reverse("participants:import_preview")
        for _visit in range(2):
            page = client.get(reverse("participants:import_preview")).content.decode()
            assert "Berkas memiliki lebih dari 50.000 baris" in page
        assert client.post(reverse("participants:import_preview")).status_code == 200
        assert not Participant.objects.exists()
        assert not Job.objects.exists()

    def test_a_file_larger_than_20_mb_is_refused_at_upload(self, client, hr):
        client.force_login(hr)
        response = self.upload(client, b"x" * (20 * 2**20 + 1))
        assert "lebih besar dari 20 MB" in " ".join(response.context["form"].errors["file"])
        assert "participant_import" not in client.session

    def test_the_preview_lists_200_problems_and_counts_the_rest(self, client, hr):
        client.force_login(hr)
        content = self.csv(230).replace(b",P,", b",X,")
        self.upload(client, content)
        page = client.get(reverse("participants:import_preview")).content.decode()
        assert page.count("Tulis L atau P") == 200
        assert "dan 30 lainnya" in page
        assert "Berkas memiliki 230 masalah" in page

    def test_an_expired_upload_sends_the_user_back(self, client, hr):
        client.force_login(hr)
        response = client.get(reverse("participants:import_preview"))
        assert response["Location"] == reverse("participants:import_upload")

    def test_the_template_downloads(self, client, hr):
        client.force_login(hr)
        response = client.get(reverse("participants:import_template"))
        assert response.content.decode().startswith("full_name,nik,gender")

    def test_the_xlsx_template_downloads_from_the_import_page(self, client, hr):
        client.force_login(hr)
        page = client.get(reverse("participants:import_upload")).content.decode()
        assert reverse("participants:import_template_xlsx") in page
        response = client.get(reverse("participants:import_template_xlsx"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="template-peserta.xlsx"' in response["Content-Disposition"]
        assert response.content.startswith(b"PK")

    def test_the_preview_names_gender_and_track_in_the_pages_language(self, client, hr):
        client.force_login(hr)
        self.upload(client, self.csv(1))
        indonesian = client.get(reverse("participants:import_preview")).content.decode()
        assert "<td>Perempuan</td>" in indonesian and "<td>Tenaga Kerja</td>" in indonesian
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(reverse("participants:import_preview")).content.decode()
        assert "<td>Female</td>" in english and "<td>Worker</td>" in english
        assert "<td>F</td>" not in english and "<td>worker</td>" not in english

    def test_a_coordinator_may_not_import(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("participants:import_upload")).status_code == 403


class TestAdminSearch:
    @pytest.mark.parametrize("query", ["rahmah", "nik", "c7654321"])
    def test_the_admin_finds_by_name_nik_or_passport_number(self, client, admin_user, query):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        DocumentFactory(participant=siti, number="C7654321")
        ParticipantFactory(full_name="Budi Santoso", gender="M")
        client.force_login(admin_user)
        response = client.get(
            reverse("admin:participants_participant_changelist"),
            {"q": siti.nik if query == "nik" else query},
        )
        assert list(response.context["cl"].result_list) == [siti]


def test_counts_are_written_with_the_languages_thousands_separator(client, hr):
    Participant.objects.bulk_create(
        [ParticipantFactory.build(full_name=f"Peserta {n:04d}") for n in range(1001)]
    )
    client.force_login(hr)
    url = reverse("participants:participant_list")
    assert "1.001 peserta</p>" in client.get(url).content.decode()
    assert "1.001 peserta terdaftar" in client.get(reverse("dashboard")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "1,001 participants</p>" in client.get(url).content.decode()
