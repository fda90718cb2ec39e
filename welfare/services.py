"""The workflows of duty of care. Each is keyword-only and runs in one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cohorts.models import ProgramAssignment
from delegation.models import Notification
from delegation.notifications import notifications_deliver
from delegation.roles import Role
from participants import services as participant_services
from participants.geography import country_code
from participants.models import (
    CheckIn,
    Contract,
    CostItem,
    Participant,
    Status,
    StatusChange,
    to_idr,
)
from welfare.models import (
    DEATH_CHECKLIST,
    MISSING_CHECKLIST,
    Case,
    CaseCost,
    ChecklistItem,
    Event,
    EventMember,
    FollowUp,
    Return,
    ReturnTask,
    TimelineEntry,
    add_months,
)

# Who is abroad, for a disaster's list.
ABROAD = (Status.DEPARTED, Status.WORKING, Status.EXTENDED, Status.MISSING)
RETURN_PLANNING_DAYS = 90


# Who hears of what


def hr_staff():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.HR_STAFF).distinct()


def programme_staff(participant: Participant, role: str):
    """The active coordinators or leadership assigned to the participant's programme."""
    if participant.cohort_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=ProgramAssignment.objects.filter(
            program_id=participant.cohort.program_id, role=role
        ).values("user_id"),
    )


def _notify(users, *, key: str, text: str, link: str, subject: str) -> int:
    """One notification per user (once per key) and its e-mail; how many were new."""
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for user in {u.pk: u for u in users}.values():
            notification, made = Notification.objects.get_or_create(
                user=user, key=key[:100], defaults={"text": text[:300], "link": link}
            )
            if made:
                sent += 1
                notifications_deliver(user=user, notifications=[notification], subject=subject)
    return sent


def _programme_words(participant: Participant) -> str:
    cohort = participant.cohort
    return f"{cohort.program.name} · {cohort}" if cohort else "—"


def _notify_critical(case: Case, *, escalated: bool = False) -> int:
    """HR staff read the case; the programme's leadership read that there is one (no name:
    leadership sees counts only)."""
    with override(settings.LANGUAGE_CODE):
        kind = case.get_kind_display() or case.get_status_display()
        if escalated:
            hours = settings.WELFARE_ACKNOWLEDGE_HOURS
            staff_text = _(
                "Critical case of %(name)s (%(kind)s) not acknowledged after %(hours)d hours."
            ) % {"name": case.participant.full_name, "kind": kind, "hours": hours}
            leader_text = _(
                "A critical case (%(kind)s) in %(programme)s is not acknowledged after "
                "%(hours)d hours."
            ) % {"kind": kind, "programme": _programme_words(case.participant), "hours": hours}
            key = f"case-escalated-{case.pk}"
        else:
            staff_text = _("Critical case opened: %(name)s (%(kind)s).") % {
                "name": case.participant.full_name,
                "kind": kind,
            }
            leader_text = _("A critical case (%(kind)s) was opened in %(programme)s.") % {
                "kind": kind,
                "programme": _programme_words(case.participant),
            }
            key = f"case-critical-{case.pk}"
        subject = _("Critical welfare case")
    sent = _notify(
        [*hr_staff(), *([case.owner] if case.owner else [])],
        key=key,
        text=staff_text,
        link=case.get_absolute_url(),
        subject=subject,
    )
    sent += _notify(
        programme_staff(case.participant, Role.LEADERSHIP),
        key=key,
        text=leader_text,
        link=reverse("welfare:case_list"),
        subject=subject,
    )
    return sent


# Cases


def _default_owner(participant: Participant):
    return programme_staff(participant, Role.COORDINATOR).order_by("pk").first()


@transaction.atomic
def case_open(
    *,
    participant: Participant,
    kind: str,
    severity: str,
    reported_via: str,
    description: str,
    by,
    owner=None,
    opened_at: datetime.datetime | None = None,
) -> Case:
    """Open a case; a critical one notifies HR staff and leadership at once."""
    if not description.strip():
        raise ValidationError(_("Describe what happened."))
    case = Case.objects.create(
        participant=participant,
        kind=kind,
        severity=severity,
        reported_via=reported_via,
        description=description.strip(),
        owner=owner or _default_owner(participant) or by,
        opened_at=opened_at or timezone.now(),
        opened_by=by,
        status=Case.Status.OPEN,
    )
    if owner is not None and owner != by:
        _notify_owner(case)
    if case.severity == Case.Severity.CRITICAL:
        _notify_critical(case)
    return case


def _notify_owner(case: Case) -> int:
    with override(settings.LANGUAGE_CODE):
        text = _("You own the case of %(name)s.") % {"name": case.participant.full_name}
        subject = _("Welfare case")
    return _notify(
        [case.owner],
        key=f"case-owner-{case.pk}-{case.owner_id}",
        text=text,
        link=case.get_absolute_url(),
        subject=subject,
    )


@transaction.atomic
def case_from_help_now(
    *,
    participant: Participant,
    concerns: str,
    by,
    via: str = Case.Source.CHECK_IN,
    channel: str = CheckIn.Channel.MESSAGE,
    held_by: str = CheckIn.HeldBy.CITY,
    wellbeing: int,
    work_satisfaction: int,
    on: datetime.date | None = None,
) -> Case:
    """A "help now" check-in (by staff, or by the person through the portal): the check-in
    is kept, a draft case opens at once and the programme's coordinators are notified."""
    if not concerns.strip():
        raise ValidationError(_("Say what help is needed."))
    # The same call for help sent twice (a double submit) is one call: the person's row is
    # locked so that a second request waits for the first and finds its draft.
    Participant.objects.select_for_update().filter(pk=participant.pk).exists()
    sent = (
        Case.objects.filter(
            participant=participant,
            status=Case.Status.DRAFT,
            description=concerns.strip(),
            check_in__date=on or timezone.localdate(),
        )
        .order_by("-pk")
        .first()
    )
    if sent is not None:
        return sent
    check_in = CheckIn.objects.create(
        participant=participant,
        date=on or timezone.localdate(),
        channel=channel,
        held_by=held_by,
        wellbeing=wellbeing,
        work_satisfaction=work_satisfaction,
        concerns=concerns.strip(),
        follow_up_needed=True,
        recorded_by=by,
    )
    case = Case.objects.create(
        participant=participant,
        kind="",
        severity=Case.Severity.HIGH,
        reported_via=via,
        description=concerns.strip(),
        status=Case.Status.DRAFT,
        owner=_default_owner(participant) or by,
        check_in=check_in,
        opened_by=by,
    )
    with override(settings.LANGUAGE_CODE):
        text = _("%(name)s asks for help now: a case draft is open.") % {
            "name": participant.full_name
        }
        subject = _("Help requested")
    coordinators = list(programme_staff(participant, Role.COORDINATOR))
    _notify(
        coordinators or list(hr_staff()),
        key=f"case-help-{case.pk}",
        text=text,
        link=case.get_absolute_url(),
        subject=subject,
    )
    return case


@transaction.atomic
def case_update(*, case: Case, by, kind: str, severity: str, owner, description: str) -> Case:
    """Complete or correct a case; a draft becomes open. Becoming critical notifies."""
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."))
    was_critical = case.severity == Case.Severity.CRITICAL and case.status != Case.Status.DRAFT
    owner_changed = owner is not None and owner != case.owner
    case.kind, case.severity, case.owner = kind, severity, owner
    case.description = description.strip() or case.description
    if case.status == Case.Status.DRAFT:
        case.status = Case.Status.OPEN
    if owner_changed:
        case.acknowledged_at = None
    case.save()
    if owner_changed and owner != by:
        _notify_owner(case)
    if case.severity == Case.Severity.CRITICAL and not was_critical:
        _notify_critical(case)
    return case


@transaction.atomic
def case_acknowledge(*, case: Case, by) -> Case:
    """The owner takes the case in hand: the clock of the escalation stops."""
    if not case.is_open:
        raise ValidationError(_("This case is no longer open."))
    if case.status == Case.Status.DRAFT:
        raise ValidationError(_("Complete the draft (kind and severity) first."))
    if case.owner_id != by.pk:
        raise ValidationError(_("Only the case's owner acknowledges it."))
    case.acknowledged_at = case.acknowledged_at or timezone.now()
    case.status = Case.Status.IN_PROGRESS
    case.save(update_fields=["acknowledged_at", "status"])
    TimelineEntry.objects.create(
        case=case, at=timezone.now(), action=_("Case acknowledged by its owner."), by=by
    )
    return case


@transaction.atomic
def case_add_entry(
    *,
    case: Case,
    by,
    at: datetime.datetime,
    action: str,
    with_whom: str = "",
    attachment=None,
    next_step: str = "",
    next_due: datetime.date | None = None,
) -> TimelineEntry:
    if next_due and not next_step.strip():
        raise ValidationError(_("Name the next step that is due."))
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("A timeline entry cannot be in the future."))
    entry = TimelineEntry(
        case=case,
        at=at,
        action=action.strip(),
        by=by,
        with_whom=with_whom,
        next_step=next_step.strip(),
        next_due=next_due,
    )
    if attachment:
        entry.attachment = attachment
    entry.save()
    if case.status == Case.Status.OPEN:
        case.status = Case.Status.IN_PROGRESS
        case.save(update_fields=["status"])
    return entry


@transaction.atomic
def case_add_cost(
    *,
    case: Case,
    by,
    category: str,
    payer: str,
    amount: Decimal,
    currency: str,
    rate_to_idr: Decimal,
    date: datetime.date,
    description: str,
) -> CostItem:
    """A cost line of the case's participant, listed by the case: the sponsor's promise
    check reads it as any other line."""
    participant = case.participant
    if participant.cohort_id is None:
        raise ValidationError(_("The participant has no batch: the cost has no programme."))
    item = CostItem(
        program=participant.cohort.program,
        cohort=participant.cohort,
        participant=participant,
        category=category,
        payer=payer,
        amount=amount,
        currency=currency,
        rate_to_idr=rate_to_idr,
        amount_idr=to_idr(amount, rate_to_idr),
        date=date,
        description=description.strip(),
        recorded_by=by,
    )
    item.full_clean()
    item.save()
    CaseCost.objects.create(case=case, cost_item=item)
    return item


@transaction.atomic
def case_close(*, case: Case, by, status: str, outcome: str, note: str = "") -> Case:
    """Resolve or close a case; closing needs its outcome."""
    if status not in (Case.Status.RESOLVED, Case.Status.CLOSED):
        raise ValidationError(_("A case is resolved or closed."))
    # Read again under a lock: a closed case is neither resolved nor closed a second time.
    if Case.objects.select_for_update().get(pk=case.pk).status == Case.Status.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."))
    if case.status == Case.Status.DRAFT:
        raise ValidationError(_("Complete the draft (kind and severity) first."))
    if status == Case.Status.CLOSED and not (outcome or case.outcome):
        raise ValidationError(_("Give the outcome before closing the case."))
    open_items = case.checklist.filter(done_on__isnull=True)
    if status == Case.Status.CLOSED and open_items.exists():
        raise ValidationError(
            _("These checklist items are still open: %(items)s.")
            % {"items": ", ".join(str(item) for item in open_items)}
        )
    case.status = status
    case.outcome = outcome or case.outcome
    if status == Case.Status.CLOSED:
        case.closed_at = timezone.now()
    case.save(update_fields=["status", "outcome", "closed_at"])
    TimelineEntry.objects.create(
        case=case,
        at=timezone.now(),
        action=(note.strip() or case.get_status_display()),
        by=by,
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case, by, reason: str) -> Case:
    if case.is_open:
        raise ValidationError(_("This case is open."))
    if not reason.strip():
        raise ValidationError(_("Give the reason to reopen the case."))
    case.status, case.closed_at = Case.Status.IN_PROGRESS, None
    case.save(update_fields=["status", "closed_at"])
    TimelineEntry.objects.create(case=case, at=timezone.now(), action=reason.strip(), by=by)
    return case


def _checklist(case: Case, kinds) -> None:
    for kind in kinds:
        ChecklistItem.objects.get_or_create(case=case, kind=kind)


@transaction.atomic
def case_record_death(*, case: Case, by, on: datetime.date, reason: str) -> Case:
    """The person died: the status "deceased" (the contract ends), the outcome, and the
    checklist of what follows. The heirs item is done when the registry names an heir."""
    if Case.objects.select_for_update().get(pk=case.pk).status == Case.Status.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."))
    participant = case.participant
    if participant.status != Status.DECEASED:
        participant_services.participant_leave_abroad(
            participant=participant, status=Status.DECEASED, on=on, reason=reason, by=by
        )
    case.kind = Case.Kind.DEATH
    case.severity = Case.Severity.CRITICAL
    case.outcome = Case.Outcome.DECEASED
    if case.status == Case.Status.DRAFT:
        case.status = Case.Status.OPEN
    case.save(update_fields=["kind", "severity", "outcome", "status"])
    _checklist(case, DEATH_CHECKLIST)
    if participant.contacts.filter(is_heir=True).exists():
        case.checklist.filter(kind=ChecklistItem.Kind.HEIRS_RECORDED).update(
            done_on=on, note=_("An heir is in the registry.")
        )
    TimelineEntry.objects.create(case=case, at=timezone.now(), action=reason.strip(), by=by)
    return case


@transaction.atomic
def case_record_missing(*, case: Case, by, on: datetime.date, reason: str) -> Case:
    """The person is missing (absconded): the status "missing" and the reports to make."""
    if Case.objects.select_for_update().get(pk=case.pk).status == Case.Status.CLOSED:
        raise ValidationError(_("A closed case cannot be changed."))
    participant = case.participant
    if participant.status != Status.MISSING:
        participant.move(Status.MISSING, by=by, effective_date=on, reason=reason)
    case.kind = Case.Kind.MISSING
    if case.status == Case.Status.DRAFT:
        case.status = Case.Status.OPEN
    case.save(update_fields=["kind", "status"])
    _checklist(case, MISSING_CHECKLIST)
    TimelineEntry.objects.create(case=case, at=timezone.now(), action=reason.strip(), by=by)
    return case


@transaction.atomic
def checklist_item_done(*, item: ChecklistItem, by, on: datetime.date, note: str = ""):
    if on > timezone.localdate():
        raise ValidationError(_("A checklist item cannot be done in the future."))
    item.done_on, item.note = on, note.strip()
    item.save(update_fields=["done_on", "note"])
    TimelineEntry.objects.create(
        case=item.case,
        at=timezone.now(),
        action=f"{item.get_kind_display()}: {note}".strip(),
        by=by,
    )
    return item


def cases_escalate(*, now: datetime.datetime) -> int:
    """Critical cases not acknowledged in time go to HR staff and leadership; each once."""
    escalated = 0
    for case in Case.objects.waiting_for_acknowledgement(now=now).select_related(
        "participant__cohort__program", "owner"
    ):
        with transaction.atomic():
            updated = Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if updated:
                _notify_critical(case, escalated=True)
                escalated += 1
    return escalated


# Disasters


def _abroad_in(country: str):
    """People abroad, with the country of their programme (None when it is unknown)."""
    people = Participant.objects.filter(status__in=ABROAD).select_related("cohort__program")
    for person in people:
        program = person.cohort.program if person.cohort_id else None
        person_country = country_code(program.destination_country) if program else None
        if person_country in (country, None):
            yield person


@transaction.atomic
def event_open(
    *,
    name: str,
    country: str,
    subdivisions: list[str],
    occurred_on: datetime.date,
    by,
    cities: list[str] | None = None,
    description: str = "",
) -> Event:
    """An event in some subdivisions (and, if given, cities) of a country: everyone working
    there is listed, and, as a group of its own, everyone abroad whose place is unknown."""
    if not subdivisions:
        raise ValidationError(_("Pick at least one affected prefecture or region."))
    wrong = [code for code in subdivisions if not code.startswith(f"{country}-")]
    if wrong:
        raise ValidationError(_("These regions are not in the country: %s.") % ", ".join(wrong))
    cities = [" ".join(c.split()) for c in (cities or []) if c.strip()]
    event = Event.objects.create(
        name=name.strip(),
        country=country,
        subdivisions=sorted(subdivisions),
        cities=cities,
        occurred_on=occurred_on,
        description=description.strip(),
        opened_by=by,
    )
    wanted_cities = {c.casefold() for c in cities}
    active = {
        contract.participant_id: contract
        for contract in Contract.objects.active().filter(participant__status__in=ABROAD)
    }
    members = []
    for person in _abroad_in(country):
        contract = active.get(person.pk)
        if contract is None or not contract.subdivision:
            members.append(
                EventMember(event=event, participant=person, group=EventMember.Group.UNKNOWN)
            )
            continue
        if contract.subdivision not in subdivisions:
            continue
        if wanted_cities and contract.city.strip().casefold() not in wanted_cities:
            continue
        members.append(
            EventMember(
                event=event,
                participant=person,
                group=EventMember.Group.LOCATED,
                subdivision=contract.subdivision,
                city=contract.city,
            )
        )
    EventMember.objects.bulk_create(members)
    return event


@transaction.atomic
def event_record(
    *,
    member: EventMember,
    result: str,
    source: str,
    by,
    at: datetime.datetime | None = None,
    note: str = "",
) -> EventMember:
    """Record the answer of one person; "needs help" opens a case (once)."""
    if member.event.status == Event.Status.CLOSED:
        raise ValidationError(_("The event is closed."))
    if result == EventMember.Result.UNCHECKED:
        raise ValidationError(_("Record safe, needs help or not reached."))
    if not source:
        raise ValidationError(_("Give the source of the answer."))
    member.result, member.source, member.note = result, source, note.strip()
    member.checked_at, member.recorded_by = at or timezone.now(), by
    if result == EventMember.Result.NEEDS_HELP and member.case_id is None:
        member.case = case_open(
            participant=member.participant,
            kind=Case.Kind.DISASTER,
            severity=Case.Severity.HIGH,
            reported_via=Case.Source.CHECK_IN,
            description=f"{member.event.name}: {note.strip() or _('needs help')}",
            by=by,
        )
    member.save()
    return member


@transaction.atomic
def event_close(*, event: Event, by, reason: str = "") -> Event:
    """Close the event: everyone reached, or a reason for those who were not."""
    if event.status == Event.Status.CLOSED:
        raise ValidationError(_("The event is already closed."))
    waiting = event.members.not_reached().count()
    if waiting and not reason.strip():
        raise ValidationError(
            _("%(count)d people are not reached yet: reach them or give the reason to close.")
            % {"count": waiting}
        )
    event.status, event.closed_at, event.close_reason = (
        Event.Status.CLOSED,
        timezone.now(),
        reason.strip(),
    )
    event.save(update_fields=["status", "closed_at", "close_reason"])
    return event


# The way home


@transaction.atomic
def return_home(
    *,
    participant: Participant,
    kind: str,
    on: datetime.date,
    reason: str,
    by,
    case: Case | None = None,
    journey_paid_by: str = CostItem.Payer.SPONSOR,
) -> Return:
    """The one way anyone comes back: early (with a case) or at the end of the contract.
    The status moves and the contract ends (``participant_leave_abroad``), who pays the
    journey home is recorded, and the follow-ups at 1, 6 and 12 months are scheduled."""
    if kind == Return.Kind.EARLY:
        if case is None:
            raise ValidationError(_("An early return needs its case."))
        status = Status.RETURNED_EARLY
    elif kind == Return.Kind.END_OF_CONTRACT:
        status = Status.COMPLETED
    else:
        raise ValidationError(_("Unknown kind of return."))
    if case is not None and case.participant_id != participant.pk:
        raise ValidationError(_("The case is of another participant."))
    if Return.objects.filter(participant=participant).exists():
        raise ValidationError(_("This participant's return is already recorded."))
    participant_services.participant_leave_abroad(
        participant=participant,
        status=status,
        on=on,
        reason=reason.strip() or Return.Kind(kind).label,
        by=by,
    )
    home = _home_recorded(
        participant=participant,
        kind=kind,
        on=on,
        reason=reason,
        by=by,
        case=case,
        journey_paid_by=journey_paid_by,
    )
    if case is not None and not case.outcome:
        case.outcome = Case.Outcome.RETURNED_EARLY
        case.save(update_fields=["outcome"])
    return home


def _home_recorded(*, participant, kind, on, reason, by, case=None, journey_paid_by) -> Return:
    """The return's record, its follow-ups at 1, 6 and 12 months, and the end of the return
    plan's open items (the pension claim excepted: it is made after return)."""
    home = Return.objects.create(
        participant=participant,
        kind=kind,
        returned_on=on,
        reason=reason.strip(),
        case=case,
        journey_paid_by=journey_paid_by,
        recorded_by=by,
    )
    FollowUp.objects.bulk_create(
        FollowUp(participant=participant, months=months, due_on=add_months(on, months))
        for months in FollowUp.MONTHS
    )
    ReturnTask.objects.filter(participant=participant, done_on__isnull=True).exclude(
        kind=ReturnTask.Kind.PENSION_LUMP_SUM
    ).delete()
    return home


# The nightly contracts task completes those whose contract ran out (``participants`` cannot
# record a return); the daily task records their return home. A completion older than this
# (from before the duty of care was kept, or a long outage) gets no follow-ups.
COMPLETION_CAUGHT_UP_DAYS = 31


@transaction.atomic
def returns_after_contracts(*, today: datetime.date) -> int:
    """Record the return home of everyone whose contract was completed by the contracts task
    without one, dated the day they completed, with its follow-ups. Returns how many."""
    since = today - datetime.timedelta(days=COMPLETION_CAUGHT_UP_DAYS)
    completions = (
        StatusChange.objects.filter(
            kind=StatusChange.Kind.STATUS,
            to_status=Status.COMPLETED,
            effective_date__gte=since,
            effective_date__lte=today,
            participant__status=Status.COMPLETED,
            participant__return_home__isnull=True,
        )
        .select_related("participant")
        .order_by("participant_id", "-effective_date")
        .distinct("participant_id")
    )
    recorded = 0
    for change in completions:
        _home_recorded(
            participant=change.participant,
            kind=Return.Kind.END_OF_CONTRACT,
            on=change.effective_date,
            reason=change.reason,
            by=None,
            journey_paid_by=CostItem.Payer.SPONSOR,
        )
        recorded += 1
    return recorded


def return_tasks_due(contract: Contract) -> dict[str, datetime.date]:
    """The return plan of a contract and each item's due date."""
    end = contract.end_date
    return {
        ReturnTask.Kind.EXTENSION_WISH: end - datetime.timedelta(days=75),
        ReturnTask.Kind.TICKET: end - datetime.timedelta(days=45),
        ReturnTask.Kind.LAST_SALARY: end,
        ReturnTask.Kind.RESIDENCE_CARD: end + datetime.timedelta(days=1),
        # Japan's lump-sum withdrawal payment is claimed within two years of leaving.
        ReturnTask.Kind.PENSION_LUMP_SUM: add_months(end, 24),
    }


@transaction.atomic
def return_planning(*, today: datetime.date) -> int:
    """The plan of every active contract ending within 90 days and not extended. Safe to run
    again: an item is made once."""
    made = 0
    for contract in Contract.objects.ending_within(
        today=today, months=RETURN_PLANNING_DAYS / 30.44
    ).select_related("participant"):
        for kind, due in return_tasks_due(contract).items():
            _task, created = ReturnTask.objects.get_or_create(
                contract=contract,
                kind=kind,
                defaults={"participant": contract.participant, "due_on": due},
            )
            made += created
    return made


@transaction.atomic
def return_task_done(*, task: ReturnTask, by, on: datetime.date, note: str = "") -> ReturnTask:
    if on > timezone.localdate():
        raise ValidationError(_("An item cannot be done in the future."))
    task.done_on, task.note = on, note.strip()
    task.save(update_fields=["done_on", "note"])
    return task


@transaction.atomic
def return_plan_extend(*, contract: Contract, term_years: int, by) -> Contract:
    """The person wishes to extend: the contract is extended and the plan to go home is
    dropped (the wish item stays, done)."""
    extension = participant_services.contract_extend(
        contract=contract, term_years=term_years, by=by
    )
    ReturnTask.objects.filter(contract=contract, kind=ReturnTask.Kind.EXTENSION_WISH).update(
        done_on=timezone.localdate(), note=_("Wishes to extend: contract extended.")
    )
    ReturnTask.objects.filter(contract=contract, done_on__isnull=True).delete()
    return extension


# After return


@transaction.atomic
def follow_up_fill(*, follow_up: FollowUp, by, via: str, on: datetime.date, **answers) -> FollowUp:
    """Record a follow-up's answers (by staff, or by the returnee through the portal)."""
    if not answers.get("activity"):
        raise ValidationError(_("Say what the person does now."))
    if on > timezone.localdate():
        raise ValidationError(_("A follow-up cannot be filled in the future."))
    unknown = set(answers) - set(FollowUp.ANSWER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown answers: %s.") % ", ".join(sorted(unknown)))
    for field, value in answers.items():
        setattr(follow_up, field, value)
    follow_up.filled_on, follow_up.filled_by, follow_up.filled_via = on, by, via
    follow_up.save()
    return follow_up
