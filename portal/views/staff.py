"""Staff's side of the portal: inviting a participant, and the queue of uploads to verify."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.access import changeable_or_403, visible_or_404
from delegation.downloads import private_file_response
from delegation.pagination import paginate, query_string_without_page
from participants.models import Document, Participant, PersonRequest
from portal import applicants, services
from portal.forms import DuplicateDecisionForm, InviteForm, RefuseForm
from portal.models import DraftDocument, DuplicateReview


@require_POST
def participant_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile's "Undang ke portal": e-mail the person a one-time link (7 days)."""
    participant = changeable_or_403(
        Participant, request.user, "participants.change_participant", pk=pk
    )
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid e-mail address to send the invitation to."))
        return redirect(participant.get_absolute_url())
    try:
        invitation = services.invitation_send(
            participant=participant, email=form.cleaned_data["email"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(participant.get_absolute_url())
    if invitation.email_error:
        messages.warning(
            request,
            _("The invitation was made but the e-mail could not be sent: %(reason)s")
            % {"reason": invitation.email_error},
        )
    else:
        messages.success(
            request,
            _("Invitation sent to %(email)s; the link works once, for 7 days.")
            % {"email": invitation.email},
        )
    return redirect(participant.get_absolute_url())


def _reviewer(user) -> None:
    if not user.has_perm("participants.change_document"):
        raise PermissionDenied


def verification_queue(request: HttpRequest) -> HttpResponse:
    """Uploads from the portal awaiting verification, oldest first."""
    _reviewer(request.user)
    uploads = (
        Document.objects.visible_to(request.user)
        .awaiting_review()
        .select_related("participant__cohort__program", "document_type")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "portal/verification_queue.html",
        {
            "page": paginate(request, uploads),
            "query_string": query_string_without_page(request),
            "refuse_form": RefuseForm(),
        },
    )


@require_POST
def document_accept(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer(request.user)
    document = visible_or_404(Document.objects.awaiting_review(), request.user, pk=pk)
    services.document_accept(document=document, by=request.user)
    messages.success(
        request,
        _("%(document)s of %(name)s verified: it now counts for readiness.")
        % {"document": document.document_type, "name": document.participant},
    )
    return redirect("portal_staff:verification_queue")


@require_POST
def document_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer(request.user)
    document = visible_or_404(Document.objects.awaiting_review(), request.user, pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the upload is refused: the person reads it."))
        return redirect("portal_staff:verification_queue")
    services.document_refuse(document=document, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("%(document)s of %(name)s refused; the reason is shown to the person.")
        % {"document": document.document_type, "name": document.participant},
    )
    return redirect("portal_staff:verification_queue")


def _request_handler(user) -> None:
    if not user.has_perm("participants.change_participant"):
        raise PermissionDenied


def person_requests(request: HttpRequest) -> HttpResponse:
    """Participants' requests: identity corrections and consent withdrawals, oldest first."""
    _request_handler(request.user)
    items = (
        PersonRequest.objects.visible_to(request.user)
        .open()
        .select_related("participant__cohort__program", "consent__recipient")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "portal/person_requests.html",
        {"page": paginate(request, items), "query_string": query_string_without_page(request)},
    )


@require_POST
def person_request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _request_handler(request.user)
    item = visible_or_404(PersonRequest.objects.open(), request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.person_request_answer(
            request=item,
            by=request.user,
            approve=approve,
            response=request.POST.get("response", ""),
            today=timezone.localdate(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("Request of %(name)s approved.") if approve else _("Request of %(name)s refused."))
            % {"name": item.participant},
        )
    return redirect("portal_staff:person_requests")


def _duplicate_reviewer(user) -> None:
    if not user.has_perm("recruitment.change_application"):
        raise PermissionDenied


def duplicate_queue(request: HttpRequest) -> HttpResponse:
    """Portal applications whose NIK is already known, oldest first, with what they match."""
    _duplicate_reviewer(request.user)
    reviews = (
        DuplicateReview.objects.visible_to(request.user)
        .open()
        .select_related("draft__call", "draft__application", "same_call", "participant__cohort")
        .prefetch_related("other_applications__call", "draft__documents")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "portal/duplicate_queue.html",
        {"page": paginate(request, reviews), "query_string": query_string_without_page(request)},
    )


def duplicate_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A file uploaded with a submission still in the queue (held: no application was made,
    so the file is only in the draft), for the reviewer to compare. Logged as a download."""
    _duplicate_reviewer(request.user)
    if not request.user.has_perm("recruitment.view_applicationdocument"):
        raise PermissionDenied
    reviews = DuplicateReview.objects.visible_to(request.user).open()
    document = get_object_or_404(
        DraftDocument.objects.select_related("draft__duplicate_review").filter(
            draft__duplicate_review__in=reviews
        ),
        pk=pk,
    )
    return private_file_response(request, document.file, subject=document.draft.duplicate_review)


@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _duplicate_reviewer(request.user)
    review = visible_or_404(DuplicateReview.objects.open(), request.user, pk=pk)
    form = DuplicateDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept, merge or reject."))
        return redirect("portal_staff:duplicate_queue")
    try:
        applicants.duplicate_decide(
            review=review,
            decision=form.cleaned_data["decision"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Possible duplicate decided; the decision is kept."))
    return redirect("portal_staff:duplicate_queue")
