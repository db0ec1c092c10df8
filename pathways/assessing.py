"""Running the pure assessors for a case or a client: which assessors judge a case, the inputs from the
one facts snapshot (firm/facts/) and the case's facts JSON, and the run itself. Shared by the services
(stored assessments) and the selectors (pathway fit, computed on demand)."""

from __future__ import annotations

import logging
from datetime import date

from cases.models import Case
from firm.errors import ApplicationError
from firm.facts.pathways import client_facts
from firm.facts.snapshot import load_snapshot
from firm.scoping import SYSTEM
from pathways.case_facts import CaseFactsError, case_facts_parse, client_with_supplement
from pathways.rules.registry import ASSESSORS, assess_all
from pathways.rules.types import Assessment, CaseFacts, ClientFacts
from scoring.selectors.scores import score_current

logger = logging.getLogger(__name__)

# Case.pathway -> the assessors that judge it. A PNP case is judged by its province's assessor when the
# case facts name the province (`pnp.province` or `province`), else by all five.
PNP_BY_PROVINCE: dict[str, str] = {"ON": "oinp", "BC": "bcpnp", "AB": "aaip", "SK": "sinp", "MB": "mpnp"}
CASE_PATHWAY_ASSESSORS: dict[str, tuple[str, ...]] = {
    "express_entry": ("express_entry",),
    "gts": ("gts",),
    "ict": ("ict",),
    "cusma_ict": ("cusma_ict",),
    "cusma_professional": ("cusma_professional",),
    "start_up_visa": ("suv",),
    "pnp": tuple(PNP_BY_PROVINCE.values()),
    "other": (),
}


def assessors_for_case(pathway: str, facts: CaseFacts) -> tuple[str, ...]:
    """The assessor keys (`pathways.rules.registry.ASSESSORS`) that judge a case on `pathway`."""
    if pathway == "pnp":
        province = (facts.pnp.province if facts.pnp else None) or facts.province
        if province and province.upper() in PNP_BY_PROVINCE:
            return (PNP_BY_PROVINCE[province.upper()],)
    names = CASE_PATHWAY_ASSESSORS.get(pathway, ())
    return tuple(n for n in names if n in ASSESSORS)


def crs_total(client_id: int) -> int | None:
    """The client's current stored CRS total (None: no score yet)."""
    row = score_current(SYSTEM, client_id)
    return int(row.total) if row is not None else None


def client_inputs(client_id: int, *, as_of: date) -> ClientFacts:
    """The client's facts for the assessors on `as_of`, from the one snapshot, with their stored score."""
    snapshot = load_snapshot(client_id)
    if snapshot is None:
        raise ApplicationError("No such client.", fields={"client": "No such client."})
    return client_facts(snapshot, as_of=as_of, crs_score=crs_total(client_id))


def case_inputs(case: Case, *, as_of: date) -> tuple[ClientFacts, CaseFacts]:
    """The assessors' inputs for a case. Raises `ApplicationError` naming each bad `facts.*` path."""
    try:
        case_f, supplement = case_facts_parse(case.facts)
    except CaseFactsError as exc:
        raise ApplicationError("The case facts are invalid.", fields=exc.errors) from exc
    client_f = client_inputs(case.client_id, as_of=as_of)
    return client_with_supplement(client_f, supplement), case_f


def run_assessors(
    client: ClientFacts, case: CaseFacts, as_of: date, names: tuple[str, ...]
) -> list[Assessment]:
    """`assess_all` over the named assessors; date arithmetic that overflows (a fact far in the past or
    future) is a 400 naming the facts, not a server error."""
    if not names:
        return []
    try:
        return assess_all(client, case, as_of, pathways=names)
    except (OverflowError, ValueError) as exc:
        logger.exception("assessors failed on %s", names)
        raise ApplicationError(
            "The facts could not be assessed.", fields={"facts": f"A date or amount is out of range ({exc})."}
        ) from exc
