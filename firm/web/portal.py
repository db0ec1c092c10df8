"""The client portal's shell: the client's home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.constants import INTERNAL_DEADLINE_KINDS, NEXT_STEP, DocumentStatus
from firm import selectors as firm_selectors
from firm.web.common import get_actor
from scoring.selectors import scores as score_selectors


def portal_client(request: HttpRequest):
    actor = get_actor(request)
    return actor, firm_selectors.client_get(actor=actor, client_id=actor.client_id)


def portal_home(request: HttpRequest) -> HttpResponse:
    """Rendered by `home` for clients (the decorator there already checked the login)."""
    actor, client = portal_client(request)
    cases = list(case_selectors.case_list(actor=actor).order_by("-opened_at"))
    documents = list(case_selectors.document_list(actor=actor))
    todo = [
        d
        for d in documents
        if d.status in (DocumentStatus.REQUESTED, DocumentStatus.REJECTED, DocumentStatus.EXPIRED)
    ]
    score = score_selectors.score_current(actor, client)
    return render(
        request,
        "portal/home.html",
        {
            "client": client,
            "cases": [(c, NEXT_STEP.get(c.status, "")) for c in cases],
            "todo": todo,
            "deadlines": case_selectors.deadline_list(actor=actor)
            .filter(done=False)
            .exclude(kind__in=INTERNAL_DEADLINE_KINDS)
            .order_by("due_on")[:10],
            "score": score,
            "today": timezone.localdate(),
        },
    )
