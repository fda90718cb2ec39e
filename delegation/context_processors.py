from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from delegation.models import Organisation

# The areas of the navbar, in order: (url name, label). An area appears once its pages
# exist (its URL name resolves) and the user may open it.
NAV_AREAS = [
    ("dashboard", _("Dashboard")),
    ("cohorts:program_list", _("Programmes")),
    ("cohorts:cohort_list", _("Batches")),
    ("participants:participant_list", _("Participants")),
    ("training:home", _("Training")),
    ("documents", _("Documents")),
]


def _areas(current: str | None):
    for name, label in NAV_AREAS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        yield {"url": url, "label": label, "active": name == current}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    return {"nav_areas": list(_areas(match.view_name if match else None))}


def organisation(request):
    current = Organisation.current()
    return {"organisation_name": current.name if current else ""}
