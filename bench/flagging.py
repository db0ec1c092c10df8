"""Draw flagging benchmark on PostgreSQL: 100,000 clients with current scores and eligibility rows.

Usage:
    .venv/bin/python bench/flagging.py build [--clients 100000]   # (re)create database bench_maplecase
    .venv/bin/python bench/flagging.py run [--repeat 5]

`build` drops and recreates the database `bench_maplecase` on the server of BENCH_PG_SERVER (default
postgres://postgres@127.0.0.1:5432), migrates it and bulk-inserts 5 firms (1 admin + 4 lawyers each),
the clients (85% with an assigned lawyer, half in the Express Entry pool), one current CRSScore per
client and ~2.4 Eligibility rows per client (fsw/cec/fst and category rows), and a few nominations.
The database is left in place (other benchmarks reuse it).

`run` times, for one new CEC round (cut-off 480; each run on a fresh draw, then cleaned up):

* service: `scoring.services.flagging.draw_flag` (withdraw/reactivate pass, matches INSERT ... SELECT,
  the digest rows and the client-alert rows, the draw update; one transaction). Sending is not part of
  it: the enqueue after commit is replaced by a no-op.
* bare SQL: hand-written SQL doing the same writes (matches insert-select, one digest per lawyer,
  client alerts insert-select) in one transaction through psycopg, no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "bench_maplecase")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DJANGO_ENV"] = "local"
os.environ["MAPLECASE_BANNER_SHOWN"] = "1"
os.environ.pop("CELERY_BROKER_URL", None)  # eager; the enqueue is replaced by a no-op anyway

FIRMS = 5
LAWYERS_PER_FIRM = 4
CUT_OFF = 480


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def build(n: int, seed: int = 11) -> None:
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from firm.models import Client, Firm, Membership, ProvincialNomination, User
    from scoring.draws import VERSION_2025
    from scoring.models import CRSScore, Eligibility

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    started = time.perf_counter()
    firms, lawyers = [], {}
    for f in range(FIRMS):
        firm = Firm.objects.create(name=f"Bench firm {f}", slug=f"bench-{f}", email_clients_on_draw=f == 0)
        firms.append(firm)
        admin = User.objects.create_user(email=f"admin{f}@bench.test", password=None)
        Membership.objects.create(user=admin, firm=firm, role="admin")
        lawyers[firm.pk] = []
        for j in range(LAWYERS_PER_FIRM):
            user = User.objects.create_user(email=f"lawyer{f}-{j}@bench.test", password=None)
            Membership.objects.create(user=user, firm=firm, role="lawyer")
            lawyers[firm.pk].append(user.pk)
    now = timezone.now()
    batch = 5000
    for start in range(0, n, batch):
        clients = []
        for i in range(start, min(start + batch, n)):
            firm = firms[i % FIRMS]
            in_pool = rng.random() < 0.5
            clients.append(
                Client(
                    firm=firm,
                    first_name=f"C{i}",
                    last_name=f"Bench{i}",
                    email=f"c{i}@clients.bench.test",
                    assigned_lawyer_id=rng.choice(lawyers[firm.pk]) if rng.random() < 0.85 else None,
                    status="active",
                    ee_profile_number=f"E{i:09d}" if in_pool else "",
                    ee_profile_submitted_at=now - timedelta(days=rng.randint(1, 360)) if in_pool else None,
                )
            )
        Client.objects.bulk_create(clients, batch_size=batch)
    print(f"clients: {n} in {time.perf_counter() - started:.1f}s")
    ids = list(Client.objects.order_by("pk").values_list("pk", "firm_id"))
    today = now.date()
    for start in range(0, len(ids), batch):
        scores, eligibility, nominations = [], [], []
        for pk, firm_id in ids[start : start + batch]:
            total = max(0, min(1200, int(rng.gauss(455, 45))))
            nominated = rng.random() < 0.03
            if nominated:
                total += 600
                nominations.append(
                    ProvincialNomination(client_id=pk, province="ON", nominated_on=today - timedelta(days=20))
                )
            scores.append(
                CRSScore(
                    firm_id=firm_id,
                    client_id=pk,
                    total=total,
                    core=total,
                    spouse=0,
                    transferability=0,
                    additional=0,
                    rule_set="crs-2025-03-25",
                    inputs_hash="0" * 64,
                    as_of=today,
                    is_current=True,
                )
            )
            for program, p in (("fsw", 0.55), ("cec", 0.45), ("fst", 0.06)):
                outcome = "eligible" if rng.random() < p else "not_eligible"
                eligibility.append(
                    Eligibility(firm_id=firm_id, client_id=pk, program=program, outcome=outcome, as_of=today)
                )
            if rng.random() < 0.3:
                category = rng.choice(["healthcare", "stem", "trades", "french", "education"])
                eligibility.append(
                    Eligibility(
                        firm_id=firm_id,
                        client_id=pk,
                        program=category,
                        version=VERSION_2025,
                        outcome="eligible",
                        as_of=today,
                    )
                )
        CRSScore.objects.bulk_create(scores, batch_size=batch)
        Eligibility.objects.bulk_create(eligibility, batch_size=batch)
        ProvincialNomination.objects.bulk_create(nominations, batch_size=batch)
    connection.close()
    import psycopg

    with psycopg.connect(f"{SERVER}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"built {DB_NAME}: {n} clients, scores, eligibility in {time.perf_counter() - started:.1f}s")


def build_fast(n: int) -> dict[str, float]:
    """The same data set written by SQL (bench/fast_build.py): one firm per 1,000 clients (at least 5),
    1 admin + 4 lawyers each. 1,000,000 clients take about a minute or two instead of ~25."""
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from fast_build import build_sql

    from firm.models import Firm, Membership, User
    from scoring.draws import VERSION_2025

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    nfirms = max(FIRMS, n // 1000)
    firms = Firm.objects.bulk_create(
        [
            Firm(name=f"Bench firm {f}", slug=f"bench-{f}", email_clients_on_draw=f % 5 == 0)
            for f in range(nfirms)
        ]
    )
    users, roles = [], []
    for f, firm in enumerate(firms):
        for j, role in enumerate(["admin"] + ["lawyer"] * LAWYERS_PER_FIRM):
            users.append(User(email=f"{role}{f}-{j}@bench.test", password="!"))
            roles.append((firm, role))
    users = User.objects.bulk_create(users, batch_size=5000)
    Membership.objects.bulk_create(
        [Membership(user=u, firm=firm, role=role) for u, (firm, role) in zip(users, roles, strict=True)],
        batch_size=5000,
    )
    lawyers: dict[int, list[int]] = {}
    for u, (firm, role) in zip(users, roles, strict=True):
        if role == "lawyer":
            lawyers.setdefault(firm.pk, []).append(u.pk)
    connection.close()
    with psycopg.connect(f"{SERVER}/{DB_NAME}") as conn:
        build_sql(conn, n, [f.pk for f in firms], lawyers, VERSION_2025)
    with psycopg.connect(f"{SERVER}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"built {DB_NAME} (SQL): {n:,} clients in {nfirms:,} firms, scores, eligibility in {elapsed:.1f}s")
    return {"clients": n, "build_s": elapsed}


def _new_draw(number: str):
    from django.utils import timezone

    from scoring.models import Draw

    now = timezone.now()
    return Draw.objects.create(
        draw_number=number,
        draw_date=now.date(),
        name="Canadian Experience Class",
        category="cec",
        programs=["cec"],
        invitations=3000,
        min_crs=CUT_OFF,
        run_at=now,
        tie_break_at=now - timedelta(days=30),
        raw={},
        content_hash="0" * 64,
        updated_at=now,
    )


def _cleanup(draw) -> None:
    from notifications.models import Notification
    from scoring.models import DrawMatch

    Notification.objects.filter(draw=draw).delete()
    DrawMatch.objects.filter(draw=draw).delete()
    draw.delete()


BARE_SQL = """
INSERT INTO scoring_drawmatch (draw_id, client_id, firm_id, lawyer_id, crs_score_id, score, rule_set,
    eligibility_basis, in_pool, by_tie_break, status, flag_run, created_at, updated_at)
SELECT %(draw)s, c.id, c.firm_id, c.assigned_lawyer_id, s.id, s.total, s.rule_set, 'cec',
    (c.ee_profile_number <> '' AND c.ee_profile_submitted_at IS NOT NULL), s.total = %(cut)s, 'active', 1,
    now(), now()
FROM firm_client c JOIN scoring_crsscore s ON s.client_id = c.id AND s.is_current
WHERE c.status <> 'closed'
  AND (s.total > %(cut)s OR (s.total = %(cut)s AND c.ee_profile_submitted_at < %(tie)s))
  AND EXISTS (SELECT 1 FROM scoring_eligibility e WHERE e.client_id = c.id AND e.program = 'cec'
              AND e.outcome = 'eligible')
ON CONFLICT (draw_id, client_id) DO NOTHING;

INSERT INTO scoring_notification (firm_id, kind, recipient_email, recipient_user_id, draw_id, language,
    dedupe_key, payload, status, attempts, created_at, next_attempt_at, last_error)
SELECT m.firm_id, 'draw_digest', u.email, u.id, %(draw)s, u.preferred_language,
    'bare:' || %(draw)s || ':' || u.id, '{}'::jsonb, 'pending', 0, now(), now(), ''
FROM (SELECT DISTINCT firm_id, lawyer_id FROM scoring_drawmatch WHERE draw_id = %(draw)s) m
JOIN firm_user u ON u.id = m.lawyer_id
ON CONFLICT (dedupe_key) DO NOTHING;

INSERT INTO scoring_notification (firm_id, kind, recipient_email, recipient_user_id, client_id, draw_id,
    language, dedupe_key, payload, status, attempts, created_at, next_attempt_at, last_error)
SELECT m.firm_id, 'client_draw_alert', c.email, c.portal_user_id, c.id, m.draw_id, c.preferred_language,
    'bare:' || m.draw_id || ':client:' || m.client_id, jsonb_build_object('match_id', m.id), 'pending', 0,
    now(), now(), ''
FROM scoring_drawmatch m JOIN firm_client c ON c.id = m.client_id JOIN firm_firm f ON f.id = m.firm_id
WHERE m.draw_id = %(draw)s AND f.email_clients_on_draw AND c.email <> ''
ON CONFLICT (dedupe_key) DO NOTHING;
"""


def run(repeat: int) -> dict[str, float]:
    import django

    django.setup()
    import psycopg

    import scoring.services.flagging as flagging_services
    from notifications.models import Notification
    from scoring.models import DrawMatch
    from scoring.services.draws import draw_flag

    flagging_services.notifications_enqueue = lambda ids: None  # time the writes, not the sending

    service, bare, counts = [], [], None
    for i in range(repeat):
        draw = _new_draw(f"bench-{i}")
        started = time.perf_counter()
        result = draw_flag(draw_id=draw.pk)
        service.append(time.perf_counter() - started)
        counts = (result.new_matches, len(result.notifications))
        assert Notification.objects.filter(draw=draw).count() == len(result.notifications)
        _cleanup(draw)

        draw = _new_draw(f"bare-{i}")
        with psycopg.connect(f"{SERVER}/{DB_NAME}") as conn:
            started = time.perf_counter()
            with conn.transaction():
                for statement in filter(str.strip, BARE_SQL.split(";")):
                    conn.execute(
                        statement,
                        {"draw": draw.pk, "cut": CUT_OFF, "tie": datetime.now(UTC) - timedelta(days=30)},
                    )
            bare.append(time.perf_counter() - started)
        bare_counts = (
            DrawMatch.objects.filter(draw=draw).count(),
            Notification.objects.filter(draw=draw).count(),
        )
        _cleanup(draw)
    med_service, med_bare = statistics.median(service), statistics.median(bare)
    print(f"clients: {DrawMatch._meta.apps.get_model('firm', 'Client').objects.count():,}")
    print(f"matches written: {counts[0]:,}; notification rows: {counts[1]:,} (bare SQL: {bare_counts})")
    print(f"service draw_flag: median {med_service:.3f}s  (runs: {', '.join(f'{t:.3f}' for t in service)})")
    print(f"bare SQL:          median {med_bare:.3f}s  (runs: {', '.join(f'{t:.3f}' for t in bare)})")
    print(f"ratio: {med_service / med_bare:.2f}x")
    clients = DrawMatch._meta.apps.get_model("firm", "Client").objects.count()
    return {
        "clients": clients,
        "service_s": med_service,
        "bare_sql_s": med_bare,
        "ratio_to_bare_sql": med_service / med_bare,
        "service_s_per_100k": med_service * 100_000 / clients,
        "service_s_per_1m": med_service * 1_000_000 / clients,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--clients", type=int, default=100_000)
    b.add_argument("--fast", action="store_true", help="write the rows in SQL (generate_series); for 1M")
    r = sub.add_parser("run")
    r.add_argument("--repeat", type=int, default=5)
    for p in (b, r):
        p.add_argument("--json-out", help="write the figures to this file (JSON; used by bench/run_all.py)")
    args = parser.parse_args()
    figures: dict[str, float] | None
    if args.command == "build":
        figures = build_fast(args.clients) if args.fast else None
        if not args.fast:
            build(args.clients)
    else:
        figures = run(args.repeat)
    if args.json_out and figures:
        Path(args.json_out).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
