"""Django settings for Podium, read from `PODIUM_*` environment variables.

Everything has a working default: a laptop needs no configuration at all.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from podium.config import data_dir, env_bool, env_int, env_list, env_str, secret_key
from podium.mailing.email_url import parse_email_url

DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("PODIUM_DEBUG", False)
# Behind HTTPS (directly or through a proxy): secure cookies, HSTS, redirects.
HTTPS = env_bool("PODIUM_HTTPS", False)
ALLOWED_HOSTS = env_list("PODIUM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PODIUM_CSRF_TRUSTED_ORIGINS", [])
# The public address of the site, used in feeds, emails and the static export.
BASE_URL = env_str("PODIUM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Qualifies every calendar UID (default: BASE_URL's host). Never change it once published.
PODIUM_UID_DOMAIN = env_str("PODIUM_UID_DOMAIN", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "podium.seminars",
    "podium.export",
    "podium.feeds",
    "podium.importers",
    "podium.mailing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "podium.urls"
WSGI_APPLICATION = "podium.wsgi.application"

TEMPLATES = [
    # Public pages: Jinja2 templates in each app's jinja2/ folder (fast enough for the export).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "podium.jinja.environment",
            "context_processors": ["podium.seminars.context.site"],
            "autoescape": True,
            "auto_reload": DEBUG,
            "keep_trailing_newline": True,
        },
    },
    # The organizers' side (Django admin and its pages): Django templates. Podium's own
    # versions of Django's templates (podium/templates/) come before the apps'.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "podium.seminars.context.site",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "podium.sqlite3"
if env_str("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Keep each worker's connection: opening one (and its PRAGMAs) per request
            # would cost more than most pages.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock up front, so concurrent writers wait
                # (busy timeout) instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                # Reads through a memory map of the file (up to 256 MB) rather than a read
                # call and a copy a page: 20,000 fewer calls in an export of 10,000 talks.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA mmap_size=268435456;"
                ),
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"}
            if env_bool("PODIUM_TEST_SQLITE_FILE", False)
            else {},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "organize:login"

# Login rate limit: five failures lock that username from that address for an hour.
AXES_FAILURE_LIMIT = env_int("PODIUM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "seminars/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PODIUM_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# `podium demo` and `podium serve` collect static files (hashed names) before serving.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": env_str("PODIUM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "podium",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Content Security Policy: our own scripts, styles and images only; no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("PODIUM_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("PODIUM_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PODIUM_HSTS_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS: list[str] = []
if HTTPS and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # Subdomains belong to the host's owner, not to Podium; opting them in is their call.
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if HTTPS:
    # Preloading is a one-way commitment the host makes on hstspreload.org, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Two extra zones shown next to UTC when an organizer types a talk's time.
PODIUM_PREVIEW_ZONES = env_list("PODIUM_PREVIEW_ZONES", ["America/New_York", "Asia/Tokyo"])
PODIUM_SITE_NAME = env_str("PODIUM_SITE_NAME", "Podium")
# The static export: a live server forms may post to, and what becomes of forms (docs/export.md).
PODIUM_LIVE_URL = env_str("PODIUM_LIVE_URL", "")
PODIUM_EXPORT_FORMS = env_str("PODIUM_EXPORT_FORMS", "")
# Public pages are cached per series revision, and rebuilt at least this often so talks
# move from “upcoming” to “past” on time; 0 turns the cache off.
PODIUM_PAGE_CACHE_SECONDS = env_int("PODIUM_PAGE_CACHE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PODIUM_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# A URL typed without a scheme means https (Django 6's default, chosen now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Mail: every message goes through the outbox; the worker delivers it to PODIUM_EMAIL_URL
# (podium: keeps it in Podium's own mailbox at /organize/). See docs/mailing.md.
PODIUM_EMAIL = parse_email_url(env_str("PODIUM_EMAIL_URL", "podium:"))
PODIUM_MAIL_FROM = env_str("PODIUM_MAIL_FROM", "podium@localhost")
DEFAULT_FROM_EMAIL = PODIUM_MAIL_FROM
SERVER_EMAIL = PODIUM_MAIL_FROM
EMAIL_BACKEND = "podium.mailing.backends.OutboxBackend"
# Delivery: parallel SMTP connections, messages claimed per batch, and how long a claimed
# row may stay "sending" before another worker retries it (after a crash).
PODIUM_MAIL_CONNECTIONS = env_int("PODIUM_MAIL_CONNECTIONS", 2)
PODIUM_MAIL_BATCH = env_int("PODIUM_MAIL_BATCH", 100)
PODIUM_MAIL_LEASE_SECONDS = env_int("PODIUM_MAIL_LEASE_SECONDS", 600)
