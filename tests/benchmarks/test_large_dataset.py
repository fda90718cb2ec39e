"""The benchmarks' data set, built at a tiny scale in the test database: the seeder writes
raw SQL, so a new required column in a model breaks it, and only a build shows that."""

import pytest
from django.db import connection

from benchmarks.config import Scale
from benchmarks.large_dataset import SLUG, build
from cohorts.models import Cohort
from participants.models import Contract, Document, Participant, StatusChange
from tests.conftest import require
from training.models import Attendance

pytestmark = pytest.mark.django_db

TINY = Scale("tiny", programmes=2, batches=3, per_batch=4, sessions=2, database="")


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: the data set is copied in with COPY")


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_the_data_set_is_built_whole_with_its_indexes_put_back():
    indexes = {t: index_names(t) for t in ("participants_participant", "participants_document")}
    program = build(TINY)
    people = Participant.objects.filter(cohort__program__slug__startswith=SLUG)
    assert people.count() == TINY.participants == 24
    assert Attendance.objects.filter(participant__in=people).count() == TINY.attendance == 48
    # The last batch of each programme is still in training; the others departed and work.
    working = people.filter(status="working")
    assert working.count() == 16
    assert Cohort.objects.filter(program__slug__startswith=SLUG).count() == 6
    assert StatusChange.objects.filter(participant__in=working, to_status="departed").count() == 16
    assert Contract.objects.filter(participant__in=working).count() == 16
    # Passport, KTP and medical for everyone, a visa for those working; all verified.
    documents = Document.objects.filter(participant__in=people)
    assert documents.count() == 24 * 3 + 16
    assert set(documents.values_list("review", flat=True)) == {"verified"}
    assert len(set(people.values_list("nik", flat=True))) == 24
    for table, names in indexes.items():
        assert index_names(table) == names
    # Built once: a second call finds it and adds nothing.
    assert build(TINY) == program
    assert people.count() == 24
