"""The person's own data: contact details, identity corrections, consent withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.models import (
    Participant,
)
from portal import services
from portal.forms import (
    ConsentWithdrawalForm,
    ContactDetailsForm,
    IdentityRequestForm,
)
from portal.views.common import (
    page,
    portal_page,
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
def my_data(request: HttpRequest) -> HttpResponse:
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
def identity_request(request: HttpRequest) -> HttpResponse:
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
def consent_withdrawal(request: HttpRequest, pk: int) -> HttpResponse:
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
