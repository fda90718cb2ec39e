"""The person's home page in the portal and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from participants.models import (
    BEFORE_DEPARTURE,
    Document,
    Participant,
)
from portal import services
from portal.forms import (
    PasswordChoiceForm,
)
from portal.views.common import (
    page,
    portal_page,
)


@portal_page
def home(request: HttpRequest) -> HttpResponse:
    participant: Participant = request.participant
    notifications = request.user.notifications.all()[:5]
    waiting = participant.documents.awaiting_review().count()
    refused = participant.documents.filter(review=Document.Review.REFUSED).count()
    return page(
        request,
        "portal/home.html",
        {
            "participant": participant,
            "notifications": notifications,
            "waiting": waiting,
            "refused": refused,
            "before_departure": participant.status in BEFORE_DEPARTURE,
            "follow_ups_due": participant.follow_ups.due(today=timezone.localdate()).count(),
        },
    )


@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The open page of an invitation link: choose a password, and the account is open."""
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = PasswordChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="delegation.backends.RoleBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("portal:home")
    return render(
        request,
        "portal/invitation_accept.html",
        {"form": form, "invitation": invitation, "username": invitation.email},
    )
