"""The public check of a printed certificate (``/verify/<token>/``), the address its QR code
carries: no sign-in, limited per address."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from delegation.models import Organisation
from delegation.network import client_ip
from training.models import Certificate

VERIFY_LIMIT = 30  # requests a minute from one address


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the facts of a certificate, for whoever scans its QR code. Nothing more.

    Its address is printed on certificates and never changes. An unknown code answers 404 on
    this page (not the signed-in 404 page), saying whom to ask; a revoked certificate says so
    in a fixed phrase, never with the reason written when it was revoked.
    """
    key = f"verify:{client_ip(request)}:{timezone.now():%Y%m%d%H%M}"
    count = cache.get_or_set(key, 0, timeout=120)
    organisation = Organisation.current()
    if count >= VERIFY_LIMIT:
        return render(
            request,
            "training/verify.html",
            {"limited": True, "organisation": organisation},
            status=429,
        )
    cache.incr(key)
    certificate = (
        Certificate.objects.filter(token=token)
        .select_related("participant__cohort__program")
        .first()
    )
    if certificate is None:
        return render(
            request,
            "training/verify.html",
            {"unknown": True, "organisation": organisation},
            status=404,
        )
    participant = certificate.participant
    plan = participant.cohort.plan if participant.cohort_id else None
    return render(
        request,
        "training/verify.html",
        {"certificate": certificate, "plan": plan, "organisation": organisation},
    )
