"""The live score: the CRS the draft's answers would give, by the same engine through the same adapter.

The draft becomes an unsaved `Client` with its fact rows (`stored.draft_client`); the one facts adapter
(`firm.facts.snapshot_of`) maps it as it maps a stored client, and `scoring.services.scores.evaluate` scores it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from firm.facts import missing_facts, snapshot_of
from firm.models import Client
from questionnaire.stored import draft_client
from scoring.services.scores import evaluate


def preview_score(
    client: Client, typed: dict[str, dict[str, Any]], *, as_of: date | None = None
) -> dict[str, Any]:
    """{"total", "sections", "breakdown", "rule_set", "missing"}; total None when facts are missing."""
    day = as_of or timezone.localdate()
    facts = snapshot_of(draft_client(client, typed))
    missing = missing_facts(facts, day)
    result = None if missing else evaluate(facts, day, with_eligibility=False)
    if result is None:
        return {"total": None, "sections": {}, "breakdown": {}, "rule_set": "", "missing": list(missing)}
    r = result.result
    return {
        "total": r.total,
        "sections": dict(r.sections),
        "breakdown": dict(r.breakdown),
        "rule_set": r.rule_set,
        "missing": [],
    }
