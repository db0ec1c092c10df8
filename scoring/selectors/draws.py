"""Reads for draws, draw matches and the notification outbox, scoped with `restrict(actor)`.

Draws are public IRCC data (every staff member and API key may read them); matches and notifications
belong to a firm. Clients see none of these (the portal shows scores, not lawyer advice).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from firm.models import Client
from firm.scoping import SYSTEM, Actor
from notifications.models import Notification
from notifications.services import notifications_stuck
from scoring.models import Draw, DrawCategory, DrawMatch

__all__ = [
    "draw_latest",
    "draw_list",
    "draw_match_list",
    "draw_matches_for_client",
    "draw_matches_for_draw",
    "notification_list",
    "notifications_stuck",
    "recent_draws_cutoffs",
]


def draw_list(
    actor: Actor,
    *,
    category: str | list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Draw]:
    """Draws, newest first, optionally by category (one key or a list) and draw-date range."""
    qs = Draw.objects.restrict(actor)
    if category:
        qs = qs.filter(category__in=[category] if isinstance(category, str) else category)
    if date_from:
        qs = qs.filter(draw_date__gte=date_from)
    if date_to:
        qs = qs.filter(draw_date__lte=date_to)
    return qs.order_by("-draw_date", "-run_at", "-pk")


def draw_latest(
    actor: Actor = SYSTEM, *, category: str | None = None, include_unknown: bool = False
) -> Draw | None:
    """The most recent draw (of a category when given); rounds not yet mapped are left out by default."""
    qs = draw_list(actor, category=category)
    if not include_unknown and category is None:
        qs = qs.exclude(category=DrawCategory.UNKNOWN)
    return qs.first()


def recent_draws_cutoffs(n: int = 10, *, category: str | None = None) -> list[dict[str, Any]]:
    """The last n draws' cut-offs, oldest first (for a chart): public data, no actor needed."""
    rows = list(
        draw_list(SYSTEM, category=category).values(
            "id", "draw_number", "draw_date", "category", "category_version", "name", "min_crs", "invitations"
        )[: max(n, 0)]
    )
    rows.reverse()
    return rows


def _matches(actor: Actor) -> QuerySet[DrawMatch]:
    return DrawMatch.objects.restrict(actor).select_related("draw", "client", "lawyer", "crs_score")


def draw_matches_for_draw(
    actor: Actor, draw: Draw, *, include_withdrawn: bool = False
) -> QuerySet[DrawMatch]:
    """The actor's firm's clients flagged by a draw (all firms for the system), best score first."""
    qs = _matches(actor).filter(draw=draw)
    if not include_withdrawn:
        qs = qs.filter(status=DrawMatch.Status.ACTIVE)
    return qs.order_by("-score", "client__last_name", "client__first_name", "pk")


def draw_matches_for_client(
    actor: Actor, client: Client, *, include_withdrawn: bool = False
) -> QuerySet[DrawMatch]:
    """The draws a client cleared, newest draw first (empty for another firm's client)."""
    qs = _matches(actor).filter(client=client)
    if not include_withdrawn:
        qs = qs.filter(status=DrawMatch.Status.ACTIVE)
    return qs.order_by("-draw__draw_date", "-pk")


def draw_match_list(actor: Actor) -> QuerySet[DrawMatch]:
    """All the actor's firm's matches (filter further in the caller), newest first."""
    return _matches(actor).order_by("-draw__draw_date", "-score", "pk")


def notification_list(actor: Actor) -> QuerySet[Notification]:
    """Staff: a firm admin sees every notification of the firm; other staff see the ones sent to them
    and the alerts to their own clients. Nobody else sees any."""
    qs = Notification.objects.restrict(actor).select_related("draw", "client", "recipient_user")
    if actor.kind == "system" or actor.is_firm_admin:
        return qs
    if actor.is_staff and actor.user_id:
        return qs.filter(Q(recipient_user_id=actor.user_id) | Q(client__assigned_lawyer_id=actor.user_id))
    return qs.none()
