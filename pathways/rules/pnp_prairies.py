"""Alberta (AAIP Accelerated Tech Pathway), Saskatchewan (SINP Tech Talent) and Manitoba (MPNP)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pathways.rules._builder import Builder
from pathways.rules.common import (
    application_day,
    clb_check,
    document_key_dates,
    is_offer_full_time,
    offer_of,
)
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.pnp_common import ee_profile_active, offer_province_check, pnp_facts
from pathways.rules.types import (
    Assessment,
    CaseFacts,
    ClientFacts,
    JobOffer,
    PnpFacts,
)
from pathways.rules.work import (
    is_full_time,
    longest_continuous,
    same_employer,
    total_months,
)


# ------------------------------------------------------------------------------------------------ AAIP
def assess_aaip(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("aaip", "accelerated_tech_pathway", as_of)
    rs = b.rules("aaip")
    if rs is None:
        b.missing_rules("aaip_rules", "AAIP rules in force", "aaip")
        return [b.build()]
    pnp = pnp_facts(case)
    offer = offer_of(client, case)
    crs = client.ee_crs_score
    active = ee_profile_active(client, pnp, as_of)
    need = rs.value("atp_min_crs")
    b.check(
        "ee_profile_crs",
        f"Active Express Entry profile with CRS >= {need}",
        None if active is None or crs is None else (active and crs >= need),
        met=f"Active profile, CRS {crs}.",
        unmet=f"Profile active: {active}; CRS {crs} (needs {need}).",
        unknown="Express Entry profile status or CRS score not recorded.",
        facts=[rs.fact("atp_min_crs")],
        rules=rs,
    )
    offer_province_check(b, offer, "AB", rs, "atp_alberta_job")
    hours, months = rs.value("atp_min_hours_week"), rs.value("atp_min_offer_months")
    _aaip_offer_terms(b, hours, months, offer, rs)
    att = case.attest("aaip.atp_occupation")
    b.check(
        "atp_occupation",
        "Occupation on the ATP list (38 occupations)",
        att,
        met="Confirmed on the case (attestation 'aaip.atp_occupation').",
        unmet="The case records that the occupation is not on the ATP list.",
        unknown="The ATP occupation list in NOC 2021 was not obtained; confirm the occupation on alberta.ca "
        "(attestation 'aaip.atp_occupation').",
        facts=[rs.fact("atp_occupations_noc2021")],
        rules=rs,
    )
    b.check(
        "tech_employer",
        "Employer in an eligible tech industry",
        pnp.eligible_tech_employer,
        met="Recorded as an eligible tech-industry employer.",
        unmet="Employer is not in an eligible tech industry.",
        unknown="The eligible tech-industry list was not obtained; employer eligibility is not recorded.",
        facts=[rs.fact("atp_eligible_industries")],
        rules=rs,
    )
    primary = pnp.ee_primary_noc
    noc = offer.noc if offer else None
    b.check(
        "primary_noc_match",
        "EE primary NOC matches the Alberta job",
        None if primary is None or noc is None else primary == noc,
        met=f"Both NOC {noc}.",
        unmet=f"EE primary NOC {primary} differs from the job's NOC {noc}.",
        unknown="EE primary NOC or job NOC not recorded.",
        facts=[rs.fact("atp_primary_noc_match")],
        rules=rs,
    )
    b.checklist_from(b.rules("checklists"), "aaip_atp")
    document_key_dates(b, client, ("ee_profile_expiry", "language_test_expiry", "eca_expiry"))
    if client.ee_profile_submitted_on:
        expiry = add_offset(client.ee_profile_submitted_on, months=12)
        warn = rs.value("atp_profile_expiry_warning_months")
        if add_offset(as_of, months=warn) >= expiry > as_of:
            b.notice(
                f"The EE profile expires on {expiry}, within {warn} months; this lowers the chance of selection."
            )
    b.fee(rs, "fee_application", kind="aaip_application", label="AAIP application fee", payer="applicant")
    if rs.has("atp_intake"):
        b.notice(f"ATP intake: {rs.value('atp_intake')} (since 2024-06-11).")
    return [b.build()]


def _aaip_offer_terms(
    b: Builder, hours: float | None, months: Any, offer: JobOffer | None, rs: RuleSet
) -> None:
    """Part of ``assess_aaip``: the criteria named in its body, in the original order."""
    ft = is_offer_full_time(offer, hours)
    long_enough = (
        None
        if offer is None
        else (
            True
            if offer.permanent
            else (None if offer.duration_months is None else offer.duration_months >= months)
        )
    )
    b.check(
        "offer_terms",
        f"Paid, continuous, full-time (>= {hours} h/week) offer of >= {months} months",
        None if ft is None or long_enough is None else (ft and long_enough),
        met="Offer terms meet the pathway.",
        unmet=f"Full-time: {ft}; >= {months} months: {long_enough}.",
        unknown="Offer hours or duration not recorded.",
        facts=[rs.fact("atp_min_hours_week"), rs.fact("atp_min_offer_months")],
        rules=rs,
    )


# ------------------------------------------------------------------------------------------------ SINP
def assess_sinp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("sinp", "tech_talent_pathway", as_of)
    rs = b.rules("sinp")
    if rs is None:
        b.missing_rules("sinp_rules", "SINP Tech Talent Pathway rules in force", "sinp")
        return [b.build()]
    pnp = pnp_facts(case)
    offer = offer_of(client, case)
    b.check(
        "job_approval_letter",
        "SINP Job Approval Letter for the position",
        pnp.job_approval_letter,
        met="Job Approval Letter issued.",
        unmet="No Job Approval Letter.",
        unknown="Job Approval Letter not recorded.",
        facts=[rs.fact("job_approval_letter_required")],
        rules=rs,
    )
    offer_province_check(b, offer, "SK", rs, "offer_requirements")
    ft, perm = (offer.full_time, offer.permanent) if offer else (None, None)
    b.check(
        "offer_permanent_full_time",
        "Permanent, full-time offer",
        None if ft is None or perm is None else ft and perm,
        met="Permanent and full-time.",
        unmet=f"Full-time: {ft}; permanent: {perm}.",
        unknown="Offer hours or term not recorded.",
        facts=[rs.fact("offer_requirements")],
        rules=rs,
    )
    noc = offer.noc if offer else None
    listed = rs.value("occupations_noc2021")
    b.check(
        "tech_occupation",
        "Eligible tech occupation (NOC 2021 equivalents of the launch list)",
        None if noc is None else noc in listed,
        met=f"NOC {noc} maps to the launch list.",
        unmet=f"NOC {noc} is not among the mapped codes.",
        unknown="The NOC of the offer is not recorded.",
        facts=[rs.fact("occupations_noc2021"), rs.fact("occupations_noc2016")],
        rules=rs,
    )
    exp = rs.value("experience")
    app = application_day(case, as_of)
    related = total_months(
        client.work,
        add_offset(app, years=-exp["window_years"]),
        app,
        lambda p: p.paid and bool(noc) and p.noc == noc,
    )
    employer = offer.employer if offer else ""
    in_sk = longest_continuous(
        client.work,
        date.min,
        app,
        lambda p: (p.province or "").upper() == "SK"
        and same_employer(p.employer, employer)
        and is_full_time(p) is True,
    )
    in_sk_m = in_sk[2] if in_sk else 0
    ok = related >= exp["months"] or in_sk_m >= exp["in_province_months_with_employer"]
    b.check(
        "experience",
        f"{exp['months']} months related experience in {exp['window_years']} years, or "
        f"{exp['in_province_months_with_employer']} months full-time with the employer in Saskatchewan",
        None if not client.work else ok,
        met=f"{related:.0f} months related; {in_sk_m} months with the employer in Saskatchewan.",
        unmet=f"{related:.0f} months related; {in_sk_m} months with the employer in Saskatchewan.",
        unknown="No work history is recorded.",
        facts=[rs.fact("experience")],
        rules=rs,
    )
    _sinp_language_and_extras(b, case, client, employer, in_sk_m, noc, pnp, rs)
    return [b.build()]


def _sinp_language_and_extras(
    b: Builder,
    case: CaseFacts,
    client: ClientFacts,
    employer: Any,
    in_sk_m: Any,
    noc: str | None,
    pnp: PnpFacts,
    rs: RuleSet,
) -> None:
    """Part of ``assess_sinp``: the criteria named in its body, in the original order."""
    clbs = rs.value("min_clb")
    employed_by_employer = in_sk_m > 0 or any(
        same_employer(p.employer, employer) and p.end is None for p in client.work
    )
    if employed_by_employer:
        b.add(
            "language",
            "Language (employer-set when already employed)",
            "met",
            "Already working for the employer: its own language requirement applies.",
            facts=[rs.fact("min_clb")],
            rules=rs,
        )
    else:
        ee = (pnp.stream or "").endswith("_ee")
        need = clbs["ee" if ee else "non_ee"]
        clb_check(
            b,
            client,
            minimum=need,
            rs=rs,
            fact="min_clb",
            label=f"Language: CLB {need} ({'EE' if ee else 'non-EE'} sub-category)",
        )
    eng = rs.value("engineering_nocs_noc2021")
    if noc and noc in eng:
        b.attested(
            "apegs_letter",
            "APEGS letter for an engineering occupation",
            case.attest("sinp.apegs_letter"),
            facts=[rs.fact("engineering_nocs_noc2021")],
            rules=rs,
            what="an APEGS letter is held",
            attestation_key="sinp.apegs_letter",
        )
    b.checklist_from(b.rules("checklists"), "sinp_ttp")
    b.fee(rs, "fees", kind="sinp_application", label="SINP fees (not found)", payer="applicant")
    b.notice("SINP fees, processing times and the official NOC 2021 occupation list were not verified.")


# ------------------------------------------------------------------------------------------------ MPNP
def assess_mpnp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("mpnp", "skilled_worker_in_manitoba", as_of)
    rs = b.rules("mpnp")
    if rs is None:
        b.missing_rules("mpnp_rules", "MPNP rules in force", "mpnp")
        return [b.build()]
    pnp = pnp_facts(case)
    offer = offer_of(client, case)
    need = rs.value("min_months_with_employer")
    employer = offer.employer if offer else ""
    months: float | None = pnp.months_with_employer_in_province
    if months is None and client.work and employer:
        s = longest_continuous(
            client.work,
            date.min,
            application_day(case, as_of),
            lambda p: (p.province or "").upper() == "MB"
            and same_employer(p.employer, employer)
            and is_full_time(p) is True,
        )
        months = s[2] if s else 0
    b.check(
        "employment_with_employer",
        f">= {need} months continuous full-time with the Manitoba employer",
        None if months is None else months >= need,
        met=f"{months} months with {employer}.",
        unmet=f"{months} months with {employer}; {need} needed.",
        unknown="Employment with the offering Manitoba employer is not recorded.",
        facts=[rs.fact("min_months_with_employer")],
        rules=rs,
    )
    offer_province_check(b, offer, "MB", rs, "offer_requirements")
    ft, perm = (offer.full_time, offer.permanent) if offer else (None, None)
    b.check(
        "offer_long_term",
        "Long-term full-time job offer from that employer",
        None if ft is None or perm is None else ft and perm,
        met="Long-term, full-time offer.",
        unmet=f"Full-time: {ft}; long-term: {perm}.",
        unknown="Offer hours or term not recorded.",
        facts=[rs.fact("offer_requirements")],
        rules=rs,
    )
    b.check(
        "work_permit",
        "Valid work permit",
        client.holds_work_permit,
        met="Holds a valid work permit.",
        unmet="No valid work permit.",
        unknown="Work-permit status not recorded.",
        facts=[rs.fact("work_permit_required")],
        rules=rs,
    )
    excluded = client.refugee_claimant
    att = case.attest("mpnp.not_excluded")
    ok = False if excluded else (None if att is None or excluded is None else att)
    b.check(
        "not_excluded",
        "Not in an excluded group (refugee claimant, other province, recent refusal, other active application)",
        ok,
        met="No exclusion applies.",
        unmet="An exclusion applies" + (" (refugee claimant)." if excluded else "."),
        unknown="Exclusions not confirmed (refugee-claimant status and attestation 'mpnp.not_excluded').",
        facts=[rs.fact("ineligible")],
        rules=rs,
    )
    b.deadline(b.rules("deadlines"), "mpnp_laa_submit", pnp.laa_date)
    b.fee(rs, "fee_application", kind="mpnp_application", label="MPNP application fee", payer="applicant")
    b.notice("Job-ready language is required per secondary sources; no CLB level is given in the reference.")
    return [b.build()]
