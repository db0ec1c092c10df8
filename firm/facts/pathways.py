"""A snapshot as the pathway assessors' facts on a date (``pathways.rules.types.ClientFacts``).

The assessors see the principal applicant: the best valid result per official language (CLB/NCLC from
the snapshot), education, the work that counts (Canadian work without authorization or while a
full-time student counts for no program), the latest current job offer, the latest nomination in
force. ``ClientFacts.crs`` carries the CRS engine's facts for the same date (``firm.facts.crs``): the
Express Entry assessor reads program and category eligibility from them, exactly as the stored
eligibility that draws flag on.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from firm.facts.crs import family_size, person_facts
from firm.facts.snapshot import ClientSnapshot, EducationRow, LanguageRow, OfferRow, WorkRow
from pathways.rules.types import (
    ClientFacts,
    EducationRecord,
    JobOffer,
    LanguageTest,
    Nomination,
    WorkPeriod,
)

# firm.constants.EducationLevel -> pathways.rules.types.EDUCATION_LEVELS
EDUCATION_LEVEL_MAP: dict[str, str] = {
    "none": "none",
    "secondary": "secondary",
    "one_year": "certificate",
    "two_year": "diploma",
    "bachelors": "bachelor",
    "two_or_more": "two_or_more",
    "masters": "master",
    "phd": "doctorate",
}
_CAPACITIES = frozenset({"executive", "manager", "specialized_knowledge", "other"})
LANGUAGE_VALIDITY_YEARS = 2


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def language_result(row: LanguageRow) -> LanguageTest | None:
    """One test sitting -> CLB/NCLC levels per ability (None when the scores cannot be converted)."""
    if row.clb is None:
        return None
    return LanguageTest(
        clb=dict(zip(("listening", "reading", "writing", "speaking"), row.clb, strict=True)),
        test_date=row.test_date,
        language="fr" if row.language == "fr" else "en",
        test_name=row.test,
    )


def best_language(rows: tuple[LanguageRow, ...], as_of: date) -> LanguageTest | None:
    """The best result still valid on `as_of` (highest lowest-ability level), else the most recent one."""
    results = [r for r in (language_result(row) for row in rows) if r is not None]
    if not results:
        return None
    valid = [
        r
        for r in results
        if r.test_date and r.test_date <= as_of < _add_years(r.test_date, LANGUAGE_VALIDITY_YEARS)
    ]
    if valid:
        return max(valid, key=lambda r: (r.min_clb() or 0, r.test_date or date.min))
    return max(results, key=lambda r: r.test_date or date.min)


def education_record(e: EducationRow) -> EducationRecord:
    years = float(e.program_years) if e.program_years else (1.0 if e.level == "one_year" else None)
    return EducationRecord(
        level=EDUCATION_LEVEL_MAP.get(e.level, "none"),
        field=e.field_of_study,
        country=e.country or ("CA" if e.in_canada else None),
        program_years=years,
        completed_on=e.completed_on,
        eca_date=e.eca_date,
    )


def _work_counts(w: WorkRow) -> bool:
    """Canadian work without authorization, or while a full-time student, counts for no program."""
    return not (w.in_canada and (not w.work_authorized or w.while_full_time_student))


def work_period(w: WorkRow) -> WorkPeriod:
    capacity = w.capacity if w.capacity in _CAPACITIES else ("other" if w.capacity else None)
    return WorkPeriod(
        start=w.start_date,
        end=w.end_date,
        noc=w.noc_code or None,
        teer=w.teer,
        employer=w.employer,
        country=w.country or ("CA" if w.in_canada else None),
        in_canada=w.in_canada,
        hours_per_week=w.hours_per_week,
        paid=w.paid,
        self_employed=w.self_employed,
        job_title=w.job_title,
        capacity=cast(Any, capacity),
        province=w.province or None,
    )


def job_offer(o: OfferRow) -> JobOffer:
    return JobOffer(
        employer=o.employer,
        noc=o.noc_code or None,
        teer=o.teer,
        job_title=o.job_title,
        hourly_wage=o.hourly_wage,
        annual_wage=o.annual_wage,
        province=o.province or None,
        full_time=o.full_time,
        hours_per_week=o.hours_per_week,
        permanent=o.permanent,
        duration_months=float(o.duration_months) if o.duration_months else None,
        start_date=o.start_date,
    )


def _latest_offer(snapshot: ClientSnapshot) -> OfferRow | None:
    if not snapshot.offers:
        return None
    # the most recent offer; one without a date counts as the most recent (as the rows were read before)
    return max(snapshot.offers, key=lambda o: (o.offered_on or date.max, o.pk))


def _nomination(snapshot: ClientSnapshot, as_of: date) -> Nomination | None:
    active = [n for n in snapshot.nominations if n.active(as_of)]
    if not active:
        return None
    n = max(active, key=lambda n: (n.nominated_on, n.pk))
    return Nomination(province=n.province, stream=n.stream, nominated_on=n.nominated_on, enhanced=n.enhanced)


def client_facts(snapshot: ClientSnapshot, *, as_of: date, crs_score: int | None = None) -> ClientFacts:
    """The client's facts as the assessors see them on `as_of` (principal applicant)."""
    languages = snapshot.languages_of("principal")
    offer_row = _latest_offer(snapshot)
    offer = job_offer(offer_row) if offer_row is not None else None
    return ClientFacts(
        citizenships=snapshot.citizenships,
        country_of_residence=snapshot.country_of_residence,
        date_of_birth=snapshot.date_of_birth,
        education=tuple(
            education_record(e)
            for e in sorted(snapshot.education_of("principal"), key=lambda e: e.completed_on or date.max)
        ),
        work=tuple(
            work_period(w)
            for w in sorted(snapshot.work_of("principal"), key=lambda w: w.start_date)
            if _work_counts(w)
        ),
        first_language=best_language(tuple(r for r in languages if r.role == "first"), as_of),
        second_language=best_language(tuple(r for r in languages if r.role == "second"), as_of),
        nomination=_nomination(snapshot, as_of),
        job_offer=offer,
        family_size=family_size(snapshot),
        settlement_funds_cad=snapshot.settlement_funds_cad,
        intended_province=snapshot.intended_province or (offer.province if offer else None),
        ee_profile_submitted_on=snapshot.ee_profile_submitted_on,
        ee_crs_score=crs_score,
        crs=person_facts(snapshot, as_of),
    )
