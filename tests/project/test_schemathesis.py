"""Property-based tests of every operation in the OpenAPI schema (schemathesis + hypothesis).

Each operation is called with generated, schema-valid input through the WSGI app, as a firm admin
(token auth) for the staff API and as a portal client for /me, and every schemathesis check runs on the
answer: no server error, documented status code, content type and headers, body matching the schema,
and authentication not ignored. Small, derandomised hypothesis settings keep the run short and repeatable.

Nothing is excluded: operations of other apps (scoring, pathways) are picked up from the schema too.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from tests.conftest import Tenants

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_EXAMPLES = 12
STAFF_TOKEN = "a" * 40
CLIENT_TOKEN = "c" * 40
HYPOTHESIS_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found, quickly
)


def _is_portal(path: str) -> bool:
    return path.startswith("/api/v1/me")


def _checker(operation: Any, user: Any, key: str) -> Any:
    @given(case=operation.as_strategy())
    @HYPOTHESIS_SETTINGS
    def check(case: Any) -> None:
        # An operation may log the caller out (DELETE /auth/token); recreate the token each time.
        Token.objects.get_or_create(user=user, defaults={"key": key})
        case.call_and_validate(headers={"Authorization": f"Token {key}"})

    return check


def _run(schema: Any, *, token_for: dict[str, tuple[Any, str]], portal: bool) -> list[str]:
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if _is_portal(operation.path) != portal:
            continue
        ran += 1
        user, key = token_for["client" if portal else "staff"]
        started = time.monotonic()
        try:
            _checker(operation, user, key)()
        except Exception as exc:  # collect every failing operation, then report them all
            failures.append(f"{operation.verbose_name}: {str(exc)[:1500]}")
        if os.environ.get("SCHEMATHESIS_TIMINGS"):
            print(f"{time.monotonic() - started:6.2f}s {operation.verbose_name}", flush=True)
    assert ran > 0
    return failures


@pytest.fixture
def api_schema(tenants: Tenants) -> Any:
    # Like Django's test client: keep the test's connection (and transaction) open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    raw = SchemaGenerator().get_schema(request=None, public=True)
    yield schemathesis.from_dict(raw, app=get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _tokens(tenants: Tenants) -> dict[str, tuple[Any, str]]:
    return {"staff": (tenants.a.admin, STAFF_TOKEN), "client": (tenants.a.portal_user, CLIENT_TOKEN)}


def test_staff_api_conforms_to_its_schema(api_schema: Any, tenants: Tenants) -> None:
    failures = _run(api_schema, token_for=_tokens(tenants), portal=False)
    assert not failures, "\n\n".join(failures)


def test_portal_api_conforms_to_its_schema(api_schema: Any, tenants: Tenants) -> None:
    failures = _run(api_schema, token_for=_tokens(tenants), portal=True)
    assert not failures, "\n\n".join(failures)
