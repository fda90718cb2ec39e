from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from delegation.models import Organisation

# The areas of the navbar, in order: (url name, label, permission needed). An area appears
# once its pages exist (its URL name resolves) and the user may open it.
NAV_AREAS = [
    ("dashboard", _("Dashboard"), None),
    ("cohorts:program_list", _("Programmes"), "cohorts.view_program"),
    ("cohorts:cohort_list", _("Batches"), "cohorts.view_cohort"),
    ("participants:participant_list", _("Participants"), "participants.view_participant"),
    ("training:home", _("Training"), "training.view_trainingplan"),
    ("welfare:case_list", _("Duty of care"), "welfare.view_case_counts"),
    ("recruitment:call_list", _("Selection"), "recruitment.view_call"),
    ("jobs", _("Prints and imports"), "delegation.view_job"),
    ("letterhead_edit", _("Letterhead"), "delegation.change_organisation"),
]


def _areas(user, current: str | None):
    for name, label, permission in NAV_AREAS:
        if permission and not user.has_perm(permission):
            continue
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
    return {
        "nav_areas": list(_areas(user, match.view_name if match else None)),
        "unread_notifications": user.notifications.unread().count(),
    }


def organisation(request):
    return {"organisation_name": Organisation.current_name()}
