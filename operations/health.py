"""`/healthz`: the process answers (no database, so a database outage does not restart every web
container). `/readyz`: the database, the broker and the document storage are reachable (503 otherwise),
for the proxy and orchestrators to stop sending traffic to an instance that cannot serve it."""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases.storage import probe_private_storage

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not url or url.startswith("memory://"):
        return "not used (tasks run in-process)"
    from kombu import Connection

    with Connection(url, connect_timeout=2, transport_options={"socket_timeout": 2}) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_storage() -> str:
    return probe_private_storage()


def check_scanner() -> str:
    if not getattr(settings, "CLAMAV_URL", ""):
        return "not used"
    from cases.clamav import ClamdClient

    ClamdClient.from_url(settings.CLAMAV_URL, timeout=2).ping()
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "scanner": check_scanner,
}


def _may_see_errors(request: HttpRequest) -> bool:
    """Error texts name internal hosts: shown in DEBUG or with the metrics token, always logged."""
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return settings.DEBUG or bool(token and hmac.compare_digest(given.encode(), token.encode()))


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    ready = True
    show_errors = _may_see_errors(request)
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail, ok = check(), True
        except Exception as exc:  # any failure means "not ready"; the reason is logged, not raised
            logger.warning("readiness check %s failed", name, exc_info=True)
            error = f"{type(exc).__name__}: {exc}"[:300]
            detail, ok = (error if show_errors else "unavailable (see the web logs)"), False
        ready = ready and ok
        results[name] = {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503
    )
