"""The overview pages: dashboard, programme and batch overviews (with the readiness board and
its workbook), the participant profile and its data-access export, and the recaps."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Program
from delegation.access import visible_or_404
from delegation.audit import record_event
from delegation.formatting import file_name, indonesian_date, roman
from delegation.models import AuditEvent, Job
from delegation.querystring import whole_number
from delegation.replica import replica_reads
from delegation.roles import is_portal_user, sees_everything
from delegation.spreadsheets import xlsx_response
from office.overviews import profile
from office.overviews.charts import bar_chart
from office.overviews.dashboard import dashboard_figures, whole_percent
from office.overviews.exports import readiness_xlsx
from office.overviews.recap import recap_xlsx
from office.prints.services import latest_programme_report
from office.privacy.data_access import build_archive
from participants.cost_summary import summarise
from participants.models import TRAINEES, CheckIn, CostItem, Participant, StatusChange
from participants.sensitive import can_reveal
from portal.models import PortalAccount
from portal.views.common import portal_page
from training import readiness
from training import services as training_services
from training.views.bulk import bulk_form
from welfare.models import Event, EventMember


def _scope(user) -> list[str]:
    """What the user's view of the data rests on: everything, or their assignments."""
    if sees_everything(user):
        return ["all"]
    programs = user.program_assignments.order_by("program_id").values_list("program_id", flat=True)
    batches = user.cohort_assignments.order_by("cohort_id").values_list("cohort_id", flat=True)
    return [*(f"p{pk}" for pk in programs), *(f"c{pk}" for pk in batches)]


def _kept_figures(user, *, program, year, programs) -> dict:
    """The dashboard's figures, counted at most once a minute (``DASHBOARD_CACHE_SECONDS``)
    for the same rights (permissions and assignments), filters, language and day: a head of
    office opening the dashboard again and again does not count 100,000 people each time,
    and the HR officers of one office, who may all see and do the same, share one count.
    The figures depend on nothing else of the user's."""
    today = timezone.localdate()
    seconds = settings.DASHBOARD_CACHE_SECONDS
    # What the user may do and see: a change of either counts afresh.
    scope = _scope(user)
    rights = hashlib.sha256(" ".join([*sorted(user.get_all_permissions()), *scope]).encode())
    rights = rights.hexdigest()
    key = ":".join(
        [
            "dashboard",
            program.slug if program else "",
            str(year or ""),
            get_language() or "",
            today.isoformat(),
            rights[:16],
        ]
    )
    figures = cache.get(key) if seconds else None
    if figures is None:
        with replica_reads():  # figures may lag the primary by seconds
            figures = dashboard_figures(
                user, today=today, program=program, year=year, programs=programs
            )
        figures["counted_at"] = timezone.now()
        # Kept only if the assignments did not change while counting: the figures then
        # belong to the rights they are kept under, and others sharing these rights.
        if seconds and _scope(user) == scope:
            cache.set(key, figures, seconds)
    return figures


@transaction.non_atomic_requests  # it only reads: no transaction to open and commit
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("cohorts.view_program"):
        return render(request, "office/dashboard.html", {"figures": None})
    programs = list(Program.objects.visible_to(user).order_by("name"))
    program = next((p for p in programs if p.slug == request.GET.get("program")), None)
    year = request.GET.get("year", "")
    year = whole_number(year, minimum=1, maximum=9999)
    figures = _kept_figures(user, program=program, year=year, programs=programs)
    return render(
        request,
        "office/dashboard.html",
        {
            "figures": figures,
            "open_events": open_events(user),
            "programs": programs,
            "program": program,
            "year": year,
            "years": list(
                Cohort.objects.visible_to(user)
                .values_list("year", flat=True)
                .order_by("-year")
                .distinct()
            ),
            "chart": bar_chart(
                [(str(row["cohort"]), row["sent"]) for row in figures["recent_batches"]]
            ),
        },
    )


def program_overview(request: HttpRequest, slug: str) -> HttpResponse:
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
    cohorts = list(Cohort.objects.visible_to(request.user).of_program(program).order_by("number"))
    participants = Participant.objects.visible_to(request.user).filter(cohort__program=program)
    counts: dict[int, dict[str, int]] = {}
    for row in participants.values("cohort", "status").annotate(n=Count("id")):
        counts.setdefault(row["cohort"], {})[row["status"]] = row["n"]
    statuses = [
        (value, label)
        for value, label in Participant.Status.choices
        if any(value in by_status for by_status in counts.values())
    ]
    for cohort in cohorts:
        by_status = counts.get(cohort.pk, {})
        cohort.status_counts = [by_status.get(value, 0) for value, _label in statuses]
        cohort.participant_total = sum(by_status.values())
    return render(
        request,
        "office/overviews/program_overview.html",
        {
            "program": program,
            "latest_report": latest_programme_report(program=program)
            if request.user.has_perm("delegation.download_reports")
            else None,
            "agreements": agreements,
            "expiring_count": sum(1 for row in agreements if row["expiring"]),
            "cohorts": cohorts,
            "statuses": statuses,
            "sent_total": participants.sent().count(),
        },
    )


def cohort_overview(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program__partner"), request.user, pk=pk)
    ceremony = getattr(cohort, "ceremony", None)
    moves, blocked = _status_moves(cohort, today=timezone.localdate())
    participants = list(
        Participant.objects.visible_to(request.user)
        .in_cohort(cohort)
        .order_by("participant_number", "full_name")
    )
    return render(
        request,
        "office/overviews/cohort_overview.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "ceremony": ceremony,
            "attendees": ceremony.attendees.all() if ceremony else [],
            "moves": moves,
            "blocked_moves": blocked,
            "participants": participants,
            "board": readiness_board(cohort, participants, user=request.user),
            "costs": _cost_card(request.user, cohort),
            "jobs": Job.objects.visible_to(request.user).for_subject(cohort).live()[:6],
            # From the check-ins: for those who read check-ins, not instructors.
            "retention": retention(cohort, participants)
            if request.user.has_perm("participants.view_checkin")
            else None,
            "plan": cohort.plan,
            # HR ticks people in the list and acts on them together.
            "form": bulk_form(request, cohort)
            if request.user.has_perm("participants.change_participant")
            else None,
            "ticked": {"all"} if request.GET.get("select") == "all" else set(),
        },
    )


def _status_moves(cohort: Cohort, *, today) -> tuple[list[dict], list[dict]]:
    """The batch's status buttons: the moves it may make now, and why each other is refused."""
    moves = [
        {"status": status, "label": Cohort.Status(status).label}
        for status in training_services.cohort_allowed_moves(cohort, today=today)
    ]
    offered = {move["status"] for move in moves}
    blocked = [
        {
            "label": Cohort.Status(status).label,
            "reason": training_services.cohort_move_blocker(cohort, status, today=today),
        }
        for status in Cohort.MOVES[cohort.status]
        if status not in offered
    ]
    return moves, blocked


def _cost_card(user, cohort: Cohort):
    if not user.has_perm("participants.view_costitem"):
        return None
    items = CostItem.objects.visible_to(user).filter(cohort=cohort)
    return summarise(items, program=cohort.program, participant_count=0)


def retention(cohort: Cohort, participants: list[Participant]) -> dict | None:
    """From each participant's latest check-in: who wants to extend or bring family."""
    values = CheckIn.objects.filter(participant__cohort=cohort).latest_per_participant()
    if not values:
        return None
    count = len(values)

    def share(field: str) -> Decimal:
        return whole_percent(sum(1 for c in values if getattr(c, field) == CheckIn.Wish.YES), count)

    names = {p.pk: p for p in participants}
    return {
        "people": count,
        "wanting_to_extend": [
            names[c.participant_id]
            for c in values
            if c.wants_to_extend == CheckIn.Wish.YES and c.participant_id in names
        ],
        "extend": share("wants_to_extend"),
        "family": share("wants_family"),
        "wellbeing": (Decimal(sum(c.wellbeing for c in values)) / count).quantize(Decimal("0.1")),
        "open_follow_ups": CheckIn.objects.filter(participant__cohort=cohort)
        .open_follow_ups()
        .count(),
    }


def readiness_board(cohort: Cohort, participants: list[Participant], *, user) -> dict | None:
    """A row per participant, a mark per requirement column: live for those still waiting,
    the stored result for those who departed. Each row carries its attendance so far and
    its unmet reasons; each column a summary (how many meet it). Without the document
    permission, ``user`` reads whether each one is ready and the training reasons, not the
    document ones."""
    if not participants:
        return None
    columns: dict[str, str] = {}
    rows = []
    for participant, found in _readiness_results(cohort, participants, user=user):
        requirements = found.pop("requirements")
        for key, label, _met, _detail in requirements:
            columns.setdefault(key, label)
        found["cells"] = {key: met for key, _label, met, _detail in requirements}
        found["missing"] = [detail for _key, _label, met, detail in requirements if not met]
        rows.append({"participant": participant, **found})
    if not rows:
        return None
    summary = []
    for key, label in columns.items():
        marks = [row["cells"][key] for row in rows if key in row["cells"]]
        summary.append({"label": label, "met": sum(marks), "total": len(marks)})
    for row in rows:
        row["cells"] = [
            {"label": label, "met": row["cells"].get(key)} for key, label in columns.items()
        ]
    return {
        "columns": list(columns.values()),
        "rows": rows,
        "summary": summary,
        "ready_count": sum(1 for row in rows if row["ready"]),
        "waiting": any(not row["stored"] for row in rows),
        "documents_left_out": not readiness.reads_documents(user),
    }


def _readiness_results(cohort: Cohort, participants: list[Participant], *, user):
    """Each participant with a readiness result: checked now while they wait, or the one
    stored when they departed (``stored``); those with neither are left out."""
    waiting = [p for p in participants if p.status in TRAINEES]
    live = readiness.check_batch(cohort, participants=waiting) if waiting else {}
    stored = dict(
        StatusChange.objects.filter(
            participant__in=[p for p in participants if p.status not in TRAINEES],
            to_status=Participant.Status.DEPARTED,
            readiness__isnull=False,
        ).values_list("participant_id", "readiness")
    )
    for participant in participants:
        if participant.pk in live:
            result = live[participant.pk]
            requirements = [
                (r.key, r.label, r.met, r.detail)
                for r in readiness.requirements_shown_to(user, result.requirements)
            ]
            yield (
                participant,
                {
                    "requirements": requirements,
                    "ready": result.ready,
                    "reference_date": result.reference_date,
                    "stored": False,
                    "attendance_so_far": result.attendance_rate,
                },
            )
        elif participant.pk in stored:
            snapshot = stored[participant.pk]
            rate = snapshot.get("attendance_rate")
            yield (
                participant,
                {
                    "requirements": [
                        (r["key"], r["label"], r["met"], r["detail"])
                        for r in readiness.requirements_shown_to(user, snapshot["requirements"])
                    ],
                    "ready": snapshot["ready"],
                    "reference_date": snapshot["reference_date"],
                    "stored": True,
                    "attendance_so_far": Decimal(rate) if rate is not None else None,
                },
            )


@permission_required(
    ["participants.view_participant", "participants.view_document"], raise_exception=True
)
def readiness_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The readiness board as XLSX (logged). Its reasons name passports and documents, so
    only roles that see documents take it away: not instructors, not leadership."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    participants = list(
        Participant.objects.visible_to(request.user)
        .in_cohort(cohort)
        .order_by("participant_number", "full_name")
    )
    on = readiness.reference_date(cohort, None)
    board = readiness_board(cohort, participants, user=request.user)
    content = readiness_xlsx(cohort, board, on=on)
    record_event(request.user, AuditEvent.Action.EXPORT, cohort, detail="readiness.xlsx")
    name = file_name(
        "kesiapan-keberangkatan",
        cohort.program.slug,
        f"angkatan-{cohort.number}",
        timezone.localdate(),
        extension="xlsx",
    )
    return xlsx_response(content, name)


def participant_profile(request: HttpRequest, pk: int) -> HttpResponse:
    participant = visible_or_404(Participant, request.user, pk=pk)
    page = profile.profile_page(participant, user=request.user, revealed=False)
    return render(request, profile.PROFILE_TEMPLATE, page)


@require_POST
def participant_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the participant's personal data once, and log that it was shown."""
    participant = visible_or_404(Participant, request.user, pk=pk)
    if not can_reveal(request.user):
        raise PermissionDenied
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, participant)
    page = profile.profile_page(participant, user=request.user, revealed=True)
    return render(request, profile.PROFILE_TEMPLATE, page)


@require_POST
def participant_data_export(request: HttpRequest, pk: int) -> FileResponse:
    """Everything held about one participant, as a ZIP, for a data-access request (logged)."""
    participant = visible_or_404(Participant, request.user, pk=pk)
    if not profile.can_export_personal_data(request.user):
        raise PermissionDenied
    archive = build_archive(participant)
    record_event(
        request.user, AuditEvent.Action.EXPORT, participant, detail="data-access archive (ZIP)"
    )
    label = participant.participant_number or f"peserta-{participant.pk}"
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"data-{label}-{stamp}.zip",
        content_type="application/zip",
    )


@require_POST
@portal_page
def own_data_export(request: HttpRequest) -> FileResponse:
    """The person's own data-access download from the portal: the same archive, logged."""
    participant = request.participant
    archive = build_archive(participant)
    record_event(
        request.user, AuditEvent.Action.EXPORT, participant, detail="own data-access archive (ZIP)"
    )
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"data-saya-{stamp}.zip",
        content_type="application/zip",
    )


@require_POST
def own_applications_export(request: HttpRequest) -> FileResponse:
    """An applicant's (no participant yet) own data-access download: their portal
    applications, the applications sent and the files, logged as an export."""
    if not is_portal_user(request.user):
        raise PermissionDenied
    if PortalAccount.objects.filter(user=request.user).exists():
        return redirect("portal:my_data")  # a participant's archive holds it all
    archive = build_archive(user=request.user)
    record_event(
        request.user, AuditEvent.Action.EXPORT, detail="own applications data-access archive (ZIP)"
    )
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"data-lamaran-saya-{stamp}.zip",
        content_type="application/zip",
    )


def open_events(user) -> list[dict]:
    """The disaster events still open, with how many of the people the user sees are not
    reached yet: the dashboard's banner (counts only). One query, never kept."""
    if not user.has_perm("welfare.view_case_counts"):
        return []
    people = Participant.objects.visible_to(user)
    members = EventMember.objects.filter(participant__in=people.values("pk"))
    return list(
        Event.objects.open()
        .annotate(
            waiting=Count(
                "members",
                filter=Q(
                    members__in=members.values("pk"),
                    members__result__in=EventMember.NOT_REACHED,
                ),
            )
        )
        .order_by("-occurred_on")
        .values("pk", "name", "waiting")
    )


@permission_required("participants.view_participant", raise_exception=True)
def recap(request: HttpRequest, slug: str | None = None, pk: int | None = None) -> HttpResponse:
    """The recap of everything the user may see, of one programme, or of one batch."""
    people = Participant.objects.visible_to(request.user)
    title, subject, scope = "Semua Program", None, ["semua-program"]
    if pk is not None:
        subject = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
        people = people.filter(cohort=subject)
        title = f"{subject.program.name} Angkatan {roman(subject.number)}"
        scope = [subject.program.slug, f"angkatan-{subject.number}"]
    elif slug is not None:
        subject = visible_or_404(Program, request.user, slug=slug)
        people = people.filter(cohort__program=subject)
        title, scope = subject.name, [subject.slug]
    stamp = timezone.localdate()
    content = recap_xlsx(people, title=title, subtitle=f"Per {indonesian_date(stamp)}")
    record_event(request.user, AuditEvent.Action.EXPORT, subject, detail="rekapitulasi.xlsx")
    return xlsx_response(content, file_name("rekapitulasi", *scope, stamp, extension="xlsx"))
