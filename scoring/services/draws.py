"""Express Entry draws: sync IRCC's feed into `Draw` rows and flag the clients who clear a draw.

Sync (`draws_sync`, `draws_sync_snapshot`): upsert by draw number. New rounds are created, rounds whose
content (hash) or parsed reading changed are updated (IRCC edits past rounds), the rest are left alone.
A round that cannot be parsed is reported and the rest go on. A name the mapping does not know is kept
with category `unknown`, logged, and flagged for nobody until a person maps it (`draw_set_category`).

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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from firm.errors import ApplicationError
from firm.models import Client, Firm, Membership, ProvincialNomination, User
from firm.scoping import SYSTEM, Actor
from notifications.models import Notification
from notifications.services import enqueue, notifications_enqueue
from scoring.draws import (
    ParsedRound,
    eligibility_basis,
    fetch_feed,
    load_snapshot,
    parse_feed,
)
from scoring.draws.categories import ALL_KEYS, CATEGORY_VERSIONS, UNKNOWN, EligibilityBasis
from scoring.models import CRSScore, Draw, DrawMatch, Eligibility
from scoring.tasks import draws as draw_tasks

logger = logging.getLogger(__name__)

FlagMode = Literal["enqueue", "inline", "none"]
VERSION_LABELS: frozenset[str] = frozenset(v.label for v in CATEGORY_VERSIONS)


class DrawFeedUnavailable(Exception):
    """The feed could not be fetched (network, HTTP error): transient, retried with backoff."""


# --------------------------------------------------------------------------------------------------------
# Sync
# --------------------------------------------------------------------------------------------------------


@dataclass
class SyncReport:
    source: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    to_flag: list[int] = field(default_factory=list)
    flagged: list[FlagResult] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.source}: created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {self.unchanged}, problems {len(self.problems)}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": self.problems,
            "unknown": self.unknown,
            "flag_enqueued": len(self.to_flag),
        }


def _draw_fields(parsed: ParsedRound) -> dict[str, Any]:
    return {
        "draw_date": parsed.draw_date,
        "name": parsed.name[:300],
        "category": parsed.category if parsed.category in ALL_KEYS else UNKNOWN,
        "category_version": parsed.category_version or "",
        "programs": list(parsed.programs),
        "invitations": parsed.invitations,
        "min_crs": parsed.min_crs,
        "run_at": parsed.run_at,
        "tie_break_at": parsed.tie_break_at,
        "distribution": dict(parsed.distribution),
        "distribution_as_of": parsed.distribution_as_of,
        "raw": parsed.raw,
        "content_hash": parsed.content_hash,
        "parse_warnings": list(parsed.warnings),
    }


def _changed_fields(draw: Draw, fields: dict[str, Any]) -> list[str]:
    return [name for name, value in fields.items() if getattr(draw, name) != value]


def _within_flag_window(draw_date: date, *, today: date | None = None) -> bool:
    today = today or timezone.now().date()
    return draw_date >= today - timedelta(days=settings.DRAW_FLAG_MAX_AGE_DAYS)


def _sync_lock() -> None:
    """Serialize concurrent syncs (beat + API + command) on PostgreSQL; SQLite serializes writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x6D61706C])  # "mapl"


def draws_upsert(*, data: bytes | str | dict | list, source: str, flag: FlagMode = "enqueue") -> SyncReport:
    """Parse a feed document and upsert its rounds. Raises FeedFormatError if the feed is unreadable."""
    result = parse_feed(data)
    report = SyncReport(source=source)
    for problem in result.problems:
        message = f"round {problem.draw_number or '?'} (position {problem.index}): {problem.message}"
        report.problems.append(message)
        logger.warning("draw sync: unparseable %s", message)

    seen: set[str] = set()
    rounds: list[ParsedRound] = []
    for parsed in result.rounds:
        if parsed.draw_number in seen:  # the feed is newest first: keep the first copy
            report.problems.append(f"round {parsed.draw_number}: duplicate in the feed; later copy ignored")
            continue
        seen.add(parsed.draw_number)
        rounds.append(parsed)

    now = timezone.now()
    with transaction.atomic():
        _sync_lock()
        existing = {d.draw_number: d for d in Draw.objects.filter(draw_number__in=seen)}
        new_draws: list[Draw] = []
        for parsed in rounds:
            fields = _draw_fields(parsed)
            if len(parsed.draw_number) > 20:
                report.problems.append(f"round {parsed.draw_number[:40]!r}: draw number too long; skipped")
                continue
            draw = existing.get(parsed.draw_number)
            if draw is None:
                new_draws.append(Draw(draw_number=parsed.draw_number, updated_at=now, **fields))
                continue
            if draw.category_set_manually and fields["category"] == UNKNOWN:
                # a person mapped this round: keep their mapping while the parser still does not know it
                fields["category"] = draw.category
                fields["category_version"] = draw.category_version
            changed = _changed_fields(draw, fields)
            if not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(draw, name, fields[name])
            if fields["category"] != UNKNOWN and draw.category_set_manually and "category" in changed:
                draw.category_set_manually = False  # the parser now knows the name
            draw.updated_at = now
            draw.save()
            report.updated.append(draw.draw_number)
            logger.info("draw sync: round %s updated (%s)", draw.draw_number, ", ".join(changed))
            if draw.category == UNKNOWN:
                report.unknown.append(draw.draw_number)
            if draw.needs_flagging and _within_flag_window(draw.draw_date):
                report.to_flag.append(draw.pk)
        if new_draws:
            Draw.objects.bulk_create(new_draws, batch_size=500)
            created = Draw.objects.filter(draw_number__in=[d.draw_number for d in new_draws])
            for draw in created:
                report.created.append(draw.draw_number)
                if draw.category == UNKNOWN:
                    report.unknown.append(draw.draw_number)
                elif _within_flag_window(draw.draw_date):
                    report.to_flag.append(draw.pk)
    for number in report.unknown:
        logger.warning(
            "draw sync: round %s has a name the mapping does not know; category 'unknown', flagged for "
            "nobody until mapped in the admin",
            number,
        )
    report.created.sort(key=_number_key)
    _flag_after_sync(report, flag)
    if report.created or report.updated:  # a new or edited round: every stored outlook is out of date
        from scoring.services.outlook import enqueue_outlooks

        transaction.on_commit(enqueue_outlooks, robust=True)
    return report


def _number_key(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 0, number)


def _flag_after_sync(report: SyncReport, flag: FlagMode) -> None:
    """After commit (at once when no transaction is open): flag here, or enqueue the flag tasks."""
    if flag == "none" or not report.to_flag:
        return
    ids = list(report.to_flag)
    if flag == "inline":

        def run() -> None:
            for draw_id in ids:
                report.flagged.append(draw_flag(draw_id=draw_id))

        transaction.on_commit(run)
        return
    transaction.on_commit(lambda: [enqueue(draw_tasks.draw_flag_task, draw_id) for draw_id in ids])


def draws_sync(
    *,
    url: str | None = None,
    path: str | None = None,
    snapshot: bool = False,
    flag: FlagMode = "enqueue",
    timeout: float = 30,
) -> SyncReport:
    """Fetch (url, default settings.IRCC_DRAWS_FEED_URL), read (path) or load the shipped snapshot, then
    upsert. Raises DrawFeedUnavailable on a network failure (transient) and FeedFormatError when the
    feed is unreadable (not transient)."""
    if snapshot:
        data: bytes = load_snapshot()
        source = "snapshot"
    elif path:
        with open(path, "rb") as fh:
            data = fh.read()
        source = f"file {path}"
    else:
        url = url or settings.IRCC_DRAWS_FEED_URL
        source = f"feed {url}"
        try:
            data = fetch_feed(url, timeout=timeout)
        except Exception as exc:  # requests.RequestException and socket errors: transient
            _record_sync(source=source, snapshot=False, error=str(exc)[:2000])
            raise DrawFeedUnavailable(f"fetching {url} failed: {exc}") from exc
    report = draws_upsert(data=data, source=source, flag=flag)
    _record_sync(source=source, snapshot=snapshot, report=report)
    logger.info("draw sync %s", report.summary())
    return report


def _record_sync(*, source: str, snapshot: bool, report: SyncReport | None = None, error: str = "") -> None:
    """Keep a row per sync (the dashboard shows the last one); rows older than 90 days are dropped."""
    from scoring.models import DrawFeedSync

    now = timezone.now()
    DrawFeedSync.objects.create(
        source=source[:300],
        from_snapshot=snapshot,
        ok=report is not None and not error,
        error=error,
        created=len(report.created) if report else 0,
        updated=len(report.updated) if report else 0,
        finished_at=now,
    )
    DrawFeedSync.objects.filter(finished_at__lt=now - timedelta(days=90)).delete()


def draws_sync_snapshot(*, flag: FlagMode = "enqueue") -> SyncReport:
    """Load the shipped snapshot (rounds 1-300, no network). Used by seed_demo and offline installs."""
    return draws_sync(snapshot=True, flag=flag)


def draw_set_category(
    *,
    draw: Draw,
    category: str,
    category_version: str = "",
    actor: Actor = SYSTEM,
    flag: FlagMode = "enqueue",
) -> Draw:
    """A person maps a round (typically one with an unknown name); flagging then runs for it."""
    if category not in ALL_KEYS:
        raise ApplicationError(
            "Unknown category.", fields={"category": f"{category!r} is not a category key."}
        )
    basis = eligibility_basis(category, category_version or None)
    if basis.kind == "category" and category_version not in VERSION_LABELS:
        raise ApplicationError(
            "A category round needs its NOC-list version.",
            fields={"category_version": "Choose one of the category list versions."},
        )
    if basis.kind != "category":
        category_version = ""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        draw.category = category
        draw.category_version = category_version
        draw.category_set_manually = True
        draw.updated_at = timezone.now()
        draw.save(update_fields=["category", "category_version", "category_set_manually", "updated_at"])
        logger.info(
            "draw %s mapped to %s %s by %s", draw.draw_number, category, category_version, actor.label
        )
        if flag != "none" and draw.needs_flagging:
            if flag == "inline":
                transaction.on_commit(lambda: draw_flag(draw_id=draw.pk, force=True))
            else:
                transaction.on_commit(lambda: enqueue(draw_tasks.draw_flag_task, draw.pk, force=True))
    return draw


# --------------------------------------------------------------------------------------------------------
# Flagging
# --------------------------------------------------------------------------------------------------------


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


def clearing_sql(draw: Draw) -> tuple[str, dict[str, Any]]:
    """SELECT of the clients (all firms) who are eligible for the draw and whose current score clears it.

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
        f"AND (s.total > %(min_crs)s{tie}) AND {eligible}"
    )
    return sql, params


def _execute(sql: str, params: dict[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def draw_flag(*, draw_id: int, force: bool = False, send: bool | None = None) -> FlagResult:
    """Flag the clients who clear a draw (idempotent). See the module docstring.

    force: flag even a draw outside the DRAW_FLAG_MAX_AGE_DAYS window (never emails for those).
    send: None = email when the draw is within the window; False = never.
    """
    with transaction.atomic():
        try:
            draw = Draw.objects.select_for_update().get(pk=draw_id)
        except Draw.DoesNotExist:
            return FlagResult(draw_id=draw_id, draw_number="?", skipped="no such draw")
        result = FlagResult(draw_id=draw.pk, draw_number=draw.draw_number)
        recent = _within_flag_window(draw.draw_date)
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
        clearing, params = clearing_sql(draw)
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
            "WHERE draw_id = %(draw_id)s AND status = %(active)s "
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


def _publish_new_matches(draw: Draw, run: int, now: datetime) -> None:
    """One `draw.flagged` event per client newly matched by this run (in the flagging transaction)."""
    from firm.events import Event, publish_many

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
