"""Flagging the clients who clear an Express Entry draw.

Flagging (`draw_flag`): one set-based INSERT ... SELECT ... ON CONFLICT DO NOTHING over all firms writes
`DrawMatch` rows for the clients eligible for the round whose current score clears it; matches that no
longer clear an edited round are withdrawn; the `Notification` outbox rows (one digest per recipient per
flagging run, one alert per client when the firm wants it) are written in the same transaction.
After commit the send tasks are enqueued; if that fails (broker down) the sweeper sends them later.

A new or changed draw is flagged after commit: enqueued (the beat task) or run in-process (the
management command, `flag="inline"`). A flagging that is lost (broker down between commit and publish)
is caught up by the sweeper: a recent draw whose `flagged_basis` differs from its current basis.
Only draws within settings.DRAW_FLAG_MAX_AGE_DAYS are flagged automatically and only those get email;
`draw_flag(..., force=True)` flags any draw on demand (no email for old ones).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from firm.events import Event, publish_many
from firm.models import Client, Firm, Membership, ProvincialNomination, User
from notifications.models import Notification
from notifications.services import notifications_enqueue
from scoring.draws import (
    eligibility_basis,
)
from scoring.draws.categories import UNKNOWN, EligibilityBasis
from scoring.models import CRSScore, Draw, DrawMatch, Eligibility


def within_flag_window(draw_date: date, *, today: date | None = None) -> bool:
    today = today or timezone.now().date()
    return draw_date >= today - timedelta(days=settings.DRAW_FLAG_MAX_AGE_DAYS)


# --------------------------------------------------------------------------------------------------------
# Flagging
# --------------------------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)


@dataclass
class FlagResult:
    draw_id: int
    draw_number: str
    skipped: str = ""
    run: int = 0
    new_matches: int = 0
    withdrawn: int = 0
    reactivated: int = 0
    notifications: list[int] = field(default_factory=list)
    emails: bool = False

    def summary(self) -> str:
        if self.skipped:
            return f"#{self.draw_number}: not flagged ({self.skipped})"
        return (
            f"#{self.draw_number}: {self.new_matches} new matches, {self.withdrawn} withdrawn, "
            f"{self.reactivated} reactivated, {len(self.notifications)} notifications"
            + ("" if self.emails else " (no email: outside the alert window)")
        )


def basis_label(basis: EligibilityBasis) -> str:
    if basis.kind == "nomination":
        return "provincial nomination"
    if basis.kind == "program":
        return basis.programs[0] if len(basis.programs) == 1 else "any of " + "/".join(basis.programs)
    if basis.kind == "category":
        return f"{basis.category} {basis.version or ''}".strip()[:200]
    return "unknown"


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _dt(value: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _d(value: date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def clearing_sql(draw: Draw, clients: Sequence[int] | None = None) -> tuple[str, dict[str, Any]]:
    """SELECT of the clients (all firms, or only ``clients``) who are eligible for the draw and whose
    current score clears it.

    Columns: client_id, firm_id, lawyer_id, crs_score_id, score, rule_set, in_pool, by_tie_break.
    Portable SQL (SQLite and PostgreSQL); named parameters.
    """
    basis = eligibility_basis(draw.category, draw.category_version or None)
    params: dict[str, Any] = {
        "true": True,
        "false": False,
        "min_crs": draw.min_crs,
        "tie_break_at": _dt(draw.tie_break_at),
        "draw_date": _d(draw.draw_date),
        "eligible": Eligibility.Outcome.ELIGIBLE,
        "closed": "closed",
    }
    if basis.kind == "nomination":
        eligible = (
            f"EXISTS (SELECT 1 FROM {_t(ProvincialNomination)} n WHERE n.client_id = c.id "  # noqa: S608 - table names quoted, values are parameters
            "AND n.enhanced = %(true)s AND n.nominated_on <= %(draw_date)s "
            "AND (n.expires_on IS NULL OR n.expires_on >= %(draw_date)s))"
        )
    elif basis.kind == "program":
        names = []
        for i, program in enumerate(basis.programs):
            params[f"program{i}"] = program
            names.append(f"%(program{i})s")
        eligible = (
            f"EXISTS (SELECT 1 FROM {_t(Eligibility)} e WHERE e.client_id = c.id "  # noqa: S608 - table names quoted, values are parameters
            f"AND e.program IN ({', '.join(names)}) AND e.outcome = %(eligible)s)"
        )
    elif basis.kind == "category" and draw.category_version:
        params["category"] = basis.category
        params["version"] = draw.category_version
        eligible = (
            f"EXISTS (SELECT 1 FROM {_t(Eligibility)} e WHERE e.client_id = c.id "  # noqa: S608 - table names quoted, values are parameters
            "AND e.program = %(category)s AND e.version = %(version)s AND e.outcome = %(eligible)s)"
        )
    else:  # unknown round type, or a category round without a version: nobody
        eligible = "1 = 0"
    in_pool = (
        "(c.ee_profile_number <> '' AND c.ee_profile_submitted_at IS NOT NULL "
        "AND (c.ee_profile_expires_on IS NULL OR c.ee_profile_expires_on >= %(draw_date)s))"
    )
    lawyer = (
        "CASE WHEN c.assigned_lawyer_id IS NOT NULL AND EXISTS ("  # noqa: S608 - table names quoted, values are parameters
        f"SELECT 1 FROM {_t(Membership)} mb JOIN {_t(User)} u ON u.id = mb.user_id "
        "WHERE mb.user_id = c.assigned_lawyer_id AND mb.firm_id = c.firm_id "
        "AND mb.is_active = %(true)s AND u.is_active = %(true)s) "
        "THEN c.assigned_lawyer_id ELSE NULL END"
    )
    # At the cut-off only a profile submitted before the tie-break time was invited; without a
    # tie-break time (rounds 1-76) nobody at exactly the cut-off is flagged.
    tie = (
        f" OR (s.total = %(min_crs)s AND {in_pool} AND c.ee_profile_submitted_at < %(tie_break_at)s)"
        if draw.tie_break_at is not None
        else ""
    )
    sql = (
        f"SELECT c.id AS client_id, c.firm_id AS firm_id, {lawyer} AS lawyer_id, s.id AS crs_score_id, "  # noqa: S608 - table names quoted, values are parameters
        "s.total AS score, s.rule_set AS rule_set, "
        f"CASE WHEN {in_pool} THEN %(true)s ELSE %(false)s END AS in_pool, "
        "CASE WHEN s.total = %(min_crs)s THEN %(true)s ELSE %(false)s END AS by_tie_break "
        f"FROM {_t(Client)} c JOIN {_t(CRSScore)} s ON s.client_id = c.id AND s.is_current = %(true)s "
        "WHERE c.status <> %(closed)s "
        f"AND (s.total > %(min_crs)s{tie}) AND {eligible}{_only(clients, params)}"
    )
    return sql, params


def _only(clients: Sequence[int] | None, params: dict[str, Any], column: str = "c.id") -> str:
    """`` AND <column> IN (...)`` for a subset of clients (nothing for all of them)."""
    if clients is None:
        return ""
    for i, client_id in enumerate(clients):
        params[f"client{i}"] = int(client_id)
    names = ", ".join(f"%(client{i})s" for i in range(len(clients))) or "NULL"
    return f" AND {column} IN ({names})"


def _execute(sql: str, params: dict[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def draw_flag(
    *, draw_id: int, force: bool = False, send: bool | None = None, clients: Sequence[int] | None = None
) -> FlagResult:
    """Flag the clients who clear a draw (idempotent). See the module docstring.

    force: flag even a draw outside the DRAW_FLAG_MAX_AGE_DAYS window (never emails for those).
    send: None = email when the draw is within the window; False = never.
    clients: re-flag only these clients (their score or eligibility changed); None = everyone.
    """
    with transaction.atomic():
        try:
            draw = Draw.objects.select_for_update().get(pk=draw_id)
        except Draw.DoesNotExist:
            return FlagResult(draw_id=draw_id, draw_number="?", skipped="no such draw")
        result = FlagResult(draw_id=draw.pk, draw_number=draw.draw_number)
        recent = within_flag_window(draw.draw_date)
        if not recent and not force:
            result.skipped = f"older than {settings.DRAW_FLAG_MAX_AGE_DAYS} days; flag it on demand"
            return result
        basis = eligibility_basis(draw.category, draw.category_version or None)
        if basis.kind == "unknown":
            logger.warning(
                "draw %s has category 'unknown': flagged for nobody until mapped", draw.draw_number
            )
        result.emails = recent and send is not False
        run = draw.flag_runs + 1
        now = timezone.now()
        clearing, params = clearing_sql(draw, clients)
        params.update(
            draw_id=draw.pk,
            run=run,
            now=_dt(now),
            active=DrawMatch.Status.ACTIVE,
            withdrawn=DrawMatch.Status.WITHDRAWN,
            basis=basis_label(basis),
        )
        match = _t(DrawMatch)
        result.withdrawn = _execute(
            f"UPDATE {match} SET status = %(withdrawn)s, withdrawn_at = %(now)s, updated_at = %(now)s "  # noqa: S608 - table names quoted, values are parameters
            f"WHERE draw_id = %(draw_id)s AND status = %(active)s{_only(clients, params, 'client_id')} "
            f"AND client_id NOT IN (SELECT client_id FROM ({clearing}) cl)",
            params,
        )
        result.reactivated = _execute(
            f"UPDATE {match} SET status = %(active)s, withdrawn_at = NULL, updated_at = %(now)s "  # noqa: S608 - table names quoted, values are parameters
            "WHERE draw_id = %(draw_id)s AND status = %(withdrawn)s "
            f"AND client_id IN (SELECT client_id FROM ({clearing}) cl)",
            params,
        )
        result.new_matches = _execute(
            f"INSERT INTO {match} (draw_id, client_id, firm_id, lawyer_id, crs_score_id, score, rule_set, "  # noqa: S608 - table names quoted, values are parameters
            "eligibility_basis, in_pool, by_tie_break, status, flag_run, created_at, updated_at) "
            "SELECT %(draw_id)s, client_id, firm_id, lawyer_id, crs_score_id, score, rule_set, %(basis)s, "
            f"in_pool, by_tie_break, %(active)s, %(run)s, %(now)s, %(now)s FROM ({clearing}) cl "
            "WHERE 1 = 1 ON CONFLICT (draw_id, client_id) DO NOTHING",
            params,
        )
        if result.new_matches:
            _publish_new_matches(draw, run, now)
        if result.new_matches and result.emails:
            result.notifications = _notifications_for_run(draw, run, now)
        draw.flag_runs = run if result.new_matches else draw.flag_runs
        draw.flagged_at = now
        draw.flagged_basis = draw.flag_basis
        draw.save(update_fields=["flag_runs", "flagged_at", "flagged_basis"])
        result.run = run
        if result.notifications:
            ids = list(result.notifications)
            transaction.on_commit(lambda: notifications_enqueue(ids))
    logger.info("draw flagging %s", result.summary())
    return result


def clients_flag_recent_draws(
    *, client_ids: Sequence[int], days: int | None = None, today: date | None = None
) -> list[FlagResult]:
    """A client's score or eligibility changed: re-flag them against the draws of the last ``days``
    (settings.DRAW_REFLAG_RECENT_DAYS). A client whose new score clears such a draw gets a match (and,
    for a draw within the alert window, the alert emails); one who no longer clears it has the match
    withdrawn. Called after commit by the recompute (scoring.services.scores.recompute_clients)."""
    if not client_ids:
        return []
    days = settings.DRAW_REFLAG_RECENT_DAYS if days is None else days
    since = (today or timezone.localdate()) - timedelta(days=days)
    draw_ids = (
        Draw.objects.filter(draw_date__gte=since).order_by("draw_date", "pk").values_list("pk", flat=True)
    )
    return [draw_flag(draw_id=d, force=True, clients=list(client_ids)) for d in draw_ids]


def _publish_new_matches(draw: Draw, run: int, now: datetime) -> None:
    """One `draw.flagged` event per client newly matched by this run (in the flagging transaction)."""
    rows = DrawMatch.objects.filter(draw_id=draw.pk, flag_run=run).values_list(
        "pk", "client_id", "firm_id", "score", "in_pool"
    )
    publish_many(
        Event(
            type="draw.flagged",
            firm_id=firm_id,
            data={
                "match_id": pk,
                "client_id": client_id,
                "draw_id": draw.pk,
                "draw_number": draw.draw_number,
                "draw_date": draw.draw_date.isoformat(),
                "min_crs": draw.min_crs,
                "score": score,
                "in_pool": in_pool,
            },
            occurred_at=now,
        )
        for pk, client_id, firm_id, score, in_pool in rows.iterator()
    )


def _digest_key(draw: Draw, run: int, user_id: int) -> str:
    key = f"draw:{draw.pk}:lawyer:{user_id}"
    return key if run == 1 else f"{key}:run:{run}"


def _notifications_for_run(draw: Draw, run: int, now: datetime) -> list[int]:
    """Outbox rows for the matches of one flagging run, in the caller's transaction.

    One digest per recipient (the assigned lawyer; the firm's active admins for clients without an
    active assigned lawyer), and one alert per client with an email when the firm emails clients.
    """
    groups = (
        DrawMatch.objects.filter(draw=draw, flag_run=run)
        .values_list("firm_id", "lawyer_id")
        .distinct()
        .order_by()
    )
    per_firm: dict[int, set[int | None]] = defaultdict(set)
    for firm_id, lawyer_id in groups:
        per_firm[firm_id].add(lawyer_id)
    firms = {f.pk: f for f in Firm.objects.filter(pk__in=per_firm)}
    admins: dict[int, list[int]] = defaultdict(list)
    if any(None in lawyers for lawyers in per_firm.values()):
        for firm_id, user_id in (
            Membership.objects.filter(
                firm_id__in=per_firm, role="admin", is_active=True, user__is_active=True
            )
            .order_by("user_id")
            .values_list("firm_id", "user_id")
        ):
            admins[firm_id].append(user_id)
    recipients: dict[tuple[int, int], bool] = {}  # (firm, user) -> includes the unassigned clients
    for firm_id, lawyers in per_firm.items():
        for lawyer_id in lawyers:
            if lawyer_id is not None:
                recipients.setdefault((firm_id, lawyer_id), False)
        if None in lawyers:
            if not admins[firm_id]:
                logger.error("firm %s has clients flagged by draw %s but no active admin", firm_id, draw.pk)
            for admin_id in admins[firm_id]:
                recipients[(firm_id, admin_id)] = True
    users = {u.pk: u for u in User.objects.filter(pk__in={user for _, user in recipients})}
    snapshot = {
        "draw_id": draw.pk,
        "draw_number": draw.draw_number,
        "draw_date": draw.draw_date.isoformat(),
        "name": draw.name,
        "min_crs": draw.min_crs,
        "tie_break_at": draw.tie_break_at.isoformat() if draw.tie_break_at else None,
        "flag_run": run,
    }
    rows = []
    for (firm_id, user_id), unassigned in sorted(recipients.items()):
        user = users.get(user_id)
        if user is None or not user.email:
            continue
        rows.append(
            Notification(
                firm_id=firm_id,
                kind=Notification.Kind.DRAW_DIGEST,
                recipient_email=user.email,
                recipient_user=user,
                draw=draw,
                language=user.preferred_language or "en",
                dedupe_key=_digest_key(draw, run, user_id),
                payload={**snapshot, "firm_id": firm_id, "include_unassigned": unassigned},
                created_at=now,
                next_attempt_at=now,
            )
        )
    keys = [row.dedupe_key for row in rows]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(dedupe_key__in=keys, status="pending").values_list("pk", flat=True)
    )
    if any(f.email_clients_on_draw for f in firms.values()):
        ids.extend(_client_alerts(draw, run, now))
    return ids


def _client_alerts(draw: Draw, run: int, now: datetime) -> list[int]:
    """One alert per newly matched client with an email, for firms that email clients (set-based)."""
    json_payload = (
        "'{\"match_id\": ' || CAST(m.id AS TEXT) || ', \"draw_id\": ' || CAST(m.draw_id AS TEXT) || '}'"
    )
    if connection.vendor == "postgresql":
        json_payload = f"CAST({json_payload} AS jsonb)"
    params = {
        "draw_id": draw.pk,
        "run": run,
        "now": _dt(now),
        "true": True,
        "kind": Notification.Kind.CLIENT_DRAW_ALERT,
        "pending": Notification.Status.PENDING,
    }
    sql = (
        f"INSERT INTO {_t(Notification)} (firm_id, kind, recipient_email, recipient_user_id, client_id, "  # noqa: S608 - table names quoted, values are parameters
        "draw_id, language, dedupe_key, payload, status, attempts, created_at, next_attempt_at, last_error) "
        "SELECT m.firm_id, %(kind)s, c.email, c.portal_user_id, c.id, m.draw_id, c.preferred_language, "
        "'draw:' || CAST(m.draw_id AS TEXT) || ':client:' || CAST(m.client_id AS TEXT), "
        f"{json_payload}, %(pending)s, 0, %(now)s, %(now)s, '' "
        f"FROM {_t(DrawMatch)} m JOIN {_t(Client)} c ON c.id = m.client_id "
        f"JOIN {_t(Firm)} f ON f.id = m.firm_id "
        "WHERE m.draw_id = %(draw_id)s AND m.flag_run = %(run)s AND f.email_clients_on_draw = %(true)s "
        "AND c.email <> '' ON CONFLICT (dedupe_key) DO NOTHING"
    )
    _execute(sql, params)
    return list(
        Notification.objects.filter(
            draw=draw, kind=Notification.Kind.CLIENT_DRAW_ALERT, status="pending", created_at=now
        ).values_list("pk", flat=True)
    )


def draws_flag_pending(*, limit: int = 20) -> list[FlagResult]:
    """Flag recent draws whose flagging was never run for their current content (a lost task)."""
    since = timezone.now().date() - timedelta(days=settings.DRAW_FLAG_MAX_AGE_DAYS)
    results = []
    for draw in Draw.objects.filter(draw_date__gte=since).exclude(category=UNKNOWN).order_by("draw_date"):
        if draw.needs_flagging:
            results.append(draw_flag(draw_id=draw.pk))
            if len(results) >= limit:
                break
    return results
