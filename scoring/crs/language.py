"""Language test scores to CLB / NCLC levels, per ability.

Tables come from crs_rules.md section E. Each conversion table keeps its source and status.
A level of 0 means "below CLB/NCLC 4" for test-based conversions (it scores no CRS points).
Levels given directly (``clb``/``nclc``) are kept as given (0-12).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from scoring.crs.rulesets import OFFICIAL, UNVERIFIED

ABILITIES: tuple[str, str, str, str] = ("listening", "reading", "writing", "speaking")

ENGLISH_TESTS: frozenset[str] = frozenset({"ielts", "celpip", "pte_core", "clb"})
FRENCH_TESTS: frozenset[str] = frozenset({"tef", "tcf", "nclc"})
TESTS: tuple[str, ...] = ("ielts", "celpip", "pte_core", "tef", "tcf", "clb", "nclc")

#: TEF Canada results from tests taken on/after this date use the 0-699 scale.
TEF_NEW_SCALE_FROM = date(2023, 12, 10)
#: Results are valid for 2 years from the test date (crs_rules.md E; pathways.md 6.3 IRPR s.75(2)(d)).
RESULT_VALIDITY_YEARS = 2


class LanguageScoreError(ValueError):
    """A score the test cannot produce. ``ability`` names the field ('' for the whole result)."""

    def __init__(self, ability: str, message: str) -> None:
        super().__init__(message)
        self.ability = ability
        self.message = message


@dataclass(frozen=True, slots=True)
class ConversionTable:
    """Minimum score per ability for CLB/NCLC 10, 9, ... 4 (index 0 = level 10)."""

    test: str
    scale: str
    source: str
    status: str
    minimums: MappingProxyType[str, tuple[float, ...]]  # ability -> tuple of 7 minimums for levels 10..4
    note: str = ""

    def level(self, ability: str, value: float) -> int:
        for i, minimum in enumerate(self.minimums[ability]):
            if value >= minimum:
                return 10 - i
        return 0


_E = "crs_rules.md E"

IELTS = ConversionTable(
    "ielts",
    "band 0-9 (General Training)",
    source=f"{_E} IELTS General Training (S0 T4-T26, S3, S5, S6)",
    status=OFFICIAL,
    minimums=MappingProxyType(
        {
            "reading": (8.0, 7.0, 6.5, 6.0, 5.0, 4.0, 3.5),
            "writing": (7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.0),
            "listening": (8.5, 8.0, 7.5, 6.0, 5.5, 5.0, 4.5),
            "speaking": (7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.0),
        }
    ),
)

CELPIP = ConversionTable(
    "celpip",
    "levels M, 1-12 (General)",
    source=f"{_E} CELPIP-General: level 4-9 = same CLB, 10-12 = CLB 10 (S0, S3, S5, S6)",
    status=OFFICIAL,
    minimums=MappingProxyType(dict.fromkeys(ABILITIES, (10, 9, 8, 7, 6, 5, 4))),
    note="'M' (or 0) is below CLB 4.",
)

PTE_CORE = ConversionTable(
    "pte_core",
    "10-90",
    source=f"{_E} PTE Core (S0, S3, S5)",
    status=OFFICIAL,
    minimums=MappingProxyType(
        {
            "reading": (88, 78, 69, 60, 51, 42, 33),
            "writing": (90, 88, 79, 69, 60, 51, 41),
            "listening": (89, 82, 71, 60, 50, 39, 28),
            "speaking": (89, 84, 76, 68, 59, 51, 42),
        }
    ),
)

TEF_NEW = ConversionTable(
    "tef",
    "0-699 (tests on/after 2023-12-10)",
    source=f"{_E} TEF Canada new scale (S3, S5)",
    status=UNVERIFIED,
    minimums=MappingProxyType(
        {
            "reading": (546, 503, 462, 434, 393, 352, 306),
            "writing": (558, 512, 472, 428, 379, 330, 268),
            "listening": (546, 503, 462, 434, 393, 352, 306),
            "speaking": (556, 518, 494, 456, 422, 387, 328),
        }
    ),
    note=(
        "DISPUTED: V2+ among third-party transcriptions only; the official page as scraped (S0, "
        "2026-08-15) shows only the old scale. Confirm against IRCC's equivalency charts before release."
    ),
)

TEF_OLD = ConversionTable(
    "tef",
    "old scale (tests before 2023-12-10)",
    source=f"{_E} TEF Canada old scale (S0 FSW T10-T12, FST T18-T19, CEC T24-T25)",
    status=OFFICIAL,
    minimums=MappingProxyType(
        {
            "speaking": (393, 371, 349, 310, 271, 226, 181),
            "listening": (316, 298, 280, 249, 217, 181, 145),
            "reading": (263, 248, 233, 207, 181, 151, 121),
            "writing": (393, 371, 349, 310, 271, 226, 181),
        }
    ),
    note="Old-scale results are more than 2 years old by 2025-12-10 and so expired for new applications.",
)

TCF = ConversionTable(
    "tcf",
    "reading/listening 0-699, writing/speaking 0-20",
    source=f"{_E} TCF Canada (S0, S3, S5)",
    status=OFFICIAL,
    minimums=MappingProxyType(
        {
            "reading": (549, 524, 499, 453, 406, 375, 342),
            "writing": (16, 14, 12, 10, 7, 6, 4),
            "listening": (549, 523, 503, 458, 398, 369, 331),
            "speaking": (16, 14, 12, 10, 7, 6, 4),
        }
    ),
)

#: Score ranges a test can produce: (min, max, step) where step None means integers.
_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "ielts": dict.fromkeys(ABILITIES, (0, 9)),
    "celpip": dict.fromkeys(ABILITIES, (0, 12)),
    "pte_core": dict.fromkeys(ABILITIES, (10, 90)),
    "tcf": {"reading": (0, 699), "listening": (0, 699), "writing": (0, 20), "speaking": (0, 20)},
    "tef_new": dict.fromkeys(ABILITIES, (0, 699)),
    # old TEF maxima per the top of each NCLC 10 range in the S0 table
    "tef_old": {"speaking": (0, 450), "listening": (0, 360), "reading": (0, 300), "writing": (0, 450)},
    "clb": dict.fromkeys(ABILITIES, (0, 12)),
    "nclc": dict.fromkeys(ABILITIES, (0, 12)),
}

CONVERSION_TABLES: MappingProxyType[str, ConversionTable] = MappingProxyType(
    {
        "ielts": IELTS,
        "celpip": CELPIP,
        "pte_core": PTE_CORE,
        "tef_new": TEF_NEW,
        "tef_old": TEF_OLD,
        "tcf": TCF,
    }
)


def official_language(test: str) -> str:
    """'en' or 'fr' for a test key."""
    if test in ENGLISH_TESTS:
        return "en"
    if test in FRENCH_TESTS:
        return "fr"
    raise LanguageScoreError("test", f"unknown test {test!r}")


def table_for(test: str, test_date: date | None) -> ConversionTable | None:
    """The conversion table for a test (None for clb/nclc given directly)."""
    if test in ("clb", "nclc"):
        return None
    if test == "tef":
        if test_date is None:
            raise LanguageScoreError(
                "test_date", "a TEF Canada result needs its test date (the scale changed on 2023-12-10)"
            )
        return TEF_NEW if test_date >= TEF_NEW_SCALE_FROM else TEF_OLD
    try:
        return CONVERSION_TABLES[test]
    except KeyError:
        raise LanguageScoreError("test", f"unknown test {test!r}") from None


def _range_key(test: str, test_date: date | None) -> str:
    if test == "tef":
        return "tef_new" if test_date is not None and test_date >= TEF_NEW_SCALE_FROM else "tef_old"
    return test


def validate_score(test: str, ability: str, value: Any, test_date: date | None = None) -> float:
    """Return the numeric score or raise LanguageScoreError if the test cannot produce it."""
    if test == "celpip" and isinstance(value, str) and value.strip().upper() == "M":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LanguageScoreError(ability, "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise LanguageScoreError(ability, "must be a finite number")
    lo, hi = _RANGES[_range_key(test, test_date)][ability]
    if value < lo or value > hi:
        raise LanguageScoreError(ability, f"must be between {lo:g} and {hi:g} for {test}")
    if test == "ielts":
        if (value * 2) != int(value * 2):
            raise LanguageScoreError(ability, "IELTS bands are whole or half bands (multiples of 0.5)")
    elif value != int(value):
        raise LanguageScoreError(ability, f"{test} scores are whole numbers")
    return float(value) if isinstance(value, float) else int(value)


def convert(test: str, scores: dict[str, Any], test_date: date | None = None) -> tuple[int, int, int, int]:
    """Validate raw scores and convert them to CLB/NCLC levels (listening, reading, writing, speaking).

    Raises LanguageScoreError for the first invalid ability.
    """
    table = table_for(test, test_date)
    levels: list[int] = []
    for ability in ABILITIES:
        if ability not in scores or scores[ability] is None:
            raise LanguageScoreError(ability, "is required")
        value = validate_score(test, ability, scores[ability], test_date)
        levels.append(int(value) if table is None else table.level(ability, value))
    return (levels[0], levels[1], levels[2], levels[3])


def to_level(test: str, ability: str, value: Any, test_date: date | None = None) -> int:
    """One ability's CLB/NCLC level."""
    table = table_for(test, test_date)
    v = validate_score(test, ability, value, test_date)
    return int(v) if table is None else table.level(ability, v)
