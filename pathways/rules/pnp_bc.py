"""BC PNP: Skilled Worker (full-time-equivalent experience) and the legacy Tech stream."""

from __future__ import annotations

from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.common import (
    application_day,
    clb_check,
    offer_of,
)
from pathways.rules.data import RuleSet
from pathways.rules.pnp_common import offer_province_check, pnp_facts, teer_check
from pathways.rules.types import (
    Assessment,
    CaseFacts,
    ClientFacts,
)
from pathways.rules.work import (
    FULL_TIME_HOURS,
    fte_months,
)


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
    offer_province_check(b, offer, "BC", rs, "sw_teers")
    teer_check(b, offer, rs, "sw_teers")
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
    b.deadline(b.rules("deadlines"), "bcpnp_ita_submit", pnp_facts(case).ita_date)
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
    if pnp_facts(case).stream == "bc_tech_legacy":
        out.append(_bc_tech_legacy(client, case, as_of))
    return out
