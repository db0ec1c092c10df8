"""Pathway assessments on the command line, checked from outside the code (like ``crs_score``):

    python manage.py assess < cases.jsonl > assessments.jsonl

Each line is ``{"id", "as_of", "pathway", "client": {...intake client...}, "case": {"facts": {...}}}``; each
output line is ``{"id", "assessments": [...]}`` or ``{"id", "error": {"<field path>": "<message>"}}``, in the
input order (blank lines are skipped). Exit status 0 once every line was read, even if some were invalid.
Works on an empty migrated database and writes nothing to it (see ``pathways/contract.py``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from pathways.contract import assess_line


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Assess cases given as JSON lines on stdin (id, as_of, pathway, client, case.facts): one JSON line out "
        "per line in, in order. Writes nothing to the database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in options.get("stdin") or sys.stdin:
            if not line.strip():
                continue
            self.stdout.write(json.dumps(assess_line(line), ensure_ascii=False, separators=(",", ":")))
            self.stdout.flush()
