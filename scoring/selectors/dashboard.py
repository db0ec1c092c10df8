"""Reads for the staff dashboard: how fresh the draws feed is, and which recent rounds each client clears
among the rounds they are eligible for (the same SQL as flagging, limited to the actor's firm)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from firm.scoping import Actor
from scoring.models import Draw, DrawFeedSync


@dataclass(frozen=True)
class FeedStatus:
    last_ok_at: datetime | None
    last_ok_source: str
    from_snapshot: bool
    last_failure_at: datetime | None
    last_error: str
    newest_round_on: date | None
    round_age_days: int | None
    stale: bool
    stale_after_minutes: int


def feed_status(*, now: datetime | None = None) -> FeedStatus:
    """When the rounds were last synced, from where, and whether that is older than the schedule allows."""
    now = now or timezone.now()
    last_ok = DrawFeedSync.objects.filter(ok=True).order_by("-finished_at", "-pk").first()
    failure = DrawFeedSync.objects.filter(ok=False).order_by("-finished_at", "-pk").first()
    newest = Draw.objects.order_by("-draw_date").values_list("draw_date", flat=True).first()
    limit = int(settings.DRAW_FEED_STALE_AFTER_MINUTES)
    stale = last_ok is None or last_ok.from_snapshot or last_ok.finished_at < now - timedelta(minutes=limit)
    if failure is not None and last_ok is not None and failure.finished_at < last_ok.finished_at:
        failure = None  # an older failure, since recovered
    return FeedStatus(
        last_ok_at=last_ok.finished_at if last_ok else None,
        last_ok_source=last_ok.source if last_ok else "",
        from_snapshot=bool(last_ok and last_ok.from_snapshot),
        last_failure_at=failure.finished_at if failure else None,
        last_error=failure.error if failure else "",
        newest_round_on=newest,
        round_age_days=(timezone.localdate(now) - newest).days if newest else None,
        stale=stale,
        stale_after_minutes=limit,
    )


def clients_clearing(actor: Actor, draws: Sequence[Draw], client_ids: Iterable[int]) -> dict[int, list[Draw]]:
    """{client id: [draws]} for the draws each client would clear: eligible for the round (program,
    category list in force, or nomination) and scored above its cut-off (flagging's own rule)."""
    from scoring.services.flagging import clearing_sql

    ids = {int(i) for i in client_ids}
    out: dict[int, list[Draw]] = {}
    if not ids or actor.firm_id is None:
        return out
    parts: list[str] = []
    params: dict[str, Any] = {"firm_id": actor.firm_id, "client_ids": sorted(ids)}
    by_pk: dict[int, Draw] = {}
    for i, draw in enumerate(d for d in draws if d.min_crs is not None):
        sql, draw_params = clearing_sql(draw)
        for key, value in draw_params.items():  # one statement: each draw's parameters get their own names
            sql = sql.replace(f"%({key})s", f"%(d{i}_{key})s")
            params[f"d{i}_{key}"] = value
        parts.append(f"SELECT {int(draw.pk)} AS draw_id, q.client_id, q.firm_id FROM ({sql}) q")  # noqa: S608 - no user input
        by_pk[draw.pk] = draw
    if not parts:
        return out
    if connection.vendor == "postgresql":
        in_ids = "= ANY(%(client_ids)s)"
    else:  # SQLite (the embedded mode) binds no lists
        params.pop("client_ids")
        in_ids = _in_list(params, sorted(ids))
    union = " UNION ALL ".join(parts)
    wrapped = f"SELECT u.client_id, u.draw_id FROM ({union}) u WHERE u.firm_id = %(firm_id)s AND u.client_id {in_ids}"  # noqa: S608 - no user input
    with connection.cursor() as cursor:  # one query for every recent draw
        cursor.execute(wrapped, params)
        rows = cursor.fetchall()
    order = {pk: n for n, pk in enumerate(by_pk)}
    for client_id, draw_id in sorted(rows, key=lambda r: order[r[1]]):
        out.setdefault(client_id, []).append(by_pk[draw_id])
    return out


def _in_list(params: dict[str, Any], ids: list[int]) -> str:
    """IN (...) with one named parameter per id (SQLite has no arrays)."""
    for n, value in enumerate(ids):
        params[f"cid{n}"] = value
    return "IN (" + ", ".join(f"%(cid{n})s" for n in range(len(ids))) + ")"


def score_bands(scores, *, band: int = 10) -> list[tuple[int, int]]:
    """[(band start, clients)] for a queryset of current scores: one row per `band` points, any firm size."""
    from django.db.models import Count, F, IntegerField
    from django.db.models.functions import Cast, Floor

    rows = (
        scores.order_by()
        .annotate(bucket=Cast(Floor(F("total") / band), IntegerField()))
        .values("bucket")
        .annotate(clients=Count("pk"))
        .order_by("bucket")
    )
    return [(r["bucket"] * band, r["clients"]) for r in rows]
