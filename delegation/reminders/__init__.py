"""Daily reminders for HR staff: expiring documents, agreements and contracts ending within
six months, overdue check-ins. Each becomes a notification in the app (once per subject) and
the new ones go out in one e-mail digest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from cohorts.models import Agreement
from delegation.models import Notification
from delegation.roles import Role
from participants.models import Contract, Document, Participant, overdue_check_ins

SIX_MONTHS = 183


@dataclass(frozen=True)
class Reminder:
    key: str
    text: str
    link: str


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def collect(*, today: datetime.date) -> list[Reminder]:
    reminders = []
    for document in (
        Document.objects.current()
        .expiring(today)
        .exclude(participant__status__in=["withdrawn", "completed", "returned_early"])
        .select_related("document_type", "participant")
    ):
        reminders.append(
            Reminder(
                f"document-{document.pk}-{document.expires_on}",
                _("%(document)s of %(name)s expires on %(date)s.")
                % {
                    "document": document.document_type.name,
                    "name": document.participant.full_name,
                    "date": _day(document.expires_on),
                },
                reverse("participant_profile", args=[document.participant_id]),
            )
        )
    for agreement in Agreement.objects.expiring(today=today, within_days=SIX_MONTHS).select_related(
        "program"
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
    for contract in Contract.objects.ending_within(today=today, months=6).select_related(
        "participant"
    ):
        reminders.append(
            Reminder(
                f"contract-{contract.pk}-{contract.end_date}",
                _("The contract of %(name)s ends on %(date)s.")
                % {"name": contract.participant.full_name, "date": _day(contract.end_date)},
                reverse("participant_profile", args=[contract.participant_id]),
            )
        )
    overdue = overdue_check_ins(Participant.objects.all(), today=today).count()
    if overdue:
        reminders.append(
            Reminder(
                f"check-ins-{today}",
                _("%(count)d participants working abroad are overdue for a check-in.")
                % {"count": overdue},
                reverse("participants:monitoring"),
            )
        )
    return reminders


def send_reminders(*, today: datetime.date) -> int:
    """Notify every active HR staff member; return how many notifications were new."""
    with override(settings.LANGUAGE_CODE):
        reminders = collect(today=today)
        users = get_user_model().objects.filter(is_active=True, groups__name=Role.HR_STAFF)
        created = 0
        for user in users:
            fresh = []
            for reminder in reminders:
                _notification, made = Notification.objects.get_or_create(
                    user=user,
                    key=reminder.key,
                    defaults={"text": reminder.text[:300], "link": reminder.link},
                )
                if made:
                    fresh.append(reminder)
            created += len(fresh)
            if fresh and user.email:
                lines = "\n".join(f"- {r.text} {settings.SITE_URL}{r.link}" for r in fresh)
                send_mail(
                    _("Daily reminders: %(count)d new") % {"count": len(fresh)},
                    lines,
                    None,
                    [user.email],
                )
    return created
