"""Typed readers for environment variables.

Every setting that comes from the environment goes through one of these functions. They
fail loudly (``ImproperlyConfigured`` naming the variable) on values they cannot read, so
a typo in a deployment stops the process instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
_REDIS_SCHEMES = ("redis://", "rediss://")

_missing = object()


def _raw(name: str, environ_: Mapping[str, str] | None) -> str | None:
    source = os.environ if environ_ is None else environ_
    value = source.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _fail(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not valid: expected {expected}.")


def get_str(name: str, default: Any = _missing, *, environ_=None) -> str:
    value = _raw(name, environ_)
    if value is None:
        if default is _missing:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def get_bool(name: str, default: bool, *, environ_=None) -> bool:
    value = _raw(name, environ_)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _fail(name, value, "one of 1/0, true/false, yes/no, on/off")


def get_int(name: str, default: int, *, minimum: int | None = None, environ_=None) -> int:
    value = _raw(name, environ_)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _fail(name, value, "a whole number") from None
    if minimum is not None and number < minimum:
        raise _fail(name, value, f"a whole number of at least {minimum}")
    return number


def get_list(name: str, default: list[str], *, environ_=None) -> list[str]:
    value = _raw(name, environ_)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise _fail(name, value, "a comma-separated list without empty items")
    return items


def get_database(name: str, default: str, *, environ_=None) -> dict[str, Any]:
    value = _raw(name, environ_) or default
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in _DATABASE_SCHEMES:
        raise _fail(name, value, "a postgres:// or sqlite:/// URL")
    config = environ.Env.db_url_config(value)
    if scheme != "sqlite" and not config.get("NAME"):
        raise _fail(name, value, "a URL that names the database")
    return config


def get_redis_url(name: str, *, environ_=None) -> str | None:
    value = _raw(name, environ_)
    if value is None:
        return None
    if not value.startswith(_REDIS_SCHEMES) or len(value) <= len("redis://"):
        raise _fail(name, value, "a redis:// or rediss:// URL")
    return value


def get_email(name: str, default: str, *, environ_=None) -> dict[str, Any]:
    value = _raw(name, environ_) or default
    try:
        return environ.Env.email_url_config(value)
    except (ImproperlyConfigured, KeyError, ValueError):
        raise _fail(name, value, "an e-mail URL such as smtp://user:pass@host:587") from None
