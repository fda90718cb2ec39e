"""Indexes for the participant search and list.

On PostgreSQL: the pg_trgm extension and trigram indexes on the upper-cased names (what
``icontains`` compares), so a name fragment is found without reading the whole table; the NIK
prefix search uses the pattern index Django already keeps for the unique NIK. Other databases
(SQLite for development and tests) skip these and search by scanning, which is fine at their size.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "participant_name_trgm_idx": "full_name",
    "participant_passport_surname_trgm_idx": "passport_surname",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON participants_participant "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0006_cost_receipt_download_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["full_name", "id"], name="participant_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                django.db.models.functions.text.Upper("number"), name="document_number_upper_idx"
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
