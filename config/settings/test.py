"""Settings for the test suite. DATABASE_URL / CELERY_BROKER_URL point tests at the real services."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, env

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here once collected
DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

# Tasks run in-process unless a test starts a real worker (tests/celery_worker.py does that explicitly).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)  # CELERY_EAGER=0: a real worker test

if env.str("EMAIL_URL", default=""):  # a real SMTP server (tests that are about sending)
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"principal": "100000/min"}}  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_403": {"()": "firm.web.errors.ExpectedForbiddenFilter"}},
    "root": {"level": "WARNING"},
    "loggers": {"django.request": {"filters": ["expected_403"]}},
}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=True)  # http(s) to 127.0.0.1 for development
