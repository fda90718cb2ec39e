"""Consent to processing and to transfer abroad: recorded, withdrawn and downloaded by HR."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cohorts.models import Partner
from delegation.access import changeable_or_403
from delegation.pages import action_page, file_download
from participants.forms import ConsentForm, ConsentWithdrawForm
from participants.models import ConsentRecord, Participant


def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant.objects.not_anonymised(),
        request.user,
        "participants.add_consentrecord",
        pk=pk,
    )
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        partners=Partner.objects.visible_to(request.user),
        initial={"kind": ConsentRecord.Kind.PROCESSING},
    )
    if request.method == "POST" and form.is_valid():
        consent = form.save(commit=False)
        consent.participant = participant
        consent.recorded_by = request.user
        consent.save()
        messages.success(request, _("Consent recorded: %(consent)s.") % {"consent": consent})
        return redirect(participant)
    return action_page(request, form, participant=participant, title=_("Record a consent"))


def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = changeable_or_403(
        ConsentRecord.objects.in_force().select_related("participant"),
        request.user,
        "participants.change_consentrecord",
        pk=pk,
    )
    participant = consent.participant
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            consent.withdraw(
                on=form.cleaned_data["withdrawn_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Withdrawal recorded: %(consent)s.") % {"consent": consent})
            return redirect(participant)
    title = _("Withdraw consent: %(consent)s") % {"consent": consent}
    return action_page(request, form, participant=participant, title=title)


def consent_file(request: HttpRequest, pk: int) -> FileResponse:
    return file_download(
        request,
        ConsentRecord.objects.select_related("participant"),
        pk,
        permission="participants.download_document",
        field="signed_file",
        subject="participant",
    )
