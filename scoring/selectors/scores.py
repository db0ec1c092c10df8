"""Reads of stored CRS scores and eligibility, always scoped to the requesting actor (``restrict``).

For the REST API (``scoring.api.crs``), the staff dashboard and the client portal. ``client`` may be a
``Client`` or its id; a client the actor may not see reads as "nothing" (None, an empty queryset or an
empty summary), never as another firm's data. A client actor sees only their own.

* ``score_current(actor, client)`` -> the current ``CRSScore`` (total, sections, ``breakdown``, ``profile``
  = the calculator input it was computed from, ``rule_set``, ``as_of``, ``next_change_on``) or None.
* ``score_history(actor, client)`` -> all score rows, newest first (a new row only when something changed).
* ``score_whatif(actor, client)`` -> the single improvements that would raise the current score, best
  first: ``[{"key", "label" ("CLB 9 in writing"), "new_total", "delta"}]``.
* ``whatif_for_score(score)`` -> the same for a score row already read (``score_whatif`` without the read).
* ``eligibility_for_client(actor, client)`` -> the stored ``Eligibility`` rows (programs fsw/cec/fst with
  version "", categories per version key "2023-v1"/"2025-v2"/"2026").
* ``eligibility_summary(actor, client)`` -> the same grouped for display: programs, then category versions
  (current version first) with their categories, each with outcome and criteria.
* ``score_missing_facts(actor, client)`` -> what a client without a score still needs.
* ``scores_for_firm(actor)`` -> the current totals of the actor's clients (dashboard chart rows);
  ``score_distribution(actor)`` -> counts per band of 50 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, QuerySet
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from firm.facts import load_snapshots, missing_facts, person_facts
from firm.models import Client
from firm.scoping import Actor
from scoring.crs.categories import VERSIONS_BY_KEY, version_for_date
from scoring.crs.contract import profile_from_payload
from scoring.crs.rulesets import RULE_SETS_BY_ID
from scoring.crs.whatif import improvements
from scoring.models import CRSScore, Eligibility
from scoring.services.scores import eligibility_results

ClientRef = Client | int

__all__ = [
    "eligibility_for_client",
    "eligibility_preview",
    "eligibility_summary",
    "score_current",
    "score_distribution",
    "score_history",
    "score_missing_facts",
    "score_whatif",
    "scores_for_firm",
    "whatif_for_score",
]


def _client_id(client: ClientRef) -> int:
    return client if isinstance(client, int) else client.pk


def score_current(actor: Actor, client: ClientRef) -> CRSScore | None:
    """The client's current score, or None (no score yet, not enough facts, or not the actor's)."""
    return CRSScore.objects.restrict(actor).filter(client_id=_client_id(client), is_current=True).first()


def score_history(actor: Actor, client: ClientRef) -> QuerySet[CRSScore]:
    """Every stored score of the client, newest first (the current one included)."""
    return (
        CRSScore.objects.restrict(actor).filter(client_id=_client_id(client)).order_by("-computed_at", "-pk")
    )


def whatif_for_score(score: CRSScore) -> list[dict[str, Any]]:
    """The improvements that raise a stored score, computed from its stored profile and rule set."""
    profile, errors = profile_from_payload(score.profile)
    rules = RULE_SETS_BY_ID.get(score.rule_set)
    if profile is None or errors or rules is None:  # no input stored, or a rule set no longer shipped
        return []
    items = [i for i in improvements(profile, rules) if i.delta > 0]
    items.sort(key=lambda i: (-i.delta, i.key))
    return [{"key": i.key, "label": i.label, "new_total": i.new_total, "delta": i.delta} for i in items]


def score_whatif(actor: Actor, client: ClientRef) -> list[dict[str, Any]]:
    """What would raise the client's current score, best first ([] without a current score)."""
    score = score_current(actor, client)
    return whatif_for_score(score) if score is not None else []


def eligibility_for_client(actor: Actor, client: ClientRef) -> QuerySet[Eligibility]:
    """The client's stored eligibility rows (programs and category versions)."""
    return (
        Eligibility.objects.restrict(actor)
        .filter(client_id=_client_id(client))
        .order_by("program", "version")
    )


@dataclass(frozen=True)
class EligibilityPreview:
    """An eligibility row computed now (not stored), with the stored row's attributes."""

    program: str
    version: str
    outcome: str
    criteria: list[dict[str, Any]]
    detail: dict[str, Any]
    as_of: date

    def get_outcome_display(self) -> str:
        return str(Eligibility.Outcome(self.outcome).label)


def eligibility_preview(
    actor: Actor, client: ClientRef, *, as_of: date | None = None
) -> list[EligibilityPreview]:
    """For a client without a stored score: the program and category eligibility computed now from the
    one facts snapshot, with the very functions the recompute stores (so a page never shows "not
    assessed" beside an assessment). Draws flag only stored eligibility."""
    client_id = _client_id(client)
    if not Client.objects.restrict(actor).filter(pk=client_id).exists():
        return []
    snapshot = load_snapshots([client_id]).get(client_id)
    as_of = as_of or timezone.localdate()
    facts = person_facts(snapshot, as_of) if snapshot is not None else None
    if facts is None:
        return []
    results = eligibility_results(facts, as_of)
    return [
        EligibilityPreview(program, version, outcome, criteria, detail, as_of)
        for (program, version), (outcome, criteria, detail) in sorted(results.items())
    ]


def _row(e: Eligibility | EligibilityPreview) -> dict[str, Any]:
    return {
        "program": e.program,
        "version": e.version,
        "outcome": e.outcome,
        "criteria": e.criteria,
        "detail": e.detail,
        "as_of": e.as_of,
    }


def eligibility_summary(
    actor: Actor, client: ClientRef, *, today: date | None = None, computed_when_unstored: bool = False
) -> dict[str, Any]:
    """Eligibility grouped for display.

    ``{"programs": [row...], "category_versions": [{"version", "effective_from", "current",
    "categories": [row...]}], "computed": bool}`` where a row is ``{"program", "version", "outcome",
    "criteria", "detail", "as_of"}``; the version in force today comes first.

    The stored rows (what draws flag on). With ``computed_when_unstored`` (the client page), a client
    without stored rows (no score yet: a fact the score needs is missing, or the recompute has not run)
    gets the eligibility computed now from the snapshot (``computed`` is True), so the page never says
    "not assessed" beside a pathway assessment made from the same facts.
    """
    today = today or timezone.localdate()
    rows: list[Eligibility | EligibilityPreview] = list(eligibility_for_client(actor, client))
    computed = False
    if not rows and computed_when_unstored:
        rows = list(eligibility_preview(actor, client, as_of=today))
        computed = bool(rows)
    current = version_for_date(today)
    programs = [_row(e) for e in rows if not e.version]
    by_version: dict[str, list[dict[str, Any]]] = {}
    for e in rows:
        if e.version:
            by_version.setdefault(e.version, []).append(_row(e))
    versions = []
    for key, cats in by_version.items():
        meta = VERSIONS_BY_KEY.get(key)
        versions.append(
            {
                "version": key,
                "effective_from": meta.effective_from if meta else None,
                "current": current is not None and current.key == key,
                "categories": cats,
            }
        )
    versions.sort(key=lambda v: (not v["current"], -(v["effective_from"] or date.min).toordinal()))
    return {"programs": programs, "category_versions": versions, "computed": computed}


def score_missing_facts(actor: Actor, client: ClientRef, *, as_of: date | None = None) -> list[str]:
    """What the client still needs for a score ("date_of_birth", "language_test", "education")."""
    client_id = _client_id(client)
    if not Client.objects.restrict(actor).filter(pk=client_id).exists():
        return []
    stored = load_snapshots([client_id]).get(client_id)
    return missing_facts(stored, as_of or timezone.localdate()) if stored is not None else []


def scores_for_firm(actor: Actor) -> QuerySet[CRSScore]:
    """Current scores of the actor's clients, highest first, with the client joined (for charts/lists).

    Rows are ``CRSScore`` instances; ``select_related("client")`` is applied.
    """
    return (
        CRSScore.objects.restrict(actor)
        .filter(is_current=True)
        .select_related("client")
        .order_by("-total", "client__last_name", "client_id")
    )


def score_distribution(actor: Actor, *, band: int = 50) -> list[dict[str, int]]:
    """Number of the actor's clients per score band: ``[{"band_from": 400, "band_to": 449, "clients": 12}]``."""
    rows = (
        CRSScore.objects.restrict(actor)
        .filter(is_current=True)
        .annotate(bucket=Cast(Floor(F("total") / band), IntegerField()))
        .values("bucket")
        .annotate(clients=Count("pk"))
        .order_by("bucket")
    )
    return [
        {"band_from": r["bucket"] * band, "band_to": r["bucket"] * band + band - 1, "clients": r["clients"]}
        for r in rows
    ]
