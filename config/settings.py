"""Settings, all read from the environment here and nowhere else.

Nothing set → the embedded default: SQLite, in-process cache, Celery tasks run eagerly,
local media files. Production sets SANPIN_ENV=production plus DATABASE_URL, REDIS_URL,
DJANGO_SECRET_KEY, ALLOWED_HOSTS and the signing keys (see docs/operations.md).
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SANPIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env("SANPIN_ENV", "development") == "production"
TESTING = env_bool("SANPIN_TESTING") or "PYTEST_VERSION" in os.environ  # pytest sets it at start-up
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION and not TESTING)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "django-insecure-sanpin-development-only"  # noqa: S105 - never used in production

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANIC_CERTIFIER_CODE = env("ORGANIC_CERTIFIER_CODE", "001")  # 中绿华夏 (CNCA-R-2002-001): numbers, 有机码

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_celery_beat",
    "sanpin.core",
    "sanpin.accounts",
    "sanpin.catalog",
    "sanpin.inputs",
    "sanpin.certificates",
    "sanpin.certification",
    "sanpin.notifications",
    "sanpin.subscriptions",
    "sanpin.stats",
    "sanpin.records_import",
    "sanpin.gi",
    "sanpin.gap",
    "sanpin.featured",
    "sanpin.bases",
    "sanpin.credit",
    "sanpin.supervision",
    "sanpin.compliance",
    "sanpin.inspections",
    "sanpin.sampling",
    "sanpin.oversight",
    "sanpin.opendata",
    "sanpin.traceability",
    "sanpin.workforce",
    "sanpin.market",
    "sanpin.promotion",
    "sanpin.knowledge",
    "sanpin.portal",
    "sanpin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The public verification and 合格证 scan answered before the rest (docs/decisions/0044).
    "sanpin.api.public_lookups.PublicLookupMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sanpin.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sanpin.core.middleware.RequestContextMiddleware",
    "sanpin.core.middleware.RejectNulMiddleware",
    "sanpin.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanpin.accounts.context_processors.navigation",
                "sanpin.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanpin.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a management command write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# Connection pooling (docs/scaling.md): DATABASE_POOLER=pgbouncer when DATABASE_URL (and the replica
# URL) point at pgbouncer in transaction mode. A server connection then serves another client after
# each transaction, so nothing may outlive one: no server-side cursors (`.iterator()` would keep a
# portal open), no prepared statements (psycopg prepares a query run often on its connection).
# Django's own SET TIME ZONE is a parameter pgbouncer tracks per client; `SET LOCAL` stays in its
# transaction. Keep Django's persistent connections to pgbouncer (cheap, saves the connect).
DATABASE_POOLER = env("DATABASE_POOLER", "")
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or pgbouncer")


def _pooled(database: dict) -> dict:
    if DATABASE_POOLER == "pgbouncer" and database["ENGINE"] == "django.db.backends.postgresql":
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None
        database["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "600"))
    return database


_pooled(DATABASES["default"])

# Read replica (docs/decisions/0042-read-replica.md): a PostgreSQL streaming replica that public
# lookups and statistics read where the code opts in (sanpin.core.replica). Tests do not create or
# flush it: it mirrors the primary's test database, which reaches it by replication.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL")
    if not env("REDIS_URL"):
        # The markers of changed certificates must be seen by every process: a shared cache.
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs REDIS_URL")
    DATABASES["replica"] = _pooled(dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True))
    # An unreachable replica is noticed in seconds, then the primary is read.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(env("DB_REPLICA_CONNECT_TIMEOUT", "2"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sanpin.core.db_router.ReplicaRouter"]
# Lag that public lookups accept (seconds); a changed certificate reads the primary a little longer.
REPLICA_MAX_LAG = float(env("DATABASE_REPLICA_MAX_LAG", "5"))
# Lag that statistics accept (they count yesterday's and today's rows, not a status at a scan).
REPLICA_STATS_MAX_LAG = float(env("DATABASE_REPLICA_STATS_MAX_LAG", "300"))
# How often each process measures the lag (two tiny queries).
REPLICA_CHECK_SECONDS = float(env("DATABASE_REPLICA_CHECK_SECONDS", "2"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "sanpin.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Auth and security --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not TESTING or env_bool("AXES_ENABLED_IN_TESTS")
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Lock out by the real client address: behind nginx that is X-Real-IP (trusted only when
# SANPIN_BEHIND_PROXY is on, as in production), otherwise REMOTE_ADDR.
BEHIND_PROXY = env_bool("SANPIN_BEHIND_PROXY", PRODUCTION)
AXES_CLIENT_IP_CALLABLE = "sanpin.core.middleware.client_ip_of"
# The lockout answer: the page above for browsers, the API error body under /api/.
AXES_LOCKOUT_CALLABLE = "sanpin.accounts.signin.lockout_response"

OTP_TOTP_ISSUER = "sanpin"
# When on, system administrators without a confirmed authenticator are sent to the TOTP set-up
# page before any other page (sanpin.accounts.middleware). On by default in production only.
SANPIN_REQUIRE_OTP_FOR_ADMINS = env_bool("SANPIN_REQUIRE_OTP_FOR_ADMINS", PRODUCTION)

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Ed25519 keys that sign QR codes: {"key id": "base64 of the 32-byte private key"}; the first
# listed signs, all verify (rotation keeps old codes verifiable).
SIGNING_KEYS = json.loads(env("SANPIN_SIGNING_KEYS", "{}"))
if PRODUCTION and not SIGNING_KEYS:
    raise ImproperlyConfigured("SANPIN_SIGNING_KEYS must be set in production")

# --- I18N ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # private: never served by nginx directly, only through views
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if PRODUCTION
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
if env("S3_BUCKET"):
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "region_name": env("S3_REGION"),
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {"default": _media, "staticfiles": {"BACKEND": _static_backend}}

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sanpin@localhost")

# --- SMS ------------------------------------------------------------------------------------------
# Dotted path of the SMS adapter (`send(phone, text) -> provider id`); the default only logs.
# Webhooks to private, loopback or link-local addresses: allowed only outside production (local receivers).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", not PRODUCTION)
SMS_SENDER = env("SMS_SENDER", "sanpin.notifications.senders.LoggingSmsSender")
# The national traceability platform [001 §6]: certificate events are POSTed here (nothing is sent
# while unset; events wait in the outbox), with `Authorization: Bearer <token>` when a token is set.
TRACEABILITY_ENDPOINT = env("TRACEABILITY_ENDPOINT", "")
TRACEABILITY_TOKEN = env("TRACEABILITY_TOKEN", "")

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sanpin.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sanpin.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"public": env("PUBLIC_API_RATE", "120/minute"), "token": "20/minute"},
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "sanpin API",
    "DESCRIPTION": "三品一标 certification, supervision and public query API. Errors: "
    '{"code", "message", "fields"}; out-of-scope objects answer 404.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CertificateSchemeEnum": "sanpin.certificates.choices.Scheme",
        "AnnouncementKindEnum": "sanpin.certificates.choices.AnnouncementKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Public-endpoint throttles get their own tests; everything else must not trip them.
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"public": "10000/minute", "token": "10000/minute"}
