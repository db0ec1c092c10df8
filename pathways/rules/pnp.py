"""Provincial nominee streams (tech focus): OINP, BC PNP, AAIP, SINP, MPNP.

Attestation keys: ``oinp.settlement_funds``, ``bcpnp.occupation_requirements`` (credentials and licences
the occupation needs), ``bcpnp.wage_income`` (BC minimum wage and income requirements),
``aaip.atp_occupation`` (occupation on the ATP list), ``sinp.apegs_letter``, ``mpnp.not_excluded``
(no work/residence in another province, no MPNP refusal in the last 6 months, no active application
in another PNP or federal program).
"""

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
    offer_teer,
    work_noc,
)
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
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
    FULL_TIME_HOURS,
    fte_months,
    is_full_time,
    longest_continuous,
    same_employer,
    teer_of,
    total_months,
)


def _pnp(case: CaseFacts) -> PnpFacts:
    return case.pnp or PnpFacts()


def _offer_province(b: Builder, offer: JobOffer | None, province: str, rs: RuleSet, fact: str) -> None:
    prov = offer.province if offer else None
    b.check(
        "offer_province",
        f"Job (offer) located in {province}",
        None if prov is None else prov.upper() == province,
        met=f"Job in {prov}.",
        unmet=f"Job is in {prov}, not {province}.",
        unknown="No job offer with a province is recorded.",
        facts=[rs.fact(fact)],
        rules=rs,
    )


def _teer_check(b: Builder, offer: JobOffer | None, rs: RuleSet, fact: str) -> None:
    teers = rs.value(fact)
    t = offer_teer(offer)
    b.check(
        "offer_teer",
        f"Job offer in TEER {', '.join(map(str, teers))}",
        None if t is None else t in teers,
        met=f"TEER {t} (NOC {offer.noc if offer else ''}).",
        unmet=f"TEER {t} is not eligible.",
        unknown="The NOC/TEER of the job offer is not recorded.",
        facts=[rs.fact(fact)],
        rules=rs,
    )


def _ee_profile_active(client: ClientFacts, pnp: PnpFacts, as_of: date) -> bool | None:
    if pnp.ee_profile_active is not None:
        return pnp.ee_profile_active
    if client.ee_profile_submitted_on is None:
        return None
    return add_offset(client.ee_profile_submitted_on, months=12) > as_of


# ------------------------------------------------------------------------------------------------ OINP
def _oinp_hcp(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("oinp", "hcp_tech", as_of)
    rs = b.rules("oinp")
    if rs is None:
        b.missing_rules("oinp_rules", "OINP rules in force", "oinp")
        return b.build()
    pnp = _pnp(case)
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
        _ee_profile_active(client, pnp, as_of),
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
    b.notice(
        "An NOI does not mean the candidate is eligible. The 2025-2026 OINP tech draws and any HCP rule "
        "changes were not verified; the NOC list shown is the latest one in the reference."
    )
    return b.build()


def _oinp_ejo(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("oinp", "ejo_foreign_worker", as_of)
    rs = b.rules("oinp")
    if rs is None:
        b.missing_rules("oinp_rules", "OINP rules in force", "oinp")
        return b.build()
    pnp = _pnp(case)
    offer = offer_of(client, case)
    _offer_province(b, offer, "ON", rs, "ejo_teers")
    _teer_check(b, offer, rs, "ejo_teers")
    hours = rs.value("ejo_min_hours_week")
    ft = is_offer_full_time(offer, hours)
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


def assess_oinp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    return [_oinp_hcp(client, case, as_of), _oinp_ejo(client, case, as_of)]


# ---------------------------------------------------------------------------------------------- BC PNP
def _bc_fte_experience(b: Builder, rs: RuleSet, client: ClientFacts, as_of: date) -> None:
    """Two years of full-time-EQUIVALENT experience: part-time counts pro rata (hours / 30 h a week)."""
    years = rs.value("sw_min_experience_years")
    need = years * 12
    months, unweighed = fte_months(client.work, date.min, as_of, lambda p: p.paid)
    ok: bool | None = months >= need - 1e-9
    if not client.work or (not ok and unweighed):
        ok = None
    b.check(
        "experience",
        f"At least {years} years full-time-equivalent experience",
        ok,
        met=f"{months:.1f} full-time-equivalent months (part-time counted pro rata at {FULL_TIME_HOURS:g} h/week).",
        unmet=f"{months:.1f} full-time-equivalent months; {need} needed (part-time counted pro rata).",
        unknown="No work history is recorded."
        if not client.work
        else f"{months:.1f} full-time-equivalent months counted; some part-time periods have no hours recorded.",
        facts=[rs.fact("sw_min_experience_years")],
        rules=rs,
    )


def _bc_skilled_worker(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("bcpnp", "skilled_worker", as_of)
    rs = b.rules("bcpnp")
    if rs is None:
        b.missing_rules("bcpnp_rules", "BC PNP rules in force", "bcpnp")
        return b.build()
    offer = offer_of(client, case)
    _offer_province(b, offer, "BC", rs, "sw_teers")
    _teer_check(b, offer, rs, "sw_teers")
    ft = offer.full_time if offer else None
    perm = offer.permanent if offer else None
    b.check(
        "offer_full_time_indeterminate",
        "Full-time, indeterminate offer from an eligible BC employer",
        None if ft is None or perm is None else (ft and perm),
        met="Full-time and indeterminate.",
        unmet=f"Full-time: {ft}; indeterminate: {perm}.",
        unknown="Offer hours or term not recorded.",
        facts=[rs.fact("sw_full_time_indeterminate")],
        rules=rs,
    )
    _bc_fte_experience(b, rs, client, as_of)
    clb_check(b, client, minimum=rs.value("sw_min_clb"), rs=rs, fact="sw_min_clb")
    b.attested(
        "occupation_requirements",
        "Credentials and licences the occupation requires",
        case.attest("bcpnp.occupation_requirements"),
        facts=[rs.fact("sw_occupation_requirements")],
        rules=rs,
        what="the applicant holds the credentials and licences the occupation requires",
        attestation_key="bcpnp.occupation_requirements",
    )
    b.attested(
        "wage_income",
        "BC minimum wage and income requirements (amounts not in the reference)",
        case.attest("bcpnp.wage_income"),
        facts=[rs.fact("sw_min_wage_income")],
        rules=rs,
        what="the offer meets BC's minimum wage and income requirements",
        attestation_key="bcpnp.wage_income",
    )
    b.checklist_from(b.rules("checklists"), "bcpnp")
    b.deadline(b.rules("deadlines"), "bcpnp_ita_submit", _pnp(case).ita_date)
    b.fee(rs, "fee_application", kind="bcpnp_application", label="BC PNP application fee", payer="applicant")
    b.notice(rs.value("selection_2026"))
    b.notice(
        f"Registrations stay in the pool up to {rs.value('registration_validity_months')} months or until invited."
    )
    return b.build()


def _bc_tech_legacy(client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    b = Builder("bcpnp", "tech_legacy", as_of)
    rs = b.rules("bcpnp")
    if rs is None:
        b.missing_rules("bcpnp_rules", "BC PNP rules in force", "bcpnp")
        return b.build()
    offer = offer_of(client, case)
    entries = {e["noc"]: e for e in rs.value("tech_nocs")}
    noc = offer.noc if offer else None
    fact = rs.fact("tech_nocs")
    label = "Occupation on the BC PNP Tech list (NOC 2021)"
    if noc is None:
        b.add(
            "tech_noc", label, "unknown", "The NOC of the job offer is not recorded.", facts=[fact], rules=rs
        )
    elif noc in entries:
        e = entries[noc]
        b.add(
            "tech_noc",
            label,
            "met",
            f"NOC {noc} is on the partial list ({e['source']}).",
            source=e["source"],
            verification=e["status"],
            rules=rs,
        )
    else:
        b.add(
            "tech_noc",
            label,
            "unknown",
            f"NOC {noc} is not among the codes known to the reference; the 35-code list is only partly known.",
            facts=[fact],
            rules=rs,
        )
    need = rs.value("tech_min_offer_months")
    dur = offer.duration_months if offer else None
    perm = offer.permanent if offer else None
    b.check(
        "offer_duration",
        f"Job offer of at least {need} months",
        True if perm else (None if dur is None else dur >= need),
        met="Offer is indeterminate." if perm else f"{dur} months.",
        unmet=f"{dur} months; {need} needed.",
        unknown="The offer's duration is not recorded.",
        facts=[rs.fact("tech_min_offer_months")],
        rules=rs,
    )
    days = rs.value("tech_min_days_remaining")
    app = application_day(case, as_of)
    end = offer.end_date if offer else None
    b.check(
        "offer_days_remaining",
        f"At least {days} days remaining on the offer at application",
        True if perm else (None if end is None else (end - app).days >= days),
        met="Indeterminate offer." if perm else f"{(end - app).days if end else ''} days remain on {app}.",
        unmet=f"{(end - app).days if end else ''} days remain on {app}; {days} needed.",
        unknown="The offer's end date is not recorded.",
        facts=[rs.fact("tech_min_days_remaining")],
        rules=rs,
    )
    b.notice(
        "Legacy rules for older files only: there is no BC PNP Tech draw or tech occupation list on the 2026 "
        "welcomebc.ca pages, and the end date of BC PNP Tech was not found."
    )
    return b.build()


def assess_bcpnp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    out = [_bc_skilled_worker(client, case, as_of)]
    if _pnp(case).stream == "bc_tech_legacy":
        out.append(_bc_tech_legacy(client, case, as_of))
    return out


# ------------------------------------------------------------------------------------------------ AAIP
def assess_aaip(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("aaip", "accelerated_tech_pathway", as_of)
    rs = b.rules("aaip")
    if rs is None:
        b.missing_rules("aaip_rules", "AAIP rules in force", "aaip")
        return [b.build()]
    pnp = _pnp(case)
    offer = offer_of(client, case)
    crs = client.ee_crs_score
    active = _ee_profile_active(client, pnp, as_of)
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
    _offer_province(b, offer, "AB", rs, "atp_alberta_job")
    hours, months = rs.value("atp_min_hours_week"), rs.value("atp_min_offer_months")
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


# ------------------------------------------------------------------------------------------------ SINP
def assess_sinp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("sinp", "tech_talent_pathway", as_of)
    rs = b.rules("sinp")
    if rs is None:
        b.missing_rules("sinp_rules", "SINP Tech Talent Pathway rules in force", "sinp")
        return [b.build()]
    pnp = _pnp(case)
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
    _offer_province(b, offer, "SK", rs, "offer_requirements")
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
    return [b.build()]


# ------------------------------------------------------------------------------------------------ MPNP
def assess_mpnp(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder("mpnp", "skilled_worker_in_manitoba", as_of)
    rs = b.rules("mpnp")
    if rs is None:
        b.missing_rules("mpnp_rules", "MPNP rules in force", "mpnp")
        return [b.build()]
    pnp = _pnp(case)
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
    _offer_province(b, offer, "MB", rs, "offer_requirements")
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
