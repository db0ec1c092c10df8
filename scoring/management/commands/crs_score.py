"""The CRS calculator on the command line: one JSON input per line in, one JSON output per line out.

    python manage.py crs_score < inputs.jsonl > outputs.jsonl
    python manage.py crs_score --input inputs.jsonl [--whatif] [--today 2026-01-31]

Each line is a calculator-contract payload (scoring.crs.contract). Outputs keep the input order. A bad
line (invalid JSON or a contract error) gives its error line, ``{"error": {"<field path>": "<message>"}}``,
and the run goes on; blank lines are skipped. The exit code is 0 unless the input file cannot be read.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.crs.contract import calculate
from scoring.crs.whatif import whatif


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Score CRS calculator payloads: one JSON object per line on stdin (or --input), one result per line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", "-i", help="Read payloads from this file instead of standard input.")
        parser.add_argument("--whatif", action="store_true", help="Output the what-if improvements as well.")
        parser.add_argument("--today", help="The date used when a payload has no as_of (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be a date YYYY-MM-DD: {exc}") from exc
        path = options.get("input")
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    self._run(fh, today, options["whatif"])
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        else:
            self._run(options.get("stdin") or sys.stdin, today, options["whatif"])

    def _run(self, lines: IO[str], today: date | None, with_whatif: bool) -> None:
        write = self.stdout.write
        for line in lines:
            if not line.strip():
                continue
            try:
                payload = json.loads(line)
            except ValueError as exc:
                result: dict[str, Any] = {
                    "error": {"payload": f"invalid JSON: {exc.msg} (column {exc.colno})"}
                }
            else:
                result = whatif(payload, today=today) if with_whatif else calculate(payload, today=today)
                if with_whatif and "error" not in result:
                    result = {**calculate(payload, today=today), "improvements": result["improvements"]}
            write(json.dumps(result, separators=(",", ":"), sort_keys=False))
