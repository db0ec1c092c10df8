"""Settings shared by every mode. Everything configurable comes from the environment (django-environ)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

from operations.logs import logging_config as ops_logging_config

from . import operations as ops

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.FileAwareEnv()  # NAME_FILE=/run/secrets/name works for every variable
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(str(BASE_DIR / ".env"))

DJANGO_ENV = env("DJANGO_ENV", default="local")
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------------------------
DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "firm.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_NAME = env("SITE_NAME", default="MapleCase")
# The public base URL of the pages, for links in emails and calendar feed URLs.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "firm.admin_config.MapleAdminConfig",  # django.contrib.admin on firm.admin_site.MapleAdminSite (OTP required)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "firm",
    "notifications",
    "cases",
    "scoring",
    "pathways",
    "questionnaire",
    "integrations",
    "django_prometheus",  # operations: /metrics
    "operations",
]

MIDDLEWARE = [
    "operations.middleware.ProxyClientMiddleware",  # operations: real client address behind Caddy
    "operations.middleware.ProbeMiddleware",  # operations: /healthz /readyz /metrics for internal callers
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # operations
    "operations.requestid.RequestIdMiddleware",  # operations: request id + access log
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "firm.request_guards.RequestGuardMiddleware",  # body size (413), NUL in query, Cache-Control: no-store
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "firm.middleware.RequestContextMiddleware",
    "firm.web.errors.FormAddressMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # operations: last
]

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
# Modes set DATABASES; production requires DATABASE_URL, local falls back to SQLite under var/.
ATOMIC_REQUESTS = False

# --- Auth -------------------------------------------------------------------------------------------------
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire: idle timeout of SESSION_COOKIE_AGE, renewed on activity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "firm.sessions"  # the db store indexed by user, refusing malformed keys (firm.sessions)
CSRF_COOKIE_HTTPONLY = False

# Repeated failed logins lock the account/IP pair out for a while (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"

OTP_TOTP_ISSUER = SITE_NAME

# API tokens (django-rest-knox on firm.AuthToken): hashed, named, expiring; see firm.tokens.
KNOX_TOKEN_MODEL = "firm.AuthToken"
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=12)
API_TOKEN_LIMIT_PER_USER = env.int("API_TOKEN_LIMIT_PER_USER", default=10)
# knox's own migrations create its default token table even when the model is swapped for ours (knox 5.1):
# skip them; `firm.AuthToken` is the token table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTO_REFRESH": False,
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
}

# Pages that email an address anyone can type (login link, password reset): per address and per IP.
ACCOUNT_EMAIL_RATE_PER_ADDRESS = env("ACCOUNT_EMAIL_RATE_PER_ADDRESS", default="3/15m")
ACCOUNT_EMAIL_RATE_PER_IP = env("ACCOUNT_EMAIL_RATE_PER_IP", default="20/h")
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

# --- I18n -------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Toronto")
USE_I18N = True
USE_TZ = True

# --- Static and private files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "private": ops.private_storage(env),  # client documents: disk, or S3-compatible (cases.storage)
}
# Client documents live here, never under a public URL; downloads go through a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every request body is capped before anything reads it (413): JSON and forms, and multipart uploads.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
UPLOAD_REQUEST_MAX_BYTES = env.int(
    "UPLOAD_REQUEST_MAX_BYTES", default=DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024
)
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)
JSON_MAX_ITEMS = env.int("JSON_MAX_ITEMS", default=10_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MapleCase <alerts@maplecase.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- REST framework ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "firm.authentication.ApiKeyAuthentication",
        "firm.authentication.VerifiedSessionAuthentication",
        "firm.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "firm.api.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "firm.api.guards.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "firm.api.guards.SafeFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "firm.api.common.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["firm.authentication.PrincipalRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "principal": env("API_THROTTLE_RATE", default="600/min"),
    },
    "EXCEPTION_HANDLER": "firm.api.common.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MapleCase API",
    "DESCRIPTION": "Case management for Canadian immigration law firms: clients, cases, documents, "
    "CRS scores, Express Entry draws and pathway assessments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs page need a login (and the session's two-factor check), like the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.constants.CaseStatus",
        "DocumentStatusEnum": "cases.constants.DocumentStatus",
        "DocumentKindEnum": "cases.constants.DocumentKind",
        "ClientStatusEnum": "firm.constants.ClientStatus",
        "StaffRoleEnum": "firm.constants.Role",
        "LanguageRoleEnum": "firm.constants.LanguageRole",
        # One enum for every ISO 3166 country field (citizenships, residence, education and work country).
        "CountryEnum": "firm.api.enums.country_choices",
        "ProvinceEnum": "firm.constants.Province",
        "MilestoneKindEnum": "cases.milestone_kinds.MilestoneKind",
        "StatusDocumentKindEnum": "firm.people.StatusDocumentKind",
        "FamilyRelationshipEnum": "firm.people.Relationship",
        "IntakeSubmissionStatusEnum": "integrations.models.IntakeSubmission.Status",
        "WebhookDeliveryStatusEnum": "integrations.models.WebhookDelivery.Status",
    },
}

# --- Content-Security-Policy (django-csp) -------------------------------------------------------------------
# Every page: scripts and styles from this site only, plus inline ones carrying the request's nonce
# (templates use `{{ request.csp_nonce }}`; today only the API docs page has any).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Celery -----------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True  # every task here is idempotent; see reliability notes in docs/operations.md
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # a killed child is not re-run blindly (no message loops)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep every countdown and backoff well below the Redis visibility timeout (1 h) to avoid duplicate runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Clients whose facts changed and whose recompute task was lost (killed worker) are re-enqueued.
CLIENT_REFRESH_SWEEP_AFTER_SECONDS = env.int("CLIENT_REFRESH_SWEEP_AFTER_SECONDS", default=300)
CLIENT_REFRESH_SWEEP_INTERVAL_SECONDS = env.int("CLIENT_REFRESH_SWEEP_INTERVAL_SECONDS", default=120)
# The feed is polled every 5 minutes with a conditional GET (ETag / Last-Modified): an unchanged feed
# costs one 304, so a round reaches the lawyers' digests within minutes of IRCC publishing it.
DRAW_SYNC_INTERVAL_SECONDS = env.int("DRAW_SYNC_INTERVAL_SECONDS", default=300)
# The dashboard warns when the last good sync is older than this (three runs of the default schedule).
DRAW_FEED_STALE_AFTER_MINUTES = env.int("DRAW_FEED_STALE_AFTER_MINUTES", default=15)
CELERY_BEAT_SCHEDULE = {
    "sync-express-entry-draws": {
        "task": "scoring.tasks.draws_sync_task",
        "schedule": timedelta(seconds=DRAW_SYNC_INTERVAL_SECONDS),
    },
    "recompute-due-scores": {
        "task": "scoring.tasks.scores_recompute_due_task",
        "schedule": crontab(minute="15", hour="7"),  # 07:15 UTC, ~02:15 Toronto
    },
    "expire-documents": {
        "task": "cases.tasks.documents_expire_task",
        "schedule": crontab(minute="5", hour="7"),
    },
    "client-reminders": {
        "task": "cases.tasks.client_reminders_task",
        "schedule": crontab(minute="0", hour="13", day_of_week="1"),  # Mondays, ~08:00 Toronto
    },
    "sweep-client-refreshes": {
        "task": "pathways.tasks.clients_refresh_sweep_task",
        "schedule": float(CLIENT_REFRESH_SWEEP_INTERVAL_SECONDS),
    },
    "staff-morning-digest": {
        "task": "cases.tasks.staff_digests_task",
        "schedule": crontab(minute="0", hour="11"),  # every morning, ~06:00-07:00 Toronto
    },
    "status-expiry-reminders": {
        "task": "cases.tasks.status_expiry_reminders_task",
        "schedule": crontab(minute="30", hour="11"),
    },
    "sweep-webhook-outbox": {
        "task": "integrations.tasks.webhooks_sweep_task",
        "schedule": 60.0,
    },
    "deadlines-due-soon-events": {
        "task": "integrations.tasks.deadlines_due_soon_task",
        "schedule": crontab(minute="25", hour="7"),
    },
    "sweep-notification-outbox": {
        "task": "notifications.tasks.notifications_sweep_task",
        "schedule": 120.0,
    },
    "catch-up-lost-draw-flagging": {
        "task": "scoring.tasks.draws_flag_pending_task",
        "schedule": 120.0,
    },
}

# --- Domain ------------------------------------------------------------------------------------------------
IRCC_DRAWS_FEED_URL = env(
    "IRCC_DRAWS_FEED_URL",
    default="https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json",
)
# Draw flagging and the alert outbox (scoring.services.draws / notifications; docs/draws.md).
DRAW_FLAG_MAX_AGE_DAYS = env.int("DRAW_FLAG_MAX_AGE_DAYS", default=30)  # older rounds: flagged on demand only
# A client whose score or eligibility changes is re-flagged against the draws of this many past days.
DRAW_REFLAG_RECENT_DAYS = env.int("DRAW_REFLAG_RECENT_DAYS", default=14)
NOTIFICATION_SWEEP_AFTER_SECONDS = env.int("NOTIFICATION_SWEEP_AFTER_SECONDS", default=600)
NOTIFICATION_STUCK_AFTER_SECONDS = env.int("NOTIFICATION_STUCK_AFTER_SECONDS", default=900)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_RETRY_BACKOFF_MAX = 600  # seconds; well below the broker visibility timeout

# Integrations: signed webhooks out (integrations.services.webhooks; docs/integrations.md).
SITE_BASE_URL = env("SITE_BASE_URL", default="http://127.0.0.1:8000")  # links in emails
INTAKE_SOURCE_THROTTLE_RATE = env("INTAKE_SOURCE_THROTTLE_RATE", default="300/min")  # per sender and source
WEBHOOK_ALLOW_LOCAL = False  # local and test modes allow http(s) to loopback; production never
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=15.0)
WEBHOOK_RETRY_FOR_SECONDS = env.int("WEBHOOK_RETRY_FOR_SECONDS", default=24 * 3600)  # then failed
WEBHOOK_RETRY_BACKOFF_MAX = env.int("WEBHOOK_RETRY_BACKOFF_MAX", default=3 * 3600)  # between attempts
WEBHOOK_COUNTDOWN_MAX = (
    600  # longer waits go through the sweeper, never a countdown near the visibility timeout
)
WEBHOOK_SENDING_LEASE_SECONDS = env.int("WEBHOOK_SENDING_LEASE_SECONDS", default=300)  # > the request timeout
WEBHOOK_DISABLE_AFTER_SECONDS = env.int("WEBHOOK_DISABLE_AFTER_SECONDS", default=24 * 3600)
WEBHOOK_DEADLINE_DAYS = env.int("WEBHOOK_DEADLINE_DAYS", default=7)

# --- Operations (issue 19; docs/operations.md): logs, metrics, scanning, beat ----------------------------
LOG_FORMAT = env("LOG_FORMAT", default="plain")  # production defaults to json
LOGGING = ops_logging_config(fmt=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING too (JSON with request ids)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=0
)  # 1 behind Caddy (docker-compose.yml)  # /metrics wants "Authorization: Bearer <token>"
# Virus scanning of uploads: unix:///run/clamav/clamd.ctl or tcp://clamav:3310; empty turns it off.
CLAMAV_URL = env("CLAMAV_URL", default="")
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=60.0)
# Expected 403s (a client opening another client's case) are answered, not logged as errors with a
# traceback; Django's own messages go through one handler (its default config would print them twice).
LOGGING["filters"]["expected_403"] = {"()": "firm.web.errors.ExpectedForbiddenFilter"}
LOGGING["loggers"]["django"] = {
    "handlers": ["console"],
    "level": env("LOG_LEVEL", default="INFO"),
    "propagate": False,
}
LOGGING["loggers"]["django.request"] = {"filters": ["expected_403"]}
