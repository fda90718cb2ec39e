from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference_data(sender, using="default", **kwargs) -> None:
    """Put the regions, document types and message templates back after a flush (the
    migrations load them)."""
    from participants.reference import (
        load_document_types,
        load_message_templates,
        load_regions,
    )

    load_regions(apps.get_model("participants", "Region"))
    load_document_types(apps.get_model("participants", "DocumentType"))
    load_message_templates(apps.get_model("participants", "MessageTemplate"))


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Registers the import's job kinds with the core's one job system.
        # The batch's form keeps its quota at or above the people already in it.
        from cohorts.quota import count_places_with
        from participants import tasks  # noqa: F401
        from participants.models import quota_taken

        count_places_with(quota_taken)

        post_migrate.connect(
            _ensure_reference_data, sender=self, dispatch_uid="participants.reference_data"
        )
