"""Proof of funds: one dated table per year IRCC published (issue 12), and unknown family size."""

from __future__ import annotations

from datetime import date

import pytest

from pathways.rules.data import rules_at
from pathways.rules.funds import required_funds_cad


@pytest.mark.parametrize(
    ("day", "size", "amount"),
    [
        (date(2019, 6, 1), 1, 12669),
        (date(2020, 12, 23), 1, 12960),  # round 170
        (date(2020, 12, 23), 2, 16135),
        (date(2021, 8, 1), 1, 13213),
        (date(2022, 7, 1), 3, 20371),
        (date(2023, 4, 24), 1, 13310),  # the day before the 2023 table
        (date(2023, 4, 25), 1, 13757),
        (date(2024, 5, 27), 7, 36407),
        (date(2024, 5, 28), 1, 14690),
        (date(2024, 5, 28), 7, 38875),
        (date(2024, 5, 28), 9, 38875 + 2 * 3958),
        (date(2025, 7, 7), 1, 15263),
    ],
)
def test_yearly_tables_back_to_2019(day: date, size: int, amount: int) -> None:
    assert required_funds_cad(size, day) == amount


def test_every_table_has_a_source_and_a_status() -> None:
    for day in (date(2019, 6, 1), date(2020, 3, 1), date(2021, 8, 1), date(2023, 5, 1), date(2024, 6, 1)):
        rs = rules_at("proof_of_funds", day)
        assert rs is not None
        fact = rs.fact("table")
        assert "canada.ca" in fact.source and fact.status in ("two_sources", "one_source")


def test_unknown_family_size_gives_no_amount() -> None:
    assert required_funds_cad(None, date(2026, 1, 1)) is None
