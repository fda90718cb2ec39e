from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Duty of care")

    def ready(self) -> None:
        # Registers the periodic tasks (escalation, return planning, follow-up reminders).
        # The status page sends the moves of the duty of care to their pages.
        from participants.status_routes import route_moves_with
        from welfare import tasks  # noqa: F401
        from welfare.routes import status_routes

        route_moves_with(status_routes)
