"""Two-factor sign-in: an authenticator app (TOTP) with single-use recovery codes.

Administrators and HR staff see personal data, so when ``TWO_FACTOR_REQUIRED`` is on (the
default whenever DEBUG is off) they reach no page but these ones until they have proved
the second factor in this session. Devices are django-otp's; an administrator resets a
lost phone with the "Reset two-factor sign-in" action on the accounts in the admin.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from delegation.access import is_open_view
from delegation.roles import sees_everything

RECOVERY_CODE_COUNT = 10
# Pages a signed-in user may open before proving the second factor.
UNVERIFIED_VIEW_NAMES = frozenset(
    {"two_factor_setup", "two_factor_verify", "logout", "set_language"}
)


def second_factor_required(user) -> bool:
    return (
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_staff or sees_everything(user))
    )


class TwoFactorMiddleware:
    """Send an administrator or HR user who has not proved the second factor to do so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not second_factor_required(user):
            return None
        name = request.resolver_match.view_name
        if name in UNVERIFIED_VIEW_NAMES or is_open_view(name):
            request.second_factor_pending = True  # the page shows no menus that lead nowhere
            return None
        target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return _to(target, request.get_full_path())


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The six-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


def _to(view_name: str, next_url: str):
    return redirect(f"{reverse(view_name)}?{urlencode({'next': next_url})}")


def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset_devices(users) -> int:
    """Remove every second-factor device of these users; they set one up again next time."""
    totp, _ = TOTPDevice.objects.filter(user__in=users).delete()
    static, _ = StaticDevice.objects.filter(user__in=users).delete()
    return totp + static


def _qr_svg(device: TOTPDevice) -> str:
    return mark_safe(  # noqa: S308 - segno writes the markup; the URL is the device's own
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("QR code for your authenticator app")
        )
    )


def _secret(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


@never_cache
@sensitive_post_parameters("token")
def setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: scan, type the code it shows, receive recovery codes."""
    user = request.user
    if user_has_device(user):
        if not user.is_verified():
            return _to("two_factor_verify", _next_url(request))
        messages.info(request, _("Two-factor sign-in is already set up for your account."))
        return redirect("two_factor_manage")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = issue_recovery_codes(user)
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "token",
            _("That code is not right. Check that your phone's clock is correct and try again."),
        )
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _secret(device),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _check_code(user, token: str):
    """The device the code belongs to, and whether a device refused to try (throttled).

    App codes are six digits and recovery codes are not, so a code is tried only against
    its own kind: a recovery code never counts as a wrong app code.
    """
    model = TOTPDevice if token.isascii() and token.isdigit() and len(token) == 6 else StaticDevice
    throttled = False
    for device in model.objects.filter(user=user, confirmed=True):
        if not device.verify_is_allowed()[0]:
            throttled = True
        elif device.verify_token(token):
            return device, False
    return None, throttled


@never_cache
@sensitive_post_parameters("token")
def verify(request: HttpRequest) -> HttpResponse:
    """Prove the second factor for this session: an app code or a recovery code."""
    user = request.user
    if not user_has_device(user):
        return _to("two_factor_setup", _next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, throttled = _check_code(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code. %(count)d codes are left; make "
                        "new ones under Two-factor sign-in if you are running out."
                    )
                    % {"count": remaining_recovery_codes(user)},
                )
            return redirect(_next_url(request))
        if throttled:
            form.add_error("token", _("Too many wrong codes. Wait a moment, then try again."))
        else:
            form.add_error("token", _("That code is not right, or it has been used already."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """The account's second factor: state, remaining recovery codes, new codes."""
    user = request.user
    has_device = user_has_device(user)
    if request.method == "POST":
        if not (has_device and user.is_verified()):
            messages.error(request, _("Prove your second factor first."))
            return redirect("two_factor_verify")
        codes = issue_recovery_codes(user)
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
        return render(
            request,
            "registration/two_factor_codes.html",
            {"codes": codes, "next": reverse("two_factor_manage")},
        )
    context = {
        "has_device": has_device,
        "required": second_factor_required(user),
        "remaining": remaining_recovery_codes(user) if has_device else 0,
    }
    return render(request, "registration/two_factor_manage.html", context)
