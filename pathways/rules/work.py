"""Work-history arithmetic over :class:`WorkPeriod` lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from pathways.rules.types import WorkPeriod

FULL_TIME_HOURS = 30.0  # hours/week used when a period has no explicit full_time flag
DAYS_PER_MONTH = 365.25 / 12


def teer_of(noc: str | None, teer: int | None = None) -> int | None:
    """TEER of a NOC 2021 code: its second digit (``21231`` -> 1, ``00012`` -> 0)."""
    if teer is not None:
        return teer
    if noc and len(noc) == 5 and noc.isdigit():
        return int(noc[1])
    return None


def is_full_time(p: WorkPeriod) -> bool | None:
    if p.full_time is not None:
        return p.full_time
    if p.hours_per_week is None:
        return None
    return p.hours_per_week >= FULL_TIME_HOURS


def _intervals(
    periods: Iterable[WorkPeriod], start: date, end: date, pred: Callable[[WorkPeriod], bool]
) -> list[tuple[date, date]]:
    """Inclusive intervals of matching periods clipped to [start, end], merged when touching."""
    raw: list[tuple[date, date]] = []
    for p in periods:
        if not pred(p):
            continue
        s = max(p.start, start)
        e = min(p.end or end, end)
        if s <= e:
            raw.append((s, e))
    raw.sort()
    merged: list[tuple[date, date]] = []
    for s, e in raw:
        if merged and s <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def full_months(start: date, end_inclusive: date) -> int:
    rd = relativedelta(end_inclusive + timedelta(days=1), start)
    return rd.years * 12 + rd.months


def longest_continuous(
    periods: Iterable[WorkPeriod], start: date, end: date, pred: Callable[[WorkPeriod], bool]
) -> tuple[date, date, int] | None:
    """Longest merged stretch of matching periods inside [start, end]: (from, to, full months)."""
    best: tuple[date, date, int] | None = None
    for s, e in _intervals(periods, start, end, pred):
        m = full_months(s, e)
        if best is None or m > best[2]:
            best = (s, e, m)
    return best


def total_months(
    periods: Iterable[WorkPeriod], start: date, end: date, pred: Callable[[WorkPeriod], bool]
) -> float:
    """Total months (overlaps counted once) of matching periods inside [start, end]."""
    days = sum((e - s).days + 1 for s, e in _intervals(periods, start, end, pred))
    return round(days / DAYS_PER_MONTH, 1)


def same_employer(a: str | None, b: str | None) -> bool:
    def norm(x: str) -> str:
        return " ".join(x.lower().replace(",", " ").replace(".", " ").split())

    return bool(a and b and norm(a) == norm(b))


def _daily_fraction(p: WorkPeriod) -> float | None:
    """Share of a full-time week one period represents (None when it cannot be weighed)."""
    if p.hours_per_week is not None:
        return min(1.0, p.hours_per_week / FULL_TIME_HOURS)
    if p.full_time is True:
        return 1.0
    return None


def fte_months(
    periods: Iterable[WorkPeriod], start: date, end: date, pred: Callable[[WorkPeriod], bool]
) -> tuple[float, bool]:
    """Full-time-equivalent months of matching periods inside [start, end], part-time counted pro rata.

    Each day counts the sum of its periods' shares of a full-time week (``FULL_TIME_HOURS``), capped at one
    full-time day. Returns ``(months, unweighed)``: ``unweighed`` is True when some matching period has
    neither hours nor a full-time flag (part-time of unknown hours), which was left out.
    """
    weights: dict[date, float] = {}
    unweighed = False
    for p in periods:
        if not pred(p):
            continue
        share = _daily_fraction(p)
        if share is None:
            unweighed = True
            continue
        day, last = max(p.start, start), min(p.end or end, end)
        while day <= last:
            weights[day] = min(1.0, weights.get(day, 0.0) + share)
            day += timedelta(days=1)
    return sum(weights.values()) / DAYS_PER_MONTH, unweighed
