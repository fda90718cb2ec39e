from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import applicants
        from recruitment.services import participant_made, result_published

        result_published.connect(applicants.on_result_published, dispatch_uid="portal-results")
        participant_made.connect(applicants.on_participant_made, dispatch_uid="portal-selected")
