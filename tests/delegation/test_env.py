import pytest
from django.core.exceptions import ImproperlyConfigured

from delegation import env


@pytest.mark.parametrize("value", ["yes please", "2", "truthy", "null"])
def test_it_rejects_a_boolean_it_cannot_read(value):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.get_bool("DEBUG", False, environ_={"DEBUG": value})


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), (" TRUE ", True)])
def test_it_reads_the_usual_spellings_of_a_boolean(value, expected):
    assert env.get_bool("DEBUG", not expected, environ_={"DEBUG": value}) is expected


def test_an_unset_or_empty_variable_takes_the_default():
    assert env.get_bool("DEBUG", True, environ_={}) is True
    assert env.get_int("PORT", 8000, environ_={"PORT": "  "}) == 8000


@pytest.mark.parametrize("value", ["ten", "3.5", "1e3"])
def test_it_rejects_a_number_it_cannot_read(value):
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.get_int("CONN_MAX_AGE", 60, environ_={"CONN_MAX_AGE": value})


def test_it_rejects_a_number_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.get_int("CONN_MAX_AGE", 60, minimum=0, environ_={"CONN_MAX_AGE": "-1"})


def test_it_rejects_a_list_with_an_empty_item():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env.get_list("ALLOWED_HOSTS", [], environ_={"ALLOWED_HOSTS": "a.example,,b.example"})


def test_it_reads_a_list():
    hosts = env.get_list("ALLOWED_HOSTS", [], environ_={"ALLOWED_HOSTS": "a.example, b.example"})
    assert hosts == ["a.example", "b.example"]


def test_a_required_string_must_be_set():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env.get_str("SECRET_KEY", environ_={})


@pytest.mark.parametrize(
    "value", ["mysql://root@localhost/db", "localhost:5432", "postgres://localhost:5432"]
)
def test_it_rejects_a_database_url_it_cannot_use(value):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.get_database("DATABASE_URL", "sqlite:///x", environ_={"DATABASE_URL": value})


def test_it_reads_a_postgres_url():
    config = env.get_database(
        "DATABASE_URL",
        "sqlite:///x",
        environ_={"DATABASE_URL": "postgres://app:secret@db:5432/delegation"},
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("delegation", "db", 5432)


@pytest.mark.parametrize("value", ["localhost:6379", "http://redis:6379", "redis://"])
def test_it_rejects_a_redis_url_it_cannot_use(value):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.get_redis_url("REDIS_URL", environ_={"REDIS_URL": value})


def test_no_redis_url_means_no_broker():
    assert env.get_redis_url("REDIS_URL", environ_={"REDIS_URL": ""}) is None


def test_it_rejects_an_email_url_it_cannot_use():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.get_email("EMAIL_URL", "consolemail://", environ_={"EMAIL_URL": "pigeon://coop"})
