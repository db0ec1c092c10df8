"""`manage.py ita_outlook --as-of YYYY-MM-DD`: the ITA outlook for JSON lines on stdin (the contract).

Uses only the rounds in the database dated on or before --as-of. If the database holds no round at
all, the snapshot shipped with the code is used and stderr says so. Bad lines give an error object;
the command exits 0. Contract: docs/outlook.md.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.outlook import fit
from scoring.outlook.contract import answer_line
from scoring.selectors.outlook import outlook_rounds


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of: not a date YYYY-MM-DD: {text!r}") from exc


class Command(BaseCommand):
    help = "Read client lines (JSON) on stdin, write the invitation outlook per line (JSON) on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, type=str, help="YYYY-MM-DD: ignore later rounds.")

    def handle(self, *args: Any, **opts: Any) -> None:
        as_of = _as_of(opts["as_of"])
        rounds, source = outlook_rounds(as_of)
        if source == "snapshot":
            sys.stderr.write(
                "ita_outlook: the database holds no rounds; using the snapshot shipped with the code "
                "(rounds 1-300, to 2024-07-04). Load rounds with `manage.py sync_draws`.\n"
            )
        if not rounds:
            sys.stderr.write(f"ita_outlook: no round dated on or before {as_of}: every probability is 0.\n")
        model = fit(rounds, as_of)
        out = self.stdout
        for line in sys.stdin:
            if not line.strip():
                continue
            out.write(json.dumps(answer_line(model, line), ensure_ascii=False))
            out.flush()
