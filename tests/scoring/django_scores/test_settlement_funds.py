"""Proof of funds: recorded settlement funds against the dated Express Entry table decide FSW's funds criterion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from firm.models import Client
from pathways.rules.funds import required_funds_cad
from scoring.models import Eligibility
from scoring.services.scores import client_recompute

from .conftest import celpip, foreign_degree, work

AS_OF = date(2026, 11, 22)


def test_required_funds_follow_the_dated_table():
    assert required_funds_cad(1, AS_OF) == 15263
    assert required_funds_cad(2, AS_OF) == 19001
    assert required_funds_cad(9, AS_OF) == 40392 + 2 * 4112
    assert required_funds_cad(1, date(2020, 12, 23)) == 12960  # the 2020 table (issue 12)
    assert required_funds_cad(None, AS_OF) is None  # family size not known yet


def _fsw_client(world, funds, family_size=1, marital_status="single"):
    client = Client.objects.create(
        firm=world.firm,
        family_size=family_size,
        marital_status=marital_status,
        first_name="F",
        last_name="W",
        date_of_birth=date(1994, 5, 1),
        settlement_funds_cad=funds,
        intended_province="ON",
    )
    foreign_degree(client, "masters", date(2018, 6, 1), eca=date(2024, 3, 1))
    celpip(client, 9, date(2026, 3, 1))
    work(client, date(2019, 1, 1), None)
    return client


def _funds_status(client):
    row = Eligibility.objects.get(client=client, program="fsw", version="")
    funds = next(c for c in row.criteria if c["key"] == "funds")
    return row.outcome, funds["status"]


@pytest.mark.parametrize(
    ("funds", "expected"),
    [
        (Decimal("20000"), ("eligible", "met")),
        (Decimal("9000"), ("not_eligible", "unmet")),
        (None, ("needs_information", "unknown")),
    ],
)
def test_fsw_funds_criterion_uses_recorded_funds(world, funds, expected):
    client = _fsw_client(world, funds)
    client_recompute(client_id=client.pk, as_of=AS_OF)
    assert _funds_status(client) == expected


def test_planning_to_live_in_quebec_is_recorded_as_unmet(world):
    client = _fsw_client(world, Decimal("20000"))
    client.intended_province = "QC"
    client.save()
    client_recompute(client_id=client.pk, as_of=AS_OF)
    row = Eligibility.objects.get(client=client, program="fsw", version="")
    assert row.outcome == "not_eligible"
    assert next(c for c in row.criteria if c["key"] == "outside_quebec")["status"] == "unmet"


def test_unknown_family_size_needs_information_not_the_one_person_amount(world):
    """A married client with funds but no family size recorded was told "met, needs CAD 15,263"."""
    client = _fsw_client(world, Decimal("16000"), family_size=None, marital_status="married")
    client_recompute(client_id=client.pk, as_of=AS_OF)
    outcome, status = _funds_status(client)
    assert (outcome, status) == ("needs_information", "unknown")
    row = Eligibility.objects.get(client=client, program="fsw", version="")
    funds = next(c for c in row.criteria if c["key"] == "funds")
    assert "15,263" not in funds["reason"] and "family size" in funds["reason"]
