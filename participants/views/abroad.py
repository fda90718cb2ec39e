"""Contracts, life abroad and monitoring check-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from delegation.access import changeable_or_403
from delegation.pages import action_page, file_download
from delegation.pagination import paginate, query_string_without_page
from delegation.querystring import whole_number
from participants import services
from participants.forms_abroad import (
    CheckInForm,
    ContractForm,
    EmployerChangeForm,
    ExtendForm,
    ResidenceForm,
    TerminateForm,
)
from participants.geography import country_code
from participants.models import CheckIn, Contract, Participant, Residence, overdue_check_ins

ENDING_CHOICES = [3, 6, 12]


def destination(participant: Participant) -> str | None:
    """The ISO code of the country the participant's programme sends people to."""
    if participant.cohort_id is None:
        return None
    return country_code(participant.cohort.program.destination_country)


@permission_required("participants.view_contract", raise_exception=True)
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = Contract.objects.visible_to(request.user).select_related(
        "participant__cohort__program"
    )
    status = request.GET.get("status", "")
    if status in Contract.Status.values:
        contracts = contracts.filter(status=status)
    cohorts = Cohort.objects.visible_to(request.user).select_related("program")
    cohort_pk = whole_number(request.GET.get("cohort"))
    cohort = cohorts.filter(pk=cohort_pk).first() if cohort_pk else None
    if cohort:
        contracts = contracts.in_cohort(cohort)
    ending = request.GET.get("ending", "")
    if whole_number(ending) in ENDING_CHOICES:
        contracts = contracts.ending_within(
            today=timezone.localdate(), months=int(ending)
        ).order_by("end_date")
    return render(
        request,
        "participants/contract_list.html",
        {
            "page": paginate(request, contracts),
            "statuses": Contract.Status.choices,
            "status": status,
            "cohorts": cohorts,
            "cohort": cohort,
            "ending": ending,
            "ending_choices": ENDING_CHOICES,
            "query_string": query_string_without_page(request),
        },
    )


def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant.objects.select_related("cohort__program"),
        request.user,
        "participants.add_contract",
        pk=pk,
    )
    form = ContractForm(
        request.POST or None, request.FILES or None, country=destination(participant)
    )
    if request.method == "POST" and form.is_valid():
        services.contract_create(
            participant=participant,
            by=request.user,
            today=timezone.localdate(),
            **form.contract_fields(),
        )
        messages.success(request, _("Contract saved."))
        return redirect(participant)
    return action_page(request, form, participant=participant, title=_("New contract"))


def _contract(request: HttpRequest, pk: int) -> Contract:
    return changeable_or_403(
        Contract.objects.select_related("participant__cohort__program"),
        request.user,
        "participants.change_contract",
        pk=pk,
    )


def contract_extend(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_extend(
                contract=contract, term_years=form.cleaned_data["term_years"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contract extended."))
            return redirect(contract.participant)
    return action_page(
        request, form, participant=contract.participant, title=_("Extend the contract")
    )


def contract_change_employer(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = EmployerChangeForm(
        request.POST or None, request.FILES or None, country=destination(contract.participant)
    )
    if request.method == "POST" and form.is_valid():
        fields = form.contract_fields()
        start = fields.pop("start_date")
        try:
            services.contract_change_employer(
                contract=contract,
                by=request.user,
                start_date=start,
                today=timezone.localdate(),
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new employer's contract is saved."))
            return redirect(contract.participant)
    return action_page(
        request, form, participant=contract.participant, title=_("Change of employer")
    )


def contract_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_terminate(
                contract=contract,
                by=request.user,
                on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contract is terminated."))
            return redirect(contract.participant)
    return action_page(
        request, form, participant=contract.participant, title=_("Terminate the contract")
    )


def contract_file(request: HttpRequest, pk: int) -> FileResponse:
    return file_download(
        request,
        Contract.objects.select_related("participant"),
        pk,
        permission="participants.download_document",
        field="signed_file",
        subject="participant",
    )


def residence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant, request.user, "participants.change_residence", pk=pk
    )
    residence = Residence.objects.filter(participant=participant).first()
    form = ResidenceForm(request.POST or None, instance=residence)
    if request.method == "POST" and form.is_valid():
        residence = form.save(commit=False)
        residence.participant = participant
        residence.save()
        messages.success(request, _("Life abroad saved."))
        return redirect(participant)
    return action_page(request, form, participant=participant, title=_("Life abroad"))


def check_in_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(Participant, request.user, "participants.add_checkin", pk=pk)
    form = CheckInForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        check_in = form.save(commit=False)
        check_in.participant = participant
        check_in.recorded_by = request.user
        check_in.save()
        messages.success(request, _("Check-in saved."))
        return redirect(participant)
    return action_page(request, form, participant=participant, title=_("New check-in"))


def check_in_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = changeable_or_403(
        CheckIn.objects.select_related("participant"),
        request.user,
        "participants.change_checkin",
        pk=pk,
    )
    form = CheckInForm(request.POST or None, instance=check_in)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Check-in saved."))
        return redirect(check_in.participant)
    return action_page(request, form, participant=check_in.participant, title=_("Edit check-in"))


@permission_required("participants.view_checkin", raise_exception=True)
def monitoring(request: HttpRequest) -> HttpResponse:
    """Who is overdue for a check-in, and which follow-ups are still open."""
    today = timezone.localdate()
    people = Participant.objects.visible_to(request.user).select_related("cohort__program")
    overdue = overdue_check_ins(people, today=today).order_by("last_check_in", "full_name")
    follow_ups = (
        CheckIn.objects.visible_to(request.user)
        .open_follow_ups()
        .select_related("participant__cohort")
        .order_by("date")
    )
    return render(
        request,
        "participants/monitoring.html",
        {
            "overdue": paginate(request, overdue, 50),
            "follow_ups": follow_ups,
            "query_string": "",
        },
    )
