from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.db import models
from django.http import FileResponse, Http404

from delegation.audit import record_event
from delegation.models import AuditEvent


def private_file_response(request, field_file, *, subject: models.Model) -> FileResponse:
    """Send a private file as an attachment and log who downloaded it.

    Call it only after the view has checked that the user may see ``subject``.
    """
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404("The file is missing.")
    name = PurePath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    record_event(request.user, AuditEvent.Action.DOWNLOAD, subject, detail=name)
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
