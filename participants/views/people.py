"""One participant's forms and actions: registering, editing, moving status or batch,
contacts and heirs, and the photo; the regency look-up the person's form types into."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cohorts.models import Cohort
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event, record_formset_deletions
from delegation.models import AuditEvent
from delegation.pages import action_page
from delegation.querystring import whole_number
from participants.forms import (
    ContactFormSet,
    MoveForm,
    ParticipantForm,
    TransferForm,
    regency_suggestions,
)
from participants.models import MessageTemplate, Participant, quota_check
from participants.phones import normalise_phone
from participants.sensitive import can_reveal
from participants.status_routes import routes_for


@permission_required("participants.add_participant", raise_exception=True)
def participant_create(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.visible_to(request.user).exclude(
        status__in=[Cohort.Status.DEPARTED, Cohort.Status.CLOSED]
    )
    form = ParticipantForm(request.POST or None, request.FILES or None)
    cohort_field = _cohort_choice(request, cohorts)
    participant = None
    if request.method == "POST" and form.is_valid() and cohort_field["valid"]:
        try:
            with transaction.atomic():
                if cohort_field["cohort"]:  # before anything is saved, photo included
                    quota_check(cohort_field["cohort"], adding=1)
                participant = form.save()
                if cohort_field["cohort"]:
                    participant.place(cohort_field["cohort"])
        except ValidationError as error:
            form.instance.pk = None  # rolled back: the next submit creates it afresh
            form.instance._state.adding = True
            form.add_error(None, error)
            participant = None
    if participant is not None:
        messages.success(request, _("%(name)s registered.") % {"name": participant.full_name})
        duplicates = participant.possible_duplicates()
        if duplicates.exists():
            messages.warning(
                request,
                _("Possible duplicate: %(names)s has the same name and birth date. Please check.")
                % {"names": ", ".join(p.participant_number or p.full_name for p in duplicates)},
            )
        return redirect(participant)
    return render(
        request,
        "participants/participant_form.html",
        {
            "form": form,
            "cohorts": cohorts,
            "cohort_field": cohort_field,
            "title": _("New participant"),
        },
    )


def _cohort_choice(request: HttpRequest, cohorts) -> dict:
    raw = request.POST.get("cohort") or request.GET.get("cohort") or ""
    pk = whole_number(raw)
    cohort = cohorts.filter(pk=pk).first() if pk else None
    return {"cohort": cohort, "value": raw, "valid": not raw or cohort is not None}


def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant, request.user, "participants.change_participant", pk=pk
    )
    form = ParticipantForm(request.POST or None, request.FILES or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s saved.") % {"name": participant.full_name})
        return redirect(participant)
    return render(
        request,
        "participants/participant_form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Edit %(name)s") % {"name": participant.full_name},
        },
    )


def participant_move(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant, request.user, "participants.change_participant", pk=pk
    )
    form = MoveForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            participant.move(
                form.cleaned_data["to_status"],
                by=request.user,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now “%(status)s”.")
                % {"name": participant.full_name, "status": participant.get_status_display()},
            )
            return redirect(participant)
    # The moves of the duty of care are made on its own pages: the page says where.
    routes = routes_for(participant, request.user) if participant.duty_of_care_moves() else []
    context = {"form": form, "participant": participant, "title": _("Change status")}
    return render(request, "participants/participant_move.html", {**context, "routes": routes})


def participant_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant, request.user, "participants.change_participant", pk=pk
    )
    form = TransferForm(
        request.POST or None,
        participant=participant,
        cohorts=Cohort.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant.transfer(
                form.cleaned_data["cohort"],
                by=request.user,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now in %(cohort)s as %(number)s.")
                % {
                    "name": participant.full_name,
                    "cohort": participant.cohort,
                    "number": participant.participant_number,
                },
            )
            return redirect(participant)
    return action_page(request, form, participant=participant, title=_("Move to a batch"))


def participant_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(Participant, request.user, "participants.change_contact", pk=pk)
    formset = ContactFormSet(request.POST or None, instance=participant, prefix="contacts")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            record_formset_deletions(request.user, formset)
            formset.save()
        messages.success(request, _("Contacts saved."))
        return redirect(participant)
    return render(
        request, "participants/contacts_form.html", {"formset": formset, "participant": participant}
    )


@permission_required("participants.view_participant", raise_exception=True)
def participant_photo(request: HttpRequest, pk: int) -> FileResponse:
    participant = visible_or_404(Participant, request.user, pk=pk)
    photo = participant.photo
    if not photo or not photo.storage.exists(photo.name):
        raise Http404
    return FileResponse(photo.open("rb"), content_type=_image_type(photo.name))


def _image_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


REGENCY_LOOKUP_LIMIT = 50


@require_GET
def regency_search(request: HttpRequest) -> HttpResponse:
    """Regencies and cities matching what was typed, the organisation's province first: for
    htmx, the options of the pickers' datalist; otherwise a page to look a code up. The text
    is read from ``q``, or from the parameter ``field`` names (the picker's own name)."""
    if not (
        request.user.has_perm("participants.add_participant")
        or request.user.has_perm("participants.change_participant")
    ):
        raise PermissionDenied
    text = request.GET.get(request.GET.get("field") or "q", "")[:100]
    if request.headers.get("HX-Request") == "true":
        response = render(
            request, "participants/_regency_options.html", {"regions": regency_suggestions(text)}
        )
    else:
        regions = regency_suggestions(text, limit=REGENCY_LOOKUP_LIMIT + 1)
        response = render(
            request,
            "participants/regency_search.html",
            {
                "text": text,
                "regions": regions[:REGENCY_LOOKUP_LIMIT],
                "more": len(regions) > REGENCY_LOOKUP_LIMIT,
                "limit": REGENCY_LOOKUP_LIMIT,
            },
        )
    patch_vary_headers(response, ["HX-Request"])  # one URL: a fragment or a page
    return response


def whatsapp(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a WhatsApp chat with the participant or one of their contacts, the message
    prefilled from a template. Only roles that see phone numbers unmasked may; each use is
    logged, and the number itself never appears in this site's addresses."""
    participant = visible_or_404(Participant, request.user, pk=pk)
    if not can_reveal(request.user):
        raise PermissionDenied
    to = request.GET.get("to", "self")
    if to == "self":
        phone, name, whom = participant.phone, participant.full_name, "participant"
    else:
        contact = participant.contacts.filter(pk=whole_number(to) or 0).first()
        if contact is None:
            raise Http404
        phone, name, whom = contact.phone, contact.name, "contact"
    try:
        number = normalise_phone(phone)
    except ValidationError:
        number = ""
    if not number:
        messages.error(request, _("No usable phone number is recorded."))
        return redirect(participant.get_absolute_url())
    template = MessageTemplate.objects.filter(code=request.GET.get("template", "")).first()
    text = (
        template.render(
            name=name,
            participant=participant.full_name,
            cohort=str(participant.cohort) if participant.cohort_id else "",
        )
        if template
        else ""
    )
    record_event(
        request.user,
        AuditEvent.Action.VIEW_SENSITIVE,
        participant,
        detail=f"WhatsApp to the {whom}" + (f" ({template.code})" if template else ""),
    )
    query = f"?{urlencode({'text': text})}" if text else ""
    return HttpResponseRedirect(f"https://wa.me/{number.lstrip('+')}{query}")
