"""Document numbers in the organisation's format, without gaps or repeats."""

from __future__ import annotations

import datetime

from django.db import transaction

from delegation.models import DocumentCounter, Organisation

DEFAULT_FORMAT = "{seq:03d}/{code}/{year}"
# The longest number a document may carry (certificates store theirs in 100 characters).
NUMBER_MAX_LENGTH = 100


@transaction.atomic
def issue_number(code: str, *, on: datetime.date) -> str:
    """The next number for ``code`` in ``on``'s year, e.g. "007/DP-KS/2026".

    The counter row is locked for the transaction, so two requests never get the same number,
    and a rolled-back transaction gives its number back.
    """
    DocumentCounter.objects.get_or_create(code=code, year=on.year)
    counter = DocumentCounter.objects.select_for_update().get(code=code, year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    organisation = Organisation.current()
    pattern = (organisation.document_number_format if organisation else "") or DEFAULT_FORMAT
    return pattern.format(seq=counter.last, code=code, year=on.year, month=on.month)
