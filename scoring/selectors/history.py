"""Reads for a client's outlook beyond the current score: the 2026 proposed-rules comparison and the past
rounds they would have cleared (scoped to the actor's firm; another firm's client is not found)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from firm.facts import load_snapshot, missing_facts, person_facts
from firm.models import Client, Firm
from firm.scoping import Actor
from scoring.crs.proposed import compare
from scoring.services.history import PastRound, client_past_rounds


def proposed_comparison_enabled(firm_id: int | None) -> bool:
    return bool(firm_id and Firm.objects.filter(pk=firm_id, compare_proposed_crs=True).exists())


def score_proposed_comparison(
    actor: Actor, client: Client, *, as_of: date | None = None
) -> dict[str, Any] | None:
    """Current vs 2026-proposed CRS for one of the actor's clients (None when facts are missing).

    Callers check ``proposed_comparison_enabled`` first: the comparison is shown only to firms that
    switched it on, and it is never stored or used for flagging.
    """
    client = Client.objects.restrict(actor).get(pk=client.pk)
    day = as_of or timezone.localdate()
    stored = load_snapshot(client.pk)
    if stored is None or missing_facts(stored, day):
        return None
    facts = person_facts(stored, day)
    return compare(facts, day) if facts is not None else None


def client_rounds_cleared(
    actor: Actor, client: Client, *, since: date | None = None, until: date | None = None
) -> list[PastRound]:
    """Past rounds the actor's client would have cleared with the score as of each round's date."""
    client = Client.objects.restrict(actor).get(pk=client.pk)
    return client_past_rounds(client.pk, since=since, until=until)
