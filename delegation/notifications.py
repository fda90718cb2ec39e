"""Delivering notifications by e-mail, for every feature that notifies users.

A notification is first a row in the app (``Notification``); ``notifications_deliver`` then
sends a user's new ones in one message through Django's mail, that is the backend
``EMAIL_URL`` configures (SMTP in production, the console for ``make run``, the in-memory
outbox in tests), and records on each row when it went out, or why it did not.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegation.models import Notification

logger = logging.getLogger(__name__)


def message_deliver(*, address: str, subject: str, body: str) -> str:
    """Send one e-mail through the configured backend; "" when sent, else why it was not.

    For messages to someone who has no account yet (an invitation to the portal); a failure
    never raises, and the reason names the server or the refusal, never the address."""
    if not address:
        return _("No e-mail address.")
    try:
        send_mail(subject, body, None, [address])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("E-mail failed: %s", type(error).__name__)
        return (str(error)[:300] or type(error).__name__)[:300]
    return ""


def notifications_deliver(*, user, notifications: list[Notification], subject: str) -> bool:
    """E-mail ``notifications`` (all of ``user``) to ``user`` in one message; True if sent.

    Each row gets ``emailed_at`` when the message was handed to the mail backend, or
    ``email_error`` when it could not be (no address, a refused or unreachable server). A
    failure never raises: the notifications stay in the app, and the next delivery of the
    same rows may try again."""
    if not notifications:
        return False
    ids = [n.pk for n in notifications]
    if not user.email:
        _record_failure(ids, _("The user has no e-mail address."))
        return False
    body = "\n".join(
        f"- {n.text} {settings.SITE_URL}{n.link}" if n.link else f"- {n.text}"
        for n in notifications
    )
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        # The error names the server or the refusal, not the content; the address stays out.
        logger.warning("Notification e-mail to user %s failed: %s", user.pk, type(error).__name__)
        _record_failure(ids, str(error)[:300] or type(error).__name__)
        return False
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now(), email_error="")
    return True


def _record_failure(ids: list[int], reason: str) -> None:
    Notification.objects.filter(pk__in=ids).update(email_error=reason[:300])


def notify(*, user, text: str, link: str, subject: str, key: str = "") -> Notification | None:
    """A notification in the app for ``user``, e-mailed through ``notifications_deliver`` once
    the surrounding transaction commits. With a ``key``, only once: a second call with the
    same key makes nothing and returns None."""
    if key:
        notification, made = Notification.objects.get_or_create(
            user=user, key=key[:100], defaults={"text": text[:300], "link": link}
        )
        if not made:
            return None
    else:
        notification = Notification.objects.create(user=user, text=text[:300], link=link)
    transaction.on_commit(
        lambda: notifications_deliver(user=user, notifications=[notification], subject=subject)
    )
    return notification
