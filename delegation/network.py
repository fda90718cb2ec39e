"""Where a request comes from: the one rule for every feature that counts by address (sign-in
throttling, the public verify page's rate limit)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry the trusted proxies added.

    Each trusted proxy (``TRUSTED_PROXY_COUNT``) appends the address it received the request
    from to X-Forwarded-For, so with N proxies the client is the N-th entry from the right;
    any entries further left were written by the client and are not believed. With no
    trusted proxy the header is ignored altogether.
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
