"""Lists, forms and actions of the participant registry."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.models import Cohort, Program
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event, record_formset_deletions
from delegation.downloads import private_file_response
from delegation.formatting import file_name
from delegation.models import AuditEvent, Job
from delegation.pagination import query_string_without_page
from delegation.querystring import whole_number
from delegation.spreadsheets import csv_response, xlsx_response
from participants import exports, importer, services
from participants.filters import ParticipantFilter
from participants.forms import (
    ContactFormSet,
    DocumentForm,
    ImportForm,
    MoveForm,
    ParticipantForm,
    RequirementsForm,
    SearchForm,
    TransferForm,
    regency_suggestions,
)
from participants.listing import list_page
from participants.models import (
    Document,
    DocumentRequirement,
    MessageTemplate,
    Participant,
    quota_check,
)
from participants.phones import normalise_phone
from participants.sensitive import can_reveal
from participants.services import (
    CHECK_IN_BACKGROUND_ROWS,
    IMPORT_CHECK_JOB,
    ImportAlreadyConfirmed,
    SearchLimitReached,
    import_check_request,
    import_row_count,
    participants_import_now,
    participants_import_request,
    participants_search,
    search_limit_message,
)

SEARCH_KEY = "participant_search"
# Set when the last search was refused (too many searches by number): the list shows nobody.
SEARCH_REFUSED_KEY = "participant_search_refused"
IMPORT_KEY = "participant_import"
# Files with more rows than this are imported by a background job.
SYNC_IMPORT_LIMIT = 200


def _searched(request):
    """The participants the list shows before filtering: the user's, searched (the search
    is kept in the session; a refused search shows nobody)."""
    if request.session.get(SEARCH_REFUSED_KEY):
        return Participant.objects.none()
    return Participant.objects.visible_to(request.user).search(
        request.session.get(SEARCH_KEY, ""), user=request.user
    )


def _filters_given(request) -> bool:
    return any(name in request.GET for name in ParticipantFilter.base_filters)


def _filtered(request):
    """The list's filters over the searched participants."""
    user = request.user
    # Bound only to filter values: a page number alone filters nothing.
    return ParticipantFilter(
        request.GET if _filters_given(request) else None,
        queryset=_searched(request).select_related("cohort__program", "origin"),
        programs=Program.objects.visible_to(user).order_by("name"),
        cohorts=Cohort.objects.visible_to(user),
    )


@transaction.non_atomic_requests  # it reads, and a search only changes the session
@permission_required("participants.view_participant", raise_exception=True)
def participant_list(request):
    if request.method == "POST":
        # Searches may carry a NIK: they are posted and kept in the session, never in a URL.
        form = SearchForm(request.POST)
        if form.is_valid():
            _search(request, form.cleaned_data["q"].strip())
        query = request.GET.urlencode()
        return redirect(reverse("participants:participant_list") + (f"?{query}" if query else ""))
    # The panel is drawn open, in the page, once a filter is given or asked for. Closed, it
    # is filled when first opened, and the list needs no filter set at all.
    filters_open = _filters_given(request) or "filters" in request.GET
    filterset = _filtered(request) if filters_open else None
    return render(
        request,
        "participants/participant_list.html",
        {
            "filter": filterset,
            "filters_open": filters_open,
            "page": list_page(request, filterset.qs if filterset else _searched(request)),
            "search_form": SearchForm(initial={"q": request.session.get(SEARCH_KEY, "")}),
            "searching": bool(
                request.session.get(SEARCH_KEY) or request.session.get(SEARCH_REFUSED_KEY)
            ),
            "query_string": query_string_without_page(request),
        },
    )


def _search(request, text: str) -> None:
    """Keep the search in the session, or refuse it (too many searches by number)."""
    try:
        participants_search(user=request.user, text=text)
    except SearchLimitReached:
        request.session.pop(SEARCH_KEY, None)
        request.session[SEARCH_REFUSED_KEY] = True
        messages.error(request, search_limit_message())
        return
    request.session[SEARCH_KEY] = text
    request.session.pop(SEARCH_REFUSED_KEY, None)


@permission_required("participants.view_participant", raise_exception=True)
def participant_filters(request):
    """The list's filter form alone: fetched when the closed filter panel is first opened,
    so the list itself does not read and draw hundreds of batches and regions each time."""
    return render(request, "participants/_participant_filters.html", {"filter": _filtered(request)})


REGENCY_LOOKUP_LIMIT = 50


@require_GET
def regency_search(request):
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


@require_POST
@permission_required("participants.view_participant", raise_exception=True)
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    request.session.pop(SEARCH_REFUSED_KEY, None)
    return redirect("participants:participant_list")


@permission_required(
    ["participants.view_participant", "participants.export_participant"], raise_exception=True
)
def participant_export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    filterset = _filtered(request)
    reveal = can_reveal(request.user)
    participants = filterset.qs
    if fmt == "xlsx":
        content = exports.as_xlsx(participants, reveal=reveal)
    else:
        content = exports.as_csv(participants, reveal=reveal)
    record_event(
        request.user,
        AuditEvent.Action.EXPORT,
        detail=f"participants.{fmt}: {participants.count()} rows"
        + (", unmasked" if reveal else ", masked"),
    )
    name = file_name(
        "daftar-peserta", *_export_scope(filterset), timezone.localdate(), extension=fmt
    )
    if fmt == "xlsx":
        return xlsx_response(content, name)
    return csv_response(content, name)


def _export_scope(filterset) -> list[str]:
    """The programme and batch the export is filtered to, for its file name."""
    valid = filterset.is_bound and filterset.form.is_valid()
    chosen = filterset.form.cleaned_data if valid else {}
    cohort, program = chosen.get("cohort"), chosen.get("program")
    if cohort is not None:
        return [cohort.program.slug, f"angkatan-{cohort.number}"]
    if program is not None:
        return [program.slug]
    return []


@permission_required("participants.add_participant", raise_exception=True)
def participant_create(request):
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


def _cohort_choice(request, cohorts):
    raw = request.POST.get("cohort") or request.GET.get("cohort") or ""
    pk = whole_number(raw)
    cohort = cohorts.filter(pk=pk).first() if pk else None
    return {"cohort": cohort, "value": raw, "valid": not raw or cohort is not None}


def participant_edit(request, pk: int):
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


def participant_move(request, pk: int):
    participant = changeable_or_403(
        Participant, request.user, "participants.change_participant", pk=pk
    )
    form = MoveForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["to_status"]
        try:
            if target in services.LEAVING:
                # Leaving work abroad ends the running contract too.
                services.participant_leave_abroad(
                    participant=participant,
                    status=target,
                    on=form.cleaned_data["effective_date"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            else:
                participant.move(
                    target,
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
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": _("Change status")},
    )


def participant_transfer(request, pk: int):
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
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": _("Move to a batch")},
    )


def participant_contacts(request, pk: int):
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


def document_create(request, pk: int):
    participant = changeable_or_403(Participant, request.user, "participants.add_document", pk=pk)
    return _document_form(request, participant, renewing=None)


def document_renew(request, pk: int):
    old = changeable_or_403(
        Document.objects.current().select_related("participant", "document_type"),
        request.user,
        "participants.add_document",
        pk=pk,
    )
    return _document_form(request, old.participant, renewing=old)


def _document_form(request, participant, *, renewing):
    form = DocumentForm(request.POST or None, request.FILES or None, renewing=renewing)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.participant = participant
        document.handled_by = request.user
        if renewing:
            document.document_type = renewing.document_type
            document.replaces = renewing
        document.save()
        messages.success(request, _("%(document)s saved.") % {"document": document.document_type})
        return redirect(participant)
    title = (
        _("Renew %(document)s") % {"document": renewing.document_type}
        if renewing
        else _("New document")
    )
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": title},
    )


def document_file(request, pk: int):
    document = changeable_or_403(
        Document.objects.select_related("participant"),
        request.user,
        "participants.download_document",
        pk=pk,
    )
    return private_file_response(request, document.file, subject=document.participant)


def requirements(request, slug: str):
    program = changeable_or_403(
        Program, request.user, "participants.change_documentrequirement", slug=slug
    )
    current = DocumentRequirement.objects.filter(program=program)
    form = RequirementsForm(
        request.POST or None,
        initial={"document_types": [r.document_type_id for r in current]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["document_types"])
        with transaction.atomic():
            current.exclude(document_type__in=chosen).delete()
            for document_type in chosen:
                DocumentRequirement.objects.get_or_create(
                    program=program, document_type=document_type
                )
        messages.success(request, _("Required documents saved."))
        return redirect(program)
    return render(
        request, "participants/requirements_form.html", {"form": form, "program": program}
    )


# Import


@permission_required("participants.add_participant", raise_exception=True)
def import_upload(request):
    cohorts = Cohort.objects.visible_to(request.user).select_related("program")
    # A corrected file goes to the same batch, the same way, as the one it replaces.
    previous = request.session.get(IMPORT_KEY) or {}
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        cohorts=cohorts,
        initial={"cohort": previous.get("cohort"), "historical": previous.get("historical")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if previous.get("path"):
            default_storage.delete(previous["path"])
        path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
        cohort = form.cleaned_data["cohort"]
        request.session[IMPORT_KEY] = {
            "path": path,
            "name": upload.name,
            "cohort": cohort.pk if cohort else None,
            "historical": form.cleaned_data["historical"],
        }
        return redirect("participants:import_preview")
    return render(request, "participants/import_upload.html", {"form": form})


def _expired(request):
    messages.error(request, _("Upload the file again: the previous upload has expired."))
    return redirect("participants:import_upload")


def _pending_import(request):
    pending = request.session.get(IMPORT_KEY)
    if not pending or not default_storage.exists(pending["path"]):
        return None, None
    cohort = None
    if pending["cohort"]:
        cohort = Cohort.objects.visible_to(request.user).filter(pk=pending["cohort"]).first()
    return pending, cohort


def _background_check(request, pending):
    """The job checking a large file, started on the first visit; None for a small file."""
    job_id = pending.get("check_job")
    if job_id is None:
        with default_storage.open(pending["path"], "rb") as handle:
            if import_row_count(handle, pending["name"]) <= CHECK_IN_BACKGROUND_ROWS:
                return None
        job = import_check_request(pending=pending, user=request.user)
        request.session[IMPORT_KEY] = {**pending, "check_job": job.pk}
        return job
    mine = Job.objects.filter(kind=IMPORT_CHECK_JOB, requested_by=request.user)
    return mine.filter(pk=job_id).first()


def _import_in_background(request, pending, cohort, count: int):
    try:
        job = participants_import_request(pending=pending, cohort=cohort, user=request.user)
    except ImportAlreadyConfirmed as error:
        return _already_confirmed(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participants:import_preview")
    request.session.pop(IMPORT_KEY, None)
    record_event(request.user, AuditEvent.Action.IMPORT, job, detail=f"{count} rows queued")
    messages.info(
        request,
        _("%(count)d rows are being imported in the background.") % {"count": count},
    )
    return redirect("documents")


def _already_confirmed(request, error: ImportAlreadyConfirmed):
    request.session.pop(IMPORT_KEY, None)
    messages.error(request, " ".join(error.messages))
    return redirect("participants:import_upload")


@permission_required("participants.add_participant", raise_exception=True)
def import_preview(request):
    pending, cohort = _pending_import(request)
    if pending is None:
        return _expired(request)
    try:
        check = _background_check(request, pending)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participants:import_upload")
    except FileNotFoundError:  # imported, and removed, by a confirmation a moment ago
        return _expired(request)
    if check is not None:
        checked_ok = check.status == Job.Status.DONE and not check.params.get("error_count")
        quota_problem = None
        if request.method == "POST" and checked_ok:
            quota_problem = _quota_problem(cohort, check.params["rows"])
            if quota_problem is None:
                return _import_in_background(request, pending, cohort, check.params["rows"])
        return render(
            request,
            "participants/import_preview.html",
            {
                "check": check,
                "checked_ok": checked_ok,
                "pending": pending,
                "cohort": cohort,
                "quota_problem": quota_problem,
            },
        )
    try:
        with default_storage.open(pending["path"], "rb") as handle:
            result = importer.check_file(handle, pending["name"], historical=pending["historical"])
    except FileNotFoundError:
        return _expired(request)
    quota_problem = None
    if request.method == "POST" and result.ok:
        quota_problem = _quota_problem(cohort, len(result.rows))
    if request.method == "POST" and result.ok and quota_problem is None:
        count = len(result.rows)
        if count > SYNC_IMPORT_LIMIT:
            return _import_in_background(request, pending, cohort, count)
        try:
            participants_import_now(
                pending=pending, cohort=cohort, rows=result.rows, user=request.user
            )
        except ImportAlreadyConfirmed as error:
            return _already_confirmed(request, error)
        except ValidationError as error:  # the batch filled up since the check above
            quota_problem = " ".join(error.messages)
        else:
            request.session.pop(IMPORT_KEY, None)
            record_event(
                request.user, AuditEvent.Action.IMPORT, cohort, detail=f"{count} participants"
            )
            messages.success(request, _("%(count)d participants imported.") % {"count": count})
            return redirect(
                reverse("participants:participant_list")
                + (f"?cohort={cohort.pk}" if cohort else "")
            )
    return render(
        request,
        "participants/import_preview.html",
        {
            "result": result,
            "pending": pending,
            "cohort": cohort,
            "columns": importer.COLUMNS,
            "quota_problem": quota_problem,
        },
    )


def _quota_problem(cohort, count: int) -> str | None:
    """Why the batch has no room for ``count`` more people (the confirm step), or None."""
    if cohort is None:
        return None
    try:
        with transaction.atomic():
            quota_check(cohort, adding=count)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@permission_required("participants.add_participant", raise_exception=True)
def import_template(request):
    return csv_response(importer.template_csv(), "template-peserta.csv")


@permission_required("participants.add_participant", raise_exception=True)
def import_template_xlsx(request):
    """The template as a workbook: digit columns kept as text, and the allowed values."""
    return xlsx_response(importer.template_xlsx(), "template-peserta.xlsx")


@permission_required("participants.view_participant", raise_exception=True)
def participant_photo(request, pk: int):
    participant = visible_or_404(Participant, request.user, pk=pk)
    photo = participant.photo
    if not photo or not photo.storage.exists(photo.name):
        raise Http404
    return FileResponse(photo.open("rb"), content_type=_image_type(photo.name))


def _image_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


def whatsapp(request, pk: int):
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
