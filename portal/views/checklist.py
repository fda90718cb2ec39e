"""What is still missing before departure, and uploading it for staff to verify."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import (
    BEFORE_DEPARTURE,
    Document,
    DocumentRequirement,
    DocumentType,
    Participant,
)
from portal import services
from portal.forms import (
    DocumentUploadForm,
)
from portal.views.common import (
    page,
    portal_page,
)
from training import readiness


def _document_rows(participant: Participant, on, check=None) -> list[dict]:
    """Each document the programme requires (the passport always), with its state. With the
    readiness ``check``, whether it is met is the check's verdict (a passport must stay valid
    180 days past departure), and its reason is shown."""
    types = list(DocumentType.objects.filter(code="passport"))
    if participant.cohort_id:
        types += [
            requirement.document_type
            for requirement in DocumentRequirement.objects.filter(
                program_id=participant.cohort.program_id
            ).select_related("document_type")
            if requirement.document_type.code != "passport"
        ]
    verdicts = {}
    for requirement in check.requirements if check else []:
        code = "passport" if requirement.key == "passport" else requirement.key[len("document-") :]
        if requirement.key == "passport" or requirement.key.startswith("document-"):
            verdicts[code] = requirement
    documents = list(participant.documents.select_related("document_type").order_by("-created_at"))
    replaced = {d.replaces_id for d in documents if d.replaces_id}
    rows = []
    for document_type in types:
        own = [d for d in documents if d.document_type_id == document_type.pk]
        current = next(
            (d for d in own if d.review == Document.Review.VERIFIED and d.pk not in replaced),
            None,
        )
        pending = next((d for d in own if d.review == Document.Review.PENDING), None)
        refused = next((d for d in own if d.review == Document.Review.REFUSED), None)
        if refused and pending and pending.created_at > refused.created_at:
            refused = None
        if refused and current and current.created_at > refused.created_at:
            refused = None
        verdict = verdicts.get(document_type.code)
        met = verdict.met if verdict else current is not None and not current.is_expired(on)
        rows.append(
            {
                "type": document_type,
                "current": current,
                "met": met,
                "detail": verdict.detail if verdict and not verdict.met and current else "",
                "pending": pending,
                "refused": refused,
            }
        )
    return rows


@portal_page
def checklist(request: HttpRequest) -> HttpResponse:
    participant: Participant = request.participant
    today = timezone.localdate()
    check = readiness.check(participant, today=today) if participant.cohort_id else None
    others = [
        requirement
        for requirement in (check.requirements if check else [])
        if not requirement.key.startswith("document-") and requirement.key != "passport"
    ]
    return page(
        request,
        "portal/checklist.html",
        {
            "participant": participant,
            "check": check,
            "others": others,
            "documents": _document_rows(
                participant, check.reference_date if check else today, check
            ),
            "before_departure": participant.status in BEFORE_DEPARTURE,
        },
    )


@portal_page
def document_upload(request: HttpRequest, code: str) -> HttpResponse:
    participant: Participant = request.participant
    allowed = {
        row["type"].code: row["type"] for row in _document_rows(participant, timezone.localdate())
    }
    document_type = allowed.get(code)
    if document_type is None:
        raise Http404  # a document not asked of them
    if participant.documents.awaiting_review().filter(document_type=document_type).exists():
        messages.info(request, _("Your last upload of this document is still being checked."))
        return redirect("portal:checklist")
    needs_expiry = code == "passport"
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, needs_expiry=needs_expiry
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_submit(
                participant=participant,
                document_type=document_type,
                file=form.cleaned_data["file"],
                by=request.user,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. Your %(document)s has been sent; the office checks it.")
                % {"document": document_type},
            )
            return redirect("portal:checklist")
    return page(
        request,
        "portal/document_upload.html",
        {"form": form, "document_type": document_type},
        status=400 if form.errors else 200,
    )
