"""Read models of the questionnaire for the API and the pages (scoped by the caller's firm and role)."""

from __future__ import annotations

from typing import Any

from firm import selectors as firm_selectors
from firm.models import Client
from firm.scoping import Actor
from questionnaire.changes import conflicts, current_conflict, is_conflict
from questionnaire.models import ChangeStatus, ProposedChange, Questionnaire
from questionnaire.preview import preview_score
from questionnaire.sections import SECTION_BY_KEY, SECTIONS, TABLES
from questionnaire.services import (
    questionnaire_current,
    questionnaire_last_reviewed,
    questionnaire_open,
    typed_draft,
)


def client_for(actor: Actor, client_id: int) -> Client:
    """A client the actor may see (404 otherwise: `firm.selectors.client_get` is scoped)."""
    return firm_selectors.client_get(actor=actor, client_id=client_id)


def change_repr(change: ProposedChange, *, check: bool = True) -> dict[str, Any]:
    return {
        "id": change.pk,
        "section": change.section,
        "section_label": str(SECTION_BY_KEY[change.section].title),
        "table": change.table,
        "field": change.field,
        "target_id": change.target_id,
        "op": change.op,
        "stored": change.before,
        "proposed": change.after,
        "seen_by_client": change.seen,
        "conflict": (is_conflict(change) or current_conflict(change))
        if check and change.status == ChangeStatus.PENDING
        else False,
        "status": change.status,
        "reason": change.reason,
        "decided_at": change.decided_at.isoformat() if change.decided_at else None,
    }


def progress(q: Questionnaire) -> dict[str, int]:
    return {"saved": len([k for k in q.sections_saved if k in SECTION_BY_KEY]), "total": len(SECTIONS)}


def client_view(client: Client) -> dict[str, Any]:
    """The client's questionnaire as they see it: the draft, progress, live score, questions, conflicts and
    the outcome of the last review."""
    q = questionnaire_open(client=client)
    last = q if q.status == "reviewed" else questionnaire_last_reviewed(client)
    decided = list(last.changes.exclude(status=ChangeStatus.PENDING)) if last else []
    decided += list(q.changes.exclude(status=ChangeStatus.PENDING)) if last is None or last.pk != q.pk else []
    return {
        "id": q.pk,
        "status": q.status,
        "version": q.version,
        "editable": q.editable,
        "sections": {k: v for k, v in q.data.items() if k in SECTION_BY_KEY},
        "sections_saved": [k for k in q.sections_saved if k in SECTION_BY_KEY],
        "progress": progress(q),
        "questions": q.questions,
        "conflicts": [
            {
                "section": c["section"],
                "table": c["table"],
                "field": c["field"],
                "now": c["before"],
                "seen": c["seen"],
            }
            for c in (conflicts(client, q.base) if q.editable else [])
        ],
        "score": preview_score(client, typed_draft(q)),
        "proofs": q.data.get("_proofs", []),
        "outcome": [change_repr(c, check=False) for c in decided],
    }


def staff_view(client: Client) -> dict[str, Any]:
    q = questionnaire_current(client) or questionnaire_last_reviewed(client)
    if q is None:
        return {
            "id": None,
            "status": "none",
            "pending": [],
            "decided": [],
            "questions": [],
            "submitted_at": None,
        }
    changes = list(q.changes.select_related("client").order_by("pk"))
    return {
        "id": q.pk,
        "status": q.status,
        "submitted_at": q.submitted_at.isoformat() if q.submitted_at else None,
        "requested_at": q.requested_at.isoformat() if q.requested_at else None,
        "progress": progress(q),
        "pending": [change_repr(c) for c in changes if c.status == ChangeStatus.PENDING],
        "decided": [change_repr(c, check=False) for c in changes if c.status != ChangeStatus.PENDING],
        "questions": q.questions,
        "proofs": q.data.get("_proofs", []),
    }


def table_section(table: str) -> str:
    return TABLES[table][0].key
