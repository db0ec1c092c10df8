"""Helpers shared by the assessors."""

from __future__ import annotations

from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.types import CaseFacts, ClientFacts, JobOffer, LanguageTest, WorkPeriod
from pathways.rules.work import teer_of

WEEKS_PER_YEAR = 52


def offer_of(client: ClientFacts, case: CaseFacts) -> JobOffer | None:
    """The case's job offer, else the client's."""
    return case.job_offer or client.job_offer


def application_day(case: CaseFacts, as_of: date) -> date:
    return case.application_date or as_of


def offer_teer(offer: JobOffer | None) -> int | None:
    return None if offer is None else teer_of(offer.noc, offer.teer)


def hourly_wage(offer: JobOffer | None) -> tuple[float | None, str]:
    """Offered hourly wage and how it was obtained (annual / (hours x 52) when only annual is known).

    The derived wage is NOT rounded: it is compared with floors as is ($85,000 at 40 h/week is
    $40.8654/h, below a $40.87 floor); only the text shows it to four decimals.
    """
    if offer is None:
        return None, ""
    if offer.hourly_wage is not None:
        return offer.hourly_wage, ""
    if offer.annual_wage is not None and offer.hours_per_week:
        h = offer.annual_wage / (offer.hours_per_week * WEEKS_PER_YEAR)
        return h, (
            f" (hourly derived from ${offer.annual_wage:,.0f}/yr at {offer.hours_per_week:g} h/week "
            f"= ${h:.4f}/h)"
        )
    return None, ""


def annual_wage(offer: JobOffer | None) -> float | None:
    if offer is None:
        return None
    if offer.annual_wage is not None:
        return offer.annual_wage
    if offer.hourly_wage is not None and offer.hours_per_week:
        return offer.hourly_wage * offer.hours_per_week * WEEKS_PER_YEAR  # unrounded, like hourly_wage
    return None


def is_offer_full_time(offer: JobOffer | None, min_hours: float) -> bool | None:
    if offer is None:
        return None
    if offer.hours_per_week is not None:
        return offer.hours_per_week >= min_hours
    return offer.full_time


def best_language(client: ClientFacts) -> LanguageTest | None:
    """The official-language result with the higher minimum CLB."""
    tests = [t for t in (client.first_language, client.second_language) if t is not None]
    if not tests:
        return None
    return max(tests, key=lambda t: t.min_clb() or 0)


def clb_check(
    b: Builder,
    client: ClientFacts,
    *,
    minimum: int,
    rs: RuleSet,
    fact: str,
    key: str = "language",
    label: str | None = None,
) -> None:
    test = best_language(client)
    level = None if test is None else test.min_clb()
    b.check(
        key,
        label or f"Language: CLB/NCLC {minimum} in all four abilities",
        None if level is None else level >= minimum,
        met=f"Lowest ability is CLB {level} (needs {minimum}).",
        unmet=f"Lowest ability is CLB {level}; needs CLB {minimum} in all four abilities.",
        unknown="No complete language test result (all four abilities) is recorded.",
        facts=[rs.fact(fact)],
        rules=rs,
    )


def language_valid_check(
    b: Builder, client: ClientFacts, *, on: date, years: int, rs: RuleSet, fact: str
) -> None:
    test = best_language(client)
    when = None if test is None else test.test_date
    ok = None if when is None else add_offset(when, years=years) > on
    b.check(
        "language_test_valid",
        f"Language test less than {years} years old when the application is made",
        ok,
        met=f"Test of {when} is valid on {on}.",
        unmet=f"Test of {when} is {years}+ years old on {on}; a new test is needed.",
        unknown="The language test date is not recorded.",
        facts=[rs.fact(fact)],
        rules=rs,
    )


def citizenship_check(b: Builder, client: ClientFacts, *, allowed: list[str], rs: RuleSet, fact: str) -> None:
    cits = {c.upper() for c in client.citizenships}
    hit = sorted(cits & set(allowed))
    b.check(
        "citizenship",
        f"Citizen of {' or '.join(allowed)} (permanent residents do not qualify)",
        None if not cits else bool(hit),
        met=f"Citizen of {', '.join(hit)}.",
        unmet=f"Citizenship {', '.join(sorted(cits))} is not {' or '.join(allowed)}.",
        unknown="No citizenship is recorded.",
        facts=[rs.fact(fact)],
        rules=rs,
    )


def document_key_dates(b: Builder, client: ClientFacts, kinds: tuple[str, ...]) -> None:
    """Standard document-expiry dates from the ``deadlines`` dataset."""
    rs = b.rules("deadlines")
    test = best_language(client)
    eca = next((e.eca_date for e in client.education if e.eca_date), None)
    events: dict[str, date | None] = {
        "language_test_expiry": test.test_date if test else None,
        "eca_expiry": eca,
        "medical_expiry": client.medical_exam_date,
        "police_certificate_expiry": client.police_certificate_date,
        "ee_profile_expiry": client.ee_profile_submitted_on,
        "ee_ita_submit": client.ee_ita_date,
    }
    for kind in kinds:
        b.deadline(rs, kind, events.get(kind))


def work_noc(client: ClientFacts) -> str | None:
    """NOC of the most recent work period."""
    periods = sorted(client.work, key=lambda p: p.start)
    for p in reversed(periods):
        if p.noc:
            return p.noc
    return None


def is_paid_employee(p: WorkPeriod) -> bool:
    return p.paid and not p.self_employed
