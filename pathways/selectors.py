"""Reads for pathway assessments, always scoped to the asking actor (`restrict(actor)`).

For the dashboard and the portal:

- `case_assessments(actor=..., case_id=..., history=False)`: a case's current assessments (or all rows).
- `client_assessments(actor=..., client_id=...)`: a client's current assessments over all their cases.
- `pathways_fit(actor, client, as_of=None)`: which pathways fit a client, ranked (eligible first, then
  fewest unmet criteria, then fewest unknown ones). Computed on demand, never stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cases.constants import OPEN_STATUSES
from cases.models import Case
from firm.errors import NotFoundError
from firm.models import Client
from firm.scoping import SYSTEM, Actor
from pathways.assessing import assessors_for_case, client_inputs, run_assessors
from pathways.case_facts import CaseFactsError, case_facts_parse, client_with_supplement
from pathways.models import PathwayAssessment
from pathways.rules.registry import ASSESSORS, rank_key
from pathways.rules.types import Assessment, CaseFacts, ClientFacts
from scoring.selectors.draws import draw_list

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------- assessments


def assessment_list(*, actor: Actor, current_only: bool = False) -> QuerySet[PathwayAssessment]:
    qs = PathwayAssessment.objects.restrict(actor).select_related("case", "client")
    return qs.filter(is_current=True) if current_only else qs


def assessment_get(*, actor: Actor, assessment_id: int) -> PathwayAssessment:
    row = assessment_list(actor=actor).filter(pk=assessment_id).first()
    if row is None:
        raise NotFoundError()
    return row


def case_assessments(*, actor: Actor, case_id: int, history: bool = False) -> QuerySet[PathwayAssessment]:
    """A case's current assessments, best first (with `history`, every row, newest first per stream)."""
    qs = assessment_list(actor=actor, current_only=not history).filter(case_id=case_id)
    if history:
        return qs.order_by("pathway", "stream", "-created_at", "-pk")
    return qs.order_by("outcome", "unmet_count", "unknown_count", "pathway", "stream")


def client_assessments(*, actor: Actor, client_id: int) -> QuerySet[PathwayAssessment]:
    """A client's current assessments over all their cases (dashboard and portal)."""
    return (
        assessment_list(actor=actor, current_only=True)
        .filter(client_id=client_id)
        .order_by("case_id", "outcome", "unmet_count", "unknown_count", "pathway", "stream")
    )


# ---------------------------------------------------------------- CRS score and draws (scoring app)


def _draw_categories(stream: str, client: ClientFacts) -> list[str]:
    if stream.startswith("category:"):
        return [stream.split(":", 1)[1]]
    cats = ["general", "no_program"]
    if stream in ("fsw", "cec", "fst"):
        cats.insert(0, stream)
    if client.nomination is not None:
        cats.append("pnp")
    return cats


def recent_cutoffs(*, categories: list[str], n: int = 3) -> list[dict[str, Any]]:
    """The last `n` Express Entry draws of these categories, newest first (public data)."""
    rows = draw_list(SYSTEM, category=categories).values(
        "draw_number", "draw_date", "category", "min_crs", "invitations"
    )[:n]
    return [{**r, "draw_date": r["draw_date"].isoformat() if r["draw_date"] else None} for r in rows]


def express_entry_context(a: Assessment, client: ClientFacts) -> dict[str, Any]:
    """For an Express Entry assessment: the client's current CRS score and the latest relevant cut-offs.

    Information only: the outcome is program / category eligibility; a score is ranked in the pool.
    """
    score = client.ee_crs_score
    cutoffs = recent_cutoffs(categories=_draw_categories(a.stream, client))
    latest = next((c["min_crs"] for c in cutoffs if c.get("min_crs") is not None), None)
    return {
        "crs_score": score,
        "cutoffs": cutoffs,
        "clears_latest_cutoff": None if score is None or latest is None else score >= latest,
    }


# ------------------------------------------------------------------------------------- pathway fit


@dataclass(frozen=True)
class FitResult:
    """One ranked stream: the pure assessment and whose case facts it was made with (None: no case)."""

    assessment: Assessment
    case_id: int | None


@dataclass(frozen=True)
class PathwayFit:
    client_id: int
    as_of: date
    results: list[FitResult]
    crs_score: int | None = None
    case_errors: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def eligible(self) -> list[FitResult]:
        return [r for r in self.results if r.assessment.outcome == "eligible"]

    def top(self, n: int = 3) -> list[FitResult]:
        return self.results[:n]


def pathways_fit(actor: Actor, client: Client | int, as_of: date | None = None) -> PathwayFit:
    """Run every assessor for a client and rank the results (not stored).

    For an assessor that judges one of the client's open cases, the facts of that case are used (the
    most recently opened one). For the others, each stream is assessed with empty case facts and with
    the facts of each open case, and the best-ranked result is kept (an ICT case's employer facts also
    inform CUSMA ICT). A case whose facts JSON is invalid is left out and reported in `case_errors`.
    """
    client_id = client if isinstance(client, int) else client.pk
    row = Client.objects.restrict(actor).filter(pk=client_id).first()
    if row is None:
        raise NotFoundError()
    as_of = as_of or timezone.localdate()
    base = client_inputs(row.pk, as_of=as_of)
    contexts: list[tuple[int | None, ClientFacts, CaseFacts, tuple[str, ...]]] = [
        (None, base, CaseFacts(), ())
    ]
    errors: dict[int, dict[str, str]] = {}
    cases = Case.objects.filter(client=row, status__in=OPEN_STATUSES).order_by("-opened_at", "-pk")
    owned: dict[str, int] = {}  # assessor -> case judged by it (most recent)
    for case in cases:
        try:
            case_f, supplement = case_facts_parse(case.facts)
        except CaseFactsError as exc:
            errors[case.pk] = exc.errors
            continue
        names = assessors_for_case(case.pathway, case_f)
        for name in names:
            owned.setdefault(name, case.pk)
        contexts.append((case.pk, client_with_supplement(base, supplement), case_f, names))
    best: dict[tuple[str, str], tuple[Any, FitResult]] = {}
    for case_id, client_f, case_f, _names in contexts:
        for name in ASSESSORS:
            if name in owned and owned[name] != case_id:
                continue
            for a in run_assessors(client_f, case_f, as_of, (name,)):
                key = (a.pathway, a.stream)
                candidate = (rank_key(a), FitResult(assessment=a, case_id=case_id))
                if key not in best or candidate[0] < best[key][0]:
                    best[key] = candidate
    ranked = sorted(best.values(), key=lambda kv: kv[0])
    return PathwayFit(
        client_id=row.pk,
        as_of=as_of,
        results=[fit for _, fit in ranked],
        crs_score=base.ee_crs_score,
        case_errors=errors,
    )
