"""Start-Up Visa (start-up business class, IRPR s.98.01-98.15), including the 2025-12 closure.

Attestation key: ``suv.qualifying_business`` (management from Canada, essential operations in Canada,
incorporated in Canada; may be satisfied by intent after PR).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pathways.rules._builder import Builder
from pathways.rules.common import application_day, clb_check, language_valid_check
from pathways.rules.data import Fact, RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.types import Assessment, CaseFacts, ClientFacts

PATHWAY = "suv"
STREAM = "start_up_business_class"


def closure_notice(closure: dict[str, object]) -> str:
    return (
        f"The Start-Up Visa closed to new applicants after {closure['last_day_new_pr_applications']}: IRCC "
        f"announced on {closure['announced_on']} that no new permanent-residence applications are accepted after "
        f"{closure['last_day_new_pr_applications']} 23:59, except from holders of a valid commitment certificate "
        f"issued in {closure['transition_certificate_year']}, who must apply by {closure['transition_apply_by']}. "
        f"The SUV work permit is closed to new applicants from {closure['work_permit_closed_from']} (only in-Canada "
        "extensions). Source: secondary reports; the official notice was not in the reference."
    )


def _closure(b: Builder, rs: RuleSet, case: CaseFacts, app: date) -> None:
    fact = rs.fact("closure")
    label = "Start-Up Visa open to this application"
    closure = rs.value("closure")
    if closure is None:
        b.add("program_open", label, "met", f"No closure is in force on {b.as_of}.", facts=[fact], rules=rs)
        return
    b.notice(closure_notice(closure))
    last = date.fromisoformat(closure["last_day_new_pr_applications"])
    apply_by = date.fromisoformat(closure["transition_apply_by"])
    year = closure["transition_certificate_year"]
    issued = case.suv.issued_on if case.suv else None
    if app <= last:
        b.add(
            "program_open",
            label,
            "met",
            f"Application made {app}, on or before {last}.",
            facts=[fact],
            rules=rs,
        )
    elif app > apply_by:
        b.add(
            "program_open",
            label,
            "unmet",
            f"Application on {app} is after {last} and after the {apply_by} transition deadline: the program is "
            "closed to it.",
            facts=[fact],
            rules=rs,
        )
    elif issued is None:
        b.add(
            "program_open",
            label,
            "unknown",
            f"Application on {app} is after {last}; it is accepted only with a commitment certificate issued in "
            f"{year}, and the certificate date is not recorded.",
            facts=[fact],
            rules=rs,
        )
    elif issued.year == year:
        b.add(
            "program_open",
            label,
            "met",
            f"Certificate issued {issued} (in {year}) and application by {apply_by}: transition rule applies.",
            facts=[fact],
            rules=rs,
        )
    else:
        b.add(
            "program_open",
            label,
            "unmet",
            f"Application on {app} is after {last} and the certificate was issued {issued}, not in {year}: the "
            "program is closed to new applicants.",
            facts=[fact],
            rules=rs,
        )
    b.key_date(
        "suv_transition_apply_by",
        f"Last day to apply with a {year} commitment certificate",
        apply_by,
        "IRCC announcement 2025-12-19 (secondary reports)",
        fact=fact,
    )


def _funds(b: Builder, rs: RuleSet, client: ClientFacts) -> None:
    rule = rs.fact("settlement_funds_rule")
    inference = rs.fact("settlement_funds_table_dataset")
    table_rs = b.rules(inference.value)
    label = "Settlement funds of at least half the LICO for the family size"
    if table_rs is None:
        b.add(
            "settlement_funds",
            label,
            "unknown",
            f"No proof-of-funds table in the reference is in force on {b.as_of}.",
            facts=[rule, inference],
            rules=rs,
        )
        return
    table = table_rs.value("table")
    n, funds = client.family_size, client.settlement_funds_cad
    if n is None or funds is None:
        b.add(
            "settlement_funds",
            label,
            "unknown",
            "Family size or available funds are not recorded.",
            facts=[rule, inference, table_rs.fact("table")],
            rules=rs,
        )
        return
    need = table[str(n)] if str(n) in table else table["7"] + (n - 7) * table["each_additional"]
    b.check(
        "settlement_funds",
        label,
        funds >= need,
        met=f"${funds:,.0f} available; ${need:,.0f} needed for a family of {n} ({table_rs.version}).",
        unmet=f"${funds:,.0f} available; ${need:,.0f} needed for a family of {n} ({table_rs.version}).",
        unknown="",
        facts=[rule, inference, table_rs.fact("table")],
        rules=rs,
    )


def assess_suv(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder(PATHWAY, STREAM, as_of)
    rs = b.rules("suv")
    if rs is None:
        b.missing_rules("suv_rules", "SUV rules in force", "suv")
        return [b.build()]
    app = application_day(case, as_of)
    _closure(b, rs, case, app)
    suv = case.suv
    # Designated entity commitment
    types = rs.value("designated_entity_types")
    fact = rs.fact("designated_entity_types")
    label = "Commitment from a designated entity (VC fund, angel investor group or business incubator)"
    if suv is None or suv.designated is None:
        b.add(
            "designated_commitment",
            label,
            "unknown",
            "No commitment certificate is recorded.",
            facts=[fact],
            rules=rs,
        )
    else:
        ok = suv.designated and (suv.organization_type in types if suv.organization_type else True)
        b.check(
            "designated_commitment",
            label,
            ok,
            met=f"Commitment from {suv.organization or 'a designated entity'} ({suv.organization_type or 'type not recorded'}).",
            unmet=f"{suv.organization or 'The organization'} is not a designated entity.",
            unknown="",
            facts=[fact],
            rules=rs,
        )
    # Commitment age
    months = rs.value("commitment_max_age_months")
    issued = suv.issued_on if suv else None
    _suv_commitment_criteria(app, b, client, fact, issued, label, months, rs, suv)
    # Ownership
    per, comb = rs.value("min_applicant_voting_pct"), rs.value("min_combined_voting_pct_exclusive")
    a = suv.applicant_voting_pct if suv else None
    c = suv.combined_voting_pct if suv else None
    ok = None if a is None or c is None else (a >= per and c > comb)
    b.check(
        "ownership",
        f"Applicant holds >= {per}% of votes; applicants and entity together > {comb}%",
        ok,
        met=f"Applicant {a}%, combined {c}%.",
        unmet=f"Applicant {a}%, combined {c}%: below the thresholds.",
        unknown="Voting shares are not recorded.",
        facts=[rs.fact("min_applicant_voting_pct"), rs.fact("min_combined_voting_pct_exclusive")],
        rules=rs,
    )
    mx = rs.value("max_applicants_per_business")
    _suv_applicants_and_business(b, case, client, mx, rs, suv)
    # Checklist, dates, fees
    b.checklist_from(b.rules("checklists"), "suv")
    dl = b.rules("deadlines")
    b.deadline(dl, "suv_commitment_age", issued)
    b.deadline(dl, "language_test_expiry", client.first_language.test_date if client.first_language else None)
    fees = b.rules("fees")
    b.fee(
        rs,
        "pr_fee",
        kind="pr_fees",
        label="PR processing + RPRF (economic class; exact SUV amount unverified)",
        payer="applicant",
    )
    b.fee(fees, "biometrics_per_person", kind="biometrics", label="Biometrics", payer="applicant")
    b.notice("No meaningful service standard: processing has been reported at multiple years.")
    return [b.build()]


def _suv_applicants_and_business(
    b: Builder, case: CaseFacts, client: ClientFacts, mx: Any, rs: RuleSet, suv: Any
) -> None:
    """Part of ``assess_suv``: the criteria named in its body, in the original order."""
    n = suv.applicants_count if suv else None
    b.check(
        "applicants_count",
        f"At most {mx} applicants for the business",
        None if n is None else n <= mx,
        met=f"{n} applicant(s).",
        unmet=f"{n} applicants; at most {mx} allowed.",
        unknown="The number of applicants on the commitment is not recorded.",
        facts=[rs.fact("max_applicants_per_business")],
        rules=rs,
    )
    prov = client.intended_province
    b.check(
        "outside_quebec",
        "Intends to reside outside Quebec",
        None if prov is None else prov.upper() != "QC",
        met=f"Intends to live in {prov}.",
        unmet="Intends to live in Quebec.",
        unknown="The intended province is not recorded.",
        facts=[rs.fact("reside_outside_quebec")],
        rules=rs,
    )
    b.attested(
        "qualifying_business",
        "Qualifying business (management and essential operations in Canada, incorporated in Canada)",
        case.attest("suv.qualifying_business"),
        facts=[rs.fact("qualifying_business")],
        rules=rs,
        what="the business qualifies (may be by intent after PR)",
        attestation_key="suv.qualifying_business",
    )


def _suv_commitment_criteria(
    app: date,
    b: Builder,
    client: ClientFacts,
    fact: Fact,
    issued: Any,
    label: Any,
    months: Any,
    rs: RuleSet,
    suv: Any,
) -> None:
    """Part of ``assess_suv``: the criteria named in its body, in the original order."""
    b.check(
        "commitment_age",
        f"Commitment less than {months} months old when the PR application is made",
        None if issued is None else add_offset(issued, months=months) > app,
        met=f"Issued {issued}; application {app}.",
        unmet=f"Issued {issued}: {months}+ months old on {app}.",
        unknown="The commitment certificate date is not recorded.",
        facts=[rs.fact("commitment_max_age_months")],
        rules=rs,
    )
    # Language
    clb_check(b, client, minimum=rs.value("min_clb_all_abilities"), rs=rs, fact="min_clb_all_abilities")
    language_valid_check(
        b,
        client,
        on=app,
        years=rs.value("language_test_max_age_years"),
        rs=rs,
        fact="language_test_max_age_years",
    )
    _funds(b, rs, client)
    # Investment
    mins = rs.value("min_investment_cad")
    fact = rs.fact("min_investment_cad")
    label = "Minimum investment or incubator acceptance"
    if suv is None or suv.organization_type is None:
        b.add(
            "investment",
            label,
            "unknown",
            "The type of designated entity is not recorded.",
            facts=[fact],
            rules=rs,
        )
    elif suv.organization_type == "business_incubator":
        b.check(
            "investment",
            label,
            suv.accepted_into_incubator_program,
            met="Accepted into the incubator's program.",
            unmet="Not accepted into the incubator's program.",
            unknown="Acceptance into the incubator's program is not recorded.",
            facts=[fact],
            rules=rs,
        )
    else:
        need = mins[suv.organization_type]
        inv = suv.investment_cad
        b.check(
            "investment",
            label,
            None if inv is None else inv >= need,
            met=f"${inv:,.0f} committed (minimum ${need:,.0f}).",
            unmet=f"${inv:,.0f} committed; minimum ${need:,.0f} from a {suv.organization_type.replace('_', ' ')}.",
            unknown="The committed investment amount is not recorded.",
            facts=[fact],
            rules=rs,
        )
