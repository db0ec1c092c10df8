"""From a client's stored facts to a CRS profile, and the next date the score changes by itself.

Plain dataclasses: the Django layer maps its models to these. Nothing here touches a database.

Counting rules (crs_rules.md A5, G; pathways.md 6.1, 6.3):

* Work: skilled (TEER 0-3), paid work; in Canada it must also be authorized. Counted within the
  look-back window ending on ``as_of`` (10 years for CRS). Hours per calendar day are the sum of the
  weekly hours of all jobs active that day divided by 7, capped at 30/7 (so overlapping jobs never
  count for more than a 30 h/week full-time equivalent). 1,560 hours = 1 year. Ongoing jobs
  (``end=None``) count up to ``as_of``.
* Language results are valid for 2 years from the test date; the best valid result per official
  language is used. The first official language is the one a valid result marks ``is_first``;
  otherwise the assignment that scores higher.
* Foreign credentials count only with an ECA less than 5 years old on ``as_of`` (IRPR s.75(2)(e),
  pathways.md 6.3). Canadian credentials need no ECA.
* Spouse factors count only when the spouse is accompanying and not a Canadian citizen/PR.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scoring.crs.dates import ONE_DAY, age_on, anniversary, next_birthday, years_back
from scoring.crs.engine import CRSProfile, score
from scoring.crs.language import (
    ABILITIES,
    RESULT_VALIDITY_YEARS,
    LanguageScoreError,
    convert,
    official_language,
)
from scoring.crs.rulesets import EDUCATION_LEVELS, RuleSet, future_effective_dates, ruleset_for

HOURS_PER_YEAR = 1560  # 1,560 h at 30 h/week = 1 year (crs_rules.md G)
FULL_TIME_WEEKLY_HOURS = 30
ECA_VALIDITY_YEARS = 5  # pathways.md 6.3 (IRPR s.75(2)(e))
CRS_WORK_WINDOW_YEARS = 10
_EDU_RANK = {level: i for i, level in enumerate(EDUCATION_LEVELS)}
_POST_SECONDARY = frozenset({"one_year", "two_year", "bachelors", "two_or_more", "masters", "phd"})
# A credential of 3+ years (needed for "two or more credentials"): bachelor's level or higher.
_THREE_YEAR_PLUS = frozenset({"bachelors", "masters", "phd"})


@dataclass(frozen=True, slots=True)
class EducationFact:
    level: str  # one of rulesets.EDUCATION_LEVELS (two_or_more may be stated directly)
    in_canada: bool = False
    program_years: int | None = None  # length of the program in years (for the Canadian-education points)
    completed: date | None = None
    eca_date: date | None = None  # issue date of the ECA report (foreign credentials)
    # Canadian-education conditions (full time, 8 months in Canada, not mostly ESL/FSL, no distance
    # learning, no return-home scholarship) are MEM/unverified in the reference: None = not checked.
    meets_canadian_study_conditions: bool | None = None


@dataclass(frozen=True, slots=True)
class LanguageTestFact:
    test: str  # ielts|celpip|pte_core|tef|tcf|clb|nclc
    scores: dict[str, Any]  # listening/reading/writing/speaking raw scores
    test_date: date
    is_first: bool | None = None  # the client chose this as first official language

    @property
    def official_language(self) -> str:
        return official_language(self.test)


@dataclass(frozen=True, slots=True)
class WorkPeriodFact:
    start: date
    end: date | None = None  # None = ongoing (assumed to continue)
    hours_per_week: float = 30
    in_canada: bool = False
    noc: str | None = None  # NOC 2021 five-digit code
    teer: int | None = None  # derived from the NOC's 2nd digit if not given
    country: str | None = None
    paid: bool = True
    self_employed: bool = False
    authorized: bool = True
    while_full_time_student: bool = False

    @property
    def teer_level(self) -> int | None:
        if self.teer is not None:
            return self.teer
        if self.noc and len(self.noc) == 5 and self.noc.isdigit():
            return int(self.noc[1])
        return None

    @property
    def skilled(self) -> bool | None:
        t = self.teer_level
        return None if t is None else t <= 3


@dataclass(frozen=True, slots=True)
class JobOfferFact:
    noc: str | None = None
    teer: int | None = None
    full_time: bool = True
    duration_months: int | None = 12  # at least 12 months needed
    supported: bool | None = None  # backed by an LMIA or LMIA-exempt (None = unknown)
    caf: bool = False  # offer from the Canadian Armed Forces (military category; unverified)

    @property
    def teer_level(self) -> int | None:
        if self.teer is not None:
            return self.teer
        if self.noc and len(self.noc) == 5 and self.noc.isdigit():
            return int(self.noc[1])
        return None

    @property
    def major_group_00(self) -> bool:
        return bool(self.noc and self.noc.startswith("00"))

    def valid(self) -> bool | None:
        """True if it is a valid CRS/FSW arranged-employment offer, None if unknown."""
        t = self.teer_level
        if t is None or t > 3 or not self.full_time or (self.duration_months or 0) < 12:
            return False if t is not None else None
        return self.supported


@dataclass(frozen=True, slots=True)
class SpouseFacts:
    educations: list[EducationFact] = field(default_factory=list)
    language_tests: list[LanguageTestFact] = field(default_factory=list)
    work: list[WorkPeriodFact] = field(default_factory=list)
    studied_in_canada: bool | None = None  # FSW adaptability


@dataclass(frozen=True, slots=True)
class PersonFacts:
    date_of_birth: date
    marital_status: str = "single"
    spouse_accompanying: bool = False
    spouse_canadian: bool = False
    educations: list[EducationFact] = field(default_factory=list)
    language_tests: list[LanguageTestFact] = field(default_factory=list)
    work: list[WorkPeriodFact] = field(default_factory=list)
    job_offer: JobOfferFact | None = None
    nomination: bool = False
    sibling_in_canada: bool = False
    relative_in_canada: bool | None = None  # FSW adaptability (parent, sibling, aunt...); sibling implies it
    certificate_of_qualification: bool = False
    certificate_noc: str | None = None
    spouse: SpouseFacts | None = None
    # Eligibility inputs that are not CRS factors (None = unknown)
    settlement_funds_cad: int | None = None
    required_funds_cad: int | None = None
    authorized_to_work_in_canada: bool | None = None
    plans_to_live_outside_quebec: bool | None = None
    meets_trade_noc_requirements: bool | None = None

    @property
    def with_spouse(self) -> bool:
        return (
            self.marital_status in ("married", "common_law")
            and self.spouse_accompanying
            and not self.spouse_canadian
        )


# --------------------------------------------------------------------------------------------
# Work hours
# --------------------------------------------------------------------------------------------


def _period_end(p: WorkPeriodFact, as_of: date) -> date:
    return as_of if p.end is None or p.end > as_of else p.end


_SCALE = 100  # hours are kept in hundredths of an hour per week
_CAP_UNITS = FULL_TIME_WEEKLY_HOURS * _SCALE
_UNITS_PER_YEAR = HOURS_PER_YEAR * 7 * _SCALE  # per-day weekly-hour units in one year of work


def _daily_units(periods: Iterable[WorkPeriodFact], lo: date, hi: date) -> list[int]:
    """For each day in [lo, hi]: the weekly hours of all active jobs (x100), capped at 30 h.

    A day's hours are units / 7 / 100. Ongoing periods run to ``hi``.
    """
    n = (hi - lo).days + 1
    if n <= 0:
        return []
    diff = [0] * (n + 1)
    for p in periods:
        start = max(p.start, lo)
        end = hi if p.end is None else min(p.end, hi)
        h = round(p.hours_per_week * _SCALE)
        if end < start or h <= 0:
            continue
        diff[(start - lo).days] += h
        diff[(end - lo).days + 1] -= h
    out = [0] * n
    running = 0
    cap = _CAP_UNITS
    for i in range(n):
        running += diff[i]
        out[i] = running if running < cap else cap
    return out


def _unit_segments(periods: Iterable[WorkPeriodFact], lo: date, hi: date) -> list[tuple[int, int, int]]:
    """The same values as ``_daily_units`` as runs: ``(first day, day after the last, units)``.

    Day numbers count from ``lo``; the runs cover [0, days in [lo, hi]) with no gaps, consecutive
    runs have different values. Linear in the number of periods (not in the number of days), which
    is what makes the window sums and the next-change search cheap.
    """
    n = (hi - lo).days + 1
    if n <= 0:
        return []
    events: dict[int, int] = {}
    for p in periods:
        start = max(p.start, lo)
        end = hi if p.end is None else min(p.end, hi)
        h = round(p.hours_per_week * _SCALE)
        if end < start or h <= 0:
            continue
        a = (start - lo).days
        b = (end - lo).days + 1
        events[a] = events.get(a, 0) + h
        events[b] = events.get(b, 0) - h
    out: list[tuple[int, int, int]] = []
    running = 0
    prev = 0
    cap = _CAP_UNITS
    for idx in sorted(events):
        if idx > prev:
            value = running if running < cap else cap
            if out and out[-1][2] == value:
                out[-1] = (out[-1][0], idx, value)
            else:
                out.append((prev, idx, value))
            prev = idx
        running += events[idx]
    if prev < n:
        if out and out[-1][2] == 0:
            out[-1] = (out[-1][0], n, 0)
        else:
            out.append((prev, n, 0))
    return out


def _window_units(periods: Iterable[WorkPeriodFact], as_of: date, years: int) -> int:
    lo = years_back(as_of, years) + ONE_DAY
    return sum((b - a) * v for a, b, v in _unit_segments(periods, lo, as_of))


def hours_in_window(periods: Iterable[WorkPeriodFact], as_of: date, years: int) -> float:
    """Full-time-equivalent hours (30 h/week cap per day) in the window (as_of - years, as_of]."""
    return _window_units(periods, as_of, years) / 7 / _SCALE


def years_in_window(periods: Iterable[WorkPeriodFact], as_of: date, years: int) -> int:
    """Whole years (1,560 h each) of work in the window (as_of - years, as_of]."""
    return _window_units(periods, as_of, years) // _UNITS_PER_YEAR


def crs_canadian_work(work: Iterable[WorkPeriodFact]) -> list[WorkPeriodFact]:
    return [p for p in work if p.in_canada and p.paid and p.authorized and p.skilled]


def crs_foreign_work(work: Iterable[WorkPeriodFact]) -> list[WorkPeriodFact]:
    return [p for p in work if not p.in_canada and p.paid and p.skilled]


# --------------------------------------------------------------------------------------------
# Language, education
# --------------------------------------------------------------------------------------------


def test_valid_on(t: LanguageTestFact, as_of: date) -> bool:
    return t.test_date <= as_of < anniversary(t.test_date, RESULT_VALIDITY_YEARS)


def _levels(t: LanguageTestFact) -> tuple[int, int, int, int] | None:
    try:
        return convert(t.test, t.scores, t.test_date)
    except LanguageScoreError:
        return None


def best_language_results(
    tests: Iterable[LanguageTestFact], as_of: date
) -> dict[str, tuple[LanguageTestFact, tuple[int, int, int, int]]]:
    """Best valid result per official language ('en'/'fr'): highest lowest-ability, then highest sum, then newest."""
    best: dict[str, tuple[tuple[int, int, date], LanguageTestFact, tuple[int, int, int, int]]] = {}
    for t in tests:
        if not test_valid_on(t, as_of):
            continue
        lv = _levels(t)
        if lv is None:
            continue
        key = (min(lv), sum(lv), t.test_date)
        lang = t.official_language
        if lang not in best or key > best[lang][0]:
            best[lang] = (key, t, lv)
    return {lang: (t, lv) for lang, (_, t, lv) in best.items()}


def eca_valid_on(e: EducationFact, as_of: date) -> bool:
    return e.eca_date is not None and e.eca_date <= as_of < anniversary(e.eca_date, ECA_VALIDITY_YEARS)


def counted_educations(educations: Iterable[EducationFact], as_of: date) -> list[EducationFact]:
    """Credentials that count on ``as_of``: Canadian ones, and foreign ones with a valid ECA."""
    out = []
    for e in educations:
        if e.completed is not None and e.completed > as_of:
            continue
        if e.level in ("none", "secondary") or e.in_canada or eca_valid_on(e, as_of):
            out.append(e)
    return out


def education_level(educations: Iterable[EducationFact], as_of: date) -> str:
    counted = counted_educations(educations, as_of)
    if not counted:
        return "none"
    best = max(counted, key=lambda e: _EDU_RANK.get(e.level, 0)).level
    post = [e for e in counted if e.level in _POST_SECONDARY]
    if (
        _EDU_RANK[best] < _EDU_RANK["two_or_more"]
        and len(post) >= 2
        and any(e.level in _THREE_YEAR_PLUS or (e.program_years or 0) >= 3 for e in post)
    ):
        best = "two_or_more"
    return best


def canadian_education_level(educations: Iterable[EducationFact], as_of: date) -> str:
    best = 0
    for e in educations:
        if not e.in_canada or e.level not in _POST_SECONDARY or e.meets_canadian_study_conditions is False:
            continue
        if e.completed is not None and e.completed > as_of:
            continue
        years = e.program_years or 0
        best = max(best, 2 if years >= 3 else (1 if years >= 1 else 0))
    return ("none", "one_or_two_year", "three_year_or_more")[best]


def arranged_employment(offer: JobOfferFact | None) -> str:
    if offer is None or not offer.valid():
        return "none"
    if offer.teer_level == 0 and offer.major_group_00:
        return "teer_0_major_group_00"
    return "other_teer_0_1_2_3"


# --------------------------------------------------------------------------------------------
# Profile
# --------------------------------------------------------------------------------------------


def _assign_languages(
    best: dict[str, tuple[LanguageTestFact, tuple[int, int, int, int]]],
) -> list[tuple[str, tuple[int, int, int, int], tuple[int, int, int, int] | None]]:
    """Candidate (first_code, first_levels, second_levels) assignments, preferred ones first."""
    if not best:
        return [("en", (0, 0, 0, 0), None)]
    if len(best) == 1:
        ((code, (_, lv)),) = best.items()
        return [(code, lv, None)]
    marked = [code for code, (t, _) in best.items() if t.is_first]
    if len(marked) == 1:
        code = marked[0]
        other = "fr" if code == "en" else "en"
        return [(code, best[code][1], best[other][1])]
    return [("en", best["en"][1], best["fr"][1]), ("fr", best["fr"][1], best["en"][1])]


def build_profile(facts: PersonFacts, as_of: date, rules: RuleSet | None = None) -> CRSProfile:
    """The CRS profile of a client on ``as_of``."""
    rules = rules or ruleset_for(as_of)
    with_spouse = facts.with_spouse
    sp = facts.spouse if with_spouse else None
    sp_lang = None
    if sp is not None:
        sp_best = best_language_results(sp.language_tests, as_of)
        if sp_best:
            # spouse's first official language: the better of the valid results
            sp_lang = max((lv for _, lv in sp_best.values()), key=lambda lv: (min(lv), sum(lv)))
    base: dict[str, Any] = {
        "age": age_on(facts.date_of_birth, as_of),
        "education": education_level(facts.educations, as_of),
        "with_spouse": with_spouse,
        "canadian_work_years": years_in_window(crs_canadian_work(facts.work), as_of, CRS_WORK_WINDOW_YEARS),
        "foreign_work_years": years_in_window(crs_foreign_work(facts.work), as_of, CRS_WORK_WINDOW_YEARS),
        "certificate_of_qualification": facts.certificate_of_qualification,
        "canadian_education": canadian_education_level(facts.educations, as_of),
        "arranged_employment": arranged_employment(facts.job_offer),
        "nomination": facts.nomination,
        "sibling": facts.sibling_in_canada,
        "spouse_education": education_level(sp.educations, as_of) if sp else "none",
        "spouse_language": sp_lang,
        "spouse_canadian_work_years": (
            years_in_window(crs_canadian_work(sp.work), as_of, CRS_WORK_WINDOW_YEARS) if sp else 0
        ),
    }
    options = _assign_languages(best_language_results(facts.language_tests, as_of))
    profiles = [
        CRSProfile(first_language_code=code, first_language=first, second_language=second, **base)
        for code, first, second in options
    ]
    if len(profiles) == 1:
        return profiles[0]
    return max(profiles, key=lambda p: score(p, rules).total)


def score_facts(facts: PersonFacts, as_of: date) -> int:
    """The CRS total on ``as_of`` under the rule set in force that day."""
    rules = ruleset_for(as_of)
    return score(build_profile(facts, as_of, rules), rules).total


# --------------------------------------------------------------------------------------------
# Next change
# --------------------------------------------------------------------------------------------


def _work_change_days(periods: list[WorkPeriodFact], as_of: date, horizon: date, years: int) -> list[date]:
    """Days in (as_of, horizon] on which the whole number of years in the window changes.

    The window total ``W(d)`` (units over [years_back(d) + 1 day, d]) moves by a constant amount per
    day except on "breakpoint" days: where the daily hours change (a job starts or ends), where such a
    change leaves the window (``years`` later), and around 29 February (the window start then moves by
    0 or 2 days). W is computed exactly on breakpoints from prefix sums and the crossings of whole
    years in between are solved arithmetically, so the cost depends on the number of jobs, not on the
    number of days. (Same result as walking the days one by one: tests/scoring/django_scores checks
    it against that reference on random histories.)
    """
    if not periods or horizon <= as_of:
        return []
    lo = years_back(as_of, years) + ONE_DAY
    segs = _unit_segments(periods, lo, horizon)
    if not any(v for _, _, v in segs):
        return []  # no counted hours at all: the number of years stays 0
    starts = [a for a, _, _ in segs]
    values = [v for _, _, v in segs]
    cum = [0]
    for a, b, v in segs:
        cum.append(cum[-1] + (b - a) * v)
    lo_ord = lo.toordinal()

    def prefix(i: int) -> int:  # sum of units over day numbers [0, i)
        if i <= 0:
            return 0
        k = bisect_right(starts, i - 1) - 1
        return cum[k] + values[k] * (i - starts[k])

    def total(d_ord: int) -> int:  # W on day d
        d = date.fromordinal(d_ord)
        s = (years_back(d, years) + ONE_DAY).toordinal() - lo_ord
        return prefix(d_ord - lo_ord + 1) - prefix(s)

    first = as_of.toordinal() + 1
    last = horizon.toordinal()
    marks = {first, last + 1}
    for a in starts[1:]:
        marks.add(lo_ord + a)  # the daily hours entering the window change
        left = anniversary(date.fromordinal(lo_ord + a), years).toordinal()
        marks.update((left - 1, left, left + 1))  # ... and leave it `years` later
    for y in range(as_of.year, horizon.year + 1):
        feb28 = date(y, 2, 28).toordinal()
        marks.update(range(feb28, feb28 + 4))  # 28 Feb - 2 Mar (1 Mar in common years): the window
        # start stalls on 29 Feb and skips 29 Feb of a leap year `years` earlier
    points = sorted(m for m in marks if first <= m <= last + 1)

    U = _UNITS_PER_YEAR
    changes: list[date] = []
    current = total(as_of.toordinal()) // U
    for k in range(len(points) - 1):
        b0, b1 = points[k], points[k + 1]
        w0 = total(b0)
        if w0 // U != current:
            changes.append(date.fromordinal(b0))
            current = w0 // U
        if b1 - b0 < 2:
            continue
        delta = total(b0 + 1) - w0  # constant on the regular days (b0, b1)
        if delta == 0:
            continue
        # days d = b0 + t (1 <= t < b1 - b0) where (w0 + delta * t) // U changes
        t = 0
        while True:
            w = w0 + delta * t
            if delta > 0:
                t = t + (((current + 1) * U - w) + delta - 1) // delta  # first t with W >= next multiple
            else:
                t = t + (w - current * U) // (-delta) + 1  # first t with W < current multiple
            if t >= b1 - b0:
                break
            changes.append(date.fromordinal(b0 + t))
            current = (w0 + delta * t) // U
    return changes


def next_change_date(facts: PersonFacts, as_of: date, *, horizon_years: int = 11) -> date | None:
    """The next date after ``as_of`` on which the CRS total changes by itself, or None.

    Considered: birthdays, completion of a work year or work dropping out of the 10-year window
    (ongoing jobs are assumed to continue), language-result expiry (2 years), ECA expiry (5 years),
    and the start of any future rule set already defined.
    """
    horizon = anniversary(as_of, horizon_years)
    candidates: set[date] = set()
    b = as_of
    for _ in range(60):
        b = next_birthday(facts.date_of_birth, b)
        if b > horizon or age_on(facts.date_of_birth, b) > 46:
            break
        candidates.add(b)
    people: list[Any] = [facts]
    if facts.spouse is not None:
        people.append(facts.spouse)
    for person in people:
        for t in person.language_tests:
            candidates.add(anniversary(t.test_date, RESULT_VALIDITY_YEARS))
            candidates.add(t.test_date)
        for e in person.educations:
            if e.eca_date is not None:
                candidates.add(anniversary(e.eca_date, ECA_VALIDITY_YEARS))
                candidates.add(e.eca_date)
            if e.completed is not None:
                candidates.add(e.completed)
    candidates.update(future_effective_dates(as_of))
    current = score_facts(facts, as_of)
    # The first of these dates that changes the total bounds the search; work-year changes (the costly
    # candidates) are then only looked for before it. Same answer as checking every candidate in order.
    first_other: date | None = None
    for d in sorted(c for c in candidates if as_of < c <= horizon):
        if score_facts(facts, d) != current:
            first_other = d
            break
    limit = first_other - ONE_DAY if first_other is not None else horizon
    work_days: set[date] = set()
    for person in people:
        work_days.update(
            _work_change_days(crs_canadian_work(person.work), as_of, limit, CRS_WORK_WINDOW_YEARS)
        )
        if person is facts:
            work_days.update(
                _work_change_days(crs_foreign_work(person.work), as_of, limit, CRS_WORK_WINDOW_YEARS)
            )
    for d in sorted(work_days - candidates):
        if as_of < d <= limit and score_facts(facts, d) != current:
            return d
    return first_other


__all__ = [
    "ABILITIES",
    "EducationFact",
    "JobOfferFact",
    "LanguageTestFact",
    "PersonFacts",
    "SpouseFacts",
    "WorkPeriodFact",
    "build_profile",
    "education_level",
    "hours_in_window",
    "next_change_date",
    "score_facts",
    "years_in_window",
]
