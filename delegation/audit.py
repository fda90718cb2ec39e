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


class AuditedDeletionAdmin:
    """Admin mixin: every deletion through the Django admin writes a delete event.

    Put it before ``admin.ModelAdmin`` (or ``SimpleHistoryAdmin``) in the bases. The event is
    written in the same transaction as the deletion, before the row is gone.
    """

    def delete_model(self, request, obj):
        record_event(request.user, AuditEvent.Action.DELETE, obj, detail=_deleted(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(request.user, AuditEvent.Action.DELETE, obj, detail=_deleted(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        record_formset_deletions(request.user, formset)
        super().save_formset(request, form, formset, change)


def record_formset_deletions(user, formset) -> None:
    """Log the rows a valid formset is about to delete; call it before ``formset.save()``."""
    for deleted in formset.deleted_forms:
        if deleted.instance.pk is not None:
            record_event(
                user, AuditEvent.Action.DELETE, deleted.instance, detail=str(deleted.instance)
            )


def _deleted(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name} deleted in the admin"


class AuditedReadAdmin:
    """Admin mixin for models that hold sensitive fields: opening a record is a logged read."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(
                    request.user, AuditEvent.Action.VIEW_SENSITIVE, obj, detail="Django admin"
                )
        return response
