"""What the portal's pages share: the tabs, the guard every page of a person goes through,
and rendering a page."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from delegation.roles import is_portal_user
from portal.models import PortalAccount

TABS = [
    ("portal:home", gettext_lazy("Home")),
    ("portal:checklist", gettext_lazy("Checklist")),
    ("portal:training", gettext_lazy("Training")),
    ("portal:abroad", gettext_lazy("Abroad")),
    ("portal:my_data", gettext_lazy("My data")),
]
# An applicant's account, not (yet) linked to a participant.
APPLICANT_TABS = [
    ("portal:applications", gettext_lazy("My applications")),
    ("portal:open_calls", gettext_lazy("Open calls")),
]
UPCOMING_SESSIONS = 10
RECENT_ATTENDANCE = 20


def portal_page(view):
    """Only a portal account reaches these pages; ``request.participant`` is its person."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        account = (
            PortalAccount.objects.filter(user=request.user)
            .select_related("participant__cohort__program")
            .first()
            if request.user.is_authenticated
            else None
        )
        if account is None and is_portal_user(request.user):
            return redirect("portal:applications")  # an applicant: no participant yet
        if account is None or account.participant.anonymised_at is not None:
            raise PermissionDenied
        request.participant = account.participant
        return view(request, *args, **kwargs)

    return wrapper


def page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    current = request.resolver_match.view_name if request.resolver_match else None
    names = TABS if getattr(request, "participant", None) is not None else APPLICANT_TABS
    tabs = [
        {"url": reverse(name), "label": label, "active": name == current} for name, label in names
    ]
    return render(request, template, {"portal_tabs": tabs, **context}, status=status)
