"""The demo's data for the tests that need all of it (the browser journeys, mostly).

`seed_demo --demo-users` takes seconds, and a transactional test (a live server, a real
worker) ends by emptying every table. So the first test of a process that asks for the demo
seeds it and keeps a copy of every table in a schema of the test database (``demo_copy``),
and of the files it wrote; each later one empties the tables and copies them back, with
triggers off (the running counts are copied as they were, not counted twice), and sets each
sequence after its highest id. The result is the database as `seed_demo` left it.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

COPY = "demo_copy"
KEPT_AS_THEY_ARE = {"django_migrations"}

_files: dict[str, Path] = {}  # the media folder of the seeding test, per database


def load_demo(scratch: Path) -> None:
    """Put the demo in the test database (and its files in MEDIA_ROOT)."""
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or name not in _files or not _copy_exists():
        call_command("seed_demo", "--demo-users", verbosity=0)
        if connection.vendor == "postgresql":
            _keep(scratch / "demo-media")
            _files[name] = scratch / "demo-media"
        return
    _restore()
    if _files[name].exists():
        shutil.copytree(_files[name], settings.MEDIA_ROOT, dirs_exist_ok=True)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return [t for t in tables if t not in KEPT_AS_THEY_ARE]


def _copy_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [COPY])
        return cursor.fetchone() is not None


def _keep(media_copy: Path) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {COPY} CASCADE")
        cursor.execute(f"CREATE SCHEMA {COPY}")
        for table in _tables():
            cursor.execute(f"CREATE TABLE {COPY}.{quote(table)} AS TABLE public.{quote(table)}")
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, media_copy, dirs_exist_ok=True)


def _restore() -> None:
    quote = connection.ops.quote_name
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers, no FK checks
        cursor.execute("TRUNCATE " + ", ".join(f"public.{quote(t)}" for t in tables))
        for table in tables:
            cursor.execute(f"INSERT INTO public.{quote(table)} SELECT * FROM {COPY}.{quote(table)}")
        cursor.execute(
            """
            SELECT seq.relname, tab.relname, col.attname
            FROM pg_class seq
            JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
            JOIN pg_class tab ON tab.oid = dep.refobjid
            JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid
            JOIN pg_namespace ns ON ns.oid = seq.relnamespace AND ns.nspname = 'public'
            WHERE seq.relkind = 'S'
            """
        )
        for sequence, table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT setval(%s, COALESCE((SELECT max({quote(column)}) FROM"
                f" public.{quote(table)}), 0) + 1, false)",
                [f"public.{quote(sequence)}"],
            )
    ContentType.objects.clear_cache()  # the ids are the copy's, not those the flush made
