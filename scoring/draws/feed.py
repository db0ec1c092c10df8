"""Parser for IRCC's Express Entry rounds-of-invitations feed (``ee_rounds_123_en.json``).

Pure Python: no Django imports.  Raw dicts in, frozen dataclasses out.

* :func:`parse_round` turns one round dict into a :class:`ParsedRound`, or raises
  :class:`RoundParseError` when the round is unusable (no draw number, no date, no CRS,
  no size).  Oddities that can be worked around become ``warnings`` on the round.
* :func:`parse_feed` parses a whole feed (dict, list, bytes or str).  It never drops a
  parseable round: a bad round becomes a :class:`RoundProblem` and the rest goes on.
* :func:`fetch_feed` downloads the feed (network; not used by the tests).

Reference: /work/shared/reference/draw_feed.md.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scoring.draws.categories import (
    CATEGORY_KEYS,
    EligibilityBasis,
    eligibility_basis,
    map_draw_name,
    parse_programs,
)
from scoring.draws.dates import DateParseError, parse_date_text, resolve_datetime

DEFAULT_FEED_URL = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"

#: The rounds 1-300 shipped with the code (a copy of reference/ee_rounds_sample.json).
SNAPSHOT_PATH = Path(__file__).resolve().parent.parent / "data" / "ee_rounds_snapshot.json"

#: dd1..dd18 -> CRS band label.  Source: draw_feed.md "Fields", dd1...dd18.  The labels are
#: from the IRCC rounds page (status: unverified, marked MEM in the reference); the
#: arithmetic (sub-bands add up to their band, bands add up to the total) is verified.
DISTRIBUTION_BANDS: dict[str, str] = {
    "dd1": "601-1200",
    "dd2": "501-600",
    "dd3": "451-500",
    "dd4": "491-500",
    "dd5": "481-490",
    "dd6": "471-480",
    "dd7": "461-470",
    "dd8": "451-460",
    "dd9": "401-450",
    "dd10": "441-450",
    "dd11": "431-440",
    "dd12": "421-430",
    "dd13": "411-420",
    "dd14": "401-410",
    "dd15": "351-400",
    "dd16": "301-350",
    "dd17": "0-300",
    "dd18": "total",
}
DISTRIBUTION_BANDS_SOURCE = "draw_feed.md Fields dd1..dd18"
DISTRIBUTION_BANDS_STATUS = "unverified"  # labels (MEM); the sums are verified

#: Band -> the sub-bands that add up to it; "total" -> the top-level bands.
_DISTRIBUTION_SUMS: dict[str, tuple[str, ...]] = {
    "451-500": ("491-500", "481-490", "471-480", "461-470", "451-460"),
    "401-450": ("441-450", "431-440", "421-430", "411-420", "401-410"),
    "total": ("601-1200", "501-600", "451-500", "401-450", "351-400", "301-350", "0-300"),
}

_INT_JUNK_RE = re.compile(r"[\s,_'\u00a0\u2007\u202f]")


class RoundParseError(ValueError):
    """A round that cannot be parsed at all."""

    def __init__(self, draw_number: str | None, message: str) -> None:
        super().__init__(f"round {draw_number or '?'}: {message}")
        self.draw_number = draw_number
        self.message = message


class FeedFormatError(ValueError):
    """The feed as a whole is unreadable (not JSON, no list of rounds)."""


@dataclass(frozen=True)
class ParsedRound:
    draw_number: str
    draw_date: date
    name: str
    category: str
    category_version: str | None
    programs: list[str]
    invitations: int
    min_crs: int
    run_at: datetime | None
    tie_break_at: datetime | None
    distribution: dict[str, int]
    distribution_as_of: date | None
    raw: dict[str, Any] = field(repr=False, compare=False)
    content_hash: str
    warnings: list[str] = field(default_factory=list)

    @property
    def is_category_round(self) -> bool:
        return self.category in CATEGORY_KEYS

    @property
    def eligibility(self) -> EligibilityBasis:
        return eligibility_basis(self.category, self.category_version)


@dataclass(frozen=True)
class RoundProblem:
    index: int  # position in the feed's list of rounds
    draw_number: str | None
    message: str
    raw: Any = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class FeedParseResult:
    rounds: list[ParsedRound]
    problems: list[RoundProblem]
    #: draw numbers that occur more than once (all copies are kept in ``rounds``).
    duplicate_draw_numbers: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def content_hash(raw: Any) -> str:
    """sha256 hex of the canonical JSON of a round (sorted keys, compact separators, UTF-8)."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_int(value: Any) -> int:
    """``"5,000"`` -> 5000.  Raises ValueError for anything that is not a whole number."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"not a whole number: {value!r}")
    if not isinstance(value, str):
        raise ValueError(f"not a number: {value!r}")
    text = _INT_JUNK_RE.sub("", value)
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"not a number: {value!r}")
    return int(text)


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _draw_number(raw: dict[str, Any]) -> str | None:
    value = raw.get("drawNumber")
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _draw_date(raw: dict[str, Any], number: str) -> tuple[date, list[str]]:
    warnings: list[str] = []
    iso_text = _text(raw, "drawDate").strip()
    found: date | None = None
    if iso_text:
        try:
            found = date.fromisoformat(iso_text)
        except ValueError:
            try:
                found, _ = parse_date_text(iso_text)
                warnings.append(f"drawDate {iso_text!r} is not ISO; read leniently")
            except DateParseError:
                warnings.append(f"drawDate {iso_text!r} unreadable")
    full_text = _text(raw, "drawDateFull").strip()
    full: date | None = None
    if full_text:
        try:
            full, _ = parse_date_text(full_text)
        except DateParseError:
            warnings.append(f"drawDateFull {full_text!r} unreadable")
    if found is None and full is not None:
        warnings.append("draw date taken from drawDateFull")
        found = full
    elif found is not None and full is not None and full != found:
        warnings.append(f"drawDateFull {full_text!r} disagrees with drawDate {iso_text!r}; used drawDate")
    if found is None:
        raise RoundParseError(number, "no usable drawDate / drawDateFull")
    return found, warnings


def _distribution(raw: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    warnings: list[str] = []
    values: dict[str, int] = {}
    for key, label in DISTRIBUTION_BANDS.items():
        if key not in raw or raw[key] in (None, ""):
            continue
        try:
            values[label] = parse_int(raw[key])
        except ValueError:
            warnings.append(f"{key} {raw[key]!r} unreadable; left out of the distribution")
    if not any(values.values()):
        # Rounds before about 2021 hold "0" everywhere: IRCC published no distribution.
        return {}, warnings
    for band, parts in _DISTRIBUTION_SUMS.items():
        if band in values and all(p in values for p in parts):
            total = sum(values[p] for p in parts)
            if total != values[band]:
                warnings.append(
                    f"distribution {band} is {values[band]:,} but its parts add up to {total:,}; kept as given"
                )
    return values, warnings


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def parse_round(raw: dict[str, Any]) -> ParsedRound:
    """Parse one round of the feed.  Raises RoundParseError if it is unusable."""
    if not isinstance(raw, dict):
        raise RoundParseError(None, f"round is a {type(raw).__name__}, not an object")
    number = _draw_number(raw)
    if number is None:
        raise RoundParseError(None, "no drawNumber")
    warnings: list[str] = []
    if not isinstance(raw.get("drawNumber"), str):
        warnings.append(f"drawNumber {raw.get('drawNumber')!r} is not a string")

    draw_date, date_warnings = _draw_date(raw, number)
    warnings.extend(date_warnings)

    try:
        min_crs = parse_int(raw.get("drawCRS"))
    except ValueError as exc:
        raise RoundParseError(number, f"drawCRS: {exc}") from exc
    try:
        invitations = parse_int(raw.get("drawSize"))
    except ValueError as exc:
        raise RoundParseError(number, f"drawSize: {exc}") from exc

    name = _text(raw, "drawName").strip()
    mapping = map_draw_name(name, draw_date)
    warnings.extend(mapping.warnings)

    programs = parse_programs(_text(raw, "drawText2"))
    if not programs:
        warnings.append(f"no program found in drawText2 {_text(raw, 'drawText2')!r}")

    end_of_draw_day = datetime.combine(draw_date, time(23, 59, 59), tzinfo=UTC)
    run_at: datetime | None = None
    run_text = _text(raw, "drawDateTime")
    if run_text.strip():
        try:
            run_at, run_warnings = resolve_datetime(run_text, reference=draw_date, label="drawDateTime")
            warnings.extend(run_warnings)
        except DateParseError as exc:
            warnings.append(f"drawDateTime unreadable, run_at left empty: {exc}")
    if run_at is not None and abs(run_at.date() - draw_date) > timedelta(days=1):
        warnings.append(f"drawDateTime {run_text.strip()!r} is more than a day from drawDate {draw_date}")

    tie_break_at: datetime | None = None
    cut_text = _text(raw, "drawCutOff")
    if cut_text.strip():
        latest = run_at if run_at is not None else end_of_draw_day
        try:
            tie_break_at, cut_warnings = resolve_datetime(
                cut_text, reference=draw_date, not_after=latest, label="drawCutOff"
            )
            warnings.extend(cut_warnings)
        except DateParseError as exc:
            warnings.append(f"drawCutOff unreadable, tie_break_at left empty: {exc}")
        if tie_break_at is not None and tie_break_at > latest:
            warnings.append(f"drawCutOff {cut_text.strip()!r} is after the round ran")

    distribution, dist_warnings = _distribution(raw)
    warnings.extend(dist_warnings)
    distribution_as_of: date | None = None
    as_of_text = _text(raw, "drawDistributionAsOn").strip()
    if as_of_text:
        try:
            distribution_as_of, _ = parse_date_text(as_of_text)
        except DateParseError as exc:
            warnings.append(f"drawDistributionAsOn unreadable: {exc}")

    return ParsedRound(
        draw_number=number,
        draw_date=draw_date,
        name=name,
        category=mapping.category,
        category_version=mapping.version,
        programs=programs,
        invitations=invitations,
        min_crs=min_crs,
        run_at=run_at,
        tie_break_at=tie_break_at,
        distribution=distribution,
        distribution_as_of=distribution_as_of,
        raw=copy.deepcopy(raw),
        content_hash=content_hash(raw),
        warnings=warnings,
    )


def load_feed_json(data: dict[str, Any] | list[Any] | bytes | str) -> list[Any]:
    """The list of raw rounds from a feed given as a dict, a list, bytes or a JSON string."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FeedFormatError(f"feed is not UTF-8: {exc}") from exc
    if isinstance(data, str):
        try:
            data = json.loads(data.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            raise FeedFormatError(f"feed is not JSON: {exc}") from exc
    if isinstance(data, dict):
        rounds = data.get("rounds")
        if not isinstance(rounds, list):
            raise FeedFormatError("feed object has no 'rounds' list")
        return rounds
    if isinstance(data, list):
        return data
    raise FeedFormatError(f"feed is a {type(data).__name__}, expected an object or a list")


def parse_feed(data: dict[str, Any] | list[Any] | bytes | str) -> FeedParseResult:
    """Parse every round of a feed; bad rounds become problems, the rest are kept.

    Raises FeedFormatError only when the feed itself is unreadable.
    """
    rounds: list[ParsedRound] = []
    problems: list[RoundProblem] = []
    for index, raw in enumerate(load_feed_json(data)):
        try:
            rounds.append(parse_round(raw))
        except RoundParseError as exc:
            problems.append(
                RoundProblem(index=index, draw_number=exc.draw_number, message=exc.message, raw=raw)
            )
        except Exception as exc:  # a parser bug must not lose the rest of the feed
            number = _draw_number(raw) if isinstance(raw, dict) else None
            problems.append(
                RoundProblem(
                    index=index,
                    draw_number=number,
                    message=f"unexpected {type(exc).__name__}: {exc}",
                    raw=raw,
                )
            )
    counts = Counter(r.draw_number for r in rounds)
    duplicates = sorted(n for n, c in counts.items() if c > 1)
    return FeedParseResult(rounds=rounds, problems=problems, duplicate_draw_numbers=duplicates)


def load_snapshot() -> bytes:
    """The shipped snapshot (rounds 1-300, IRCC format) for offline/embedded mode."""
    return SNAPSHOT_PATH.read_bytes()


@dataclass(frozen=True)
class FeedResponse:
    """One fetch of the feed: its bytes (None when the server answered 304 Not Modified) and the
    validators to send next time (ETag / Last-Modified, empty when the server gave none)."""

    data: bytes | None
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.data is None


def fetch_feed_conditional(
    url: str = DEFAULT_FEED_URL, *, etag: str = "", last_modified: str = "", timeout: float = 30
) -> FeedResponse:
    """A conditional GET (If-None-Match / If-Modified-Since from the last good fetch): an unchanged feed
    costs one 304 with no body. Raises requests.RequestException on failure."""
    import requests  # imported here so that parsing never needs the network stack

    headers = {"Accept": "application/json", "User-Agent": "maplecase-draw-sync/0.2"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = requests.get(url, timeout=timeout, headers=headers)
    if response.status_code == 304:
        return FeedResponse(None, etag or "", last_modified or "")
    response.raise_for_status()
    return FeedResponse(
        response.content,
        response.headers.get("ETag", "")[:300],
        response.headers.get("Last-Modified", "")[:100],
    )


def fetch_feed(url: str = DEFAULT_FEED_URL, *, timeout: float = 30) -> bytes:
    """Download the feed and return its bytes.  Raises requests.RequestException on failure."""
    response = fetch_feed_conditional(url, timeout=timeout)
    assert response.data is not None  # no validators sent: never a 304
    return response.data
