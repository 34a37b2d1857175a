"""Django settings for Kefu, read from the environment.

Every knob has a safe embedded default (SQLite under ``KEFU_DATA_DIR``, a generated secret key)
except in production mode (``KEFU_PRODUCTION=1``), where the secret key and allowed hosts must be
given. Product knobs that managers change at run time (ring time-out, greeting, priority trunks)
live in the database, not here.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kefu.config.env import (
    ImproperlyConfiguredValue,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    persistent_secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent

try:
    PRODUCTION = env_bool("KEFU_PRODUCTION", False)
    DATA_DIR = Path(env_str("KEFU_DATA_DIR", str(BASE_DIR / "data"))).resolve()
    DEBUG = env_bool("KEFU_DEBUG", not PRODUCTION)

    _secret = env_str("KEFU_SECRET_KEY", "")
    if not _secret:
        if PRODUCTION:
            raise ImproperlyConfigured("KEFU_SECRET_KEY is required when KEFU_PRODUCTION=1")
        _secret = persistent_secret_key(DATA_DIR / "secret_key")
    SECRET_KEY = _secret

    ALLOWED_HOSTS = env_list(
        "KEFU_ALLOWED_HOSTS",
        [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
    )
    if PRODUCTION and not ALLOWED_HOSTS:
        raise ImproperlyConfigured("KEFU_ALLOWED_HOSTS is required when KEFU_PRODUCTION=1")
    CSRF_TRUSTED_ORIGINS = env_list("KEFU_CSRF_TRUSTED_ORIGINS", [])

    _database_url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kefu.sqlite3'}")
    TIME_ZONE = env_str("KEFU_TIME_ZONE", "Asia/Shanghai")
    LANGUAGE_CODE = env_choice("KEFU_LANGUAGE", "zh-hans", {"zh-hans", "en"})

    EMAIL_BACKEND = env_str("KEFU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env_str("KEFU_EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("KEFU_EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("KEFU_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("KEFU_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KEFU_EMAIL_TLS", False)
    DEFAULT_FROM_EMAIL = env_str("KEFU_EMAIL_FROM", "kefu@localhost")

    LOG_LEVEL = env_choice(
        "KEFU_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    )
    # X2: consecutive wrong passwords before an account is frozen.
    KEFU_LOCKOUT_THRESHOLD = env_int("KEFU_LOCKOUT_THRESHOLD", 6, minimum=1, maximum=100)

    # The center's own area code ("010", "0755"): a caller number that arrives without one is
    # matched as a local number of this city (kefu.directory.phones). Empty: matched as given.
    KEFU_PHONE_AREA_CODE = env_str("KEFU_PHONE_AREA_CODE", "")
    if KEFU_PHONE_AREA_CODE and not (
        KEFU_PHONE_AREA_CODE.isdigit()
        and KEFU_PHONE_AREA_CODE.startswith("0")
        and 3 <= len(KEFU_PHONE_AREA_CODE) <= 4
    ):
        raise ImproperlyConfigured("KEFU_PHONE_AREA_CODE must be an area code like 010 or 0755")

    # Serving and database connections (docs/deployment.md). Each server process runs HTTP
    # requests in a fixed pool of KEFU_HTTP_THREADS threads (kefu.serving), and each thread
    # keeps its connection for CONN_MAX_AGE seconds; on PostgreSQL the process takes its
    # connections from a pool instead by default (then CONN_MAX_AGE must stay 0).
    KEFU_HTTP_THREADS = env_int("KEFU_HTTP_THREADS", 10, minimum=1, maximum=256)
    DB_POOL = env_bool("KEFU_DB_POOL", True)
    DB_POOL_SIZE = env_int("KEFU_DB_POOL_SIZE", 10, minimum=1, maximum=500)
    _pooled = DB_POOL and _database_url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}
    DB_CONN_MAX_AGE = env_int(
        "KEFU_DB_CONN_MAX_AGE", 0 if _pooled else 600, minimum=0, maximum=86_400
    )
    DB_CONN_HEALTH_CHECKS = env_bool("KEFU_DB_CONN_HEALTH_CHECKS", True)
    SQLITE_WRITER_QUEUE = env_bool("KEFU_SQLITE_WRITER_QUEUE", True)

    # Survey links in SMS and e-mail messages point here.
    KEFU_BASE_URL = env_str("KEFU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    if not KEFU_BASE_URL.startswith(("http://", "https://")):
        raise ImproperlyConfigured("KEFU_BASE_URL must start with http:// or https://")
    # The SMS gateway (kefu.service.sms): "log" only logs (demo), "http" posts JSON to the URL.
    KEFU_SMS_BACKEND = env_choice("KEFU_SMS_BACKEND", "log", {"log", "http"})
    KEFU_SMS_URL = env_str("KEFU_SMS_URL", "")
    KEFU_SMS_TOKEN = env_str("KEFU_SMS_TOKEN", "")
    KEFU_SMS_SENDER = env_str("KEFU_SMS_SENDER", "")
    KEFU_SMS_TIMEOUT = env_int("KEFU_SMS_TIMEOUT", 10, minimum=1, maximum=300)
    if KEFU_SMS_BACKEND == "http" and not KEFU_SMS_URL.startswith(("http://", "https://")):
        raise ImproperlyConfigured("KEFU_SMS_URL must be an http(s) URL when KEFU_SMS_BACKEND=http")
    # Roll-up refresh, SLA worker and report mailer beside the server (kefu.background);
    # `kefu serve` turns them on. Intervals in seconds.
    KEFU_BACKGROUND_JOBS = env_bool("KEFU_BACKGROUND_JOBS", False)
    KEFU_ROLLUP_INTERVAL = env_int("KEFU_ROLLUP_INTERVAL", 10, minimum=1)
    # Request figures: recomputed right after each change commits (the default without
    # background jobs), or by the jobs' drain of the marked requests every DRAIN_MS
    # milliseconds (docs/reports.md, "Freshness").
    KEFU_REPORTS_LIVE = env_bool("KEFU_REPORTS_LIVE", not KEFU_BACKGROUND_JOBS)
    KEFU_ROLLUP_DRAIN_MS = env_int("KEFU_ROLLUP_DRAIN_MS", 1000, minimum=50, maximum=60_000)
    # Acceptances arriving together are written in one transaction (docs/requests.md).
    KEFU_GROUP_COMMIT = env_bool("KEFU_GROUP_COMMIT", True)
    KEFU_SLA_MAX_NAP = env_int("KEFU_SLA_MAX_NAP", 60, minimum=1)
    KEFU_REPORT_MAIL_INTERVAL = env_int("KEFU_REPORT_MAIL_INTERVAL", 600, minimum=1)
except ImproperlyConfiguredValue as exc:
    raise ImproperlyConfigured(str(exc)) from exc

DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

_db = dj_database_url.parse(
    _database_url, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_HEALTH_CHECKS
)
if _db["ENGINE"] == "django.db.backends.postgresql" and DB_POOL:
    if DB_CONN_MAX_AGE:
        raise ImproperlyConfigured("KEFU_DB_CONN_MAX_AGE needs KEFU_DB_POOL=0 on PostgreSQL")
    _db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": DB_POOL_SIZE, "timeout": 30}}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # half-way with "database is locked"; WAL lets readers go on while one writes. Kefu's
    # backend queues writers before BEGIN instead of letting SQLite's busy handler sleep-poll
    # (kefu.core.db.writer_queue); the timeout bounds both waits.
    if SQLITE_WRITER_QUEUE:
        _db["ENGINE"] = "kefu.core.db.sqlite"
        # The in-memory test database, as with Django's backend (pytest-django tells it by the
        # ENGINE name, which is no longer Django's).
        _db.setdefault("TEST", {}).setdefault("NAME", ":memory:")
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "channels",
    "ninja",
    "kefu.core",
    "kefu.accounts",
    "kefu.directory",
    "kefu.numbering",
    "kefu.search",
    "kefu.knowledge",
    "kefu.service",
    "kefu.sla",
    "kefu.reports",
    "kefu.telephony",
    "kefu.desk",
    "kefu.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kefu.core.middleware.ChosenLanguageOnlyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefu.core.middleware.UserLanguageMiddleware",
    "kefu.accounts.middleware.AccountKindMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kefu.urls"
ASGI_APPLICATION = "kefu.asgi.application"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kefu.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kefu.accounts.backends.LockoutAwareBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The project catalogue, then those of packages that are not Django apps (an app's own
# locale/ directory is found through INSTALLED_APPS). scripts/messages updates them all.
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    PACKAGE_DIR / "stats" / "locale",
    PACKAGE_DIR / "switch" / "locale",
]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Calling customers back from service requests goes through the running switch
# (kefu.telephony.dialer; the seam is kefu.service.telephony).
KEFU_CALLBACK_DIALER = "kefu.telephony.dialer.SwitchDialer"
