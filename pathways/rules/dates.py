"""Date arithmetic: calendar offsets and Canadian business days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

# Service Canada is a federal employer: its offices close on federal (government) holidays, and the
# job's province adds its own public holidays. This choice is ours (the reference only says "business
# days"); it is the union of the ``holidays`` library's CA "public" and "government" categories.
HOLIDAY_CATEGORIES: tuple[str, ...] = ("public", "government")


def add_offset(start: date, *, days: int = 0, months: int = 0, years: int = 0) -> date:
    return start + relativedelta(years=years, months=months, days=days)


@cache
def _calendar(province: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CA", subdiv=province, years=year, categories=HOLIDAY_CATEGORIES)


def is_business_day(day: date, province: str | None = None) -> bool:
    return day.weekday() < 5 and day not in _calendar(province, day.year)


def holiday_name(day: date, province: str | None = None) -> str | None:
    return _calendar(province, day.year).get(day)


def next_business_day(day: date, province: str | None = None) -> date:
    """The first business day strictly after ``day``."""
    d = day + timedelta(days=1)
    while not is_business_day(d, province):
        d += timedelta(days=1)
    return d


def add_business_days(start: date, n: int, province: str | None = None) -> date:
    """The n-th business day after ``start`` (n may be negative: before it)."""
    step = 1 if n >= 0 else -1
    d, left = start, abs(n)
    while left:
        d += timedelta(days=step)
        if is_business_day(d, province):
            left -= 1
    return d


def service_standard_due(received: date, business_days: int, province: str | None = None) -> date:
    """Due date of a standard counted from the first business day after receipt (that day is day 1)."""
    day1 = next_business_day(received, province)
    return add_business_days(day1, business_days - 1, province)


def holidays_between(start: date, end: date, province: str | None = None) -> list[tuple[date, str]]:
    out: list[tuple[date, str]] = []
    d = start
    while d <= end:
        name = holiday_name(d, province)
        if name and d.weekday() < 5:
            out.append((d, name))
        d += timedelta(days=1)
    return out
