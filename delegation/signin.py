"""Sign-in throttling (django-axes): the client's address and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from delegation.forms import LoginForm


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry the trusted proxies added.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N proxies the client is the N-th entry from the right; any
    entries further left were written by the client and are not believed.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The login page again, saying why signing in is refused (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    message = _(
        "Too many failed sign-ins for this account from this address. Sign-in is locked "
        "for %(minutes)d minutes; try again later or ask an administrator to unlock it."
    ) % {"minutes": minutes}
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out_message": message,
    }
    return render(request, "registration/login.html", context, status=429)
