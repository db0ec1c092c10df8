"""`manage.py flag_draws 262 263`: flag any draws on demand (email only for recent ones)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.models import Draw
from scoring.services.flagging import draw_flag


class Command(BaseCommand):
    help = (
        "Flag the clients who clear the given draws (by draw number), even old ones. Idempotent: existing "
        "matches are kept, no email is sent twice. Rounds older than DRAW_FLAG_MAX_AGE_DAYS never email."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_numbers", nargs="+", help='Draw numbers as IRCC writes them ("91a").')
        parser.add_argument("--no-email", action="store_true", help="Write matches only, never email.")

    def handle(self, *args: Any, **opts: Any) -> None:
        draws = {d.draw_number: d for d in Draw.objects.filter(draw_number__in=opts["draw_numbers"])}
        missing = [n for n in opts["draw_numbers"] if n not in draws]
        if missing:
            raise CommandError(f"no such draw: {', '.join(missing)}")
        for number in opts["draw_numbers"]:
            result = draw_flag(draw_id=draws[number].pk, force=True, send=False if opts["no_email"] else None)
            self.stdout.write(result.summary())
