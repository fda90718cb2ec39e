"""Where the participant's status page sends the moves of the duty of care: completed and
returned early to the way home (``services.return_home``, which schedules the follow-ups),
deceased and missing to a case and its checklist. Registered with ``participants`` when the
project starts (``welfare.apps``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from participants.models import Participant, Status
from participants.status_routes import Route
from welfare.models import Case

HOME = (Status.COMPLETED, Status.RETURNED_EARLY)
ON_A_CASE = (Status.DECEASED, Status.MISSING)


def status_routes(participant: Participant, user) -> list[Route]:
    moves = participant.duty_of_care_moves()
    routes = []
    home = [Status(status).label for status in moves if status in HOME]
    if home:
        may = user.has_perm("welfare.add_return") and user.has_perm(
            "participants.change_participant"
        )
        routes.append(
            Route(
                moves=home,
                explanation=_(
                    "Recorded as the return home: it ends the contract, records who pays the "
                    "journey and schedules the follow-ups 1, 6 and 12 months after return. An "
                    "early return is recorded with its welfare case."
                ),
                link_label=_("Record the return home") if may else "",
                url=reverse("welfare:return_home", args=[participant.pk]) if may else "",
            )
        )
    on_a_case = [Status(status).label for status in moves if status in ON_A_CASE]
    if on_a_case:
        routes.append(_case_route(participant, user, on_a_case))
    return routes


def _case_route(participant: Participant, user, moves: list[str]) -> Route:
    explanation = _(
        "Recorded on a welfare case (“Record a death” or “Record a missing person”), which "
        "moves the status, ends the contract where it must and opens the case's checklist "
        "(repatriation, heirs, claims; or the reports to make)."
    )
    case = Case.objects.visible_to(user).open().filter(participant=participant).first()
    if case is not None:
        return Route(moves, explanation, _("Go to the open case"), case.get_absolute_url())
    if user.has_perm("welfare.add_case"):
        url = reverse("welfare:case_create", args=[participant.pk])
        return Route(moves, explanation, _("Open a case"), url)
    return Route(moves, explanation)
