"""Recompute stored CRS scores and eligibility.

python manage.py recompute_scores            # the nightly job: the due clients (same as --due)
python manage.py recompute_scores --all      # every client (after a data fix, or a new rule set)
python manage.py recompute_scores --client 12 --client 15 [--as-of 2026-01-31]
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.services.scores import (
    DEFAULT_BATCH_SIZE,
    local_today,
    recompute_clients,
    scores_recompute_all,
    scores_recompute_due,
)


class Command(BaseCommand):
    help = "Recompute CRS scores: the due clients (default), --all, or given --client ids."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--all", action="store_true", help="Recompute every client.")
        mode.add_argument("--due", action="store_true", help="Recompute the due clients (the default).")
        mode.add_argument("--client", type=int, action="append", help="Recompute this client (repeatable).")
        parser.add_argument("--as-of", help="The date to compute for (default: today).")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["as_of"]) if options.get("as_of") else local_today()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date YYYY-MM-DD: {exc}") from exc
        size = options["batch_size"]
        if size < 1:
            raise CommandError("--batch-size must be at least 1")
        if options.get("client"):
            report = recompute_clients(options["client"], as_of=today)
            count = report.clients
        elif options["all"]:
            count = scores_recompute_all(today=today, batch_size=size)
        else:
            count = scores_recompute_due(today=today, batch_size=size)
        self.stdout.write(f"Recomputed {count} client(s) as of {today.isoformat()}.")
