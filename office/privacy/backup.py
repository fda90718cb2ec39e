"""Backup and restore of the database and the private files (the media storage: ``MEDIA_ROOT``,
or the S3-compatible bucket with ``MEDIA_STORAGE=s3``).

A backup is a folder:

* ``database.dump``: PostgreSQL's custom format (``pg_dump -Fc``), or ``database.sqlite3``;
* ``media.tar.gz``: every uploaded and generated file, under ``media/``;
* ``manifest.json``: when, from which database engine, and the SHA-256 of each part.

The folder is readable by its owner only (0700) and so is each file in it (0600): a backup
holds every NIK, passport and document scan.

Restoring checks the manifest and the checksums first, then writes into the configured
database and media storage. It refuses to overwrite a database that already holds tables or a
storage that holds files unless ``replace`` is given. The files are read and written through
Django's storage API, never as paths, so the same commands serve a shared object store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def _pg_env_and_args(alias: str = "default") -> tuple[dict, list[str]]:
    db = settings.DATABASES[alias]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup_data(output: Path) -> dict:
    """Write a backup of the configured database and ``MEDIA_ROOT`` into ``output``."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: choose a new folder for each backup.")
    engine = _engine()
    output.mkdir(parents=True, exist_ok=True)
    # Closed before anything is written into it, so no file is ever readable by others.
    output.chmod(PRIVATE_FOLDER)
    db = settings.DATABASES["default"]
    if engine == "postgresql":
        env, args = _pg_env_and_args()
        _run(
            [
                _pg_tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(output / POSTGRES_DUMP),
                str(db["NAME"]),
            ],
            env,
        )
        database = POSTGRES_DUMP
    else:
        # SQLite's online backup API: a consistent copy even while the app writes.
        connection = connections["default"]
        connection.ensure_connection()
        target = sqlite3.connect(str(output / SQLITE_COPY))
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        database = SQLITE_COPY
    with tarfile.open(output / MEDIA_ARCHIVE, "w:gz") as archive:
        for name in stored_files():
            member = tarfile.TarInfo(f"media/{name}")
            member.size = default_storage.size(name)
            member.mode = PRIVATE_FILE
            with default_storage.open(name, "rb") as handle:
                archive.addfile(member, handle)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": database,
        "media": MEDIA_ARCHIVE,
        "sha256": {name: _sha256(output / name) for name in (database, MEDIA_ARCHIVE)},
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2))
    for name in (database, MEDIA_ARCHIVE, MANIFEST):
        (output / name).chmod(PRIVATE_FILE)
    return manifest


def read_manifest(source: Path) -> dict:
    source = Path(source)
    if not (source / MANIFEST).is_file():
        raise BackupError(f"{source} is not a backup folder: {MANIFEST} is missing.")
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        parts = [manifest["database"], manifest["media"]]
        checksums = manifest["sha256"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{source / MANIFEST} is damaged ({error}).") from None
    for name in parts:
        if not (source / name).is_file():
            raise BackupError(f"{source / name} is missing.")
        if _sha256(source / name) != checksums.get(name):
            raise BackupError(f"{source / name} does not match its checksum: it is damaged.")
    return manifest


def _database_has_tables() -> bool:
    return bool(connections["default"].introspection.table_names())


def stored_files(folder: str = ""):
    """The names of every file in the media storage, folder by folder (the storage API, so an
    object store works as the file system does)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not made yet
        return
    for name in sorted(files):
        if not name.endswith(".part"):  # a file still being written by a worker
            yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from stored_files(f"{folder}/{name}" if folder else name)


def _media_has_files() -> bool:
    return next(stored_files(), None) is not None


def _stored_name(member: tarfile.TarInfo) -> str | None:
    """The storage name of an archived file, or None for what is not a plain file under
    ``media/`` (folders, links, absolute paths, paths leaving the media folder)."""
    if not member.isfile() or not member.name.startswith("media/"):
        return None
    path = PurePosixPath(member.name.removeprefix("media/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return str(path)


def restore_data(source: Path, *, replace: bool = False) -> dict:
    """Restore a backup folder into the configured database and ``MEDIA_ROOT``."""
    source = Path(source)
    manifest = read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"This backup was made from {manifest['engine']}; the configured database is "
            f"{engine}. Restore it into a {manifest['engine']} database."
        )
    if not replace and _database_has_tables():
        raise BackupError(
            "The configured database already holds tables. Restore into an empty database, "
            "or pass --replace to overwrite it."
        )
    if not replace and _media_has_files():
        raise BackupError(
            "The media storage already holds files. Point MEDIA_ROOT (or S3_BUCKET / "
            "S3_PREFIX) at an empty place, or pass --replace to overwrite them."
        )
    db = settings.DATABASES["default"]
    if engine == "postgresql":
        connections["default"].close()
        env, args = _pg_env_and_args()
        command = [_pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges"]
        if replace:
            command += ["--clean", "--if-exists"]
        command += ["--exit-on-error", "--dbname", str(db["NAME"]), str(source / POSTGRES_DUMP)]
        _run(command, env)
    else:
        connection = connections["default"]
        connection.ensure_connection()
        backup = sqlite3.connect(str(source / SQLITE_COPY))
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        for member in archive.getmembers():
            name = _stored_name(member)
            if name is None:
                continue
            if default_storage.exists(name):
                default_storage.delete(name)  # only with replace: refused above otherwise
            with archive.extractfile(member) as handle:
                saved = default_storage.save(name, handle)
            if saved != name:
                raise BackupError(f"The storage kept {name} as {saved}: restore stopped.")
    return manifest
