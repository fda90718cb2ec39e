"""Private files on S3-compatible storage (``MEDIA_STORAGE=s3``, django-storages), against a
local S3 server the tests start (moto's server mode): uploads, downloads, generated job files,
the letterhead's crest, and backup and restore all go through the storage, not through paths."""

import io
import json
import os
import subprocess
import sys
import tarfile

import boto3
import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from moto.server import ThreadedMotoServer

from delegation import jobs
from delegation.models import AuditEvent, Job, Organisation
from delegation.pdf import letterhead
from office.privacy.backup import stored_files
from tests.conftest import ROOT
from tests.factories import DocumentFactory, ParticipantFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server on a free port, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, request):
    """An empty private bucket of the test's own, made the media storage."""
    name = "delegation-" + request.node.name.replace("_", "-")[:40].lower().strip("-")
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "default_acl": "private",
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    settings.MEDIA_ROOT = "/nonexistent-media-root"  # nothing may fall back to a path
    return client, name


def stored(bucket) -> dict[str, bytes]:
    client, name = bucket
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=name, Key=item["Key"])["Body"].read()
        for item in listing
    }


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_settings_put_media_on_s3_with_their_variables(s3_endpoint, bucket):
    _client, name = bucket
    code = (
        "from django.core.files.storage import default_storage as s;"
        "from django.core.files.base import ContentFile;"
        "print(s.save('imports/a.csv', ContentFile(b'nik,name')))"
    )
    env = {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_PREFIX": "kota",
    }
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "imports/a.csv"
    assert stored(bucket) == {"kota/imports/a.csv": b"nik,name"}


def test_an_unknown_media_storage_stops_the_process_and_says_what_is_expected():
    result = manage("check", env={"MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE='ftp' is not valid: expected filesystem or s3" in result.stderr


def test_an_uploaded_document_is_kept_in_the_bucket_and_downloads_for_hr(
    bucket, client, hr, coordinator, assigned, cohort
):
    document = DocumentFactory(participant=ParticipantFactory(cohort=cohort))
    document.file.save("paspor.pdf", SimpleUploadedFile("paspor.pdf", PDF))
    assert stored(bucket) == {document.file.name: PDF}
    url = reverse("participants:document_file", args=[document.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    client.force_login(hr)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="download").count() == 1


def test_a_generated_document_is_written_to_the_bucket_whole(bucket, hr):
    job = Job.objects.create(kind="certificates", params={}, requested_by=hr)
    jobs.run_job(job.pk, lambda job: ("sertifikat.zip", PDF))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert stored(bucket) == {job.file.name: PDF}
    assert job.file.name.startswith("jobs/") and job.file.name.endswith("-sertifikat.zip")
    assert job.file.open("rb").read() == PDF


def test_a_job_superseded_while_rendering_leaves_no_file_in_the_bucket(bucket, hr):
    job = Job.objects.create(kind="certificates", params={}, requested_by=hr)

    def render(job):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.SUPERSEDED)
        return "sertifikat.zip", PDF

    jobs.run_job(job.pk, render)
    assert stored(bucket) == {}


def test_the_letterhead_crest_is_read_from_the_bucket(bucket, db):
    organisation = Organisation.current() or Organisation.objects.create(name="Pemkot")
    organisation.logo.save("lambang.png", SimpleUploadedFile("lambang.png", PNG))
    assert stored(bucket) == {organisation.logo.name: PNG}
    assert letterhead()["logo"].startswith("data:image/png;base64,")


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_carry_the_files_of_the_bucket(bucket, s3_endpoint, tmp_path):
    client, name = bucket
    document = DocumentFactory(participant=ParticipantFactory(full_name="Siti Rahmah"))
    document.file.save("paspor.pdf", SimpleUploadedFile("paspor.pdf", PDF))
    default_storage.save("jobs/2026/12/7-roster.pdf", io.BytesIO(b"%PDF roster"))
    assert sorted(stored_files()) == sorted([document.file.name, "jobs/2026/12/7-roster.pdf"])
    call_command("backup_data", "--output", str(tmp_path / "backup"))
    with tarfile.open(tmp_path / "backup" / "media.tar.gz") as archive:
        assert archive.extractfile(f"media/{document.file.name}").read() == PDF
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor == "postgresql"

    db = connection.settings_dict
    scratch = f"{db['NAME']}_s3restore"
    server = {"host": db["HOST"] or "localhost", "port": db["PORT"] or 5432, "user": db["USER"]}
    server["password"] = db["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{server['host']}:{server['port']}/{scratch}"
        )
        env = {
            "DATABASE_URL": url,
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": name,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "S3_PREFIX": "restored",
        }
        result = manage("restore_data", str(tmp_path / "backup"), env=env)
        assert result.returncode == 0, result.stderr
        files = stored(bucket)
        assert files[f"restored/{document.file.name}"] == PDF
        assert files["restored/jobs/2026/12/7-roster.pdf"] == b"%PDF roster"
        # The bucket's place now holds files: a second restore is refused, saying why.
        again = manage("restore_data", str(tmp_path / "backup"), env={**env, "DATABASE_URL": url})
        assert again.returncode != 0
        assert "already holds" in again.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
