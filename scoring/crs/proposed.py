"""The CRS changes IRCC consulted on in 2026, as a PROPOSED rule set: comparison only (pure, no Django).

Not in force (see ``scoring/data/crs_proposed_2026.json`` and docs/crs.md "2026: proposed rules"): it is
NOT in ``RULE_SETS``, so stored scores, eligibility and draw flagging never use it. A firm that switches
the comparison on sees, per client, the current total next to the total under the proposed rules:

* the current rule set in force on the date, with the sibling, Canadian-education and French tables
  replaced by the proposal's (assumed) amounts;
* plus the high-wage occupation (HWO) points: the best tier among the NOCs of the client's valid job offer
  and of the Canadian work (at least ``canadian_work_months_in_3_years`` in one NOC in the last 3 years).

Every amount IRCC has not published is marked ``unverified`` in the data and listed in the result.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scoring.crs.engine import score
from scoring.crs.facts import HOURS_PER_YEAR, PersonFacts, build_profile, hours_in_window
from scoring.crs.rulesets import RuleSet, Table, derive, ruleset_for

DATA = Path(__file__).resolve().parent.parent / "data" / "crs_proposed_2026.json"


@cache
def proposal() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _fact(name: str) -> Any:
    return proposal()["facts"][name]["value"]


def unverified_facts() -> list[str]:
    """The proposal's facts that rest on no official text (assumptions and placeholders)."""
    return sorted(k for k, f in proposal()["facts"].items() if f["status"] == "unverified")


_DERIVED: dict[str, RuleSet] = {}


def proposed_ruleset(current: RuleSet) -> RuleSet:
    """``current`` with the proposal's sibling, Canadian-education and French amounts (built once per id)."""
    if current.id not in _DERIVED:
        _DERIVED[current.id] = _derive(current)
    return _DERIVED[current.id]


def _derive(current: RuleSet) -> RuleSet:
    data = proposal()
    src = f"scoring/data/crs_proposed_2026.json ({data['status']}, not in force)"
    cdn = _fact("canadian_education_points")
    french = dict(current.tables["french_bonus"].values)
    french.update(_fact("french_bonus"))
    return derive(
        current,
        id=data["id"],
        source=src,
        status="unverified",
        note=data["summary"],
        sibling=Table(
            "sibling",
            source=src,
            status="unverified",
            values=MappingProxyType({"points": _fact("sibling_points")}),
        ),
        canadian_education=Table(
            "canadian_education",
            source=src,
            status="unverified",
            rows=MappingProxyType(
                {
                    "none": (0, 0),
                    "one_or_two_year": (cdn["one_or_two_year"],) * 2,
                    "three_year_or_more": (cdn["three_year_or_more"],) * 2,
                }
            ),
        ),
        french_bonus=Table("french_bonus", source=src, status="unverified", values=MappingProxyType(french)),
    )


@dataclass(frozen=True)
class HighWage:
    points: int
    tier: str | None
    noc: str | None
    basis: str


def high_wage_points(facts: PersonFacts, as_of: date) -> HighWage:
    """The best HWO tier among the job offer's NOC and the NOCs of enough recent Canadian work."""
    tiers: dict[str, str] = _fact("hwo_occupations")
    points: dict[str, int] = _fact("hwo_points")
    rule = _fact("hwo_qualifying_experience")
    candidates: list[tuple[str, str]] = []
    offer = facts.job_offer
    if rule.get("job_offer") and offer is not None and offer.noc and offer.valid():
        candidates.append((offer.noc, "job offer"))
    by_noc: dict[str, list[Any]] = defaultdict(list)
    for p in facts.work:
        if p.in_canada and p.paid and p.noc:
            by_noc[p.noc].append(p)
    need_hours = HOURS_PER_YEAR * rule["canadian_work_months_in_3_years"] / 12
    for noc, periods in by_noc.items():
        if hours_in_window(periods, as_of, 3) >= need_hours:
            candidates.append((noc, "Canadian work in the last 3 years"))
    best = HighWage(0, None, None, "no job offer or Canadian work in a listed high-wage occupation")
    for noc, basis in candidates:
        tier = tiers.get(noc)
        if tier and points[tier] > best.points:
            best = HighWage(points[tier], tier, noc, basis)
    return best


def compare(facts: PersonFacts, as_of: date) -> dict[str, Any]:
    """Current total vs the total under the proposed rules, with what changed and what is assumed."""
    current_rules = ruleset_for(as_of)
    current = score(build_profile(facts, as_of, current_rules), current_rules)
    proposed_rules = proposed_ruleset(current_rules)
    base = score(build_profile(facts, as_of, proposed_rules), proposed_rules)
    hwo = high_wage_points(facts, as_of)
    total = min(base.total + hwo.points, 1200)
    changed = {
        key: {"current": current.breakdown.get(key, 0), "proposed": base.breakdown.get(key, 0)}
        for key in sorted(set(current.breakdown) | set(base.breakdown))
        if current.breakdown.get(key, 0) != base.breakdown.get(key, 0)
    }
    if hwo.points:
        changed["additional.high_wage_occupation"] = {"current": 0, "proposed": hwo.points}
    data = proposal()
    return {
        "as_of": as_of.isoformat(),
        "status": data["status"],
        "in_force": data["in_force"],
        "current": {"total": current.total, "rule_set": current.rule_set},
        "proposed": {
            "total": total,
            "rule_set": data["id"],
            "high_wage_occupation": {
                "points": hwo.points,
                "tier": hwo.tier,
                "noc": hwo.noc,
                "basis": hwo.basis,
            },
        },
        "difference": total - current.total,
        "changed": changed,
        "unverified": unverified_facts(),
        "summary": data["summary"],
    }
