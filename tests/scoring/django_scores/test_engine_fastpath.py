"""The fast work-hour arithmetic of scoring.crs.facts against a day-by-day reference.

The engine sums work hours as runs (`_unit_segments`) and finds the days on which whole years change
arithmetically. These tests replay random work histories (overlaps, part time, 29 February starts and
ends, ongoing jobs, windows of 3, 5 and 10 years) through the straightforward day-by-day versions and
require identical results.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from scoring.crs import facts as F
from scoring.crs.categories import category_eligibility
from scoring.crs.dates import ONE_DAY, years_back
from scoring.crs.facts import WorkPeriodFact


def ref_daily_units(periods, lo, hi):
    n = (hi - lo).days + 1
    if n <= 0:
        return []
    diff = [0] * (n + 1)
    for p in periods:
        start = max(p.start, lo)
        end = hi if p.end is None else min(p.end, hi)
        h = round(p.hours_per_week * 100)
        if end < start or h <= 0:
            continue
        diff[(start - lo).days] += h
        diff[(end - lo).days + 1] -= h
    out, running = [], 0
    for i in range(n):
        running += diff[i]
        out.append(min(running, 3000))
    return out


def ref_work_change_days(periods, as_of, horizon, years):
    if not periods:
        return []
    lo = years_back(as_of, years) + ONE_DAY
    units = ref_daily_units(periods, lo, horizon)

    def start_index(d):
        return (years_back(d, years) + ONE_DAY - lo).days

    changes, prev_start = [], 0
    total = sum(units[: (as_of - lo).days + 1])
    current = total // F._UNITS_PER_YEAR
    d, i = as_of, (as_of - lo).days
    while d < horizon:
        d += ONE_DAY
        i += 1
        total += units[i]
        new_start = start_index(d)
        for j in range(prev_start, new_start):
            total -= units[j]
        prev_start = new_start
        value = total // F._UNITS_PER_YEAR
        if value != current:
            changes.append(d)
            current = value
    return changes


SPECIAL = [date(2016, 2, 29), date(2020, 2, 29), date(2024, 2, 29), date(2019, 2, 28), date(2021, 3, 1)]


def random_periods(rng: random.Random) -> list[WorkPeriodFact]:
    out = []
    for _ in range(rng.randint(0, 4)):
        start = (
            rng.choice(SPECIAL) if rng.random() < 0.2 else date(2008, 1, 1) + timedelta(rng.randint(0, 6500))
        )
        end = None
        if rng.random() < 0.7:
            end = rng.choice(SPECIAL) if rng.random() < 0.15 else start + timedelta(rng.randint(0, 2500))
            end = max(end, start)
        hours = rng.choice([40, 30, 20, 15.5, 37.5, 10, 60])
        out.append(WorkPeriodFact(start=start, end=end, hours_per_week=hours))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_window_sums_match_reference(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        periods = random_periods(rng)
        as_of = (
            rng.choice(SPECIAL) if rng.random() < 0.2 else date(2012, 1, 1) + timedelta(rng.randint(0, 5800))
        )
        for years in (1, 3, 5, 10):
            lo = years_back(as_of, years) + ONE_DAY
            assert F._window_units(periods, as_of, years) == sum(ref_daily_units(periods, lo, as_of))


@pytest.mark.parametrize("seed", range(6))
def test_work_change_days_match_reference(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(60):
        periods = random_periods(rng)
        as_of = (
            rng.choice(SPECIAL) if rng.random() < 0.25 else date(2014, 1, 1) + timedelta(rng.randint(0, 4800))
        )
        horizon = as_of + timedelta(rng.choice([1, 30, 400, 1500, 4018]))
        for years in (3, 10):
            assert F._work_change_days(periods, as_of, horizon, years) == ref_work_change_days(
                periods, as_of, horizon, years
            ), (periods, as_of, horizon, years)


def ref_category(facts, as_of, version):
    """Category eligibility through the engine's reference path (programs recomputed per call)."""
    return category_eligibility(facts, as_of, version)


@pytest.mark.parametrize("seed", range(3))
def test_category_eligibility_with_shared_programs_is_identical(seed: int) -> None:
    from scoring.crs.eligibility import program_eligibility

    rng = random.Random(200 + seed)
    nocs = ["21231", "31301", "72410", "13110", "41200", "31102", "00012", "73300"]
    for _ in range(40):
        work = [
            WorkPeriodFact(
                start=p.start,
                end=p.end,
                hours_per_week=p.hours_per_week,
                noc=rng.choice(nocs),
                in_canada=rng.random() < 0.5,
            )
            for p in random_periods(rng)
        ]
        facts = F.PersonFacts(
            date_of_birth=date(1988, 5, 5),
            work=work,
            language_tests=[
                F.LanguageTestFact(
                    "celpip",
                    dict.fromkeys(("listening", "reading", "writing", "speaking"), 9),
                    date(2025, 6, 1),
                )
            ],
            educations=[
                F.EducationFact("bachelors", in_canada=True, program_years=4, completed=date(2012, 5, 1))
            ],
            plans_to_live_outside_quebec=True,
        )
        as_of = date(2026, 11, 22)
        programs = program_eligibility(facts, as_of)
        for version in ("2023-v1", "2025-v2", "2026"):
            assert category_eligibility(facts, as_of, version, programs=programs) == ref_category(
                facts, as_of, version
            )


def ref_next_change_date(facts, as_of, horizon_years=11):
    """The engine's original search: every candidate (work-year changes over 11 years day by day) in order."""
    from scoring.crs.dates import age_on, anniversary, next_birthday
    from scoring.crs.rulesets import future_effective_dates

    horizon = anniversary(as_of, horizon_years)
    candidates = set()
    b = as_of
    for _ in range(60):
        b = next_birthday(facts.date_of_birth, b)
        if b > horizon or age_on(facts.date_of_birth, b) > 46:
            break
        candidates.add(b)
    people = [facts] + ([facts.spouse] if facts.spouse is not None else [])
    for person in people:
        for t in person.language_tests:
            candidates.update((anniversary(t.test_date, 2), t.test_date))
        for e in person.educations:
            if e.eca_date is not None:
                candidates.update((anniversary(e.eca_date, 5), e.eca_date))
            if e.completed is not None:
                candidates.add(e.completed)
        candidates.update(ref_work_change_days(F.crs_canadian_work(person.work), as_of, horizon, 10))
        if person is facts:
            candidates.update(ref_work_change_days(F.crs_foreign_work(person.work), as_of, horizon, 10))
    candidates.update(future_effective_dates(as_of))
    current = F.score_facts(facts, as_of)
    for d in sorted(c for c in candidates if as_of < c <= horizon):
        if F.score_facts(facts, d) != current:
            return d
    return None


@pytest.mark.parametrize("seed", range(4))
def test_next_change_date_matches_reference(seed: int) -> None:
    rng = random.Random(300 + seed)
    for _ in range(25):
        as_of = date(2022, 1, 1) + timedelta(rng.randint(0, 1800))
        work = [
            WorkPeriodFact(
                start=p.start,
                end=p.end,
                hours_per_week=p.hours_per_week,
                noc="21231",
                in_canada=rng.random() < 0.5,
            )
            for p in random_periods(rng)
        ]
        facts = F.PersonFacts(
            date_of_birth=as_of - timedelta(days=rng.randint(20 * 365, 48 * 365)),
            work=work,
            language_tests=[
                F.LanguageTestFact(
                    "celpip",
                    dict.fromkeys(("listening", "reading", "writing", "speaking"), rng.randint(5, 10)),
                    as_of - timedelta(days=rng.randint(0, 700)),
                )
            ],
            educations=[
                F.EducationFact(
                    "bachelors",
                    eca_date=as_of - timedelta(days=rng.randint(0, 1800)),
                    completed=date(2010, 1, 1),
                )
            ],
        )
        assert F.next_change_date(facts, as_of) == ref_next_change_date(facts, as_of)
