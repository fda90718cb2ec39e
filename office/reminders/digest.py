"""Daily reminders: expiring documents, agreements and contracts ending within six months,
overdue check-ins, and duty of care's (follow-ups after return due within a week, return-plan
items due, cases' next steps due). HR staff get those of every programme; coordinators those of the
programmes they coordinate (what they may see). Each becomes a notification in the app (once
per subject and user) and the new ones go out in one e-mail digest through the core's
delivery (``delegation.notifications``), which records when it was sent or why not.

Each kind of reminder about people names at most ``ITEMISED_AT_MOST`` of them, the most
urgent first, and sums up the rest in one line of the day: at national scale a user sees
thousands of expiring documents and contracts, and a notification for each (made one by
one for every user) took the morning's run more than half an hour.

Celery beat runs ``send_reminders`` every morning; without a broker (``make run``) the first
signed-in visit of the day runs it (``DailyRemindersMiddleware``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from cohorts.models import Agreement
from delegation.models import Notification
from delegation.notifications import notifications_deliver
from delegation.roles import Role
from participants.models import Contract, Document, Participant, overdue_check_ins
from welfare.models import Case, FollowUp, ReturnTask, TimelineEntry

SIX_MONTHS = 183
# Reminders of one kind named one by one, per user and day; the rest are summed up.
ITEMISED_AT_MOST = 25
# The roles that get reminders; each reads those of the participants and programmes it sees.
RECIPIENT_ROLES = (Role.HR_STAFF, Role.COORDINATOR)


@dataclass(frozen=True)
class Reminder:
    key: str
    text: str
    link: str


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def _capped(found, ordering: list[str], each, rest) -> list[Reminder]:
    """A reminder (``each``) for each of the first ``ITEMISED_AT_MOST`` of ``found`` in
    ``ordering``, and one (``rest(count)``) for the others, if there are more."""
    first = list(found.order_by(*ordering, "pk")[: ITEMISED_AT_MOST + 1])
    reminders = [each(item) for item in first[:ITEMISED_AT_MOST]]
    if len(first) > ITEMISED_AT_MOST:
        reminders.append(rest(found.count() - ITEMISED_AT_MOST))
    return reminders


def collect(*, today: datetime.date, user) -> list[Reminder]:
    """Today's reminders about what ``user`` may see."""
    reminders = _capped(
        Document.objects.visible_to(user)
        .current()
        .expiring(today)
        .exclude(participant__status__in=["withdrawn", "completed", "returned_early", "deceased"])
        .select_related("document_type", "participant"),
        ["expires_on"],
        lambda document: Reminder(
            f"document-{document.pk}-{document.expires_on}",
            _("%(document)s of %(name)s expires on %(date)s.")
            % {
                "document": document.document_type.name,
                "name": document.participant.full_name,
                "date": _day(document.expires_on),
            },
            reverse("participant_profile", args=[document.participant_id]),
        ),
        lambda count: Reminder(
            f"documents-more-{today}",
            _("%(count)d more documents expire within their notice period.") % {"count": count},
            reverse("dashboard"),
        ),
    )
    for agreement in (
        Agreement.objects.visible_to(user)
        .expiring(today=today, within_days=SIX_MONTHS)
        .select_related("program")
    ):
        reminders.append(
            Reminder(
                f"agreement-{agreement.pk}-{agreement.valid_until}",
                _("Agreement %(number)s of %(program)s ends on %(date)s.")
                % {
                    "number": agreement.number,
                    "program": agreement.program.name,
                    "date": _day(agreement.valid_until),
                },
                agreement.program.get_absolute_url(),
            )
        )
    reminders += _capped(
        Contract.objects.visible_to(user)
        .ending_within(today=today, months=6)
        .select_related("participant"),
        ["end_date"],
        lambda contract: Reminder(
            f"contract-{contract.pk}-{contract.end_date}",
            _("The contract of %(name)s ends on %(date)s.")
            % {"name": contract.participant.full_name, "date": _day(contract.end_date)},
            reverse("participant_profile", args=[contract.participant_id]),
        ),
        lambda count: Reminder(
            f"contracts-more-{today}",
            _("%(count)d more contracts end within six months.") % {"count": count},
            reverse("participants:contract_list") + "?ending=6",
        ),
    )
    overdue = overdue_check_ins(Participant.objects.visible_to(user), today=today).count()
    if overdue:
        reminders.append(
            Reminder(
                f"check-ins-{today}",
                _("%(count)d participants working abroad are overdue for a check-in.")
                % {"count": overdue},
                reverse("participants:monitoring"),
            )
        )
    reminders += _welfare(today=today, user=user)
    return reminders


def _welfare(*, today: datetime.date, user) -> list[Reminder]:
    """Follow-ups after return due within a week, return-plan items and cases' next steps
    due by today, of the people the user sees."""
    soon = today + datetime.timedelta(days=7)
    reminders = _capped(
        FollowUp.objects.visible_to(user)
        .due(today=today, within_days=7)
        .select_related("participant"),
        ["due_on"],
        lambda follow_up: Reminder(
            f"follow-up-{follow_up.pk}",
            _("The %(months)d-month follow-up of %(name)s is due on %(date)s.")
            % {
                "months": follow_up.months,
                "name": follow_up.participant.full_name,
                "date": _day(follow_up.due_on),
            },
            reverse("welfare:follow_up_fill", args=[follow_up.pk]),
        ),
        lambda count: Reminder(
            f"follow-ups-more-{today}",
            _("%(count)d more follow-ups after return are due within a week.") % {"count": count},
            reverse("welfare:follow_up_list"),
        ),
    )
    waiting = ReturnTask.objects.visible_to(user).pending().filter(due_on__lte=soon).count()
    if waiting:
        reminders.append(
            Reminder(
                f"return-tasks-{today}",
                _("%(count)d items of return plans are due within a week.") % {"count": waiting},
                reverse("welfare:return_planning"),
            )
        )
    reminders += _capped(
        TimelineEntry.objects.visible_to(user)
        .filter(case__status__in=Case.OPEN_STATUSES, next_due__lte=today)
        .select_related("case__participant"),
        ["next_due"],
        lambda entry: Reminder(
            f"case-step-{entry.pk}-{entry.next_due}",
            _("Next step of the case of %(name)s was due on %(date)s: %(step)s")
            % {
                "name": entry.case.participant.full_name,
                "date": _day(entry.next_due),
                "step": entry.next_step,
            },
            entry.case.get_absolute_url(),
        ),
        lambda count: Reminder(
            f"case-steps-more-{today}",
            _("%(count)d more next steps of open cases are overdue.") % {"count": count},
            reverse("welfare:case_list"),
        ),
    )
    return reminders


def recipients():
    """Active HR staff and coordinators."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=RECIPIENT_ROLES)
        .distinct()
        .order_by("pk")
    )


def send_reminders(*, today: datetime.date) -> int:
    """Notify every active HR staff member and coordinator of today's reminders about what
    they see; e-mail each their new ones in one digest. Return how many notifications were
    new. Safe to run again: a reminder already given is not given (nor e-mailed) twice."""
    created = 0
    with override(settings.LANGUAGE_CODE):
        for user in recipients():
            fresh = []
            for reminder in collect(today=today, user=user):
                notification, made = Notification.objects.get_or_create(
                    user=user,
                    key=reminder.key,
                    defaults={"text": reminder.text[:300], "link": reminder.link},
                )
                if made:
                    fresh.append(notification)
            created += len(fresh)
            notifications_deliver(
                user=user,
                notifications=fresh,
                subject=_("Daily reminders: %(count)d new") % {"count": len(fresh)},
            )
    return created
