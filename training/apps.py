from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference_data(sender, using="default", **kwargs) -> None:
    """Put the exam types and holidays back after a flush (the migration loads them)."""
    from training.reference import load_exam_types, load_non_teaching_days

    load_exam_types(apps.get_model("training", "ExamType"))
    load_non_teaching_days(apps.get_model("training", "NonTeachingDay"))


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_reference_data, sender=self, dispatch_uid="training.reference_data"
        )
