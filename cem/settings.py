"""OpenCEM settings: one module, every knob read from the environment through one `env`.

Defaults give the embedded first run (SQLite under var/, a filesystem Celery broker);
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis. With DEBUG off the process
refuses to start without a real SECRET_KEY.
"""

import secrets
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-insecure-opencem-only-for-debug"  # noqa: S105 (refused when DEBUG is off)
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
#: manage.py commands that never serve a request nor sign anything that outlives them: with
#: DEBUG off they run without a SECRET_KEY, on a throwaway random key (CI checks migrations, a
#: build compiles messages). Decided from the command line, never from the environment, so no
#: variable can switch the refusal off for a server.
OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages",
                    "compilemessages", "collectstatic", "help", "version", "--help", "-h",
                    "--version"}
if (not DEBUG and not SECRET_KEY and Path(sys.argv[0]).name == "manage.py"
        and (sys.argv[1] if len(sys.argv) > 1 else "help") in OFFLINE_COMMANDS):
    SECRET_KEY = secrets.token_urlsafe(50)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off "
        "(for a local trial run set DEBUG=1, as `make run` does)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cem",
    "journeys",
    "voice",
    "metrics",
    "improvement",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cem.middleware.SessionCookieGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cem.middleware.TenancyMiddleware",
    "cem.api.body.ApiBodyLimitMiddleware",
]

ROOT_URLCONF = "cem.urls"
WSGI_APPLICATION = "cem.wsgi.application"

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
                "cem.context_processors.tenancy",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'opencem.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # NOTE: WAL + IMMEDIATE transactions + a busy timeout let web and worker write side by
    # side on the embedded default without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-opencem.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "opencem"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    for _sub in ("queue", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # NOTE: a redelivered message after a lost worker must come back quickly; the pending
    # sweep covers anything the broker drops entirely.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "UTC"
# NOTE: beat jobs are `fanout_task`s that only enqueue per-organization `org_task`s.
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-feedback": {"task": "voice.sweep_pending_feedback",
                               "schedule": env.float("PENDING_SWEEP_INTERVAL_SECONDS", default=60.0)},
    "purge-idempotency-records": {"task": "voice.purge_idempotency_records", "schedule": 3600.0},
    "purge-import-files": {"task": "voice.purge_import_files", "schedule": 86400.0},
    "discover-topics-weekly": {"task": "voice.discover_topics_all", "schedule": 7 * 86400.0},
    "refresh-keywords-hourly": {"task": "voice.refresh_keywords_all", "schedule": 3600.0},
    "evaluate-metric-rules": {"task": "improvement.evaluate_metric_rules_all", "schedule": 300.0},
    "check-overdue-tickets": {"task": "improvement.check_overdue_tickets_all", "schedule": 300.0},
    "sweep-metric-rollups": {"task": "metrics.sweep_rollups",
                             "schedule": env.float("ROLLUP_SWEEP_INTERVAL_SECONDS", default=60.0)},
}

# --- Auth --------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- I18N --------------------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
#: One catalogue per part (bin/messages <part>), so apps never edit each other's translations.
LOCALE_PARTS = ("core", "journeys", "voice", "metrics", "improvement", "dashboard")
LOCALE_PATHS = [BASE_DIR / "locale" / part for part in LOCALE_PARTS]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
#: Uploaded import files are deleted this many days after their job finished (reports stay).
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)
# NOTE: without `collectstatic` (tests, first run) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)

# --- Security (production mode when DEBUG is off) -----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API ----------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cem.api.authentication.ApiKeyAuthentication",
        "cem.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cem.api.permissions.HasOrgScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cem.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["cem.api.parsers.StrictJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": ["cem.api.throttling.PrincipalRateThrottle"],
    # NOTE: how many reverse proxies append to X-Forwarded-For; unset, the header is ignored
    # for per-client limits (a client could forge it).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=None),
}
API_MAX_BODY_BYTES = 5 * 1024 * 1024
API_MAX_BATCH_ITEMS = 1000
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenCEM API",
    "DESCRIPTION": "Partner API v1 of OpenCEM. Authenticate with `Authorization: Api-Key <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
API_KEY_LAST_USED_RESOLUTION_SECONDS = 60

# --- Email (survey invitations; sent by the worker) -------------------------------------------
#: EMAIL_URL like smtp+tls://user:password@smtp.example.com:587; the dev default prints mails.
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpenCEM <noreply@localhost>")

# --- Product settings --------------------------------------------------------------------------
#: Partner API rate limit per key (DRF rate syntax: "N/second|minute|hour|day").
API_KEY_RATE_LIMIT = env.str("API_KEY_RATE_LIMIT", default="6000/min")
#: Public survey submissions per client IP.
SURVEY_RATE_LIMIT = env.str("SURVEY_RATE_LIMIT", default="30/min")
#: Feedback still `pending` after this many seconds is re-enqueued by the sweep.
PENDING_SWEEP_AFTER_SECONDS = env.int("PENDING_SWEEP_AFTER_SECONDS", default=120)
#: Stored feedback is handed to the broker by a thread of the process, so no request waits on
#: the broker (voice.services.publisher); off: published inside the request, after commit.
ANALYSIS_PUBLISH_FROM_THREAD = env.bool("ANALYSIS_PUBLISH_FROM_THREAD", default=True)
IDEMPOTENCY_TTL_HOURS = 24
MODEL_CACHE_DIR = env.path("MODEL_CACHE_DIR", default=VAR_DIR / "models")
DEMO_PASSWORD = "opencem-demo"  # noqa: S105 (documented demo login, seeded only by seed_demo)

# --- Closed loop (improvement): links in notifications, webhooks, alert rules, effect check -----
#: Scheme and host put in front of links in mails and webhooks, e.g. https://cem.example.com
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
#: Networks webhooks may reach besides public addresses (CIDRs, e.g. an intranet robot relay).
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
#: Allow plain http to public hosts (https is required otherwise).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600.0)
#: Feedback that occurred longer ago than this (historical imports) never fires alert rules.
ALERT_LOOKBACK_HOURS = env.int("ALERT_LOOKBACK_HOURS", default=72)
#: Length of each of the two windows compared by the effect check of a resolved ticket.
EFFECT_WINDOW_DAYS = env.int("EFFECT_WINDOW_DAYS", default=7)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpenCEM <noreply@opencem.local>")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
                        if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
