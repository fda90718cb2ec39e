import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "delegation.example.org",
    "SECRET_KEY": "x" * 20 + "-production-test-key-0123456789-abcdefg",
    "DATABASE_URL": "",
    "REDIS_URL": "",
    "EMAIL_URL": "consolemail://",
}


def manage(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **extra_env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": ""})
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL must be set when DEBUG is off" in result.stderr


def test_production_sends_mail_through_the_server_it_is_given():
    smtp = {**PRODUCTION, "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.go.id:587"}
    assert _setting_values("EMAIL_BACKEND EMAIL_HOST EMAIL_PORT", **smtp) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.go.id",
        "587",
    ]


def test_development_prints_mail_to_the_console_without_a_setting():
    assert _setting_values("EMAIL_BACKEND", DEBUG="1", EMAIL_URL="") == [
        "django.core.mail.backends.console.EmailBackend"
    ]


def test_junk_in_the_environment_stops_the_process_with_its_name():
    result = manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not valid" in result.stderr


def test_the_city_speaks_indonesian_first_in_its_own_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert settings.USE_TZ is True
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True


def test_sessions_last_twelve_hours_at_most_and_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_MAX_AGE.total_seconds() == 12 * 3600
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60


def _setting_values(names: str, **extra_env: str) -> list[str]:
    code = "from django.conf import settings; print(*(getattr(settings, n) for n in %r.split()))"
    code = code % names
    result = manage("shell", "--no-imports", "-c", code, **extra_env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_requires_the_second_factor_and_secure_transport():
    names = (
        "TWO_FACTOR_REQUIRED SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SECURE_SSL_REDIRECT "
        "SECURE_HSTS_SECONDS SECURE_REFERRER_POLICY"
    )
    assert _setting_values(names, **PRODUCTION) == [
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "same-origin",
    ]


def test_the_second_factor_can_be_switched_off_and_is_off_in_development():
    assert _setting_values("TWO_FACTOR_REQUIRED", **PRODUCTION, TWO_FACTOR_REQUIRED="0") == [
        "False"
    ]
    assert _setting_values("TWO_FACTOR_REQUIRED", DEBUG="1") == ["False"]


def test_sign_in_is_locked_by_username_and_address_together_after_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
