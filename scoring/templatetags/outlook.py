"""Template tags that show the stored ITA outlook (staff client page, dashboard, portal).

Thin: they read through scoring.selectors.outlook with the request's actor (scoped), so a page shows
the outlook with one line: ``{% load outlook %}{% client_outlook client %}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from firm.scoping import actor_for_request
from scoring.outlook import HORIZONS
from scoring.selectors import outlook as selectors

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.781 -> "78 %" style text without the locale's percent spacing rules: "78%"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if 0 < number < 0.01:
        return "<1%"
    if 0.99 < number < 1:
        return ">99%"
    return f"{round(number * 100):d}%"


def _horizons(outlook: Any) -> list[dict[str, Any]]:
    labels = selectors.kind_labels()
    out = []
    for i, days in enumerate(HORIZONS):
        out.append(
            {
                "days": days,
                "months": {90: 3, 180: 6, 365: 12}[days],
                "p": getattr(outlook, f"p_{days}"),
                "kinds": sorted(
                    ((labels.get(k, k), v[i]) for k, v in (outlook.by_kind or {}).items()),
                    key=lambda item: -item[1],
                ),
            }
        )
    return out


@register.inclusion_tag("includes/outlook_client.html", takes_context=True)
def client_outlook(context: template.Context, client: Any) -> dict[str, Any]:
    actor = actor_for_request(context["request"])
    outlook = selectors.outlook_for_client(actor, client)
    return {
        "outlook": outlook,
        "horizons": _horizons(outlook) if outlook else [],
        "whatif": selectors.whatif_outlooks(actor, client)[:8] if outlook else [],
        "request": context.get("request"),
    }


@register.inclusion_tag("includes/outlook_portal.html", takes_context=True)
def my_outlook(context: template.Context) -> dict[str, Any]:
    actor = actor_for_request(context["request"])
    outlook = selectors.outlook_for_client(actor, actor.client_id or 0) if actor.client_id else None
    return {"outlook": outlook, "horizons": _horizons(outlook) if outlook else []}


@register.inclusion_tag("includes/outlook_top.html", takes_context=True)
def outlook_top(context: template.Context, limit: int = 10) -> dict[str, Any]:
    actor = actor_for_request(context["request"])
    return {"rows": selectors.outlooks_top(actor, limit=limit)}
