"""What the selection's pages share: refusing with the service's reasons, breadcrumbs, the
form page and fetching a call the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.models import Program
from delegation.access import visible_or_404
from delegation.pages import form_page
from delegation.roles import sees_everything
from recruitment.models import (
    Application,
    Call,
)


def crumbs_of(call: Call | None = None, *more):
    items = [(_("Selection"), reverse("recruitment:call_list"))]
    if call is not None:
        items.append((call.title, reverse("recruitment:call_detail", args=[call.pk])))
    return items + list(more)


def selection_form_page(
    request: HttpRequest, form, *, title: str, call: Call | None, cancel_url: str | None = None
) -> HttpResponse:
    """A form of the selection on its own page, under the call's breadcrumbs."""
    return form_page(
        request,
        form,
        title=title,
        cancel_url=cancel_url or reverse("recruitment:call_detail", args=[call.pk]),
        breadcrumbs=crumbs_of(call, (title, None)),
    )


def call_for(request: HttpRequest, pk: int, permission: str = "recruitment.view_call") -> Call:
    call = visible_or_404(Call.objects.select_related("program", "cohort"), request.user, pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return call


def programs_of(user):
    if sees_everything(user):
        return Program.objects.all()
    return Program.objects.filter(staff_assignments__user=user)


def application_for(request: HttpRequest, pk: int) -> Application:
    """An application the user may see (404), if they may read applications (403)."""
    application = visible_or_404(
        Application.objects.select_related("call__program", "call__cohort", "ktp_regency"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("recruitment.view_application"):
        raise PermissionDenied
    return application
