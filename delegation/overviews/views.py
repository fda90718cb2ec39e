from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from cohorts.models import Cohort, Program
from delegation.access import visible_or_404


def program_overview(request, slug: str):
    program = visible_or_404(Program.objects.select_related("partner"), request.user, slug=slug)
    today = timezone.localdate()
    agreements = [
        {
            "agreement": agreement,
            "expired": agreement.is_expired(today),
            "expiring": agreement.is_expiring(today),
        }
        for agreement in program.agreements.all()
    ]
    cohorts = Cohort.objects.visible_to(request.user).of_program(program).order_by("number")
    return render(
        request,
        "delegation/overviews/program_overview.html",
        {
            "program": program,
            "agreements": agreements,
            "expiring_count": sum(1 for row in agreements if row["expiring"]),
            "cohorts": cohorts,
        },
    )


def cohort_overview(request, pk: int):
    cohort = visible_or_404(Cohort.objects.select_related("program__partner"), request.user, pk=pk)
    ceremony = getattr(cohort, "ceremony", None)
    today = timezone.localdate()
    moves = [
        {"status": status, "label": Cohort.Status(status).label}
        for status in cohort.allowed_moves(today=today)
    ]
    blocked = [
        {"label": Cohort.Status(status).label, "reason": cohort.move_blocker(status, today=today)}
        for status in Cohort.MOVES[cohort.status]
        if status not in {move["status"] for move in moves}
    ]
    return render(
        request,
        "delegation/overviews/cohort_overview.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "ceremony": ceremony,
            "attendees": ceremony.attendees.all() if ceremony else [],
            "moves": moves,
            "blocked_moves": blocked,
        },
    )
