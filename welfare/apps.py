from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Duty of care")

    def ready(self) -> None:
        # Registers the periodic tasks (escalation, return planning, follow-up reminders).
        from welfare import tasks  # noqa: F401
