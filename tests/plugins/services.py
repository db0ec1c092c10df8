"""Real-service gating for the test suite.

Tests marked `postgres`, `redis` or `browser` need PostgreSQL (DATABASE_URL), a Redis broker
(CELERY_BROKER_URL) or Debian's chromium. Without them they are skipped with the reason printed;
with REQUIRE_SERVICES=1 (CI) a missing service fails the test instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


@cache
def postgres_problem() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    return None


@cache
def redis_problem() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return "needs a Redis broker: set CELERY_BROKER_URL=redis://..."
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2
        ) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                return f"Redis at {url} did not answer PING"
    except OSError as exc:
        return f"Redis at {url} is unreachable: {exc}"
    return None


@cache
def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if os.path.exists(path):
            return path
    return shutil.which("chromium")


def browser_problem() -> str | None:
    return None if chromium_path() else "needs Debian's chromium package (apt-get install chromium)"


PROBLEMS = {"postgres": postgres_problem, "redis": redis_problem, "browser": browser_problem}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker, check in PROBLEMS.items():
            if item.get_closest_marker(marker) is None:
                continue
            problem = check()
            if problem is None:
                continue
            if _required():
                item.add_marker(pytest.mark.usefixtures("_service_missing"))
                item.user_properties.append(("service_problem", problem))
            else:
                item.add_marker(pytest.mark.skip(reason=problem))


@pytest.fixture
def _service_missing(request: pytest.FixtureRequest) -> None:
    problems = [v for k, v in request.node.user_properties if k == "service_problem"]
    pytest.fail(f"REQUIRE_SERVICES=1 but the service is missing: {'; '.join(problems)}")
