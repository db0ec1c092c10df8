"""Error reporting is off unless SENTRY_DSN is set; with a DSN, events reach the server named in it (a
local HTTP server standing in for Sentry), without personal data."""

from __future__ import annotations

import gzip
import json
import os
import secrets
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django, sentry_sdk; django.setup(); "
    "from django.conf import settings; print('enabled', settings.SENTRY_ENABLED, sentry_sdk.is_initialized()); "
    "sentry_sdk.capture_message('maplecase sentry probe'); sentry_sdk.flush(5)"
)


def _run(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "VAR_DIR": str(tmp_path),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_sentry_is_off_without_a_dsn(tmp_path):
    result = _run({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "enabled False False" in result.stdout


def test_sentry_sends_events_to_the_configured_dsn(tmp_path):
    received: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
        result = _run({"SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "drill"}, tmp_path)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "enabled True True" in result.stdout
    assert received and received[0][0] == "/api/42/envelope/"
    items = [json.loads(line) for line in received[0][1].splitlines() if line.startswith(b"{")]
    event = next(item for item in items if item.get("message") == "maplecase sentry probe")
    assert event["environment"] == "drill"
    assert "user" not in event  # send_default_pii=False
