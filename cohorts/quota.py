"""How many places of a batch's quota are taken.

The places are taken by the batch's people, whom ``cohorts`` cannot read (it sits below
``participants``): the app that keeps them registers its count when the project starts
(``participants.apps``), and the batch's form asks here, so a quota is never set below the
people already in the batch."""

from __future__ import annotations

from collections.abc import Callable

_counter: Callable | None = None


def count_places_with(counter: Callable) -> None:
    """Register ``counter(cohort) -> int``, the places of the quota taken in ``cohort``."""
    global _counter
    _counter = counter


def places_taken(cohort) -> int:
    """The places taken in ``cohort`` (0 while nobody has registered a count)."""
    return _counter(cohort) if _counter is not None else 0
