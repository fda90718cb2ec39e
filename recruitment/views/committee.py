"""The selection committee: members, their integrity pacts and declared relations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.pages import refuse
from recruitment import services
from recruitment.forms import (
    CommitteeMemberForm,
    ConflictForm,
)
from recruitment.models import (
    Call,
    CommitteeMember,
)
from recruitment.views.common import (
    call_for,
    crumbs_of,
    selection_form_page,
)


def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.add_committeemember")
    if call.status in (Call.Status.DECIDED, Call.Status.CANCELLED):
        messages.error(request, _("The committee of a decided or cancelled call is closed."))
        return redirect(call)
    form = CommitteeMemberForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.call = call
        member.save()
        form.save_m2m()
        messages.success(request, _("The committee member is added."))
        return redirect(call)
    return selection_form_page(request, form, title=_("New committee member"), call=call)


def _member(request: HttpRequest, pk: int) -> CommitteeMember:
    member = get_object_or_404(
        CommitteeMember.objects.select_related("call").filter(
            call__in=Call.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return member


@require_POST
def member_pact(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    if not request.user.has_perm("recruitment.add_conflictdeclaration"):
        raise PermissionDenied
    try:
        services.member_sign_pact(member=member, by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The integrity pact is signed."))
    return redirect(member.call)


def member_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    if not request.user.has_perm("recruitment.add_conflictdeclaration"):
        raise PermissionDenied
    if not services.may_act_for(member, request.user):
        raise PermissionDenied  # a member's relations are declared by that member
    form = ConflictForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                member=member,
                application=form.cleaned_data["application"],
                relation=form.cleaned_data["relation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relation is declared."))
            return redirect("recruitment:member_conflicts", pk=member.pk)
    return render(
        request,
        "recruitment/conflicts.html",
        {
            "member": member,
            "call": member.call,
            "form": form,
            "declared": member.conflicts.select_related("application"),
            "breadcrumbs": crumbs_of(member.call, (_("Conflicts of interest"), None)),
        },
    )
