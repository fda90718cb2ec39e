"""The applicants' pages (``/saya/``): the open calls, registration and its e-mail check, the
application step by step, and the applicant's own applications with their receipts."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.roles import is_portal_user
from portal import applicants
from portal.forms import (
    AddressStepForm,
    ConsentStepForm,
    DocumentsStepForm,
    EducationStepForm,
    PersonalStepForm,
    RegistrationConfirmForm,
    RegistrationForm,
)
from portal.models import ApplicationDraft, PortalAccount
from portal.views.common import page
from recruitment import receipt
from recruitment.models import Call

STEP_FORMS = {
    "personal": PersonalStepForm,
    "address": AddressStepForm,
    "education": EducationStepForm,
    "consent": ConsentStepForm,
}
STEP_TITLES = {
    "personal": gettext_lazy("Personal data"),
    "address": gettext_lazy("Addresses"),
    "education": gettext_lazy("Education and track"),
    "documents": gettext_lazy("Documents"),
    "consent": gettext_lazy("Consent and sending"),
}


def applicant_page(view):
    """Any portal account (an applicant, or a participant applying again, who keeps their own
    tabs)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_portal_user(request.user):
            raise PermissionDenied
        account = PortalAccount.objects.filter(user=request.user).select_related("participant")
        request.participant = account[0].participant if account else None
        return view(request, *args, **kwargs)

    return wrapper


def open_calls(request: HttpRequest) -> HttpResponse:
    """The calls open now: open to everyone, signed in or not."""
    calls = Call.objects.open_now().select_related("program__partner").order_by("closes_at")
    if is_portal_user(request.user):  # signed in: the tabs lead back to their applications
        return page(request, "portal/open_calls.html", {"calls": calls})
    return render(request, "portal/open_calls.html", {"calls": calls})


@sensitive_post_parameters("password1", "password2")
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applicants.registration_start(
            email=form.cleaned_data["email"], password=form.cleaned_data["password1"]
        )
        return redirect("portal:register_done")
    return render(
        request, "portal/register.html", {"form": form}, status=400 if form.errors else 200
    )


def register_done(request: HttpRequest) -> HttpResponse:
    """The same answer for every address, known or not: look in your mailbox."""
    return render(request, "portal/register_done.html")


@sensitive_post_parameters("password")
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: the password chosen when registering opens the account (a GET alone,
    as a mail filter makes, changes nothing)."""
    if applicants.registration_find(token) is None:
        return render(request, "portal/verify_invalid.html", status=404)
    form = RegistrationConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = applicants.registration_verify(
                token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            if user is None:
                return render(request, "portal/verify_invalid.html", status=404)
            login(request, user, backend="delegation.backends.RoleBackend")
            messages.success(request, _("Your e-mail address is confirmed: your account is open."))
            return redirect("portal:open_calls")
    return render(
        request, "portal/verify_email.html", {"form": form}, status=400 if form.errors else 200
    )


@applicant_page
def apply(request: HttpRequest, call_pk: int) -> HttpResponse:
    """Start or resume an application: on at the first step not completed yet."""
    call = get_object_or_404(Call.objects.open_now(), pk=call_pk)
    draft = applicants.draft_for(user=request.user, call=call)
    if draft.status != ApplicationDraft.Status.DRAFT:
        return redirect("portal:application_detail", draft.pk)
    step = applicants.first_open_step(draft) or applicants.STEPS[-1]
    return redirect("portal:apply_step", call.pk, step)


def _step_form(request, draft: ApplicationDraft, step: str):
    data = request.POST if request.method == "POST" else None
    if step == "documents":
        return DocumentsStepForm(
            data,
            request.FILES if data is not None else None,
            names=list(draft.call.required_documents),
            have=set(draft.documents.values_list("name", flat=True)),
        )
    return STEP_FORMS[step](data, initial=draft.data)


@applicant_page
def apply_step(request: HttpRequest, call_pk: int, step: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.open_now(), pk=call_pk)
    draft = applicants.draft_for(user=request.user, call=call)
    if draft.status != ApplicationDraft.Status.DRAFT:
        return redirect("portal:application_detail", draft.pk)
    first_open = applicants.first_open_step(draft) or applicants.STEPS[-1]
    if step not in applicants.STEPS or applicants.STEPS.index(step) > applicants.STEPS.index(
        first_open
    ):
        return redirect("portal:apply_step", call.pk, first_open)
    form = _step_form(request, draft, step)
    if request.method == "POST" and form.is_valid():
        try:
            if step == "consent":
                draft = applicants.application_send(draft=draft)
            else:
                documents = form.documents() if step == "documents" else None
                values = {} if documents is not None else form.cleaned_data
                applicants.draft_save_step(
                    draft=draft, step=step, values=values, documents=documents
                )
        except ValidationError as error:
            form.add_error(None, error.messages)  # the service's, whichever field they name
        else:
            return _after_step(request, draft, step)
    return _step_page(request, draft, step, form)


def _after_step(request, draft: ApplicationDraft, step: str):
    if step == "consent":
        messages.success(
            request, _("Thank you. Your application has been received; the office checks it.")
        )
        return redirect("portal:application_detail", draft.pk)
    missing = applicants.documents_missing(draft) if step == "documents" else []
    if missing:
        messages.info(
            request,
            _("Saved. Still to upload: %(names)s.") % {"names": ", ".join(missing)},
        )
        return redirect("portal:apply_step", draft.call_id, step)
    messages.success(request, _("Saved. You may continue now or later."))
    following = applicants.STEPS[applicants.STEPS.index(step) + 1]
    return redirect("portal:apply_step", draft.call_id, following)


def _step_page(request, draft: ApplicationDraft, step: str, form):
    steps = [
        {"slug": s, "title": STEP_TITLES[s], "done": s in draft.steps_done, "current": s == step}
        for s in applicants.STEPS
    ]
    return page(
        request,
        "portal/apply_step.html",
        {
            "draft": draft,
            "call": draft.call,
            "step": step,
            "step_title": STEP_TITLES[step],
            "number": applicants.STEPS.index(step) + 1,
            "steps": steps,
            "form": form,
            "documents": draft.documents.all() if step == "documents" else [],
            "consent_text": applicants.CONSENT_TEXT if step == "consent" else [],
            "consent_version": applicants.CONSENT_VERSION,
        },
        status=400 if form.errors else 200,
    )


@applicant_page
def applications(request: HttpRequest) -> HttpResponse:
    drafts = ApplicationDraft.objects.filter(user=request.user).select_related(
        "call", "application"
    )
    return page(request, "portal/applications.html", {"drafts": drafts})


def _own(request, pk: int) -> ApplicationDraft:
    return get_object_or_404(
        ApplicationDraft.objects.select_related("call", "application"), user=request.user, pk=pk
    )


@applicant_page
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's application: number, receipt, the call's stages and published result."""
    draft = _own(request, pk)
    application = draft.application
    call = draft.call
    published = call.status in (Call.Status.PROVISIONAL, Call.Status.DECIDED)
    return page(
        request,
        "portal/application_detail.html",
        {
            "draft": draft,
            "application": application,
            "call": call,
            "stages": call.stages.order_by("order"),
            "published": published and application is not None,
            "documents": application.documents.all() if application else [],
        },
    )


@applicant_page
def application_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt (tanda terima) of a sent application: the counter's PDF on the letterhead,
    logged as the staff's receipt download is."""
    draft = _own(request, pk)
    application = draft.application
    if application is None:
        return redirect("portal:application_detail", draft.pk)
    content = receipt.receipt_pdf(
        receipt.receipt_data(application), requested_by=application.full_name
    )
    record_event(request.user, AuditEvent.Action.EXPORT, application, detail="tanda terima")
    name = file_name("tanda-terima", application.registration_number, extension="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
