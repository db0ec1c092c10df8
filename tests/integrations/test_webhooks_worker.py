"""A REAL Celery worker (subprocess) on a REAL Redis broker delivers webhooks to a real receiver.

The worker is killed (SIGKILL) while the receiver holds its request; after a restart the delivery goes
out exactly once more (the sweeper reclaims the row whose worker was lost), with the same webhook-id and
a valid signature, and nothing sends it a third time (a late redelivered message or another sweep).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from firm.models import Firm
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from integrations.signatures import new_whsec
from tests.integrations.helpers import Receiver, verify_standard_webhook

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.timeout(150)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_DB = int(os.environ.get("TEST_WEBHOOK_REDIS_DB", "14"))


def wait_until(predicate: Callable[[], Any], *, timeout: float = 40, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    def __init__(self, tmp_path: Path) -> None:
        parsed = urlparse(os.environ["CELERY_BROKER_URL"])
        self.broker = f"redis://{parsed.netloc}/{REDIS_DB}"
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker,
            "CELERY_EAGER": "0",
            "WEBHOOK_SENDING_LEASE_SECONDS": "0",
            "WEBHOOK_TIMEOUT_SECONDS": "30",
            "PYTHONPATH": str(ROOT),
        }
        import redis

        self.redis = redis.Redis.from_url(self.broker)
        self.redis.flushdb()

    def start(self) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.procs)}.log"
        proc = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"webhooks-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        proc.log_path = log  # type: ignore[attr-defined]
        self.procs.append(proc)
        wait_until(lambda: proc.poll() is not None or b" ready." in log.read_bytes(), what="the worker")
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        return proc

    def send(self, name: str, *args: Any) -> None:
        app = Celery("webhooks-test-client")
        try:
            with app.connection_for_write(self.broker) as conn:
                app.send_task(name, args=args, connection=conn)
        finally:
            app.close()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        self.redis.flushdb()
        self.redis.close()


@pytest.fixture
def workers(transactional_db, tmp_path) -> Iterator[Workers]:
    w = Workers(tmp_path)
    try:
        yield w
    finally:
        w.stop()


def _outbox_row(url: str) -> tuple[WebhookDelivery, str]:
    """What the event hook writes in the transaction of a change (the task is published separately)."""
    firm = Firm.objects.create(name="Worker firm", slug=f"wf-{uuid.uuid4().hex[:6]}")
    secret = new_whsec()
    endpoint = WebhookEndpoint.objects.create(
        firm=firm, url=url, event_types=["case.status_changed"], secret=secret
    )
    event = WebhookEvent.objects.create(
        firm=firm,
        public_id=WebhookEvent.new_public_id(),
        type="case.status_changed",
        data={"case_id": 41, "client_id": 7, "from": "documents", "to": "ready_to_file"},
        occurred_at=timezone.now(),
    )
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        firm=firm, endpoint=endpoint, event=event, message_id=WebhookDelivery.new_message_id(),
        created_at=now, next_attempt_at=now, retry_until=now + timedelta(days=1),
    )  # fmt: skip
    return delivery, secret


def test_worker_killed_mid_delivery_delivers_exactly_once_more_after_restart(workers):
    with Receiver() as receiver:
        delivery, secret = _outbox_row(receiver.url)
        receiver.stall.set()  # the first request hangs: the worker waits for the answer
        first = workers.start()
        workers.send("integrations.tasks.webhook_delivery_send_task", delivery.pk)
        assert receiver.stalled.wait(40), "the worker never sent the request"
        delivery.refresh_from_db()
        assert delivery.status == "sending" and delivery.attempts == 1
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        receiver.release.set()  # the killed worker's request is over, unanswered

        workers.start()
        workers.send("integrations.tasks.webhooks_sweep_task")  # the beat sweeper, after the lease
        wait_until(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="delivered").exists(),
            what="the delivery after the restart",
        )
        # a late redelivery of the task and another sweep must not send it again
        workers.send("integrations.tasks.webhook_delivery_send_task", delivery.pk)
        workers.send("integrations.tasks.webhooks_sweep_task")
        time.sleep(3)

        assert len(receiver.requests) == 2  # the interrupted one and exactly one more
        ids = {r["headers"]["webhook-id"] for r in receiver.requests}
        assert ids == {delivery.message_id}
        body = verify_standard_webhook(secret, receiver.requests[1]["headers"], receiver.requests[1]["body"])
        assert body["type"] == "case.status_changed" and body["data"]["case_id"] == 41
        delivery.refresh_from_db()
        assert delivery.status == "delivered" and delivery.attempts == 2
        assert list(
            WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)
        ) == [200]


def test_lost_enqueue_is_sent_by_the_sweeper(workers):
    """The broker was down when the change committed: the row waits in the database for the sweeper."""
    with Receiver() as receiver:
        delivery, secret = _outbox_row(receiver.url)
        workers.start()
        workers.send("integrations.tasks.webhooks_sweep_task")
        wait_until(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="delivered").exists(),
            what="delivery",
        )
        time.sleep(1)
        assert len(receiver.requests) == 1
        verify_standard_webhook(secret, receiver.requests[0]["headers"], receiver.requests[0]["body"])
