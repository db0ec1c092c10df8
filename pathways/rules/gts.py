"""Global Talent Stream (ESDC LMIA stream), Categories A and B.

Attestation keys (``CaseFacts.attestations``):
``gts.employer_operates_in_canada``, ``gts.provincial_employer_registration``,
``gts.advanced_industry_knowledge``, ``gts.specialized_qualification`` (advanced degree in the
specialization and/or 5+ years' specialized experience, when the history does not show it),
``gts.subset_condition_met`` (for the subset codes 21210, 51120, 52120),
``gts.no_current_staff_in_same_job`` (no internal wage range applies to the prevailing wage).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.common import hourly_wage, offer_of
from pathways.rules.data import RuleSet, rules_at
from pathways.rules.dates import add_business_days, add_offset, holidays_between, service_standard_due
from pathways.rules.gts_category_a import category_a_criteria
from pathways.rules.types import Assessment, CaseFacts, ClientFacts, JobOffer

PATHWAY = "gts"


def _prevailing_components(
    offer: JobOffer | None, floor: float | None, no_same_job_staff: bool | None = None
) -> tuple[list[tuple[str, float]], list[str]]:
    known: list[tuple[str, float]] = []
    missing: list[str] = []
    if offer is not None and offer.prevailing_wage_hourly is not None:
        known.append(("Job Bank median", offer.prevailing_wage_hourly))
    else:
        missing.append("Job Bank median wage")
    if offer is not None and offer.internal_wage_range_hourly is not None:
        known.append(
            ("lowest wage paid to current employees in the same job", offer.internal_wage_range_hourly[0])
        )
    elif not no_same_job_staff:
        missing.append("wage range of current employees in the same job")
    if floor is not None:
        known.append(("list floor", floor))
    return known, missing


def _wage_criterion(
    b: Builder, rs: RuleSet, offer: JobOffer | None, floor: float | None, no_same_job_staff: bool | None
) -> None:
    wage, how = hourly_wage(offer)
    known, missing = _prevailing_components(offer, floor, no_same_job_staff)
    fact = rs.fact("prevailing_wage_rule")
    if wage is None:
        b.add(
            "prevailing_wage",
            "Offered hourly wage at least the prevailing wage",
            "unknown",
            "The offered hourly wage is not recorded.",
            facts=[fact],
            rules=rs,
        )
        return
    top = max(known, key=lambda kv: kv[1]) if known else None
    if top and wage < top[1]:
        b.add(
            "prevailing_wage",
            "Offered hourly wage at least the prevailing wage",
            "unmet",
            f"Offered ${wage:.2f}/h{how} is below the {top[0]} of ${top[1]:.2f}/h.",
            facts=[fact],
            rules=rs,
        )
    elif missing:
        b.add(
            "prevailing_wage",
            "Offered hourly wage at least the prevailing wage",
            "unknown",
            f"Offered ${wage:.2f}/h{how}; missing to fix the prevailing wage: {', '.join(missing)}.",
            facts=[fact],
            rules=rs,
        )
    else:
        b.add(
            "prevailing_wage",
            "Offered hourly wage at least the prevailing wage",
            "met",
            f"Offered ${wage:.2f}/h{how} meets the prevailing wage of ${top[1]:.2f}/h ({top[0]})."
            if top
            else f"Offered ${wage:.2f}/h{how}.",
            facts=[fact],
            rules=rs,
        )


def _common(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, category: str) -> None:
    b.attested(
        "employer_operates_in_canada",
        "Employer operates in Canada (CRA business number)",
        case.attest("gts.employer_operates_in_canada"),
        facts=[rs.fact("employer_operates_in_canada")],
        rules=rs,
        what="the employer operates in Canada",
        attestation_key="gts.employer_operates_in_canada",
    )
    _lmbp_criterion(b, rs, case, category)
    _registration_criterion(b, rs, client, case)


def _lmbp_criterion(b: Builder, rs: RuleSet, case: CaseFacts, category: str) -> None:
    """The Labour Market Benefits Plan: the category's mandatory benefit and enough complementary ones."""
    mand = rs.value("lmbp_mandatory_benefit")[category]
    need = rs.value("lmbp_min_complementary_benefits")
    facts = [rs.fact("lmbp_mandatory_benefit"), rs.fact("lmbp_min_complementary_benefits")]
    plan = case.lmbp
    label = f"Labour Market Benefits Plan ({mand.replace('_', ' ')} + {need} complementary benefits)"
    if plan is None or plan.has_plan is None:
        b.add(
            "lmbp", label, "unknown", "No Labour Market Benefits Plan is recorded yet.", facts=facts, rules=rs
        )
    elif not plan.has_plan:
        b.add(
            "lmbp", label, "unmet", "The employer has no Labour Market Benefits Plan.", facts=facts, rules=rs
        )
    elif plan.mandatory_benefits and mand not in plan.mandatory_benefits:
        b.add(
            "lmbp",
            label,
            "unmet",
            f"The plan lacks the mandatory {mand.replace('_', ' ')} benefit.",
            facts=facts,
            rules=rs,
        )
    elif not plan.mandatory_benefits or plan.complementary_benefits is None:
        b.add(
            "lmbp",
            label,
            "unknown",
            "The plan's mandatory and complementary benefits are not recorded.",
            facts=facts,
            rules=rs,
        )
    elif plan.complementary_benefits < need:
        b.add(
            "lmbp",
            label,
            "unmet",
            f"The plan has {plan.complementary_benefits} complementary benefit(s); at least {need} are needed.",
            facts=facts,
            rules=rs,
        )
    else:
        b.add(
            "lmbp",
            label,
            "met",
            f"Plan includes {mand.replace('_', ' ')} and {plan.complementary_benefits} complementary benefits.",
            facts=facts,
            rules=rs,
        )


def _registration_criterion(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts) -> None:
    """The provincial employer registration certificate where the province requires one."""
    offer = offer_of(client, case)
    prov = case.province or (offer.province if offer else None)
    reg = rs.value("employer_registration_provinces")
    fact = rs.fact("employer_registration_provinces")
    label = "Provincial employer registration certificate (BC, MB, SK, NS)"
    if prov is None:
        b.add(
            "employer_registration",
            label,
            "unknown",
            "The province of work is not recorded.",
            facts=[fact],
            rules=rs,
        )
    elif prov.upper() not in reg:
        b.add(
            "employer_registration", label, "met", f"Not required for work in {prov}.", facts=[fact], rules=rs
        )
    else:
        b.attested(
            "employer_registration",
            label,
            case.attest("gts.provincial_employer_registration"),
            facts=[fact],
            rules=rs,
            what=f"the {prov} employer registration certificate (or exemption) is attached",
            attestation_key="gts.provincial_employer_registration",
        )
    if prov and prov.upper() == "QC":
        b.notice(
            "Quebec: file with Service Canada and MIFI at the same time; MIFI wage floors apply to Category B."
        )


def _category_b(b: Builder, gtol: RuleSet | None, client: ClientFacts, case: CaseFacts) -> float | None:
    """Adds the occupation criterion; returns the list's hourly floor (None if 'prevailing')."""
    offer = offer_of(client, case)
    label = "Occupation on the Global Talent Occupations List (NOC 2021)"
    if gtol is None:
        b.missing_rules("gtol_occupation", label, "gts_gtol")
        return None
    fact = gtol.fact("occupations")
    if offer is None or not offer.noc:
        b.add(
            "gtol_occupation",
            label,
            "unknown",
            "The NOC of the position is not recorded.",
            facts=[fact],
            rules=gtol,
        )
        return None
    entry = gtol.value("occupations").get(offer.noc)
    if entry is None:
        b.add(
            "gtol_occupation",
            label,
            "unmet",
            f"NOC {offer.noc} is not on the Global Talent Occupations List.",
            facts=[fact],
            rules=gtol,
        )
        return None
    if entry["subset"]:
        b.check(
            "gtol_occupation",
            label,
            case.attest("gts.subset_condition_met"),
            met=f"NOC {offer.noc} ({entry['labels'][0]}); subset condition confirmed: {entry.get('subset_condition', '')}",
            unmet=f"NOC {offer.noc} is listed only in part and the subset condition is not met: {entry.get('subset_condition', '')}",
            unknown=f"NOC {offer.noc} is listed only in part; confirm: {entry.get('subset_condition', '')} "
            "(attestation 'gts.subset_condition_met').",
            facts=[fact],
            rules=gtol,
        )
    else:
        b.add(
            "gtol_occupation",
            label,
            "met",
            f"NOC {offer.noc}: {entry['labels'][0]}.",
            facts=[fact],
            rules=gtol,
        )
    floor = entry["floor_hourly"]
    wage, how = hourly_wage(offer)
    label = "Category B wage floor (hourly)"
    if floor is None:
        b.add(
            "wage_floor",
            label,
            "met" if wage is not None else "unknown",
            f"NOC {offer.noc} has no fixed floor; the floor is the prevailing wage (checked separately)."
            if wage is not None
            else "The offered hourly wage is not recorded.",
            facts=[fact],
            rules=gtol,
        )
    else:
        b.check(
            "wage_floor",
            label,
            None if wage is None else wage >= floor,
            met=f"Offered ${wage:.2f}/h{how} meets the ${floor:.2f}/h floor for NOC {offer.noc}.",
            unmet=f"Offered ${wage:.2f}/h{how} is below the ${floor:.2f}/h floor for NOC {offer.noc}.",
            unknown="The offered hourly wage is not recorded.",
            facts=[fact],
            rules=gtol,
        )
    return floor


def _key_dates(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts) -> None:
    offer = offer_of(client, case)
    prov = case.province or (offer.province if offer else None)
    std = rs.value("processing_standard_business_days")
    fact = rs.fact("processing_standard_business_days")
    rec = case.application_received_date
    if rec is None:
        b.key_date(
            "lmia_decision_expected",
            f"Expected LMIA decision ({std} business days, 80% of cases)",
            None,
            "Receipt date not recorded.",
            fact=fact,
        )
    else:
        due = service_standard_due(rec, std, prov)
        hols = holidays_between(rec, due, prov)
        extra = f"; holidays skipped: {', '.join(f'{d} {n}' for d, n in hols)}" if hols else ""
        b.key_date(
            "lmia_decision_expected",
            f"Expected LMIA decision ({std} business days, 80% of cases)",
            due,
            f"Received {rec}; day 1 is the first business day after receipt; federal and "
            f"{prov or 'federal-only'} holidays excluded{extra}. Assumes a complete application.",
            fact=fact,
        )
    dl = b.rules("deadlines")
    lmia = case.lmia
    b.deadline(dl, "lmia_validity", lmia.issued_on if lmia else None)
    expiry = (lmia.expires_on if lmia else None) or (
        add_offset(lmia.issued_on, months=rs.value("lmia_validity_months"))
        if lmia and lmia.issued_on
        else None
    )
    nbd = rs.value("name_change_business_days_before_expiry")
    b.key_date(
        "lmia_name_change_deadline",
        "Last day for an EMP5661 worker-name change request",
        add_business_days(expiry, -nbd, prov) if expiry else None,
        f"LMIA expiry - {nbd} business days" + ("" if expiry else " (LMIA expiry not recorded)"),
        fact=rs.fact("name_change_business_days_before_expiry"),
    )
    b.deadline(dl, "lmbp_first_review", case.lmbp.signed_on if case.lmbp else None)
    start = offer.start_date if offer else None
    months = rs.value("earliest_submission_months_before_start")
    b.key_date(
        "lmia_earliest_submission",
        "Earliest LMIA submission",
        add_offset(start, months=-months) if start else None,
        f"Expected start date - {months} months" + ("" if start else " (start date not recorded)"),
        fact=rs.fact("earliest_submission_months_before_start"),
    )
    if case.application_date:
        b.deadline(dl, "gss_biometrics", case.application_date)


def _assess_category(category: str, client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder(PATHWAY, f"category_{category.lower()}", as_of)
    rs = b.rules("gts")
    gtol = b.rules("gts_gtol")
    if rs is None:
        b.missing_rules("gts_rules", "GTS rules in force", "gts")
        return b.build()
    _common(b, rs, client, case, category)
    offer = offer_of(client, case)
    if category == "A":
        category_a_criteria(b, rs, gtol, client, case)
        floor: float | None = rs.value("category_a_floor_standard")["hourly"]
        b.checklist_from(b.rules("checklists"), "gts_referral")
    else:
        floor = _category_b(b, gtol, client, case)
    _wage_criterion(b, rs, offer, floor, case.attest("gts.no_current_staff_in_same_job"))
    cl = b.rules("checklists")
    b.checklist_from(cl, "gts_employer")
    b.checklist_from(cl, "gts_worker")
    _key_dates(b, rs, client, case)
    fees = b.rules("fees")
    b.fee(
        rs,
        "fee_lmia_per_position",
        kind="lmia_processing",
        label="ESDC LMIA processing fee",
        payer="employer",
        times=case.positions_count or 1,
    )
    b.fee(fees, "work_permit", kind="work_permit", label="Work permit processing fee", payer="worker")
    b.fee(fees, "biometrics_per_person", kind="biometrics", label="Biometrics", payer="worker")
    b.notice(
        "The 10-business-day LMIA standard is met 80% of the time and assumes a complete application "
        "and responsive employer contacts."
    )
    b.notice(
        f"The work permit may qualify for Global Skills Strategy {rs.value('gss_processing_weeks')}-week "
        "processing if applied for online from outside Canada."
    )
    return b.build()


def _on_gtol(client: ClientFacts, case: CaseFacts, as_of: date) -> bool:
    """The position's NOC is on the Global Talent Occupations List in force on ``as_of``."""
    offer = offer_of(client, case)
    gtol = rules_at("gts_gtol", as_of)
    return bool(gtol and offer and offer.noc and offer.noc in gtol.value("occupations"))


def assess_gts(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    """One assessment per GTS category (only the case's category when it is set).

    A Category A position whose occupation is on the Global Talent Occupations List is processed as
    Category B (ESDC requirements page, ``category_a_gtol_goes_to_b``): it is assessed under B, with a notice,
    instead of being reported as an unmet Category A criterion.
    """
    cats = [case.gts_category] if case.gts_category else ["A", "B"]
    rerouted = "A" in cats and _on_gtol(client, case, as_of)
    if rerouted:
        cats = ["B"]
    out = [_assess_category(c, client, case, as_of) for c in cats]
    if rerouted:
        rs = rules_at("gts", as_of)
        source = rs.fact("category_a_gtol_goes_to_b").source if rs else "pathways.md §2.2"
        note = (
            "Category A was asked for, but the occupation is on the Global Talent Occupations List: ESDC "
            f"processes such a position under Category B, so it is assessed as Category B ({source})."
        )
        out = [dataclasses.replace(a, notices=(note, *a.notices)) for a in out]
    return out
