"""Ontario Immigrant Nominee Program: Human Capital Priorities (tech draws) and Employer Job Offer."""

from __future__ import annotations

from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.common import (
    application_day,
    clb_check,
    document_key_dates,
    hourly_wage,
    is_offer_full_time,
    offer_of,
    work_noc,
)
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.pnp_common import ee_profile_active, offer_province_check, pnp_facts, teer_check
from pathways.rules.types import (
    Assessment,
    CaseFacts,
    ClientFacts,
    JobOffer,
    PnpFacts,
    WorkPeriod,
    education_rank,
)
from pathways.rules.work import (
    is_full_time,
    longest_continuous,
    teer_of,
    total_months,
)


# ------------------------------------------------------------------------------------------------ OINP
def _oinp_hcp(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("oinp", "hcp_tech", as_of)
    rs = b.rules("oinp")
    if rs is None:
        b.missing_rules("oinp_rules", "OINP rules in force", "oinp")
        return b.build()
    pnp = pnp_facts(case)
    nocs = rs.value("hcp_tech_nocs")
    primary_required = rs.value("hcp_primary_noc_required")
    noc = pnp.ee_primary_noc or (None if primary_required else work_noc(client))
    label = "Experience in a targeted tech NOC" + (
        " (primary NOC of the EE profile)" if primary_required else ""
    )
    b.check(
        "tech_noc",
        label,
        None if noc is None else noc in nocs,
        met=f"NOC {noc} is on the {rs.version} tech list.",
        unmet=f"NOC {noc} is not on the {rs.version} tech list ({', '.join(nocs)}).",
        unknown="The primary NOC of the Express Entry profile is not recorded.",
        facts=[rs.fact("hcp_tech_nocs"), rs.fact("hcp_primary_noc_required")],
        rules=rs,
    )
    b.check(
        "ee_profile",
        "Active Express Entry profile",
        ee_profile_active(client, pnp, as_of),
        met="The Express Entry profile is active.",
        unmet="The Express Entry profile is not active (expired).",
        unknown="No Express Entry profile is recorded.",
        facts=[rs.fact("hcp_ee_profile_required")],
        rules=rs,
    )
    # Experience: FSWP route or CEC route
    fsw, cec = rs.value("hcp_fswp_experience"), rs.value("hcp_cec_experience")
    app = application_day(case, as_of)

    def fsw_pred(p: WorkPeriod) -> bool:
        return (
            p.paid
            and is_full_time(p) is True
            and teer_of(p.noc, p.teer) in fsw["teers"]
            and (noc is None or p.noc == noc)
        )

    s = longest_continuous(client.work, add_offset(app, years=-fsw["window_years"]), app, fsw_pred)
    cec_m = total_months(
        client.work,
        add_offset(app, years=-cec["window_years"]),
        app,
        lambda p: p.in_canada and p.paid and not p.self_employed and is_full_time(p) is True,
    )
    ok: bool | None = (s is not None and s[2] >= fsw["months"]) or cec_m >= cec["months"]
    if not ok and not client.work:
        ok = None
    b.check(
        "experience",
        "1 year continuous full-time in TEER 0-3 within 5 years (FSWP) or 1 year in Canada within 3 years (CEC)",
        ok,
        met=f"FSWP route: {s[2] if s else 0} months; CEC route: {cec_m:.0f} months.",
        unmet=f"FSWP route: {s[2] if s else 0} months; CEC route: {cec_m:.0f} months; 12 needed.",
        unknown="No work history is recorded.",
        facts=[rs.fact("hcp_fswp_experience"), rs.fact("hcp_cec_experience")],
        rules=rs,
    )
    _hcp_education_funds_residence(b, case, client, pnp, rs)
    b.notice(
        "An NOI does not mean the candidate is eligible. The 2025-2026 OINP tech draws and any HCP rule "
        "changes were not verified; the NOC list shown is the latest one in the reference."
    )
    return b.build()


def _hcp_education_funds_residence(
    b: Builder, case: CaseFacts, client: ClientFacts, pnp: PnpFacts, rs: RuleSet
) -> None:
    """Part of ``_oinp_hcp``: the criteria named in its body, in the original order."""
    best = client.highest_education()
    b.check(
        "education",
        "Bachelor's degree or higher (ECA if foreign)",
        None if best is None else education_rank(best.level) >= education_rank(rs.value("hcp_min_education")),
        met=f"Highest education: {best.level if best else ''}.",
        unmet=f"Highest education: {best.level if best else ''}.",
        unknown="No education is recorded.",
        facts=[rs.fact("hcp_min_education")],
        rules=rs,
    )
    clb_check(b, client, minimum=rs.value("hcp_min_clb"), rs=rs, fact="hcp_min_clb")
    b.attested(
        "settlement_funds",
        "Settlement funds (amount not in the reference)",
        case.attest("oinp.settlement_funds"),
        facts=[rs.fact("hcp_settlement_funds")],
        rules=rs,
        what="the applicant has the required settlement funds",
        attestation_key="oinp.settlement_funds",
    )
    prov = client.intended_province
    b.check(
        "intends_ontario",
        "Intends to live in Ontario",
        None if prov is None else prov.upper() == "ON",
        met="Intends to live in Ontario.",
        unmet=f"Intends to live in {prov}.",
        unknown="The intended province is not recorded.",
        facts=[rs.fact("hcp_intends_ontario")],
        rules=rs,
    )
    dl = b.rules("deadlines")
    b.deadline(dl, "oinp_noi_submit", pnp.noi_date)
    document_key_dates(b, client, ("ee_profile_expiry", "language_test_expiry", "eca_expiry"))
    b.fee(rs, "hcp_fee", kind="oinp_application", label="OINP application fee", payer="applicant")


def _oinp_ejo(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("oinp", "ejo_foreign_worker", as_of)
    rs = b.rules("oinp")
    if rs is None:
        b.missing_rules("oinp_rules", "OINP rules in force", "oinp")
        return b.build()
    pnp = pnp_facts(case)
    offer = offer_of(client, case)
    offer_province_check(b, offer, "ON", rs, "ejo_teers")
    teer_check(b, offer, rs, "ejo_teers")
    hours = rs.value("ejo_min_hours_week")
    ft = is_offer_full_time(offer, hours)
    _ejo_offer_terms(b, ft, hours, offer, rs)
    exp = rs.value("ejo_experience")
    app = application_day(case, as_of)
    months = 0.0
    if offer and offer.noc:
        months = total_months(
            client.work,
            add_offset(app, years=-exp["window_years"]),
            app,
            lambda p: p.noc == offer.noc and p.paid and is_full_time(p) is True,
        )
    on_licence = any(x.jurisdiction.upper() == "ON" for x in client.licences)
    ok = (
        None
        if (offer is None or not offer.noc or not client.work) and not on_licence
        else (months >= exp["years"] * 12 or on_licence)
    )
    b.check(
        "experience",
        f"{exp['years']} years cumulative full-time in the same NOC within {exp['window_years']} years, "
        "or a required Ontario licence",
        ok,
        met=f"{months:.0f} months in NOC {offer.noc if offer else ''}"
        + (" / Ontario licence held." if on_licence else "."),
        unmet=f"Only {months:.0f} months full-time in NOC {offer.noc if offer else ''} within {exp['window_years']} years.",
        unknown="Job-offer NOC or work history not recorded.",
        facts=[rs.fact("ejo_experience")],
        rules=rs,
    )
    gta = pnp.in_gta
    rev, emp = rs.value("ejo_employer_revenue_cad"), rs.value("ejo_employer_min_employees")
    zone = None if gta is None else ("gta" if gta else "outside_gta")
    r, e = pnp.employer_revenue_cad, pnp.employer_fulltime_employees
    b.check(
        "employer_revenue",
        "Employer revenue ($1M in the GTA, $500k outside)",
        None if zone is None or r is None else r >= rev[zone],
        met=f"Revenue ${r:,.0f}." if r is not None else "",
        unmet=f"Revenue ${r:,.0f} below ${rev[zone]:,.0f}." if zone and r is not None else "",
        unknown="Employer revenue or GTA location not recorded.",
        facts=[rs.fact("ejo_employer_revenue_cad")],
        rules=rs,
    )
    b.check(
        "employer_employees",
        "Employer full-time Canadian/PR staff (5 in the GTA, 3 outside)",
        None if zone is None or e is None else e >= emp[zone],
        met=f"{e} full-time Canadian/PR employees.",
        unmet=f"{e} employees; {emp[zone] if zone else ''} needed.",
        unknown="Employer headcount or GTA location not recorded.",
        facts=[rs.fact("ejo_employer_min_employees")],
        rules=rs,
    )
    dl = b.rules("deadlines")
    b.deadline(dl, "oinp_ejo_eoi", pnp.job_offer_portal_date)
    b.deadline(dl, "oinp_ejo_employer", pnp.ita_date)
    b.deadline(dl, "oinp_ejo_applicant", pnp.ita_date)
    b.notice("Recruitment efforts are required if the applicant is outside Canada or Ontario.")
    return b.build()


def _ejo_offer_terms(
    b: Builder, ft: bool | None, hours: float | None, offer: JobOffer | None, rs: RuleSet
) -> None:
    """Part of ``_oinp_ejo``: the criteria named in its body, in the original order."""
    perm = offer.permanent if offer else None
    b.check(
        "offer_full_time_permanent",
        f"Full-time (>= {hours} h/week) and permanent offer",
        None if ft is None or perm is None else (ft and perm),
        met="Full-time and permanent.",
        unmet=f"Full-time: {ft}; permanent: {perm}.",
        unknown="Hours or permanence of the offer are not recorded.",
        facts=[rs.fact("ejo_min_hours_week")],
        rules=rs,
    )
    wage, how = hourly_wage(offer)
    median = offer.prevailing_wage_hourly if offer else None
    b.check(
        "offer_wage",
        "Wage at least the Job Bank median for the NOC in Ontario",
        None if wage is None or median is None else wage >= median,
        met=f"${wage}/h{how} vs median ${median}/h. Also confirm it is at least the applicant's current pay.",
        unmet=f"${wage}/h{how} is below the median ${median}/h.",
        unknown="Offered wage or Job Bank median not recorded.",
        facts=[rs.fact("ejo_wage_rule")],
        rules=rs,
    )


def assess_oinp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    return [_oinp_hcp(client, case, as_of), _oinp_ejo(client, case, as_of)]
