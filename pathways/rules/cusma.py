"""CUSMA Professionals, R204(a), code T36 (formerly T23).

Attestation keys: ``cusma.credential_met`` (for professions whose credential cannot be checked from the
record), ``cusma.provincial_licence`` (regulated professions).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pathways.rules._builder import Builder
from pathways.rules.common import citizenship_check, is_paid_employee, offer_of
from pathways.rules.data import RuleSet
from pathways.rules.types import (
    Assessment,
    CaseFacts,
    ClientFacts,
    CriterionStatus,
    Verification,
    WorkPeriod,
    education_rank,
)
from pathways.rules.work import total_months

PATHWAY = "cusma_professional"


def find_profession(rs: RuleSet, name: str) -> dict[str, Any] | None:
    key = name.strip().casefold()
    for p in rs.value("professions"):
        if key in (p["slug"], p["name"].casefold(), p["name"].split(" (")[0].casefold()):
            return dict(p)
    return None


def _noc_matches(noc: str | None, hints: list[str]) -> bool:
    if not noc:
        return False
    for h in hints:
        if "-" in h:
            lo, hi = h.split("-")
            if lo <= noc <= hi:
                return True
        elif noc == h:
            return True
    return False


def _credential(b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, prof: dict[str, Any]) -> None:
    rule, text = prof["credential_rule"], prof["credential_text"]
    status: Verification = prof["status"]
    label = f"Credential for {prof['name']}: {text}"
    src = prof["source"]
    best = client.highest_education()
    rank = education_rank(best.level) if best else -1
    has_bachelor = rank >= education_rank("bachelor")
    has_diploma = rank >= education_rank("certificate")
    attested = case.attest("cusma.credential_met")

    def add(st: CriterionStatus, reason: str) -> None:
        b.add("credential", label, st, reason, source=src, verification=status, rules=rs)

    if rule in ("unknown", "listed_licence_or_degree", "attestation"):
        if attested is not None:
            add("met" if attested else "unmet", "Confirmed on the case (attestation 'cusma.credential_met').")
        else:
            add(
                "unknown",
                f"The exact credential line for {prof['name']} cannot be checked from the record"
                " (attestation 'cusma.credential_met').",
            )
        return
    if has_bachelor:
        add(
            "met",
            f"Holds a {best.level} ({best.field or 'field not recorded'})." if best else "Holds a degree.",
        )
        return
    if rule == "bachelor_or_licence":
        lic = [
            x
            for x in client.licences
            if prof["name"].split(" (")[0].casefold() in (x.profession + " " + x.name).casefold()
        ]
        if lic:
            add("met", f"Holds the licence {lic[0].name} ({lic[0].jurisdiction}).")
        elif best is None and not client.licences:
            add("unknown", "No education or licence is recorded.")
        else:
            add("unmet", "No baccalaureate/licenciatura and no state/provincial licence for the profession.")
        return
    if rule in ("bachelor_or_diploma_plus_experience", "bachelor_or_experience"):
        need_years = prof.get("experience_years", 3)
        hints = prof["noc_hints"]

        def relevant(p: WorkPeriod) -> bool:
            return is_paid_employee(p) and _noc_matches(p.noc, hints)

        months = total_months(client.work, date.min, b.as_of, relevant)
        unclassified = any(p.noc is None for p in client.work)
        needs_diploma = rule == "bachelor_or_diploma_plus_experience"
        if best is None and needs_diploma:
            add("unknown", "No education is recorded.")
        elif needs_diploma and not has_diploma:
            add(
                "unmet",
                f"Highest education is {best.level if best else 'none'}; a post-secondary diploma or "
                "certificate is the minimum alternative to a degree.",
            )
        elif months >= need_years * 12:
            prefix = f"{best.level.capitalize()} and " if best and needs_diploma else ""
            add("met", f"{prefix}{months / 12:.1f} years of experience in related NOCs ({', '.join(hints)}).")
        elif unclassified or not client.work:
            add("unknown", f"{months / 12:.1f} years found in related NOCs; some work has no NOC recorded.")
        else:
            add(
                "unmet",
                f"Only {months / 12:.1f} years of experience in related NOCs; {need_years} needed "
                "(experience cannot replace a degree unless the profession's line says so).",
            )
        return
    # plain "bachelor"
    if best is None:
        add("unknown", "No education is recorded.")
    else:
        add("unmet", f"Highest education is {best.level}; a baccalaureate or licenciatura is required.")


def assess_cusma_professional(client: ClientFacts, case: CaseFacts, *, as_of: date) -> list[Assessment]:
    b = Builder(PATHWAY, "", as_of)
    rs = b.rules("cusma_professionals")
    if rs is None:
        b.missing_rules("cusma_rules", "CUSMA professional rules in force", "cusma_professionals")
        return [b.build()]
    b.stream = rs.value("codes")["professional"]
    citizenship_check(b, client, allowed=rs.value("citizenships"), rs=rs, fact="citizenships")
    list_fact = rs.fact("professions")
    label = "Profession on the CUSMA Appendix 2 list"
    prof = find_profession(rs, case.cusma_profession) if case.cusma_profession else None
    if case.cusma_profession is None:
        b.add(
            "profession",
            label,
            "unknown",
            "The CUSMA profession is not recorded.",
            facts=[list_fact],
            rules=rs,
        )
    elif prof is None:
        b.add(
            "profession",
            label,
            "unmet",
            f"{case.cusma_profession!r} is not a named profession; software developer, software engineer and "
            "product manager roles are usually filed as Computer Systems Analyst or Engineer.",
            facts=[list_fact],
            rules=rs,
        )
    else:
        b.add(
            "profession",
            label,
            "met",
            f"{prof['name']} is on the list.",
            source=prof["source"],
            verification=prof["status"],
            rules=rs,
        )
        _credential(b, rs, client, case, prof)
        if prof.get("note"):
            b.notice(f"{prof['name']}: {prof['note']}")
    _credential_and_employment_criteria(b, case, client, list_fact, prof, rs)
    cl = b.rules("checklists")
    b.checklist_from(cl, "cusma_professional")
    fees = b.rules("fees")
    b.fee(
        fees,
        "employer_compliance",
        kind="employer_compliance",
        label="Employer compliance fee",
        payer="employer",
    )
    b.fee(fees, "work_permit", kind="work_permit", label="Work permit processing fee", payer="worker")
    b.fee(
        fees, "biometrics_per_person", kind="biometrics", label="Biometrics (where required)", payer="worker"
    )
    b.notice(
        "No LMIA, labour-market test or wage floor applies; professions regulated in the province still "
        "need a provincial licence to practise."
    )
    b.notice(
        f"Permits are typically up to {rs.value('typical_max_years')} years, renewable, with no cumulative cap."
    )
    if "MX" in {c.upper() for c in client.citizenships}:
        b.notice(rs.value("mexico_entry_document_note") + " [unverified].")
    if "US" in {c.upper() for c in client.citizenships}:
        b.notice("Visa-exempt US citizens can apply at a port of entry.")
    return [b.build()]


def _credential_and_employment_criteria(
    b: Builder, case: CaseFacts, client: ClientFacts, list_fact: Any, prof: Any, rs: RuleSet
) -> None:
    """Part of ``assess_cusma_professional``: the criteria named in its body, in the original order."""
    if prof is None:
        b.add(
            "credential",
            "Credential for the profession",
            "unknown",
            "No listed profession to check against.",
            facts=[list_fact],
            rules=rs,
        )
    offer = offer_of(client, case)
    b.check(
        "pre_arranged_employment",
        "Pre-arranged employment with a Canadian enterprise",
        None if offer is None or not offer.employer else True,
        met=f"Offer from {offer.employer if offer else ''}.",
        unmet="",
        unknown="No job offer or contract with a Canadian enterprise is recorded.",
        facts=[rs.fact("pre_arranged_employment_required")],
        rules=rs,
    )
    b.check(
        "not_self_employed",
        "Not self-employment in Canada",
        None if offer is None else offer.self_employment is not True,
        met="The offer is employment or a contract with a Canadian enterprise.",
        unmet="Self-employment in Canada is not allowed.",
        unknown="No job offer is recorded.",
        facts=[rs.fact("self_employment_allowed")],
        rules=rs,
    )
