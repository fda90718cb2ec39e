"""A running count of participants, kept by PostgreSQL itself.

Counting 100,000 participants for the list's "N participants" and its page numbers read the
whole name index on every page. Instead, triggers (migration ``0010_participant_tally``) add
a row here for each statement that changes the participants: the number of people it added
or deleted, or 0 when it renamed someone. The sum is the number of participants; the number
of rows and the last row's id change with every committed change, so they also tell whether
anything was added, deleted or renamed since a page was last drawn (see
``participants.listing``). Rows of transactions not yet committed are as invisible as their
participants, so the sum is exact for every reader. ``recount`` folds the rows into one each
night, from a fresh count.

Only PostgreSQL keeps the tally; elsewhere :func:`read_tally` answers None and the list counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce

# Taken for the length of a recount, so two recounts never fold the same rows.
RECOUNT_LOCK = 62_710_001


class ParticipantTally(models.Model):
    id = models.BigAutoField(primary_key=True)
    delta = models.IntegerField()

    class Meta:
        verbose_name = "participant tally"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.delta:+d}"


@dataclass(frozen=True)
class Tally:
    count: int
    # Changes with every committed addition, deletion or renaming of a participant.
    version: str


def read_tally() -> Tally | None:
    """The number of participants and the version of the list, in one small query; None
    where the database keeps no tally."""
    if connection.vendor != "postgresql":
        return None
    found = ParticipantTally.objects.aggregate(
        count=Coalesce(Sum("delta"), 0), rows=Count("id"), last=Max("id")
    )
    return Tally(count=found["count"], version=f"{found['rows']}.{found['last'] or 0}")


def recount() -> int | None:
    """Replace the tally's rows with one row of the participants counted afresh; the count.

    One statement reads the tally and the participants in the same snapshot: changes not
    yet committed keep their own rows and count when they commit. Nothing where the
    database keeps no tally.
    """
    if connection.vendor != "postgresql":
        return None
    table = ParticipantTally._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOUNT_LOCK])
        cursor.execute(
            f"WITH folded AS (DELETE FROM {table}) "
            f"INSERT INTO {table} (delta) SELECT count(*) FROM participants_participant "
            "RETURNING delta"
        )
        return cursor.fetchone()[0]
