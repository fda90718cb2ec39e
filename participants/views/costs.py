"""Sponsor-funded cost lines: lists with their summary, entry forms, XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.models import Cohort, Program
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pages import confirm_delete, file_download, form_page
from delegation.pagination import paginate, query_string_without_page
from delegation.querystring import whole_number
from delegation.spreadsheets import xlsx_response
from participants import exports
from participants.cost_summary import summarise
from participants.forms_costs import CostFilterForm, CostItemForm
from participants.models import CostItem, CostItemQuerySet, Participant


def _scope(request: HttpRequest, *, slug=None, pk=None) -> tuple[Program, Cohort | None]:
    """(programme, batch or None) the page is about, fetched through the user's scope."""
    if pk is not None:
        cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
        return cohort.program, cohort
    return visible_or_404(Program, request.user, slug=slug), None


def _items(request: HttpRequest, program, cohort) -> tuple[CostFilterForm, CostItemQuerySet]:
    items = CostItem.objects.visible_to(request.user).filter(program=program)
    if cohort is not None:
        items = items.filter(cohort=cohort)
    form = CostFilterForm(request.GET or None, program=program, with_cohort=cohort is None)
    return form, form.apply(items)


def _participant_count(program, cohort, form) -> int:
    """Whose costs these are: the batch's own people when the page or its filter is about
    one batch, everyone in the programme's batches otherwise."""
    if cohort is None and form.is_valid():
        cohort = form.cleaned_data.get("cohort")
    people = Participant.objects.filter(cohort__program=program)
    if cohort is not None:
        people = people.filter(cohort=cohort)
    return people.count()


@permission_required("participants.view_costitem", raise_exception=True)
def cost_list(request: HttpRequest, slug: str | None = None, pk: int | None = None) -> HttpResponse:
    program, cohort = _scope(request, slug=slug, pk=pk)
    form, items = _items(request, program, cohort)
    items = items.select_related("cohort", "participant")
    return render(
        request,
        "participants/cost_list.html",
        {
            "program": program,
            "cohort": cohort,
            "form": form,
            "page": paginate(request, items),
            "summary": summarise(
                items,
                program=program,
                participant_count=_participant_count(program, cohort, form),
            ),
            "payers": [label for _value, label in CostItem.Payer.choices],
            "query_string": query_string_without_page(request),
            "export_url": (
                reverse("participants:cohort_cost_export", args=[cohort.pk])
                if cohort
                else reverse("participants:cost_export", args=[program.slug])
            ),
        },
    )


@permission_required("participants.view_costitem", raise_exception=True)
def cost_export(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    program, cohort = _scope(request, slug=slug, pk=pk)
    form, items = _items(request, program, cohort)
    items = items.select_related("cohort", "participant")
    summary = summarise(
        items, program=program, participant_count=_participant_count(program, cohort, form)
    )
    record_event(request.user, AuditEvent.Action.EXPORT, cohort or program, detail="costs.xlsx")
    batch = f"angkatan-{cohort.number}" if cohort else None
    return xlsx_response(
        exports.costs_xlsx(items, summary=summary),
        file_name("biaya", program.slug, batch, timezone.localdate(), extension="xlsx"),
    )


def cost_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "participants.add_costitem", slug=slug)
    cohort_pk = whole_number(request.GET.get("cohort"))
    cohort = Cohort.objects.of_program(program).filter(pk=cohort_pk).first() if cohort_pk else None
    form = CostItemForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        initial={
            "cohort": cohort,
            "date": timezone.localdate(),
            "currency": "IDR",
            "rate_to_idr": 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.recorded_by = request.user
        item.save()
        messages.success(request, _("Cost line saved."))
        if item.breaks_the_promise():
            messages.warning(request, _("This line breaks the programme's promise and is flagged."))
        return redirect(_back(item))
    return _form(request, form, program, _("New cost line"))


def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = changeable_or_403(
        CostItem.objects.select_related("program"),
        request.user,
        "participants.change_costitem",
        pk=pk,
    )
    form = CostItemForm(
        request.POST or None, request.FILES or None, instance=item, program=item.program
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Cost line saved."))
        return redirect(_back(item))
    return _form(request, form, item.program, _("Edit cost line"))


@require_http_methods(["GET", "POST"])
def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = changeable_or_403(
        CostItem.objects.select_related("program", "cohort"),
        request.user,
        "participants.delete_costitem",
        pk=pk,
    )
    return confirm_delete(
        request,
        item,
        back=_back(item),
        deleted=_("Cost line “%(line)s” deleted.") % {"line": item},
        files=[item.receipt],
        audit=True,
    )


def cost_receipt(request: HttpRequest, pk: int) -> FileResponse:
    return file_download(
        request, CostItem, pk, permission="participants.download_receipt", field="receipt"
    )


def _back(item: CostItem) -> str:
    if item.cohort_id:
        return reverse("participants:cohort_costs", args=[item.cohort_id])
    return reverse("participants:program_costs", args=[item.program.slug])


def _form(request: HttpRequest, form, program, title) -> HttpResponse:
    back = reverse("participants:program_costs", args=[program.slug])
    crumbs = [(program.name, program.get_absolute_url()), (_("Costs"), back), (title, None)]
    return form_page(request, form, title=title, cancel_url=back, breadcrumbs=crumbs)
