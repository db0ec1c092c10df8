"""Recalibration of the outlook, learned only from forecasts whose outcome was known on the day.

Pure engine (numpy). Docs in plain words: docs/outlook.md ("Recalibration: tried, not shipped").

**Status: measured, not shipped.** bench/outlook_backtest.py reports it beside the shipped (raw)
model: on the 2017-2023 backtest it raises the Brier score at every horizon and moves the deciles
that miss rather than removing them, so ``ita_outlook``, the stored outlooks and the pages use the raw
model. ``fit_calibrated`` gives the recalibrated model should a later history support it.

For a day D we run an internal backtest: the raw model is fitted at each date of a
fixed calendar grid (the first of every quarter from ``GRID_START``), forecasts the backtest grid of
profiles (backtest.GRID_SETS x scores), and for the horizon h only the grid dates d with
``d + h <= D`` are used (so every outcome is complete on D: nothing after D is looked at). On those
cases a logistic ("Platt") map per horizon is fitted,

    calibrated = 1 / (1 + exp(-(a + b * logit(raw)))),   b > 0,

pulled towards the identity (a = 0, b = 1) by a ridge penalty so that a few years of history cannot
bend it far. A raw 0 or 1 stays 0 or 1. The map is increasing, so the forecast stays monotone in the
score and the eligible set; a running maximum over the horizons keeps it monotone in the horizon.

The raw forecasts of a grid date depend only on the rounds dated on or before it, so they are cached
per (date, digest of those rounds): a new day costs at most one new fit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from scoring.draws.categories import CATEGORY_KEYS
from scoring.outlook.backtest import GRID_SCORES, GRID_SETS, PNP_SCORES
from scoring.outlook.kinds import kinds_open_to, model_kind
from scoring.outlook.model import HORIZONS, ModelParams, OutlookModel, RoundRecord, fit

GRID_START = date(2015, 7, 1)  # six months into Express Entry: the first date the raw model can speak
EPS = 1e-3  # raw probabilities are clipped to [EPS, 1 - EPS] before the logit
RIDGE = 20.0  # penalty towards the identity map (in units of cases' log-likelihood)
MIN_SLOPE = 0.05
#: The internal backtest's raw model: the shipped settings, with fewer simulated years (speed).
CALIBRATION_PARAMS = ModelParams(n_paths=1000)


@dataclass(frozen=True)
class Calibration:
    """Per horizon (a, b) of the logistic map, and the number of cases it was fitted on."""

    coef: tuple[tuple[float, float], ...]
    cases: tuple[int, ...]

    @classmethod
    def identity(cls) -> Calibration:
        return cls(coef=tuple((0.0, 1.0) for _ in HORIZONS), cases=tuple(0 for _ in HORIZONS))

    def apply(self, raw: np.ndarray) -> np.ndarray:
        """(len(HORIZONS), n) raw -> calibrated, monotone in the horizon (running maximum)."""
        raw = np.asarray(raw, dtype=float)
        out = np.empty_like(raw)
        for i, (a, b) in enumerate(self.coef):
            out[i] = _platt(raw[i], a, b)
        return np.maximum.accumulate(out, axis=0)


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, EPS, 1.0 - EPS)
    return np.log(q / (1.0 - q))


def _platt(p: np.ndarray, a: float, b: float) -> np.ndarray:
    q = 1.0 / (1.0 + np.exp(-(a + b * _logit(p))))
    return np.where(p <= 0.0, 0.0, np.where(p >= 1.0, 1.0, q))


def fit_platt(raw: np.ndarray, outcome: np.ndarray) -> tuple[float, float]:
    """(a, b) maximising the log-likelihood minus RIDGE/2 * (a^2 + (b-1)^2) (Newton steps).
    Raw 0 and 1 are left out: the map keeps them."""
    keep = (raw > 0.0) & (raw < 1.0)
    x, y = _logit(raw[keep]), outcome[keep].astype(float)
    theta = np.array([0.0, 1.0])
    prior = np.array([0.0, 1.0])
    design = np.column_stack([np.ones_like(x), x])
    for _ in range(50):
        mu = 1.0 / (1.0 + np.exp(-(design @ theta)))
        grad = design.T @ (y - mu) - RIDGE * (theta - prior)
        hess = (design * (mu * (1.0 - mu))[:, None]).T @ design + RIDGE * np.eye(2)
        step = np.linalg.solve(hess, grad)
        theta = theta + step
        if np.abs(step).max() < 1e-8:
            break
    return float(theta[0]), float(max(theta[1], MIN_SLOPE))


# --------------------------------------------------------------------------------------------------------
# The internal backtest
# --------------------------------------------------------------------------------------------------------


def grid_dates(before: date) -> list[date]:
    """First of every quarter from GRID_START, strictly before ``before``."""
    out, d = [], GRID_START
    while d < before:
        out.append(d)
        d = date(d.year + (d.month + 2) // 12, (d.month + 2) % 12 + 1, 1)
    return out


def _digest(rounds: Sequence[RoundRecord]) -> str:
    h = hashlib.sha256()
    for r in sorted(rounds, key=lambda r: (r.draw_date, r.category, r.min_crs)):
        h.update(f"{r.draw_date}|{r.category}|{r.min_crs};".encode())
    return h.hexdigest()


#: (grid date, digest of the rounds on or before it) -> [(eligible set, scores, (3, n) raw forecasts)]
_RAW_CACHE: dict[tuple[date, str], list[tuple[tuple[str, ...], np.ndarray, np.ndarray]]] = {}


def raw_forecasts(
    rounds: Sequence[RoundRecord], on: date, params: ModelParams = CALIBRATION_PARAMS
) -> list[tuple[tuple[str, ...], np.ndarray, np.ndarray]]:
    """The raw model's forecasts at ``on`` for the backtest grid (rounds after ``on`` ignored)."""
    before = [r for r in rounds if r.draw_date <= on]
    key = (on, _digest(before) + repr(params))
    cached = _RAW_CACHE.get(key)
    if cached is not None:
        return cached
    model = fit(before, on, params)
    known = {model_kind(r.category) for r in before}
    out = []
    for eligible in GRID_SETS:
        if any(k in CATEGORY_KEYS and k not in known for k in eligible):
            continue
        scores = np.asarray(PNP_SCORES if "pnp" in eligible else GRID_SCORES)
        table = model.table(kinds_open_to(eligible), max_score=int(scores.max()))
        out.append((eligible, scores, table[:, scores]))
    _RAW_CACHE[key] = out
    return out


def outcomes(
    rounds: Sequence[RoundRecord], eligible: tuple[str, ...], scores: np.ndarray, on: date, horizon: int
) -> np.ndarray:
    """1 where a round of an open kind with a cut-off below the score was held in (on, on + h]."""
    kinds = kinds_open_to(eligible)
    end = on + timedelta(days=horizon)
    cuts = [r.min_crs for r in rounds if on < r.draw_date <= end and model_kind(r.category) in kinds]
    lowest = min(cuts) if cuts else 10_000
    return (scores > lowest).astype(int)


def learn(rounds: Sequence[RoundRecord], as_of: date) -> Calibration:
    """The calibration map for forecasts made on ``as_of``: only grid dates whose h-day outcome is
    complete on ``as_of`` (d + h <= as_of), only rounds dated on or before ``as_of``."""
    usable = [r for r in rounds if r.draw_date <= as_of]
    dates = grid_dates(as_of)
    raw_by_date = {d: raw_forecasts(usable, d) for d in dates if d + timedelta(days=HORIZONS[0]) <= as_of}
    coef, counts = [], []
    for i, h in enumerate(HORIZONS):
        xs, ys = [], []
        for d, rows in raw_by_date.items():
            if d + timedelta(days=h) > as_of:
                continue
            for eligible, scores, table in rows:
                xs.append(table[i])
                ys.append(outcomes(usable, eligible, scores, d, h))
        if not xs:
            coef.append((0.0, 1.0))
            counts.append(0)
            continue
        x, y = np.concatenate(xs), np.concatenate(ys)
        coef.append(fit_platt(x, y))
        counts.append(len(x))
    return Calibration(coef=tuple(coef), cases=tuple(counts))


def fit_calibrated(
    rounds: Sequence[RoundRecord], as_of: date, params: ModelParams | None = None
) -> OutlookModel:
    """The shipped model: the raw fit on the rounds on or before ``as_of``, with the calibration
    learned from the internal backtest on earlier dates."""
    model = fit(rounds, as_of, params)
    return replace(model, calibration=learn(rounds, as_of), _cache={})
