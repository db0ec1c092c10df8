"""The 2026 CRS proposal (issue 12): a comparison rule set, never in force, never used for scores or flagging."""

from __future__ import annotations

from datetime import date

from scoring.crs.facts import EducationFact, JobOfferFact, LanguageTestFact, PersonFacts, WorkPeriodFact
from scoring.crs.proposed import compare, high_wage_points, proposal, unverified_facts
from scoring.crs.rulesets import RULE_SETS, ruleset_for

AS_OF = date(2026, 12, 1)
CLB9 = LanguageTestFact(
    test="clb",
    scores=dict.fromkeys(("listening", "reading", "writing", "speaking"), 9),
    test_date=date(2026, 1, 10),
)


def person(**kw) -> PersonFacts:
    base = {
        "date_of_birth": date(1994, 5, 1),
        "educations": [EducationFact(level="masters", in_canada=False, program_years=2, completed=date(2018, 6, 1),
                                     eca_date=date(2024, 1, 1))],
        "language_tests": [CLB9],
        "work": [WorkPeriodFact(start=date(2022, 1, 1), end=None, hours_per_week=40, in_canada=True, noc="20012", teer=0)],
    }  # fmt: skip
    base.update(kw)
    return PersonFacts(**base)


def test_never_in_force_and_not_a_dated_rule_set() -> None:
    data = proposal()
    assert data["in_force"] is False and data["use_for_flagging"] is False and data["status"] == "proposed"
    assert all(r.id != data["id"] for r in RULE_SETS)
    assert ruleset_for(AS_OF).id != data["id"]
    assert data["facts"]["in_force_date"]["value"] is None
    assert {"hwo_points", "sibling_points", "in_force_date"} <= set(unverified_facts())
    for fact in data["facts"].values():
        assert fact["source"] and fact["status"] in ("two_sources", "one_source", "unverified")


def test_high_wage_occupation_from_canadian_work_and_from_a_job_offer() -> None:
    hwo = high_wage_points(person(), AS_OF)
    assert (hwo.points, hwo.tier, hwo.noc) == (100, "tier_2x", "20012")
    offer_only = person(
        work=[],
        job_offer=JobOfferFact(noc="21332", teer=1, full_time=True, duration_months=12, supported=True),
    )
    assert high_wage_points(offer_only, AS_OF).noc == "21332"
    unlisted = person(
        work=[WorkPeriodFact(start=date(2022, 1, 1), hours_per_week=40, in_canada=True, noc="21231")]
    )
    assert high_wage_points(unlisted, AS_OF).points == 0


def test_compare_adds_hwo_and_removes_the_sibling_points() -> None:
    facts = person(sibling_in_canada=True)
    out = compare(facts, AS_OF)
    assert out["status"] == "proposed" and out["in_force"] is False
    assert out["proposed"]["high_wage_occupation"]["points"] == 100
    assert out["changed"]["additional.sibling"] == {"current": 15, "proposed": 0}
    assert out["difference"] == out["proposed"]["total"] - out["current"]["total"] == 100 - 15
    assert out["current"]["rule_set"] == ruleset_for(AS_OF).id
