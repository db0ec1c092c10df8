"""Express Entry (FSWP, CEC, FSTP and category-based selection): a wrapper over ``scoring.crs``.

Program and category eligibility are computed by the CRS engine (``scoring.crs.eligibility`` and
``scoring.crs.categories``, owned by the scoring package and not edited here). This module maps
:class:`ClientFacts` to the engine's ``PersonFacts``, turns its criteria into :class:`Criterion` rows
(with this package's rule that a failure on an unverified rule is reported as unknown), and adds the
Express Entry key dates, checklist and fees from ``pathways/data``.

Attestation key: ``ee.job_offer_supported`` (the job offer is backed by an LMIA or an LMIA-exempt
permit), used when the case records no positive LMIA.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pathways.rules._builder import Builder
from pathways.rules.common import document_key_dates, offer_of
from pathways.rules.funds import required_funds_cad
from pathways.rules.types import Assessment, CaseFacts, ClientFacts, LanguageTest, Verification

if TYPE_CHECKING:
    from scoring.crs.facts import PersonFacts

PATHWAY = "express_entry"
ENGINE = "scoring.crs"

_EDU_MAP = {
    "none": "none",
    "secondary": "secondary",
    "bachelor": "bachelors",
    "two_or_more": "two_or_more",
    "master": "masters",
    "professional": "masters",  # CRS groups professional degrees with master's
    "doctorate": "phd",
}
_LABELS = {
    "fsw": "Federal Skilled Worker Program",
    "cec": "Canadian Experience Class",
    "fst": "Federal Skilled Trades Program",
}


def _edu_level(level: str, program_years: float | None) -> str:
    if level in ("certificate", "diploma"):
        return "two_year" if (program_years or 0) >= 2 else "one_year"
    return _EDU_MAP.get(level, "none")


def _verification(source: str) -> Verification:
    s = source.upper()
    if "UNVERIFIED" in s or "MEM" in s:
        return "unverified"
    if "OFFICIAL" in s:
        return "official"
    if "S2" in s or "S3" in s or "S5" in s:
        return "two_sources"
    return "one_source"


#: Adaptability points the FSW grid gives for arranged employment (crs_rules.md F).
_ADAPTABILITY_FOR_OFFER = 5
_FSW_PASS = 67


def _grid_verification(
    source: str, status: str, reason: str, grid: dict[str, int]
) -> tuple[Verification, str]:
    """Verification of the FSW grid judged per ROW, not per grid.

    The engine's source names the rows' evidence, one part per row group ("...; arranged employment 10 is
    S5 + MEM"): the arranged-employment row rests on unverified sources, the other rows on official ones.
    The criterion is unverified only when the unverified row decides it: met only thanks to its points.
    An unmet grid, or one met without those points, carries the verified rows' status.
    """
    parts = [p.strip() for p in source.split(";") if p.strip()]
    verified = [p for p in parts if _verification(p) != "unverified"] or parts
    row_status = _verification("; ".join(verified))
    ae = grid.get("arranged_employment", 0)
    unverified_points = ae + (_ADAPTABILITY_FOR_OFFER if ae else 0)
    if status == "met" and grid.get("total", 0) - unverified_points < _FSW_PASS:
        return "unverified", (
            f"{reason}; {unverified_points} of these points come from the arranged-employment row, "
            "which rests on unverified sources"
        )
    if ae:
        return row_status, f"{reason} (the arranged-employment row, unverified, gives {ae} points)"
    return row_status, reason


def _required_funds(client: ClientFacts, as_of: date) -> int | None:
    return required_funds_cad(client.family_size, as_of)


def to_person_facts(client: ClientFacts, case: CaseFacts, as_of: date) -> PersonFacts | None:
    """Map the client's facts to the CRS engine's ``PersonFacts`` (None without a date of birth)."""
    from scoring.crs.facts import EducationFact, JobOfferFact, LanguageTestFact, PersonFacts, WorkPeriodFact

    if client.date_of_birth is None:
        return None
    educations = [
        EducationFact(
            level=_edu_level(e.level, e.program_years),
            in_canada=(e.country or "").upper() == "CA",
            program_years=int(e.program_years) if e.program_years else None,
            completed=e.completed_on,
            eca_date=e.eca_date,
        )
        for e in client.education
    ]

    def lang(t: LanguageTest | None, first: bool) -> list[Any]:
        if t is None or t.test_date is None:
            return []
        test = "nclc" if t.language == "fr" else "clb"
        return [LanguageTestFact(test=test, scores=dict(t.clb), test_date=t.test_date, is_first=first)]

    work = [
        WorkPeriodFact(
            start=p.start,
            end=p.end,
            hours_per_week=p.hours_per_week
            if p.hours_per_week is not None
            else (30 if p.full_time is not False else 15),
            in_canada=p.in_canada,
            noc=p.noc,
            teer=p.teer,
            country=p.country,
            paid=p.paid,
            self_employed=p.self_employed,
        )
        for p in client.work
    ]
    offer = offer_of(client, case)
    offer_fact = None
    if offer is not None:
        supported = (
            case.lmia.positive
            if case.lmia and case.lmia.positive is not None
            else case.attest("ee.job_offer_supported")
        )
        duration = (
            offer.duration_months if offer.duration_months is not None else (12 if offer.permanent else None)
        )
        offer_fact = JobOfferFact(
            noc=offer.noc,
            teer=offer.teer,
            full_time=offer.full_time is not False,
            duration_months=int(duration) if duration is not None else None,
            supported=supported,
        )
    prov = client.intended_province
    return PersonFacts(
        date_of_birth=client.date_of_birth,
        educations=educations,
        language_tests=lang(client.first_language, True) + lang(client.second_language, False),
        work=work,
        job_offer=offer_fact,
        nomination=client.nomination is not None,
        settlement_funds_cad=int(client.settlement_funds_cad)
        if client.settlement_funds_cad is not None
        else None,
        required_funds_cad=_required_funds(client, as_of),
        authorized_to_work_in_canada=client.holds_work_permit,
        plans_to_live_outside_quebec=None if prov is None else prov.upper() != "QC",
    )


def _common_extras(b: Builder, client: ClientFacts) -> None:
    b.checklist_from(b.rules("checklists"), "express_entry")
    document_key_dates(
        b,
        client,
        (
            "ee_ita_submit",
            "ee_profile_expiry",
            "language_test_expiry",
            "eca_expiry",
            "medical_expiry",
            "police_certificate_expiry",
        ),
    )
    fees = b.rules("fees")
    b.fee(
        fees,
        "pr_principal",
        kind="pr_fees",
        label="PR processing + Right of PR fee (principal)",
        payer="applicant",
    )
    b.fee(fees, "biometrics_per_person", kind="biometrics", label="Biometrics", payer="applicant")
    b.versions[ENGINE] = "scoring.crs.eligibility / scoring.crs.categories"


def assess_express_entry(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    """One assessment per program (fsw, cec, fst) and one per category in force on ``as_of``."""
    try:
        from scoring.crs.categories import category_eligibility
        from scoring.crs.eligibility import program_eligibility
    except ImportError as exc:  # the CRS engine is a separate package
        b = Builder(PATHWAY, "programs", as_of)
        b.add(
            "engine",
            "CRS engine available",
            "unknown",
            f"scoring.crs could not be imported: {exc}.",
            source=ENGINE,
        )
        return [b.build()]
    facts = to_person_facts(client, case, as_of)
    if facts is None:
        b = Builder(PATHWAY, "programs", as_of)
        b.add(
            "date_of_birth",
            "Date of birth recorded",
            "unknown",
            "The date of birth is needed to assess Express Entry.",
            source=ENGINE,
        )
        _common_extras(b, client)
        return [b.build()]
    out: list[Assessment] = []
    for program, result in program_eligibility(facts, as_of).items():
        b = Builder(PATHWAY, program, as_of)
        for c in result.criteria:
            verification, reason = _verification(c.source), c.reason
            if c.key == "selection_grid" and "grid" in result.details:
                verification, reason = _grid_verification(
                    c.source, c.status, c.reason, result.details["grid"]
                )
            b.add(
                c.key,
                f"{_LABELS.get(program, program)}: {c.key.replace('_', ' ')}",
                c.status,  # type: ignore[arg-type]
                reason,
                source=c.source,
                verification=verification,
            )
        _common_extras(b, client)
        b.notice(
            "The ITA deadline is 60 days (some stored canada.ca copies still say 90 days; the 60-day rule "
            "rests on secondary sources)."
        )
        out.append(b.build())
    for category, result in category_eligibility(facts, as_of).items():
        b = Builder(PATHWAY, f"category:{category}", as_of)
        for c in result.criteria:
            b.add(
                c.key,
                f"Category {category}: {c.key.replace('_', ' ')}",
                c.status,
                c.reason,  # type: ignore[arg-type]
                source=c.source,
                verification=_verification(c.source),
            )
        b.versions["ee_categories"] = result.version
        _common_extras(b, client)
        out.append(b.build())
    return out
