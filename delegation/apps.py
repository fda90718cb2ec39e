from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from delegation.roles import sync_role_groups

    # Permission rows are created per app after migrate; make sure all exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups(using=using)


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = _("Delegation core")

    def ready(self) -> None:
        post_migrate.connect(
            _sync_roles_after_migrate, sender=self, dispatch_uid="delegation.sync_roles"
        )
