"""`manage.py flag_draws 262 263`: flag any draws on demand (email only for recent ones).

`manage.py flag_draws 170 --as-of-draw-date [--client 12]`: historical flagging, read only. Lists the
clients who would have cleared each round with their score and eligibility AS OF the round's date
(scoring.services.history); writes no match and sends no email. Ordinary flagging is unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from firm.models import Client
from scoring.models import Draw
from scoring.services.flagging import draw_flag
from scoring.services.history import rounds_cleared_as_of_draw_date


class Command(BaseCommand):
    help = (
        "Flag the clients who clear the given draws (by draw number), even old ones. Idempotent: existing "
        "matches are kept, no email is sent twice. Rounds older than DRAW_FLAG_MAX_AGE_DAYS never email. "
        "With --as-of-draw-date: only list who would have cleared each round with the score they had on "
        "its date (nothing is written)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_numbers", nargs="+", help='Draw numbers as IRCC writes them ("91a").')
        parser.add_argument("--no-email", action="store_true", help="Write matches only, never email.")
        parser.add_argument(
            "--as-of-draw-date",
            action="store_true",
            help="Historical: use each client's score as of the round's date; list only, write nothing.",
        )
        parser.add_argument(
            "--client",
            type=int,
            action="append",
            default=[],
            help="With --as-of-draw-date: only this client.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        draws = {d.draw_number: d for d in Draw.objects.filter(draw_number__in=opts["draw_numbers"])}
        missing = [n for n in opts["draw_numbers"] if n not in draws]
        if missing:
            raise CommandError(f"no such draw: {', '.join(missing)}")
        if opts["as_of_draw_date"]:
            self._historical([draws[n] for n in opts["draw_numbers"]], opts["client"])
            return
        if opts["client"]:
            raise CommandError("--client needs --as-of-draw-date")
        for number in opts["draw_numbers"]:
            result = draw_flag(draw_id=draws[number].pk, force=True, send=False if opts["no_email"] else None)
            self.stdout.write(result.summary())

    def _historical(self, draws: list[Draw], only: list[int]) -> None:
        clients = Client.objects.exclude(status="closed").order_by("pk")
        if only:
            clients = clients.filter(pk__in=only)
        hits = rounds_cleared_as_of_draw_date(list(clients.values_list("pk", flat=True)), draws)
        by_draw: dict[str, list[Any]] = {d.draw_number: [] for d in draws}
        for hit in hits:
            by_draw[hit.draw_number].append(hit)
        for draw in draws:
            rows = by_draw[draw.draw_number]
            self.stdout.write(
                f"#{draw.draw_number} {draw.draw_date} cut-off {draw.min_crs}: {len(rows)} client(s) would have "
                "cleared it with their score as of that date (nothing written)"
            )
            for r in rows:
                tie = ", at the cut-off by tie-break" if r.by_tie_break else ""
                pool = "" if r.in_pool else ", profile not in the pool then"
                self.stdout.write(
                    f"  client {r.client_id}: {r.score} ({r.rule_set}), {r.eligibility_basis}{tie}{pool}"
                )
