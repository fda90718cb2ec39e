"""Abroad: contract dates, the emergency numbers and the monthly check-in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import (
    Participant,
    Residence,
)
from portal import services
from portal.forms import (
    CheckInForm,
)
from portal.views.common import (
    page,
    portal_page,
)


def _emergency_numbers(participant: Participant) -> dict:
    program = participant.cohort.program if participant.cohort_id else None
    return {
        "hotline_name": program.emergency_hotline_name if program else "",
        "hotline": program.emergency_hotline if program else "",
        "coordinator_phone": program.coordinator_phone if program else "",
    }


@portal_page
def abroad(request: HttpRequest) -> HttpResponse:
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
def check_in(request: HttpRequest) -> HttpResponse:
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
