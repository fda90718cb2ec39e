from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Program
from delegation.access import visible_or_404
from delegation.audit import record_event
from delegation.documents.printing import indonesian_date
from delegation.documents.services import latest_programme_report
from delegation.formatting import file_name, roman
from delegation.models import AuditEvent, Job
from delegation.overviews.charts import bar_chart
from delegation.overviews.dashboard import dashboard_figures, whole_percent
from delegation.overviews.exports import readiness_xlsx
from delegation.overviews.recap import recap_xlsx
from delegation.privacy.data_access import build_archive
from delegation.querystring import whole_number
from delegation.roles import sees_everything
from delegation.spreadsheets import xlsx_response
from participants.cost_summary import summarise
from participants.models import (
    BEFORE_DEPARTURE,
    SENT_STATUSES,
    CheckIn,
    CostItem,
    DocumentRequirement,
    MessageTemplate,
    Participant,
    Residence,
    StatusChange,
)
from participants.phones import format_phone
from participants.sensitive import can_reveal, mask_date, mask_number, mask_phone
from portal.services import portal_state
from portal.views import portal_page
from training import readiness
from training import services as training_services
from training.models import ExamResult, ExamType, TrainingPlan
from training.views_bulk import bulk_form
from welfare.models import Case, Event, EventMember, FollowUp, Return, ReturnTask
from welfare.services import ABROAD as WELFARE_ABROAD

WAITING = {
    Participant.Status.SELECTED,
    Participant.Status.IN_TRAINING,
    Participant.Status.READY,
    Participant.Status.POSTPONED,
}


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
def dashboard(request):
    user = request.user
    if not user.has_perm("cohorts.view_program"):
        return render(request, "delegation/dashboard.html", {"figures": None})
    programs = list(Program.objects.visible_to(user).order_by("name"))
    program = next((p for p in programs if p.slug == request.GET.get("program")), None)
    year = request.GET.get("year", "")
    year = whole_number(year, minimum=1, maximum=9999)
    figures = _kept_figures(user, program=program, year=year, programs=programs)
    return render(
        request,
        "delegation/dashboard.html",
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
        "delegation/overviews/program_overview.html",
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


def cohort_overview(request, pk: int):
    cohort = visible_or_404(Cohort.objects.select_related("program__partner"), request.user, pk=pk)
    ceremony = getattr(cohort, "ceremony", None)
    today = timezone.localdate()
    moves = [
        {"status": status, "label": Cohort.Status(status).label}
        for status in training_services.cohort_allowed_moves(cohort, today=today)
    ]
    participants = list(
        Participant.objects.visible_to(request.user)
        .in_cohort(cohort)
        .order_by("participant_number", "full_name")
    )
    blocked = [
        {
            "label": Cohort.Status(status).label,
            "reason": training_services.cohort_move_blocker(cohort, status, today=today),
        }
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
            "participants": participants,
            "board": readiness_board(cohort, participants, user=request.user),
            "costs": _cost_card(request.user, cohort),
            "jobs": Job.objects.visible_to(request.user).for_subject(cohort).live()[:6],
            # From the check-ins: for those who read check-ins, not instructors.
            "retention": retention(cohort, participants)
            if request.user.has_perm("participants.view_checkin")
            else None,
            "plan": TrainingPlan.objects.filter(cohort=cohort).first(),
            # HR ticks people in the list and acts on them together.
            "form": bulk_form(request, cohort)
            if request.user.has_perm("participants.change_participant")
            else None,
            "ticked": {"all"} if request.GET.get("select") == "all" else set(),
        },
    )


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
    waiting = [p for p in participants if p.status in WAITING]
    live = readiness.check_batch(cohort, participants=waiting) if waiting else {}
    stored = dict(
        StatusChange.objects.filter(
            participant__in=[p for p in participants if p.status not in WAITING],
            to_status=Participant.Status.DEPARTED,
            readiness__isnull=False,
        ).values_list("participant_id", "readiness")
    )
    columns: dict[str, str] = {}
    rows = []
    for participant in participants:
        if participant.pk in live:
            result = live[participant.pk]
            requirements = [
                (r.key, r.label, r.met, r.detail)
                for r in readiness.requirements_shown_to(user, result.requirements)
            ]
            ready, when, kept = result.ready, result.reference_date, False
            rate = result.attendance_rate
        elif participant.pk in stored:
            snapshot = stored[participant.pk]
            requirements = [
                (r["key"], r["label"], r["met"], r["detail"])
                for r in readiness.requirements_shown_to(user, snapshot["requirements"])
            ]
            ready, when, kept = snapshot["ready"], snapshot["reference_date"], True
            rate = snapshot.get("attendance_rate")
            rate = Decimal(rate) if rate is not None else None
        else:
            continue
        for key, label, _met, _detail in requirements:
            columns.setdefault(key, label)
        rows.append(
            {
                "participant": participant,
                "ready": ready,
                "reference_date": when,
                "stored": kept,
                "attendance_so_far": rate,
                "cells": {key: met for key, _label, met, _detail in requirements},
                "missing": [detail for _key, _label, met, detail in requirements if not met],
            }
        )
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


@permission_required(
    ["participants.view_participant", "participants.view_document"], raise_exception=True
)
def readiness_export(request, pk: int):
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


def participant_profile(request, pk: int):
    participant = visible_or_404(Participant, request.user, pk=pk)
    return render_participant_profile(request, participant, revealed=False)


@require_POST
def participant_reveal(request, pk: int):
    """Show the participant's personal data once, and log that it was shown."""
    participant = visible_or_404(Participant, request.user, pk=pk)
    if not can_reveal(request.user):
        raise PermissionDenied
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, participant)
    return render_participant_profile(request, participant, revealed=True)


def can_export_personal_data(user) -> bool:
    """HR staff and admins answer data-access requests: they see and download everything."""
    return can_reveal(user) and user.has_perm("participants.download_document")


@require_POST
def participant_data_export(request, pk: int):
    """Everything held about one participant, as a ZIP, for a data-access request (logged)."""
    participant = visible_or_404(Participant, request.user, pk=pk)
    if not can_export_personal_data(request.user):
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
def own_data_export(request):
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


def render_participant_profile(request, participant: Participant, *, revealed: bool):
    participant = Participant.objects.select_related(
        "cohort__program", "origin", "ktp_regency", "domicile_regency"
    ).get(pk=participant.pk)
    today = timezone.localdate()
    user = request.user
    documents = []
    if user.has_perm("participants.view_document"):
        for document in participant.documents.current().select_related(
            "document_type", "handled_by"
        ):
            documents.append(
                {
                    "document": document,
                    "expired": document.is_expired(today),
                    "expiring": document.is_expiring(today),
                }
            )
    missing = []
    before_departure = participant.status in BEFORE_DEPARTURE
    if before_departure and participant.cohort and user.has_perm("participants.view_document"):
        held = {row["document"].document_type_id for row in documents if not row["expired"]}
        missing = [
            requirement.document_type
            for requirement in DocumentRequirement.objects.filter(
                program=participant.cohort.program
            ).select_related("document_type")
            if requirement.document_type_id not in held
        ]
    passport = next(
        (row["document"] for row in documents if row["document"].document_type.code == "passport"),
        None,
    )
    phone = format_phone(participant.phone)
    personal = {
        "nik": participant.nik if revealed else mask_number(participant.nik),
        "kk_number": participant.kk_number if revealed else mask_number(participant.kk_number),
        "birth_date": participant.birth_date if revealed else None,
        "birth_date_masked": mask_date(participant.birth_date),
        "phone": phone if revealed else mask_phone(phone),
        "passport_number": (
            passport.number if revealed else mask_number(passport.number, keep_start=1)
        )
        if passport
        else "",
    }
    history = []
    if user.has_perm("participants.view_statuschange"):
        history = participant.status_changes.select_related(
            "recorded_by", "from_cohort", "to_cohort"
        )
    changes = []
    if can_reveal(user):
        changes = _change_history(participant)
    return render(
        request,
        "delegation/overviews/participant_profile.html",
        {
            "participant": participant,
            "portal": portal_state(participant)
            if user.has_perm("participants.change_participant")
            else None,
            "revealed": revealed,
            "can_reveal": can_reveal(user),
            # Click-to-chat only for roles that see phone numbers unmasked.
            "whatsapp_templates": list(MessageTemplate.objects.all()) if can_reveal(user) else [],
            "personal": personal,
            "documents": documents,
            "missing_documents": missing,
            "contacts": participant.contacts.all()
            if user.has_perm("participants.view_contact")
            else None,
            "status_history": history,
            "changes": changes,
            "moves": participant.offered_moves(),
            "readiness": _participant_readiness(participant, user=user),
            "contracts": participant.contracts.all()
            if user.has_perm("participants.view_contract")
            else None,
            "abroad": participant.status in SENT_STATUSES,
            "residence": Residence.objects.filter(participant=participant).first()
            if user.has_perm("participants.view_residence")
            else None,
            "national_exams": ExamResult.objects.filter(
                participant=participant, exam_type__kind=ExamType.Kind.NATIONAL
            ).select_related("exam_type")
            if user.has_perm("training.view_examresult")
            else None,
            "check_ins": participant.check_ins.select_related("recorded_by")[:10]
            if user.has_perm("participants.view_checkin")
            else None,
            # Same name and birth date: a fact about the birth date, for those who see it.
            "duplicates": Participant.objects.visible_to(user)
            .filter(pk__in=participant.possible_duplicates())
            .only("pk", "full_name", "participant_number")
            if user.has_perm("participants.view_personal")
            else None,
            "can_transfer": participant.status in BEFORE_DEPARTURE,
            "consents": participant.consents.select_related("recipient", "recorded_by")
            if user.has_perm("participants.view_consentrecord")
            else None,
            "can_export_personal_data": can_export_personal_data(user),
            "welfare": _participant_welfare(participant, user=user),
        },
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


def _participant_welfare(participant: Participant, *, user) -> dict | None:
    """Duty of care on the profile: cases (to those who see them), the return home, the
    return plan and the follow-ups after return; None to those who see none of it."""
    if not user.has_perm("welfare.view_case"):
        return None
    abroad = participant.status in WELFARE_ABROAD
    return {
        "cases": Case.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("owner"),
        "home": Return.objects.visible_to(user).filter(participant=participant).first(),
        "return_tasks": ReturnTask.objects.visible_to(user).filter(participant=participant),
        "follow_ups": FollowUp.objects.visible_to(user).filter(participant=participant),
        "can_open": abroad and user.has_perm("welfare.add_case"),
        "can_return": abroad
        and user.has_perm("welfare.add_return")
        and user.has_perm("participants.change_participant"),
    }


SENSITIVE_FIELDS = {
    "nik",
    "kk_number",
    "birth_date",
    "phone",
    "ktp_street",
    "ktp_rt_rw",
    "domicile_street",
    "domicile_rt_rw",
}


def _change_history(participant: Participant, limit: int = 20) -> list[dict]:
    """Who changed which fields and when; the values of personal data are not shown."""
    records = list(
        participant.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    changes = []
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older)
        changes.append(
            {"record": newer, "fields": [_shown_change(change) for change in delta.changes]}
        )
    if records and len(records) <= limit:
        changes.append({"record": records[-1], "fields": [], "created": True})
    return changes


def _shown_change(change) -> dict:
    field = Participant._meta.get_field(change.field)
    masked = change.field in SENSITIVE_FIELDS
    return {
        "label": field.verbose_name,
        "old": "" if masked else _display_value(field, change.old),
        "new": "" if masked else _display_value(field, change.new),
        "masked": masked,
    }


def _display_value(field, value) -> str:
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def _participant_readiness(participant: Participant, *, user) -> dict | None:
    """Live while the participant waits to depart; the stored result once departed. The
    reasons about documents only for a user who may read documents."""
    documents_left_out = not readiness.reads_documents(user)
    if participant.status in WAITING:
        result = readiness.check(participant)
        return {
            "ready": result.ready,
            "reference_date": result.reference_date,
            "requirements": readiness.requirements_shown_to(user, result.requirements),
            "stored": False,
            "documents_left_out": documents_left_out,
        }
    change = (
        participant.status_changes.filter(
            to_status=Participant.Status.DEPARTED, readiness__isnull=False
        )
        .order_by("-recorded_at")
        .first()
    )
    if change is None:
        return None
    snapshot = change.readiness
    return {
        "ready": snapshot["ready"],
        "reference_date": snapshot["reference_date"],
        "requirements": readiness.requirements_shown_to(user, snapshot["requirements"]),
        "stored": True,
        "documents_left_out": documents_left_out,
    }


@permission_required("participants.view_participant", raise_exception=True)
def recap(request, slug: str | None = None, pk: int | None = None):
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
