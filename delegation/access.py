"""Access rules every view goes through.

* ``OPEN_URL_NAMES`` is the one allow-list of pages that answer without login.
* ``visible_or_404`` fetches an object from its model's ``visible_to(user)`` QuerySet:
  what a user may not see does not exist for them (404).
* ``changeable_or_403`` does the same and then requires the permission to change it (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

OPEN_URL_NAMES: frozenset[str] = frozenset(
    {
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
        "healthz",
        "verify",
        # A participant's invitation to the portal: the one-time link opens the account.
        "portal:invitation_accept",
        # An applicant's own way in: the open calls, registration, the e-mail check and the
        # one-time verification link. None of them tells whether an address is known.
        "portal:open_calls",
        "portal:register",
        "portal:register_done",
        "portal:verify_email",
    }
)


def is_open_view(view_name: str | None) -> bool:
    return view_name in OPEN_URL_NAMES


def _visible(source: type[models.Model] | models.QuerySet, user) -> models.QuerySet:
    queryset = source._default_manager.all() if isinstance(source, type) else source
    return queryset.visible_to(user)


def visible_or_404(source: type[models.Model] | models.QuerySet, user, **lookup) -> models.Model:
    return get_object_or_404(_visible(source, user), **lookup)


def changeable_or_403(
    source: type[models.Model] | models.QuerySet, user, permission: str, **lookup
) -> models.Model:
    obj = visible_or_404(source, user, **lookup)
    if not user.has_perm(permission):
        raise PermissionDenied
    return obj
