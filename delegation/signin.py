"""Sign-in throttling (django-axes): the lockout page. The client's address is read by
``delegation.network.client_ip``, as the public verify page reads it."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from delegation.forms import LoginForm


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


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How the sign-in guard names a request in its log lines: by the page's name only. Never
    the username or the address (personal data), nor the path, which for an e-mail
    confirmation or an invitation holds its one-time token."""
    path = path_info[0] if isinstance(path_info, (tuple, list)) else path_info
    try:
        name = resolve(path or "/").view_name
    except Resolver404:
        name = "unknown page"
    return f"{{page: {name}}}"
