"""Actions on several participants at once: each person on their own."""

import datetime

import pytest

from participants.models import Status, StatusChange
from participants.services import participants_move, participants_transfer
from tests.factories import CohortFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 2, 2)


def test_moving_several_moves_those_allowed_and_refuses_the_others_with_why(hr, cohort):
    first = ParticipantFactory(cohort=cohort, status=Status.SELECTED)
    working = ParticipantFactory(cohort=cohort, status=Status.WORKING)
    second = ParticipantFactory(cohort=cohort, status=Status.SELECTED)

    outcomes = participants_move(
        participants=[first, working, second],
        to=Status.IN_TRAINING,
        by=hr,
        effective_date=DAY,
        reason="Imported list checked",
    )

    assert [outcome.done for outcome in outcomes] == [True, False, True]
    assert "cannot go from" in outcomes[1].message or "tidak dapat" in outcomes[1].message
    for person in (first, second):
        person.refresh_from_db()
        assert person.status == Status.IN_TRAINING
        change = person.status_changes.get()
        assert (change.recorded_by, change.effective_date, change.reason) == (
            hr,
            DAY,
            "Imported list checked",
        )
    working.refresh_from_db()
    assert working.status == Status.WORKING
    assert not working.status_changes.exists()


def test_a_move_that_needs_a_reason_is_refused_for_everyone_without_one(hr, cohort):
    people = ParticipantFactory.create_batch(2, cohort=cohort, status=Status.IN_TRAINING)

    outcomes = participants_move(
        participants=people, to=Status.WITHDRAWN, by=hr, effective_date=DAY, reason=" "
    )

    assert not any(outcome.done for outcome in outcomes)
    assert not StatusChange.objects.exists()


def test_a_list_may_not_set_a_status_that_needs_the_readiness_check(hr, cohort):
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    with pytest.raises(ValueError):
        participants_move(participants=[person], to=Status.READY, by=hr, effective_date=DAY)


def test_transferring_several_numbers_them_in_the_new_batch_and_keeps_the_departed(
    hr, cohort, program
):
    target = CohortFactory(program=program, number=5)
    staying = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    departed = ParticipantFactory(cohort=cohort, status=Status.DEPARTED)
    staying.place(cohort)
    departed.place(cohort)

    outcomes = participants_transfer(
        participants=[staying, departed], cohort=target, by=hr, effective_date=DAY, reason="Quota"
    )

    assert [outcome.done for outcome in outcomes] == [True, False]
    staying.refresh_from_db()
    departed.refresh_from_db()
    assert staying.cohort == target
    assert staying.participant_number.endswith("-05-001")
    assert staying.participant_number in outcomes[0].message
    assert departed.cohort == cohort
