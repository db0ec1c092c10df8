"""Intra-company transferees: general R205(a) (C61/C62/C63) and CUSMA R204(a) (T37/T38).

Attestation keys (``CaseFacts.attestations``):
``ict.foreign_position_held_open``, ``ict.canadian_enterprise_active`` (actively engaged, physical
commercial premises), ``ict.canadian_employer_relationship`` (day-to-day control by the Canadian
entity), ``ict.specialized_knowledge`` (advanced proprietary knowledge and advanced expertise),
``ict.new_office_premises`` and ``ict.new_office_plans`` (C61: premises being secured; HR plan,
business plan and financials).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pathways.rules._builder import Builder
from pathways.rules.common import application_day, citizenship_check, hourly_wage, offer_of, offer_teer
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.ict_cap import cap_criterion, permit_end_dates
from pathways.rules.types import Assessment, CaseFacts, ClientFacts, IctPosition, WorkPeriod
from pathways.rules.work import is_full_time, longest_continuous, same_employer, total_months

Kind = Literal["general", "cusma"]
_GROUP = {
    "executive": "executive_manager",
    "manager": "executive_manager",
    "specialized_knowledge": "sk",
    "new_office": "new_office",
}


def _streams(kind: Kind, position: IctPosition | None) -> list[str]:
    """Stream groups to assess: new_office / executive_manager / sk."""
    if position is not None:
        group = _GROUP[position]
        return [] if (kind == "cusma" and group == "new_office") else [group]
    return ["executive_manager", "sk"]


def _code(rs: RuleSet, kind: Kind, group: str) -> str:
    codes = rs.value("codes_general" if kind == "general" else "codes_cusma")
    key = {"executive_manager": "executive", "sk": "specialized_knowledge", "new_office": "new_office"}[group]
    return codes[key]


def _cap_key(group: str) -> str:
    return "specialized_knowledge" if group == "sk" else "executive"


def _employment_criteria(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, app: date) -> None:
    """12 months continuous full-time in the 3 years before the INITIAL application (``app`` is the initial
    application date when the case records one: an extension is judged on the same window)."""
    window = rs.value("lookback_months")
    need = rs.value("min_continuous_fulltime_months")
    facts = [rs.fact("min_continuous_fulltime_months"), rs.fact("lookback_months")]
    label = f"{need} months continuous full-time with the foreign enterprise in the {window} months before applying"
    employer = case.foreign_employer
    if not employer:
        b.add(
            "qualifying_employment",
            label,
            "unknown",
            "The foreign employer is not recorded.",
            facts=facts,
            rules=rs,
        )
        b.add(
            "currently_employed",
            "Currently employed by the foreign enterprise",
            "unknown",
            "The foreign employer is not recorded.",
            facts=facts,
            rules=rs,
        )
        return
    start = add_offset(app, months=-window)

    def with_employer(p: WorkPeriod) -> bool:
        return same_employer(p.employer, employer) and p.paid

    strict = longest_continuous(
        client.work, start, app, lambda p: with_employer(p) and is_full_time(p) is True
    )
    loose = longest_continuous(
        client.work, start, app, lambda p: with_employer(p) and is_full_time(p) is not False
    )
    if strict and strict[2] >= need:
        b.add(
            "qualifying_employment",
            label,
            "met",
            f"{strict[2]} months continuous full-time with {employer} ({strict[0]} to {strict[1]}), within the "
            f"window {start} to {app}.",
            facts=facts,
            rules=rs,
        )
    elif loose and loose[2] >= need:
        b.add(
            "qualifying_employment",
            label,
            "unknown",
            f"{loose[2]} months with {employer} in the window, but the hours are not recorded for every period "
            "(part-time cannot be aggregated).",
            facts=facts,
            rules=rs,
        )
    elif not client.work:
        b.add(
            "qualifying_employment", label, "unknown", "No work history is recorded.", facts=facts, rules=rs
        )
    else:
        best = strict[2] if strict else 0
        b.add(
            "qualifying_employment",
            label,
            "unmet",
            f"Only {best} months continuous full-time with {employer} between {start} and {app}.",
            facts=facts,
            rules=rs,
        )
    _currently_employed_criterion(app, b, client, employer, rs, with_employer)


def _currently_employed_criterion(
    app: date, b: Builder, client: ClientFacts, employer: Any, rs: RuleSet, with_employer: Any
) -> None:
    """Part of ``_employment_criteria``: the criteria named in its body, in the original order."""
    current = [
        p for p in client.work if with_employer(p) and p.start <= app and (p.end is None or p.end >= app)
    ]
    b.check(
        "currently_employed",
        "Currently employed by the foreign enterprise",
        bool(current) if client.work else None,
        met=f"Employed by {employer} on {app}.",
        unmet=f"No employment with {employer} covers {app}.",
        unknown="No work history is recorded.",
        facts=[rs.fact("min_continuous_fulltime_months")],
        rules=rs,
    )


def _wage_criterion(
    b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, kind: Kind, group: str
) -> None:
    offer = offer_of(client, case)
    wage, how = hourly_wage(offer)
    prevailing = offer.prevailing_wage_hourly if offer else None
    if kind == "cusma":
        fact, strict = rs.fact("cusma_wage_rule"), False
    elif group == "sk":
        fact, strict = rs.fact("sk_wage_floor"), True
    else:
        fact, strict = rs.fact("em_wage_rule"), False
    label = "Wage at least the prevailing wage" + (" (mandatory)" if strict else " (reasonableness)")
    if wage is None or prevailing is None:
        b.add(
            "wage",
            label,
            "unknown",
            "The offered hourly wage or the Job Bank prevailing wage is not recorded.",
            facts=[fact],
            rules=rs,
        )
    elif wage >= prevailing:
        b.add(
            "wage",
            label,
            "met",
            f"Offered ${wage:.2f}/h{how} meets the prevailing ${prevailing:.2f}/h.",
            facts=[fact],
            rules=rs,
        )
    elif strict:
        b.add(
            "wage",
            label,
            "unmet",
            f"Offered ${wage:.2f}/h{how} is below the prevailing ${prevailing:.2f}/h; the floor is mandatory for "
            "specialized knowledge.",
            facts=[fact],
            rules=rs,
        )
    else:
        b.add(
            "wage",
            label,
            "unknown",
            f"Offered ${wage:.2f}/h{how} is below the prevailing ${prevailing:.2f}/h. Not an automatic refusal "
            "for this code, but the officer weighs it.",
            facts=[fact],
            rules=rs,
        )


def _teer_criterion(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, group: str) -> None:
    teer = offer_teer(offer_of(client, case))
    if group == "executive_manager":
        allowed = rs.value("teers_executive_manager")
        b.check(
            "teer",
            "Canadian position in TEER 0 (executive) or TEER 1 (manager)",
            None if teer is None else teer in allowed,
            met=f"TEER {teer}.",
            unmet=f"TEER {teer} is not an executive or managerial TEER.",
            unknown="The NOC/TEER of the Canadian position is not recorded.",
            facts=[rs.fact("teers_executive_manager")],
            rules=rs,
        )
    elif group == "sk":
        expected = rs.value("teers_specialized_knowledge_expected")
        if teer is not None and teer not in expected:
            b.notice(f"TEER {teer} specialized-knowledge positions are possible but get heightened scrutiny.")
        b.check(
            "teer",
            "Canadian position TEER (0-2 expected for specialized knowledge)",
            None if teer is None else True,
            met=f"TEER {teer}" + ("." if teer in expected else ": allowed, with heightened scrutiny."),
            unmet="",
            unknown="The NOC/TEER of the Canadian position is not recorded.",
            facts=[rs.fact("teers_specialized_knowledge_expected")],
            rules=rs,
        )


def _sk_criteria(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, app: date) -> None:
    b.attested(
        "specialized_knowledge",
        "Advanced proprietary knowledge and an advanced level of expertise",
        case.attest("ict.specialized_knowledge"),
        facts=[rs.fact("sk_significant_experience_years")],
        rules=rs,
        what="both advanced proprietary knowledge and advanced expertise",
        attestation_key="ict.specialized_knowledge",
    )
    years, recent = rs.value("sk_significant_experience_years"), rs.value("sk_recent_years")
    offer = offer_of(client, case)

    def relevant(p: WorkPeriod) -> bool:
        return p.capacity == "specialized_knowledge" or bool(offer and offer.noc and p.noc == offer.noc)

    months = total_months(client.work, date.min, app, relevant)
    last = max(((p.end or app) for p in client.work if relevant(p)), default=None)
    is_recent = last is not None and last >= add_offset(app, years=-recent)
    facts = [rs.fact("sk_significant_experience_years"), rs.fact("sk_recent_years")]
    label = (
        f"Significant (>= {years} years, guidance) and recent (last {recent} years) specialized experience"
    )
    if not client.work:
        b.add("sk_experience", label, "unknown", "No work history is recorded.", facts=facts, rules=rs)
    elif months >= years * 12 and is_recent:
        b.add(
            "sk_experience",
            label,
            "met",
            f"{months:.0f} months of relevant experience, most recently {last}.",
            facts=facts,
            rules=rs,
        )
    elif months == 0:
        b.add(
            "sk_experience",
            label,
            "unknown",
            "No period is marked as specialized-knowledge capacity or in the Canadian position's NOC.",
            facts=facts,
            rules=rs,
        )
    elif not is_recent:
        b.add(
            "sk_experience",
            label,
            "unmet",
            f"The last relevant work ended {last}, more than {recent} years before {app}.",
            facts=facts,
            rules=rs,
        )
    else:
        b.add(
            "sk_experience",
            label,
            "unknown",
            f"{months:.0f} months of relevant experience; the {years}-year figure is guidance, not a hard floor, "
            "so the officer weighs it (record other specialized experience if any).",
            facts=facts,
            rules=rs,
        )


def _assess(kind: Kind, group: str, client: ClientFacts, case: CaseFacts, as_of: date) -> Assessment:
    pathway = "ict" if kind == "general" else "cusma_ict"
    probe = Builder(pathway, "", as_of)
    rs = probe.rules("ict")
    if rs is None:
        probe.missing_rules("ict_rules", "ICT rules in force", "ict")
        return probe.build()
    code = _code(rs, kind, group)
    b = Builder(pathway, code, as_of)
    b.versions.update(probe.versions)
    app = application_day(case, as_of)
    _transfer_criteria(app, b, case, client, code, group, kind, rs)
    b.check(
        "same_capacity",
        "Transfer in the same capacity as the current position",
        case.same_capacity,
        met="The Canadian role is in the same capacity.",
        unmet="The Canadian role is in a different capacity.",
        unknown="Same capacity is not recorded.",
        facts=[rs.fact("same_capacity_required")],
        rules=rs,
    )
    b.attested(
        "foreign_position_held_open",
        "Foreign position held open for the return",
        case.attest("ict.foreign_position_held_open"),
        facts=[rs.fact("foreign_position_held_open_required")],
        rules=rs,
        what="the foreign position is held open",
        attestation_key="ict.foreign_position_held_open",
    )
    if group == "new_office":
        b.attested(
            "new_office_premises",
            "Physical premises being secured for the new office",
            case.attest("ict.new_office_premises"),
            facts=[rs.fact("new_office_requirements")],
            rules=rs,
            what="premises are being secured",
            attestation_key="ict.new_office_premises",
        )
        b.attested(
            "new_office_plans",
            "HR plan, business plan and financials for the new office",
            case.attest("ict.new_office_plans"),
            facts=[rs.fact("new_office_requirements")],
            rules=rs,
            what="HR plan, business plan and funding evidence exist",
            attestation_key="ict.new_office_plans",
        )
    else:
        b.attested(
            "canadian_enterprise_active",
            "Canadian enterprise actively doing business, with physical premises",
            case.attest("ict.canadian_enterprise_active"),
            facts=[rs.fact("canadian_enterprise_actively_engaged")],
            rules=rs,
            what="the Canadian enterprise is actively engaged in business at physical premises",
            attestation_key="ict.canadian_enterprise_active",
        )
    b.attested(
        "canadian_employer_relationship",
        "Employer-employee relationship with the Canadian entity",
        case.attest("ict.canadian_employer_relationship"),
        facts=[rs.fact("employer_employee_relationship_required")],
        rules=rs,
        what="the Canadian entity controls the day-to-day work",
        attestation_key="ict.canadian_employer_relationship",
    )
    _ict_extras(app, b, case, client, code, group, kind, rs)
    return b.build()


def _ict_extras(
    app: date,
    b: Builder,
    case: CaseFacts,
    client: ClientFacts,
    code: str,
    group: str,
    kind: Kind,
    rs: RuleSet,
) -> None:
    """Part of ``_assess``: the criteria named in its body, in the original order."""
    _teer_criterion(b, rs, client, case, group)
    if group != "new_office":
        _wage_criterion(b, rs, client, case, kind, group)
    if group == "sk":
        _sk_criteria(b, rs, client, case, app)
    cap_end = cap_criterion(b, rs, client, case, group, app)
    permit_end_dates(b, rs, client, case, group, code, app, cap_end)
    # Checklist, dates, fees, notices
    cl = b.rules("checklists")
    b.checklist_from(cl, "ict")
    if group == "sk":
        b.checklist_from(cl, "ict_specialized_knowledge")
    if group == "new_office":
        b.checklist_from(cl, "ict_new_office")
    if kind == "cusma":
        b.checklist_from(cl, "cusma_ict")
    fees = b.rules("fees")
    b.fee(
        fees,
        "employer_compliance",
        kind="employer_compliance",
        label="Employer compliance fee",
        payer="employer",
    )
    b.fee(fees, "work_permit", kind="work_permit", label="Work permit processing fee", payer="worker")
    b.fee(fees, "biometrics_per_person", kind="biometrics", label="Biometrics", payer="worker")
    teer = offer_teer(offer_of(client, case))
    if teer in (0, 1):
        b.notice(
            "TEER 0/1 ICT permits applied for online from outside Canada qualify for Global Skills Strategy "
            "2-week processing."
        )
    if kind == "cusma":
        b.notice(
            "US citizens can apply at a port of entry. Mexican citizens may need an eTA or a visa (unverified)."
        )
    b.notice(
        "Permit validity cannot go past the passport expiry (not applicable to visa- and passport-exempt US "
        "citizens)."
    )


def _transfer_criteria(
    app: date,
    b: Builder,
    case: CaseFacts,
    client: ClientFacts,
    code: str,
    group: str,
    kind: Kind,
    rs: RuleSet,
) -> None:
    """Part of ``_assess``: the criteria named in its body, in the original order."""
    if kind == "cusma":
        citizenship_check(b, client, allowed=rs.value("cusma_citizenships"), rs=rs, fact="cusma_citizenships")
    # Position / capacity
    wanted = {
        "executive_manager": ("executive", "manager"),
        "sk": ("specialized_knowledge",),
        "new_office": ("new_office",),
    }[group]
    b.check(
        "position",
        f"Transfer position fits code {code}",
        None if case.position is None else case.position in wanted,
        met=f"Position recorded as {case.position}.",
        unmet=f"Position {case.position} does not fit {code}.",
        unknown="The position (executive, manager, specialized knowledge, new office) is not recorded.",
        facts=[rs.fact("codes_general" if kind == "general" else "codes_cusma")],
        rules=rs,
    )
    rel = case.relationship
    b.check(
        "qualifying_relationship",
        "Qualifying relationship (parent, subsidiary, branch or affiliate)",
        None if rel is None else rel in rs.value("qualifying_relationships"),
        met=f"The Canadian and foreign enterprises are related as {rel}.",
        unmet="Supplier/client, contract, licensing, franchise and similar ties do not qualify.",
        unknown="The relationship between the Canadian and foreign enterprises is not recorded.",
        facts=[rs.fact("qualifying_relationships")],
        rules=rs,
    )
    # Multinational
    n = case.mnc_other_countries
    if group == "new_office":
        need = rs.value("new_office_min_countries")
        b.check(
            "mnc",
            f"Enterprise already operates in >= {need} countries before establishing in Canada",
            None if n is None else 1 + n >= need,
            met=f"Home country plus {n} other country(ies).",
            unmet="A first foreign office cannot be what makes the company multinational.",
            unknown="The countries where the enterprise operates (outside Canada) are not recorded.",
            facts=[rs.fact("new_office_min_countries")],
            rules=rs,
        )
    else:
        need = rs.value("mnc_min_other_countries")
        active = case.attest("ict.canadian_enterprise_active")
        ok = True if (n is not None and n >= need) or active else (None if n is None else False)
        b.check(
            "mnc",
            "Multinational: operations in >= 1 country other than the home country",
            ok,
            met="The enterprise operates outside its home country.",
            unmet="The enterprise has no revenue-generating operations outside its home country.",
            unknown="The enterprise's countries of operation are not recorded.",
            facts=[rs.fact("mnc_min_other_countries")],
            rules=rs,
        )
    _employment_criteria(b, rs, client, case, case.initial_application_date or app)


def assess_ict(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    """General ICT (R205(a)): one assessment per code that fits the case's position (C62 and C63 if unset)."""
    return [_assess("general", g, client, case, as_of) for g in _streams("general", case.position)]


def assess_cusma_ict(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    """CUSMA ICT (R204(a)): T37 executive/manager, T38 specialized knowledge."""
    return [_assess("cusma", g, client, case, as_of) for g in _streams("cusma", case.position)]
