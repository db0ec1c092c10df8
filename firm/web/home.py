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
from scoring.selectors import dashboard as dashboard_selectors
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


CHART_TOP_N = 15


def _score_charts(actor, cases, draws) -> tuple[Any, Any, int, int]:
    """The top clients by score (green when they clear a recent round they are eligible for) and, past
    CHART_TOP_N clients, the distribution of all of them: never one bar per client of a large firm."""
    scores = score_selectors.scores_for_firm(actor).filter(client_id__in=cases.values("client_id"))
    total = scores.count()
    top = list(scores[:CHART_TOP_N])
    clearing = dashboard_selectors.clients_clearing(actor, draws, [s.client_id for s in top])
    cutoffs = draw_cutoffs(draws)
    chart = charts.scores_vs_cutoffs(
        [
            charts.Bar(
                label=s.client.full_name,
                value=s.total,
                href=reverse("client-detail", args=[s.client_id]),
                clears=tuple(f"#{d.draw_number}" for d in clearing.get(s.client_id, [])),
            )
            for s in top
        ],
        cutoffs,
        title=_("My clients' CRS scores against recent draw cut-offs"),
        empty_message=_("No scores yet"),
    )
    distribution = None
    if total > CHART_TOP_N:
        distribution = charts.score_distribution(
            dashboard_selectors.score_bands(scores, band=10),
            cutoffs,
            title=_("All %(n)d clients by CRS score (10-point bands)") % {"n": total},
        )
    return chart, distribution, len(top), total


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
    draws = list(draw_selectors.draw_list(actor)[:4])
    latest = draws[0] if draws else None
    matches = list(draw_selectors.draw_matches_for_draw(actor, latest)) if latest else []
    chart, distribution, shown, total = _score_charts(actor, cases, draws)
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
            "distribution": distribution,
            "chart_shown": shown,
            "chart_total": total,
            "feed": dashboard_selectors.feed_status(),
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
