"""Score pages: the client's CRS score in the portal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from firm.web.common import portal_page
from firm.web.labels import breakdown_sections
from firm.web.portal import portal_client
from scoring.selectors import scores as score_selectors
from scoring.selectors.next_change import next_change_for_score


@portal_page
def portal_score(request: HttpRequest) -> HttpResponse:
    actor, client = portal_client(request)
    score = score_selectors.score_current(actor, client)
    return render(
        request,
        "portal/score.html",
        {
            "client": client,
            "score": score,
            "sections": breakdown_sections(score),
            "next_change": next_change_for_score(actor, score),
            "missing": [] if score else score_selectors.score_missing_facts(actor, client),
            "improvements": score_selectors.whatif_for_score(score)[:8] if score else [],
        },
    )
