"""The participant list: filters, search (by number too), export, counts
(``participants/views/lists.py``)."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from delegation.models import AuditEvent
from delegation.roles import Role
from participants.models import Participant
from participants.services import participants_search
from tests.factories import CohortFactory, ParticipantFactory, UserFactory
from tests.pages import messages_of
from tests.participants.data import ids, listed

pytestmark = pytest.mark.django_db


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

    def test_the_audit_line_counts_a_broad_nik_prefix_no_further_than_the_bound(
        self, client, hr, monkeypatch
    ):
        monkeypatch.setattr("participants.services.NIK_COUNT_BOUND", 2)
        people = [ParticipantFactory(nik=f"63710101019{n}0001") for n in range(3)]
        client.force_login(hr)
        self.search(client, "637101")
        self.search(client, people[0].nik)
        assert list(AuditEvent.objects.order_by("at", "pk").values_list("detail", flat=True)) == [
            "NIK-like search: more than 2 matched",
            "NIK-like search: 1 matched",
        ]

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
