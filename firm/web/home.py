"""The home page: the staff dashboard (caseload, deadlines, documents, scores against draws), or the portal home for a client."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from cases.web.forms import (
    CaseloadFilter,
)
from cases.web.lifecycle import my_tasks
from firm import selectors as firm_selectors
from firm.web import charts
from firm.web.common import get_actor, member_page
from firm.web.portal import portal_home
from scoring.selectors import draws as draw_selectors
from scoring.selectors import scores as score_selectors


def local_today():
    return timezone.localdate()


# --- Home ---------------------------------------------------------------------------------------------


def _lawyer_choices(actor) -> list[tuple[str, str]]:
    return [(str(m.user_id), str(m.user)) for m in firm_selectors.lawyers_of_firm(actor=actor)]


def draw_cutoffs(draws: list[Any]) -> list[charts.Cutoff]:
    out = []
    for d in draws:
        if getattr(d, "min_crs", None) is None:
            continue
        out.append(charts.Cutoff(label=f"#{d.draw_number}", value=int(d.min_crs), on=d.draw_date))
    return out


def staff_home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    today = local_today()
    params = request.GET.copy()
    if not params and actor.role in ("lawyer",):
        params["lawyer"] = "mine"
    caseload = case_selectors.caseload(actor=actor)
    filterset = CaseloadFilter(
        params, queryset=caseload, request=request, lawyer_choices=_lawyer_choices(actor)
    )
    cases = (
        filterset.qs.order_by("client__last_name", "-opened_at") if filterset.is_valid() else caseload.none()
    )
    page = Paginator(cases, 25).get_page(request.GET.get("page"))

    deadlines = list(
        case_selectors.deadlines_upcoming(actor=actor, today=today)
        .filter(case__in=cases)
        .order_by("due_on")[:20]
    )
    documents = list(
        case_selectors.documents_needing_attention(actor=actor, today=today)
        .filter(case__in=cases)
        .order_by("status", "expires_on", "pk")[:20]
    )
    client_ids = list(cases.values_list("client_id", flat=True).distinct()[:500])
    scores = list(score_selectors.scores_for_firm(actor).filter(client_id__in=client_ids)[:15])
    draws = list(draw_selectors.draw_list(actor)[:4])
    latest = draws[0] if draws else None
    matches = list(draw_selectors.draw_matches_for_draw(actor, latest)) if latest else []
    chart = charts.scores_vs_cutoffs(
        [
            charts.Bar(
                label=s.client.full_name, value=s.total, href=reverse("client-detail", args=[s.client_id])
            )
            for s in scores
        ],
        draw_cutoffs(draws),
        title=_("My clients' CRS scores against recent draw cut-offs"),
        empty_message=_("No scores yet"),
    )
    return render(
        request,
        "staff/home.html",
        {
            "filter": filterset,
            "page": page,
            "overdue": [d for d in deadlines if d.due_on < today],
            "upcoming": [d for d in deadlines if d.due_on >= today],
            "documents": documents,
            "latest_draw": latest,
            "matches": matches,
            "stuck": list(draw_selectors.notifications_stuck(actor)[:20]),
            "chart": chart,
            "today": today,
            "my_tasks": my_tasks(actor),
        },
    )


@member_page
def home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if actor.is_client:
        return portal_home(request)
    return staff_home(request)
