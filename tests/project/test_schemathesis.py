"""Property-based tests of every operation in the OpenAPI schema (schemathesis + hypothesis).

Each operation is called with generated, schema-valid input through the WSGI app, as a firm admin
(token auth) and as an API key with every scope for the staff API, and as a portal client for /me, and
every schemathesis check runs on the answer (`schemathesis.checks.ALL_CHECKS`, what `--checks all`
runs): no server error, documented status code, content type and headers, body matching the schema,
negative data rejected and authentication not ignored. Small, derandomised hypothesis settings keep the run short and repeatable.

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
from schemathesis.checks import ALL_CHECKS

from firm.models import AuthToken
from firm.tokens import token_issue
from tests.conftest import Tenants

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_EXAMPLES = 12
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


class Principal:
    """Who calls: a user with a personal token (re-issued when an operation revoked it, e.g. DELETE
    /auth/token or a password change) or an API key."""

    def __init__(self, user: Any = None, api_key: str = "") -> None:
        self.user, self.api_key, self.raw, self.row = user, api_key, "", None

    def headers(self) -> dict[str, str]:
        if self.api_key:
            return {"Authorization": f"Api-Key {self.api_key}"}
        if self.row is None or not AuthToken.objects.filter(digest=self.row.digest).exists():
            self.row, self.raw = token_issue(user=self.user, name="schemathesis")
        return {"Authorization": f"Token {self.raw}"}


def _checker(operation: Any, principal: Principal) -> Any:
    @given(case=operation.as_strategy())
    @HYPOTHESIS_SETTINGS
    def check(case: Any) -> None:
        case.call_and_validate(headers=principal.headers(), checks=ALL_CHECKS)

    return check


def _run(schema: Any, *, principal: Principal, portal: bool) -> list[str]:
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if _is_portal(operation.path) != portal:
            continue
        ran += 1
        started = time.monotonic()
        try:
            _checker(operation, principal)()
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


def test_staff_api_conforms_to_its_schema(api_schema: Any, tenants: Tenants) -> None:
    failures = _run(api_schema, principal=Principal(tenants.a.admin), portal=False)
    assert not failures, "\n\n".join(failures)


def test_api_key_calls_conform_to_the_schema(api_schema: Any, tenants: Tenants) -> None:
    failures = _run(api_schema, principal=Principal(api_key=tenants.a.api_key_raw), portal=False)
    assert not failures, "\n\n".join(failures)


def test_portal_api_conforms_to_its_schema(api_schema: Any, tenants: Tenants) -> None:
    failures = _run(api_schema, principal=Principal(tenants.a.portal_user), portal=True)
    assert not failures, "\n\n".join(failures)
