"""Every benchmark, reduced (`--quick`, under 5 minutes on the 2-core machine) or at full size.

    .venv/bin/python bench/run_all.py --quick [--json]
    .venv/bin/python bench/run_all.py            # full sizes (builds 100k / 1M / 10k data sets: long)

Each benchmark runs as its own process on its own database (quick runs use `bench_quick_*`, so the
full-size databases are left alone) and reports its figures; seconds are also scaled to the goal's size
(per 100,000 clients for the recompute, per 1,000,000 for flagging). With `--json` the last line is one
JSON object: {"<benchmark>": {"<figure>": number, ...}, ..., "sizes": {...}}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable

QUICK = {"recompute": 4_000, "flagging": 50_000, "pages_clients": 2_000, "pages_seconds": 5, "crs": 50_000}
FULL = {
    "recompute": 100_000,
    "flagging": 1_000_000,
    "pages_clients": 10_000,
    "pages_seconds": 15,
    "crs": 200_000,
}


def _bench(script: str, args: list[str], db: str | None = None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    env = dict(os.environ)
    if db:
        env["BENCH_DB"] = db
    started = time.perf_counter()
    proc = subprocess.run(
        [PY, str(ROOT / "bench" / script), *args, "--json-out", out], cwd=ROOT, env=env, text=True,
        capture_output=True,
    )  # fmt: skip
    sys.stderr.write(proc.stdout)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"{script} {' '.join(args)} failed ({proc.returncode})")
    figures = json.loads(Path(out).read_text() or "{}")
    os.unlink(out)
    figures["_wall_s"] = round(time.perf_counter() - started, 1)
    return figures


def _built(db: str, n: int) -> bool:
    """The data set is there with n clients (then it is reused: --rebuild forces a new build)."""
    import psycopg

    server = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    if REBUILD:
        return False
    try:
        with psycopg.connect(f"{server}/{db}") as conn:
            return conn.execute("SELECT count(*) FROM firm_client").fetchone()[0] == n
    except psycopg.Error:
        return False


REBUILD = False


def recompute(n: int, full: bool) -> dict[str, float]:
    db = "bench_recompute" if full else "bench_quick_recompute"
    built = {} if _built(db, n) else _bench("recompute.py", ["build", "--clients", str(n)], db)
    ran = _bench("recompute.py", ["run", "--workers", "1", "2", "--scenarios", "refresh", "newrows"], db)
    return {
        "refresh_s_per_100k_1proc": ran["refresh_s_per_100k_1proc"],
        "refresh_s_per_100k_2proc": ran["refresh_s_per_100k_2proc"],
        "speedup_2_workers": ran["speedup_2_workers"],
        "newrules_s_per_100k_1proc": ran["newrules_s_per_100k_1proc"],
        "newrules_s_per_100k_2proc": ran["newrules_s_per_100k_2proc"],
        "newrules_speedup_2_workers": ran["newrules_speedup_2_workers"],
        **({"first_full_s_per_100k_1proc": built["first_full_s_per_100k"]} if built else {}),
        "clients": n,
        "clients_scored": ran["clients_scored"],
    }


def flagging(n: int, full: bool) -> dict[str, float]:
    db = "bench_flagging_1m" if full else "bench_quick_flagging"
    built = {} if _built(db, n) else _bench("flagging.py", ["build", "--fast", "--clients", str(n)], db)
    ran = _bench("flagging.py", ["run", "--repeat", "3"], db)
    return {
        "ratio_to_bare_sql": ran["ratio_to_bare_sql"],
        "service_s": ran["service_s"],
        "bare_sql_s": ran["bare_sql_s"],
        "service_s_per_1m": ran["service_s_per_1m"],
        **({"build_s": built["build_s"]} if built else {}),
        "clients": n,
    }


def pages(n: int, seconds: float, full: bool) -> dict[str, Any]:
    db = "bench_pages" if full else "bench_quick_pages"
    if not _built(db, n):
        _bench("pages.py", ["build", "--clients", str(n), "--staff", "100"], db)
    ran = _bench("pages.py", ["run", "--seconds", str(seconds), "--concurrency", "10"], db)
    return {
        "p95_ms": {page: ran[f"p95_ms_{page}"] for page in ("dashboard", "client", "case")},
        "rps": {page: ran[f"rps_{page}"] for page in ("dashboard", "client", "case")},
        "errors": sum(ran[f"errors_{page}"] for page in ("dashboard", "client", "case")),
        "clients": n,
        "staff": 100,
        "concurrency": 10,
    }


def alert() -> dict[str, float]:
    """The real beat + worker test with a local feed server (tests/scoring/django_draws/test_feed_polling.py)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    env = {**os.environ, "ALERT_LATENCY_OUT": out, "REQUIRE_SERVICES": "1"}
    test = "tests/scoring/django_draws/test_feed_polling.py::test_digest_email_within_60_s_of_the_feed_changing_with_real_beat_and_worker"
    proc = subprocess.run(
        [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(proc.stdout[-2000:])
    text = Path(out).read_text()
    os.unlink(out)
    if not text:
        raise SystemExit("the draw-to-alert test did not report a latency")
    return {
        "latency_s": json.loads(text)["latency_s"],
        "poll_interval_s_in_test": 5,
        "passed": proc.returncode == 0,
    }


def crs(n: int) -> dict[str, float]:
    proc = subprocess.run(
        [PY, str(ROOT / "bench/crs_throughput.py"), str(n)], cwd=ROOT, capture_output=True, text=True
    )
    sys.stderr.write(proc.stdout)
    import re

    rates = [float(x.replace(",", "")) for x in re.findall(r"([\d,]+(?:\.\d+)?) profiles/s", proc.stdout)]
    return {"profiles_per_s": max(rates) if rates else 0.0, "profiles": n}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="reduced sizes (under 5 minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--only", nargs="+", choices=["recompute", "flagging", "pages", "alert", "crs"])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data sets even if present")
    args = parser.parse_args()
    global REBUILD
    REBUILD = args.rebuild
    sizes = QUICK if args.quick else FULL
    full = not args.quick
    only = set(args.only or ["recompute", "flagging", "pages", "alert", "crs"])
    started = time.perf_counter()
    results: dict[str, Any] = {}
    if "alert" in only:
        results["alert"] = alert()
    if "flagging" in only:
        results["flagging"] = flagging(sizes["flagging"], full)
    if "pages" in only:
        results["pages"] = pages(sizes["pages_clients"], sizes["pages_seconds"], full)
    if "recompute" in only:
        results["recompute"] = recompute(sizes["recompute"], full)
    if "crs" in only:
        results["crs"] = crs(sizes["crs"])
    results["sizes"] = dict(sizes)
    results["sizes"]["total_s"] = round(time.perf_counter() - started, 1)
    for bench, figures in results.items():
        for name, value in figures.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v:.1f}" for k, v in value.items())
            elif isinstance(value, float):
                value = f"{value:.3f}"
            print(f"{bench:10s} {name:32s} {value}")
    if args.json:
        print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
