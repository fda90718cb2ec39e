"""Saving an import on PostgreSQL with COPY and set-based statements writes what the ORM
writes, and keeps the import's all-or-nothing promise."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models
from django.utils import timezone, translation

from delegation.models import Job
from participants import importer
from participants.models import Contract, Document, Participant, StatusChange
from participants.services import participants_import_from_job
from tests.conftest import require
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db

FULL = importer.COLUMNS
HISTORICAL = [*FULL, "status", "departed_on", "contract_start", "contract_years", "employer"]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL saves an import with COPY")


def person(serial: int, **overrides) -> dict:
    """A row with every column filled: passport, both addresses, phone, e-mail, katakana."""
    born = datetime.date(1990 + serial, 2, 18)
    row = dict(importer.EXAMPLE)
    row.update(
        full_name=f"Siti Rahmah {serial}",
        nik=make_nik(born, "F", serial=serial),
        birth_date=born.isoformat(),
        phone=f"08123456{serial:04d}",
        email=f"siti{serial}@example.org",
        passport_number=f"C{serial:07d}",
    )
    row.update(overrides)
    return row


def csv_file(rows: list[dict], columns: list[str]) -> bytes:
    lines = [",".join(columns)] + [",".join(str(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def the_file(historical: bool) -> tuple[bytes, list[str]]:
    rows = [
        person(1),
        person(2, passport_number="", passport_expiry="", name_katakana="", education=""),
        person(3, ktp_street="", domicile_regency="", domicile_rt_rw="", phone="", email=""),
    ]
    if not historical:
        return csv_file(rows, FULL), FULL
    moves = [
        {"status": "working", "departed_on": "2023-03-15", "contract_start": "2023-04-01"},
        {"status": "returned_early", "departed_on": "15/03/2023"},
        {"status": "completed", "departed_on": "2020-01-10", "contract_start": "2020-01-10"},
    ]
    for row, more in zip(rows, moves, strict=True):
        row.update(more, employer="Kaigo Fukushi" if "contract_start" in more else "")
    return csv_file(rows, HISTORICAL), HISTORICAL


def stamped(field: models.Field) -> bool:
    """A column set to the moment of writing, which differs between two imports."""
    return (
        getattr(field, "auto_now_add", False)
        or getattr(field, "auto_now", False)
        or field.default is timezone.now
        or field.name == "history_date"
    )


def snapshot(model, *, by_nik: str = "nik") -> list[dict]:
    """Every row of ``model`` field by field, ids and timestamps left out, a participant named
    by NIK, in NIK order."""
    skipped = {"id", "history_id", "participant"}
    names = [
        f.attname for f in model._meta.concrete_fields if f.name not in skipped and not stamped(f)
    ]
    rows = model.objects.values(*names, owner=models.F(by_nik))
    return sorted(rows, key=lambda row: (row["owner"], str(row)))


def saved_state() -> dict:
    history = Participant.history.model
    return {
        "participants": snapshot(Participant),
        "participant history": snapshot(history),
        "documents": snapshot(Document, by_nik="participant__nik"),
        "document history": snapshot(Document.history.model, by_nik="participant__nik"),
        "moves": snapshot(StatusChange, by_nik="participant__nik"),
        "contracts": snapshot(Contract, by_nik="participant__nik"),
    }


def import_file(content: bytes, *, cohort, by, historical: bool, copy: bool, settings):
    settings.PARTICIPANT_IMPORT_COPY = copy
    result = importer.check_file(io.BytesIO(content), "peserta.csv", historical=historical)
    assert result.ok, [(e.line, e.column, e.message) for e in result.errors]
    assert importer.copies() is copy
    saved = importer.save_rows(result.rows, cohort=cohort, by=by, historical=historical)
    return list(saved)


def forget_everyone() -> None:
    Contract.objects.all().delete()
    Participant.objects.all().delete()
    for model in (Participant, Document, Contract):
        model.history.model.objects.all().delete()


@pytest.mark.parametrize("historical", [False, True], ids=["new", "historical"])
def test_copying_saves_what_the_orm_saves_field_by_field(cohort, hr, settings, historical):
    content, _columns = the_file(historical)
    through_orm = import_file(
        content, cohort=cohort, by=hr, historical=historical, copy=False, settings=settings
    )
    expected = saved_state()
    forget_everyone()
    copied = import_file(
        content, cohort=cohort, by=hr, historical=historical, copy=True, settings=settings
    )
    assert saved_state() == expected
    # What each way returns: the participants in the file's order.
    assert [p.nik for p in copied] == [p.nik for p in through_orm]
    # The snapshot compares more than nothing: the rows are all there, with their history.
    assert len(expected["participants"]) == 3 and len(expected["documents"]) == 2
    created = [h for h in expected["participant history"] if h["history_type"] == "+"]
    assert [h["history_user_id"] for h in created] == [hr.pk] * 3
    assert len(expected["participant history"]) == (6 if historical else 3)
    assert [h["history_user_id"] for h in expected["document history"]] == [hr.pk] * 2
    numbers = [p.participant_number for p in copied]
    assert numbers == [p.participant_number for p in through_orm] and numbers[0].endswith("-001")
    if historical:
        assert len(expected["moves"]) == 7 and len(expected["contracts"]) == 2


def test_the_fields_the_file_does_not_give_get_the_models_defaults(cohort, hr, settings):
    content, _columns = the_file(historical=False)
    import_file(content, cohort=cohort, by=hr, historical=False, copy=True, settings=settings)
    saved = Participant.objects.order_by("nik").first()
    assert (saved.status, saved.culture_ambassador, saved.notes, saved.photo.name) == (
        "applicant",
        True,
        "",
        "",
    )
    assert saved.departed_on is None and saved.anonymised_at is None
    assert abs(timezone.now() - saved.created_at) < datetime.timedelta(minutes=5)
    passport = Document.objects.get(participant=saved)
    assert (passport.review, passport.handled_by, passport.document_type.code) == (
        Document.Review.VERIFIED,
        hr,
        "passport",
    )


class TestANikRegisteredMeanwhile:
    """Someone registers a NIK of the file after it was checked and before it is saved: the
    database's unique NIK refuses the save, and nothing of the file stays."""

    def queue(self, content: bytes, cohort, user) -> Job:
        path = default_storage.save("imports/test.csv", io.BytesIO(content))
        return Job.objects.create(
            kind="participant_import",
            params={"path": path, "name": "test.csv", "cohort": cohort.pk, "historical": False},
            requested_by=user,
        )

    @pytest.mark.parametrize("copy", [True, False], ids=["copied", "orm"])
    def test_the_job_fails_with_a_clear_message_and_saves_nothing(
        self, cohort, hr, settings, monkeypatch, copy
    ):
        settings.PARTICIPANT_IMPORT_COPY = copy
        rows = [person(1), person(2), person(3)]
        job = self.queue(csv_file(rows, FULL), cohort, hr)
        checked = importer.check_file

        def check_then_someone_registers(*args, **kwargs):
            result = checked(*args, **kwargs)
            ParticipantFactory(nik=rows[2]["nik"], full_name="Registered meanwhile")
            return result

        monkeypatch.setattr(importer, "check_file", check_then_someone_registers)
        with translation.override("en"):
            assert participants_import_from_job(job_id=job.pk, storage=default_storage) == 0
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
        assert job.error == (
            "A participant with a NIK of this file was registered while it was being "
            "imported: nothing was imported. Check the file again."
        )
        assert list(Participant.objects.values_list("full_name", flat=True)) == [
            "Registered meanwhile"
        ]
        assert not Document.objects.exists() and not Document.history.model.objects.exists()
        assert Participant.history.model.objects.filter(full_name__startswith="Siti").count() == 0
        # The file stays for another try.
        assert default_storage.exists(job.params["path"])

    def test_the_message_is_in_indonesian(self, cohort, hr, settings):
        result = importer.check_file(io.BytesIO(csv_file([person(1)], FULL)), "peserta.csv")
        ParticipantFactory(nik=person(1)["nik"])
        with translation.override("id"), pytest.raises(ValidationError) as refused:
            importer.save_rows(result.rows, cohort=cohort, by=hr)
        assert refused.value.messages == [
            "Peserta dengan NIK dari berkas ini telah terdaftar saat berkas sedang diimpor: "
            "tidak ada yang diimpor. Periksa berkas lagi."
        ]
        assert Participant.objects.count() == 1
