"""The `manage.py ita_outlook --as-of` contract, run through the command on the real database."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest
from django.core.management import call_command

from scoring.models import Draw
from scoring.services.draws import draws_sync

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def run(monkeypatch, as_of: str, lines: list[str]) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("ita_outlook", "--as-of", as_of, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


LINES = [
    json.dumps(
        {
            "id": "a",
            "crs": 481,
            "eligible_for": ["cec", "french"],
            "profile_submitted_at": "2023-01-10T12:00:00Z",
        }
    ),
    json.dumps({"id": "b", "crs": 530, "eligible_for": ["fsw"]}),
    json.dumps({"id": "c", "crs": 760, "eligible_for": ["cec", "pnp"]}),
]


def test_one_line_out_per_line_in_in_order(monkeypatch):
    draws_sync(snapshot=True, flag="none")
    out = run(
        monkeypatch,
        "2023-11-01",
        [*LINES, "not json", json.dumps({"id": "x", "crs": 2000, "eligible_for": []})],
    )
    assert [o["id"] for o in out] == ["a", "b", "c", None, "x"]
    for o in out[:3]:
        assert set(o) == {"id", "p_90", "p_180", "p_365", "pool_percentile"}
        assert 0 <= o["p_90"] <= o["p_180"] <= o["p_365"] <= 1
        assert 0 <= o["pool_percentile"] <= 100
    assert out[3]["error"]["field"] == "line"
    assert out[4]["error"]["field"] == "crs"


def test_bad_fields_are_named(monkeypatch):
    draws_sync(snapshot=True, flag="none")
    bad = [
        json.dumps({"id": "1", "crs": "481", "eligible_for": ["cec"]}),
        json.dumps({"id": "2", "crs": 481, "eligible_for": ["nope"]}),
        json.dumps({"id": "3", "crs": 481, "eligible_for": "cec"}),
        json.dumps({"id": "4", "crs": 481, "eligible_for": ["cec"], "profile_submitted_at": "yesterday"}),
        json.dumps({"id": "5", "crs": True, "eligible_for": ["cec"]}),
    ]
    out = run(monkeypatch, "2023-11-01", bad)
    assert [o["error"]["field"] for o in out] == [
        "crs",
        "eligible_for",
        "eligible_for",
        "profile_submitted_at",
        "crs",
    ]


def test_rounds_after_as_of_are_ignored(monkeypatch):
    draws_sync(snapshot=True, flag="none")
    with_later = run(monkeypatch, "2023-11-01", LINES)
    Draw.objects.filter(draw_date__gt=date(2023, 11, 1)).delete()
    assert Draw.objects.exists()
    assert run(monkeypatch, "2023-11-01", LINES) == with_later


def test_percentile_is_null_before_any_distribution(monkeypatch):
    draws_sync(snapshot=True, flag="none")
    out = run(monkeypatch, "2019-06-01", LINES)
    assert all(o["pool_percentile"] is None for o in out)
    assert all(0 <= o["p_90"] <= 1 for o in out)


def test_empty_database_uses_the_shipped_snapshot(monkeypatch, capsys):
    assert not Draw.objects.exists()
    out = run(monkeypatch, "2023-11-01", LINES)
    assert "snapshot" in capsys.readouterr().err
    draws_sync(snapshot=True, flag="none")
    assert run(monkeypatch, "2023-11-01", LINES) == out


def test_monotone_through_the_command(monkeypatch):
    draws_sync(snapshot=True, flag="none")
    lines = [json.dumps({"id": str(s), "crs": s, "eligible_for": ["fsw"]}) for s in range(440, 560, 10)]
    lines += [json.dumps({"id": "big", "crs": 470, "eligible_for": ["fsw", "cec", "french", "healthcare"]})]
    out = run(monkeypatch, "2023-11-01", lines)
    p90 = [o["p_90"] for o in out[:-1]]
    assert p90 == sorted(p90)
    small = next(o for o in out if o["id"] == "470")
    assert all(out[-1][k] >= small[k] for k in ("p_90", "p_180", "p_365"))
