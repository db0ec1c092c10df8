"""Lenient parsing of the free-text dates and times in IRCC's rounds feed.

Pure Python: no Django imports.

``drawDateTime`` and ``drawCutOff`` are typed by hand at IRCC and come in dozens of
shapes: "August 7, 2026 at 10:08:20 UTC", "July 3rd 2026 at ...", "March 02. 2024 ...",
"April 26,2023 18:10:04 UTC", "May 31, 2024 at12:48:30 UTC", "October 7 at 16:38:21 UTC"
(no year), "June 22, 2021 at 20:19:59 PM UTC" (24-hour clock with a stray PM), no
timezone at all, or an embedded ISO date.  The string is normalised and read with
regular expressions first; python-dateutil is the fallback for anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

_MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_SPACES_RE = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_ISO_SLASH_RE = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
# "August 7, 2026", "Aug. 7 2026", "July 3rd 2026", "March 02. 2024", "April 26,2023", "October 7"
_MDY_RE = re.compile(
    rf"\b({_MONTH_ALT})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*[,.]?\s*(\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
# "7 August 2026", "7th of August, 2026"
_DMY_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({_MONTH_ALT})\b\.?(?:\s*[,.]?\s*(\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_TIME_RE = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?![\d:])\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?![a-z])",
    re.IGNORECASE,
)
# "14:00:00 UTC+01:00", "14:00:00-05:00", "14:00 GMT -5"
_OFFSET_RE = re.compile(
    r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?(?![\d:])", re.IGNORECASE
)

_UTC_NAMES = {"utc", "gmt", "z", "coordinated universal time"}
_FIXED_ZONES: dict[str, int] = {  # hours from UTC
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "ast": -4,
    "adt": -3,
    "nst": -3,  # -3:30, handled in _read_zone
    "ndt": -2,
}
_ZONE_RE = re.compile(
    r"(?:\b|(?<=\d))(coordinated universal time|utc|gmt|z|est|edt|cst|cdt|mst|mdt|pst|pdt|ast|adt|nst|ndt|et|eastern time)\b\.?",
    re.IGNORECASE,
)


class DateParseError(ValueError):
    """A date or time string could not be read."""


@dataclass
class LooseDateTime:
    """What was read from one string.  ``year`` is None when the string has none."""

    year: int | None
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz: tzinfo | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def has_time(self) -> bool:
        return self.hour is not None


def normalise_text(text: str) -> str:
    """Collapse odd whitespace, strip, and turn ``at12:00`` into ``at 12:00``."""
    text = _SPACES_RE.sub(" ", text).strip()
    text = re.sub(r"(?i)\bat(?=\d)", "at ", text)
    return text


def _read_zone(text: str) -> tuple[tzinfo | None, str, list[str]]:
    warnings: list[str] = []
    offset_match = _OFFSET_RE.search(text)
    if offset_match:
        sign = -1 if offset_match.group(2) == "-" else 1
        offset = timedelta(hours=int(offset_match.group(3)), minutes=int(offset_match.group(4) or 0))
        rest = text[: offset_match.start()] + offset_match.group(1) + " " + text[offset_match.end() :]
        if offset:
            warnings.append(
                f"time given with offset {offset_match.group(0)[len(offset_match.group(1)) :].strip()!r}"
            )
        return timezone(sign * offset), rest.strip(), warnings
    match = _ZONE_RE.search(text)
    if not match:
        return None, text, warnings
    name = match.group(1).casefold()
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if name in _UTC_NAMES:
        return UTC, rest, warnings
    if name in ("et", "eastern time"):
        zone = dateutil_tz.gettz("America/Toronto")
        if zone is None:
            return None, rest, [f"timezone {match.group(1)!r} not available; assumed UTC"]
        warnings.append(f"time given in {match.group(1)!r}; converted from America/Toronto")
        return zone, rest, warnings
    offset = timedelta(hours=-3, minutes=-30) if name == "nst" else timedelta(hours=_FIXED_ZONES[name])
    warnings.append(f"time given in {match.group(1)!r}; converted to UTC")
    return timezone(offset), rest, warnings


def _read_time(text: str) -> tuple[tuple[int, int, int] | None, list[str]]:
    warnings: list[str] = []
    # Do not read the day of an ISO date ("2024-03-02T14:00") as a time.
    scrubbed = _ISO_RE.sub(lambda m: " " * len(m.group(0)), text)
    match = _TIME_RE.search(scrubbed)
    if not match:
        return None, warnings
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    marker = (match.group(4) or "").replace(".", "").replace(" ", "").casefold()
    if marker:
        if hour > 12 or hour == 0:
            warnings.append(f"ignored {match.group(4)!r} on a 24-hour time {match.group(0).strip()!r}")
        elif marker == "pm" and hour != 12:
            hour += 12
        elif marker == "am" and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise DateParseError(f"impossible time {match.group(0).strip()!r}")
    return (hour, minute, second), warnings


def _read_date(text: str) -> tuple[int | None, int, int, list[str]] | None:
    warnings: list[str] = []
    iso = _ISO_RE.search(text) or _ISO_SLASH_RE.search(text)
    words = _MDY_RE.search(text) or _DMY_RE.search(text)
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        other = _words_date(words) if words else None
        if words and other and (other[1] != month or other[2] != day or other[0] not in (None, year)):
            warnings.append(f"ISO date {iso.group(0)!r} disagrees with {words.group(0)!r}; used the ISO date")
        return year, month, day, warnings
    if words:
        parts = _words_date(words)
        if parts is not None:
            return parts[0], parts[1], parts[2], warnings
    return None


def _words_date(match: re.Match[str]) -> tuple[int | None, int, int] | None:
    if match.re is _MDY_RE:
        month_name, day_text, year_text = match.group(1), match.group(2), match.group(3)
    else:
        day_text, month_name, year_text = match.group(1), match.group(2), match.group(3)
    month = _MONTHS[month_name.casefold()]
    return (int(year_text) if year_text else None), month, int(day_text)


def _dateutil_fallback(text: str, zone: tzinfo | None, original: str) -> LooseDateTime:
    """Read ``text`` (timezone already removed into ``zone``) with python-dateutil."""
    cleaned = re.sub(r"(?i)\bat\b", " ", text)
    # Two naive defaults that differ in every date field: a field missing from the text
    # shows up as a difference, and a naive result means the text had no timezone.
    try:
        first = dateutil_parser.parse(cleaned, default=datetime(1904, 1, 1))  # noqa: DTZ001
        second = dateutil_parser.parse(cleaned, default=datetime(1908, 2, 2))  # noqa: DTZ001
    except (ValueError, OverflowError) as exc:
        raise DateParseError(f"unreadable date {original!r}: {exc}") from exc
    if (first.month, first.day) != (second.month, second.day):
        raise DateParseError(f"no month and day in {original!r}")
    warnings = [f"read {original!r} with the dateutil fallback"]
    ambiguous = re.search(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}(?!\d)", text)
    if ambiguous and int(ambiguous.group(1)) <= 12 and int(ambiguous.group(2)) <= 12:
        raise DateParseError(f"numeric date {ambiguous.group(0)!r} in {original!r} is ambiguous (day/month?)")
    year: int | None = first.year if first.year == second.year else None
    has_time = bool(_TIME_RE.search(text))
    return LooseDateTime(
        year=year,
        month=first.month,
        day=first.day,
        hour=first.hour if has_time else None,
        minute=first.minute if has_time else None,
        second=first.second if has_time else None,
        tz=zone or first.tzinfo,
        warnings=warnings,
    )


def parse_loose(text: str) -> LooseDateTime:
    """Read a date (and a time and timezone if present) from free text.

    Raises DateParseError if no date can be found.  The year may be missing
    (``year is None``); :func:`resolve_datetime` fills it in.
    """
    if not isinstance(text, str):
        raise DateParseError(f"not a string: {text!r}")
    normal = normalise_text(text)
    if not normal:
        raise DateParseError("empty")
    zone, rest, warnings = _read_zone(normal)
    time_parts, time_warnings = _read_time(rest)
    warnings.extend(time_warnings)
    date_parts = _read_date(rest)
    if date_parts is None:
        loose = _dateutil_fallback(rest, zone, normal)
        loose.warnings[:0] = warnings
        return loose
    year, month, day, date_warnings = date_parts
    warnings.extend(date_warnings)
    hour = minute = second = None
    if time_parts is not None:
        hour, minute, second = time_parts
    return LooseDateTime(
        year=year, month=month, day=day, hour=hour, minute=minute, second=second, tz=zone, warnings=warnings
    )


def parse_date_text(text: str) -> tuple[date, list[str]]:
    """A calendar date from free text (ISO or "July 2, 2024"); the year is required."""
    loose = parse_loose(text)
    if loose.year is None:
        raise DateParseError(f"no year in {text!r}")
    try:
        return date(loose.year, loose.month, loose.day), list(loose.warnings)
    except ValueError as exc:
        raise DateParseError(f"impossible date {text!r}: {exc}") from exc


def resolve_datetime(
    text: str,
    *,
    reference: date,
    not_after: datetime | None = None,
    label: str = "value",
) -> tuple[datetime, list[str]]:
    """An aware UTC datetime from free text.

    ``reference`` (the draw date) supplies the year when the text has none.  With
    ``not_after`` set (the round's run time) a year-less value that would fall after it
    is moved to the previous year: a tie-break time cannot be later than the round.
    Text without a timezone is taken as UTC (IRCC states these times in UTC), with a
    warning.  Text without a time gets 00:00:00, with a warning.
    """
    loose = parse_loose(text)
    warnings = [f"{label}: {w}" for w in loose.warnings]
    year = loose.year
    if year is None:
        year = reference.year
        candidate = _build(year, loose, text)
        if not_after is not None and candidate > not_after:
            year -= 1
        warnings.append(
            f"{label} {text.strip()!r} has no year; used {year} from the draw date {reference.isoformat()}"
        )
    result = _build(year, loose, text)
    if loose.tz is None:
        warnings.append(f"{label} {text.strip()!r} has no timezone; assumed UTC")
    if not loose.has_time:
        warnings.append(f"{label} {text.strip()!r} has no time; used 00:00:00 UTC")
    return result, warnings


def _build(year: int, loose: LooseDateTime, text: str) -> datetime:
    try:
        local = datetime(
            year,
            loose.month,
            loose.day,
            loose.hour or 0,
            loose.minute or 0,
            loose.second or 0,
            tzinfo=loose.tz or UTC,
        )
    except ValueError as exc:
        raise DateParseError(f"impossible date {text!r}: {exc}") from exc
    return local.astimezone(UTC)
