"""Partners: the sponsoring employers abroad."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.forms import (
    PartnerForm,
)
from cohorts.models import (
    Partner,
)
from delegation.access import changeable_or_403
from delegation.pages import form_page
from delegation.pagination import paginate, query_string_without_page


@permission_required("cohorts.view_partner", raise_exception=True)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = (
        Partner.objects.visible_to(request.user)
        .annotate(program_count=Count("programs"))
        .order_by("name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        partners = partners.filter(name__icontains=query)
    return render(
        request,
        "cohorts/partner_list.html",
        {
            "page": paginate(request, partners),
            "query": query,
            "query_string": query_string_without_page(request),
        },
    )


@permission_required("cohorts.add_partner", raise_exception=True)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
        return redirect("cohorts:partner_list")
    return form_page(
        request, form, title=_("New partner"), cancel_url=reverse("cohorts:partner_list")
    )


def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = changeable_or_403(Partner, request.user, "cohorts.change_partner", pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
        return redirect("cohorts:partner_list")
    return form_page(
        request,
        form,
        title=_("Edit partner %(name)s") % {"name": partner.name},
        cancel_url=reverse("cohorts:partner_list"),
    )
