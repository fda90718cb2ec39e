"""After return: the follow-ups the returnee answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import (
    Participant,
)
from portal.forms import (
    FollowUpAnswerForm,
)
from portal.views.common import (
    page,
    portal_page,
)
from welfare import services as welfare
from welfare.models import FollowUp


@portal_page
def follow_ups(request: HttpRequest) -> HttpResponse:
    """After return: the follow-ups due (1, 6 and 12 months), each answered with a short form."""
    participant: Participant = request.participant
    today = timezone.localdate()
    return page(
        request,
        "portal/follow_ups.html",
        {
            "due": participant.follow_ups.due(today=today),
            "filled": participant.follow_ups.filled().order_by("-filled_on"),
        },
    )


@portal_page
def follow_up_answer(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    follow_up = get_object_or_404(request.participant.follow_ups.due(today=today), pk=pk)
    form = FollowUpAnswerForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in FollowUpAnswerForm.Meta.fields}
        try:
            welfare.follow_up_fill(
                follow_up=follow_up,
                by=request.user,
                via=FollowUp.Via.PORTAL,
                on=today,
                **answers,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you, your answers have been sent to the office."))
            return redirect("portal:follow_ups")
    return page(
        request,
        "portal/follow_up_answer.html",
        {"form": form, "follow_up": follow_up},
        status=400 if form.errors else 200,
    )
