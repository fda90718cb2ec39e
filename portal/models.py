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
from recruitment.models import Application, Call

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


class OneTimeLinkQuerySet(models.QuerySet):
    """The links (invitations, e-mail verifications) still usable: not used, not expired."""

    def usable(self, now: datetime.datetime | None = None) -> OneTimeLinkQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class InvitationQuerySet(OneTimeLinkQuerySet):
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


VERIFICATION_HOURS = 48


class EmailVerification(models.Model):
    """The one-time link that proves a self-registered applicant's e-mail address: the account
    stays inactive (no sign-in) until it is opened. Only the token's digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_verifications",
        verbose_name=_("user"),
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = OneTimeLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail verification")
        verbose_name_plural = _("e-mail verifications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="verification_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class ApplicationDraftQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationDraftQuerySet:
        """Staff see the portal's submissions of the calls they see."""
        return self.filter(call__in=Call.objects.visible_to(user))


class ApplicationDraft(models.Model):
    """An applicant's application to one call, as typed in the portal step by step: kept after
    every step (a slow phone or the idle timeout loses nothing), then sent through the
    recruitment service. A submission whose NIK is already known waits for staff review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        HELD = "held", _("Received, being checked by the office")
        REJECTED = "rejected", _("Not accepted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_applications",
        verbose_name=_("account"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="+", verbose_name=_("call")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    data = models.JSONField(_("answers so far"), default=dict, blank=True)
    steps_done = models.JSONField(_("steps completed"), default=list, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("saved at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ApplicationDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal application")
        verbose_name_plural = _("portal applications")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "call"], name="portal_application_once"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(consented_at__isnull=False),
                name="portal_application_sent_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.call}"


class DraftDocument(models.Model):
    """A file the applicant uploaded in the draft, kept until the application is sent."""

    draft = models.ForeignKey(
        ApplicationDraft,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("portal application"),
    )
    name = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to="portal/drafts/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft document")
        verbose_name_plural = _("draft documents")
        ordering = ["draft", "name"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "name"], name="draft_document_once"),
        ]

    def __str__(self) -> str:
        return self.name


class DuplicateReviewQuerySet(models.QuerySet):
    def open(self) -> DuplicateReviewQuerySet:
        return self.filter(status=DuplicateReview.Status.OPEN)

    def visible_to(self, user) -> DuplicateReviewQuerySet:
        return self.filter(draft__in=ApplicationDraft.objects.visible_to(user))


class DuplicateReview(models.Model):
    """A portal application whose NIK is already known (another application, a participant):
    staff decide whether it is someone else (accept), the same person (merge) or not to be
    taken (reject). The applicant is never told that the NIK was known."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        ACCEPTED = "accepted", _("Accepted as another person")
        MERGED = "merged", _("Merged with the known record")
        REJECTED = "rejected", _("Rejected")

    draft = models.OneToOneField(
        ApplicationDraft,
        on_delete=models.CASCADE,
        related_name="duplicate_review",
        verbose_name=_("portal application"),
    )
    same_call = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application to the same call"),
    )
    other_applications = models.ManyToManyField(
        Application, blank=True, related_name="+", verbose_name=_("applications to other calls")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant in the registry"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = DuplicateReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="duplicate_status_idx")]

    def __str__(self) -> str:
        return str(self.draft)
