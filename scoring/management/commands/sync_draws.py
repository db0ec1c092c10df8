"""`manage.py sync_draws`: upsert IRCC's Express Entry rounds, then flag new or changed recent rounds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.draws import FeedFormatError
from scoring.services.draws import DrawFeedUnavailable, draws_sync
from scoring.services.flagging import draw_flag


class Command(BaseCommand):
    help = (
        "Read IRCC's rounds feed (settings.IRCC_DRAWS_FEED_URL, --url, --file or --snapshot) and upsert the "
        "draws by number: new rounds created, edited rounds updated, the rest left alone. New or changed "
        "rounds of the last DRAW_FLAG_MAX_AGE_DAYS days are then flagged (in this process by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--url", help="Feed URL (default: settings.IRCC_DRAWS_FEED_URL).")
        source.add_argument("--file", help="A local copy of the feed, same JSON format.")
        source.add_argument(
            "--snapshot", action="store_true", help="The snapshot shipped with the code (no network)."
        )
        parser.add_argument(
            "--flag",
            choices=["inline", "enqueue", "none"],
            default="inline",
            help="Flag new/changed recent rounds here (inline, default), through Celery (enqueue), or not.",
        )
        parser.add_argument("--timeout", type=float, default=30, help="Network timeout in seconds.")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = draws_sync(
                url=opts["url"],
                path=opts["file"],
                snapshot=opts["snapshot"],
                flag="none" if opts["flag"] == "inline" else opts["flag"],
                timeout=opts["timeout"],
            )
        except DrawFeedUnavailable as exc:
            raise CommandError(f"{exc} (a network problem: try again later)") from exc
        except FeedFormatError as exc:
            raise CommandError(f"the feed is unreadable: {exc}") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        w = self.stdout.write
        w(f"Source: {report.source}")
        w(f"created:   {len(report.created)}" + (f"  ({_short(report.created)})" if report.created else ""))
        w(f"updated:   {len(report.updated)}" + (f"  ({_short(report.updated)})" if report.updated else ""))
        w(f"unchanged: {report.unchanged}")
        w(f"problems:  {len(report.problems)}")
        for problem in report.problems:
            w(self.style.WARNING(f"  - {problem}"))
        if report.unknown:
            w(
                self.style.WARNING(
                    f"unknown round names (category 'unknown', flagged for nobody until mapped in the admin): "
                    f"{_short(report.unknown)}"
                )
            )
        if opts["flag"] == "inline":  # the sync has committed: flag here, one draw at a time
            for draw_id in report.to_flag:
                w(f"flagged {draw_flag(draw_id=draw_id).summary()}")
        elif opts["flag"] == "enqueue" and report.to_flag:
            w(f"flagging enqueued for {len(report.to_flag)} rounds")
        if not report.to_flag and (report.created or report.updated):
            w(f"(rounds older than {settings.DRAW_FLAG_MAX_AGE_DAYS} days are not flagged automatically)")


def _short(numbers: list[str], limit: int = 12) -> str:
    shown = ", ".join(numbers[:limit])
    return shown + (f", ... {len(numbers) - limit} more" if len(numbers) > limit else "")
