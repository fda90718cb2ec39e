"""The roles of the design's table and the permissions each one holds.

Roles are auth groups. ``sync_role_groups`` makes every group hold exactly the permissions
listed here; it runs after every ``migrate`` (see ``DelegationConfig.ready``), once the
permission rows of all apps exist. Administrators are superusers and need no group.

Permissions are named as ``"app_label.codename"`` strings, so this module imports no app.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HR_STAFF = "hr_staff", _("HR staff")
    COORDINATOR = "coordinator", _("Coordinator")
    LEADERSHIP = "leadership", _("Leadership")
    INSTRUCTOR = "instructor", _("Instructor")
    SELECTION_COMMITTEE = "selection_committee", _("Selection committee")
    # A participant or applicant: signs in to their own pages under /saya/ only
    # (``delegation.middleware.PortalBoundaryMiddleware``) and holds no permission.
    PARTICIPANT = "participant", _("Participant (portal)")


def _crud(app_label: str, *models: str, actions=("view", "add", "change", "delete")) -> set[str]:
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


_DOCUMENTS = {
    "delegation.view_job",
    "delegation.generate_documents",
    "delegation.download_documents",
    "delegation.download_reports",
}

_TRAINING_READ = _crud(
    "training",
    "trainingplan",
    "module",
    "session",
    "attendance",
    "nonteachingday",
    "examtype",
    "examrequirement",
    "examresult",
    "certificate",
    actions=("view",),
)

# Duty of care: HR staff and the coordinators of the programme handle cases, events, the way
# home and the follow-ups of the people they see; the alumni directory leaves with them only.
_WELFARE = (
    _crud(
        "welfare",
        "case",
        "timelineentry",
        "checklistitem",
        "eventmember",
        "returntask",
        "followup",
        actions=("view", "add", "change"),
    )
    | _crud("welfare", "casecost", "event", "return", actions=("view",))
    | {"welfare.export_alumni"}
)
# Money, the status of a person and events that span programmes stay with HR staff.
_WELFARE_HR = _crud("welfare", "casecost", "event", "return", actions=("add", "change"))
_RECRUITMENT_READ = _crud(
    "recruitment",
    "call",
    "stage",
    "committeemember",
    "application",
    "applicationdocument",
    "conflictdeclaration",
    "score",
    "scorechange",
    "objection",
    "replacement",
    actions=("view",),
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.HR_STAFF: frozenset(
        _DOCUMENTS
        | {"delegation.view_organisation", "delegation.change_organisation"}
        | _crud("cohorts", "partner", "program", "agreement", "cohort")
        | _crud("cohorts", "programassignment", "cohortassignment")
        | _crud(
            "cohorts",
            "departureceremony",
            "ceremonyattendee",
            "programsignatory",
            actions=("view",),
        )
        | {"cohorts.download_agreement"}
        | _crud("participants", "participant", "document", "contact", "documentrequirement")
        | _crud("participants", "consentrecord", actions=("view", "add", "change"))
        | _crud("participants", "statuschange", actions=("view", "add"))
        | _crud("participants", "region", "documenttype", actions=("view",))
        | {
            "participants.view_sensitive",
            "participants.view_personal",
            "participants.export_participant",
            "participants.download_document",
            "participants.download_receipt",
        }
        | _crud("participants", "costitem", "contract", "residence", "checkin")
        | _crud(
            "training",
            "trainingplan",
            "module",
            "session",
            "attendance",
            "nonteachingday",
            "examrequirement",
            "examresult",
        )
        | {"training.view_examtype", "training.view_certificate", "training.change_certificate"}
        | _WELFARE
        | _WELFARE_HR
        | {"welfare.view_case_counts"}
        | _crud("recruitment", "call", "stage", "committeemember", "conflictdeclaration")
        | _crud(
            "recruitment", "application", "applicationdocument", actions=("view", "add", "change")
        )
        | _crud("recruitment", "score", "objection", actions=("view", "add", "change"))
        | _crud("recruitment", "scorechange", "replacement", actions=("view", "add"))
        | {"recruitment.decide_call"}
    ),
    Role.COORDINATOR: frozenset(
        _DOCUMENTS
        | _crud("cohorts", "partner", "program", "agreement", "cohort", actions=("view",))
        | _crud("cohorts", "departureceremony", "ceremonyattendee", "programsignatory")
        | {
            "cohorts.download_agreement",
            "participants.download_receipt",
            "participants.export_participant",
            "participants.view_personal",
        }
        | _crud(
            "participants",
            "participant",
            "document",
            "contact",
            "statuschange",
            "documentrequirement",
            "costitem",
            "contract",
            "residence",
            "checkin",
            "consentrecord",
            actions=("view",),
        )
        | _TRAINING_READ
        | _WELFARE
        | {"welfare.view_case_counts"}
        | _RECRUITMENT_READ
        | _crud("recruitment", "application", "applicationdocument", actions=("add", "change"))
        | _crud("recruitment", "objection", actions=("add", "change"))
    ),
    Role.LEADERSHIP: frozenset(
        # The programme report is leadership's own: they read the latest one of their
        # programmes (generating it issues an official number, so others do that).
        {
            "delegation.view_job",
            "delegation.download_reports",
            "participants.export_participant",
            "participants.view_personal",
        }
        | _crud(
            "cohorts",
            "partner",
            "program",
            "agreement",
            "cohort",
            "departureceremony",
            "ceremonyattendee",
            actions=("view",),
        )
        | _crud(
            "participants",
            "participant",
            "statuschange",
            "costitem",
            "contract",
            "checkin",
            actions=("view",),
        )
        | _TRAINING_READ
        # Counts of cases by kind and severity, and the returnees' figures: never a case.
        | {"welfare.view_case_counts"}
        | (_RECRUITMENT_READ - {"recruitment.view_applicationdocument"})
    ),
    Role.INSTRUCTOR: frozenset(
        _crud("cohorts", "program", "cohort", "departureceremony", actions=("view",))
        | {"participants.view_participant"}
        | _crud(
            "training",
            "trainingplan",
            "module",
            "session",
            "nonteachingday",
            "examtype",
            actions=("view",),
        )
        | _crud("training", "attendance", "examresult", actions=("view", "add", "change"))
    ),
    # The committee sees the calls and stages they serve on (the querysets narrow them):
    # applicants' names, the documents given and the scores; they enter scores and declare
    # their relations to applicants.
    Role.SELECTION_COMMITTEE: frozenset(
        _crud(
            "recruitment",
            "call",
            "stage",
            "committeemember",
            "application",
            "applicationdocument",
            "score",
            "conflictdeclaration",
            actions=("view",),
        )
        | _crud("recruitment", "score", "conflictdeclaration", actions=("add", "change"))
    ),
    # Their own record is reached through their account's link, never through a permission.
    Role.PARTICIPANT: frozenset(),
}


def _permission(dotted: str, *, using: str) -> Permission:
    app_label, _dot, codename = dotted.partition(".")
    try:
        return Permission.objects.using(using).get(
            content_type__app_label=app_label, codename=codename
        )
    except Permission.DoesNotExist:
        raise ImproperlyConfigured(f"Role permission {dotted!r} does not exist.") from None


def sync_role_groups(*, using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions of its row."""
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([_permission(p, using=using) for p in sorted(permissions)])


def _role_names(user) -> frozenset[str]:
    """The user's roles, read once per user object, as Django keeps its permissions."""
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return names


def sees_everything(user) -> bool:
    """Administrators and HR staff see every programme, batch and participant."""
    return user.is_superuser or Role.HR_STAFF in _role_names(user)


def is_portal_user(user) -> bool:
    """A participant's or applicant's own account: it reaches the portal's pages only."""
    return user.is_authenticated and not user.is_superuser and Role.PARTICIPANT in _role_names(user)


def user_has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return role in _role_names(user)
