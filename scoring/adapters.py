"""DEBT (issue 11): kept only for scoring.services.history and scoring.selectors.next_change (added by
other issues while the snapshot landed); port them to firm.facts and delete this module.

Stored client facts (firm.models) -> the CRS engine's pure facts (scoring.crs.facts), as of a date.

Two steps, so that a batch reads the database once and the engine never sees a model:

1. Load: ``load_stored_facts(client_ids)`` reads the client rows and their fact rows for many clients in
   six queries (``values_list``, no model instances), or ``stored_facts_from_client(client)`` maps one
   ``Client`` (use ``with_facts(queryset)`` to prefetch its facts). Both give :class:`StoredFacts`:
   the date-independent engine facts (language tests, education, work) split by person, plus the dated
   rows (job offers, nominations) that are resolved per date.
2. Resolve: ``person_facts(stored, as_of)`` -> ``PersonFacts`` on that date, or None with
   ``missing_facts(stored, as_of)`` naming what is missing.

Mapping decisions (documented in docs/crs.md):

* Spouse facts come from the ``person=spouse`` rows and are passed only when the client is married or
  common-law; the engine then scores them only when the spouse is accompanying and not Canadian.
* A language row's ``role`` ("first"/"second") becomes ``is_first``; the engine takes the best valid
  result per language (valid 2 years from the test date).
* ``Education.full_time_in_canada`` is the Canadian-study condition of the Canadian-education points:
  a Canadian credential without it gets no Canadian-education points (foreign credentials are unaffected).
* A job offer counts while ``is_current`` and from ``offered_on`` (or ``start_date``); it is "supported"
  when it has an LMIA number or is LMIA-exempt, otherwise unknown (no points, eligibility "unknown").
  A permanent offer without a duration counts as 12+ months.
* A nomination counts when enhanced and ``nominated_on <= as_of <= expires_on`` (no expiry = open).
* Facts the model does not record are unknown (None): settlement funds. Two are inferred where the
  record allows: living outside Quebec (an active nomination, or a current offer / ongoing Canadian job
  in a province other than Quebec; False when those are in Quebec) and authorization to work in Canada
  (an ongoing authorized job in Canada).
* A score needs a date of birth, a valid (2-year) language result of the principal applicant and one
  education record of the principal applicant completed by ``as_of`` (``missing_facts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from firm.models import Client, Education, JobOffer, LanguageTest, ProvincialNomination, WorkExperience
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

PARTNERED = frozenset({"married", "common_law"})
FACT_RELATIONS = ("languagetests", "educations", "workexperiences", "joboffers", "provincialnominations")
CLIENT_FIELDS = (
    "pk",
    "firm_id",
    "date_of_birth",
    "marital_status",
    "spouse_accompanying",
    "spouse_canadian",
    "sibling_in_canada",
    "certificate_of_qualification",
    "settlement_funds_cad",
    "family_size",
    "intended_province",
)


@dataclass(frozen=True, slots=True)
class OfferRow:
    fact: JobOfferFact
    from_date: date | None  # counts from this date (offered_on, else start_date); None = always
    province: str


@dataclass(frozen=True, slots=True)
class NominationRow:
    nominated_on: date
    expires_on: date | None
    enhanced: bool


@dataclass(slots=True)
class StoredFacts:
    """One client's stored facts, mapped to engine facts where they do not depend on the date."""

    client_id: int
    firm_id: int
    date_of_birth: date | None
    marital_status: str = "single"
    spouse_accompanying: bool = False
    spouse_canadian: bool = False
    sibling_in_canada: bool = False
    certificate_of_qualification: bool = False
    settlement_funds_cad: int | None = None
    family_size: int | None = None
    intended_province: str = ""
    language_tests: list[LanguageTestFact] = field(default_factory=list)
    educations: list[EducationFact] = field(default_factory=list)
    work: list[WorkPeriodFact] = field(default_factory=list)
    work_provinces: list[tuple[WorkPeriodFact, str]] = field(default_factory=list)  # Canadian jobs
    spouse_language_tests: list[LanguageTestFact] = field(default_factory=list)
    spouse_educations: list[EducationFact] = field(default_factory=list)
    spouse_work: list[WorkPeriodFact] = field(default_factory=list)
    offers: list[OfferRow] = field(default_factory=list)
    nominations: list[NominationRow] = field(default_factory=list)

    @property
    def partnered(self) -> bool:
        return self.marital_status in PARTNERED


# ------------------------------------------------------------------------------------------------------
# Row -> engine fact
# ------------------------------------------------------------------------------------------------------


def _number(value: Any) -> int | float:
    """A stored Decimal score as the engine wants it: int when whole (CELPIP 10), else float (IELTS 6.5)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def language_fact(
    test: str, test_date: date, role: str, listening: Any, reading: Any, writing: Any, speaking: Any
) -> LanguageTestFact:
    return LanguageTestFact(
        test=test,
        scores={
            "listening": _number(listening),
            "reading": _number(reading),
            "writing": _number(writing),
            "speaking": _number(speaking),
        },
        test_date=test_date,
        is_first=role == "first",
    )


def education_fact(
    level: str,
    in_canada: bool,
    program_years: int | None,
    completed_on: date | None,
    eca_date: date | None,
    full_time_in_canada: bool,
) -> EducationFact:
    return EducationFact(
        level=level,
        in_canada=in_canada,
        program_years=program_years,
        completed=completed_on,
        eca_date=eca_date,
        meets_canadian_study_conditions=bool(full_time_in_canada) if in_canada else None,
    )


def work_fact(
    noc_code: str,
    teer: int | None,
    in_canada: bool,
    country: str,
    start_date: date,
    end_date: date | None,
    hours_per_week: Any,
    paid: bool,
    self_employed: bool,
    work_authorized: bool,
    while_full_time_student: bool,
) -> WorkPeriodFact:
    return WorkPeriodFact(
        start=start_date,
        end=end_date,
        hours_per_week=float(hours_per_week),
        in_canada=in_canada,
        noc=noc_code or None,
        teer=teer,
        country=str(country) or None,
        paid=paid,
        self_employed=self_employed,
        authorized=work_authorized,
        while_full_time_student=while_full_time_student,
    )


def offer_row(
    noc_code: str,
    teer: int | None,
    full_time: bool,
    permanent: bool,
    duration_months: int | None,
    lmia_number: str,
    lmia_exempt: bool,
    offered_on: date | None,
    start_date: date | None,
    province: str,
) -> OfferRow:
    duration = duration_months if duration_months is not None else (12 if permanent else None)
    supported = True if (lmia_number or lmia_exempt) else None
    fact = JobOfferFact(
        noc=noc_code or None, teer=teer, full_time=full_time, duration_months=duration, supported=supported
    )
    return OfferRow(fact=fact, from_date=offered_on or start_date, province=province or "")


# ------------------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------------------

_LANG_COLS = (
    "client_id",
    "person",
    "test",
    "test_date",
    "role",
    "listening",
    "reading",
    "writing",
    "speaking",
)
_EDU_COLS = (
    "client_id",
    "person",
    "level",
    "in_canada",
    "program_years",
    "completed_on",
    "eca_date",
    "full_time_in_canada",
)
_WORK_COLS = (
    "client_id",
    "person",
    "noc_code",
    "teer",
    "in_canada",
    "country",
    "start_date",
    "end_date",
    "hours_per_week",
    "paid",
    "self_employed",
    "work_authorized",
    "while_full_time_student",
    "province",
)
_OFFER_COLS = (
    "client_id",
    "noc_code",
    "teer",
    "full_time",
    "permanent",
    "duration_months",
    "lmia_number",
    "lmia_exempt",
    "offered_on",
    "start_date",
    "province",
)
_NOMINATION_COLS = ("client_id", "nominated_on", "expires_on", "enhanced")


def _new_stored(row: tuple) -> StoredFacts:
    pk, firm_id, dob, marital, accompanying, canadian, sibling, coq, funds, family_size, province = row
    return StoredFacts(
        intended_province=province or "",
        settlement_funds_cad=int(funds) if funds is not None else None,
        family_size=family_size,
        client_id=pk,
        firm_id=firm_id,
        date_of_birth=dob,
        marital_status=marital,
        spouse_accompanying=accompanying,
        spouse_canadian=canadian,
        sibling_in_canada=sibling,
        certificate_of_qualification=coq,
    )


def _add_language(s: StoredFacts, person: str, *args: Any) -> None:
    (s.spouse_language_tests if person == "spouse" else s.language_tests).append(language_fact(*args))


def _add_education(s: StoredFacts, person: str, *args: Any) -> None:
    (s.spouse_educations if person == "spouse" else s.educations).append(education_fact(*args))


def _add_work(s: StoredFacts, person: str, *args: Any) -> None:
    *fact_args, province = args
    fact = work_fact(*fact_args)
    if person == "spouse":
        s.spouse_work.append(fact)
        return
    s.work.append(fact)
    if fact.in_canada:
        s.work_provinces.append((fact, province or ""))


def load_stored_facts(client_ids: Iterable[int]) -> dict[int, StoredFacts]:
    """The stored facts of many clients in six queries (rows as tuples, no model instances).

    Clients that do not exist are absent from the result. Fact rows are ordered by primary key so that
    the result (and the inputs hash built from it) does not depend on the database's row order.
    """
    ids = list(client_ids)
    if not ids:
        return {}
    out = {row[0]: _new_stored(row) for row in Client.objects.filter(pk__in=ids).values_list(*CLIENT_FIELDS)}
    if not out:
        return out
    keys = list(out)
    for client_id, person, *rest in (
        LanguageTest.objects.filter(client_id__in=keys).order_by("pk").values_list(*_LANG_COLS).iterator(2000)
    ):
        _add_language(out[client_id], person, *rest)
    for client_id, person, *rest in (
        Education.objects.filter(client_id__in=keys).order_by("pk").values_list(*_EDU_COLS).iterator(2000)
    ):
        _add_education(out[client_id], person, *rest)
    for client_id, person, *rest in (
        WorkExperience.objects.filter(client_id__in=keys)
        .order_by("pk")
        .values_list(*_WORK_COLS)
        .iterator(2000)
    ):
        _add_work(out[client_id], person, *rest)
    for client_id, *rest in (
        JobOffer.objects.filter(client_id__in=keys, is_current=True).order_by("pk").values_list(*_OFFER_COLS)
    ):
        out[client_id].offers.append(offer_row(*rest))
    for client_id, *rest in (
        ProvincialNomination.objects.filter(client_id__in=keys).order_by("pk").values_list(*_NOMINATION_COLS)
    ):
        out[client_id].nominations.append(NominationRow(*rest))
    return out


def with_facts(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Prefetch the fact relations ``stored_facts_from_client`` reads (five queries for any number)."""
    return queryset.prefetch_related(*FACT_RELATIONS)


def stored_facts_from_client(client: Client) -> StoredFacts:
    """Map one Client and its facts (prefetched with ``with_facts`` or fetched lazily)."""
    s = _new_stored(tuple(getattr(client, "pk" if f == "pk" else f) for f in CLIENT_FIELDS))
    for t in sorted(client.languagetests.all(), key=lambda r: r.pk):
        _add_language(s, t.person, t.test, t.test_date, t.role, t.listening, t.reading, t.writing, t.speaking)
    for e in sorted(client.educations.all(), key=lambda r: r.pk):
        _add_education(
            s,
            e.person,
            e.level,
            e.in_canada,
            e.program_years,
            e.completed_on,
            e.eca_date,
            e.full_time_in_canada,
        )
    for w in sorted(client.workexperiences.all(), key=lambda r: r.pk):
        _add_work(
            s,
            w.person,
            w.noc_code,
            w.teer,
            w.in_canada,
            w.country,
            w.start_date,
            w.end_date,
            w.hours_per_week,
            w.paid,
            w.self_employed,
            w.work_authorized,
            w.while_full_time_student,
            w.province,
        )
    for o in sorted(client.joboffers.all(), key=lambda r: r.pk):
        if o.is_current:
            s.offers.append(
                offer_row(
                    o.noc_code,
                    o.teer,
                    o.full_time,
                    o.permanent,
                    o.duration_months,
                    o.lmia_number,
                    o.lmia_exempt,
                    o.offered_on,
                    o.start_date,
                    o.province,
                )
            )
    for n in sorted(client.provincialnominations.all(), key=lambda r: r.pk):
        s.nominations.append(NominationRow(n.nominated_on, n.expires_on, n.enhanced))
    return s


# ------------------------------------------------------------------------------------------------------
# As of a date
# ------------------------------------------------------------------------------------------------------


def _offer_rank(row: OfferRow) -> tuple[int, int, int]:
    valid = row.fact.valid()
    teer = row.fact.teer_level
    return (1 if valid else 0, 1 if row.fact.major_group_00 else 0, -(teer if teer is not None else 9))


def active_offer(stored: StoredFacts, as_of: date) -> OfferRow | None:
    """The best current job offer in force on ``as_of`` (valid first, then NOC 00, then lowest TEER)."""
    rows = [o for o in stored.offers if o.from_date is None or o.from_date <= as_of]
    return max(rows, key=_offer_rank) if rows else None


def nominated(stored: StoredFacts, as_of: date) -> bool:
    return any(
        n.enhanced and n.nominated_on <= as_of and (n.expires_on is None or as_of <= n.expires_on)
        for n in stored.nominations
    )


def _ongoing(p: WorkPeriodFact, as_of: date) -> bool:
    return p.start <= as_of and (p.end is None or p.end >= as_of)


def _outside_quebec(
    stored: StoredFacts, as_of: date, offer: OfferRow | None, nomination: bool
) -> bool | None:
    if nomination:  # Quebec does not nominate through the PNP
        return True
    if stored.intended_province:  # the client told us where they plan to live
        return stored.intended_province != "QC"
    provinces = [offer.province] if offer is not None and offer.province else []
    provinces += [prov for p, prov in stored.work_provinces if prov and _ongoing(p, as_of)]
    if not provinces:
        return None
    return any(prov != "QC" for prov in provinces)


def _authorized(stored: StoredFacts, as_of: date) -> bool | None:
    if any(p.in_canada and p.authorized and _ongoing(p, as_of) for p in stored.work):
        return True
    return None


def fact_change_dates(stored: StoredFacts, as_of: date) -> list[date]:
    """Future dates on which the dated rows themselves change (an offer or a nomination starts or ends).

    The engine's ``next_change_date`` takes the facts as fixed; these dates are checked on top of it.
    """
    out: set[date] = set()
    for o in stored.offers:
        if o.from_date is not None and o.from_date > as_of:
            out.add(o.from_date)
    for n in stored.nominations:
        if n.nominated_on > as_of:
            out.add(n.nominated_on)
        if n.expires_on is not None and n.expires_on >= as_of:
            out.add(date.fromordinal(n.expires_on.toordinal() + 1))
    return sorted(out)


def missing_facts(stored: StoredFacts, as_of: date) -> list[str]:
    """What a score still needs on ``as_of`` (empty when the client can be scored)."""
    missing = []
    if stored.date_of_birth is None or stored.date_of_birth > as_of:
        missing.append("date_of_birth")
    if not best_language_results(stored.language_tests, as_of):
        missing.append("language_test")
    if not any(e.completed is None or e.completed <= as_of for e in stored.educations):
        missing.append("education")
    return missing


def person_facts(stored: StoredFacts, as_of: date) -> PersonFacts | None:
    """The engine's facts for the client on ``as_of``; None without a date of birth."""
    if stored.date_of_birth is None:
        return None
    offer = active_offer(stored, as_of)
    nomination = nominated(stored, as_of)
    spouse = None
    if stored.partnered:
        spouse = SpouseFacts(
            educations=stored.spouse_educations,
            language_tests=stored.spouse_language_tests,
            work=stored.spouse_work,
            studied_in_canada=any(e.in_canada for e in stored.spouse_educations) or None,
        )
    return PersonFacts(
        date_of_birth=stored.date_of_birth,
        marital_status=stored.marital_status,
        spouse_accompanying=stored.spouse_accompanying and stored.partnered,
        spouse_canadian=stored.spouse_canadian and stored.partnered,
        educations=stored.educations,
        language_tests=stored.language_tests,
        work=stored.work,
        job_offer=offer.fact if offer is not None else None,
        nomination=nomination,
        sibling_in_canada=stored.sibling_in_canada,
        relative_in_canada=True if stored.sibling_in_canada else None,
        certificate_of_qualification=stored.certificate_of_qualification,
        spouse=spouse,
        authorized_to_work_in_canada=_authorized(stored, as_of),
        plans_to_live_outside_quebec=_outside_quebec(stored, as_of, offer, nomination),
        settlement_funds_cad=stored.settlement_funds_cad,
        required_funds_cad=_required_funds(stored, as_of),
    )


def _required_funds(stored: StoredFacts, as_of: date) -> int | None:
    """Proof-of-funds amount for the recorded family size (None while the family size is not recorded:
    IRCC counts the spouse and every dependent child, even those not coming, so it is never guessed)."""
    if stored.settlement_funds_cad is None:
        return None
    return required_funds_cad(stored.family_size, as_of)


def client_person_facts(client: Client, *, as_of: date) -> PersonFacts | None:
    """Convenience for one client instance (prefetch with ``with_facts`` when mapping many)."""
    return person_facts(stored_facts_from_client(client), as_of)


__all__ = [
    "StoredFacts",
    "active_offer",
    "client_person_facts",
    "fact_change_dates",
    "load_stored_facts",
    "missing_facts",
    "nominated",
    "person_facts",
    "stored_facts_from_client",
    "with_facts",
]
