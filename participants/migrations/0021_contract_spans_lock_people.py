from django.db import migrations

# A contract's spans are filed under its participant's batch, read when the contract changes.
# Were the participant moved to another batch by a transaction that has not committed yet,
# that read would see the old batch, and the move (which only sees committed contracts)
# would not carry the new contract along. Each contract trigger therefore first takes a
# share lock on the participants concerned: it waits for such a move to commit, then reads
# the batch afresh (each statement of a trigger function sees what committed before it).
LAST = "LEAST(COALESCE(c.ended_on, c.end_date), c.end_date)"
SPANS = "participants_contractspan (cohort_id, start_date, last_day, n)"


def lock(table: str) -> str:
    return (
        "PERFORM 1 FROM participants_participant p "
        f"WHERE p.id IN (SELECT participant_id FROM {table}) ORDER BY p.id FOR SHARE;"
    )


LOCKING = f"""
CREATE OR REPLACE FUNCTION participants_spans_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {lock("added")}
    INSERT INTO {SPANS}
    SELECT p.cohort_id, c.start_date, {LAST}, count(*)
    FROM added c JOIN participants_participant p ON p.id = c.participant_id GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION participants_spans_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {lock("deleted")}
    INSERT INTO {SPANS}
    SELECT p.cohort_id, c.start_date, {LAST}, -count(*)
    FROM deleted c JOIN participants_participant p ON p.id = c.participant_id GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION participants_spans_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {lock("before_update")}
    {lock("after_update")}
    INSERT INTO {SPANS}
    SELECT cohort_id, start_date, last_day, sum(n) FROM (
        SELECT p.cohort_id, c.start_date, {LAST} AS last_day, -1 AS n
        FROM before_update c JOIN participants_participant p ON p.id = c.participant_id
        UNION ALL
        SELECT p.cohort_id, c.start_date, {LAST} AS last_day, 1 AS n
        FROM after_update c JOIN participants_participant p ON p.id = c.participant_id
    ) moves GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
    RETURN NULL;
END $$;
"""

UNLOCKED = f"""
CREATE OR REPLACE FUNCTION participants_spans_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {SPANS}
    SELECT p.cohort_id, c.start_date, {LAST}, count(*)
    FROM added c JOIN participants_participant p ON p.id = c.participant_id GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION participants_spans_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {SPANS}
    SELECT p.cohort_id, c.start_date, {LAST}, -count(*)
    FROM deleted c JOIN participants_participant p ON p.id = c.participant_id GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION participants_spans_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {SPANS}
    SELECT cohort_id, start_date, last_day, sum(n) FROM (
        SELECT p.cohort_id, c.start_date, {LAST} AS last_day, -1 AS n
        FROM before_update c JOIN participants_participant p ON p.id = c.participant_id
        UNION ALL
        SELECT p.cohort_id, c.start_date, {LAST} AS last_day, 1 AS n
        FROM after_update c JOIN participants_participant p ON p.id = c.participant_id
    ) moves GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
    RETURN NULL;
END $$;
"""


def lock_people(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOCKING)


def unlock_people(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNLOCKED)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0020_contract_spans"),
    ]

    operations = [
        migrations.RunPython(lock_people, unlock_people, elidable=False),
    ]
