"""Backtest of the outlook: forecasts made at past dates, scored against the rounds that followed.

Pure engine (numpy). The runner is bench/outlook_backtest.py; results are in docs/outlook.md.

For each cut-off date T: fit on the rounds dated on or before T only, forecast every profile of a
grid (score x eligible set), and record whether a round the profile would have cleared was held in
(T, T + h] for h in 90/180/365 days. The grid has no submission times, so a tie never counts.

Two naive forecasts are scored beside the model:

* ``last_cutoff``: 1 if the score is above the last cut-off of some eligible kind of round, else 0
  (the same for every horizon);
* ``window_share``: the share of the h-day windows starting in the past year (T-365 to T-h) that held
  a round the profile would have cleared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from scoring.draws.categories import CATEGORY_KEYS
from scoring.outlook.kinds import kinds_open_to, model_kind
from scoring.outlook.model import HORIZONS, ModelParams, RoundRecord, fit

#: Eligible sets of the grid: the common situations of Express Entry candidates.
GRID_SETS: tuple[tuple[str, ...], ...] = (
    ("cec",),
    ("fsw",),
    ("fst",),
    ("cec", "fsw"),
    ("fsw", "french"),
    ("cec", "fsw", "french"),
    ("fsw", "healthcare"),
    ("cec", "stem"),
    ("fst", "trades"),
    ("fsw", "transport"),
    ("fsw", "agriculture"),
    ("cec", "pnp"),
    ("fsw", "pnp"),
)
GRID_SCORES: tuple[int, ...] = tuple(range(300, 651, 10))
PNP_SCORES: tuple[int, ...] = tuple(range(640, 951, 10))  # with a nomination's 600 points


@dataclass(frozen=True)
class Case:
    cutoff_date: date
    score: int
    eligible: tuple[str, ...]
    horizon: int
    model: float
    last_cutoff: float
    window_share: float
    outcome: int
    calibrated: float = float("nan")  # the model recalibrated prequentially (calibration.py; not shipped)


def _kind_rounds(rounds: Sequence[RoundRecord]) -> list[tuple[date, str, int]]:
    out = []
    for r in rounds:
        kind = model_kind(r.category)
        if kind is not None:
            out.append((r.draw_date, kind, int(r.min_crs)))
    out.sort()
    return out


def _cleared(
    rounds: list[tuple[date, str, int]], kinds: frozenset[str], score: int, lo: date, hi: date
) -> bool:
    """A round of an open kind with a cut-off below the score, dated in (lo, hi]."""
    return any(lo < d <= hi and k in kinds and c < score for d, k, c in rounds)


def naive_last_cutoff(
    rounds: list[tuple[date, str, int]], kinds: frozenset[str], score: int, on: date
) -> float:
    last: dict[str, int] = {}
    for d, k, c in rounds:
        if d <= on and k in kinds:
            last[k] = c
    return 1.0 if any(score > c for c in last.values()) else 0.0


def naive_window_share(
    rounds: list[tuple[date, str, int]], kinds: frozenset[str], score: int, on: date, horizon: int
) -> float:
    days = [d for d, k, c in rounds if k in kinds and c < score and on - timedelta(days=365) < d <= on]
    starts = [on - timedelta(days=365) + timedelta(days=i) for i in range(365 - horizon + 1)]
    held = sum(1 for s in starts if any(s < d <= s + timedelta(days=horizon) for d in days))
    return held / len(starts)


def run(
    rounds: Sequence[RoundRecord],
    cutoff_dates: Sequence[date],
    params: ModelParams | None = None,
    *,
    naive: bool = True,
    calibrate: bool = True,
) -> list[Case]:
    """Every case of the backtest (cut-off date x profile x horizon). The model at each date sees the
    rounds dated on or before it only; so does its calibration (calibration.learn: grid dates whose
    outcome was complete on the date)."""
    from scoring.outlook.calibration import learn

    history = _kind_rounds(rounds)
    cases: list[Case] = []
    for on in cutoff_dates:
        before = [r for r in rounds if r.draw_date <= on]
        model = fit(before, on, params)
        calibration = learn(before, on) if calibrate else None
        known = {model_kind(r.category) for r in rounds if r.draw_date <= on}
        for eligible in GRID_SETS:
            if any(key in CATEGORY_KEYS and key not in known for key in eligible):
                continue  # a category not announced by then: nobody could be "eligible" for it yet
            kinds = kinds_open_to(eligible)
            scores = PNP_SCORES if "pnp" in eligible else GRID_SCORES
            for score in scores:
                probs = model.probabilities(score, kinds)
                recal = probs if calibration is None else calibration.apply(np.asarray(probs)[:, None])[:, 0]
                last = naive_last_cutoff(history, kinds, score, on) if naive else 0.0
                for i, horizon in enumerate(HORIZONS):
                    end = on + timedelta(days=horizon)
                    cases.append(
                        Case(
                            cutoff_date=on,
                            score=score,
                            eligible=eligible,
                            horizon=horizon,
                            model=probs[i],
                            calibrated=float(recal[i]),
                            last_cutoff=last,
                            window_share=naive_window_share(history, kinds, score, on, horizon)
                            if naive
                            else 0.0,
                            outcome=int(_cleared(history, kinds, score, on, end)),
                        )
                    )
    return cases


def brier(pred: np.ndarray, outcome: np.ndarray) -> float:
    return float(np.mean((pred - outcome) ** 2)) if len(pred) else float("nan")


@dataclass(frozen=True)
class ReliabilityRow:
    lo: float
    hi: float
    cases: int
    predicted: float
    observed: float
    se: float = float("nan")  # standard error of observed - predicted, cases of one cut-off date together

    @property
    def gap(self) -> float:
        return abs(self.observed - self.predicted)


def _cluster_se(residual: np.ndarray, groups: np.ndarray) -> float:
    """Standard error of the mean residual when the cases of one group (one cut-off date: one shared
    future) are not independent: residuals summed per group, groups independent."""
    if not len(residual):
        return float("nan")
    sums = np.bincount(np.unique(groups, return_inverse=True)[1], weights=residual)
    return float(np.sqrt((sums**2).sum()) / len(residual))


def reliability(
    pred: np.ndarray, outcome: np.ndarray, bins: int = 10, groups: np.ndarray | None = None
) -> list[ReliabilityRow]:
    """Predicted vs observed per decile of the predicted probability (0-0.1, ..., 0.9-1.0); with
    ``groups`` (the cut-off date of each case) also the clustered standard error of the gap."""
    rows = []
    index = np.minimum((pred * bins).astype(int), bins - 1)
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        se = float("nan") if groups is None else _cluster_se(outcome[mask] - pred[mask], groups[mask])
        rows.append(
            ReliabilityRow(
                lo=b / bins,
                hi=(b + 1) / bins,
                cases=n,
                predicted=float(pred[mask].mean()) if n else float("nan"),
                observed=float(outcome[mask].mean()) if n else float("nan"),
                se=se,
            )
        )
    return rows


def calibrated(rows: list[ReliabilityRow], *, min_cases: int = 30, tolerance: float = 0.1) -> bool:
    return all(r.gap <= tolerance for r in rows if r.cases >= min_cases)
