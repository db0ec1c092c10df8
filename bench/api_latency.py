"""REST API latency under load: 10,000 clients in PostgreSQL, gunicorn, 50 concurrent connections.

    .venv/bin/python bench/api_latency.py [--db maplecase_bench_api] [--seconds 15] [--concurrency 50]
                                         [--workers 3] [--threads 1] [--page-size 50]
                                         [--driver auto|wrk|python] [--write-docs]

1. Creates (or reuses) the PostgreSQL database (`--db`, on 127.0.0.1:5432 as postgres), migrates it and
   seeds one firm with 10,000 clients, 10,000 cases, 20,000 documents and 10,000 deadlines (bulk_create).
2. Starts gunicorn on 127.0.0.1:8765 with the production settings (DEBUG off, persistent connections);
   the throttle rate is raised so the load itself is not throttled.
3. Drives `--concurrency` keep-alive connections (token auth) against each list endpoint for `--seconds`,
   after a short warm-up, and reports requests/s and p50/p90/p95/p99.

The load driver is `wrk` when it is installed (`apt-get install wrk`): a C event loop that costs little
CPU, which matters when it shares the cores with the server. p50/p90/p99 come from its `--latency`
distribution and p95 from a Lua `done()` hook (`latency:percentile(95)`). Without wrk (or with
`--driver python`) a thread pool of `requests` sessions drives the load instead; on a small machine that
driver takes much of the CPU itself and inflates the latencies.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
ENDPOINTS = ["/api/v1/clients/", "/api/v1/cases/", "/api/v1/documents/", "/api/v1/deadlines/"]
N_CLIENTS = 10_000
TOKEN = "b" * 40


def _database_url(db: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{db}"


def ensure_database(db: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')
            print(f"created database {db}")


def server_env(db: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": _database_url(db),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        "SECURE_SSL_REDIRECT": "False",
        # Raised so the load is not throttled, and per second: DRF's throttle keeps one timestamp per
        # request of the window in the cache, so a per-minute window would drag thousands of them
        # through Redis on every request (600/min in production keeps at most 600).
        "API_THROTTLE_RATE": "1000000/s",
        "LOG_LEVEL": "WARNING",
    }


def seed(db: str) -> None:
    """Migrate and load the data set once (reused on later runs)."""
    env = server_env(db)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    os.environ.update(
        {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")}
    )
    os.environ.update({k: env[k] for k in ("CELERY_BROKER_URL", "SECURE_SSL_REDIRECT", "DJANGO_ENV")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from knox.crypto import hash_token

    from cases.models import Case, Deadline, Document
    from firm.models import AuthToken, Client, Firm, Membership, User

    firm, _ = Firm.objects.get_or_create(slug="bench", defaults={"name": "Bench Immigration LLP"})
    user = User.objects.filter(email="bench-admin@bench.test").first()
    if user is None:
        user = User.objects.create_user(email="bench-admin@bench.test", password=secrets.token_urlsafe(16))
        Membership.objects.create(user=user, firm=firm, role="admin")
    # A fixed token (hashed like any other), valid for a day from each setup.
    AuthToken.objects.update_or_create(
        digest=hash_token(TOKEN),
        defaults={
            "token_key": TOKEN[:15],
            "user": user,
            "name": "bench",
            "expiry": timezone.now() + timedelta(days=1),
        },
    )
    have = Client.objects.filter(firm=firm).count()
    if have >= N_CLIENTS:
        print(f"reusing {have} clients in {db}")
        return
    started = time.perf_counter()
    with transaction.atomic():
        clients = Client.objects.bulk_create(
            [
                Client(
                    firm=firm,
                    first_name=f"First{i}",
                    last_name=f"Last{i:05d}",
                    email=f"client{i}@bench.test",
                    date_of_birth=date(1980, 1, 1) + timedelta(days=i % 7000),
                    status=("prospect", "active", "closed")[i % 3],
                    assigned_lawyer=user,
                )
                for i in range(have, N_CLIENTS)
            ],
            batch_size=2000,
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    firm=firm,
                    client=c,
                    pathway="express_entry",
                    title=f"EE {c.last_name}",
                    assigned_lawyer=user,
                )
                for c in clients
            ],
            batch_size=2000,
        )
        Document.objects.bulk_create(
            [
                Document(firm=firm, case=k, kind=kind, label=f"{kind} {k.pk}")
                for k in cases
                for kind in ("passport", "eca")
            ],
            batch_size=4000,
        )
        Deadline.objects.bulk_create(
            [
                Deadline(
                    case=k,
                    kind="ita",
                    label="Submit application",
                    due_on=date.today() + timedelta(days=k.pk % 60),
                )
                for k in cases
            ],
            batch_size=4000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics (the planner guesses badly after a bulk load) and the visibility map that lets
        # COUNT(*) use an index-only scan: the state autovacuum keeps a live database in.
        cursor.execute("VACUUM ANALYZE")
    print(
        f"seeded {len(clients)} clients, cases, documents, deadlines in {time.perf_counter() - started:.1f}s"
    )


def start_server(db: str, workers: int, threads: int = 1) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(db), start_new_session=True)
    for _ in range(60):
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/api/v1/clients/", timeout=10).status_code in (200, 401):
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


# wrk calls done() once, after the run: print the figures the --latency table does not have (p95).
WRK_DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "MAPLECASE requests=%d duration_us=%d status_errors=%d socket_errors=%d timeouts=%d "
      .. "p50_us=%d p90_us=%d p95_us=%d p99_us=%d max_us=%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""

_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _WRK_UNITS_MS[unit]


def parse_wrk(output: str) -> dict[str, float]:
    """wrk's `--latency` distribution (50/75/90/99 %) and the Lua summary line (counts, p95)."""
    line = next(x for x in output.splitlines() if x.startswith("MAPLECASE "))
    summary = {k: int(v) for k, v in (pair.split("=") for pair in line.split()[1:])}
    distribution = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    seconds = summary["duration_us"] / 1e6
    errors = summary["status_errors"] + summary["socket_errors"] + summary["timeouts"]
    return {
        "requests": summary["requests"],
        "errors": errors,
        "rps": summary["requests"] / seconds,
        "p50": _wrk_ms(distribution["50"]) if "50" in distribution else summary["p50_us"] / 1000,
        "p90": _wrk_ms(distribution["90"]) if "90" in distribution else summary["p90_us"] / 1000,
        "p95": summary["p95_us"] / 1000,
        "p99": _wrk_ms(distribution["99"]) if "99" in distribution else summary["p99_us"] / 1000,
    }


def drive_wrk(url: str, *, seconds: float, concurrency: int, warmup: float = 2.0) -> dict[str, float]:
    """Closed loop of `concurrency` keep-alive connections on 2 wrk threads (fewer if fewer connections)."""
    wrk = shutil.which("wrk")
    assert wrk is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_DONE_LUA)
        script = fh.name
    try:
        base = [wrk, "-t", str(min(2, concurrency)), "-c", str(concurrency), "--timeout", "30s"]
        base += ["-H", f"Authorization: Token {TOKEN}"]
        if warmup > 0:
            subprocess.run([*base, "-d", f"{warmup:g}s", url], check=True, capture_output=True, text=True)
        run = subprocess.run(
            [*base, "-d", f"{seconds:g}s", "--latency", "-s", script, url],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script)
    return parse_wrk(run.stdout)


def drive(url: str, *, seconds: float, concurrency: int, warmup: float = 2.0) -> dict[str, float]:
    """The Python fallback driver: one thread and `requests.Session` per connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + warmup + seconds
    measure_from = time.perf_counter() + warmup

    def worker() -> None:
        nonlocal errors
        session = requests.Session()
        session.headers["Authorization"] = f"Token {TOKEN}"
        mine: list[float] = []
        bad = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            try:
                ok = session.get(url, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            t1 = time.perf_counter()
            if t0 >= measure_from:
                mine.append(t1 - t0)
                bad += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50": q[49] * 1000,
        "p90": q[89] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
    }


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f'nproc = {os.cpu_count()}, CPU model "{model}", Python {platform.python_version()},'
        f" load average {load} at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="maplecase_bench_api")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn gthread workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk when installed (auto), or the Python thread pool",
    )
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each endpoint N times and keep the run with the median p95 (a shared machine is noisy)",
    )
    parser.add_argument("--write-docs", action="store_true", help="append the table to docs/benchmarks.md")
    args = parser.parse_args()

    ensure_database(args.db)
    seed(args.db)
    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
    elif driver == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --driver python")
    drive_fn = drive_wrk if driver == "wrk" else drive
    print(f"driver {driver}, gunicorn {args.workers} workers x {args.threads} threads", flush=True)
    server = start_server(args.db, args.workers, args.threads)
    rows = []
    try:
        for path in ENDPOINTS:
            url = f"http://127.0.0.1:{PORT}{path}?page_size={args.page_size}"
            runs = []
            for _ in range(max(1, args.repeat)):
                result = drive_fn(url, seconds=args.seconds, concurrency=args.concurrency)
                runs.append(result)
                print(
                    f"{path:24} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms"
                    f"  p90 {result['p90']:6.1f} ms  p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms"
                    f"  errors {result['errors']}",
                    flush=True,
                )
            runs.sort(key=lambda r: r["p95"])
            rows.append((path, runs[(len(runs) - 1) // 2]))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    table = [
        f"| endpoint (page of {args.page_size}) | req/s | p50 ms | p90 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| `GET {p}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p95']:.1f} | {r['p99']:.1f}"
            f" | {r['errors']} |"
            for p, r in rows
        ),
    ]
    print("\n".join(table))
    print(
        f"{machine()}; driver {driver}, {args.concurrency} connections, {args.seconds:g} s per endpoint"
        + (f", median p95 of {args.repeat} runs" if args.repeat > 1 else "")
    )
    if args.write_docs:
        with (ROOT / "docs/benchmarks.md").open("a") as fh:
            fh.write("\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    main()
