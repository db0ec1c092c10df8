"""End to end against a REAL Redis broker, REAL Celery workers (subprocesses) and a real SMTP server.

The workers use the test database (pytest-django's `test_<name>`, passed as DATABASE_URL), a dedicated
Redis DB number, and EMAIL_URL pointing at an aiosmtpd server in this process. Faults: a worker killed
(SIGKILL) mid-send, the broker unreachable when a draw arrives, the same feed synced twice, a round
edited by IRCC after it was flagged. Every wait is bounded; workers are always terminated.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from celery import Celery
from django.db import connection

from notifications.models import Notification
from scoring.models import Draw, DrawMatch
from tests.fixtures.smtp_server import SMTPServer, free_port
from tests.scoring.django_draws.conftest import TIE_BREAK, World, build_world, round_dict

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
TEST_REDIS_DB = int(os.environ.get("TEST_CELERY_REDIS_DB", "15"))


def wait_until(predicate: Callable[[], Any], *, timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def broker_url() -> str:
    parsed = urlparse(os.environ["CELERY_BROKER_URL"])
    return f"redis://{parsed.netloc}/{TEST_REDIS_DB}"


class Services:
    """The SMTP server, the broker and the workers of one test."""

    def __init__(self, tmp_path: Path, smtp: SMTPServer) -> None:
        self.tmp_path = tmp_path
        self.smtp = smtp
        self.broker = broker_url()
        self.workers: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker,
            "CELERY_EAGER": "0",
            "EMAIL_URL": smtp.url,
            "NOTIFICATION_SWEEP_AFTER_SECONDS": "0",
            "NOTIFICATION_STUCK_AFTER_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
        }
        import redis

        self.redis = redis.Redis.from_url(self.broker)
        self.redis.flushdb()

    def start_worker(self) -> subprocess.Popen:
        name = f"draws-test-{uuid.uuid4().hex[:8]}@%h"
        log = self.tmp_path / f"worker-{len(self.workers)}.log"
        proc = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                name,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        proc.log_path = log  # type: ignore[attr-defined]
        self.workers.append(proc)
        try:
            wait_until(
                lambda: proc.poll() is not None or b" ready." in log.read_bytes(), timeout=40, what="worker"
            )
        except AssertionError:
            print(log.read_text(errors="replace")[-4000:])
            raise
        assert proc.poll() is None, log.read_text(errors="replace")[-4000:]
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def send_task(self, name: str, **kwargs: Any) -> None:
        # an explicit connection: Celery prefers the CELERY_BROKER_URL environment variable otherwise
        app = Celery("draws-test-client")
        try:
            with app.connection_for_write(self.broker) as conn:
                app.send_task(name, kwargs=kwargs, connection=conn)
        finally:
            app.close()

    def manage(self, *args: str, broker: str | None = None) -> subprocess.CompletedProcess:
        env = {**self.env, "CELERY_BROKER_URL": broker or self.broker}
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def feed_file(self, *rounds: dict[str, Any], name: str = "feed.json") -> str:
        path = self.tmp_path / name
        path.write_text(json.dumps({"classes": "wb-tables", "rounds": list(rounds)}))
        return str(path)

    def stop(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.workers:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        try:
            self.redis.flushdb()
        finally:
            self.redis.close()

    def idle(self) -> bool:
        """The queue is empty and every task a live worker received has finished (logged an outcome; a
        killed worker's unfinished task stays unacknowledged in the broker, it is not ours to wait for)."""
        if self.redis.llen("celery"):
            return False
        received, finished = set(), set()
        for proc in (p for p in self.workers if p.poll() is None):
            text = proc.log_path.read_text(errors="replace")  # type: ignore[attr-defined]
            received.update(re.findall(r"\[([0-9a-f-]{36})\] received", text))
            finished.update(re.findall(r"\[([0-9a-f-]{36})\] (?:succeeded|raised|retry|failed)", text))
        return received <= finished

    def wait_idle(self, what: str) -> None:
        """Wait until the workers have processed everything sent so far (instead of sleeping)."""
        wait_until(self.idle, what=what)

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text(errors="replace")[-3000:] for p in self.workers)  # type: ignore[attr-defined]


@pytest.fixture
def services(transactional_db, tmp_path) -> Iterator[Services]:
    with SMTPServer() as smtp:
        svc = Services(tmp_path, smtp)  # worker logs: tmp_path / worker-N.log
        try:
            yield svc
        finally:
            svc.stop()


def people(world: World) -> None:
    before = TIE_BREAK - timedelta(days=1)
    world.client("a", "Alice", 520, lawyer="a_lawyer1", profile_at=before)
    world.client("a", "Arthur", 500, lawyer="a_lawyer1", profile_at=before)  # at the cut-off, earlier
    world.client("a", "Anna", 497, lawyer="a_lawyer2")
    world.client("a", "Abel", 530, lawyer="a_lawyer2")
    world.client("a", "Orphan", 560)  # no lawyer: the firm A admin
    world.client("b", "Bob", 540, lawyer="b_lawyer", profile_at=before)


def all_done() -> bool:
    rows = list(Notification.objects.values_list("status", flat=True))
    return bool(rows) and set(rows) == {"sent"}


def recipients(smtp: SMTPServer) -> Counter:
    return Counter(m["To"] for m in smtp.messages)


def test_synced_draw_flags_and_emails_once_resync_and_edit(services):
    world = build_world()
    people(world)
    services.start_worker()
    feed_v1 = services.feed_file(round_dict("4001", crs=500), name="v1.json")

    services.send_task("scoring.tasks.draws_sync_task", path=feed_v1)
    wait_until(lambda: Notification.objects.count() == 8 and all_done(), what="the first alerts")
    assert set(DrawMatch.objects.values_list("client__first_name", flat=True)) == {
        "Alice",
        "Arthur",
        "Abel",
        "Orphan",
        "Bob",
    }
    digests = {
        "a_lawyer1@staff.test": 1,
        "a_lawyer2@staff.test": 1,
        "a_admin@staff.test": 1,
        "b_lawyer@staff.test": 1,
    }
    clients = {
        "alice@clients.test": 1,
        "arthur@clients.test": 1,
        "abel@clients.test": 1,
        "orphan@clients.test": 1,
    }
    services.smtp.wait_for(8)
    assert recipients(services.smtp) == Counter({**digests, **clients})
    lawyer1 = services.smtp.to("a_lawyer1@staff.test")[0]
    text = lawyer1.get_body(("plain",)).get_content()
    assert "Alice" in text and "Arthur" in text and "Abel" not in text and "Bob" not in text

    # the same feed again (and a sweep): nothing new
    services.send_task("scoring.tasks.draws_sync_task", path=feed_v1)
    services.send_task("notifications.tasks.notifications_sweep_task")
    services.wait_idle("the resync and the sweep")
    assert DrawMatch.objects.count() == 5 and Notification.objects.count() == 8
    assert len(services.smtp.messages) == 8

    # IRCC edits the round (lower cut-off): Anna now clears it; one new digest (her lawyer), one alert
    feed_v2 = services.feed_file(round_dict("4001", crs=495), name="v2.json")
    services.send_task("scoring.tasks.draws_sync_task", path=feed_v2)
    services.smtp.wait_for(10)
    wait_until(all_done, what="the edit's alerts")
    services.wait_idle("the edit's tasks")
    assert recipients(services.smtp) == Counter(
        {**digests, **clients, "a_lawyer2@staff.test": 2, "anna@clients.test": 1}
    )
    update = services.smtp.to("a_lawyer2@staff.test")[-1]
    assert "edited by IRCC" in update["Subject"] and "Anna" in update.get_body(("plain",)).get_content()
    assert Draw.objects.get(draw_number="4001").min_crs == 495


def test_worker_killed_mid_send_never_sends_twice(services):
    world = build_world()
    people(world)
    services.smtp.handler.stall_rcpts = {"a_lawyer1@staff.test"}
    first = services.start_worker()
    services.send_task("scoring.tasks.draws_sync_task", path=services.feed_file(round_dict("4002", crs=500)))
    wait_until(services.smtp.handler.stalled.is_set, what="the stalled send")
    stuck = Notification.objects.get(recipient_email="a_lawyer1@staff.test")
    assert stuck.status == "sending" and stuck.attempts == 1
    services.kill(first)

    services.start_worker()
    # the other alerts still go out, once each
    wait_until(lambda: Notification.objects.filter(status="sent").count() == 7, what="the other alerts")
    # a redelivered message for the stuck row and the sweeper: neither resends it
    services.send_task("notifications.tasks.notification_send_task", notification_id=stuck.pk)
    services.send_task("notifications.tasks.notifications_sweep_task")
    services.wait_idle("the redelivery and the sweep")
    stuck.refresh_from_db()
    assert stuck.status == "sending" and stuck.attempts == 1
    assert services.smtp.to("a_lawyer1@staff.test") == []
    assert max(recipients(services.smtp).values()) == 1 and len(services.smtp.messages) == 7
    from firm.scoping import SYSTEM
    from scoring.selectors.draws import notifications_stuck

    assert list(notifications_stuck(SYSTEM, older_than_seconds=0)) == [stuck]


def test_broker_down_when_the_draw_arrives_loses_nothing(services):
    world = build_world()
    people(world)
    closed = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    result = services.manage(
        "sync_draws", "--file", services.feed_file(round_dict("4003", crs=500)), broker=closed
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert time.monotonic() - started < 60
    assert "created:   1" in result.stdout and "#4003: 5 new matches" in result.stdout
    # the matches and the outbox rows exist; the send tasks could not be published
    assert DrawMatch.objects.count() == 5
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
    assert Notification.objects.count() == 8
    assert services.smtp.messages == []

    # the broker is back (a worker on the real one); the beat sweeper re-enqueues the rows
    services.start_worker()
    services.send_task("notifications.tasks.notifications_sweep_task")
    wait_until(all_done, what="the swept alerts")
    services.smtp.wait_for(8)
    services.wait_idle("the swept sends")
    assert len(services.smtp.messages) == 8 and max(recipients(services.smtp).values()) == 1
