"""/healthz, /readyz and /metrics against the real PostgreSQL and Redis; request ids in logs and tasks."""

from __future__ import annotations

import io
import json
import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from operations import requestid
from operations.logs import logging_config

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:task_always_eager has no effect")]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_without_the_database(client, settings, django_assert_num_queries):
    settings.SECURE_SSL_REDIRECT = True  # as in production: plain HTTP to an unlisted host
    settings.ALLOWED_HOSTS = ["cases.example-law.ca"]
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # a container health check
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert (
        client.get("/api/schema/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    )  # other paths: host checked


@pytest.mark.redis
@pytest.mark.postgres
def test_readyz_checks_database_broker_and_storage(client, settings, tmp_path):
    import os

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["detail"] == "ok"
    assert body["checks"]["storage"]["detail"] == "ok (disk)"

    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert not body["checks"]["broker"]["ok"] and body["checks"]["database"]["ok"]
    assert "127.0.0.1" not in body["checks"]["broker"]["detail"]  # internal addresses only for operators
    settings.METRICS_TOKEN = "ops-token"
    body = client.get("/readyz", HTTP_AUTHORIZATION="Bearer ops-token").json()
    assert "Error" in body["checks"]["broker"]["detail"]


def test_readyz_reports_an_unwritable_storage(client, settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert not response.json()["checks"]["storage"]["ok"]


def _pending_notification(age: timedelta):
    from notifications.models import Notification
    from tests.factories import FirmFactory

    return Notification.objects.create(
        firm=FirmFactory(),
        kind="case_status",
        recipient_email="client@example.test",
        dedupe_key=f"metrics-test-{age.total_seconds()}",
        created_at=timezone.now() - age,
    )


def _gauge(text: str, name: str, labels: str = "") -> float:
    for line in text.splitlines():
        if line.startswith(f"{name}{labels} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{labels} not in /metrics")


@pytest.mark.redis
def test_metrics_needs_the_token_and_reports_queue_and_outbox_age(client, settings):
    import os

    import redis

    settings.METRICS_TOKEN = "scrape-token-for-tests"
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_TASK_DEFAULT_QUEUE = "maplecase-metrics-test"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401

    _pending_notification(timedelta(minutes=7))
    _pending_notification(timedelta(minutes=2))
    from config.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        for _ in range(3):
            app.send_task(
                "cases.tasks.documents_expire_task", queue="maplecase-metrics-test", connection=conn
            )
    try:
        response = client.get(
            "/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests", HTTP_HOST="web:8000"
        )
        text = response.content.decode()
    finally:
        client_ = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        for key in ["maplecase-metrics-test", *client_.scan_iter("_kombu.binding*maplecase-metrics-test")]:
            client_.delete(key)
    assert response.status_code == 200
    assert _gauge(text, "maplecase_celery_queue_length", '{queue="maplecase-metrics-test"}') == 3
    assert 420 <= _gauge(text, "maplecase_outbox_oldest_pending_age_seconds") < 480
    assert _gauge(text, "maplecase_outbox_pending") == 2
    assert "django_http_requests_total_by_method_total" in text  # django-prometheus' own metrics


def test_metrics_is_off_without_a_token_in_production(client, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = False
    assert client.get("/metrics").status_code == 404


@pytest.fixture
def json_log() -> io.StringIO:
    """The production LOGGING formatter and filter on a buffer."""
    config = logging_config(fmt="json", level="INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_spec = dict(config["formatters"]["json"])
    factory = formatter_spec.pop("()")
    module, _, name = factory.rpartition(".")
    formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_spec)
    handler.setFormatter(formatter)
    handler.addFilter(requestid.RequestIdFilter())
    loggers = [logging.getLogger("maplecase.request"), logging.getLogger("maplecase.test")]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield stream
    for lg in loggers:
        lg.removeHandler(handler)


def test_request_id_is_kept_returned_and_logged_as_json(client, json_log):
    response = client.get("/api/schema/", HTTP_X_REQUEST_ID="proxy-given-id-0001")
    assert response["X-Request-ID"] == "proxy-given-id-0001"
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "maplecase.request"]
    assert access and access[-1]["request_id"] == "proxy-given-id-0001"
    assert access[-1]["path"] == "/api/schema/" and access[-1]["level"] == "INFO"

    bad = client.get("/api/schema/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert bad["X-Request-ID"] != "bad id\nwith newline" and len(bad["X-Request-ID"]) == 32


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_request_id_travels_through_redis_into_a_real_worker(settings, tmp_path):
    """A task published during a request (real Redis) runs in a real worker process (production settings,
    JSON logs): the worker's log line for the task carries the request's id."""
    import os
    import secrets
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    from config.celery import app

    root = Path(__file__).resolve().parents[2]
    broker = os.environ["CELERY_BROKER_URL"]
    queue = f"maplecase-rid-{secrets.token_hex(4)}"
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{queue}@test",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        token = requestid._request_id.set("req-id-into-task-42")
        try:
            with app.connection_for_write(broker) as conn:
                app.send_task("cases.tasks.documents_expire_task", queue=queue, connection=conn)
        finally:
            requestid._request_id.reset(token)
        deadline = time.monotonic() + 60
        started = None
        while started is None and time.monotonic() < deadline:
            for line in log_path.read_text().splitlines():
                if line.startswith("{") and '"task started"' in line:
                    started = json.loads(line)
            time.sleep(0.3)
        assert started is not None, log_path.read_text()[-3000:]
        assert started["request_id"] == "req-id-into-task-42"
        assert started["task_name"] == "cases.tasks.documents_expire_task" and started["task_id"]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        import redis

        client = redis.Redis.from_url(broker)
        for key in [queue, *client.scan_iter(f"_kombu.binding*{queue}")]:
            client.delete(key)


def test_client_address_behind_one_trusted_proxy(rf, settings):
    from operations.middleware import ProxyClientMiddleware

    seen: list[str] = []

    def view(request):
        from django.http import HttpResponse

        seen.append(request.META["REMOTE_ADDR"])
        return HttpResponse()

    settings.TRUSTED_PROXY_COUNT = 1
    middleware = ProxyClientMiddleware(view)
    # The client claims 1.2.3.4; Caddy appends the address it saw (203.0.113.9) and connects from 172.18.0.5.
    middleware(rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="172.18.0.5"))
    middleware(rf.get("/", REMOTE_ADDR="172.18.0.5"))  # no header: unchanged
    settings.TRUSTED_PROXY_COUNT = 0
    ProxyClientMiddleware(view)(rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="198.51.100.7"))
    assert seen == ["203.0.113.9", "172.18.0.5", "198.51.100.7"]
