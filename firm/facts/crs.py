"""A snapshot as the CRS engine's facts on a date (``PersonFacts``): what the stored score, the stored
program and category eligibility, the Express Entry assessment and the what-if all compute from.

Mapping decisions (documented in docs/crs.md):

* Spouse facts come from the ``person=spouse`` rows and are passed only when the client is married or
  common-law; the engine then scores them only when the spouse is accompanying and not Canadian.
* A language row's ``role`` ("first"/"second") becomes ``is_first``; the engine takes the best valid
  result per language (valid 2 years from the test date).
* ``full_time_in_canada`` is the Canadian-study condition of the Canadian-education points: a
  Canadian credential without it gets no Canadian-education points (foreign credentials are unaffected).
* A job offer counts while current and from ``offered_on`` (or ``start_date``); it is "supported" when
  it has an LMIA number or is LMIA-exempt, otherwise unknown (no points, eligibility "unknown"). A
  permanent offer without a duration counts as 12+ months.
* A nomination counts only when enhanced (Express Entry-linked) and ``nominated_on <= as_of <=
  expires_on`` (no expiry = open): a base (non-Express Entry) nomination gives no CRS points.
* Living outside Quebec is inferred where the record allows (the intended province; an active
  nomination; a current offer or ongoing Canadian job outside Quebec), authorization to work in Canada
  from an ongoing authorized job in Canada; otherwise unknown.
* Proof of funds: the one dated table (``pathways.rules.funds.required_funds_cad``) for the family
  size (counted from the family members, else the recorded number; unknown: never guessed).
* A score needs a date of birth, a valid (2-year) language result of the principal applicant and one
  education record of the principal applicant completed by ``as_of`` (``missing_facts``).
"""

from __future__ import annotations

from datetime import date, timedelta

from firm.facts.snapshot import ClientSnapshot, EducationRow, LanguageRow, OfferRow, WorkRow
from pathways.rules.funds import required_funds_cad
from scoring.crs.facts import (
    EducationFact,
    JobOfferFact,
    LanguageTestFact,
    PersonFacts,
    SpouseFacts,
    WorkPeriodFact,
    best_language_results,
)


def language_fact(row: LanguageRow) -> LanguageTestFact:
    return LanguageTestFact(
        test=row.test, scores=row.raw, test_date=row.test_date, is_first=row.role == "first"
    )


def education_fact(row: EducationRow) -> EducationFact:
    return EducationFact(
        level=row.level,
        in_canada=row.in_canada,
        program_years=row.program_years,
        completed=row.completed_on,
        eca_date=row.eca_date,
        meets_canadian_study_conditions=bool(row.full_time_in_canada) if row.in_canada else None,
    )


def work_fact(row: WorkRow) -> WorkPeriodFact:
    return WorkPeriodFact(
        start=row.start_date,
        end=row.end_date,
        hours_per_week=row.hours_per_week,
        in_canada=row.in_canada,
        noc=row.noc_code or None,
        teer=row.teer,
        country=row.country,
        paid=row.paid,
        self_employed=row.self_employed,
        authorized=row.work_authorized,
        while_full_time_student=row.while_full_time_student,
    )


def offer_fact(row: OfferRow) -> JobOfferFact:
    duration = row.duration_months if row.duration_months is not None else (12 if row.permanent else None)
    return JobOfferFact(
        noc=row.noc_code or None,
        teer=row.teer,
        full_time=row.full_time,
        duration_months=duration,
        supported=row.supported,
    )


def _offer_rank(row: OfferRow) -> tuple[int, int, int]:
    fact = offer_fact(row)
    teer = fact.teer_level
    return (1 if fact.valid() else 0, 1 if fact.major_group_00 else 0, -(teer if teer is not None else 9))


def active_offer(snapshot: ClientSnapshot, as_of: date) -> OfferRow | None:
    """The best current job offer in force on ``as_of`` (valid first, then NOC 00, then lowest TEER)."""
    rows = [o for o in snapshot.offers if o.counts_from is None or o.counts_from <= as_of]
    return max(rows, key=_offer_rank) if rows else None


def nominated(snapshot: ClientSnapshot, as_of: date) -> bool:
    """An enhanced (Express Entry) nomination in force on ``as_of``."""
    return any(n.enhanced and n.active(as_of) for n in snapshot.nominations)


def _ongoing(row: WorkRow, as_of: date) -> bool:
    return row.start_date <= as_of and (row.end_date is None or row.end_date >= as_of)


def _outside_quebec(
    snapshot: ClientSnapshot, as_of: date, offer: OfferRow | None, nomination: bool
) -> bool | None:
    if nomination:  # Quebec does not nominate through the PNP
        return True
    if snapshot.intended_province:  # the client told us where they plan to live
        return snapshot.intended_province != "QC"
    provinces = [offer.province] if offer is not None and offer.province else []
    provinces += [
        w.province for w in snapshot.work_of("principal") if w.in_canada and w.province and _ongoing(w, as_of)
    ]
    if not provinces:
        return None
    return any(prov != "QC" for prov in provinces)


def _authorized(snapshot: ClientSnapshot, as_of: date) -> bool | None:
    if any(w.in_canada and w.work_authorized and _ongoing(w, as_of) for w in snapshot.work_of("principal")):
        return True
    return None


def required_funds(snapshot: ClientSnapshot, as_of: date) -> int | None:
    """Proof-of-funds amount for the family size (None while it is not recorded: never guessed)."""
    if snapshot.settlement_funds_cad is None:
        return None
    return required_funds_cad(snapshot.family_size, as_of)


def family_size(snapshot: ClientSnapshot) -> int | None:
    return snapshot.family_size


def fact_change_dates(snapshot: ClientSnapshot, as_of: date) -> list[date]:
    """Future dates on which the dated rows themselves change (an offer or a nomination starts or ends).

    The engine's ``next_change_date`` takes the facts as fixed; these dates are checked on top of it.
    """
    out: set[date] = set()
    for o in snapshot.offers:
        if o.counts_from is not None and o.counts_from > as_of:
            out.add(o.counts_from)
    for n in snapshot.nominations:
        if n.nominated_on > as_of:
            out.add(n.nominated_on)
        if n.expires_on is not None and n.expires_on >= as_of:
            out.add(n.expires_on + timedelta(days=1))
    return sorted(out)


def missing_facts(snapshot: ClientSnapshot, as_of: date) -> list[str]:
    """What a score still needs on ``as_of`` (empty when the client can be scored)."""
    missing = []
    if snapshot.date_of_birth is None or snapshot.date_of_birth > as_of:
        missing.append("date_of_birth")
    tests = [language_fact(r) for r in snapshot.languages_of("principal")]
    if not best_language_results(tests, as_of):
        missing.append("language_test")
    if not any(e.completed_on is None or e.completed_on <= as_of for e in snapshot.education_of("principal")):
        missing.append("education")
    return missing


def _spouse(snapshot: ClientSnapshot) -> SpouseFacts | None:
    if not snapshot.partnered:
        return None
    educations = [education_fact(e) for e in snapshot.education_of("spouse")]
    return SpouseFacts(
        educations=educations,
        language_tests=[language_fact(r) for r in snapshot.languages_of("spouse")],
        work=[work_fact(w) for w in snapshot.work_of("spouse")],
        studied_in_canada=any(e.in_canada for e in educations) or None,
    )


def person_facts(snapshot: ClientSnapshot, as_of: date) -> PersonFacts | None:
    """The CRS engine's facts for the client on ``as_of``; None without a date of birth."""
    if snapshot.date_of_birth is None:
        return None
    offer = active_offer(snapshot, as_of)
    nomination = nominated(snapshot, as_of)
    return PersonFacts(
        date_of_birth=snapshot.date_of_birth,
        marital_status=snapshot.marital_status,
        spouse_accompanying=snapshot.spouse_accompanying and snapshot.partnered,
        spouse_canadian=snapshot.spouse_canadian and snapshot.partnered,
        educations=[education_fact(e) for e in snapshot.education_of("principal")],
        language_tests=[language_fact(r) for r in snapshot.languages_of("principal")],
        work=[work_fact(w) for w in snapshot.work_of("principal")],
        job_offer=offer_fact(offer) if offer is not None else None,
        nomination=nomination,
        sibling_in_canada=snapshot.sibling_in_canada,
        relative_in_canada=True if snapshot.sibling_in_canada else None,
        certificate_of_qualification=snapshot.certificate_of_qualification,
        spouse=_spouse(snapshot),
        authorized_to_work_in_canada=_authorized(snapshot, as_of),
        plans_to_live_outside_quebec=_outside_quebec(snapshot, as_of, offer, nomination),
        settlement_funds_cad=snapshot.settlement_funds_cad,
        required_funds_cad=required_funds(snapshot, as_of),
    )
