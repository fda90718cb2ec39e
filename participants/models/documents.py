"""Identity and travel documents, their types and what each programme requires."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import Program
from participants.models.people import Participant, ParticipantRowQuerySet


class DocumentType(models.Model):
    """A kind of document (passport, visa, medical check...) with its expiry lead time."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    expiry_lead_days = models.PositiveSmallIntegerField(
        _("warn before expiry (days)"),
        default=30,
        help_text=_("How many days before it expires a document shows as expiring."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class DocumentRequirement(models.Model):
    """A document a participant of the programme must hold before departure."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="document_requirements",
        verbose_name=_("programme"),
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        ordering = ["document_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "document_type"], name="document_requirement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.document_type}"


class DocumentQuerySet(ParticipantRowQuerySet):
    def verified(self) -> DocumentQuerySet:
        """Documents staff entered or accepted: uploads awaiting review or refused are not."""
        return self.filter(review=Document.Review.VERIFIED)

    def awaiting_review(self) -> DocumentQuerySet:
        return self.filter(review=Document.Review.PENDING)

    def current(self) -> DocumentQuerySet:
        """Verified documents not replaced by a renewal: the ones that count (readiness,
        expiry reminders, the profile). A person's own upload counts once staff accept it."""
        return self.verified().filter(renewed_by__isnull=True)

    def expiring(self, on: datetime.date) -> DocumentQuerySet:
        """Documents whose expiry falls within their type's lead time from ``on``.

        Counted in the database, one window per document type (there are few), so the
        dashboard need not load every document expiring within a year to count them.
        """
        window = Q()
        leads = []
        for pk, lead in DocumentType.objects.values_list("pk", "expiry_lead_days"):
            leads.append(lead)
            window |= Q(document_type_id=pk, expires_on__lte=on + datetime.timedelta(days=lead))
        if not window:
            return self.none()
        # The widest window as well, so an index on the expiry date finds the few rows.
        widest = on + datetime.timedelta(days=max(leads))
        return self.filter(window, expires_on__gte=on, expires_on__lte=widest)


class Document(models.Model):
    class Review(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        PENDING = "pending", _("Awaiting verification")
        REFUSED = "refused", _("Refused")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("participant"),
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("document type"),
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="participants/documents/%Y/", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("replaces"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # A document the person uploaded through the portal waits for staff to accept it; one
    # staff enter themselves is verified from the start.
    review = models.CharField(
        _("verification"), max_length=10, choices=Review.choices, default=Review.VERIFIED
    )
    refusal_reason = models.TextField(
        _("reason for refusal"), blank=True, help_text=_("Shown to the person who uploaded it.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    reviewed_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["document_type__order", "-issued_on"]
        permissions = [("download_document", _("Can download participant document files"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(review="refused") | ~Q(refusal_reason=""),
                name="document_refusal_has_reason",
            ),
        ]
        indexes = [
            # The participant search looks passport numbers up whatever their case.
            models.Index(Upper("number"), name="document_number_upper_idx"),
            # The dashboard and the reminders count documents expiring soon.
            models.Index(fields=["expires_on"], name="document_expires_on_idx"),
            # The verification queue lists the uploads awaiting review.
            models.Index(
                fields=["created_at"],
                condition=Q(review="pending"),
                name="document_awaiting_review_idx",
            ),
        ]

    def __str__(self) -> str:
        # The type only: this label is what the audit trail and the admin's log keep, and a
        # passport or KTP number must never be among them.
        return str(self.document_type)

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError(
                {"expires_on": gettext("A document cannot expire before it is issued.")}
            )

    def is_expired(self, on: datetime.date) -> bool:
        return self.expires_on is not None and self.expires_on < on

    def is_expiring(self, on: datetime.date) -> bool:
        lead = datetime.timedelta(days=self.document_type.expiry_lead_days)
        return self.expires_on is not None and on <= self.expires_on <= on + lead
