"""The dashboard, the client page and the case page run a fixed number of queries whatever the firm's
size: measured for a small firm (just past the dashboard chart's top N), then again after the firm
grows about fourfold (more clients, staff, cases, scores,
draw matches, documents), for the admin (who sees the whole firm) and for a lawyer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Document
from firm.web.home import CHART_TOP_N
from tests.fixtures.web import (
    _private_media,  # noqa: F401  (autouse)
    build_world,
    login,
    make_case,
    make_client,
    make_draw,
    make_match,
    make_score,
    make_staff,
)

pytestmark = pytest.mark.django_db


def _grow(world, n: int, start: int) -> None:
    """n more clients (with facts, a case, a document, three scores and a draw match) and n/2 staff."""
    draw = make_draw(f"q{start}", date.today() - timedelta(days=2), 450)
    for i in range(start, start + n):
        lawyer = world.lawyer_a if i % 2 else make_staff(world.firm_a, f"staff{i}@alder.test")
        client = make_client(world.firm_a, lawyer, f"Grow{i}", f"Size{i}")
        case = make_case(client)
        Document.objects.create(firm=world.firm_a, case=case, label=f"Doc {i}")
        for k, total in enumerate((430, 455, 470)):
            make_score(client, total + i % 7, date.today() - timedelta(days=90 - 30 * k))
        make_match(draw, client, 470)
    # the measured client and case get more history too
    for k in range(n):
        make_score(world.client_a, 440 + k, date.today() - timedelta(days=n - k))
        Document.objects.create(firm=world.firm_a, case=world.case_a, label=f"More {k}")


def _counts(http, world) -> dict[str, int]:
    pages = {
        "dashboard": "/",
        "client": f"/clients/{world.client_a.pk}/",
        "case": f"/cases/{world.case_a.pk}/",
    }
    counts = {}
    for name, path in pages.items():
        http.get(path)  # warm (per-process caches)
        with CaptureQueriesContext(connection) as ctx:
            response = http.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = sum(1 for q in ctx.captured_queries if not _session_write(q["sql"]))
    return counts


def _session_write(sql: str) -> bool:
    """The session row is saved when the page marks something seen (new matches): a write of one row,
    not a query that depends on the firm; left out of the count."""
    return sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) or sql.startswith('UPDATE "firm_usersession"')


@pytest.mark.parametrize("who", ["admin_a", "lawyer_a"])
def test_page_queries_do_not_grow_with_the_firm(client, who):
    world = build_world()
    make_score(world.client_a, 450, date.today() - timedelta(days=10))
    make_match(make_draw("q-first", date.today() - timedelta(days=3), 440), world.client_a, 450)
    login(client, getattr(world, who))
    _grow(world, 2 * CHART_TOP_N, 0)  # past the chart's top N for both (the distribution is drawn)
    small = _counts(client, world)
    _grow(world, 6 * CHART_TOP_N, 100)
    large = _counts(client, world)
    assert small == large, {"small": small, "large": large}
    # a ceiling that catches a new per-row query; the client page reads the facts snapshot (6 queries)
    # and the questionnaire state besides its panels
    assert all(count <= 50 for count in large.values()), large
