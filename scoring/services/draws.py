"""Express Entry draws: sync IRCC's feed into `Draw` rows and flag the clients who clear a draw.

Sync (`draws_sync`, `draws_sync_snapshot`): upsert by draw number. New rounds are created, rounds whose
content (hash) or parsed reading changed are updated (IRCC edits past rounds), the rest are left alone.
A round that cannot be parsed is reported and the rest go on. A name the mapping does not know is kept
with category `unknown`, logged, and flagged for nobody until a person maps it (`draw_set_category`).

Flagging the clients who clear a draw is scoring/services/flagging.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from firm.errors import ApplicationError
from firm.scoping import SYSTEM, Actor
from notifications.services import enqueue
from scoring.draws import (
    ParsedRound,
    eligibility_basis,
    fetch_feed_conditional,
    load_snapshot,
    parse_feed,
)
from scoring.draws.categories import ALL_KEYS, CATEGORY_VERSIONS, UNKNOWN
from scoring.models import Draw
from scoring.services.flagging import FlagResult, draw_flag, within_flag_window
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
    not_modified: bool = False
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
            "not_modified": self.not_modified,
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
            if draw.needs_flagging and within_flag_window(draw.draw_date):
                report.to_flag.append(draw.pk)
        if new_draws:
            Draw.objects.bulk_create(new_draws, batch_size=500)
            created = Draw.objects.filter(draw_number__in=[d.draw_number for d in new_draws])
            for draw in created:
                report.created.append(draw.draw_number)
                if draw.category == UNKNOWN:
                    report.unknown.append(draw.draw_number)
                elif within_flag_window(draw.draw_date):
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
        return _sync_url(url, flag=flag, timeout=timeout)
    report = draws_upsert(data=data, source=source, flag=flag)
    _record_sync(source=source, snapshot=snapshot, report=report)
    logger.info("draw sync %s", report.summary())
    return report


def _sync_url(url: str, *, flag: FlagMode, timeout: float) -> SyncReport:
    """A conditional GET with the validators of the last good fetch of this URL: an unchanged feed is
    one 304 (no parsing, no upsert), recorded as a good sync so freshness stays right."""
    from scoring.models import DrawFeedSync

    source = f"feed {url}"
    last = DrawFeedSync.objects.filter(source=source[:300], ok=True).only("etag", "last_modified").first()
    try:
        response = fetch_feed_conditional(
            url,
            etag=last.etag if last else "",
            last_modified=last.last_modified if last else "",
            timeout=timeout,
        )
    except Exception as exc:  # requests.RequestException and socket errors: transient
        _record_sync(source=source, snapshot=False, error=str(exc)[:2000])
        raise DrawFeedUnavailable(f"fetching {url} failed: {exc}") from exc
    if response.data is None:
        report = SyncReport(source=source, not_modified=True)
    else:
        report = draws_upsert(data=response.data, source=source, flag=flag)
    _record_sync(
        source=source,
        snapshot=False,
        report=report,
        etag=response.etag,
        last_modified=response.last_modified,
    )
    logger.info("draw sync %s%s", report.summary(), " (304 not modified)" if report.not_modified else "")
    return report


def _record_sync(
    *,
    source: str,
    snapshot: bool,
    report: SyncReport | None = None,
    error: str = "",
    etag: str = "",
    last_modified: str = "",
) -> None:
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
        not_modified=bool(report and report.not_modified),
        etag=etag,
        last_modified=last_modified,
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
