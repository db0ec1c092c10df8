"""Express Entry category-based selection: versions, NOC lists and candidate eligibility.

Data: ``scoring/data/categories_noc_by_version.csv`` (copied unchanged from the reference) and
the rules in categories.md. Versions:

* ``2023-v1``: from 2023-05-31; 6 months continuous full-time (or equivalent) work in one listed
  occupation within 3 years.
* ``2025-v2``: from 2025-02-27; same work rule.
* ``2026``: from 2026-02-18; 12 months (1,560 h) in one listed occupation within 3 years, not
  necessarily continuous. "with Canadian work experience" categories need the work in Canada (the
  minimum is UNVERIFIED; the 2026 rule is applied). Military recruits need a Canadian Armed Forces
  job offer (UNVERIFIED).

The candidate must also be eligible for FSW, CEC or FSTP.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

from scoring.crs.dates import ONE_DAY, years_back
from scoring.crs.eligibility import (
    ELIGIBLE,
    MET,
    NEEDS_INFORMATION,
    NOT_ELIGIBLE,
    UNKNOWN,
    UNMET,
    Criterion,
    ProgramEligibility,
    overall,
    program_eligibility,
)
from scoring.crs.facts import (
    HOURS_PER_YEAR,
    PersonFacts,
    WorkPeriodFact,
    _unit_segments,
    best_language_results,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "categories_noc_by_version.csv"

#: Category keys used by draws (program rounds and category rounds).
DRAW_CATEGORY_KEYS: tuple[str, ...] = (
    "general",
    "no_program",
    "cec",
    "fsw",
    "fst",
    "pnp",
    "french",
    "healthcare",
    "stem",
    "trades",
    "transport",
    "agriculture",
    "education",
    "physicians",
    "senior_managers",
    "researchers",
    "military",
)
PROGRAM_KEYS: frozenset[str] = frozenset({"general", "no_program", "cec", "fsw", "fst", "pnp"})
OCCUPATION_CATEGORY_KEYS: tuple[str, ...] = (
    "healthcare",
    "stem",
    "trades",
    "transport",
    "agriculture",
    "education",
    "physicians",
    "senior_managers",
    "researchers",
    "military",
)
_CSV_CATEGORY = {"trade": "trades", "senior-managers": "senior_managers"}

_CAT = "categories.md"


@dataclass(frozen=True, slots=True)
class CategoryVersion:
    key: str
    csv_label: str
    effective_from: date
    categories: tuple[str, ...]
    months_required: int
    hours_required: int
    continuous: bool
    source: str
    status: str


VERSIONS: tuple[CategoryVersion, ...] = (
    CategoryVersion(
        key="2023-v1",
        csv_label="2023-2024 (Version 1)",
        effective_from=date(2023, 5, 31),
        categories=("french", "healthcare", "stem", "trades", "transport", "agriculture"),
        months_required=6,
        hours_required=HOURS_PER_YEAR // 2,
        continuous=True,
        source=f"{_CAT} 2023-2024 Version 1; work rule from Brightlight (39765950611) and hint file (71576719851)",
        status="corroborated",
    ),
    CategoryVersion(
        key="2025-v2",
        csv_label="2025 (Version 2; Transport dropped, Education added)",
        effective_from=date(2025, 2, 27),
        categories=("french", "healthcare", "stem", "trades", "agriculture", "education"),
        months_required=6,
        hours_required=HOURS_PER_YEAR // 2,
        continuous=True,
        source=f"{_CAT} 2025 Version 2 (growingglobe, jbi, dfimmigration, ...; Mondaq 2025-03-04 for the 6-month rule)",
        status="corroborated",
    ),
    CategoryVersion(
        key="2026",
        csv_label='2026 (renewed as "2026-Version N"; Agriculture dropped)',
        effective_from=date(2026, 2, 18),
        categories=(
            "french",
            "healthcare",
            "stem",
            "trades",
            "education",
            "transport",
            "physicians",
            "senior_managers",
            "researchers",
            "military",
        ),
        months_required=12,
        hours_required=HOURS_PER_YEAR,
        continuous=False,
        source=f"{_CAT} 2026 (canada.ca scrape 2026-08-21; saabimmigration, fragomen, expat.com for the 12-month rule)",
        status="official",
    ),
)
VERSIONS_BY_KEY: MappingProxyType[str, CategoryVersion] = MappingProxyType({v.key: v for v in VERSIONS})
CANADIAN_WORK_CATEGORIES: frozenset[str] = frozenset({"physicians", "senior_managers", "researchers"})


@cache
def noc_lists() -> MappingProxyType[str, MappingProxyType[str, frozenset[str]]]:
    """{version key: {category: frozenset of NOC codes}} from the CSV."""
    by_label = {v.csv_label: v.key for v in VERSIONS}
    out: dict[str, dict[str, set[str]]] = {v.key: {} for v in VERSIONS}
    with DATA_FILE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = by_label[row["version"]]
            cat = _CSV_CATEGORY.get(row["category"], row["category"])
            out[key].setdefault(cat, set()).add(row["noc_2021"].strip())
    return MappingProxyType(
        {k: MappingProxyType({c: frozenset(n) for c, n in v.items()}) for k, v in out.items()}
    )


def version_for_date(day: date) -> CategoryVersion | None:
    chosen = None
    for v in VERSIONS:
        if v.effective_from <= day:
            chosen = v
    return chosen


def version_key_for(category: str, draw_date: date) -> str | None:
    """The category version (NOC list) that applied to a draw of ``category`` on ``draw_date``.

    None for program rounds (general, cec, pnp, ...) or when the category did not exist then.
    """
    if category in PROGRAM_KEYS:
        return None
    v = version_for_date(draw_date)
    if v is None or category not in v.categories:
        return None
    return v.key


_LABEL_RE = re.compile(r"(?:\(\s*version\s*(\d+)\s*\)|(20\d\d)\s*-\s*version\s*(\d+))", re.IGNORECASE)


def version_key_from_label(draw_name: str, draw_date: date) -> str | None:
    """Map a draw name's version tag ('(Version 1)', '2026-Version 3') to a version key.

    The feed's own version numbers are per category (Education's first round in 2025 is
    "(Version 1)" but uses the 2025 list), so the draw date decides; the tag is only checked for
    the year form ("2026-Version N" -> the 2026 lists).
    """
    m = _LABEL_RE.search(draw_name)
    if m and m.group(2):
        year = int(m.group(2))
        for v in VERSIONS:
            if v.effective_from.year == year:
                return v.key
    current = version_for_date(draw_date)
    return current.key if current else None


def nocs_for(category: str, version_key: str) -> frozenset[str]:
    lists = noc_lists().get(version_key)
    return lists.get(category, frozenset()) if lists is not None else frozenset()


@dataclass(frozen=True, slots=True)
class CategoryEligibility:
    category: str
    version: str
    status: str
    criteria: list[Criterion]


def _work_in_nocs(
    work: list[WorkPeriodFact],
    nocs: frozenset[str],
    as_of: date,
    version: CategoryVersion,
    in_canada_only: bool,
) -> tuple[bool, str]:
    lo = years_back(as_of, 3) + ONE_DAY
    need_units = version.hours_required * 7 * 100
    best = 0
    best_noc = None
    for noc in sorted({p.noc for p in work if p.noc in nocs}):  # only the listed NOCs the client has
        periods = [p for p in work if p.noc == noc and p.paid and (p.in_canada or not in_canada_only)]
        if not periods:
            continue
        segments = _unit_segments(periods, lo, as_of)
        if version.continuous:
            run = 0
            top = 0
            for a, b, u in segments:
                run = run + (b - a) * u if u > 0 else 0
                top = max(top, run)
            value = top
        else:
            value = sum((b - a) * u for a, b, u in segments)
        if value > best:
            best, best_noc = value, noc
    hours = best / 700
    where = " in Canada" if in_canada_only else ""
    kind = "continuous " if version.continuous else ""
    if best >= need_units:
        return True, f"{hours:,.0f} h of {kind}work{where} in NOC {best_noc} within 3 years"
    return False, (
        f"needs {version.months_required} months ({version.hours_required:,} h) of {kind}work{where} "
        f"in one listed occupation within 3 years; best is {hours:,.0f} h"
    )


def _program_criterion(
    facts: PersonFacts, as_of: date, programs: dict[str, ProgramEligibility] | None = None
) -> Criterion:
    if programs is None:
        programs = program_eligibility(facts, as_of)
    statuses = {k: v.status for k, v in programs.items()}
    if ELIGIBLE in statuses.values():
        ok = [k for k, s in statuses.items() if s == ELIGIBLE]
        return Criterion("program", MET, f"eligible for {', '.join(ok).upper()}", _CAT)
    if NEEDS_INFORMATION in statuses.values():
        return Criterion("program", UNKNOWN, "eligibility for FSW/CEC/FSTP needs more information", _CAT)
    return Criterion("program", UNMET, "not eligible for FSW, CEC or FSTP", _CAT)


def _one_category(
    facts: PersonFacts, as_of: date, category: str, version: CategoryVersion, program: Criterion
) -> CategoryEligibility:
    criteria = [program]
    if category == "french":
        best = best_language_results(facts.language_tests, as_of)
        if "fr" in best:
            lv = best["fr"][1]
            ok = min(lv) >= 7
            criteria.append(
                Criterion(
                    "french",
                    MET if ok else UNMET,
                    f"NCLC 7 in all four French abilities needed; has {lv}",
                    f"{_CAT} (V2+: S2, S3, S5)",
                )
            )
        else:
            criteria.append(Criterion("french", UNMET, "no valid French test result (TEF/TCF)", _CAT))
    elif category == "military":
        offer = facts.job_offer
        if offer is not None and offer.caf:
            criteria.append(
                Criterion(
                    "caf_job_offer", MET, "has a Canadian Armed Forces job offer", f"{_CAT} (unverified)"
                )
            )
        else:
            criteria.append(
                Criterion(
                    "caf_job_offer",
                    UNKNOWN,
                    "needs a Canadian Armed Forces job offer (rule unverified)",
                    f"{_CAT} (unverified)",
                )
            )
    else:
        nocs = nocs_for(category, version.key)
        in_canada = category in CANADIAN_WORK_CATEGORIES
        ok, reason = _work_in_nocs(facts.work, nocs, as_of, version, in_canada)
        source = f"{_CAT} {version.key}"
        if in_canada:
            source += " (work in Canada; minimum UNVERIFIED, 2026 rule applied)"
        criteria.append(Criterion("occupation_work", MET if ok else UNMET, reason, source))
    return CategoryEligibility(category, version.key, overall(criteria), criteria)


def category_eligibility(
    facts: PersonFacts,
    as_of: date,
    version: str | None = None,
    *,
    programs: dict[str, ProgramEligibility] | None = None,
) -> dict[str, CategoryEligibility]:
    """Eligibility for each category of a version (default: the version in force on ``as_of``).

    ``programs``: the result of ``program_eligibility(facts, as_of)`` when the caller already has it
    (saves recomputing it for every version).
    """
    v = VERSIONS_BY_KEY[version] if version else version_for_date(as_of)
    if v is None:
        return {}
    program = _program_criterion(facts, as_of, programs)
    return {cat: _one_category(facts, as_of, cat, v, program) for cat in v.categories}


def draw_eligibility(facts: PersonFacts, category: str, draw_date: date, as_of: date | None = None) -> str:
    """eligible / not_eligible / needs_information for a draw of ``category`` held on ``draw_date``."""
    as_of = as_of or draw_date
    programs = program_eligibility(facts, as_of)
    if category in ("general", "no_program"):
        statuses = [p.status for p in programs.values()]
    elif category in ("cec", "fsw", "fst"):
        statuses = [programs[category].status]
    elif category == "pnp":
        if not facts.nomination:
            return NOT_ELIGIBLE
        statuses = [p.status for p in programs.values()]
    else:
        key = version_key_for(category, draw_date)
        if key is None:
            return NOT_ELIGIBLE
        return _one_category(
            facts, as_of, category, VERSIONS_BY_KEY[key], _program_criterion(facts, as_of)
        ).status
    if ELIGIBLE in statuses:
        return ELIGIBLE
    if NEEDS_INFORMATION in statuses:
        return NEEDS_INFORMATION
    return NOT_ELIGIBLE
