"""Nightly CRS recompute benchmark on PostgreSQL: N clients with realistic facts, all forced due.

Usage:
    .venv/bin/python bench/recompute.py build [--clients 100000]     # (re)create database bench_recompute
    .venv/bin/python bench/recompute.py run [--workers 1 2] [--profile] [--scenarios refresh newrows]

`build` drops and recreates the database `bench_recompute` (DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432), migrates it, bulk-inserts the firms, clients and facts and runs a
first full recompute (timed: it inserts every score and ~25 eligibility rows per client).

`run` forces every current score due (next_change_on = today) and times `scores_recompute_due`:

* scenario `refresh`: nothing changed since the last run (the usual nightly case for clients whose
  date has come but whose facts did not change: one bulk UPDATE of as_of / next_change_on);
* scenario `newrows`: every client gets a new score row (the current rows' inputs hash is reset first,
  as after a new rule set), the old row is demoted in the same transaction.

With `--workers 2` the due clients are split into batches of 1,000 processed by 2 processes (what two
Celery workers do with `scores_recompute_batch_task`). `--profile` runs pyinstrument on one batch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "bench_recompute")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_ENV", "local")

NOCS_SKILLED = [
    "21231",
    "21300",
    "21211",
    "31301",
    "31102",
    "13110",
    "41200",
    "72410",
    "73300",
    "00012",
    "21222",
]
NOCS_OTHER = ["65201", "75101", "64100"]


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def build(n: int, seed: int = 7) -> dict[str, float]:
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from firm.models import (
        Client,
        Education,
        Firm,
        JobOffer,
        LanguageTest,
        ProvincialNomination,
        WorkExperience,
    )

    today = timezone.localdate()
    rng = random.Random(seed)
    t0 = time.perf_counter()
    firms = Firm.objects.bulk_create([Firm(name=f"Bench firm {i}", slug=f"bench-{i}") for i in range(10)])
    clients = []
    for i in range(n):
        marital = rng.choices(["single", "married", "common_law", "divorced"], [50, 35, 10, 5])[0]
        partnered = marital in ("married", "common_law")
        clients.append(
            Client(
                firm=firms[i % len(firms)],
                first_name=f"C{i}",
                last_name=f"Bench{i % 997}",
                date_of_birth=today - timedelta(days=rng.randint(21 * 365, 50 * 365)),
                marital_status=marital,
                spouse_accompanying=partnered and rng.random() < 0.8,
                spouse_canadian=partnered and rng.random() < 0.05,
                sibling_in_canada=rng.random() < 0.08,
                certificate_of_qualification=rng.random() < 0.03,
            )
        )
    clients = Client.objects.bulk_create(clients, batch_size=5000)
    langs, edus, works, offers, noms = [], [], [], [], []

    def lang(c: Client, person: str, french: bool = False) -> None:
        test_date = today - timedelta(
            days=rng.randint(0, 900) if rng.random() < 0.9 else rng.randint(750, 1500)
        )
        if french:
            scores = [Decimal(rng.randint(300, 600)) for _ in range(4)]
            test = "tef"
        elif rng.random() < 0.5:
            scores = [Decimal(rng.choice([5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9])) for _ in range(4)]
            test = "ielts"
        else:
            scores = [Decimal(rng.randint(5, 12)) for _ in range(4)]
            test = "celpip"
        langs.append(
            LanguageTest(
                client=c,
                person=person,
                test=test,
                test_date=test_date,
                role="second" if french else "first",
                listening=scores[0],
                reading=scores[1],
                writing=scores[2],
                speaking=scores[3],
            )
        )

    def edu(c: Client, person: str) -> None:
        in_canada = rng.random() < 0.2
        level = rng.choice(["secondary", "one_year", "two_year", "bachelors", "bachelors", "masters", "phd"])
        edus.append(
            Education(
                client=c,
                person=person,
                level=level,
                in_canada=in_canada,
                program_years=rng.randint(1, 4),
                completed_on=today - timedelta(days=rng.randint(200, 6000)),
                full_time_in_canada=in_canada and rng.random() < 0.8,
                eca_date=None if in_canada else today - timedelta(days=rng.randint(10, 2200)),
            )
        )

    def job(c: Client, person: str) -> None:
        start = today - timedelta(days=rng.randint(100, 4500))
        end = None if rng.random() < 0.35 else min(today, start + timedelta(days=rng.randint(90, 2000)))
        noc = rng.choice(NOCS_SKILLED) if rng.random() < 0.85 else rng.choice(NOCS_OTHER)
        in_canada = rng.random() < 0.35
        works.append(
            WorkExperience(
                client=c,
                person=person,
                noc_code=noc,
                teer=int(noc[1]),
                in_canada=in_canada,
                province=rng.choice(["ON", "BC", "AB", "QC", "MB"]) if in_canada else "",
                start_date=start,
                end_date=end,
                hours_per_week=Decimal(rng.choice([40, 40, 37.5, 30, 20])),
            )
        )

    for c in clients:
        lang(c, "principal")
        if rng.random() < 0.25:
            lang(c, "principal")
        if rng.random() < 0.12:
            lang(c, "principal", french=True)
        if rng.random() < 0.97:
            edu(c, "principal")
        if rng.random() < 0.45:
            edu(c, "principal")
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            job(c, "principal")
        if c.marital_status in ("married", "common_law"):
            if rng.random() < 0.6:
                lang(c, "spouse")
            edu(c, "spouse")
            if rng.random() < 0.4:
                job(c, "spouse")
        if rng.random() < 0.15:
            noc = rng.choice(NOCS_SKILLED)
            offers.append(
                JobOffer(
                    client=c,
                    employer="Employer",
                    noc_code=noc,
                    teer=int(noc[1]),
                    province=rng.choice(["ON", "BC", "QC"]),
                    lmia_number="L1" if rng.random() < 0.5 else "",
                    offered_on=today - timedelta(days=rng.randint(0, 700)),
                )
            )
        if rng.random() < 0.04:
            noms.append(
                ProvincialNomination(
                    client=c,
                    province="ON",
                    nominated_on=today - timedelta(days=rng.randint(0, 300)),
                    expires_on=today + timedelta(days=rng.randint(30, 300)),
                )
            )
    for model, rows in (
        (LanguageTest, langs),
        (Education, edus),
        (WorkExperience, works),
        (JobOffer, offers),
        (ProvincialNomination, noms),
    ):
        model.objects.bulk_create(rows, batch_size=5000)
    print(
        f"built {n:,} clients: {len(langs):,} language tests, {len(edus):,} educations, {len(works):,} jobs, "
        f"{len(offers):,} offers, {len(noms):,} nominations in {time.perf_counter() - t0:.1f} s"
    )
    from scoring.services.scores import scores_recompute_all

    t0 = time.perf_counter()
    count = scores_recompute_all(today=today)
    first = time.perf_counter() - t0
    print(f"first full recompute (inserts scores and eligibility): {count:,} clients in {first:.1f} s")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return {"clients": n, "first_full_s": first, "first_full_s_per_100k": first * 100_000 / n}


def _setup() -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # production-like: no query log, no debug cursor


def _worker_init() -> None:
    _setup()


def _worker_batch(args: tuple[list[int], str]) -> int:
    from scoring.services.scores import recompute_clients

    ids, day = args
    return recompute_clients(ids, as_of=date.fromisoformat(day)).clients


def run(workers: list[int], scenarios: list[str], profile: bool) -> dict[str, float]:
    _setup()
    from django.db import connection, connections
    from django.utils import timezone

    from scoring.models import CRSScore
    from scoring.services.scores import recompute_clients, scores_due_client_ids, scores_recompute_due

    today = timezone.localdate()
    total = CRSScore.objects.filter(is_current=True).count()
    print(f"database {DB_NAME}: {total:,} clients with a current score; today {today}")

    figures: dict[str, float] = {"clients_scored": total}

    def force(scenario: str) -> None:
        fields = {"next_change_on": today}
        if scenario == "newrows":  # a new rule set: every score and every eligibility fingerprint differs
            fields["inputs_hash"] = "reset-by-bench"
            if any(f.name == "eligibility_hash" for f in CRSScore._meta.fields):
                fields["eligibility_hash"] = "reset-by-bench"
        CRSScore.objects.filter(is_current=True).update(**fields)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE scoring_crsscore")

    if profile:
        from pyinstrument import Profiler

        force("refresh")
        ids = scores_due_client_ids(today=today)[:2000]
        profiler = Profiler()
        profiler.start()
        recompute_clients(ids[:1000], as_of=today)
        recompute_clients(ids[1000:], as_of=today)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))

    for scenario in scenarios:
        for n in workers:
            force(scenario)
            t0 = time.perf_counter()
            if n == 1:
                count = scores_recompute_due(today=today)
            else:
                import multiprocessing as mp

                ids = scores_due_client_ids(today=today)
                chunks = [(ids[i : i + 1000], today.isoformat()) for i in range(0, len(ids), 1000)]
                connections.close_all()
                with mp.get_context("fork").Pool(n, initializer=_worker_init) as pool:
                    count = sum(pool.imap_unordered(_worker_batch, chunks))
            elapsed = time.perf_counter() - t0
            print(
                f"scenario {scenario:8s} workers {n}: {count:,} clients in {elapsed:.1f} s "
                f"({count / elapsed:,.0f} clients/s)"
            )
            assert scores_due_client_ids(today=today) == [], "some clients are still due"
            name = "refresh" if scenario == "refresh" else "newrules"
            figures[f"{name}_s_{n}proc"] = elapsed
            figures[f"{name}_s_per_100k_{n}proc"] = elapsed * 100_000 / max(count, 1)
    for name in ("refresh", "newrules"):
        if f"{name}_s_1proc" in figures and f"{name}_s_2proc" in figures:
            figures[f"{name}_speedup_2_workers"] = figures[f"{name}_s_1proc"] / figures[f"{name}_s_2proc"]
    if "refresh_speedup_2_workers" in figures:
        figures["speedup_2_workers"] = figures["refresh_speedup_2_workers"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--clients", type=int, default=100_000)
    r = sub.add_parser("run")
    r.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    r.add_argument("--scenarios", nargs="+", default=["refresh", "newrows"], choices=["refresh", "newrows"])
    r.add_argument("--profile", action="store_true")
    for p in (b, r):
        p.add_argument("--json-out", help="write the figures to this file (JSON; used by bench/run_all.py)")
    args = parser.parse_args()
    figures = build(args.clients) if args.cmd == "build" else run(args.workers, args.scenarios, args.profile)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
