"""Saving checked import rows on PostgreSQL in a few set-based statements.

Written row by row through the ORM, a national import of 50,000 people spent most of its
time building model instances and their INSERT parameters. Here the rows are copied (COPY)
into a temporary table of the transaction, then each table is filled from it with one
``INSERT ... SELECT``: the participants, their history records, their passports and the
passports' history records. The tally's triggers see one statement, as for any insert.

The participants' ids are taken from their sequence beforehand, in the file's order, so the
passports and the history rows need no look-up of the new participants.

Every column is written: what the import does not give comes from the model's field (its
default, the moment of the import for a creation date, empty or NULL otherwise), and the
history tables' columns come from the history models' fields, so a field added to a model is
never left out.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

from django.db import connection, models
from django.utils import timezone

from participants.models import Document, Participant

STAGING = "participants_import_staging"
# Rows copied between two reports of progress.
COPY_CHUNK = 5_000


def _value(field: models.Field, now):
    """What an INSERT through the ORM would write into ``field`` when nothing is given."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default() and field.default is timezone.now:
        return now
    value = field.get_db_prep_save(field.get_default(), connection)
    return value.value if isinstance(value, enum.Enum) else value


def _history_value(field: models.Field, *, now, user_id):
    """The value of a history record's own column (not a copy of the tracked row's)."""
    return {
        "history_date": now,
        "history_type": "+",
        "history_user_id": user_id,
        "history_change_reason": None,
    }.get(field.attname, _value(field, now))


def _select_list(fields, given: dict[str, str], value: Callable) -> tuple[str, list]:
    """The SELECT list filling ``fields``: a column of the source for the fields in ``given``
    (field attname -> source column), a parameter (``value(field)``) for the rest."""
    quote = connection.ops.quote_name
    parts, params = [], []
    for field in fields:
        if field.attname in given:
            parts.append(quote(given[field.attname]))
        else:
            parts.append("%s")
            params.append(value(field))
    return ", ".join(parts), params


def _columns(fields) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


def _history_fields(model) -> list[models.Field]:
    return [f for f in model.history.model._meta.concrete_fields if f.attname != "history_id"]


def save_by_copy(
    rows: Sequence,
    *,
    cohort_id: int | None,
    numbers: Sequence[str] | None,
    user_id: int | None,
    passport_type_id: int,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert ``rows`` (checked ``ParsedRow``), their passports and the history records of
    both; returns the new participants' ids in the rows' order. Call inside a transaction."""
    now = timezone.now()
    quote = connection.ops.quote_name
    table = Participant._meta.db_table
    fields = Participant._meta.concrete_fields
    columns = [field.column for field in fields]
    template = [_value(field, now) for field in fields]
    positions = {field.name: index for index, field in enumerate(fields)}
    foreign = {field.name for field in fields if field.is_relation}
    id_at, cohort_at, number_at = (positions[n] for n in ("id", "cohort", "participant_number"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = sorted(found for (found,) in cursor.fetchall())
        # The participants' columns and the passport's, typed as in their tables.
        staged = ", ".join(f"p.{quote(column)}" for column in columns)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(STAGING)} ON COMMIT DROP AS "
            f"SELECT {staged}, d.number AS passport_number, d.expires_on AS passport_expiry "
            f"FROM {quote(table)} p, {quote(Document._meta.db_table)} d WITH NO DATA"
        )
        with cursor.cursor.copy(
            f"COPY {quote(STAGING)} ({', '.join(map(quote, columns))}, passport_number, "
            "passport_expiry) FROM STDIN"
        ) as copy:
            for index, row in enumerate(rows):
                values = template.copy()
                for name, value in row.fields.items():
                    values[positions[name]] = (
                        value.pk if name in foreign and value is not None else value
                    )
                values[id_at] = ids[index]
                values[cohort_at] = cohort_id
                values[number_at] = numbers[index] if numbers is not None else ""
                values += (row.passport_number, row.passport_expiry)
                copy.write_row(values)
                if progress and (index + 1) % COPY_CHUNK == 0:
                    progress((index + 1) * 40 // len(rows))
        if progress:
            progress(40)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({_columns(fields)}) "
            f"SELECT {_columns(fields)} FROM {quote(STAGING)} ORDER BY id"
        )
        if progress:
            progress(70)
        _insert_participant_history(cursor, now=now, user_id=user_id)
        if progress:
            progress(80)
        _insert_passports(cursor, now=now, user_id=user_id, passport_type_id=passport_type_id)
        cursor.execute(f"DROP TABLE {quote(STAGING)}")
    if progress:
        progress(95)
    return ids


def _insert_participant_history(cursor, *, now, user_id) -> None:
    history = Participant.history.model
    fields = _history_fields(Participant)
    staged = {field.attname: field.column for field in Participant._meta.concrete_fields}
    select, params = _select_list(
        fields,
        {field.attname: staged[field.attname] for field in fields if field.attname in staged},
        lambda field: _history_value(field, now=now, user_id=user_id),
    )
    quote = connection.ops.quote_name
    cursor.execute(
        f"INSERT INTO {quote(history._meta.db_table)} ({_columns(fields)}) "
        f"SELECT {select} FROM {quote(STAGING)} ORDER BY id",
        params,
    )


def _insert_passports(cursor, *, now, user_id, passport_type_id) -> None:
    """The passports of the rows that give one, and their history records, in one
    statement (the history is filled from the inserted rows, their ids included)."""
    quote = connection.ops.quote_name
    fields = [f for f in Document._meta.concrete_fields if not f.primary_key]
    given = {"participant_id": "id", "number": "passport_number", "expires_on": "passport_expiry"}
    chosen = {"document_type_id": passport_type_id, "handled_by_id": user_id}
    select, params = _select_list(
        fields, given, lambda field: chosen.get(field.attname, _value(field, now))
    )
    history_fields = _history_fields(Document)
    inserted = {field.attname: field.column for field in Document._meta.concrete_fields}
    history_select, history_params = _select_list(
        history_fields,
        {f.attname: inserted[f.attname] for f in history_fields if f.attname in inserted},
        lambda field: _history_value(field, now=now, user_id=user_id),
    )
    cursor.execute(
        f"WITH documents AS (INSERT INTO {quote(Document._meta.db_table)} ({_columns(fields)}) "
        f"SELECT {select} FROM {quote(STAGING)} WHERE passport_number <> '' ORDER BY id "
        f"RETURNING *) "
        f"INSERT INTO {quote(Document.history.model._meta.db_table)} "
        f"({_columns(history_fields)}) SELECT {history_select} FROM documents ORDER BY id",
        params + history_params,
    )
