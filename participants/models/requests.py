"""What a person asks of the office about their own record through the portal: a change to
an identity field (staff approve it), or the withdrawal of a consent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models.consent import ConsentRecord
from participants.models.people import Participant, ParticipantRowQuerySet

# The identity fields a person may ask to correct; staff check the papers and approve.
IDENTITY_FIELDS = ("full_name", "birth_place", "birth_date", "gender", "kk_number")


class PersonRequestQuerySet(ParticipantRowQuerySet):
    def open(self) -> PersonRequestQuerySet:
        return self.filter(status=PersonRequest.Status.OPEN)


class PersonRequest(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Correction of identity data")
        CONSENT_WITHDRAWAL = "consent", _("Withdrawal of consent")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the office")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    field_name = models.CharField(_("field"), max_length=40, blank=True)
    new_value = models.CharField(_("requested value"), max_length=200, blank=True)
    consent = models.ForeignKey(
        ConsentRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withdrawal_requests",
        verbose_name=_("consent"),
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("answer of the office"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = PersonRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request from a participant")
        verbose_name_plural = _("requests from participants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="identity", consent__isnull=True) & ~Q(field_name="")
                | Q(kind="consent", consent__isnull=False),
                name="person_request_names_its_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(response=""),
                name="person_request_refusal_has_answer",
            ),
            models.UniqueConstraint(
                fields=["consent"],
                condition=Q(status="open"),
                name="person_request_one_open_per_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_kind_display()}"

    @property
    def field_label(self) -> str:
        if not self.field_name:
            return ""
        return str(Participant._meta.get_field(self.field_name).verbose_name)

    def _close(self, status: str, *, by, response: str) -> None:
        self.status = status
        self.response = response
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["status", "response", "reviewed_by", "reviewed_at"])

    def approve(self, *, by, on: datetime.date) -> None:
        """Apply the request: correct the field (checked as the staff form checks it), or
        withdraw the consent as of ``on``."""
        if self.status != self.Status.OPEN:
            raise ValidationError(gettext("This request has already been answered."))
        with transaction.atomic():
            if self.kind == self.Kind.IDENTITY:
                participant = Participant.objects.select_for_update().get(pk=self.participant_id)
                field = Participant._meta.get_field(self.field_name)
                setattr(participant, self.field_name, field.to_python(self.new_value))
                participant.full_clean(validate_unique=False)
                participant.save()
            else:
                self.consent.withdraw(on=on, reason=self.reason)
            self._close(self.Status.APPROVED, by=by, response="")

    def refuse(self, *, by, response: str) -> None:
        if self.status != self.Status.OPEN:
            raise ValidationError(gettext("This request has already been answered."))
        if not response.strip():
            raise ValidationError(gettext("Say why the request is refused: the person reads it."))
        self._close(self.Status.REFUSED, by=by, response=response.strip())
