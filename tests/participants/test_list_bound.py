"""A searched or filtered participant list is counted no further than a bound: past it the page
says that more match and pages within the bound; everyone's list keeps its exact count from
the tally. A search by NIK is counted further and its matches are sorted apart
(``participants/listing.py``)."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import listing
from participants.listing import bounded_count, count_bound
from participants.models import Participant, ParticipantTally
from tests.conftest import require
from tests.factories import CohortFactory, ParticipantFactory
from tests.participants.data import ids, listed

pytestmark = pytest.mark.django_db
URL = "/participants/"
BOUND = 30


@pytest.fixture
def bound(monkeypatch):
    monkeypatch.setattr(listing, "COUNT_BOUND", BOUND)
    return BOUND


def named(count: int, name: str = "Siti Rahma", **fields) -> list[Participant]:
    """``count`` people called ``name`` and a number, created out of name order."""
    return [
        ParticipantFactory(full_name=f"{name} {(7 * n) % count:02d}", **fields)
        for n in range(count)
    ]


def by_name(people, reverse=False) -> list[int]:
    return ids(sorted(people, key=lambda p: (p.full_name, p.pk), reverse=reverse))


def search(client, text: str) -> None:
    client.post(URL, {"q": text})


class TestBoundedCount:
    def test_more_matches_than_the_bound_are_announced_and_paged_within_it(self, client, hr, bound):
        people = named(bound + 2)
        ParticipantFactory.create_batch(3)  # "Peserta n": not found
        client.force_login(hr)
        search(client, "rahma")
        response = client.get(URL)
        page = response.context["page"]
        assert page.paginator.more
        assert (page.paginator.count, page.paginator.num_pages) == (bound, 2)
        html = response.content.decode()
        assert "Lebih dari 30 peserta cocok." in html
        assert "persempit pencarian atau filter" in html
        assert "Ekspor tetap memuat semua peserta yang cocok." in html
        assert "Halaman 1 dari 2 halaman pertama" in html
        # Neither the bound nor the true number is given as a count.
        assert "30 peserta</p>" not in html and "32 peserta" not in html
        assert listed(response) == by_name(people)[:25]
        # The second page holds the rest within the bound, and offers no page after it.
        second = client.get(URL, {"page": 2})
        assert listed(second) == by_name(people)[25:bound]
        assert "page=3" not in second.content.decode()
        assert "Halaman 2 dari 2 halaman pertama" in second.content.decode()
        # A page asked for beyond the bound is the last page within it.
        assert listed(client.get(URL, {"page": 5})) == by_name(people)[25:bound]
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(URL).content.decode()
        assert "More than 30 participants match." in html
        assert "narrow the search or the filters" in html
        assert "Page 1 of the first 2" in html

    def test_as_many_as_the_bound_are_counted_exactly_and_paged_in_order(self, client, hr, bound):
        people = named(bound)
        client.force_login(hr)
        search(client, "rahma")
        response = client.get(URL)
        assert response.context["page"].paginator.count == bound
        assert not response.context["page"].paginator.more
        html = response.content.decode()
        assert "30 peserta</p>" in html and "Lebih dari" not in html
        assert "Halaman 1 dari 2</span>" in html
        # Every match counted, the pages are cut from all of them sorted, either way.
        for ordering, descending in (("name", False), ("-name", True)):
            pages = [client.get(URL, {"ordering": ordering, "page": n}) for n in (1, 2)]
            assert [listed(page) for page in pages] == [
                by_name(people, descending)[:25],
                by_name(people, descending)[25:],
            ], ordering

    def test_sorting_and_filters_still_apply_within_the_bound(self, client, hr, bound, cohort):
        people = named(bound + 2, cohort=cohort)
        elsewhere = named(3, cohort=CohortFactory())
        client.force_login(hr)
        search(client, "rahma")
        response = client.get(URL, {"ordering": "-name", "cohort": cohort.pk})
        assert response.context["page"].paginator.more
        assert listed(response) == by_name(people, reverse=True)[:25]
        second = client.get(URL, {"ordering": "-name", "cohort": cohort.pk, "page": 2})
        assert listed(second) == by_name(people, reverse=True)[25:bound]
        # Filtered to the other batch, the few are counted exactly, and sorted.
        response = client.get(URL, {"ordering": "-name", "cohort": elsewhere[0].cohort_id})
        assert response.context["page"].paginator.count == 3
        assert not response.context["page"].paginator.more
        assert listed(response) == by_name(elsewhere, reverse=True)

    def test_filters_alone_are_bounded_too_and_the_export_holds_everyone(self, client, hr, bound):
        named(bound + 5, gender="M")
        ParticipantFactory(gender="F")
        client.force_login(hr)
        response = client.get(URL, {"gender": "M"})
        assert response.context["page"].paginator.more
        assert "Lebih dari 30 peserta cocok." in response.content.decode()
        export = client.get(
            reverse("participants:participant_export", args=["csv"]), {"gender": "M"}
        )
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert len(rows) == 1 + bound + 5
        search(client, "rahma")
        export = client.get(reverse("participants:participant_export", args=["csv"]))
        assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 36

    def test_everyones_list_keeps_its_exact_count_from_the_tally(self, client, hr, monkeypatch):
        if connection.vendor != "postgresql":
            require("DATABASE_URL is not PostgreSQL: only PostgreSQL keeps the participant tally")
        monkeypatch.setattr(listing, "COUNT_BOUND", 2)
        ParticipantFactory.create_batch(4)
        ParticipantTally.objects.create(delta=1)  # only the tally says five
        client.force_login(hr)
        for params in ({}, {"ordering": "-name"}):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL, params)
            page = response.context["page"]
            assert (page.paginator.count, page.paginator.more) == (5, False), params
            assert "5 peserta</p>" in response.content.decode()
            counts = [
                q["sql"]
                for q in queries
                if "count(" in q["sql"].lower() and 'FROM "participants_participant"' in q["sql"]
            ]
            assert not counts, params

    def test_a_coordinators_own_list_is_counted_whole_until_searched(
        self, client, assigned, coordinator, cohort, monkeypatch
    ):
        monkeypatch.setattr(listing, "COUNT_BOUND", 2)
        named(4, cohort=cohort)
        client.force_login(coordinator)
        page = client.get(URL).context["page"]
        assert (page.paginator.count, page.paginator.more) == (4, False)
        search(client, "rahma")
        page = client.get(URL).context["page"]
        assert (page.paginator.count, page.paginator.more) == (2, True)

    @pytest.mark.parametrize("searched", [False, True])
    def test_the_bounded_count_stops_after_the_bound(self, searched):
        named(5)
        everyone = Participant.objects.filter(full_name__icontains="rahma")
        assert bounded_count(everyone, 3, searched=searched) == 4
        assert bounded_count(everyone, 9, searched=searched) == 5
        assert bounded_count(Participant.objects.none(), 3, searched=searched) == 0
        assert bounded_count(Participant.objects.filter(pk__in=[]), 3, searched=searched) == 0


class TestSearchByNik:
    """A NIK prefix finds people only for users who may reveal it; their matches are all
    counted (to ``NIK_COUNT_BOUND``) and sorted apart, in the list's order."""

    BIRTH = datetime.date(1999, 3, 7)

    def sharing_a_prefix(self, cohort=None) -> list[Participant]:
        names = ["Wati", "Ani", "Siti", "Dewi", "Budi"]
        return [
            ParticipantFactory(full_name=name, birth_date=self.BIRTH, cohort=cohort)
            for name in names
        ]

    def test_hr_finds_those_sharing_a_prefix_in_name_order_counted_further(
        self, client, hr, monkeypatch
    ):
        monkeypatch.setattr(listing, "COUNT_BOUND", 2)
        monkeypatch.setattr(listing, "NIK_COUNT_BOUND", 10)
        people = self.sharing_a_prefix()
        ParticipantFactory(full_name="Aaron")  # born on another day: another prefix
        prefix = people[0].nik[:12]
        assert all(p.nik.startswith(prefix) for p in people)
        client.force_login(hr)
        search(client, prefix)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert listed(response) == by_name(people)
        page = response.context["page"]
        assert (page.paginator.count, page.paginator.more) == (5, False)
        assert "5 peserta</p>" in response.content.decode()
        if connection.vendor == "postgresql":  # the matches read first, then sorted apart
            assert any("AS MATERIALIZED" in q["sql"] and "OFFSET" in q["sql"] for q in queries)
        assert listed(client.get(URL, {"ordering": "-name"})) == by_name(people, reverse=True)
        # Past the NIK's bound, the page says so.
        monkeypatch.setattr(listing, "NIK_COUNT_BOUND", 3)
        response = client.get(URL)
        assert response.context["page"].paginator.more
        assert listed(response) == by_name(people)[:3]
        assert "Lebih dari 3 peserta cocok." in response.content.decode()

    @pytest.mark.parametrize("role", ["coordinator", "instructor"])
    def test_a_user_who_may_not_reveal_finds_nobody_by_nik(
        self, request, client, assigned, cohort, role
    ):
        user = request.getfixturevalue(role)
        people = self.sharing_a_prefix(cohort=cohort)
        client.force_login(user)
        assert sorted(listed(client.get(URL))) == sorted(ids(people))
        for length in (6, 8, 12, 16):
            search(client, people[0].nik[:length])
            response = client.get(URL)
            assert listed(response) == [], length
            assert response.context["page"].paginator.count == 0
        assert count_bound(people[0].nik[:8], user) == listing.COUNT_BOUND

    def test_only_a_nik_searched_by_who_may_reveal_is_counted_further(self, hr, instructor):
        assert count_bound("6371014703990001", hr) == listing.NIK_COUNT_BOUND
        assert count_bound("6371 0147", hr) == listing.NIK_COUNT_BOUND
        assert count_bound("rahma", hr) == listing.COUNT_BOUND
        assert count_bound("12345", hr) == listing.COUNT_BOUND  # five digits: not a NIK
        assert count_bound("6371014703990001", instructor) == listing.COUNT_BOUND


class TestBroadSearchPage:
    """Past the bound, the page is looked for among the first names of the index, and the
    matches are sorted apart when those do not hold it."""

    @pytest.fixture(autouse=True)
    def _small(self, monkeypatch):
        monkeypatch.setattr(listing, "COUNT_BOUND", 5)
        monkeypatch.setattr(listing, "WALK_AT_MOST", 10)

    def page(self, client, hr, text):
        client.force_login(hr)
        search(client, text)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.context["page"].paginator.more
        walked = any("LIMIT 10) AS" in q["sql"] for q in queries)
        sorted_apart = any("FROM found ORDER BY" in q["sql"] for q in queries)
        return listed(response), walked, sorted_apart

    def test_matches_late_in_the_alphabet_are_sorted_apart(self, client, hr):
        ParticipantFactory.create_batch(15, full_name="Abdul Karim")
        late = [ParticipantFactory(full_name=f"Zahra Siti {n:02d}") for n in range(8)]
        # Looked for among the first ten names, which hold nobody: sorted apart.
        assert self.page(client, hr, "siti") == (by_name(late)[:5], True, True)

    def test_matches_among_the_first_names_are_read_from_them(self, client, hr):
        early = [ParticipantFactory(full_name=f"Aisyah Siti {n:02d}") for n in range(8)]
        ParticipantFactory.create_batch(15, full_name="Zubair Karim")
        assert self.page(client, hr, "siti") == (by_name(early)[:5], True, False)
