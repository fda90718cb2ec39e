"""The demo the browser tests share (tests/demo.py) comes back exactly as it was seeded."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from cohorts.models import Partner
from tests.conftest import require
from tests.demo import _tables, load_demo


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_demo_copied_back_is_the_demo_as_seeded(tmp_path_factory, client):
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: the demo is seeded afresh each time there")
    base = tmp_path_factory.getbasetemp()
    load_demo(base)
    seeded = row_counts()
    call_command("flush", "--no-input", verbosity=0)  # what ends a transactional test
    assert row_counts()["participants_participant"] == 0
    load_demo(base)
    assert row_counts() == seeded
    assert seeded["participants_participant"] > 60
    hr = get_user_model().objects.get(username="hr")
    assert hr.check_password("demo-password")
    client.force_login(hr)
    assert client.get("/participants/").status_code == 200
    # Each sequence follows the copied ids: a new row gets a free one.
    Partner.objects.create(name="Mitra Baru", country="JP")
