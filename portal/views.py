"""The person's own pages (``/saya/``): every view reads the signed-in account's participant,
never an id from the address, so nobody reaches another person's record."""

from __future__ import annotations

import functools
import io

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.roles import is_portal_user
from participants.models import (
    BEFORE_DEPARTURE,
    Document,
    DocumentRequirement,
    DocumentType,
    Participant,
    Residence,
)
from portal import services
from portal.forms import (
    CheckInForm,
    ConsentWithdrawalForm,
    ContactDetailsForm,
    DocumentUploadForm,
    FollowUpAnswerForm,
    IdentityRequestForm,
    PasswordChoiceForm,
)
from portal.models import PortalAccount
from training import readiness
from training.certificate_pdf import certificates_data, render_pages
from training.certificate_pdf import file_name as certificate_file_name
from training.models import Attendance, Certificate, ExamResult, Session, TrainingPlan
from welfare import services as welfare
from welfare.models import FollowUp

TABS = [
    ("portal:home", gettext_lazy("Home")),
    ("portal:checklist", gettext_lazy("Checklist")),
    ("portal:training", gettext_lazy("Training")),
    ("portal:abroad", gettext_lazy("Abroad")),
    ("portal:my_data", gettext_lazy("My data")),
]
# An applicant's account, not (yet) linked to a participant.
APPLICANT_TABS = [
    ("portal:applications", gettext_lazy("My applications")),
    ("portal:open_calls", gettext_lazy("Open calls")),
]
UPCOMING_SESSIONS = 10
RECENT_ATTENDANCE = 20


def portal_page(view):
    """Only a portal account reaches these pages; ``request.participant`` is its person."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        account = (
            PortalAccount.objects.filter(user=request.user)
            .select_related("participant__cohort__program")
            .first()
            if request.user.is_authenticated
            else None
        )
        if account is None and is_portal_user(request.user):
            return redirect("portal:applications")  # an applicant: no participant yet
        if account is None or account.participant.anonymised_at is not None:
            raise PermissionDenied
        request.participant = account.participant
        return view(request, *args, **kwargs)

    return wrapper


def page(request, template: str, context: dict, *, status: int = 200):
    current = request.resolver_match.view_name if request.resolver_match else None
    names = TABS if getattr(request, "participant", None) is not None else APPLICANT_TABS
    tabs = [
        {"url": reverse(name), "label": label, "active": name == current} for name, label in names
    ]
    return render(request, template, {"portal_tabs": tabs, **context}, status=status)


@portal_page
def home(request):
    participant: Participant = request.participant
    notifications = request.user.notifications.all()[:5]
    waiting = participant.documents.awaiting_review().count()
    refused = participant.documents.filter(review=Document.Review.REFUSED).count()
    return page(
        request,
        "portal/home.html",
        {
            "participant": participant,
            "notifications": notifications,
            "waiting": waiting,
            "refused": refused,
            "before_departure": participant.status in BEFORE_DEPARTURE,
            "follow_ups_due": participant.follow_ups.due(today=timezone.localdate()).count(),
        },
    )


@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token: str):
    """The open page of an invitation link: choose a password, and the account is open."""
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = PasswordChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="delegation.backends.RoleBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("portal:home")
    return render(
        request,
        "portal/invitation_accept.html",
        {"form": form, "invitation": invitation, "username": invitation.email},
    )


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
def checklist(request):
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
def document_upload(request, code: str):
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


@portal_page
def training(request):
    """The person's timetable, their own attendance and exams, and their certificates."""
    participant: Participant = request.participant
    today = timezone.localdate()
    plan = TrainingPlan.objects.filter(cohort_id=participant.cohort_id).first()
    upcoming, attendance, rate = [], [], None
    if plan is not None:
        upcoming = list(
            Session.objects.filter(module__plan=plan, date__gte=today)
            .select_related("module", "instructor")
            .order_by("date", "start_time")[:UPCOMING_SESSIONS]
        )
        attendance = list(
            Attendance.objects.filter(participant=participant, session__module__plan=plan)
            .select_related("session__module")
            .order_by("-session__date", "-session__start_time")[:RECENT_ATTENDANCE]
        )
        rate = readiness.check(participant, on=today, today=today).attendance_rate
    return page(
        request,
        "portal/training.html",
        {
            "participant": participant,
            "plan": plan,
            "upcoming": upcoming,
            "attendance": attendance,
            "rate": rate,
            "exams": ExamResult.objects.filter(participant=participant)
            .select_related("exam_type")
            .order_by("-date"),
            "certificates": Certificate.objects.valid().filter(participant=participant),
        },
    )


@portal_page
def certificate_download(request, pk: int):
    """One of the person's own certificates as a PDF (logged); another's answers 404."""
    certificate = get_object_or_404(
        Certificate.objects.valid().select_related("participant__cohort__program__partner"),
        participant=request.participant,
        pk=pk,
    )
    facts = certificates_data([certificate])
    content = render_pages(facts).write_pdf()
    record_event(request.user, AuditEvent.Action.DOWNLOAD, certificate, detail="own certificate")
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=certificate_file_name(facts[0]),
        content_type="application/pdf",
    )


def _emergency_numbers(participant: Participant) -> dict:
    program = participant.cohort.program if participant.cohort_id else None
    return {
        "hotline_name": program.emergency_hotline_name if program else "",
        "hotline": program.emergency_hotline if program else "",
        "coordinator_phone": program.coordinator_phone if program else "",
    }


@portal_page
def abroad(request):
    """While abroad: contract dates, the embassy report, emergency numbers, check-ins."""
    participant: Participant = request.participant
    today = timezone.localdate()
    contract = participant.contracts.active().order_by("-start_date").first()
    residence = Residence.objects.filter(participant=participant).first()
    check_ins = list(participant.check_ins.order_by("-date", "-pk")[:6])
    last = check_ins[0].date if check_ins else None
    due = last is None or (last.year, last.month) < (today.year, today.month)
    return page(
        request,
        "portal/abroad.html",
        {
            "participant": participant,
            "is_abroad": participant.status in services.ABROAD_STATUSES,
            "contract": contract,
            "residence": residence,
            "embassy_report_due": participant.status in services.ABROAD_STATUSES
            and (residence is None or residence.embassy_report_date is None),
            "emergency": _emergency_numbers(participant),
            "check_ins": check_ins,
            "check_in_due": due,
        },
    )


@portal_page
def check_in(request):
    participant: Participant = request.participant
    if participant.status not in services.ABROAD_STATUSES:
        messages.info(request, _("Check-ins are sent from abroad, after departure."))
        return redirect("portal:abroad")
    last = participant.check_ins.exclude(money_currency="").order_by("-date", "-pk").first()
    initial = {"money_currency": last.money_currency if last else ""}
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in CheckInForm.Meta.fields}
        try:
            sent = services.check_in_submit(
                participant=participant, by=request.user, today=timezone.localdate(), **answers
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sent.help_requested:
                return page(
                    request,
                    "portal/help.html",
                    {"emergency": _emergency_numbers(participant)},
                )
            messages.success(request, _("Thank you, your check-in has been sent."))
            return redirect("portal:abroad")
    return page(
        request,
        "portal/check_in.html",
        {"form": form, "emergency": _emergency_numbers(participant)},
        status=400 if form.errors else 200,
    )


def _my_data_page(request, *, contact_form=None, identity_form=None, status=200):
    participant: Participant = request.participant
    return page(
        request,
        "portal/my_data.html",
        {
            "participant": participant,
            "contact_form": contact_form or ContactDetailsForm(instance=participant),
            "identity_form": identity_form or IdentityRequestForm(),
            "withdrawal_form": ConsentWithdrawalForm(),
            "consents": participant.consents.in_force().select_related("recipient"),
            "asked": set(
                participant.requests.open()
                .filter(consent__isnull=False)
                .values_list("consent_id", flat=True)
            ),
            "requests": participant.requests.select_related("consent")[:10],
        },
        status=status,
    )


@portal_page
def my_data(request):
    """Contact details kept by the person; identity corrections and consent withdrawals go
    to the office; the download of everything held about them."""
    if request.method != "POST":
        return _my_data_page(request)
    form = ContactDetailsForm(request.POST, instance=request.participant)
    if not form.is_valid():
        return _my_data_page(request, contact_form=form, status=400)
    form.save()
    messages.success(request, _("Your contact details have been saved."))
    return redirect("portal:my_data")


@require_POST
@portal_page
def identity_request(request):
    form = IdentityRequestForm(request.POST)
    if form.is_valid():
        try:
            services.identity_change_request(
                participant=request.participant,
                field_name=form.cleaned_data["field_name"],
                new_value=form.cleaned_data["new_value"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("new_value", error)
        else:
            messages.success(request, _("Your request has been sent; the office checks it."))
            return redirect("portal:my_data")
    return _my_data_page(request, identity_form=form, status=400)


@require_POST
@portal_page
def consent_withdrawal(request, pk: int):
    consent = get_object_or_404(request.participant.consents.in_force(), pk=pk)
    form = ConsentWithdrawalForm(request.POST)
    form.is_valid()
    try:
        services.consent_withdrawal_request(
            consent=consent, reason=form.cleaned_data.get("reason", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your request to withdraw this consent has been sent to the office.")
        )
    return redirect("portal:my_data")


@portal_page
def follow_ups(request):
    """After return: the follow-ups due (1, 6 and 12 months), each answered with a short form."""
    participant: Participant = request.participant
    today = timezone.localdate()
    return page(
        request,
        "portal/follow_ups.html",
        {
            "due": participant.follow_ups.due(today=today),
            "filled": participant.follow_ups.filled().order_by("-filled_on"),
        },
    )


@portal_page
def follow_up_answer(request, pk: int):
    today = timezone.localdate()
    follow_up = get_object_or_404(request.participant.follow_ups.due(today=today), pk=pk)
    form = FollowUpAnswerForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in FollowUpAnswerForm.Meta.fields}
        try:
            welfare.follow_up_fill(
                follow_up=follow_up,
                by=request.user,
                via=FollowUp.Via.PORTAL,
                on=today,
                **answers,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you, your answers have been sent to the office."))
            return redirect("portal:follow_ups")
    return page(
        request,
        "portal/follow_up_answer.html",
        {"form": form, "follow_up": follow_up},
        status=400 if form.errors else 200,
    )
