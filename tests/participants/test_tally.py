"""The participant tally kept by PostgreSQL's triggers, and its nightly recount."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from participants.models import Participant, ParticipantTally, read_tally, recount
from participants.tasks import recount_participants
from tests.conftest import require
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL keeps the participant tally")


def test_the_tally_follows_every_way_participants_are_added_and_deleted():
    assert read_tally().count == 0
    first = ParticipantFactory()
    people = Participant.objects.bulk_create(
        [ParticipantFactory.build(full_name=f"Massal {n}") for n in range(3)]
    )
    assert read_tally().count == 4 == Participant.objects.count()
    # One row per statement, not per person.
    assert list(ParticipantTally.objects.order_by("id").values_list("delta", flat=True)) == [1, 3]
    first.delete()
    Participant.objects.filter(pk__in=[person.pk for person in people[:2]]).delete()
    assert read_tally().count == 1 == Participant.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key checks left pending
        cursor.execute("TRUNCATE participants_participant CASCADE")
    assert read_tally().count == 0


def test_what_a_rolled_back_change_added_is_not_counted():
    ParticipantFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        ParticipantFactory()
        assert read_tally().count == 2  # the change sees itself
        raise RuntimeError
    assert read_tally().count == 1


def test_the_version_changes_with_a_new_name_but_not_with_other_edits():
    siti = ParticipantFactory(full_name="Siti Rahmah")
    before = read_tally()
    siti.status = "selected"
    siti.phone = "081234567890"
    siti.save()
    Participant.objects.update(track="scholarship")
    assert read_tally() == before
    siti.full_name = "Siti Rahmah Wati"
    siti.save()
    renamed = read_tally()
    assert renamed.count == before.count and renamed.version != before.version
    Participant.objects.update(full_name="Siti")
    assert read_tally().version != renamed.version


def test_a_recount_folds_the_rows_into_one_true_count():
    ParticipantFactory.create_batch(3)
    Participant.objects.first().delete()
    ParticipantTally.objects.create(delta=40)  # a count gone wrong (say, triggers disabled)
    assert read_tally().count == 42
    assert recount() == 2
    assert list(ParticipantTally.objects.values_list("delta", flat=True)) == [2]
    assert read_tally().count == 2


def test_the_nightly_task_recounts():
    ParticipantFactory.create_batch(2)
    ParticipantTally.objects.create(delta=-7)
    assert recount_participants.delay().get() == 2
    assert read_tally().count == 2
    entry = settings.CELERY_BEAT_SCHEDULE["recount-participants-daily"]
    assert entry["task"] == "participants.recount_participants"
