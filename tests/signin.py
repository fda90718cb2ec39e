"""Signing in as a person does: through the login page, then the second factor if any.

Every test that signs in with a password goes through ``sign_in``, so the throttling
backend and the two-factor rule see what they see in production.
"""

from __future__ import annotations

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app paired with ``device`` shows now."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def add_authenticator(user) -> TOTPDevice:
    """A paired authenticator app for ``user``."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client, username: str, password: str = PASSWORD, *, device: TOTPDevice | None = None):
    """Sign in with the form; with ``device``, also pass the second step with its code."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"signing in as {username!r} failed"
    if device is not None:
        response = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
        assert response.status_code == 302, "the second factor was refused"
    return response
