from django.db import migrations

# The list's version (participants/models/tally.py) changed with every addition, deletion
# and renaming; a coordinator's list (the people of their batches) is also counted and
# anchored per version, so a move to another batch changes the version too.
MOVES = """
CREATE OR REPLACE FUNCTION participants_tally_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO participants_participanttally (delta)
    SELECT 0 WHERE EXISTS (
        SELECT id, full_name, cohort_id FROM after_update
        EXCEPT SELECT id, full_name, cohort_id FROM before_update
    );
    RETURN NULL;
END $$;
"""

RENAMES = """
CREATE OR REPLACE FUNCTION participants_tally_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO participants_participanttally (delta)
    SELECT 0 WHERE EXISTS (
        SELECT id, full_name FROM after_update
        EXCEPT SELECT id, full_name FROM before_update
    );
    RETURN NULL;
END $$;
"""


def count_moves(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MOVES)


def count_renames_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0021_contract_spans_lock_people"),
    ]

    operations = [
        migrations.RunPython(count_moves, count_renames_only, elidable=False),
    ]
