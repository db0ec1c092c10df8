"""How the outbox renders scoring's alert emails: the lawyer's draw digest and the client's draw alert
(registered with `notifications.services.register_renderer` in ScoringConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from notifications.models import Notification
from notifications.services import NothingToSend, register_renderer
from scoring.models import DrawMatch


def _digest_matches(notification: Notification) -> list[DrawMatch]:
    payload = notification.payload
    who = Q(lawyer_id=notification.recipient_user_id)
    if payload.get("include_unassigned"):
        who |= Q(lawyer__isnull=True)
    return list(
        DrawMatch.objects.filter(
            who,
            draw_id=payload["draw_id"],
            flag_run=payload["flag_run"],
            firm_id=notification.firm_id,
            status=DrawMatch.Status.ACTIVE,
        )
        .select_related("client", "lawyer")
        .order_by("-score", "client__last_name", "client__first_name", "pk")
    )


def draw_digest(notification: Notification, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    matches = _digest_matches(notification)
    if not matches:
        raise NothingToSend
    draw = notification.draw or matches[0].draw
    for match in matches:
        match.margin = match.score - draw.min_crs
    return "email/draw_digest", {
        **base,
        "draw": draw,
        "recipient": notification.recipient_user,
        "in_pool": [m for m in matches if m.in_pool],
        "prospects": [m for m in matches if not m.in_pool],
        "count": len(matches),
        "include_unassigned": notification.payload.get("include_unassigned", False),
        "is_update": notification.payload.get("flag_run", 1) > 1,
    }


def client_draw_alert(notification: Notification, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    match = (
        DrawMatch.objects.select_related("draw", "client")
        .filter(pk=notification.payload.get("match_id"), status=DrawMatch.Status.ACTIVE)
        .first()
    )
    if match is None:
        raise NothingToSend
    return "email/client_draw_alert", {**base, "draw": match.draw, "client": match.client, "match": match}


def alerts_register() -> None:
    register_renderer(Notification.Kind.DRAW_DIGEST, draw_digest)
    register_renderer(Notification.Kind.CLIENT_DRAW_ALERT, client_draw_alert)
