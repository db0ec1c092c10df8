"""Registry of pathway assessors and the ranked run over all of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pathways.rules.cusma import assess_cusma_professional
from pathways.rules.express_entry import assess_express_entry
from pathways.rules.gts import assess_gts
from pathways.rules.ict import assess_cusma_ict, assess_ict
from pathways.rules.pnp import assess_aaip, assess_bcpnp, assess_mpnp, assess_oinp, assess_sinp
from pathways.rules.suv import assess_suv
from pathways.rules.types import Assessment, CaseFacts, ClientFacts

Assessor = Callable[..., list[Assessment]]  # (client, case, *, as_of) -> list[Assessment]

ASSESSORS: dict[str, Assessor] = {
    "gts": assess_gts,
    "ict": assess_ict,
    "cusma_ict": assess_cusma_ict,
    "cusma_professional": assess_cusma_professional,
    "suv": assess_suv,
    "oinp": assess_oinp,
    "bcpnp": assess_bcpnp,
    "aaip": assess_aaip,
    "sinp": assess_sinp,
    "mpnp": assess_mpnp,
    "express_entry": assess_express_entry,
}


def rank_key(a: Assessment) -> tuple[int, int, int, str, str]:
    """Eligible first, then fewest unmet criteria, then fewest unknown ones (ties by pathway, stream)."""
    return (0 if a.outcome == "eligible" else 1, len(a.unmet), len(a.unknown), a.pathway, a.stream)


def assess_all(
    client: ClientFacts,
    case: CaseFacts,
    as_of: date,
    *,
    pathways: tuple[str, ...] | None = None,
) -> list[Assessment]:
    """Run every registered assessor (or the named ones) and rank the results."""
    names = pathways if pathways is not None else tuple(ASSESSORS)
    results: list[Assessment] = []
    for name in names:
        results.extend(ASSESSORS[name](client, case, as_of=as_of))
    return sorted(results, key=rank_key)
