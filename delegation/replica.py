"""Reads that may lag a few seconds behind: the dashboard's and the programme report's
figures. With a read replica configured (``DATABASE_REPLICA_URL``, the alias ``replica``),
the queries made inside ``replica_reads()`` go there and leave the primary to daily work;
without one, everything reads the primary (``default``). Writes always go to the primary,
and only the primary is migrated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, router

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within it, reads go to the replica when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reading_from_replica() -> bool:
    return _reading.get() and REPLICA in settings.DATABASES


def connection_for(model):
    """The connection a raw read of ``model``'s table should use (the router's choice)."""
    return connections[router.db_for_read(model)]


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the same data, whichever copy it was read from

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA
