import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from delegation.models import Notification
from office.reminders.digest import send_reminders
from participants.models import Contract, CostItem, Status
from participants.services import contracts_daily
from tests.factories import CohortFactory, ContactFactory, ProgramFactory, UserFactory
from tests.welfare.conftest import working
from welfare import services, tasks
from welfare.models import (
    Case,
    ChecklistItem,
    Event,
    EventMember,
    FollowUp,
    Return,
    ReturnTask,
    add_months,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def open_case(person, by, **fields):
    values = {
        "kind": Case.Kind.ILLNESS,
        "severity": Case.Severity.MEDIUM,
        "reported_via": Case.Source.EMPLOYER,
        "description": "Demam tinggi, dirawat di rumah sakit.",
    }
    values.update(fields)
    return services.case_open(participant=person, by=by, **values)


class TestCases:
    def test_a_case_belongs_to_the_programme_coordinator_by_default(self, person, hr, coordinator):
        case = open_case(person, hr)
        assert case.owner == coordinator
        assert case.status == Case.Status.OPEN

    def test_a_critical_case_notifies_hr_and_leadership_in_app_and_by_mail(
        self, person, hr, coordinator, leadership
    ):
        hr.email, leadership.email = "hr@example.org", "lead@example.org"
        hr.save(), leadership.save()
        case = open_case(person, coordinator, severity=Case.Severity.CRITICAL)
        notified = set(Notification.objects.values_list("user__username", flat=True))
        assert {"hr", "leadership"} <= notified
        leader_note = Notification.objects.get(user=leadership)
        assert person.full_name not in leader_note.text
        assert case.participant.full_name in Notification.objects.get(user=hr).text
        assert {m.to[0] for m in mail.outbox} >= {"hr@example.org", "lead@example.org"}

    def test_a_case_needs_a_description(self, person, hr):
        with pytest.raises(ValidationError):
            open_case(person, hr, description="  ")
        assert not Case.objects.exists()

    def test_help_now_keeps_the_check_in_opens_a_draft_and_notifies_the_coordinator(
        self, person, hr, coordinator
    ):
        case = services.case_from_help_now(
            participant=person,
            concerns="Saya sakit dan takut.",
            by=hr,
            wellbeing=1,
            work_satisfaction=2,
        )
        assert case.status == Case.Status.DRAFT
        assert case.check_in.follow_up_needed and case.check_in.concerns == "Saya sakit dan takut."
        assert Notification.objects.filter(user=coordinator, link=case.get_absolute_url()).exists()

    def test_help_now_sent_twice_opens_one_draft_and_keeps_one_check_in(
        self, person, hr, coordinator
    ):
        """A double submit (the button pressed twice) is one call for help, not two."""
        asked = {"concerns": "Saya sakit dan takut.", "wellbeing": 1, "work_satisfaction": 2}
        first = services.case_from_help_now(participant=person, by=hr, **asked)
        again = services.case_from_help_now(participant=person, by=hr, **asked)
        assert again == first
        assert Case.objects.filter(participant=person).count() == 1
        assert person.check_ins.count() == 1
        assert Notification.objects.filter(user=coordinator).count() == 1

    def test_a_closed_case_is_neither_resolved_nor_closed_again(self, person, hr):
        case = open_case(person, hr)
        services.case_close(case=case, by=hr, status=Case.Status.CLOSED, outcome="other")
        closed_at, entries = case.closed_at, case.entries.count()
        for status in (Case.Status.RESOLVED, Case.Status.CLOSED):
            with pytest.raises(ValidationError):
                services.case_close(case=case, by=hr, status=status, outcome="other")
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED and case.closed_at == closed_at
        assert case.entries.count() == entries

    def test_a_resolved_case_is_still_closed(self, person, hr):
        case = open_case(person, hr)
        services.case_close(case=case, by=hr, status=Case.Status.RESOLVED, outcome="other")
        services.case_close(case=case, by=hr, status=Case.Status.CLOSED, outcome="")
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED and case.closed_at

    def test_only_the_owner_acknowledges_and_a_draft_must_be_completed_first(
        self, person, hr, coordinator
    ):
        case = services.case_from_help_now(
            participant=person, concerns="Tolong", by=hr, wellbeing=2, work_satisfaction=2
        )
        with pytest.raises(ValidationError):
            services.case_acknowledge(case=case, by=coordinator)
        services.case_update(
            case=case,
            by=hr,
            kind=Case.Kind.ILLNESS,
            severity=Case.Severity.HIGH,
            owner=coordinator,
            description="",
        )
        with pytest.raises(ValidationError):
            services.case_acknowledge(case=case, by=hr)
        services.case_acknowledge(case=case, by=coordinator)
        case.refresh_from_db()
        assert case.status == Case.Status.IN_PROGRESS and case.acknowledged_at

    def test_an_unacknowledged_critical_case_is_escalated_once_after_the_set_time(
        self, person, hr, coordinator, leadership, settings
    ):
        settings.WELFARE_ACKNOWLEDGE_HOURS = 2
        opened = timezone.now() - datetime.timedelta(hours=3)
        case = open_case(person, hr, severity=Case.Severity.CRITICAL, opened_at=opened)
        Notification.objects.all().delete()
        late = open_case(
            person,
            hr,
            severity=Case.Severity.CRITICAL,
            opened_at=timezone.now() - datetime.timedelta(minutes=30),
        )
        assert services.cases_escalate(now=timezone.now()) == 1
        assert services.cases_escalate(now=timezone.now()) == 0
        case.refresh_from_db(), late.refresh_from_db()
        assert case.escalated_at and late.escalated_at is None
        keys = set(Notification.objects.values_list("user__username", "key"))
        assert ("leadership", f"case-escalated-{case.pk}") in keys
        assert ("hr", f"case-escalated-{case.pk}") in keys

    def test_an_acknowledged_critical_case_is_not_escalated(self, person, hr, coordinator):
        opened = timezone.now() - datetime.timedelta(hours=5)
        case = open_case(person, hr, severity=Case.Severity.CRITICAL, opened_at=opened)
        services.case_acknowledge(case=case, by=coordinator)
        assert services.cases_escalate(now=timezone.now()) == 0

    def test_a_case_cost_is_a_cost_line_the_promise_check_reads(self, person, hr):
        case = open_case(person, hr)
        item = services.case_add_cost(
            case=case,
            by=hr,
            category="treatment_abroad",
            payer=CostItem.Payer.PARTICIPANT,
            amount=Decimal("50000"),
            currency="JPY",
            rate_to_idr=Decimal("105"),
            date=TODAY,
            description="Biaya rumah sakit",
        )
        assert item.amount_idr == Decimal("5250000")
        assert list(case.costs.values_list("cost_item", flat=True)) == [item.pk]
        program = person.cohort.program
        assert item in CostItem.objects.filter(program=program).breaking_the_promise(program)

    def test_closing_needs_an_outcome(self, person, hr):
        case = open_case(person, hr)
        with pytest.raises(ValidationError):
            services.case_close(case=case, by=hr, status=Case.Status.CLOSED, outcome="")
        services.case_close(
            case=case, by=hr, status=Case.Status.CLOSED, outcome=Case.Outcome.RESOLVED_IN_PLACE
        )
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED and case.closed_at

    def test_a_death_ends_the_contract_and_lists_what_follows(self, person, hr):
        ContactFactory(participant=person, is_heir=True)
        case = open_case(person, hr)
        services.case_record_death(case=case, by=hr, on=TODAY, reason="Kecelakaan lalu lintas")
        person.refresh_from_db()
        assert person.status == Status.DECEASED
        contract = person.contracts.get()
        assert (contract.status, contract.ended_on) == (Contract.Status.TERMINATED, TODAY)
        assert case.outcome == Case.Outcome.DECEASED
        items = {item.kind: item.done_on for item in case.checklist.all()}
        assert set(items) == {
            "remains",
            "heirs",
            "bpjs_claim",
            "employer_payment",
            "insurer_payment",
        }
        assert items["heirs"] == TODAY and items["bpjs_claim"] is None
        with pytest.raises(ValidationError):
            services.case_close(
                case=case, by=hr, status=Case.Status.CLOSED, outcome=Case.Outcome.DECEASED
            )

    def test_a_missing_person_is_marked_missing_with_the_reports_to_make(self, person, hr):
        case = open_case(person, hr, kind=Case.Kind.WORKPLACE_DISPUTE)
        services.case_record_missing(case=case, by=hr, on=TODAY, reason="Tidak masuk kerja")
        person.refresh_from_db()
        assert person.status == Status.MISSING
        assert person.contracts.get().status == Contract.Status.ACTIVE
        assert case.checklist.filter(kind=ChecklistItem.Kind.POLICE_REPORT).exists()

    @pytest.mark.parametrize("record", ["case_record_death", "case_record_missing"])
    def test_a_closed_case_records_no_death_or_disappearance(self, person, hr, record):
        """A direct request on a closed case changes neither the person nor the case: the
        case is reopened first, with its reason."""
        case = open_case(person, hr)
        services.case_close(case=case, by=hr, status=Case.Status.CLOSED, outcome="other")
        with pytest.raises(ValidationError):
            getattr(services, record)(case=case, by=hr, on=TODAY, reason="Kabar dari KBRI")
        person.refresh_from_db(), case.refresh_from_db()
        assert person.status == Status.WORKING
        assert case.status == Case.Status.CLOSED and not case.checklist.exists()


class TestEvents:
    def test_the_event_lists_the_people_of_the_prefecture_and_those_of_unknown_place(
        self, cohort, assigned, hr
    ):
        ishikawa = working(cohort, subdivision="JP-17")
        working(cohort, subdivision="JP-13", city="Tokyo")
        unknown = working(cohort, subdivision="")
        other_country = ProgramFactory(destination_country="Jerman")
        working(CohortFactory(program=other_country), subdivision="")
        event = services.event_open(
            name="Gempa Ishikawa",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=TODAY,
            by=hr,
        )
        groups = {m.participant: m.group for m in event.members.all()}
        assert groups == {
            ishikawa: EventMember.Group.LOCATED,
            unknown: EventMember.Group.UNKNOWN,
        }

    def test_cities_narrow_the_list_of_the_prefecture(self, cohort, assigned, hr):
        wajima = working(cohort, subdivision="JP-17", city="Wajima")
        working(cohort, subdivision="JP-17", city="Kanazawa")
        event = services.event_open(
            name="Gempa",
            country="JP",
            subdivisions=["JP-17"],
            cities=["wajima"],
            occurred_on=TODAY,
            by=hr,
        )
        assert [m.participant for m in event.members.filter(group="located")] == [wajima]

    def test_needs_help_opens_a_case_and_closing_needs_everyone_reached_or_a_reason(
        self, cohort, assigned, hr
    ):
        first, second = working(cohort), working(cohort)
        event = services.event_open(
            name="Gempa", country="JP", subdivisions=["JP-17"], occurred_on=TODAY, by=hr
        )
        member = event.members.get(participant=first)
        services.event_record(member=member, result="needs_help", source="phone", by=hr)
        assert member.case.kind == Case.Kind.DISASTER
        with pytest.raises(ValidationError):
            services.event_close(event=event, by=hr)
        services.event_close(event=event, by=hr, reason="Nomor tidak aktif, KBRI mencari")
        assert event.status == Event.Status.CLOSED
        assert event.members.get(participant=second).result == "unchecked"

    def test_a_region_of_another_country_is_refused(self, hr, db):
        with pytest.raises(ValidationError):
            services.event_open(
                name="x", country="JP", subdivisions=["DE-BY"], occurred_on=TODAY, by=hr
            )
        assert not Event.objects.exists()


class TestTheWayHome:
    def test_an_early_return_ends_the_contract_and_schedules_the_follow_ups(self, person, hr):
        case = open_case(person, hr)
        home = services.return_home(
            participant=person,
            kind=Return.Kind.EARLY,
            on=datetime.date(2026, 1, 31),
            reason="Sakit",
            by=hr,
            case=case,
            journey_paid_by=CostItem.Payer.SPONSOR,
        )
        person.refresh_from_db()
        assert person.status == Status.RETURNED_EARLY
        assert person.contracts.get().status == Contract.Status.TERMINATED
        assert home.journey_paid_by == "sponsor"
        case.refresh_from_db()
        assert case.outcome == Case.Outcome.RETURNED_EARLY
        dues = dict(FollowUp.objects.filter(participant=person).values_list("months", "due_on"))
        assert dues == {
            1: datetime.date(2026, 2, 28),
            6: datetime.date(2026, 7, 31),
            12: datetime.date(2027, 1, 31),
        }

    def test_an_early_return_needs_its_case_and_changes_nothing_without_it(self, person, hr):
        with pytest.raises(ValidationError):
            services.return_home(
                participant=person, kind=Return.Kind.EARLY, on=TODAY, reason="x", by=hr
            )
        person.refresh_from_db()
        assert person.status == Status.WORKING and not FollowUp.objects.exists()

    def test_the_end_of_the_contract_completes_it(self, person, hr):
        services.return_home(
            participant=person, kind=Return.Kind.END_OF_CONTRACT, on=TODAY, reason="", by=hr
        )
        person.refresh_from_db()
        assert person.status == Status.COMPLETED
        assert person.contracts.get().status == Contract.Status.COMPLETED

    def test_the_return_plan_is_made_90_days_before_the_end_once(self, cohort, assigned, hr):
        ending = working(cohort, start=datetime.date(2021, 8, 1))  # ends 31 July 2026
        working(cohort, start=datetime.date(2025, 8, 1))
        assert services.return_planning(today=datetime.date(2026, 4, 1)) == 0
        assert services.return_planning(today=datetime.date(2026, 5, 5)) == 5
        assert services.return_planning(today=datetime.date(2026, 5, 6)) == 0
        tasks = dict(ReturnTask.objects.values_list("kind", "due_on"))
        assert set(ReturnTask.objects.values_list("participant", flat=True)) == {ending.pk}
        assert tasks["pension_lump_sum"] == datetime.date(2028, 7, 31)
        assert tasks["last_salary"] == datetime.date(2026, 7, 31)

    def test_a_wish_to_extend_extends_the_contract_instead(self, cohort, assigned, hr):
        person = working(cohort, start=datetime.date(2021, 8, 1))
        services.return_planning(today=datetime.date(2026, 5, 5))
        contract = person.contracts.get()
        services.return_plan_extend(contract=contract, term_years=2, by=hr)
        assert contract.continued_by.end_date == datetime.date(2028, 7, 31)
        assert list(ReturnTask.objects.values_list("kind", flat=True)) == ["extension_wish"]


class TestReturnsAfterTheContractsTask:
    """The nightly contracts task completes a contract that ran out; the daily task then
    records that person's return home, with the follow-ups."""

    def test_a_completed_contract_gets_its_return_and_follow_ups_once(self, cohort, assigned):
        person = working(cohort, start=datetime.date(2021, 8, 1))  # ends 31 July 2026
        contracts_daily(today=datetime.date(2026, 8, 1))
        person.refresh_from_db()
        assert person.status == Status.COMPLETED
        assert services.returns_after_contracts(today=datetime.date(2026, 8, 1)) == 1
        home = Return.objects.get(participant=person)
        assert (home.kind, home.returned_on) == (Return.Kind.END_OF_CONTRACT, person_left(person))
        dues = sorted(FollowUp.objects.filter(participant=person).values_list("months", flat=True))
        assert dues == [1, 6, 12]
        assert services.returns_after_contracts(today=datetime.date(2026, 8, 2)) == 0
        assert FollowUp.objects.filter(participant=person).count() == 3

    def test_a_return_recorded_by_staff_is_not_recorded_again(self, person, hr):
        services.return_home(
            participant=person, kind=Return.Kind.END_OF_CONTRACT, on=TODAY, reason="", by=hr
        )
        assert services.returns_after_contracts(today=TODAY) == 0
        assert Return.objects.filter(participant=person).count() == 1

    def test_a_completion_long_past_gets_no_follow_ups(self, cohort, assigned):
        person = working(cohort, start=datetime.date(2021, 8, 1))
        contracts_daily(today=datetime.date(2026, 8, 1))
        assert services.returns_after_contracts(today=datetime.date(2026, 10, 1)) == 0
        assert not FollowUp.objects.filter(participant=person).exists()


def person_left(person) -> datetime.date:
    return person.status_changes.get(to_status=Status.COMPLETED).effective_date


class TestFollowUps:
    def test_a_follow_up_is_filled_and_reminders_go_once(self, person, hr, coordinator):
        services.return_home(
            participant=person,
            kind=Return.Kind.END_OF_CONTRACT,
            on=datetime.date(2026, 4, 1),
            reason="",
            by=hr,
        )
        # The day's reminders: HR staff and the coordinator, once each.
        assert send_reminders(today=datetime.date(2026, 4, 25)) == 2
        assert send_reminders(today=datetime.date(2026, 4, 26)) == 0
        assert Notification.objects.filter(key__startswith="follow-up-").count() == 2
        first = FollowUp.objects.get(participant=person, months=1)
        with pytest.raises(ValidationError):
            services.follow_up_fill(follow_up=first, by=hr, via="staff", on=TODAY)
        services.follow_up_fill(
            follow_up=first,
            by=hr,
            via="staff",
            on=datetime.date(2026, 5, 2),
            activity=FollowUp.Activity.OWN_BUSINESS,
            willing_to_mentor=True,
        )
        first.refresh_from_db()
        assert first.in_work and first.filled_via == "staff"

    def test_a_stranger_gets_no_reminder(self, person, hr):
        UserFactory(username="nobody")
        services.return_home(
            participant=person, kind=Return.Kind.END_OF_CONTRACT, on=TODAY, reason="", by=hr
        )
        send_reminders(today=datetime.date(2026, 6, 28))
        assert not Notification.objects.filter(user__username="nobody").exists()


class TestPeriodicTasks:
    def test_beat_runs_the_escalation_and_the_daily_planning(self, settings):
        schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert {"welfare.escalate_cases", "welfare.daily"} <= schedule

    def test_the_escalation_task_escalates(self, person, hr, settings):

        case = open_case(
            person,
            hr,
            severity=Case.Severity.CRITICAL,
            opened_at=timezone.now() - datetime.timedelta(hours=3),
        )
        assert tasks.escalate_cases.delay().get() == 1
        case.refresh_from_db()
        assert case.escalated_at is not None

    def test_the_daily_task_plans_returns_and_reminds(self, cohort, assigned, hr):

        working(cohort, start=add_months(timezone.localdate(), -58))  # ends in about 60 days
        assert tasks.daily.delay().get() == {"return_tasks": 5, "returns": 0}


def test_a_cases_next_step_due_is_reminded_to_those_who_see_the_case(person, hr, leadership):
    case = open_case(person, hr)
    services.case_add_entry(
        case=case,
        by=hr,
        at=timezone.now(),
        action="Telepon",
        next_step="Kunjungan",
        next_due=TODAY,
    )
    send_reminders(today=TODAY)
    step = Notification.objects.filter(key__startswith="case-step-")
    assert set(step.values_list("user__username", flat=True)) == {"hr", "coordinator"}
    assert "Kunjungan" in step.first().text
