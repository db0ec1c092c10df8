"""Backtest of the ITA outlook against two naive forecasts (docs/outlook.md shows the output).

    .venv/bin/python bench/outlook_backtest.py [--feed FILE] [--start 2017-01-01] [--end 2023-07-01]

For each cut-off date (every --every months, default three, from --start to --end) the model is fitted on the rounds
dated on or before it only, then every grid profile (scoring.outlook.backtest.GRID_SETS x scores) is
forecast and scored against the rounds that followed. The feed defaults to the snapshot shipped with the
code (rounds 1-300, to 2024-07-04), so the last cut-off date is a year before its end.
Prints the Brier score per horizon for the model, the model recalibrated prequentially
(scoring.outlook.calibration: a map learned only from earlier cut-off dates whose outcome was known;
reported, not shipped) and the two naive forecasts, and the reliability tables (deciles of the
predicted probability) per horizon. Exit 1 if the model does not beat both or a
decile with 30+ cases is off by more than 0.1.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.outlook import HORIZONS
from scoring.outlook import backtest as bt
from scoring.outlook.sources import records_from_feed, snapshot_records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feed", help="a feed file (IRCC JSON); default: the shipped snapshot")
    parser.add_argument("--start", default="2017-01-01")
    parser.add_argument("--end", default="2023-07-01")
    parser.add_argument("--every", type=int, default=3, help="months between cut-off dates (default 3)")
    args = parser.parse_args()
    rounds = records_from_feed(Path(args.feed).read_bytes()) if args.feed else snapshot_records()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    dates = [
        date(y, m, 1)
        for y in range(start.year, end.year + 1)
        for m in range(1, 13, args.every)
        if start <= date(y, m, 1) <= end
    ]
    began = time.perf_counter()
    cases = bt.run(rounds, dates)
    print(
        f"{len(dates)} cut-off dates {dates[0]} .. {dates[-1]}, {len(cases) // len(HORIZONS)} profiles "
        f"per horizon, {time.perf_counter() - began:.0f} s\n"
    )
    ok = True
    print(
        "| horizon | model (shipped) | model recalibrated (not shipped) | naive: above last cut-off "
        "| naive: share of windows |"
    )
    print("|---|---|---|---|---|")
    tables = []
    for h in HORIZONS:
        cs = [c for c in cases if c.horizon == h]
        y = np.asarray([c.outcome for c in cs], dtype=float)
        m = np.asarray([c.model for c in cs])
        a = np.asarray([c.last_cutoff for c in cs])
        b = np.asarray([c.window_share for c in cs])
        k = np.asarray([c.calibrated for c in cs])
        g = np.asarray([c.cutoff_date.toordinal() for c in cs])
        bm, ba, bb, bk = bt.brier(m, y), bt.brier(a, y), bt.brier(b, y), bt.brier(k, y)
        ok &= bm < ba and bm < bb
        print(f"| {h} days | {bm:.4f} | {bk:.4f} | {ba:.4f} | {bb:.4f} |")
        tables.append((h, "model (shipped)", bt.reliability(m, y, groups=g), True))
        tables.append((h, "model recalibrated (not shipped)", bt.reliability(k, y, groups=g), False))
    for h, name, rows, shipped in tables:
        print(f"\nReliability, {h} days, {name}\n")
        print("| predicted | cases | mean predicted | observed | within 0.1 | SE of the gap, by date |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            flag = "" if r.cases < 30 else ("yes" if r.gap <= 0.1 else "**no**")
            pred = "-" if not r.cases else f"{r.predicted:.3f}"
            seen = "-" if not r.cases else f"{r.observed:.3f}"
            se = "-" if not r.cases else f"{r.se:.3f}"
            print(f"| {r.lo:.1f}-{r.hi:.1f} | {r.cases} | {pred} | {seen} | {flag} | {se} |")
        if shipped:
            ok &= bt.calibrated(rows)
    print(f"\nbeats both naive forecasts at every horizon and calibrated: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
