"""Historical flagging (issue 12): the rounds a client would have cleared with the score AS OF each round."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from firm.models import Client, Education
from scoring.models import DrawMatch
from scoring.services.draws import draws_sync_snapshot
from scoring.services.history import client_past_rounds

from .conftest import seed_client

pytestmark = pytest.mark.django_db


def _seed_in_2020(world) -> Client:
    """The seed candidate (single, 3+ years abroad, CELPIP 10, TEER 1 offer), in the pool in 2020 with funds."""
    client = seed_client(world.firm, dob=date(1985, 1, 1), test_date=date(2020, 3, 1))
    Client.objects.filter(pk=client.pk).update(
        settlement_funds_cad=Decimal("14000"),
        family_size=1,
        intended_province="ON",
        ee_profile_number="E000111222",
        ee_profile_submitted_at=datetime(2020, 4, 1, tzinfo=UTC),
    )
    Education.objects.filter(client=client).update(eca_date=date(2019, 6, 1))  # assessed before 2020
    return client


def test_seed_candidate_is_flagged_for_round_170(world):
    client = _seed_in_2020(world)
    draws_sync_snapshot(flag="none")
    rounds = {
        r.draw_number: r
        for r in client_past_rounds(client.pk, since=date(2020, 1, 1), until=date(2021, 6, 30))
    }
    assert "170" in rounds, sorted(rounds)
    r170 = rounds["170"]
    assert r170.draw_date == date(2020, 12, 23) and r170.min_crs == 468
    assert r170.score > 468 and r170.in_pool
    assert "fsw" in r170.eligibility_basis
    # PNP-only rounds need a nomination the client never had
    assert "171" not in rounds
    # read only: nothing flagged, nothing stored
    assert not DrawMatch.objects.exists()


def test_flag_draws_as_of_draw_date_lists_without_writing(world):
    client = _seed_in_2020(world)
    draws_sync_snapshot(flag="none")
    out = io.StringIO()
    call_command("flag_draws", "170", "171", "--as-of-draw-date", stdout=out)
    text = out.getvalue()
    assert "#170 2020-12-23 cut-off 468: 1 client(s)" in text
    assert f"client {client.pk}:" in text
    assert "#171 2021-01-06 cut-off 813: 0 client(s)" in text
    assert not DrawMatch.objects.exists()
