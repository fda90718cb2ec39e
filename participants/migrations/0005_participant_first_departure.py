from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_first_departures(apps, schema_editor):
    """Everyone who already departed gets the date of their first move to "departed"."""
    Participant = apps.get_model("participants", "Participant")
    StatusChange = apps.get_model("participants", "StatusChange")
    first = (
        StatusChange.objects.filter(participant=OuterRef("pk"), to_status="departed")
        .order_by("effective_date")
        .values("effective_date")[:1]
    )
    Participant.objects.filter(
        pk__in=StatusChange.objects.filter(to_status="departed").values("participant_id")
    ).update(departed_on=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0002_programsignatory"),
        ("participants", "0004_consent_records_and_anonymisation"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="departed_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="first departure"
            ),
        ),
        migrations.RunPython(copy_first_departures, migrations.RunPython.noop),
        # The status index grows into the one the dashboard counts statuses, tracks, genders,
        # education levels and origins from; the other serves the departures per batch/year.
        migrations.RemoveIndex(model_name="participant", name="participant_status_idx"),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(
                fields=["status", "track", "gender", "education_level", "origin"],
                name="participant_status_mix_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["cohort", "departed_on"], name="participant_departed_idx"),
        ),
    ]
