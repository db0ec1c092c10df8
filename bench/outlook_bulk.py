"""Bulk recompute of stored ITA outlooks: N clients with a current score and eligibility, one run.

    DATABASE_URL=postgres://... .venv/bin/python bench/outlook_bulk.py [--clients 100000]

Creates a throw-away firm with N clients (CRS scores spread 300-900, a mix of eligible programs and
categories, some nominations), times scoring.services.outlook.outlooks_recompute over all of them,
then deletes the firm. Result in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from firm.models import Client, Firm  # noqa: E402
from scoring.models import ClientOutlook, CRSScore, Eligibility  # noqa: E402
from scoring.services.outlook import outlooks_recompute  # noqa: E402

SETS = [("cec",), ("fsw",), ("cec", "fsw"), ("fsw", "french"), ("cec", "healthcare"), ("fst", "trades")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print the top functions (cProfile)")
    args = parser.parse_args()
    rng = random.Random(13)
    firm = Firm.objects.create(
        name=f"outlook bench {time.time():.0f}", slug=f"outlook-bench-{time.time():.0f}"
    )
    try:
        t0 = time.perf_counter()
        clients = Client.objects.bulk_create(
            [Client(firm=firm, first_name="C", last_name=str(i)) for i in range(args.clients)],
            batch_size=5000,
        )
        today = date.today()
        CRSScore.objects.bulk_create(
            [
                CRSScore(
                    firm=firm,
                    client=c,
                    total=rng.randint(300, 900),
                    core=0,
                    spouse=0,
                    transferability=0,
                    additional=0,
                    rule_set="bench",
                    inputs_hash="x",
                    as_of=today,
                )
                for c in clients
            ],
            batch_size=5000,
        )
        Eligibility.objects.bulk_create(
            [
                Eligibility(firm=firm, client=c, program=p, version="", outcome="eligible", as_of=today)
                for c in clients
                for p in rng.choice(SETS)
            ],
            batch_size=5000,
        )
        print(f"setup {args.clients} clients: {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            written = prof.runcall(outlooks_recompute, client_ids=None, as_of=today)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        else:
            written = outlooks_recompute(client_ids=None, as_of=today)
        elapsed = time.perf_counter() - t0
        print(
            f"outlooks_recompute: {written} rows in {elapsed:.1f} s ({written / elapsed:,.0f} clients/s)"
            f" on {connection.vendor}, {timezone.now():%Y-%m-%d}"
        )
        assert ClientOutlook.objects.filter(firm=firm).count() == args.clients
    finally:
        firm.delete()


if __name__ == "__main__":
    main()
