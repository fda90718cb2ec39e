"""“Everything we hold about this participant”: one ZIP for a data-access request.

``records.json`` holds every row about the person (serialised with Django's serialiser, so
every field is there), the change history of each and the audit events about them; ``files/``
holds every stored file. Nothing else in the database is about the person by name. Their
applications to the selection (found by the participant or the NIK) and the portal drafts
that sent them, or that their portal account started, are there too, with their uploads.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from delegation.models import AuditEvent
from participants.models import (
    CheckIn,
    ConsentRecord,
    Contact,
    Contract,
    CostItem,
    Document,
    Participant,
    PersonRequest,
    Residence,
    StatusChange,
)
from portal.models import ApplicationDraft, DraftDocument, Invitation, PortalAccount
from recruitment.models import Application, ApplicationDocument
from training.models import Attendance, Certificate, ExamResult

# What the archive holds, section by section: a name and the rows about the person.
SECTIONS: list[tuple[str, type[models.Model]]] = [
    ("status_changes", StatusChange),
    ("documents", Document),
    ("contacts", Contact),
    ("contracts", Contract),
    ("life_abroad", Residence),
    ("check_ins", CheckIn),
    ("costs", CostItem),
    ("attendance", Attendance),
    ("exam_results", ExamResult),
    ("certificates", Certificate),
    ("consents", ConsentRecord),
    ("requests_to_the_office", PersonRequest),
    ("portal_account", PortalAccount),
    ("portal_invitations", Invitation),
]


def _rows(queryset) -> list[dict]:
    return serializers.serialize("python", queryset)


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def participant_records(participant: Participant) -> tuple[dict, list[tuple[str, object]]]:
    """The JSON-ready records about the person and the stored files to add: (name, FieldFile)."""
    files: list[tuple[str, object]] = []
    data: dict = {
        "generated_at": timezone.now(),
        "participant": _rows(Participant.objects.filter(pk=participant.pk))[0],
    }
    _collect_files("participant", [participant], files)
    history = {"participant": _rows(participant.history.order_by("history_date"))}
    for name, model in SECTIONS:
        rows = model._default_manager.filter(participant=participant).order_by("pk")
        data[name] = _rows(rows)
        _collect_files(name, rows, files)
        if hasattr(model, "history"):
            history[name] = _rows(
                model.history.filter(participant_id=participant.pk).order_by("history_date")
            )
    data["change_history"] = history
    _applications(participant, data, files)
    data["audit_events"] = _rows(
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Participant),
            subject_id=str(participant.pk),
        ).order_by("at")
    )
    return data, files


def _applications(participant: Participant, data: dict, files: list) -> None:
    """The person's applications and portal drafts, with the files given with them."""
    applications = Application.objects.filter(
        Q(participant=participant) | Q(nik=participant.nik)
    ).order_by("pk")
    drafts = ApplicationDraft.objects.filter(
        Q(application__in=applications) | Q(user__portal_account__participant=participant)
    ).order_by("pk")
    sections = [
        ("applications", applications),
        ("application_documents", ApplicationDocument.objects.filter(application__in=applications)),
        ("portal_applications", drafts),
        ("portal_application_documents", DraftDocument.objects.filter(draft__in=drafts)),
    ]
    for name, rows in sections:
        rows = rows.order_by("pk")
        data[name] = _rows(rows)
        _collect_files(name, rows, files)


def account_records(user) -> tuple[dict, list[tuple[str, object]]]:
    """An applicant's portal account with no participant yet: the portal applications it
    started, the applications they sent and the files given with both."""
    files: list[tuple[str, object]] = []
    drafts = ApplicationDraft.objects.filter(user=user).order_by("pk")
    applications = Application.objects.filter(
        pk__in=drafts.exclude(application=None).values("application")
    )
    data: dict = {"generated_at": timezone.now(), "account": {"e-mail": user.email}}
    sections = [
        ("applications", applications),
        ("application_documents", ApplicationDocument.objects.filter(application__in=applications)),
        ("portal_applications", drafts),
        ("portal_application_documents", DraftDocument.objects.filter(draft__in=drafts)),
    ]
    for name, rows in sections:
        rows = rows.order_by("pk")
        data[name] = _rows(rows)
        _collect_files(name, rows, files)
    return data, files


def _collect_files(section: str, rows, files: list) -> None:
    for row in rows:
        for field in _file_fields(type(row)):
            field_file = getattr(row, field.name)
            if field_file and field_file.storage.exists(field_file.name):
                name = PurePath(field_file.name).name
                files.append((f"files/{section}/{row.pk}-{name}", field_file))


def build_archive(participant: Participant | None = None, *, user=None):
    """Write the archive of a participant (or of an applicant's ``user`` account with no
    participant) to a temporary file and return it, rewound."""
    data, files = participant_records(participant) if participant else account_records(user)
    # Handed to the response, which closes it once sent.
    archive = tempfile.TemporaryFile()  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(
            "records.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, field_file in files:
            with field_file.open("rb") as handle:
                bundle.writestr(name, handle.read())
    archive.seek(0)
    return archive
