"""The portal's own data: the link of an account to its one participant, and invitations."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Participant

INVITATION_DAYS = 7


def token_digest(token: str) -> str:
    """Only the digest of an invitation's token is stored: the link itself is shown once."""
    return hashlib.sha256(token.encode()).hexdigest()


class PortalAccount(models.Model):
    """A participant's (or applicant's) own account: one user, exactly one participant."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_account",
        verbose_name=_("user"),
    )
    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="portal_account",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self) -> str:
        return str(self.participant)


class InvitationQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())

    def visible_to(self, user) -> InvitationQuerySet:
        return self.filter(participant__in=Participant.objects.visible_to(user))


class Invitation(models.Model):
    """A one-time link, valid seven days, with which a participant opens their account."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="portal_invitations",
        verbose_name=_("participant"),
    )
    email = models.EmailField(_("e-mail"))
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(_("e-mail failure"), max_length=300, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.created_at:%Y-%m-%d}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())
