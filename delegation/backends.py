"""How a signed-in user's permissions are read."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Value


class RoleBackend(ModelBackend):
    """Django's model backend, reading in one query what it reads in two (a user's own and
    their groups' permissions) together with their roles (the names of their groups),
    once per request as Django does. Superusers, inactive and anonymous users are left to
    Django."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and obj is None
            and not hasattr(user_obj, "_perm_cache")
        ):
            pair = ("content_type__app_label", "codename")
            own = Permission.objects.filter(user=user_obj).values_list(*pair)
            groups = Permission.objects.filter(group__user=user_obj).values_list(*pair)
            # A permission always names its app; a row without one is a group's name.
            roles = Group.objects.filter(user=user_obj).values_list(Value(""), "name")
            rows = list(own.order_by().union(groups.order_by(), roles.order_by(), all=True))
            user_obj._perm_cache = {f"{app}.{name}" for app, name in rows if app}
            if getattr(user_obj, "_role_names", None) is None:  # read once, as roles.py does
                user_obj._role_names = frozenset(name for app, name in rows if not app)
        return super().get_all_permissions(user_obj, obj)
