from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from delegation.models import AuditEvent


def record_event(
    user, action: str, subject: models.Model | None = None, detail: str = ""
) -> AuditEvent:
    """Record one audit event: ``record_event(request.user, AuditEvent.Action.EXPORT, cohort)``.

    ``detail`` must never carry a NIK or passport number: name the record, not its secrets.
    """
    authenticated = user is not None and user.is_authenticated
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_username=user.get_username() if authenticated else "",
        action=action,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        subject_repr=str(subject)[:300] if subject is not None else "",
        detail=detail,
    )
