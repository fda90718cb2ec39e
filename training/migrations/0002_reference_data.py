from django.db import migrations

from training.reference import load_exam_types, load_non_teaching_days


def load(apps, schema_editor):
    load_exam_types(apps.get_model("training", "ExamType"))
    load_non_teaching_days(apps.get_model("training", "NonTeachingDay"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
