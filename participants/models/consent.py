"""Consent to processing and to the transfer of a participant's data abroad (UU 27/2022)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import Partner
from participants.models.people import Participant, ParticipantRowQuerySet


class ConsentRecordQuerySet(ParticipantRowQuerySet):
    def in_force(self) -> ConsentRecordQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class ConsentRecord(models.Model):
    """A consent to the processing of the person's data, or to its transfer abroad: signed on
    paper (the scan is kept) or given online in the portal (the text's version, the time and
    the account are kept)."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", _("Processing of personal data")
        TRANSFER = "transfer", _("Transfer of personal data abroad")

    class Form(models.TextChoices):
        SIGNED = "signed", _("Signed form")
        ONLINE = "online", _("Given online in the portal")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipient = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
        help_text=_("The partner or employer abroad who receives the data (transfers only)."),
    )
    given_on = models.DateField(_("given on"))
    scope = models.TextField(
        _("scope"), help_text=_("Which data, for which purpose, as written in the signed form.")
    )
    form = models.CharField(_("given as"), max_length=10, choices=Form.choices, default=Form.SIGNED)
    signed_file = models.FileField(
        _("signed form"), upload_to="participants/consents/%Y/", blank=True
    )
    text_version = models.CharField(
        _("consent text version"), max_length=20, blank=True, help_text=_("Online consents.")
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given from the account"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="processing", recipient__isnull=True)
                | Q(kind="transfer", recipient__isnull=False),
                name="consent_transfer_names_its_recipient",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        if self.recipient_id:
            return f"{self.get_kind_display()} → {self.recipient} ({self.given_on})"
        return f"{self.get_kind_display()} ({self.given_on})"

    def clean(self) -> None:
        if self.kind == self.Kind.TRANSFER and not self.recipient_id:
            raise ValidationError(
                {"recipient": gettext("Name the partner or employer who receives the data.")}
            )
        if self.kind == self.Kind.PROCESSING:
            self.recipient = None
        if self.form == self.Form.SIGNED and not self.signed_file:
            raise ValidationError({"signed_file": gettext("Attach the scan of the signed form.")})
        if self.form == self.Form.ONLINE and not self.text_version:
            raise ValidationError(
                {"text_version": gettext("Give the version of the text agreed to online.")}
            )

    def withdraw(self, *, on, reason: str) -> None:
        """Record that the person withdrew this consent on ``on``."""
        if self.withdrawn_on is not None:
            raise ValidationError(gettext("This consent was already withdrawn."))
        if on < self.given_on:
            raise ValidationError(gettext("A consent cannot be withdrawn before it was given."))
        self.withdrawn_on = on
        self.withdrawal_reason = reason
        self.save(update_fields=["withdrawn_on", "withdrawal_reason"])
