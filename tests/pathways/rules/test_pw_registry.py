from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways.rules import (
    ASSESSORS,
    Assessment,
    CaseFacts,
    ClientFacts,
    Criterion,
    JobOffer,
    WorkPeriod,
    assess_all,
    rank_key,
)

APP = date(2025, 3, 1)
CLIENT = ClientFacts(
    citizenships=("US",),
    work=(
        WorkPeriod(
            start=date(2021, 1, 1),
            end=date(2023, 12, 31),
            employer="Other Co",
            noc="21231",
            hours_per_week=40,
            capacity="specialized_knowledge",
        ),
        WorkPeriod(
            start=date(2024, 1, 1),
            employer="Acme Inc",
            noc="21231",
            hours_per_week=40,
            capacity="specialized_knowledge",
        ),
    ),
)
CASE = CaseFacts(
    job_offer=JobOffer(
        employer="Acme Canada Ltd", noc="21231", hourly_wage=60.0, prevailing_wage_hourly=50.0, province="ON"
    ),
    application_date=APP,
    foreign_employer="Acme Inc",
    relationship="subsidiary",
    same_capacity=True,
    position="specialized_knowledge",
    mnc_other_countries=1,
    attestations={
        "ict.foreign_position_held_open": True,
        "ict.canadian_enterprise_active": True,
        "ict.canadian_employer_relationship": True,
        "ict.specialized_knowledge": True,
    },
)


def _a(pathway: str, statuses: list[str]) -> Assessment:
    from pathways.rules.types import outcome_of

    crits = tuple(Criterion(f"k{i}", "l", s, "r", "s", "v", "official") for i, s in enumerate(statuses))  # type: ignore[arg-type]
    return Assessment(pathway=pathway, stream="s", outcome=outcome_of(crits), criteria=crits)


def test_rank_key_orders_eligible_then_fewest_unmet_then_fewest_unknown() -> None:
    items = [
        _a("two_unmet", ["unmet", "unmet"]),
        _a("one_unmet_many_unknown", ["unmet", "unknown", "unknown"]),
        _a("one_unmet", ["unmet"]),
        _a("unknowns", ["unknown", "unknown"]),
        _a("one_unknown", ["unknown", "met"]),
        _a("eligible", ["met"]),
    ]
    ranked = [a.pathway for a in sorted(items, key=rank_key)]
    assert ranked == [
        "eligible",
        "one_unknown",
        "unknowns",
        "one_unmet",
        "one_unmet_many_unknown",
        "two_unmet",
    ]


def test_assess_all_runs_every_assessor_and_ranks() -> None:
    results = assess_all(CLIENT, CASE, APP)
    assert {a.pathway for a in results} == {
        "gts",
        "ict",
        "cusma_ict",
        "cusma_professional",
        "suv",
        "oinp",
        "bcpnp",
        "aaip",
        "sinp",
        "mpnp",
        "express_entry",
    }
    assert set(ASSESSORS) >= {a.pathway for a in results}
    top = [(a.pathway, a.stream) for a in results if a.outcome == "eligible"]
    assert top == [("cusma_ict", "T38"), ("ict", "C63")]
    assert [(a.pathway, a.stream) for a in results[:2]] == top
    keys = [rank_key(a) for a in results]
    assert keys == sorted(keys)
    for a in results:
        assert a.rule_versions and a.as_of == APP


def test_assess_all_subset_and_citizenship_change() -> None:
    results = assess_all(replace(CLIENT, citizenships=("IN",)), CASE, APP, pathways=("ict", "cusma_ict"))
    assert [(a.pathway, a.outcome) for a in results] == [("ict", "eligible"), ("cusma_ict", "not_eligible")]


def test_every_criterion_carries_source_version_and_verification() -> None:
    for a in assess_all(CLIENT, CASE, APP):
        for c in a.criteria:
            assert c.source, (a.pathway, c.key)
            assert c.verification in {"official", "two_sources", "one_source", "unverified"}
            assert c.reason
        for k in a.key_dates:
            assert k.basis
