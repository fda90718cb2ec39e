"""What the pages of duty of care share."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from delegation.access import changeable_or_403
from delegation.pages import form_page
from participants.models import Participant
from participants.phones import format_phone
from participants.sensitive import can_reveal, mask_phone
from welfare import services

ABROAD_STATUSES = services.ABROAD


def crumbs_of(*trail) -> list:
    return [(_("Duty of care"), reverse("welfare:case_list")), *trail]


def welfare_form_page(
    request: HttpRequest, form, *, title: str, cancel_url: str, crumbs=(), note: str = ""
) -> HttpResponse:
    """A form of duty of care on its own page, under the section's breadcrumbs."""
    return form_page(
        request,
        form,
        title=title,
        cancel_url=cancel_url,
        breadcrumbs=crumbs_of(*crumbs, (title, None)),
        note=note,
    )


def phone_as_seen(user, raw: str) -> str:
    """A phone number, masked for those who may not read it."""
    shown = format_phone(raw)
    return shown if can_reveal(user) else mask_phone(shown)


def participant_for(request: HttpRequest, pk: int, permission: str) -> Participant:
    """The participant a page acts on, if ``request.user`` may change them that way (403)."""
    return changeable_or_403(
        Participant.objects.select_related("cohort__program"), request.user, permission, pk=pk
    )
