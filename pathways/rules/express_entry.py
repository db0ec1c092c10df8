"""Express Entry (FSWP, CEC, FSTP and category-based selection): a wrapper over ``scoring.crs``.

Program and category eligibility are computed by the CRS engine (``scoring.crs.eligibility`` and
``scoring.crs.categories``, owned by the scoring package and not edited here), from the CRS facts the
one snapshot adapter resolved (``ClientFacts.crs``, see firm/facts/): the same facts and functions as
the stored eligibility that draws flag on. This module turns the criteria into :class:`Criterion` rows
(with this package's rule that a failure on an unverified rule is reported as unknown), and adds the
Express Entry key dates, checklist and fees from ``pathways/data``.

Attestation key: ``ee.job_offer_supported`` (the job offer is backed by an LMIA or an LMIA-exempt
permit), used when the case records no positive LMIA.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from pathways.rules._builder import Builder
from pathways.rules.common import document_key_dates
from pathways.rules.funds import required_funds_cad
from pathways.rules.types import Assessment, CaseFacts, ClientFacts, Criterion, Verification
from scoring.crs.categories import category_eligibility
from scoring.crs.eligibility import program_eligibility
from scoring.crs.facts import PersonFacts

PATHWAY = "express_entry"
UNVERIFIED_NOTE = " (The reference marks this rule unverified: confirm it on the official page.)"
ENGINE = "scoring.crs"

_LABELS = {
    "fsw": "Federal Skilled Worker Program",
    "cec": "Canadian Experience Class",
    "fst": "Federal Skilled Trades Program",
}


def _verification(source: str) -> Verification:
    s = source.upper()
    if "UNVERIFIED" in s or "MEM" in s:
        return "unverified"
    if "OFFICIAL" in s:
        return "official"
    if "S2" in s or "S3" in s or "S5" in s:
        return "two_sources"
    return "one_source"


def crs_facts(client: ClientFacts, case: CaseFacts, as_of: date) -> PersonFacts | None:
    """The CRS engine's facts: those the snapshot gave (``client.crs``, the same the stored score and
    eligibility were computed from), with only what the case adds on top: a positive LMIA (or the
    ``ee.job_offer_supported`` attestation) for an offer the records leave unsupported, and the case's
    supplement of funds, family size, intended province and work permit. None without a date of birth."""
    facts = client.crs
    if facts is None:
        return None
    changes: dict[str, Any] = {}
    offer = facts.job_offer
    if offer is not None and offer.supported is None:
        supported = (
            case.lmia.positive
            if case.lmia and case.lmia.positive is not None
            else case.attest("ee.job_offer_supported")
        )
        if supported is not None:
            changes["job_offer"] = replace(offer, supported=supported)
    funds = None if client.settlement_funds_cad is None else int(client.settlement_funds_cad)
    if funds != facts.settlement_funds_cad and funds is not None:
        changes["settlement_funds_cad"] = funds
        changes["required_funds_cad"] = required_funds_cad(client.family_size, as_of)
    if facts.authorized_to_work_in_canada is None and client.holds_work_permit is not None:
        changes["authorized_to_work_in_canada"] = client.holds_work_permit
    if facts.plans_to_live_outside_quebec is None and client.intended_province:
        changes["plans_to_live_outside_quebec"] = client.intended_province.upper() != "QC"
    return replace(facts, **changes) if changes else facts


def _engine_criteria(b: Builder, prefix: str, criteria: Iterable[Any]) -> None:
    """The engine's criteria as they are: the same statuses, so the same outcome, as the stored
    eligibility that draws flag on. (Unlike the other assessors, an unmet criterion resting on an
    unverified rule stays unmet here; its verification is shown.)"""
    for c in criteria:
        verification = _verification(c.source)
        reason = c.reason + (UNVERIFIED_NOTE if verification == "unverified" and c.status == "unmet" else "")
        b.criteria.append(
            Criterion(
                c.key,
                prefix + c.key.replace("_", " "),
                c.status,
                reason,
                c.source,
                ENGINE,
                verification,
            )
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
    facts = crs_facts(client, case, as_of)
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
    programs = program_eligibility(facts, as_of)
    for program, result in programs.items():
        b = Builder(PATHWAY, program, as_of)
        _engine_criteria(b, f"{_LABELS.get(program, program)}: ", result.criteria)
        _common_extras(b, client)
        b.notice(
            "The ITA deadline is 60 days (some stored canada.ca copies still say 90 days; the 60-day rule "
            "rests on secondary sources)."
        )
        out.append(b.build())
    for category, cat_result in category_eligibility(facts, as_of, programs=programs).items():
        b = Builder(PATHWAY, f"category:{category}", as_of)
        _engine_criteria(b, f"Category {category}: ", cat_result.criteria)
        b.versions["ee_categories"] = cat_result.version
        _common_extras(b, client)
        out.append(b.build())
    return out
