from django.db import migrations

# The participant list decides how to read a broad search's page from PostgreSQL's estimate
# of its matches (participants/listing.py, SORT_AT_MOST). With the default sample (100) the
# estimate of a name fragment swung from one ANALYZE to the next by a factor of two or more
# at a million people; a larger sample of the names keeps it steady.
MORE = """
ALTER TABLE participants_participant ALTER COLUMN full_name SET STATISTICS 1000;
ALTER TABLE participants_participant ALTER COLUMN passport_surname SET STATISTICS 1000;
"""
DEFAULT = """
ALTER TABLE participants_participant ALTER COLUMN full_name SET STATISTICS -1;
ALTER TABLE participants_participant ALTER COLUMN passport_surname SET STATISTICS -1;
"""


def larger_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MORE)


def default_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0022_tally_version_moves"),
    ]

    operations = [
        migrations.RunPython(larger_sample, default_sample, elidable=False),
    ]
