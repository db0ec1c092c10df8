"""GTS Category A criteria, one function per criterion (ESDC requirements page; pathways.md §2.2)."""

from __future__ import annotations

from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.common import annual_wage, hourly_wage, offer_of
from pathways.rules.data import RuleSet
from pathways.rules.types import CaseFacts, ClientFacts, education_rank
from pathways.rules.work import total_months


def all_partners(rs: RuleSet) -> dict[str, str]:
    """Designated referral partners by case-folded name."""
    out: dict[str, str] = {}
    for names in rs.value("designated_referral_partners").values():
        for name in names:
            out[name.casefold()] = name
    return out


def category_a_criteria(
    b: Builder, rs: RuleSet, gtol: RuleSet | None, client: ClientFacts, case: CaseFacts
) -> None:
    referral_criterion(b, rs, case)
    salary_floor_criterion(b, rs, client, case)
    industry_knowledge_criterion(b, rs, case)
    specialized_qualification_criterion(b, rs, client, case)
    not_on_gtol_criterion(b, rs, gtol, client, case)


def referral_criterion(b: Builder, rs: RuleSet, case: CaseFacts) -> None:
    """One completed referral form per worker from a designated referral partner."""
    partners = all_partners(rs)
    fact = rs.fact("designated_referral_partners")
    label = "Referral from a designated referral partner"
    if case.referral_partner_designated is not None:
        b.check(
            "referral_partner",
            label,
            case.referral_partner_designated,
            met=f"Referred by {case.referral_partner or 'a designated partner'} (recorded as designated).",
            unmet=f"{case.referral_partner or 'The referrer'} is recorded as not designated.",
            unknown="",
            facts=[fact],
            rules=rs,
        )
    elif case.referral_partner:
        name = partners.get(case.referral_partner.casefold())
        b.check(
            "referral_partner",
            label,
            name is not None,
            met=f"{name} is on the designated referral partner list (as of April 2025).",
            unmet=f"{case.referral_partner!r} is not on the designated referral partner list (as of April 2025).",
            unknown="",
            facts=[fact],
            rules=rs,
        )
    else:
        b.add(
            "referral_partner", label, "unknown", "No referral partner is recorded.", facts=[fact], rules=rs
        )


def salary_floor_criterion(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts) -> None:
    """The Category A salary floor by the position's number in the calendar year."""
    offer = offer_of(client, case)
    std, high = rs.value("category_a_floor_standard"), rs.value("category_a_floor_third_plus")
    facts = [rs.fact("category_a_floor_standard"), rs.fact("category_a_floor_third_plus")]
    wage, how = hourly_wage(offer)
    annual = annual_wage(offer)
    label = "Category A salary floor"
    n = case.position_number_in_year

    def clears(floor: dict[str, float]) -> bool | None:
        if wage is None or annual is None:
            return None
        return annual >= floor["annual"] and wage >= floor["hourly"]

    c_std, c_high = clears(std), clears(high)
    desc_std = f"${std['annual']:,.0f}/yr and ${std['hourly']:.2f}/h"
    desc_high = f"${high['annual']:,.0f}/yr and ${high['hourly']:.2f}/h"
    if c_std is None:
        b.add(
            "salary_floor",
            label,
            "unknown",
            "The offered annual and hourly wages are not both recorded.",
            facts=facts,
            rules=rs,
        )
    elif not c_std:
        b.add(
            "salary_floor",
            label,
            "unmet",
            f"Offered ${annual:,.0f}/yr, ${wage:.2f}/h{how}; the floor is {desc_std}.",
            facts=facts,
            rules=rs,
        )
    elif n is not None and n <= std["max_position_in_year"]:
        b.add(
            "salary_floor",
            label,
            "met",
            f"Position {n} this year; offered ${annual:,.0f}/yr, ${wage:.2f}/h clears {desc_std}.",
            facts=facts,
            rules=rs,
        )
    elif n is None:
        status = "met" if c_high else "unknown"
        b.add(
            "salary_floor",
            label,
            status,
            f"Offered ${annual:,.0f}/yr clears {desc_high} whatever the position number."
            if c_high
            else f"Offered ${annual:,.0f}/yr clears {desc_std} (positions 1-2 in the year) but not {desc_high} "
            "(3rd+ position); the position number in the calendar year is not recorded.",
            facts=facts,
            rules=rs,
        )
    elif not c_high:
        b.add(
            "salary_floor",
            label,
            "unmet",
            f"Position {n} this calendar year needs {desc_high}; offered ${annual:,.0f}/yr, ${wage:.2f}/h.",
            facts=facts,
            rules=rs,
        )
    else:
        b.check(
            "salary_floor",
            label,
            case.referral_reconfirmed,
            met=f"Position {n}: {desc_high} cleared and the partner re-confirmed.",
            unmet=f"Position {n}: the partner has not re-confirmed the referral.",
            unknown=f"Position {n}: salary clears {desc_high}; the partner's re-confirmation is not recorded.",
            facts=facts,
            rules=rs,
        )


def industry_knowledge_criterion(b: Builder, rs: RuleSet, case: CaseFacts) -> None:
    b.attested(
        "advanced_industry_knowledge",
        "Position requires advanced knowledge of the industry",
        case.attest("gts.advanced_industry_knowledge"),
        facts=[rs.fact("category_a_advanced_industry_knowledge")],
        rules=rs,
        what="the position requires advanced industry knowledge",
        attestation_key="gts.advanced_industry_knowledge",
    )


def specialized_qualification_criterion(
    b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts
) -> None:
    """An advanced degree in the specialization and/or the years of specialized experience."""
    offer = offer_of(client, case)
    years = rs.value("category_a_min_specialized_experience_years")
    fact = rs.fact("category_a_min_specialized_experience_years")
    best = client.highest_education()
    advanced = best is not None and education_rank(best.level) >= education_rank("master")
    months = 0.0
    if offer and offer.noc:
        months = total_months(client.work, date.min, b.as_of, lambda p: p.noc == offer.noc)
    label = f"Advanced degree in the specialization and/or {years}+ years of specialized experience"
    att = case.attest("gts.specialized_qualification")
    if advanced or months >= years * 12:
        b.add(
            "specialized_qualification",
            label,
            "met",
            (
                f"Holds a {best.level} degree ({best.field or 'field not recorded'}); confirm it is in the specialization."
                if advanced and best
                else f"{months:.0f} months of experience in NOC {offer.noc if offer else ''}."
            ),
            facts=[fact],
            rules=rs,
        )
    elif att is not None:
        b.attested(
            "specialized_qualification",
            label,
            att,
            facts=[fact],
            rules=rs,
            what="advanced degree and/or 5+ years of specialized experience",
            attestation_key="gts.specialized_qualification",
        )
    else:
        b.add(
            "specialized_qualification",
            label,
            "unknown",
            f"No advanced degree recorded and {months:.0f} months found in the offered NOC; other specialized "
            "experience needs review (attestation 'gts.specialized_qualification').",
            facts=[fact],
            rules=rs,
        )


def not_on_gtol_criterion(
    b: Builder, rs: RuleSet, gtol: RuleSet | None, client: ClientFacts, case: CaseFacts
) -> None:
    """Informational: a GTOL occupation is rerouted to Category B by ``assess_gts``."""
    offer = offer_of(client, case)
    fact = rs.fact("category_a_gtol_goes_to_b")
    label = "Occupation is not on the Global Talent Occupations List"
    if gtol is None:
        b.missing_rules("not_on_gtol", label, "gts_gtol")
    elif offer is None or not offer.noc:
        b.add(
            "not_on_gtol",
            label,
            "unknown",
            "The NOC of the position is not recorded.",
            facts=[fact],
            rules=rs,
        )
    else:
        on = offer.noc in gtol.value("occupations")
        b.check(
            "not_on_gtol",
            label,
            not on,
            met=f"NOC {offer.noc} is not on the list, so Category A applies.",
            unmet=f"NOC {offer.noc} is on the Global Talent Occupations List: the application is processed as Category B.",
            unknown="",
            facts=[fact, gtol.fact("occupations")],
            rules=rs,
        )
