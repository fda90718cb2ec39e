"""Pages of the selection: calls, the counter's application desk, the committee, score
entry, the ranking, objections, the decision and the fairness page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Program
from delegation.access import visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pagination import paginate
from delegation.roles import sees_everything
from delegation.spreadsheets import xlsx_response
from participants.sensitive import can_reveal, mask_date, mask_number, mask_phone
from recruitment import exports, fairness, receipt, services
from recruitment.forms import (
    AnswerForm,
    ApplicationForm,
    CallForm,
    CheckForm,
    CommitteeMemberForm,
    ConflictForm,
    MemberChoiceForm,
    ObjectionForm,
    PublishForm,
    ReasonForm,
    ScoreSheetForm,
    StageForm,
)
from recruitment.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeMember,
    Objection,
    Score,
    Stage,
    documents_available,
)


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _refuse(request, error: ValidationError) -> None:
    for message in _messages_of(error):
        messages.error(request, message)


def _crumbs(call: Call | None = None, *more):
    items = [(_("Selection"), reverse("recruitment:call_list"))]
    if call is not None:
        items.append((call.title, reverse("recruitment:call_detail", args=[call.pk])))
    return items + list(more)


def _form_page(request, form, *, title, call, cancel_url=None):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url or reverse("recruitment:call_detail", args=[call.pk]),
            "breadcrumbs": _crumbs(call, (title, None)) if call else _crumbs(None, (title, None)),
        },
    )


def _call(request, pk: int, permission: str = "recruitment.view_call") -> Call:
    call = visible_or_404(Call.objects.select_related("program", "cohort"), request.user, pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return call


def _programs(user):
    if sees_everything(user):
        return Program.objects.all()
    return Program.objects.filter(staff_assignments__user=user)


# ---- calls -----------------------------------------------------------------------------------


@permission_required("recruitment.view_call", raise_exception=True)
def call_list(request):
    calls = Call.objects.visible_to(request.user).select_related("program", "cohort")
    status = request.GET.get("status", "")
    if status in Call.Status.values:
        calls = calls.filter(status=status)
    text = " ".join(request.GET.get("q", "").split())
    if text:
        calls = calls.filter(Q(title__icontains=text) | Q(number__icontains=text))
    calls = calls.annotate(applicants=Count("applications")).order_by("-opens_at", "-pk")
    return render(
        request,
        "recruitment/call_list.html",
        {
            "page": paginate(request, calls),
            "statuses": Call.Status.choices,
            "status": status,
            "q": text,
        },
    )


@permission_required("recruitment.add_call", raise_exception=True)
def call_create(request):
    form = CallForm(request.POST or None, programs=_programs(request.user))
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, _("The call is saved as a draft."))
        return redirect(call)
    return _form_page(
        request,
        form,
        title=_("New call for applications"),
        call=None,
        cancel_url=reverse("recruitment:call_list"),
    )


def call_edit(request, pk: int):
    call = _call(request, pk, "recruitment.change_call")
    if call.status not in (Call.Status.DRAFT, Call.Status.OPEN):
        messages.error(request, _("Only a draft or open call can be changed."))
        return redirect(call)
    form = CallForm(request.POST or None, instance=call, programs=_programs(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        changed = services.call_recheck(call=call)
        messages.success(request, _("The call is saved."))
        if changed:
            messages.info(
                request,
                _("The new rules change the eligibility of %(count)d application(s).")
                % {"count": changed},
            )
        return redirect(call)
    return _form_page(request, form, title=_("Change the call"), call=call)


def call_detail(request, pk: int):
    call = _call(request, pk)
    stages = Stage.objects.visible_to(request.user).filter(call=call).order_by("order")
    counts = call.applications.aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=Q(auto_eligible=True) & ~Q(admin_status="ineligible")),
        pending=Count("pk", filter=Q(admin_status="pending")),
    )
    seat = CommitteeMember.objects.filter(call=call, user=request.user).first()
    moves = [
        (status, Call.Status(status).label)
        for status in Call.MOVES[call.status]
        if services.call_move_blocker(call, status) is None
    ]
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "stages": stages,
            "committee": call.committee.prefetch_related("stages").order_by("position", "name"),
            "counts": counts,
            "seat": seat,
            "moves": moves,
            "publish_form": PublishForm(today=timezone.localdate())
            if call.status == Call.Status.SCORING
            else None,
            "document_kinds": documents_available(call),
            "breadcrumbs": _crumbs(None, (call.title, None)),
        },
    )


@require_POST
def call_move(request, pk: int):
    call = _call(request, pk, "recruitment.change_call")
    try:
        services.call_move(call=call, to=request.POST.get("to", ""), by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The call's status is changed."))
    return redirect(call)


STAGES_CHANGE_WHILE = (Call.Status.DRAFT, Call.Status.OPEN)


def stage_create(request, pk: int):
    call = _call(request, pk, "recruitment.add_stage")
    if call.status not in STAGES_CHANGE_WHILE:
        messages.error(request, _("Stages are set while the call is a draft or open."))
        return redirect(call)
    form = StageForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        stage = form.save(commit=False)
        stage.call = call
        stage.save()
        messages.success(request, _("The stage is added."))
        return redirect(call)
    return _form_page(request, form, title=_("New selection stage"), call=call)


def stage_edit(request, pk: int):
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.change_stage"):
        raise PermissionDenied
    if stage.call.status not in STAGES_CHANGE_WHILE:
        messages.error(request, _("Stages are set while the call is a draft or open."))
        return redirect(stage.call)
    form = StageForm(request.POST or None, instance=stage, call=stage.call)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The stage is saved."))
        return redirect(stage.call)
    return _form_page(request, form, title=_("Change the stage"), call=stage.call)


# ---- the committee ---------------------------------------------------------------------------


def member_create(request, pk: int):
    call = _call(request, pk, "recruitment.add_committeemember")
    if call.status in (Call.Status.DECIDED, Call.Status.CANCELLED):
        messages.error(request, _("The committee of a decided or cancelled call is closed."))
        return redirect(call)
    form = CommitteeMemberForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.call = call
        member.save()
        form.save_m2m()
        messages.success(request, _("The committee member is added."))
        return redirect(call)
    return _form_page(request, form, title=_("New committee member"), call=call)


def _member(request, pk: int) -> CommitteeMember:
    member = get_object_or_404(
        CommitteeMember.objects.select_related("call").filter(
            call__in=Call.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return member


@require_POST
def member_pact(request, pk: int):
    member = _member(request, pk)
    if not request.user.has_perm("recruitment.add_conflictdeclaration"):
        raise PermissionDenied
    try:
        services.member_sign_pact(member=member, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The integrity pact is signed."))
    return redirect(member.call)


def member_conflicts(request, pk: int):
    member = _member(request, pk)
    if not request.user.has_perm("recruitment.add_conflictdeclaration"):
        raise PermissionDenied
    if not services.may_act_for(member, request.user):
        raise PermissionDenied  # a member's relations are declared by that member
    form = ConflictForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                member=member,
                application=form.cleaned_data["application"],
                relation=form.cleaned_data["relation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relation is declared."))
            return redirect("recruitment:member_conflicts", pk=member.pk)
    return render(
        request,
        "recruitment/conflicts.html",
        {
            "member": member,
            "call": member.call,
            "form": form,
            "declared": member.conflicts.select_related("application"),
            "breadcrumbs": _crumbs(member.call, (_("Conflicts of interest"), None)),
        },
    )


# ---- applications ----------------------------------------------------------------------------


def application_list(request, pk: int):
    call = _call(request, pk, "recruitment.view_application")
    applications = Application.objects.visible_to(request.user).filter(call=call)
    text = " ".join(request.GET.get("q", "").split())
    applications = applications.search(text)
    track = request.GET.get("track", "")
    if track in ("worker", "scholarship"):
        applications = applications.filter(track=track)
    check = request.GET.get("check", "")
    if check in Application.Check.values:
        applications = applications.filter(admin_status=check)
    order = request.GET.get("order", "")
    applications = applications.select_related("ktp_regency").order_by(
        {"name": "full_name", "outcome": "outcome"}.get(order, "registration_number"), "pk"
    )
    return render(
        request,
        "recruitment/application_list.html",
        {
            "call": call,
            "page": paginate(request, applications),
            "q": text,
            "track": track,
            "check": check,
            "checks": Application.Check.choices,
            "breadcrumbs": _crumbs(call, (_("Applicants"), None)),
        },
    )


def application_create(request, pk: int):
    """The counter's application desk: the applicant's data and the documents they bring."""
    call = _call(request, pk, "recruitment.add_application")
    form = ApplicationForm(request.POST or None, request.FILES or None, call=call)
    if not call.accepting:
        messages.error(request, _("This call is not accepting applications."))
        return redirect(call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                call=call,
                data=form.applicant_data(),
                documents=form.documents(),
                channel=Application.Channel.COUNTER,
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    target = field if field in form.fields else None
                    for message in errors:
                        form.add_error(target, message)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Application %(number)s is registered.")
                % {"number": application.registration_number},
            )
            return redirect(application.get_absolute_url() + "?registered=1")
    return render(
        request,
        "recruitment/application_form.html",
        {
            "call": call,
            "form": form,
            "breadcrumbs": _crumbs(call, (_("Application desk"), None)),
        },
    )


def _application(request, pk: int) -> Application:
    application = visible_or_404(
        Application.objects.select_related("call__program", "call__cohort", "ktp_regency"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("recruitment.view_application"):
        raise PermissionDenied
    return application


def _detail_page(request, application: Application, *, revealed: bool):
    user = request.user
    stages = Stage.objects.visible_to(user).filter(call=application.call).order_by("order")
    scores = (
        Score.objects.filter(application=application, stage__in=stages)
        .select_related("stage", "member", "entered_by")
        .order_by("stage__order", "member__name")
    )
    return render(
        request,
        "recruitment/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "personal": user.has_perm("participants.view_personal"),
            "can_reveal": can_reveal(user),
            "revealed": revealed,
            "nik": application.nik if revealed else mask_number(application.nik),
            "birth": application.birth_date if revealed else mask_date(application.birth_date),
            "phone": application.phone if revealed else mask_phone(application.phone),
            "registered": request.GET.get("registered") == "1",
            "reasons": services.eligibility_reasons(application)
            if not application.auto_eligible
            else [],
            "row": services.application_row(application),
            "documents": application.documents.all()
            if user.has_perm("recruitment.view_applicationdocument")
            else [],
            "scores": scores,
            "check_form": CheckForm(),
            "may_check": user.has_perm("recruitment.change_application")
            and application.call.status in (Call.Status.OPEN, Call.Status.CLOSED),
            "objections": application.objections.all(),
            "replaceable": user.has_perm("recruitment.add_replacement")
            and application.call.status == Call.Status.DECIDED
            and application.outcome == Application.Outcome.SELECTED
            and application.participant is not None
            and application.participant.status == "withdrawn"
            and not application.replaced_by.exists(),
            "breadcrumbs": _crumbs(
                application.call,
                (
                    _("Applicants"),
                    reverse("recruitment:application_list", args=[application.call_id]),
                ),
                (application.registration_number, None),
            ),
        },
    )


def application_detail(request, pk: int):
    """The application, its personal data masked (shown only through the logged reveal)."""
    return _detail_page(request, _application(request, pk), revealed=False)


@require_POST
def application_reveal(request, pk: int):
    """Show the applicant's NIK, birth date, phone and addresses once, and log that it was
    shown (the number never travels in a URL)."""
    application = _application(request, pk)
    if not (request.user.has_perm("participants.view_personal") and can_reveal(request.user)):
        raise PermissionDenied
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, application)
    return _detail_page(request, application, revealed=True)


def application_receipt(request, pk: int):
    """The receipt (tanda terima) handed to the applicant, as a PDF on the letterhead."""
    application = _application(request, pk)
    if not request.user.has_perm("recruitment.add_application"):
        raise PermissionDenied
    content = receipt.receipt_pdf(
        receipt.receipt_data(application),
        requested_by=request.user.get_full_name() or request.user.get_username(),
    )
    record_event(request.user, AuditEvent.Action.EXPORT, application, detail="tanda terima")
    name = file_name("tanda-terima", application.registration_number, extension="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def application_check(request, pk: int):
    application = _application(request, pk)
    if not request.user.has_perm("recruitment.change_application"):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(application)
    try:
        services.application_check(
            application=application,
            eligible=form.cleaned_data["eligible"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The administrative check is saved."))
    return redirect(application)


def application_document(request, pk: int):
    document = get_object_or_404(
        ApplicationDocument.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not request.user.has_perm("recruitment.view_applicationdocument"):
        raise PermissionDenied
    return private_file_response(request, document.file, subject=document.application)


# ---- scores ----------------------------------------------------------------------------------


def stage_scores(request, pk: int):
    """Score entry: every applicant sitting the stage on one page, one submit. Applicants the
    assessor declared a relation to are not shown."""
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.add_score"):
        raise PermissionDenied
    call = stage.call
    members = services.members_entered_by(request.user, stage)
    if not members:
        raise PermissionDenied
    chooser = MemberChoiceForm(request.GET or None, members=members)
    member = chooser.cleaned_data["member"] if chooser.is_valid() else members[0]
    if not chooser.is_bound:
        chooser = MemberChoiceForm(initial={"member": member}, members=members)
    barred = set(member.conflicts.values_list("application_id", flat=True))
    applications = [a for a in services.sitting(stage) if a.pk not in barred]
    scores = {s.application_id: s for s in Score.objects.filter(stage=stage, member=member)}
    form = ScoreSheetForm(
        request.POST or None, stage=stage, applications=applications, scores=scores
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.scores_save(
                stage=stage,
                member=member,
                entries=form.entries(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)d score(s) saved.") % {"count": changed})
            return redirect(
                reverse("recruitment:stage_scores", args=[stage.pk]) + f"?member={member.pk}"
            )
    return render(
        request,
        "recruitment/scores.html",
        {
            "stage": stage,
            "call": call,
            "member": member,
            "chooser": chooser if len(members) > 1 else None,
            "form": form,
            "open": call.status in (Call.Status.SCORING, Call.Status.PROVISIONAL),
            "breadcrumbs": _crumbs(call, (stage.name, None)),
        },
    )


@require_POST
def stage_lock(request, pk: int):
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.change_stage"):
        raise PermissionDenied
    try:
        services.stage_lock(stage=stage, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The stage's scores are locked."))
    return redirect(stage.call)


# ---- ranking, result and decision --------------------------------------------------------


def _may_rank(user) -> bool:
    return user.has_perm("recruitment.view_score") and user.has_perm("participants.view_personal")


def ranking(request, pk: int):
    call = _call(request, pk)
    if not _may_rank(request.user):
        raise PermissionDenied
    rows = services.call_rows(call=call)
    return render(
        request,
        "recruitment/ranking.html",
        {
            "call": call,
            "rows": rows,
            "stages": list(call.stages.order_by("order")),
            "breadcrumbs": _crumbs(call, (_("Ranking"), None)),
        },
    )


def ranking_export(request, pk: int):
    call = _call(request, pk)
    if not _may_rank(request.user):
        raise PermissionDenied
    content = exports.rank_list_xlsx(call, services.call_rows(call=call))
    record_event(request.user, AuditEvent.Action.EXPORT, call, detail="rank list")
    name = file_name(
        "peringkat-seleksi", call.program.slug, call.cohort, timezone.localdate(), extension="xlsx"
    )
    return xlsx_response(content, name)


@require_POST
def call_publish(request, pk: int):
    call = _call(request, pk, "recruitment.decide_call")
    today = timezone.localdate()
    form = PublishForm(request.POST, today=today)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(call)
    try:
        services.call_publish_result(
            call=call,
            by=request.user,
            today=today,
            objection_until=form.cleaned_data["objection_until"],
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        call.refresh_from_db()
        messages.success(
            request,
            _("The provisional result is published; objections until %(day)s.")
            % {"day": date_format(call.objection_until, "l, j F Y")},
        )
    return redirect(call)


def objections(request, pk: int):
    call = _call(request, pk, "recruitment.view_objection")
    may_record = request.user.has_perm("recruitment.add_objection")
    form = ObjectionForm(request.POST or None, call=call)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.objection_record(
                    call=call,
                    application=form.cleaned_data["application"],
                    text=form.cleaned_data["text"],
                    received_on=form.cleaned_data["received_on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The objection is recorded."))
                return redirect("recruitment:objections", pk=call.pk)
    return render(
        request,
        "recruitment/objections.html",
        {
            "call": call,
            "objections": call.objections.select_related("application", "answered_by"),
            "form": form if may_record and call.status == Call.Status.PROVISIONAL else None,
            "may_answer": request.user.has_perm("recruitment.change_objection")
            and call.status == Call.Status.PROVISIONAL,
            "breadcrumbs": _crumbs(call, (_("Objections"), None)),
        },
    )


def objection_answer(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related("call", "application").filter(
            call__in=Call.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not request.user.has_perm("recruitment.change_objection"):
        raise PermissionDenied
    form = AnswerForm(
        request.POST or None,
        initial={"answer": objection.answer, "verdict": objection.verdict},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(
                objection=objection,
                answer=form.cleaned_data["answer"],
                verdict=form.cleaned_data["verdict"],
                by=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is saved."))
            return redirect("recruitment:objections", pk=objection.call_id)
    return render(
        request,
        "recruitment/objection_answer.html",
        {
            "objection": objection,
            "call": objection.call,
            "form": form,
            "breadcrumbs": _crumbs(
                objection.call,
                (_("Objections"), reverse("recruitment:objections", args=[objection.call_id])),
                (objection.application.full_name, None),
            ),
        },
    )


def call_decide(request, pk: int):
    """The decision: a page that says what it will do, then one confirmed action."""
    call = _call(request, pk, "recruitment.decide_call")
    if request.method == "POST":
        try:
            created = services.call_decide(call=call, by=request.user)
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(
                request,
                _("The call is decided: %(count)d participant(s) selected into %(cohort)s.")
                % {"count": len(created), "cohort": call.cohort},
            )
            return redirect(call)
    rows = services.call_rank(call=call) if call.status == Call.Status.PROVISIONAL else []
    return render(
        request,
        "recruitment/decide.html",
        {
            "call": call,
            "selected": [r for r in rows if r.outcome == Application.Outcome.SELECTED],
            "reserves": [r for r in rows if r.outcome == Application.Outcome.RESERVE],
            "open_objections": call.objections.filter(verdict="").count(),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(call, (_("Decision"), None)),
        },
    )


def reserve_replace(request, pk: int):
    application = _application(request, pk)
    if not request.user.has_perm("recruitment.add_replacement"):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    reserve = services.next_reserve(application.call, application.track)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.reserve_replace(
                withdrawn=application, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is called from the reserves.")
                % {"name": replacement.reserve.full_name},
            )
            return redirect(replacement.reserve)
    return render(
        request,
        "recruitment/replace.html",
        {
            "application": application,
            "call": application.call,
            "reserve": reserve,
            "form": form,
            "breadcrumbs": _crumbs(application.call, (_("Replace with the next reserve"), None)),
        },
    )


def fairness_page(request, pk: int):
    call = _call(request, pk)
    if not request.user.has_perm("participants.view_personal"):
        raise PermissionDenied
    return render(
        request,
        "recruitment/fairness.html",
        {
            "call": call,
            "figures": fairness.figures(call),
            "breadcrumbs": _crumbs(call, (_("Fairness"), None)),
        },
    )
