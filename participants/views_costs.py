"""Sponsor-funded cost lines: lists with their summary, entry forms, XLSX export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cohorts.models import Cohort, Program
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.models import AuditEvent
from delegation.pagination import paginate, query_string_without_page
from delegation.querystring import whole_number
from participants.cost_summary import summarise
from participants.forms_abroad import CostFilterForm, CostItemForm
from participants.models import CostItem, Participant


def _scope(request, *, slug=None, pk=None):
    """(programme, batch or None) the page is about, fetched through the user's scope."""
    if pk is not None:
        cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
        return cohort.program, cohort
    return visible_or_404(Program, request.user, slug=slug), None


def _items(request, program, cohort):
    items = CostItem.objects.visible_to(request.user).filter(program=program)
    if cohort is not None:
        items = items.filter(cohort=cohort)
    form = CostFilterForm(request.GET or None, program=program, with_cohort=cohort is None)
    return form, form.apply(items)


def _participant_count(program, cohort) -> int:
    people = Participant.objects.filter(cohort__program=program)
    if cohort is not None:
        people = people.filter(cohort=cohort)
    return people.count()


@permission_required("participants.view_costitem", raise_exception=True)
def cost_list(request, slug: str | None = None, pk: int | None = None):
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
                items, program=program, participant_count=_participant_count(program, cohort)
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
def cost_export(request, slug: str | None = None, pk: int | None = None):
    program, cohort = _scope(request, slug=slug, pk=pk)
    _form, items = _items(request, program, cohort)
    items = items.select_related("cohort", "participant")
    summary = summarise(
        items, program=program, participant_count=_participant_count(program, cohort)
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cost lines")[:31]
    header = [
        _("Date"),
        _("Batch"),
        _("Participant"),
        _("Category"),
        _("Paid by"),
        _("Amount"),
        _("Currency"),
        _("Rate to IDR"),
        _("Amount in IDR"),
        _("Description"),
        _("Reference"),
        _("Breaks the promise"),
    ]
    sheet.append(header)
    flagged = {item.pk for item in summary.flagged}
    for item in items:
        sheet.append(
            [
                item.date,
                str(item.cohort or ""),
                str(item.participant or ""),
                item.get_category_display(),
                item.get_payer_display(),
                item.amount,
                item.currency,
                item.rate_to_idr,
                item.amount_idr,
                item.description,
                item.reference,
                _("Yes") if item.pk in flagged else "",
            ]
        )
    totals = workbook.create_sheet(_("Summary")[:31])
    totals.append([_("Category"), *[str(label) for label in CostItem.Payer.labels], _("Total")])
    for row in summary.rows + summary.operating:
        totals.append([row.label, *row.by_payer, row.total])
    totals.append([_("Programme costs"), *summary.payer_totals, summary.programme_total])
    totals.append([_("The city's operating costs"), "", "", "", summary.operating_total])
    for sheet_ in (sheet, totals):
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_event(request.user, AuditEvent.Action.EXPORT, cohort or program, detail="costs.xlsx")
    batch = f"-angkatan-{cohort.number}" if cohort else ""
    name = f"biaya-{program.slug}{batch}-{timezone.localdate()}.xlsx"
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def cost_create(request, slug: str):
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


def cost_edit(request, pk: int):
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


def cost_delete(request, pk: int):
    item = changeable_or_403(
        CostItem.objects.select_related("program", "cohort"),
        request.user,
        "participants.delete_costitem",
        pk=pk,
    )
    back = _back(item)
    if request.method == "POST":
        record_event(request.user, AuditEvent.Action.DELETE, item, detail=str(item))
        item.receipt.delete(save=False)
        item.delete()
        messages.success(request, _("Cost line deleted."))
        return redirect(back)
    return render(request, "confirm_delete.html", {"object": item, "cancel_url": back})


def cost_receipt(request, pk: int):
    item = changeable_or_403(CostItem, request.user, "participants.download_receipt", pk=pk)
    return private_file_response(request, item.receipt, subject=item)


def _back(item: CostItem) -> str:
    if item.cohort_id:
        return reverse("participants:cohort_costs", args=[item.cohort_id])
    return reverse("participants:program_costs", args=[item.program.slug])


def _form(request, form, program, title):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("participants:program_costs", args=[program.slug]),
            "breadcrumbs": [
                (program.name, program.get_absolute_url()),
                (_("Costs"), reverse("participants:program_costs", args=[program.slug])),
                (title, None),
            ],
        },
    )
