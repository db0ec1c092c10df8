"""Map IRCC ``drawName`` values to a category key and a NOC-list version.

Pure Python: no Django imports.

The feed names a round by its type ("Canadian Experience Class") or by a
category plus a version tag ("Healthcare occupations (Version 1)",
"Trades Occupations, 2026-Version 3").  IRCC changes case, punctuation and
wording between versions, so names are normalised first and then looked up
in an explicit table.  A name that is not in the table maps to ``unknown``:
the caller quarantines it, nothing here guesses.

Version labels are the exact values of the ``version`` column of
``/work/shared/reference/categories_noc_by_version.csv`` so that a parsed
round can be joined to its NOC list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from scoring.crs import categories as _crs_categories

# --------------------------------------------------------------------------
# Category keys
# --------------------------------------------------------------------------

UNKNOWN = "unknown"

# The keys are defined once, with the CRS category rules (scoring/crs/categories.py).
#: Round types that are not category-based selection.
PROGRAM_ROUND_KEYS: frozenset[str] = _crs_categories.PROGRAM_KEYS

#: Category-based selection keys.
CATEGORY_KEYS: frozenset[str] = frozenset(_crs_categories.DRAW_CATEGORY_KEYS) - PROGRAM_ROUND_KEYS

ALL_KEYS: frozenset[str] = PROGRAM_ROUND_KEYS | CATEGORY_KEYS | {UNKNOWN}

# --------------------------------------------------------------------------
# NOC-list versions (exact CSV labels)
# --------------------------------------------------------------------------

# The keys are the category-version keys of the CRS rules (scoring/crs/categories.py VERSIONS), so a
# draw's `category_version` joins directly onto a client's stored category eligibility.
VERSION_2023 = "2023-v1"  # CSV: "2023-2024 (Version 1)"
VERSION_2025 = "2025-v2"  # CSV: "2025 (Version 2; Transport dropped, Education added)"
VERSION_2026 = "2026"  # CSV: '2026 (renewed as "2026-Version N"; Agriculture dropped)'


@dataclass(frozen=True)
class CategoryVersion:
    """One generation of category lists, as in categories_noc_by_version.csv."""

    label: str  # the CRS rules' version key (scoring.crs.categories.VERSIONS)
    short_label: str
    effective_from: date  # used only when the round name carries no usable tag
    categories: frozenset[str]  # category keys with a list (or rule) in this version
    source: str
    status: str


CATEGORY_VERSIONS: tuple[CategoryVersion, ...] = (
    CategoryVersion(
        label=VERSION_2023,
        short_label="2023-2024 (Version 1)",
        effective_from=date(2023, 5, 31),
        categories=frozenset({"french", "healthcare", "stem", "trades", "transport", "agriculture"}),
        source="categories.md '2023-2024: Version 1 (announced 2023-05-31)'; categories_noc_by_version.csv",
        status="official",
    ),
    CategoryVersion(
        label=VERSION_2025,
        short_label="2025 (Version 2)",
        effective_from=date(2025, 2, 27),
        categories=frozenset({"french", "healthcare", "stem", "trades", "agriculture", "education"}),
        source="categories.md '2025: Version 2 (announced 2025-02-27)'; categories_noc_by_version.csv",
        status="official",
    ),
    CategoryVersion(
        label=VERSION_2026,
        short_label="2026",
        # Announced 2026-02-18, but "French-Language proficiency 2026-Version 2" already ran on
        # 2026-02-06 (draw_feed.md table), so the date fallback treats all of 2026 as 2026 lists.
        effective_from=date(2026, 1, 1),
        categories=frozenset(
            {
                "french",
                "healthcare",
                "stem",
                "trades",
                "transport",
                "education",
                "physicians",
                "senior_managers",
                "researchers",
                "military",
            }
        ),
        source="categories.md '2026 (announced 2026-02-18 ...)'; categories_noc_by_version.csv",
        status="official",
    ),
)

_VERSIONS_BY_LABEL: dict[str, CategoryVersion] = {v.label: v for v in CATEGORY_VERSIONS}

#: Category key -> value of the CSV ``category`` column (None: the category has no NOC list).
NOC_CSV_CATEGORY: dict[str, str | None] = {
    "french": None,  # NCLC 7 in all four French abilities, any eligible occupation
    "healthcare": "healthcare",
    "stem": "stem",
    "trades": "trade",
    "transport": "transport",
    "agriculture": "agriculture",
    "education": "education",
    "physicians": "physicians",
    "senior_managers": "senior-managers",
    "researchers": "researchers",
    "military": "military",
}

#: IRCC numbers versions per category ("Healthcare ... (Version 2)" is the 2025 list,
#: "Transport Occupations, 2026-Version 2" is the 2026 list).  (category, N) -> CSV label,
#: for tags written "(Version N)" without a year.  Source: draw_feed.md drawName table
#: (first/last dates of each name) read against categories.md.
_PLAIN_VERSION_TAGS: dict[tuple[str, int], str] = {
    ("healthcare", 1): VERSION_2023,  # 2023-06-28 -> 2024-11-20
    ("healthcare", 2): VERSION_2025,  # "Healthcare and social services occupations (Version 2)", 2025
    ("healthcare", 3): VERSION_2026,
    ("stem", 1): VERSION_2023,  # 2023-07-05 -> 2024-04-11
    ("trades", 1): VERSION_2023,  # 2023-08-03 -> 2024-10-23
    ("trades", 2): VERSION_2025,  # 2025-09-18
    ("trades", 3): VERSION_2026,
    ("transport", 1): VERSION_2023,  # 2023-09-20 -> 2024-03-13
    ("transport", 2): VERSION_2026,
    ("agriculture", 1): VERSION_2023,  # 2023-09-28 -> 2024-02-16
    ("education", 1): VERSION_2025,  # Education was added in 2025: 2025-05-01 -> 2025-09-17
    ("french", 2): VERSION_2026,
    ("physicians", 1): VERSION_2026,
    ("senior_managers", 1): VERSION_2026,
    ("researchers", 1): VERSION_2026,
    ("military", 1): VERSION_2026,
    # ("french", 1) is resolved by date: "French language proficiency (Version 1)" ran from
    # 2023-07-07 to 2025-12-17, i.e. under both the 2023 and the 2025 lists.
}

# --------------------------------------------------------------------------
# Name normalisation and lookup
# --------------------------------------------------------------------------

#: Normalised base name (version tag removed) -> category key.
_NAME_TABLE: dict[str, str] = {
    "no program specified": "no_program",
    "general": "general",
    "canadian experience class": "cec",
    "provincial nominee program": "pnp",
    "federal skilled trades": "fst",
    "federal skilled trades program": "fst",
    "federal skilled worker": "fsw",
    "federal skilled worker program": "fsw",
    "french language proficiency": "french",
    "healthcare occupations": "healthcare",
    "healthcare and social services occupations": "healthcare",
    "stem occupations": "stem",
    "trade occupations": "trades",
    "trades occupations": "trades",
    "transport occupations": "transport",
    "agriculture and agri food occupations": "agriculture",
    "education occupations": "education",
    "physicians with canadian work experience": "physicians",
    "senior managers with canadian work experience": "senior_managers",
    # Not yet seen in the feed (no round as of #434); same pattern as the other 2026 names.
    "researchers with canadian work experience": "researchers",
    "skilled military recruits": "military",
}

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RE = re.compile(f"[{_DASHES}]")
# "2026-Version 2", "2026 - version 2", "2026 Version 2"
_YEAR_VERSION_RE = re.compile(r"[\s,(]*\b(20\d\d)\s*-?\s*version\s*(\d+)\s*\)?", re.IGNORECASE)
# "(2023-1)" (older form of "(Version 1)")
_YEAR_N_RE = re.compile(r"\s*\(\s*(20\d\d)\s*-\s*(\d+)\s*\)", re.IGNORECASE)
# "(Version 1)", ", Version 1", "Version 1"
_VERSION_RE = re.compile(r"[\s,(]*\bversion\s*(\d+)\s*\)?", re.IGNORECASE)


@dataclass(frozen=True)
class VersionTag:
    number: int | None
    year: int | None
    text: str


def _basic_normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = _DASH_RE.sub("-", text)
    return " ".join(text.split())


def split_version_tag(name: str) -> tuple[str, VersionTag | None]:
    """Split a draw name into (base name, version tag or None)."""
    text = _basic_normalise(name)
    for regex, has_year in ((_YEAR_VERSION_RE, True), (_YEAR_N_RE, True), (_VERSION_RE, False)):
        match = regex.search(text)
        if match:
            if has_year:
                tag = VersionTag(
                    number=int(match.group(2)), year=int(match.group(1)), text=match.group(0).strip()
                )
            else:
                tag = VersionTag(number=int(match.group(1)), year=None, text=match.group(0).strip())
            base = (text[: match.start()] + " " + text[match.end() :]).strip()
            return base, tag
    return text, None


def normalise_name(base: str) -> str:
    """Lower-case, hyphens to spaces, drop punctuation, collapse whitespace."""
    text = _basic_normalise(base).casefold().replace("&", " and ")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class NameMapping:
    category: str  # a key in ALL_KEYS
    version: str | None  # exact CSV version label, or None
    tag: VersionTag | None
    warnings: tuple[str, ...] = ()


def version_in_effect(on: date) -> CategoryVersion | None:
    """The category-list generation in force on a date (None before categories existed)."""
    current: CategoryVersion | None = None
    for version in CATEGORY_VERSIONS:
        if on >= version.effective_from:
            current = version
    return current


def _version_from_tag(
    category: str, tag: VersionTag | None, draw_date: date | None
) -> tuple[str | None, list[str]]:
    warnings: list[str] = []
    label: str | None = None
    if tag is not None and tag.year is not None:
        if tag.year >= 2026:
            label = VERSION_2026 if tag.year == 2026 else None
        elif tag.year in (2023, 2024):
            label = VERSION_2023
        elif tag.year == 2025:
            label = VERSION_2025
        if label is None:
            warnings.append(f"version tag {tag.text!r} names a year with no known category lists")
    elif tag is not None and tag.number is not None:
        label = _PLAIN_VERSION_TAGS.get((category, tag.number))
    if label is None and draw_date is not None and not warnings:
        in_effect = version_in_effect(draw_date)
        if in_effect is not None:
            label = in_effect.label
            if not (category == "french" and tag is not None and tag.number == 1):
                why = "no version tag" if tag is None else f"tag {tag.text!r} not in the version table"
                warnings.append(f"{why}; used the category lists in force on {draw_date.isoformat()}")
    if label is not None and category not in _VERSIONS_BY_LABEL[label].categories:
        warnings.append(f"category {category!r} has no list in version {label!r}")
    return label, warnings


def map_draw_name(name: str, draw_date: date | None = None) -> NameMapping:
    """Map a ``drawName`` to a category key and the CSV version label of its NOC list.

    ``draw_date`` is needed only for tags that do not say which list applies
    (e.g. "French language proficiency (Version 1)", used in 2023-2025).
    """
    if not isinstance(name, str) or not name.strip():
        return NameMapping(category=UNKNOWN, version=None, tag=None, warnings=("empty drawName",))
    base, tag = split_version_tag(name)
    category = _NAME_TABLE.get(normalise_name(base))
    if category is None:
        return NameMapping(category=UNKNOWN, version=None, tag=tag, warnings=(f"unknown drawName {name!r}",))
    if category in PROGRAM_ROUND_KEYS:
        warnings = (f"version tag {tag.text!r} on a non-category round ignored",) if tag else ()
        return NameMapping(category=category, version=None, tag=tag, warnings=warnings)
    version, warnings = _version_from_tag(category, tag, draw_date)
    return NameMapping(category=category, version=version, tag=tag, warnings=tuple(warnings))


# --------------------------------------------------------------------------
# Programs (drawText2)
# --------------------------------------------------------------------------

PROGRAM_ORDER: tuple[str, ...] = ("fsw", "cec", "fst", "pnp")

_PROGRAM_PATTERNS: dict[str, re.Pattern[str]] = {
    "fsw": re.compile(r"federal\s+skilled\s+workers?\b|\bfswp?\b", re.IGNORECASE),
    "cec": re.compile(r"canadian\s+experience\s+class|\bcec\b", re.IGNORECASE),
    "fst": re.compile(r"federal\s+skilled\s+trades?\b|\bfstp?\b", re.IGNORECASE),
    "pnp": re.compile(r"provincial\s+nominee|\bpnp\b", re.IGNORECASE),
}


def parse_programs(text: str | None) -> list[str]:
    """Program keys named in ``drawText2``, in the order fsw, cec, fst, pnp."""
    if not text:
        return []
    flat = _basic_normalise(text)
    return [key for key in PROGRAM_ORDER if _PROGRAM_PATTERNS[key].search(flat)]


# --------------------------------------------------------------------------
# Eligibility basis for the flagging logic
# --------------------------------------------------------------------------

ANY_FEDERAL_PROGRAM: tuple[str, ...] = ("fsw", "cec", "fst")


@dataclass(frozen=True)
class EligibilityBasis:
    """What a client must be eligible for to be in scope of a round.

    kind: "nomination" (holds a provincial nomination), "program" (eligible for any of
    ``programs``), "category" (eligible for any of ``programs`` AND meets the category of
    ``version``), or "unknown" (do not match anyone; quarantine).
    """

    kind: str
    programs: tuple[str, ...]
    category: str | None = None
    version: str | None = None
    noc_csv_category: str | None = None  # join key into categories_noc_by_version.csv
    requires_noc_list: bool = False
    note: str = ""
    source: str = ""


def eligibility_basis(category: str, version: str | None = None) -> EligibilityBasis:
    """Eligibility a client needs for a round of ``category`` (and category ``version``)."""
    if category == "pnp":
        return EligibilityBasis(
            kind="nomination",
            programs=("pnp",),
            note="client must hold a provincial nomination (the +600 is in the CRS)",
            source="draw_feed.md 'Flagging logic notes'",
        )
    if category in ("cec", "fsw", "fst"):
        return EligibilityBasis(kind="program", programs=(category,), source="draw_feed.md drawName table")
    if category in ("general", "no_program"):
        return EligibilityBasis(
            kind="program",
            programs=ANY_FEDERAL_PROGRAM,
            note="eligible for any of FSW, CEC or FSTP",
            source="draw_feed.md drawText2 of these rounds",
        )
    if category in CATEGORY_KEYS:
        csv_category = NOC_CSV_CATEGORY[category]
        if category == "french":
            note = "NCLC 7 in all four French abilities; any occupation eligible for a program"
        elif category in ("physicians", "senior_managers", "researchers"):
            note = "work experience in a listed NOC gained in Canada (minimum not verified)"
        elif category == "military":
            note = "job offer from the Canadian Armed Forces (status unverified)"
        elif version == VERSION_2026:
            note = "12 months (1,560 h) in the last 3 years in one listed NOC, need not be continuous"
        else:
            note = "6 months continuous in the last 3 years in one listed NOC"
        return EligibilityBasis(
            kind="category",
            programs=ANY_FEDERAL_PROGRAM,
            category=category,
            version=version,
            noc_csv_category=csv_category,
            requires_noc_list=csv_category is not None,
            note=note,
            source="categories.md 'Category eligibility rules'",
        )
    return EligibilityBasis(kind="unknown", programs=(), note="unknown round type; quarantine, match nobody")
