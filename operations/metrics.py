"""Prometheus metrics (django-prometheus) plus two MapleCase gauges computed at scrape time:

- `maplecase_celery_queue_length{queue=...}`: messages waiting in each Celery queue (Redis broker);
- `maplecase_outbox_oldest_pending_age_seconds`: age of the oldest `pending` outbox row (0 when none),
  with `maplecase_outbox_pending` the number of such rows;
- `maplecase_documents_scanning`: documents waiting for their virus scan.

`/metrics` answers only with `Authorization: Bearer $METRICS_TOKEN`; without a token set it is off
(404) unless DEBUG. Caddy does not route it: Prometheus scrapes `web:8000/metrics` on the internal
network (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)


def queue_lengths() -> dict[str, int]:
    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    queues = {
        getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"),
        *getattr(settings, "METRICS_QUEUES", ()),
    }
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        return {name: int(client.llen(name)) for name in sorted(queues)}
    finally:
        client.close()


def outbox_backlog() -> tuple[int, float]:
    from notifications.models import Notification

    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return pending.count(), max(age, 0.0)


def documents_scanning() -> int:
    from cases.constants import DocumentStatus
    from cases.models import Document

    return Document.objects.filter(status=DocumentStatus.SCANNING).count()


GAUGES = {
    "maplecase_celery_queue_length": "Messages waiting in a Celery queue",
    "maplecase_outbox_oldest_pending_age_seconds": "Age of the oldest pending outbox row",
    "maplecase_outbox_pending": "Pending outbox rows",
    "maplecase_documents_scanning": "Documents awaiting a virus scan",
}


class MapleCaseCollector(Collector):
    def describe(self) -> Iterator[GaugeMetricFamily]:
        """Names only, so registering does not query the database (registry calls this, not collect)."""
        for name, doc in GAUGES.items():
            yield GaugeMetricFamily(name, doc)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queue = GaugeMetricFamily(
            "maplecase_celery_queue_length", "Messages waiting in a Celery queue", labels=["queue"]
        )
        try:
            for name, length in queue_lengths().items():
                queue.add_metric([name], length)
        except Exception:  # a scrape must not fail because the broker is down; readyz reports that
            logger.warning("queue length unavailable", exc_info=True)
        yield queue
        try:
            count, age = outbox_backlog()
            scanning = documents_scanning()
        except Exception:
            logger.warning("database gauges unavailable", exc_info=True)
            return
        yield GaugeMetricFamily(
            "maplecase_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox row", value=age
        )
        yield GaugeMetricFamily("maplecase_outbox_pending", "Pending outbox rows", value=count)
        yield GaugeMetricFamily(
            "maplecase_documents_scanning", "Documents awaiting a virus scan", value=scanning
        )


_collector = MapleCaseCollector()


def register_collector() -> None:
    with contextlib.suppress(ValueError):  # already registered (ready() ran twice, e.g. in tests)
        REGISTRY.register(_collector)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    from django_prometheus.exports import ExportToDjangoView

    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse("metrics token required\n", status=401, content_type="text/plain")
    elif not settings.DEBUG:
        raise Http404
    return ExportToDjangoView(request)
