"""Staff pages at firm scale: the dashboard, a client page and a case page, served by gunicorn under
production settings, driven by wrk at 10 concurrent connections.

Usage:
    .venv/bin/python bench/pages.py build [--clients 10000] [--staff 100]   # (re)create bench_pages
    .venv/bin/python bench/pages.py run [--seconds 10] [--concurrency 10]

`build` writes, in SQL (bench/fast_build.insert_select), one firm with 1 admin + (staff - 1) lawyers,
the clients (spread over the lawyers), three scores per client (the last one current), one case per
client and 3 documents per case. `run` logs the firm admin in (a session row, as the login view makes
it), starts gunicorn (2 sync workers, ephemeral port) and measures each page with wrk; p95 comes from
wrk's Lua `done()` hook (bench/api_latency.py).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "bench_pages")
SECRET = secrets.token_urlsafe(60)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{SERVER}/{DB_NAME}",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "LOG_LEVEL": "WARNING",
    }


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def build(n: int, staff: int) -> dict[str, float]:
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(_env())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from firm.models import Firm, Membership, User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    firm = Firm.objects.create(name="Bench national firm", slug="bench-national")
    users = User.objects.bulk_create(
        [
            User(email=f"staff{j}@bench.test", password="!", first_name="Staff", last_name=str(j))
            for j in range(staff)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, firm=firm, role="admin" if j == 0 else "lawyer") for j, u in enumerate(users)]
    )
    lawyers = [u.pk for u in users[1:]]
    connection.close()
    _fill(firm.pk, lawyers, n)
    elapsed = time.perf_counter() - started
    print(f"built {DB_NAME}: 1 firm, {staff} staff, {n:,} clients, {n:,} cases in {elapsed:.1f}s")
    return {"clients": n, "staff": staff, "build_s": elapsed}


def _fill(firm_id: int, lawyers: list[int], n: int) -> None:
    """Clients, three scores each, a case each and three documents per case, set-based (generate_series)."""
    import psycopg
    from fast_build import insert_select

    with psycopg.connect(f"{SERVER}/{DB_NAME}") as conn:
        arr = "ARRAY[" + ",".join(map(str, lawyers)) + "]::bigint[]"
        insert_select(
            conn,
            "firm_client",
            {
                "firm_id": str(firm_id),
                "first_name": "'C' || g",
                "last_name": "'Bench' || g",
                "email": "'c' || g || '@clients.bench.test'",
                "assigned_lawyer_id": f"({arr})[1 + g % {len(lawyers)}]",
                "status": "'active'",
                "created_at": "now() - g * interval '1 minute'",
                "updated_at": "now()",
            },
            f"FROM generate_series(0, {n - 1}) g",
        )
        for k in range(3):
            insert_select(
                conn,
                "scoring_crsscore",
                {
                    "firm_id": "firm_id",
                    "client_id": "id",
                    "total": f"400 + (id * 7 + {k} * 13) % 150",
                    "core": "400",
                    "rule_set": "'crs-2025-03-25'",
                    "inputs_hash": f"repeat('{k}', 64)",
                    "as_of": f"current_date - {(2 - k) * 30}",
                    "is_current": "true" if k == 2 else "false",
                },
                "FROM firm_client",
            )
        insert_select(
            conn,
            "cases_case",
            {
                "firm_id": "firm_id",
                "client_id": "id",
                "pathway": "'express_entry'",
                "title": "'Express Entry for ' || first_name",
                "status": "'documents'",
                "assigned_lawyer_id": "assigned_lawyer_id",
            },
            "FROM firm_client",
        )
        insert_select(
            conn,
            "cases_document",
            {
                "firm_id": "firm_id",
                "case_id": "id",
                "kind": "'other'",
                "label": "'Document ' || k",
                "status": "'requested'",
            },
            "FROM cases_case, generate_series(1, 3) k",
        )
        conn.commit()
    with psycopg.connect(f"{SERVER}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _session_cookie() -> tuple[str, int, int]:
    """A logged-in session of the firm admin, stored as the login view stores it."""
    os.environ.update(_env())
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from cases.models import Case
    from firm.models import Membership

    admin = Membership.objects.select_related("user").get(role="admin").user
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(admin.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    store.create()
    case = Case.objects.order_by("pk").values("pk", "client_id").first()
    assert case is not None, "build the data set first"
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return cookie, case["client_id"], case["pk"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(seconds: float, concurrency: int, workers: int) -> dict[str, float]:
    import requests
    from api_latency import WRK_DONE_LUA, parse_wrk

    cookie, client_id, case_id = _session_cookie()
    port = _free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=_env(), start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    pages = {"dashboard": "/", "client": f"/clients/{client_id}/", "case": f"/cases/{case_id}/"}
    figures: dict[str, float] = {}
    script = Path(f"/tmp/bench-pages-{os.getpid()}.lua")
    script.write_text(WRK_DONE_LUA)
    try:
        for _ in range(80):
            try:
                requests.get(base + "/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        for name, path in pages.items():
            response = requests.get(
                base + path, headers={"Cookie": cookie}, timeout=30, allow_redirects=False
            )
            assert response.status_code == 200, (name, response.status_code, response.headers.get("Location"))
            cmd = ["wrk", "-t", "2", "-c", str(concurrency), "--timeout", "30s", "-H", f"Cookie: {cookie}"]
            subprocess.run([*cmd, "-d", "2s", base + path], check=True, capture_output=True)
            out = subprocess.run(
                [*cmd, "-d", f"{seconds:g}s", "--latency", "-s", str(script), base + path],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            result = parse_wrk(out)
            if not result["requests"]:  # nothing finished within the run: p95 is at least its length
                result["p95"] = result["p50"] = seconds * 1000.0
            figures[f"p95_ms_{name}"] = result["p95"]
            figures[f"p50_ms_{name}"] = result["p50"]
            figures[f"rps_{name}"] = result["rps"]
            figures[f"errors_{name}"] = result["errors"]
            print(
                f"{name:10s} {path:22s} {result['rps']:7.1f} req/s  p50 {result['p50']:7.1f} ms  "
                f"p95 {result['p95']:7.1f} ms  errors {result['errors']}"
            )
    finally:
        script.unlink(missing_ok=True)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--clients", type=int, default=10_000)
    b.add_argument("--staff", type=int, default=100)
    r = sub.add_parser("run")
    r.add_argument("--seconds", type=float, default=10)
    r.add_argument("--concurrency", type=int, default=10)
    r.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    for p in (b, r):
        p.add_argument("--json-out", help="write the figures to this file (JSON; used by bench/run_all.py)")
    args = parser.parse_args()
    figures = (
        build(args.clients, args.staff)
        if args.cmd == "build"
        else run(args.seconds, args.concurrency, args.workers)
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
