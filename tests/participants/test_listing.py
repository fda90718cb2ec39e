"""Which participants a page of the list holds, found through the tally and the anchors."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import listing
from participants.models import Participant, ParticipantTally, Tally, read_tally
from tests.conftest import require
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
URL = "/participants/"


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL keeps the participant tally")


def listed(response) -> list[int]:
    return [row.pk for row in response.context["page"].object_list]


def in_name_order() -> list[int]:
    return list(Participant.objects.order_by("full_name", "pk").values_list("pk", flat=True))


def test_the_list_of_everyone_takes_its_count_from_the_tally(client, hr):
    assert reverse("participants:participant_list") == URL
    ParticipantFactory.create_batch(3)
    ParticipantTally.objects.create(delta=1)  # only the tally says four
    client.force_login(hr)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.context["page"].paginator.count == 4
    assert not [
        q for q in queries if 'COUNT(*) AS "__count" FROM "participants_participant"' in q["sql"]
    ]
    # Filtered or searched, the list counts what it shows.
    assert client.get(URL, {"gender": "F"}).context["page"].paginator.count == 3
    client.post(URL, {"q": "Peserta"})
    assert client.get(URL).context["page"].paginator.count == 3


def test_deep_pages_start_from_anchors_and_follow_every_change(client, hr, monkeypatch):
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 10)
    people = [ParticipantFactory(full_name=f"Peserta {n % 7}") for n in range(130)]
    client.force_login(hr)

    def pages():
        return [listed(client.get(URL, {"page": n})) for n in range(1, 7)]

    def expected():
        order = in_name_order()
        return [order[start : start + 25] for start in range(0, len(order), 25)]

    with CaptureQueriesContext(connection) as queries:
        assert pages() == expected()
    # Pages 2 to 6 began at an anchor (a name), not 25 to 125 entries into the list.
    assert sum("(full_name, id) >= (" in q["sql"] for q in queries) == 5
    assert len(cache.get(listing._scope_key(read_tally(), "anchors", None))) == 13
    # Renamed, added, deleted: the anchors are found again, and the pages stay right.
    people[3].full_name = "Aaron"
    people[3].save()
    assert pages() == expected()
    ParticipantFactory(full_name="Peserta 3")
    ParticipantFactory(full_name="Abdul")
    assert pages() == expected()
    people[40].delete()
    assert pages() == expected()
    # One added, one deleted: the count is the same, only the version tells.
    ParticipantFactory(full_name="Aa")
    people[41].delete()
    assert pages() == expected()


def test_anchors_of_another_count_are_not_used(client, hr, monkeypatch):
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 10)
    ParticipantFactory.create_batch(60)
    cache.set(f"participants:list-anchors:{read_tally().version}", [1])
    client.force_login(hr)
    assert listed(client.get(URL, {"page": 2})) == in_name_order()[25:50]


def test_a_page_whose_anchor_is_gone_is_found_from_an_end(client, hr, monkeypatch):
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 10)
    ParticipantFactory.create_batch(60)
    order = in_name_order()
    gone = max(order) + 1  # as if deleted after the version was read
    cache.set(
        listing._scope_key(read_tally(), "anchors", None),
        [*order[::10][:2], gone, *order[30::10]],
    )
    client.force_login(hr)
    assert listed(client.get(URL, {"page": 2})) == order[25:50]


def test_anchors_read_while_the_list_changed_are_not_kept(monkeypatch):
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 10)
    ParticipantFactory.create_batch(30)
    seen = read_tally()
    monkeypatch.setattr(listing, "read_tally", lambda: Tally(count=31, version="later"))
    assert listing.anchors(seen) == in_name_order()[::10]
    assert cache.get(listing._scope_key(seen, "anchors", None)) is None


def test_a_coordinators_list_is_counted_and_anchored_once_per_version_of_their_batches(
    client, coordinator, assigned, program, cohort, other_program, monkeypatch
):
    from tests.factories import CohortFactory

    monkeypatch.setattr(listing, "ANCHOR_EVERY", 10)
    second = CohortFactory(program=program)
    elsewhere = CohortFactory(program=other_program)
    theirs = [
        ParticipantFactory(full_name=f"Peserta {n % 7}", cohort=(cohort, second)[n % 2])
        for n in range(70)
    ]
    ParticipantFactory.create_batch(40, cohort=elsewhere)  # in no list of theirs
    client.force_login(coordinator)

    def pages():
        return [listed(client.get(URL, {"page": n})) for n in range(1, 4)]

    def expected():
        order = list(
            Participant.objects.filter(cohort__program=program)
            .order_by("full_name", "pk")
            .values_list("pk", flat=True)
        )
        return [order[start : start + 25] for start in range(0, len(order), 25)]

    assert pages() == expected()
    with CaptureQueriesContext(connection) as queries:
        assert pages() == expected()
    # Counted once for this version, and pages 2 and 3 began at anchors of their own.
    counts = [
        q for q in queries if 'COUNT(*) AS "__count" FROM "participants_participant"' in q["sql"]
    ]
    assert not counts
    assert sum("(full_name, id) >= (" in q["sql"] for q in queries) == 2
    # Moved to a batch they do not see, and another renamed: the pages follow.
    Participant.objects.filter(pk=theirs[4].pk).update(cohort=elsewhere)
    assert pages() == expected()
    theirs[5].full_name = "Aaron"
    theirs[5].save()
    assert pages() == expected()
    assert client.get(URL).context["page"].paginator.count == 69
