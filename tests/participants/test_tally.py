"""The participant tally and summaries kept by PostgreSQL's triggers, and their recount."""

import datetime
import io
import logging

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.db.models import Count

from participants.models import (
    DepartureCount,
    Participant,
    ParticipantMix,
    ParticipantTally,
    contract_days,
    departures,
    participant_mix,
    read_tally,
    recount,
)
from participants.models.tally import MIX, RECOUNT_LOCK
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
    same_name = read_tally()
    Participant.objects.filter(pk=siti.pk).update(id=siti.pk + 1000)  # a new place in the list
    assert read_tally().version != same_name.version


def test_a_recount_folds_the_rows_into_one_true_count():
    ParticipantFactory.create_batch(3)
    Participant.objects.first().delete()
    ParticipantTally.objects.create(delta=40)  # a count gone wrong (say, triggers disabled)
    assert read_tally().count == 42
    assert recount() == 2
    assert list(ParticipantTally.objects.values_list("delta", flat=True)) == [2]
    assert read_tally().count == 2


def test_a_recount_says_when_the_tally_had_drifted(caplog):
    ParticipantFactory.create_batch(2)
    with caplog.at_level(logging.WARNING, logger="participants.models.tally"):
        recount()
    assert caplog.records == []
    ParticipantTally.objects.create(delta=3)
    with caplog.at_level(logging.WARNING, logger="participants.models.tally"):
        recount()
    assert [r.getMessage() for r in caplog.records] == [
        "The participant tally said 5; counted afresh: 2."
    ]


def test_a_recount_waits_for_another_recount():
    """Two recounts at once would each fold the same rows: the second waits for the lock."""
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"] or "localhost",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [RECOUNT_LOCK])
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '50ms'")
            with pytest.raises(OperationalError, match="lock timeout"):
                recount()
    finally:
        other.close()


def test_the_command_recounts():
    ParticipantFactory()
    ParticipantTally.objects.create(delta=9)
    out = io.StringIO()
    call_command("recount_participants", stdout=out)
    assert "1 participant(s) counted." in out.getvalue()
    assert read_tally().count == 1


def test_the_nightly_task_recounts():
    ParticipantFactory.create_batch(2)
    ParticipantTally.objects.create(delta=-7)
    assert recount_participants.delay().get() == 2
    assert read_tally().count == 2
    entry = settings.CELERY_BEAT_SCHEDULE["recount-participants-daily"]
    assert entry["task"] == "participants.recount_participants"


def _counted_mix():
    rows = Participant.objects.values_list(*MIX).annotate(n=Count("*")).order_by()
    return sorted(rows)


def _counted_departures():
    rows = (
        Participant.objects.ever_departed()
        .values_list("cohort_id", "departed_on")
        .annotate(n=Count("*"))
        .order_by()
    )
    return sorted(rows, key=str)


def test_the_summaries_follow_additions_edits_and_deletions(cohort):
    people = ParticipantFactory.create_batch(4, cohort=cohort)
    Participant.objects.bulk_create(
        [ParticipantFactory.build(gender="M", education_level="s1") for _n in range(3)]
    )
    people[0].status = "selected"
    people[0].save()
    Participant.objects.filter(pk__in=[p.pk for p in people[1:3]]).update(
        status="departed", departed_on=datetime.date(2026, 2, 18)
    )
    Participant.objects.filter(pk=people[2].pk).update(departed_on=datetime.date(2025, 2, 19))
    people[3].delete()
    assert sorted(participant_mix()) == _counted_mix()
    assert sorted(departures(), key=str) == _counted_departures()
    assert len(departures()) == 2
    # Edits that leave the groups as they were add no rows.
    rows = ParticipantMix.objects.count(), DepartureCount.objects.count()
    Participant.objects.update(phone="081234567890")
    assert (ParticipantMix.objects.count(), DepartureCount.objects.count()) == rows
    recount()
    assert ParticipantMix.objects.count() == len(_counted_mix())
    assert sorted(participant_mix()) == _counted_mix()
    assert sorted(departures(), key=str) == _counted_departures()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE participants_participant CASCADE")
    assert participant_mix() == [] and departures() == []


def _contract(person, start, *, years=5, ended_on=None):
    from participants.models import Contract, contract_end

    return Contract.objects.create(
        participant=person,
        employer="Kaikoukai",
        start_date=start,
        term_years=years,
        end_date=contract_end(start, years),
        ended_on=ended_on,
        status=Contract.Status.COMPLETED if ended_on else Contract.Status.ACTIVE,
    )


def _spans_agree(today, cohorts):
    """The spans give the same days as the contracts summed directly: of everyone and of
    each batch."""
    from welfare.figures import _contract_days

    assert contract_days(today=today) == _contract_days(Participant.objects.all(), today=today)
    for cohort in cohorts:
        people = Participant.objects.filter(cohort=cohort)
        assert contract_days(today=today, cohort_ids=[cohort.pk]) == _contract_days(
            people, today=today
        )


def test_the_contract_spans_follow_contracts_transfers_and_deletions(cohort):
    from participants.models import Contract
    from tests.factories import CohortFactory

    today = datetime.date(2026, 12, 4)
    other = CohortFactory(program=cohort.program)
    first, second, third = (ParticipantFactory(cohort=cohort) for _n in range(3))
    _contract(first, datetime.date(2024, 4, 1))
    ended = _contract(second, datetime.date(2022, 4, 1), ended_on=datetime.date(2023, 1, 31))
    _contract(third, datetime.date(2027, 1, 1))  # not begun: no days yet
    assert contract_days(today=today, cohort_ids=[cohort.pk]) == 978 + 306
    _spans_agree(today, [cohort, other])
    # An ended contract's last day moves; one updated in bulk too.
    ended.ended_on = datetime.date(2022, 4, 30)
    ended.save()
    Contract.objects.filter(participant=first).update(ended_on=datetime.date(2025, 3, 31))
    _spans_agree(today, [cohort, other])
    assert contract_days(today=today) == 365 + 30
    # A transfer takes the person's contracts to the other batch.
    Participant.objects.filter(pk=first.pk).update(cohort=other)
    _spans_agree(today, [cohort, other])
    assert contract_days(today=today, cohort_ids=[other.pk]) == 365
    # Deleted: contracts (a person's contracts protect the person), then a person.
    Contract.objects.filter(participant__in=[second, third]).delete()
    second.delete()
    _spans_agree(today, [cohort, other])
    assert contract_days(today=today) == 365
    # A person deleted before their contracts (deferred keys, one transaction): counted once.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM participants_participant WHERE id = %s", [first.pk])
        cursor.execute("DELETE FROM participants_contract WHERE participant_id = %s", [first.pk])
    assert contract_days(today=today) == 0
    _spans_agree(today, [cohort, other])


def test_a_recount_rebuilds_the_contract_spans(cohort):
    from participants.models import ContractSpan

    person = ParticipantFactory(cohort=cohort)
    _contract(person, datetime.date(2025, 1, 1))
    today = datetime.date(2025, 1, 10)
    ContractSpan.objects.all().delete()  # drifted
    assert contract_days(today=today) == 0
    recount()
    assert contract_days(today=today) == 10
    assert ContractSpan.objects.count() == 1


def test_the_tally_and_the_summaries_agree_after_an_import_copied_in_one_statement(
    cohort, hr, settings
):
    """A large import inserts its participants with one statement from a staging table, then
    (historical rows) moves them one by one and adds their contracts: the counts follow."""
    from participants import importer
    from tests.participants.test_import_copy import FULL, HISTORICAL, csv_file, person

    settings.PARTICIPANT_IMPORT_COPY = True
    ParticipantFactory()
    new = importer.check_file(io.BytesIO(csv_file([person(1), person(2)], FULL)), "new.csv")
    moved = [
        person(3, status="working", departed_on="2023-03-15"),
        person(
            4,
            status="completed",
            departed_on="2020-01-10",
            contract_start="2020-01-10",
            employer="Kaikoukai",
        ),
    ]
    historical = importer.check_file(
        io.BytesIO(csv_file(moved, HISTORICAL)), "old.csv", historical=True
    )
    assert new.ok and historical.ok
    importer.save_rows(new.rows, cohort=cohort, by=hr)
    importer.save_rows(historical.rows, cohort=cohort, by=hr, historical=True)
    assert read_tally().count == 5 == Participant.objects.count()
    assert sorted(participant_mix()) == _counted_mix()
    assert sorted(departures(), key=str) == _counted_departures()
    assert len(departures()) == 2
    _spans_agree(datetime.date(2026, 12, 4), [cohort])
    assert contract_days(today=datetime.date(2026, 12, 4)) > 0


@pytest.mark.django_db(transaction=True)
def test_a_contract_added_while_its_person_moves_batch_is_filed_under_the_new_batch(
    cohort,
):
    """One transaction moves a person to another batch; another adds their contract before
    the move commits. The contract's trigger waits for the move, so its days land in the
    batch the person is in."""
    import threading

    from tests.factories import CohortFactory

    other = CohortFactory(program=cohort.program)
    person = ParticipantFactory(cohort=cohort)
    settings_dict = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    mover = psycopg.connect(conninfo)
    adder = psycopg.connect(conninfo)
    try:
        mover.execute(
            "UPDATE participants_participant SET cohort_id = %s WHERE id = %s",
            [other.pk, person.pk],
        )
        adder_pid = adder.info.backend_pid

        def add_contract():
            adder.execute(
                "INSERT INTO participants_contract (participant_id, employer, facility, "
                "subdivision, prefecture, city, position, start_date, term_years, end_date, "
                "salary_currency, status, end_reason, signed_file) VALUES (%s, 'K', '', '', "
                "'', '', '', '2025-01-01', 1, '2025-12-31', 'JPY', 'active', '', '')",
                [person.pk],
            )
            adder.commit()

        thread = threading.Thread(target=add_contract)
        thread.start()
        # Wait (not for a time: for the state) until the adder waits on the mover's lock, or
        # has finished without waiting (the unlocked trigger): then let the move commit.
        with psycopg.connect(conninfo, autocommit=True) as watcher:
            while thread.is_alive():
                waiting = watcher.execute(
                    "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s",
                    [adder_pid],
                ).fetchone()
                if waiting and waiting[0]:
                    break
        mover.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        mover.close()
        adder.close()
    today = datetime.date(2026, 1, 1)
    assert contract_days(today=today, cohort_ids=[other.pk]) == 365
    assert contract_days(today=today, cohort_ids=[cohort.pk]) == 0
