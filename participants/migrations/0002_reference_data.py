from django.db import migrations

from participants.reference import load_document_types, load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("participants", "Region"))
    load_document_types(apps.get_model("participants", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
