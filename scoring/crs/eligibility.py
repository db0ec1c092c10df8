"""Express Entry program eligibility (FSW, CEC, FSTP) from a client's facts on a date.

Rules from crs_rules.md F (FSW grid) and G (minimum requirements), and pathways.md 6.1.
Each check returns a :class:`ProgramEligibility` with ``status`` one of ``eligible``,
``not_eligible`` or ``needs_information`` and the criteria behind it (met / unmet / unknown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scoring.crs.dates import age_on
from scoring.crs.facts import (
    HOURS_PER_YEAR,
    PersonFacts,
    WorkPeriodFact,
    best_language_results,
    counted_educations,
    education_level,
    hours_in_window,
    years_in_window,
)

MET = "met"
UNMET = "unmet"
UNKNOWN = "unknown"
ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_INFORMATION = "needs_information"

_G = "crs_rules.md G (S0 fed-eligibility.json requirements, OFFICIAL+)"
_F = "crs_rules.md F (S0 selectionFactors, S5; OFFICIAL+)"


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    status: str  # met | unmet | unknown
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class ProgramEligibility:
    program: str  # fsw | cec | fst
    status: str
    criteria: list[Criterion]
    details: dict[str, Any] = field(default_factory=dict)  # e.g. the FSW grid breakdown


def overall(criteria: Iterable[Criterion]) -> str:
    statuses = [c.status for c in criteria]
    if UNMET in statuses:
        return NOT_ELIGIBLE
    if UNKNOWN in statuses:
        return NEEDS_INFORMATION
    return ELIGIBLE


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _first_language(facts: PersonFacts, as_of: date) -> tuple[str, tuple[int, int, int, int]] | None:
    best = best_language_results(facts.language_tests, as_of)
    if not best:
        return None
    marked = [code for code, (t, _) in best.items() if t.is_first]
    if len(marked) == 1:
        return marked[0], best[marked[0]][1]
    code = max(best, key=lambda c: (min(best[c][1]), sum(best[c][1])))
    return code, best[code][1]


def _second_language(facts: PersonFacts, as_of: date, first_code: str) -> tuple[int, int, int, int] | None:
    best = best_language_results(facts.language_tests, as_of)
    other = "fr" if first_code == "en" else "en"
    return best[other][1] if other in best else None


def _language_criterion(
    facts: PersonFacts, as_of: date, minimums: tuple[int, int, int, int], key: str, label: str
) -> Criterion:
    first = _first_language(facts, as_of)
    if first is None:
        reason = (
            "no valid language result on file (results are valid for 2 years)"
            if facts.language_tests
            else "no language test on file"
        )
        return Criterion(key, UNKNOWN, reason, _G)
    _, lv = first
    ok = all(level >= m for level, m in zip(lv, minimums, strict=True))
    levels = ", ".join(
        f"{a} {v}" for a, v in zip(("listening", "reading", "writing", "speaking"), lv, strict=True)
    )
    return Criterion(
        key,
        MET if ok else UNMET,
        f"{label} needed; first official language levels: {levels}",
        _G,
    )


def _unknown_teer(periods: Iterable[WorkPeriodFact]) -> bool:
    return any(p.teer_level is None for p in periods)


def _by_noc(periods: Iterable[WorkPeriodFact]) -> dict[str, list[WorkPeriodFact]]:
    out: dict[str, list[WorkPeriodFact]] = defaultdict(list)
    for p in periods:
        out[p.noc or "?"].append(p)
    return out


def _quebec(facts: PersonFacts) -> Criterion:
    v = facts.plans_to_live_outside_quebec
    if v is None:
        return Criterion(
            "outside_quebec", UNKNOWN, "not recorded whether the client plans to live outside Quebec", _G
        )
    return Criterion(
        "outside_quebec",
        MET if v else UNMET,
        "plans to live outside Quebec"
        if v
        else "plans to live in Quebec (Quebec selects its own skilled workers)",
        _G,
    )


def _valid_offer(facts: PersonFacts) -> bool | None:
    if facts.job_offer is None:
        return False
    return facts.job_offer.valid()


def _funds(facts: PersonFacts) -> Criterion:
    offer = _valid_offer(facts)
    if facts.authorized_to_work_in_canada and offer:
        return Criterion("funds", MET, "exempt: authorized to work in Canada with a valid job offer", _G)
    if facts.settlement_funds_cad is None or facts.required_funds_cad is None:
        return Criterion(
            "funds",
            UNKNOWN,
            "settlement funds, the family size or a proof-of-funds table for the date not recorded",
            _G,
        )
    ok = facts.settlement_funds_cad >= facts.required_funds_cad
    return Criterion(
        "funds",
        MET if ok else UNMET,
        f"has CAD {facts.settlement_funds_cad:,}; needs CAD {facts.required_funds_cad:,}",
        _G,
    )


# --------------------------------------------------------------------------------------------
# FSW
# --------------------------------------------------------------------------------------------

_FSW_EDU = {
    "none": 0,
    "secondary": 5,
    "one_year": 15,
    "two_year": 19,
    "bachelors": 21,
    "two_or_more": 22,
    "masters": 23,
    "phd": 25,
}


def _fsw_age(age: int) -> int:
    if age < 18:
        return 0
    if age <= 35:
        return 12
    if age <= 46:
        return 12 - (age - 35)
    return 0


def _fsw_language_points(lv: tuple[int, int, int, int]) -> int:
    pts = 0
    for level in lv:
        pts += 6 if level >= 9 else 5 if level == 8 else 4 if level == 7 else 0
    return pts


def _fsw_experience_points(years: int) -> int:
    if years >= 6:
        return 15
    if years >= 4:
        return 13
    if years >= 2:
        return 11
    if years >= 1:
        return 9
    return 0


def fsw_grid(facts: PersonFacts, as_of: date) -> dict[str, int]:
    """The FSW 67-point selection grid (crs_rules.md F)."""
    first = _first_language(facts, as_of)
    lang = 0
    if first is not None:
        lang = _fsw_language_points(first[1])
        second = _second_language(facts, as_of, first[0])
        if second is not None and min(second) >= 5:
            lang += 4
    lang = min(lang, 28)
    edu = _FSW_EDU[education_level(facts.educations, as_of)]
    skilled_paid = [p for p in facts.work if p.paid and p.skilled]
    exp = _fsw_experience_points(years_in_window(skilled_paid, as_of, 10))
    age = _fsw_age(age_on(facts.date_of_birth, as_of))
    offer = _valid_offer(facts)
    ae = 10 if offer else 0
    adapt = 0
    canadian_skilled = [p for p in facts.work if p.in_canada and p.paid and p.skilled and p.authorized]
    if years_in_window(canadian_skilled, as_of, 10) >= 1:
        adapt += 10
    if any(e.in_canada and (e.program_years or 0) >= 2 for e in counted_educations(facts.educations, as_of)):
        adapt += 5
    if facts.with_spouse and facts.spouse is not None:
        sp = facts.spouse
        sp_best = best_language_results(sp.language_tests, as_of)
        if any(min(lv) >= 4 for _, lv in sp_best.values()):
            adapt += 5
        if sp.studied_in_canada or any(e.in_canada for e in sp.educations):
            adapt += 5
        if years_in_window([p for p in sp.work if p.in_canada and p.paid], as_of, 10) >= 1:
            adapt += 5
    if offer:
        adapt += 5
    if facts.relative_in_canada or facts.sibling_in_canada:
        adapt += 5
    adapt = min(adapt, 10)
    total = lang + edu + exp + age + ae + adapt
    return {
        "language": lang,
        "education": edu,
        "experience": exp,
        "age": age,
        "arranged_employment": ae,
        "adaptability": adapt,
        "total": total,
    }


def fsw_eligibility(facts: PersonFacts, as_of: date) -> ProgramEligibility:
    criteria: list[Criterion] = []
    # 1 year (1,560 h) in ONE skilled occupation within 10 years, paid
    paid = [p for p in facts.work if p.paid]
    best_noc, best_hours = None, 0.0
    for noc, periods in _by_noc(p for p in paid if p.skilled).items():
        h = hours_in_window(periods, as_of, 10)
        if h > best_hours:
            best_noc, best_hours = noc, h
    if best_hours >= HOURS_PER_YEAR:
        criteria.append(
            Criterion(
                "work_experience",
                MET,
                f"{best_hours:,.0f} h of skilled paid work in NOC {best_noc} within 10 years (1,560 h needed)",
                _G,
            )
        )
    elif _unknown_teer(paid):
        criteria.append(
            Criterion(
                "work_experience", UNKNOWN, "some jobs have no NOC/TEER recorded; cannot tell if skilled", _G
            )
        )
    else:
        criteria.append(
            Criterion(
                "work_experience",
                UNMET,
                f"needs 1 year (1,560 h) of skilled paid work in one occupation within 10 years; best is {best_hours:,.0f} h",
                _G,
            )
        )
    criteria.append(
        _language_criterion(facts, as_of, (7, 7, 7, 7), "language", "CLB 7 in all four abilities")
    )
    # education: Canadian credential or foreign + valid ECA
    counted = [e for e in counted_educations(facts.educations, as_of) if e.level != "none"]
    if counted:
        criteria.append(
            Criterion(
                "education",
                MET,
                "Canadian credential or foreign credential with an ECA under 5 years old",
                _G,
            )
        )
    elif facts.educations:
        criteria.append(
            Criterion(
                "education",
                UNMET,
                "foreign credential without an ECA under 5 years old (pathways.md 6.1, IRPR s.75(2)(e))",
                _G,
            )
        )
    else:
        criteria.append(Criterion("education", UNKNOWN, "no education on file", _G))
    grid = fsw_grid(facts, as_of)
    criteria.append(
        Criterion(
            "selection_grid",
            MET if grid["total"] >= 67 else UNMET,
            f"{grid['total']} of 100 selection points (67 needed)",
            _F + "; arranged employment 10 is S5 + MEM",
        )
    )
    criteria.append(_funds(facts))
    criteria.append(_quebec(facts))
    return ProgramEligibility("fsw", overall(criteria), criteria, {"grid": grid})


# --------------------------------------------------------------------------------------------
# CEC
# --------------------------------------------------------------------------------------------


def cec_qualifying_work(work: Iterable[WorkPeriodFact]) -> list[WorkPeriodFact]:
    return [
        p
        for p in work
        if p.in_canada
        and p.paid
        and p.authorized
        and not p.self_employed
        and not p.while_full_time_student
        and p.skilled
    ]


def cec_eligibility(facts: PersonFacts, as_of: date) -> ProgramEligibility:
    criteria: list[Criterion] = []
    qualifying = cec_qualifying_work(facts.work)
    hours = hours_in_window(qualifying, as_of, 3)
    canadian = [p for p in facts.work if p.in_canada]
    if hours >= HOURS_PER_YEAR:
        criteria.append(
            Criterion(
                "canadian_work", MET, f"{hours:,.0f} h of qualifying Canadian work in the last 3 years", _G
            )
        )
    elif _unknown_teer(canadian):
        criteria.append(
            Criterion("canadian_work", UNKNOWN, "some Canadian jobs have no NOC/TEER recorded", _G)
        )
    else:
        criteria.append(
            Criterion(
                "canadian_work",
                UNMET,
                f"needs 1 year (1,560 h) of skilled, paid, authorized Canadian work in the last 3 years "
                f"(not self-employed, not while a full-time student); has {hours:,.0f} h",
                _G,
            )
        )
    # Language threshold from the TEER with the most qualifying hours (pathways.md 6.1, s.87.1(2)(e))
    by_teer: dict[int, float] = {}
    for p in qualifying:
        t = p.teer_level
        if t is not None:
            by_teer[t] = by_teer.get(t, 0) + hours_in_window([p], as_of, 3)
    if by_teer:
        main_teer = max(by_teer, key=lambda t: (by_teer[t], -t))
        need = 7 if main_teer <= 1 else 5
        criteria.append(
            _language_criterion(
                facts,
                as_of,
                (need,) * 4,
                "language",
                f"CLB/NCLC {need} in all four abilities (TEER {main_teer})",
            )
        )
    else:
        crit = _language_criterion(facts, as_of, (5, 5, 5, 5), "language", "CLB/NCLC 5 at least")
        criteria.append(
            Criterion(
                "language",
                UNMET if crit.status == UNMET else UNKNOWN,
                crit.reason + "; threshold depends on TEER",
                _G,
            )
        )
    criteria.append(_quebec(facts))
    return ProgramEligibility("cec", overall(criteria), criteria)


# --------------------------------------------------------------------------------------------
# FSTP
# --------------------------------------------------------------------------------------------


def is_skilled_trade(noc: str | None) -> bool | None:
    """NOC 2021 skilled trades for FSTP (crs_rules.md G, OFFICIAL+)."""
    if not noc or len(noc) != 5 or not noc.isdigit():
        return None
    major, sub_major, minor = noc[:2], noc[:3], noc[:4]
    if major in ("72", "73", "82", "83", "92", "93"):
        return sub_major not in ("726", "932")
    return minor == "6320" or noc == "62200"


def fst_eligibility(facts: PersonFacts, as_of: date) -> ProgramEligibility:
    criteria: list[Criterion] = []
    paid = [p for p in facts.work if p.paid]
    best_noc, best_hours = None, 0.0
    for noc, periods in _by_noc(p for p in paid if is_skilled_trade(p.noc)).items():
        h = hours_in_window(periods, as_of, 5)
        if h > best_hours:
            best_noc, best_hours = noc, h
    if best_hours >= 2 * HOURS_PER_YEAR:
        criteria.append(
            Criterion(
                "trade_work",
                MET,
                f"{best_hours:,.0f} h in trade NOC {best_noc} within 5 years (3,120 h needed)",
                _G,
            )
        )
    elif any(is_skilled_trade(p.noc) is None for p in paid):
        criteria.append(Criterion("trade_work", UNKNOWN, "some jobs have no NOC recorded", _G))
    else:
        criteria.append(
            Criterion(
                "trade_work",
                UNMET,
                f"needs 2 years (3,120 h) in one eligible skilled trade within 5 years; best is {best_hours:,.0f} h",
                _G,
            )
        )
    criteria.append(
        _language_criterion(
            facts, as_of, (5, 4, 4, 5), "language", "CLB 5 speaking and listening, CLB 4 reading and writing"
        )
    )
    offer = _valid_offer(facts)
    if facts.certificate_of_qualification:
        criteria.append(
            Criterion("certificate_or_offer", MET, "has a Canadian certificate of qualification", _G)
        )
    elif offer:
        criteria.append(
            Criterion("certificate_or_offer", MET, "has a valid full-time job offer of at least 1 year", _G)
        )
    elif offer is None:
        criteria.append(
            Criterion(
                "certificate_or_offer",
                UNKNOWN,
                "job offer recorded but not known to be LMIA-backed or exempt",
                _G,
            )
        )
    else:
        criteria.append(
            Criterion(
                "certificate_or_offer", UNMET, "needs a certificate of qualification or a valid job offer", _G
            )
        )
    v = facts.meets_trade_noc_requirements
    criteria.append(
        Criterion(
            "noc_requirements",
            UNKNOWN if v is None else (MET if v else UNMET),
            "meets the NOC employment requirements of the trade (except certification)"
            if v is not False
            else "does not meet the NOC employment requirements of the trade",
            _G,
        )
    )
    criteria.append(_funds(facts))
    criteria.append(_quebec(facts))
    return ProgramEligibility("fst", overall(criteria), criteria)


def program_eligibility(facts: PersonFacts, as_of: date) -> dict[str, ProgramEligibility]:
    return {
        "fsw": fsw_eligibility(facts, as_of),
        "cec": cec_eligibility(facts, as_of),
        "fst": fst_eligibility(facts, as_of),
    }
