"""“Everything we hold about this participant”: one ZIP for a data-access request.

``records.json`` holds every row about the person (serialised with Django's serialiser, so
every field is there), the change history of each and the audit events about them; ``files/``
holds every stored file. Nothing else in the database is about the person by name.
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
from portal.models import Invitation, PortalAccount
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
    data["audit_events"] = _rows(
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Participant),
            subject_id=str(participant.pk),
        ).order_by("at")
    )
    return data, files


def _collect_files(section: str, rows, files: list) -> None:
    for row in rows:
        for field in _file_fields(type(row)):
            field_file = getattr(row, field.name)
            if field_file and field_file.storage.exists(field_file.name):
                name = PurePath(field_file.name).name
                files.append((f"files/{section}/{row.pk}-{name}", field_file))


def build_archive(participant: Participant):
    """Write the archive to a temporary file and return it, rewound."""
    data, files = participant_records(participant)
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
