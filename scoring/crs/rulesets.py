"""Dated CRS rule sets.

Every rule set is plain data: a :class:`RuleSet` holds one :class:`Table` per CRS factor, and
each table keeps the ``source`` and ``status`` of its numbers as given in
``/work/shared/reference/crs_rules.md`` (copied facts; the reference is the authority).

Status vocabulary (mapped from the reference's marks):

* ``official``     - OFFICIAL+: the S0 scrape of canada.ca plus at least one transcription agree.
* ``corroborated`` - V2+: two or more independent transcriptions agree.
* ``single_source``- V1.
* ``unverified``   - MEM / UNVERIFIED: written from memory or from weak sources; check before relying on it.

``ruleset_for(day)`` returns the rule set in force on ``day`` (the newest one whose
``effective_from`` is on or before it).

How to add a new rule set (for example the reported, still UNVERIFIED, 2026-11-03 change that
would add a "high-wage occupation" factor and revise Canadian work experience):

1. Build a new ``RuleSet`` below with ``derive(BASE, id=..., effective_from=..., source=...,
   status=..., <table name>=Table(...))``, replacing only the tables whose numbers changed. Give
   every replaced table its own ``source`` and ``status``.
2. Append it to ``RULE_SETS``. Nothing else changes: ``ruleset_for`` picks it from its date and
   the engine compiles its tables on first use.
3. If the change introduces a *new kind* of factor (a factor the engine does not know, like a
   high-wage-occupation table), the engine must learn it once: add a field to ``CRSProfile`` and
   a table name here with a zero-valued default in the older sets, so that older sets keep scoring
   exactly as before.

No 2026-11-03 set is defined here: no IRCC text or point values were found (crs_rules.md, timeline).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

OFFICIAL = "official"
CORROBORATED = "corroborated"
SINGLE_SOURCE = "single_source"
UNVERIFIED = "unverified"

EDUCATION_LEVELS: tuple[str, ...] = (
    "none",
    "secondary",
    "one_year",
    "two_year",
    "bachelors",
    "two_or_more",
    "masters",
    "phd",
)
CANADIAN_EDUCATION_LEVELS: tuple[str, ...] = ("none", "one_or_two_year", "three_year_or_more")
ARRANGED_EMPLOYMENT_LEVELS: tuple[str, ...] = ("none", "teer_0_major_group_00", "other_teer_0_1_2_3")


@dataclass(frozen=True, slots=True)
class Table:
    """One point table.

    ``rows`` is either a tuple of ``(lower_bound, with_spouse, without_spouse)`` bands sorted by
    lower bound (for numeric factors: age, CLB, years) or a mapping ``key -> (with, without)``.
    ``values`` holds scalar settings (caps, bonus amounts).
    """

    name: str
    source: str
    status: str
    rows: Any = ()
    values: Any = field(default_factory=dict)
    note: str = ""

    def band(self, value: int) -> tuple[int, int]:
        """Points ``(with_spouse, without_spouse)`` for a numeric value (last band whose lower bound <= value)."""
        result = (0, 0)
        for lower, with_spouse, without_spouse in self.rows:
            if value >= lower:
                result = (with_spouse, without_spouse)
            else:
                break
        return result


@dataclass(frozen=True, slots=True)
class RuleSet:
    id: str
    effective_from: date
    source: str
    status: str
    tables: MappingProxyType[str, Table]  # name -> Table
    note: str = ""

    def table(self, name: str) -> Table:
        return self.tables[name]

    def describe(self) -> dict[str, Any]:
        """JSON-friendly summary: id, dates, and the source/status of each table."""
        return {
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
            "status": self.status,
            "note": self.note,
            "tables": {n: {"source": t.source, "status": t.status} for n, t in self.tables.items()},
        }


def _tables(*tables: Table) -> MappingProxyType[str, Table]:
    return MappingProxyType({t.name: t for t in tables})


# --------------------------------------------------------------------------------------------
# Core and spouse tables: unchanged across the rule sets defined here.
# --------------------------------------------------------------------------------------------
_A = "crs_rules.md"

AGE = Table(
    "age",
    source=f"{_A} A1 (S0, S2, S3, S4, S5, S6)",
    status=OFFICIAL,
    rows=(
        (0, 0, 0),
        (18, 90, 99),
        (19, 95, 105),
        (20, 100, 110),
        (30, 95, 105),
        (31, 90, 99),
        (32, 85, 94),
        (33, 80, 88),
        (34, 75, 83),
        (35, 70, 77),
        (36, 65, 72),
        (37, 60, 66),
        (38, 55, 61),
        (39, 50, 55),
        (40, 45, 50),
        (41, 35, 39),
        (42, 25, 28),
        (43, 15, 17),
        (44, 5, 6),
        (45, 0, 0),
    ),
)

EDUCATION = Table(
    "education",
    source=f"{_A} A2 (S0, S2, S3, S4, S5, S6)",
    status=OFFICIAL,
    rows=MappingProxyType(
        {
            "none": (0, 0),
            "secondary": (28, 30),
            "one_year": (84, 90),
            "two_year": (91, 98),
            "bachelors": (112, 120),
            "two_or_more": (119, 128),
            "masters": (126, 135),
            "phd": (140, 150),
        }
    ),
)

FIRST_LANGUAGE = Table(
    "first_language",
    source=f"{_A} A3 (S0, S2, S3, S5, S6)",
    status=OFFICIAL,
    rows=((0, 0, 0), (4, 6, 6), (6, 8, 9), (7, 16, 17), (8, 22, 23), (9, 29, 31), (10, 32, 34)),
    note="Points per ability; below CLB 4 scores 0.",
)

SECOND_LANGUAGE = Table(
    "second_language",
    source=f"{_A} A4 (S0, S2, S3, S5, S6; caps also S7)",
    status=OFFICIAL,
    rows=((0, 0, 0), (5, 1, 1), (7, 3, 3), (9, 6, 6)),
    values=MappingProxyType({"cap_with_spouse": 22, "cap_without_spouse": 24}),
)

CANADIAN_WORK = Table(
    "canadian_work",
    source=f"{_A} A5 (S0, S2, S3, S4, S5, S6)",
    status=OFFICIAL,
    rows=((0, 0, 0), (1, 35, 40), (2, 46, 53), (3, 56, 64), (4, 63, 72), (5, 70, 80)),
    note="Skilled (TEER 0-3), paid, authorized work in Canada in the last 10 years (window and TEER wording MEM).",
)

CORE_MAXIMUM = Table(
    "core_maximum",
    source=f"{_A} A (S2, S3, S7)",
    status=OFFICIAL,
    values=MappingProxyType({"with_spouse": 460, "without_spouse": 500}),
)

SPOUSE_EDUCATION = Table(
    "spouse_education",
    source=f"{_A} B (S0, S2, S3, S5, S6)",
    status=OFFICIAL,
    rows=MappingProxyType(
        {
            "none": (0, 0),
            "secondary": (2, 0),
            "one_year": (6, 0),
            "two_year": (7, 0),
            "bachelors": (8, 0),
            "two_or_more": (9, 0),
            "masters": (10, 0),
            "phd": (10, 0),
        }
    ),
)

SPOUSE_LANGUAGE = Table(
    "spouse_language",
    source=f"{_A} B (S0, S2, S3, S5, S6)",
    status=OFFICIAL,
    rows=((0, 0, 0), (5, 1, 0), (7, 3, 0), (9, 5, 0)),
    values=MappingProxyType({"cap": 20}),
)

SPOUSE_CANADIAN_WORK = Table(
    "spouse_canadian_work",
    source=f"{_A} B (S0, S2, S3, S5, S6)",
    status=OFFICIAL,
    rows=((0, 0, 0), (1, 5, 0), (2, 7, 0), (3, 8, 0), (4, 9, 0), (5, 10, 0)),
)

TRANSFERABILITY = Table(
    "transferability",
    source=f"{_A} C (S0 tables 10-17, S2, S3, S5)",
    status=OFFICIAL,
    values=MappingProxyType(
        {
            # education row index: 0 = secondary or less, 1 = one-year+ incl. single bachelor's, 2 = top
            "education_row": MappingProxyType(
                {
                    "none": 0,
                    "secondary": 0,
                    "one_year": 1,
                    "two_year": 1,
                    "bachelors": 1,
                    "two_or_more": 2,
                    "masters": 2,
                    "phd": 2,
                }
            ),
            # points by row for the "lower" column (CLB 7 tier / 1 yr Canadian work) and "upper"
            # column (CLB 9 tier / 2+ yrs Canadian work)
            "row_points_lower": (0, 13, 25),
            "row_points_upper": (0, 25, 50),
            "language_tier_lower_clb": 7,
            "language_tier_upper_clb": 9,
            "canadian_work_lower_years": 1,
            "canadian_work_upper_years": 2,
            # foreign work row: 0 = none, 1 = 1-2 years, 2 = 3+ years
            "foreign_row_min_years": (0, 1, 3),
            "certificate_lower_clb": 5,
            "certificate_lower_points": 25,
            "certificate_upper_clb": 7,
            "certificate_upper_points": 50,
            "education_cap": 50,
            "foreign_cap": 50,
            "certificate_cap": 50,
            "section_cap": 100,
        }
    ),
    note="Language tier is set by the LOWEST first-official-language ability. A single bachelor's is in the 13/25 row.",
)


def _additional(
    *,
    french_lower: int,
    french_upper: int,
    ae_00: int,
    ae_other: int,
    sibling: int,
    cdn_edu: tuple[int, int],
    nomination: int,
    source: str,
    status: str,
    french_status: str,
    ae_status: str,
    sibling_status: str,
    cdn_edu_status: str,
) -> tuple[Table, ...]:
    return (
        Table(
            "nomination",
            source=f"{_A} D (S0, S2, S3, S5, S6)",
            status=OFFICIAL,
            values=MappingProxyType({"points": nomination}),
        ),
        Table("sibling", source=source, status=sibling_status, values=MappingProxyType({"points": sibling})),
        Table(
            "french_bonus",
            source=source,
            status=french_status,
            values=MappingProxyType(
                {
                    "nclc_min": 7,
                    "english_clb_min": 5,
                    "points_without_english": french_lower,
                    "points_with_english": french_upper,
                }
            ),
            note="NCLC 7+ in all four French abilities (first or second language); the higher amount needs CLB 5+ in all four English abilities. In addition to second-language points.",
        ),
        Table(
            "canadian_education",
            source=source,
            status=cdn_edu_status,
            rows=MappingProxyType(
                {
                    "none": (0, 0),
                    "one_or_two_year": (cdn_edu[0],) * 2,
                    "three_year_or_more": (cdn_edu[1],) * 2,
                }
            ),
        ),
        Table(
            "arranged_employment",
            source=source,
            status=ae_status,
            rows=MappingProxyType(
                {
                    "none": (0, 0),
                    "teer_0_major_group_00": (ae_00, ae_00),
                    "other_teer_0_1_2_3": (ae_other, ae_other),
                }
            ),
        ),
        Table(
            "additional_maximum",
            source=f"{_A} D",
            status=status,
            values=MappingProxyType({"cap": 600}),
        ),
    )


_CORE = (
    AGE,
    EDUCATION,
    FIRST_LANGUAGE,
    SECOND_LANGUAGE,
    CANADIAN_WORK,
    CORE_MAXIMUM,
    SPOUSE_EDUCATION,
    SPOUSE_LANGUAGE,
    SPOUSE_CANADIAN_WORK,
    TRANSFERABILITY,
)


def derive(base: RuleSet, **changes: Any) -> RuleSet:
    """A new RuleSet from ``base``: pass id/effective_from/source/status/note, and replaced tables by name."""
    meta = {k: changes.pop(k) for k in ("id", "effective_from", "source", "status", "note") if k in changes}
    tables = dict(base.tables)
    for name, table in changes.items():
        if not isinstance(table, Table) or table.name != name:
            raise ValueError(f"table {name!r} must be a Table named {name!r}")
        tables[name] = table
    return dataclasses.replace(base, tables=MappingProxyType(tables), **meta)


CRS_2016_11_19 = RuleSet(
    id="crs-2016-11-19",
    effective_from=date(2016, 11, 19),
    source=f"{_A} timeline: 2016-11-19 job offers 50/200 and Canadian education 15/30 (V2+: nlai.ca, meurrensonimmigration.com, stringerllp)",
    status=UNVERIFIED,
    note="Core tables assumed unchanged from the current grid (not verified for this period). No French or sibling points yet.",
    tables=_tables(
        *_CORE,
        *_additional(
            french_lower=0,
            french_upper=0,
            ae_00=200,
            ae_other=50,
            sibling=0,
            cdn_edu=(15, 30),
            nomination=600,
            source=f"{_A} D timeline 2016-11-19 (V2+)",
            status=CORROBORATED,
            french_status=UNVERIFIED,
            ae_status=CORROBORATED,
            sibling_status=UNVERIFIED,
            cdn_edu_status=CORROBORATED,
        ),
    ),
)

CRS_2017_06_06 = derive(
    CRS_2016_11_19,
    id="crs-2017-06-06",
    effective_from=date(2017, 6, 6),
    source=f"{_A} timeline: 2017-06-06 French bonus 15/30 and sibling 15 (MEM; theauc.ca shows 15/30)",
    status=UNVERIFIED,
    note="Effective date and values are MEM (unverified).",
    french_bonus=Table(
        "french_bonus",
        source=f"{_A} timeline 2017-06-06 (MEM; theauc.ca shows the old 15/30)",
        status=UNVERIFIED,
        values=MappingProxyType(
            {"nclc_min": 7, "english_clb_min": 5, "points_without_english": 15, "points_with_english": 30}
        ),
        note="Old French bonus values; the English condition is assumed the same as later (unverified).",
    ),
    sibling=Table(
        "sibling",
        source=f"{_A} timeline 2017-06-06 (MEM)",
        status=UNVERIFIED,
        values=MappingProxyType({"points": 15}),
    ),
)

CRS_2020_10_27 = RuleSet(
    id="crs-2020-10-27",
    effective_from=date(2020, 10, 27),
    source=f"{_A} A-D; S2 crs-2024.ts (2024-06-13 to 2025-03-24, transcribed from IRCC-CRS-2024 Wayback capture)",
    status=CORROBORATED,
    note="Point values: OFFICIAL+/V2+ (job-offer 50/200 from IRCC-CRS-2024 via S2). The effective date 2020-10-27 (French 25/50) is MEM (unverified).",
    tables=_tables(
        *_CORE,
        *_additional(
            french_lower=25,
            french_upper=50,
            ae_00=200,
            ae_other=50,
            sibling=15,
            cdn_edu=(15, 30),
            nomination=600,
            source=f"{_A} D (S0, S2 crs-2024, S3, S5); French 25/50 from 2020-10-27 is MEM",
            status=OFFICIAL,
            french_status=OFFICIAL,
            ae_status=OFFICIAL,
            sibling_status=OFFICIAL,
            cdn_edu_status=OFFICIAL,
        ),
    ),
)

CRS_2025_03_25 = derive(
    CRS_2020_10_27,
    id="crs-2025-03-25",
    effective_from=date(2025, 3, 25),
    source=f"{_A} A-D (S0 scrape 2026-08-15 of the current page, S2 crs-current.ts, S3, S8): arranged-employment points removed",
    status=OFFICIAL,
    note="Confirmed only up to mid-August 2026 (latest official scrape). A change reported for 2026-11-03 is unverified.",
    arranged_employment=Table(
        "arranged_employment",
        source=f"{_A} D: removed in the Ministerial Instructions effective 2025-03-25 (S0 has no row; S2; S4; S8)",
        status=OFFICIAL,
        rows=MappingProxyType(
            {"none": (0, 0), "teer_0_major_group_00": (0, 0), "other_teer_0_1_2_3": (0, 0)}
        ),
    ),
)

#: All known rule sets, oldest first. Add a future set by appending data only.
RULE_SETS: tuple[RuleSet, ...] = (CRS_2016_11_19, CRS_2017_06_06, CRS_2020_10_27, CRS_2025_03_25)
RULE_SETS_BY_ID: MappingProxyType[str, RuleSet] = MappingProxyType({r.id: r for r in RULE_SETS})


class NoRuleSetError(LookupError):
    """No rule set is known for the requested date."""


def ruleset_for(day: date, rule_sets: tuple[RuleSet, ...] = RULE_SETS) -> RuleSet:
    """The rule set in force on ``day``."""
    chosen: RuleSet | None = None
    for rules in sorted(rule_sets, key=lambda r: r.effective_from):
        if rules.effective_from <= day:
            chosen = rules
    if chosen is None:
        raise NoRuleSetError(f"no CRS rule set is defined for {day.isoformat()}")
    return chosen


def ruleset_by_id(rule_set_id: str) -> RuleSet:
    return RULE_SETS_BY_ID[rule_set_id]


def future_effective_dates(after: date, rule_sets: tuple[RuleSet, ...] = RULE_SETS) -> list[date]:
    """Effective dates of rule sets starting after ``after`` (used by next-change computations)."""
    return sorted(r.effective_from for r in rule_sets if r.effective_from > after)
