"""Where the status moves the status page does not make are made.

The moves of the duty of care (``DUTY_OF_CARE_MOVES``: completed, returned early, deceased,
missing) belong to the app above that keeps cases and the way home, which ``participants``
cannot import. That app registers, when the project starts, a function that tells the status
page where each of those moves is made for a participant and a user; the page lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """Moves made elsewhere: what they are, why elsewhere, and the page (if the user may)."""

    moves: list[str]  # the labels of the statuses
    explanation: str
    link_label: str = ""
    url: str = ""


_finders: list[Callable] = []


def route_moves_with(finder: Callable) -> None:
    """Register ``finder(participant, user) -> list[Route]`` (once per finder)."""
    if finder not in _finders:
        _finders.append(finder)


def routes_for(participant, user) -> list[Route]:
    """Every registered route of the moves open to ``participant``."""
    return [route for finder in _finders for route in finder(participant, user)]
