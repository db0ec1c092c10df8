"""Exactly one beat: two real `celery beat` processes (production settings, celery-redbeat) on the real
Redis. The first takes the lock and schedules; the second waits; when the first stops, the second takes
over. So a beat started twice by mistake, or scaled, never runs every periodic task twice."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

pytestmark = [pytest.mark.redis, pytest.mark.timeout(150)]
ROOT = Path(__file__).resolve().parents[2]


def _start_beat(name: str, env: dict[str, str], tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log_path = tmp_path / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, log_path


def _wait_for(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return True
        time.sleep(0.3)
    return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_second_beat_waits_for_the_lock_and_takes_over(tmp_path):
    broker = os.environ["CELERY_BROKER_URL"]
    prefix = f"maplecase-test-redbeat-{secrets.token_hex(4)}"
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",  # beat never touches the database
        "CELERY_BROKER_URL": broker,
        "REDBEAT_KEY_PREFIX": prefix,
        "BEAT_MAX_LOOP_INTERVAL": "2",
        "VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "plain",
    }
    client = redis.Redis.from_url(broker)
    first, first_log = _start_beat("first", env, tmp_path)
    second = None
    try:
        assert _wait_for(first_log, "beat: Acquired lock", 40), first_log.read_text()[-3000:]
        assert client.exists(f"{prefix}:lock")
        assert client.zcard(f"{prefix}:schedule") >= 5  # the periodic tasks of CELERY_BEAT_SCHEDULE

        second, second_log = _start_beat("second", env, tmp_path)
        assert _wait_for(second_log, "beat: Starting", 40), second_log.read_text()[-3000:]
        assert not _wait_for(second_log, "beat: Acquired lock", 8), "two beats hold the lock at once"

        _stop(first)
        assert _wait_for(first_log, "beat: Releasing lock", 10)
        assert _wait_for(second_log, "beat: Acquired lock", 30), second_log.read_text()[-3000:]
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                _stop(process)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
