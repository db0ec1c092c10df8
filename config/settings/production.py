"""Production: no defaults for secrets or the database; refuses to start without them."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, ops, ops_logging_config

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names.")
# Links in emails sent outside a request (the worker): the site's public address, https by default.
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

DATABASES = {"default": env.db("DATABASE_URL")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Production runs on PostgreSQL: DATABASE_URL must be postgres://...")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False

# A shared cache, so API throttling and axes counters hold across gunicorn workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=CELERY_BROKER_URL.rsplit("/", 1)[0] + "/1"),
        "TIMEOUT": 300,
    }
}

# --- Operations (issue 19; docs/operations.md) ------------------------------------------------------------
vars().update(ops.email_settings(env))  # EMAIL_PROVIDER=smtp (EMAIL_URL) or an anymail provider
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = ops_logging_config(fmt=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
SENTRY_ENABLED = ops.init_sentry(env)  # off unless SENTRY_DSN is set
# Exactly one beat: celery-redbeat keeps the schedule in Redis and holds a lock there; a second beat
# waits for the lock instead of running every periodic task twice.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = env("REDBEAT_REDIS_URL", default=CELERY_BROKER_URL)
CELERY_REDBEAT_KEY_PREFIX = env("REDBEAT_KEY_PREFIX", default="maplecase:redbeat")
CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("BEAT_MAX_LOOP_INTERVAL", default=30)
CELERY_REDBEAT_LOCK_TIMEOUT = 150  # a dead beat's lock expires after this; a standby beat then takes over

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
WEBHOOK_ALLOW_LOCAL = False  # outbound webhooks: public https addresses only (integrations/ssrf.py)
