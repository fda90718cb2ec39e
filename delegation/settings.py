"""Settings for the delegation-cohort manager, read from the environment in one place.

Development defaults are safe for a laptop: DEBUG on, SQLite under ``var/``, tasks run
in-process. Production sets ``DEBUG=0`` and must then give ``SECRET_KEY``, ``ALLOWED_HOSTS``
and ``EMAIL_URL``; every security setting follows from DEBUG being off.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from delegation import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env.get_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-secret-key-not-for-production-use-0123456789"
SECRET_KEY = env.get_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else env._missing)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_results",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "delegation",
    "cohorts",
    "participants",
    "training",
    "welfare",
    "recruitment",
    "portal",
    "office",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "delegation.middleware.LanguageMiddleware",
    "delegation.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "delegation.middleware.PrivateResponseMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "delegation.middleware.SessionTimeoutMiddleware",
    "delegation.middleware.LoginRequiredMiddleware",
    "delegation.middleware.PortalBoundaryMiddleware",
    "delegation.twofactor.TwoFactorMiddleware",
    "office.reminders.middleware.DailyRemindersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "delegation.urls"
WSGI_APPLICATION = "delegation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "delegation.context_processors.navigation",
                "delegation.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {"default": env.get_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    # Covering indexes carry extra columns on PostgreSQL; SQLite keeps their key columns only.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for the dashboard's and reports' figures (delegation/replica.py); tests
# read the primary through it (a mirror).
if env.get_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **env.get_database("DATABASE_REPLICA_URL", ""),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["delegation.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, with a user's permissions and roles read in one query.
    "delegation.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions end 12 hours after sign-in and after 30 minutes without a request
# (delegation.middleware.SessionTimeoutMiddleware enforces both).
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_MAX_AGE = timedelta(hours=12)
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)

# Languages: Indonesian first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# The user guide's screenshots (docs/panduan/img/) are served as static/panduan/.
STATICFILES_DIRS = [BASE_DIR / "static", ("panduan", BASE_DIR / "docs" / "panduan" / "img")]
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks here even in development
# Uploaded files are private: nothing serves MEDIA_ROOT directly, downloads go through
# permission-checked views.
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# MEDIA_STORAGE=s3 keeps the private files on S3-compatible storage shared by several web and
# worker hosts (django-storages): a private bucket, files never overwritten, downloads still
# through the permission-checked views. See docs/scaling.md.
MEDIA_STORAGE = env.get_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.get_str("S3_BUCKET"),
            "endpoint_url": env.get_str("S3_ENDPOINT_URL", None),
            "region_name": env.get_str("S3_REGION", None),
            "access_key": env.get_str("S3_ACCESS_KEY_ID", None),
            "secret_key": env.get_str("S3_SECRET_ACCESS_KEY", None),
            "location": env.get_str("S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": env.get_str("S3_ADDRESSING_STYLE", None),
        },
    }
else:
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE={MEDIA_STORAGE!r} is not valid: expected filesystem or s3."
    )
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# In development e-mails are printed to the console. Production must name a mail server:
# without one, password-reset links would end up in the log instead of the user's inbox.
if not DEBUG and not env.get_str("EMAIL_URL", ""):
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off, e.g. smtp+tls://user:password@host:587 "
        "(consolemail:// prints e-mails, password-reset links included, to the log)."
    )
_email = env.get_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: everything below follows from DEBUG being off, behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: only the site's own files. No inline scripts or styles anywhere
# (htmx's indicator style is switched off in base.html); Bootstrap's form controls draw
# their arrows and ticks with data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Sign-in throttling (django-axes): five failures for one username from one address lock
# that pair for 15 minutes. Never by address alone: a whole office shares one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "delegation.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "delegation.network.client_ip"
AXES_VERBOSE = False  # its log lines would carry usernames and addresses at INFO
# ... and they name the request by its page, not its path (a link's path holds its token).
AXES_CLIENT_STR_CALLABLE = "delegation.signin.client_str"
# How many reverse proxies in front of the web process add to X-Forwarded-For; 0 means
# the web process faces the clients and REMOTE_ADDR is the address.
TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Two-factor sign-in (TOTP with recovery codes) for administrators and HR staff, who see
# personal data: required whenever DEBUG is off, unless switched off explicitly.
TWO_FACTOR_REQUIRED = env.get_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env.get_str("OTP_TOTP_ISSUER", "Delegation")

# A working participant without a check-in for this many days is overdue.
CHECKIN_OVERDUE_DAYS = env.get_int("CHECKIN_OVERDUE_DAYS", 90, minimum=1)
# A critical welfare case its owner has not acknowledged within this many hours goes to HR
# staff and leadership.
WELFARE_ACKNOWLEDGE_HOURS = env.get_int("WELFARE_ACKNOWLEDGE_HOURS", 2, minimum=1)
# Retention (UU 27/2022 keeps data only as long as its purpose needs; see docs/privacy.md).
# Five years after the last contract ended covers the programme's follow-up, the sponsor's
# claims and the city's audit cycle; an applicant never sent abroad is kept 24 months after
# the last change to their record, long enough to reconsider them for the next intake.
RETENTION_YEARS_AFTER_CONTRACT = env.get_int("RETENTION_YEARS_AFTER_CONTRACT", 5, minimum=1)
RETENTION_MONTHS_UNPLACED = env.get_int("RETENTION_MONTHS_UNPLACED", 24, minimum=1)
# An application that did not make its applicant a participant (not selected, reserve never
# called, ineligible, or a cancelled call) is anonymised this many months after its call was
# decided or cancelled (docs/privacy.md).
RETENTION_MONTHS_APPLICATIONS = env.get_int("RETENTION_MONTHS_APPLICATIONS", 24, minimum=1)
# A portal draft never sent is deleted, with its uploads, this many months after its last
# change (docs/privacy.md).
RETENTION_MONTHS_DRAFTS = env.get_int("RETENTION_MONTHS_DRAFTS", 6, minimum=1)

REDIS_URL = env.get_redis_url("REDIS_URL")
# Put before every key the broker and the cache keep in Redis, so that several installations
# (or parallel test processes) can share one Redis database without reading each other's keys.
REDIS_KEY_PREFIX = env.get_str("REDIS_KEY_PREFIX", "")
# The cache (rate limits, the footer's name, dashboard figures, list anchors, job progress) is
# shared through Redis when there is one; while Redis does not answer, each process keeps its
# own in memory (delegation.cache), so pages still render.
CACHES = {
    "default": (
        {
            "BACKEND": "delegation.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{REDIS_KEY_PREFIX}cache",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: Redis as the broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_TASK_HARD_TIME_LIMIT = env.get_int("CELERY_TASK_HARD_TIME_LIMIT", 15 * 60, minimum=120)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
# Without a broker no beat runs: the first signed-in visit of the day sends the reminders.
REMINDERS_ON_FIRST_VISIT = env.get_bool("REMINDERS_ON_FIRST_VISIT", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = CELERY_TASK_HARD_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_HARD_TIME_LIMIT - 60
# A message not acknowledged within this time is delivered again: longer than any job.
CELERY_VISIBILITY_TIMEOUT = env.get_int(
    "CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_HARD_TIME_LIMIT * 2, minimum=1
)


def broker_transport_options(visibility_timeout: int) -> dict[str, int]:
    """A worker looks for the messages of a worker that died every interval × throttle
    seconds: 10 × 10 by default, and within the visibility timeout when that is shorter (the
    tests of a killed worker set it to a few seconds)."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": min(10, visibility_timeout),
        "unacked_restore_throttle": 10 if visibility_timeout >= 100 else 1,
    }


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_VISIBILITY_TIMEOUT)
if REDIS_KEY_PREFIX:
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = REDIS_KEY_PREFIX
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    name: {"queue": "documents"}
    for name in ("delegation.render_document", "delegation.render_certificate_part")
}
# The schedule lives in the database (editable in the admin); the entries below are created
# there when beat starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by `celery beat` (in the city's time zone).
CELERY_BEAT_SCHEDULE = {
    "contracts-daily": {
        "task": "participants.contracts_daily",
        "schedule": crontab(hour=1, minute=0),
    },
    "reminders-daily": {
        "task": "delegation.send_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "anonymise-participants-daily": {
        "task": "delegation.anonymise_participants",
        "schedule": crontab(hour=2, minute=30),
    },
    "clear-expired-sessions-daily": {
        "task": "delegation.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=45),
    },
    "discard-stale-imports-daily": {
        "task": "participants.discard_stale_imports",
        "schedule": crontab(hour=3, minute=0),
    },
    "recount-participants-daily": {
        "task": "participants.recount_participants",
        "schedule": crontab(hour=3, minute=15),
    },
    "welfare-escalate-cases": {
        "task": "welfare.escalate_cases",
        "schedule": crontab(minute="*/10"),
    },
    "welfare-daily": {
        "task": "welfare.daily",
        "schedule": crontab(hour=6, minute=15),
    },
    "requeue-stale-jobs": {
        "task": "delegation.requeue_stale_jobs",
        "schedule": crontab(minute="*/10"),
    },
}
# The dashboard's figures are kept this many seconds per set of rights (permissions and
# assignments), filters and language (0: not kept); the page says when they were counted.
DASHBOARD_CACHE_SECONDS = env.get_int("DASHBOARD_CACHE_SECONDS", 60, minimum=0)
# On PostgreSQL an import's checked rows are saved with COPY and set-based INSERTs
# (participants.import_copy); off, they go through the ORM in batches, as on SQLite.
PARTICIPANT_IMPORT_COPY = env.get_bool("PARTICIPANT_IMPORT_COPY", True)
# Searches that look like a NIK (six digits or more) one user may make in a minute; each is
# written to the audit log.
NIK_SEARCH_LIMIT = env.get_int("NIK_SEARCH_LIMIT", 30, minimum=1)
# Public address of the site, printed in the certificates' QR codes.
SITE_URL = env.get_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Logs go to stdout, one line per event. Nothing logs request bodies or query strings.
LOG_LEVEL = env.get_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # runserver's request lines carry query strings; production uses gunicorn's log.
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports each layout step at INFO; keep its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# A printed list longer than this many rows is laid out in parts of about this size, each
# freed once written, so a 5,000-row roster never holds all its pages in memory at once.
PRINT_PART_ROWS = 300
