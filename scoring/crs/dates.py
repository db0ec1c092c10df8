"""Date helpers shared by the CRS modules.

Convention for 29 February: an anniversary that falls on 29 February in a non-leap year is taken
to be 1 March (so a person born on 29 February turns a year older on 1 March in common years, and
a test taken on 29 February reaches its second anniversary on 1 March).
"""

from __future__ import annotations

from datetime import date, timedelta


def anniversary(day: date, years: int) -> date:
    """``day`` moved by ``years`` years; 29 Feb maps to 1 Mar in non-leap years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return date(day.year + years, 3, 1)


def years_back(day: date, years: int) -> date:
    """``day`` moved back by ``years`` years; 29 Feb maps to 28 Feb (used for look-back windows)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of age on ``on``."""
    age = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    return age


def next_birthday(date_of_birth: date, after: date) -> date:
    """The first day strictly after ``after`` on which the age increases."""
    current = age_on(date_of_birth, after)
    return anniversary(date_of_birth, current + 1)


ONE_DAY = timedelta(days=1)
