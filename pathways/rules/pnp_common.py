"""Helpers shared by the provincial nominee assessors (pure)."""

from __future__ import annotations

from datetime import date

from pathways.rules._builder import Builder
from pathways.rules.common import (
    offer_teer,
)
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.types import (
    CaseFacts,
    ClientFacts,
    JobOffer,
    PnpFacts,
)


def pnp_facts(case: CaseFacts) -> PnpFacts:
    return case.pnp or PnpFacts()


def offer_province_check(b: Builder, offer: JobOffer | None, province: str, rs: RuleSet, fact: str) -> None:
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


def teer_check(b: Builder, offer: JobOffer | None, rs: RuleSet, fact: str) -> None:
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


def ee_profile_active(client: ClientFacts, pnp: PnpFacts, as_of: date) -> bool | None:
    if pnp.ee_profile_active is not None:
        return pnp.ee_profile_active
    if client.ee_profile_submitted_on is None:
        return None
    return add_offset(client.ee_profile_submitted_on, months=12) > as_of
