"""Applications: the list, the counter desk, an application's page, its receipt, the
administrative check and its documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pages import refuse
from delegation.pagination import paginate
from participants.sensitive import can_reveal, mask_date, mask_number, mask_phone
from recruitment import receipt, services
from recruitment.forms import (
    ApplicationForm,
    CheckForm,
)
from recruitment.models import (
    Application,
    ApplicationDocument,
    Call,
    Score,
    Stage,
)
from recruitment.views.common import (
    application_for,
    call_for,
    crumbs_of,
)


def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.view_application")
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
            "breadcrumbs": crumbs_of(call, (_("Applicants"), None)),
        },
    )


def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter's application desk: the applicant's data and the documents they bring."""
    call = call_for(request, pk, "recruitment.add_application")
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
            "breadcrumbs": crumbs_of(call, (_("Application desk"), None)),
        },
    )


def _personal_data(application: Application, *, revealed: bool) -> dict[str, object]:
    """The NIK, birth date and phone as the page shows them: masked until revealed."""
    if revealed:
        return {
            "nik": application.nik,
            "birth": application.birth_date,
            "phone": application.phone,
        }
    return {
        "nik": mask_number(application.nik),
        "birth": mask_date(application.birth_date),
        "phone": mask_phone(application.phone),
    }


def _awaits_a_reserve(application: Application) -> bool:
    """A selected applicant who withdrew after the decision and has no replacement yet."""
    return (
        application.call.status == Call.Status.DECIDED
        and application.outcome == Application.Outcome.SELECTED
        and application.participant is not None
        and application.participant.status == "withdrawn"
        and not application.replaced_by.exists()
    )


def _detail_page(request: HttpRequest, application: Application, *, revealed: bool):
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
            **_personal_data(application, revealed=revealed),
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
            and _awaits_a_reserve(application),
            "breadcrumbs": crumbs_of(
                application.call,
                (
                    _("Applicants"),
                    reverse("recruitment:application_list", args=[application.call_id]),
                ),
                (application.registration_number, None),
            ),
        },
    )


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application, its personal data masked (shown only through the logged reveal)."""
    return _detail_page(request, application_for(request, pk), revealed=False)


@require_POST
def application_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the applicant's NIK, birth date, phone and addresses once, and log that it was
    shown (the number never travels in a URL)."""
    application = application_for(request, pk)
    if not (request.user.has_perm("participants.view_personal") and can_reveal(request.user)):
        raise PermissionDenied
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, application)
    return _detail_page(request, application, revealed=True)


def application_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt (tanda terima) handed to the applicant, as a PDF on the letterhead."""
    application = application_for(request, pk)
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
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
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
        refuse(request, error)
    else:
        messages.success(request, _("The administrative check is saved."))
    return redirect(application)


def application_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        ApplicationDocument.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not request.user.has_perm("recruitment.view_applicationdocument"):
        raise PermissionDenied
    return private_file_response(request, document.file, subject=document.application)
