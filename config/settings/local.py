"""The embedded local mode: SQLite under var/, Celery tasks run in-process, email to files under var/mail.

Used when DJANGO_ENV is unset or `local`. Anything set in the environment (DATABASE_URL,
CELERY_BROKER_URL, EMAIL_URL) still wins, so the same mode can run against PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import sys

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, env

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here once collected
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production-7f3a9c")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("OPTIONS", {})

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL  # explicit local mode, announced below

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

if os.environ.get("MAPLECASE_BANNER_SHOWN") != "1" and "test" not in sys.argv[1:2]:
    os.environ["MAPLECASE_BANNER_SHOWN"] = "1"
    _db = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    _tasks = "in-process (eager)" if CELERY_TASK_ALWAYS_EAGER else f"broker {CELERY_BROKER_URL}"
    sys.stderr.write(
        f"[maplecase] embedded local mode: database={_db}, celery tasks {_tasks}, "
        f"email={'files under var/mail' if not env.str('EMAIL_URL', default='') else 'EMAIL_URL'}. "
        "Not for production (set DJANGO_ENV=production).\n"
    )
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=True)  # http(s) to 127.0.0.1 for development
