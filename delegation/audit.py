from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import models

from delegation.models import AuditEvent

# A NIK (16 digits) or a passport number (one or two letters and six to eight digits), as a
# label or an uploaded file's name may carry them ("paspor_C1234567.pdf").
IDENTIFIERS = re.compile(
    r"(?<![0-9])[0-9]{16}(?![0-9])|(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9]{6,8}(?![0-9])"
)


def without_identifiers(text: str) -> str:
    """``text`` with every NIK- or passport-shaped number replaced by "…"."""
    return IDENTIFIERS.sub("…", text)


def record_event(
    user, action: str, subject: models.Model | None = None, detail: str = ""
) -> AuditEvent:
    """Record one audit event: ``record_event(request.user, AuditEvent.Action.EXPORT, cohort)``.

    ``detail`` must never carry a NIK or passport number: name the record, not its secrets.
    Whatever looks like one in the detail or the subject's label (a file's name, a number in
    a label) is blanked before it is stored.
    """
    authenticated = user is not None and user.is_authenticated
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_username=user.get_username() if authenticated else "",
        action=action,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        subject_repr=without_identifiers(str(subject))[:300] if subject is not None else "",
        detail=without_identifiers(detail),
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
    """Admin mixin for models that hold sensitive fields: opening a record is a logged read,
    and so are its history list (which shows each change's old and new values) and each of
    its earlier versions (simple-history's pages, when the admin is a ``SimpleHistoryAdmin``).
    """

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_read(request, response, object_id, "Django admin")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_read(request, response, object_id, "Django admin: history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        detail = f"Django admin: history version {version_id}"
        self._record_read(request, response, object_id, detail)
        return response

    def _record_read(self, request, response, object_id, detail: str) -> None:
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, obj, detail=detail)
