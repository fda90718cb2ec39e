"""Running counts of participants, kept by PostgreSQL itself.

Counting 100,000 participants for the list's "N participants" and its page numbers read the
whole name index on every page. Instead, triggers (migration ``0010_participant_tally``) add
a row here for each statement that changes the participants: the number of people it added
or deleted, or 0 when it renamed someone or changed an id. The sum is the number of
participants; the tally's version (see ``VERSION_SQL``) changes with every committed change,
so it also tells whether anyone was added, deleted or renamed since a page was last drawn
(see ``participants.listing``). Rows of transactions not yet committed are as invisible as their
participants, so the sum is exact for every reader. ``recount`` (nightly, or ``manage.py
recount_participants``) replaces the rows with one fresh count.

Two summaries are kept the same way (migration ``0011_participant_summaries``), for the
dashboard of everyone: participants by status, track, gender, education and origin
(:class:`ParticipantMix`), and everyone who departed by batch and date of first departure
(:class:`DepartureCount`). Each statement adds rows of differences (+n, -n); reading them
sums the rows per group.

A third (migration ``0020_contract_spans``) keeps the contracts' spans for the person-years
abroad (:class:`ContractSpan`): how many contracts of each batch's people run from each start
to each last day. Person-years to any day are then a sum over a few thousand groups, not a
read of a million contracts.

Only PostgreSQL keeps these; elsewhere the readers answer None and the pages count.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from delegation.replica import connection_for

logger = logging.getLogger(__name__)

# Taken for the length of a recount, so two recounts never fold the same rows.
RECOUNT_LOCK = 62_710_001


class ParticipantTally(models.Model):
    id = models.BigAutoField(primary_key=True)
    delta = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.delta:+d}"


class ParticipantMix(models.Model):
    """How many participants have each status, track, gender, education and origin."""

    id = models.BigAutoField(primary_key=True)
    status = models.CharField(_("status"), max_length=20)
    track = models.CharField(_("track"), max_length=12)
    gender = models.CharField(_("gender"), max_length=1)
    education_level = models.CharField(_("education level"), max_length=3)
    # Plain numbers, not references: deleting a region or a batch never waits on a count.
    origin_id = models.IntegerField(_("region id"))
    n = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("participant group count")
        verbose_name_plural = _("participant group counts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.status} {self.track} {self.gender} {self.education_level}: {self.n:+d}"


class DepartureCount(models.Model):
    """How many participants of each batch first departed on each date."""

    id = models.BigAutoField(primary_key=True)
    cohort_id = models.IntegerField(_("batch id"), null=True)
    departed_on = models.DateField(_("first departure"))
    n = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("departure count")
        verbose_name_plural = _("departure counts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.departed_on}: {self.n:+d}"


class ContractSpan(models.Model):
    """How many contracts of each batch's participants run from each start date to each last
    day (the day the contract ended, or its end date, whichever is earlier)."""

    id = models.BigAutoField(primary_key=True)
    cohort_id = models.IntegerField(_("batch id"), null=True)
    start_date = models.DateField(_("start date"))
    last_day = models.DateField(_("last day"))
    n = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("contract span count")
        verbose_name_plural = _("contract span counts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.start_date}–{self.last_day}: {self.n:+d}"


MIX = ("status", "track", "gender", "education_level", "origin_id")
DEPARTURES = ("cohort_id", "departed_on")


def participant_mix() -> list[tuple] | None:
    """(status, track, gender, education level, origin id, n) for every group of all
    participants; None where the database keeps no summary."""
    if connection.vendor != "postgresql":
        return None
    return list(_summed(ParticipantMix, MIX))


def departures() -> list[tuple] | None:
    """(batch id, date of first departure, n) of everyone who ever departed; None where the
    database keeps no summary."""
    if connection.vendor != "postgresql":
        return None
    return list(_summed(DepartureCount, DEPARTURES))


def last_day_sql(alias: str) -> str:
    """The last day of the contract row ``alias``, as the spans keep it (see ContractSpan)."""
    return f"LEAST(COALESCE({alias}.ended_on, {alias}.end_date), {alias}.end_date)"


SPANS = ("cohort_id", "start_date", "last_day")


def contract_days(*, today: datetime.date, cohort_ids: list[int] | None = None) -> int | None:
    """Days worked abroad under contract, to ``today`` or each contract's last day, both ends
    counted: of everyone, or of the people in ``cohort_ids``. None where the database keeps
    no summary."""
    if connection.vendor != "postgresql":
        return None
    sql = (
        "SELECT COALESCE(SUM(n::bigint * GREATEST(LEAST(last_day, %s) - start_date + 1, 0)), 0) "
        f"FROM {ContractSpan._meta.db_table}"
    )
    params: list = [today]
    if cohort_ids is not None:
        sql += " WHERE cohort_id = ANY(%s)"
        params.append(list(cohort_ids))
    with connection_for(ContractSpan).cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _summed(model, groups: tuple[str, ...]):
    return (
        model.objects.values_list(*groups)
        .annotate(total=Sum("n"))
        .filter(total__gt=0)  # empty groups; below zero only if the rows had drifted
        .order_by()
        .values_list(*groups, "total")
    )


@dataclass(frozen=True)
class Tally:
    count: int
    # Changes with every committed addition, deletion or renaming of a participant, and
    # never comes back: see VERSION_SQL.
    version: str


# The sum is the count. The version: the number of rows and the last id change with every
# committed change; the table's oid changes when a restore recreates it (a restore sets
# the ids back), and the server's start time when the data moves to another server. So a
# version seen before a restore never names the restored data.
VERSION_SQL = (
    "SELECT COALESCE(SUM(delta), 0), "
    "concat_ws('.', COUNT(*), COALESCE(MAX(id), 0), "
    "'participants_participanttally'::regclass::oid, "
    "extract(epoch FROM pg_postmaster_start_time())::bigint) "
    "FROM participants_participanttally"
)


def read_tally() -> Tally | None:
    """The number of participants and the version of the list, in one small query; None
    where the database keeps no tally."""
    if connection.vendor != "postgresql":
        return None
    with connection_for(ParticipantTally).cursor() as cursor:
        cursor.execute(VERSION_SQL)
        count, version = cursor.fetchone()
    return Tally(count=count, version=version)


def recount() -> int | None:
    """Replace the rows of the tally and the summaries with the participants (and their
    contracts) counted afresh; the number of participants.

    Each table is replaced in one statement, which reads it and the participants in the
    same snapshot: changes not yet committed keep their own rows and count when they
    commit. A tally that had drifted from the count (its triggers disabled, say, or its
    rows loaded from a fixture on top of theirs) is logged. Nothing where the database
    keeps no tally.
    """
    if connection.vendor != "postgresql":
        return None
    mix, departed = ", ".join(MIX), ", ".join(DEPARTURES)
    table = ParticipantTally._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOUNT_LOCK])
        cursor.execute(
            f"WITH gone AS (DELETE FROM {ParticipantMix._meta.db_table}) "
            f"INSERT INTO {ParticipantMix._meta.db_table} ({mix}, n) "
            f"SELECT {mix}, count(*) FROM participants_participant GROUP BY {mix}"
        )
        cursor.execute(
            f"WITH gone AS (DELETE FROM {DepartureCount._meta.db_table}) "
            f"INSERT INTO {DepartureCount._meta.db_table} ({departed}, n) "
            f"SELECT {departed}, count(*) FROM participants_participant "
            f"WHERE departed_on IS NOT NULL GROUP BY {departed}"
        )
        spans = ", ".join(SPANS)
        cursor.execute(
            f"WITH gone AS (DELETE FROM {ContractSpan._meta.db_table}) "
            f"INSERT INTO {ContractSpan._meta.db_table} ({spans}, n) "
            f"SELECT p.cohort_id, c.start_date, {last_day_sql('c')}, count(*) "
            "FROM participants_contract c "
            "JOIN participants_participant p ON p.id = c.participant_id "
            "GROUP BY 1, 2, 3"
        )
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} RETURNING delta), "
            f"fresh AS (INSERT INTO {table} (delta) "
            "SELECT count(*) FROM participants_participant RETURNING delta) "
            "SELECT (SELECT delta FROM fresh), (SELECT COALESCE(SUM(delta), 0) FROM gone)"
        )
        count, kept = cursor.fetchone()
    if count != kept:
        logger.warning("The participant tally said %s; counted afresh: %s.", kept, count)
    return count
