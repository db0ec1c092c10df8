"""Historical analogues: "clients placed like you, at past dates, were they invited within h days?"

Pure engine (numpy). The second half of the outlook (the first is the simulation in model.py).

For a past date t (every week, from ``LOOKBACK`` years before today up to today minus the horizon, so
that what followed t is known today) and a kind of round k that had rounds before t, the model takes
how far below k's level at t its lowest cut-off went in the following h days (``R``), and moves that
onto today's level: ``Q = level_today + R`` is the cut-off that the history after t translates to
today. A client is "invited in analogue t" when some kind open to them has ``Q`` below their score.
Past dates weigh ``0.5 ** (age / HALF_LIFE)``, and count only once the feed holds a year of rounds
before them. A kind that did not exist at t adds nothing for t (new kinds rely on the simulation).

Like the simulation, one set of analogues serves every client, so the result is monotone in the
score and in the eligible set; the horizons use different past dates (the longer the horizon, the
older the last usable date), so monotonicity in the horizon is restored by a running maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

NO_ROUND = 10_000
LOOKBACK_DAYS = 6 * 365
STEP_DAYS = 7
HALF_LIFE = 365.0
WARM_UP_DAYS = 365  # a past date counts only once the feed has a year of rounds before it


@dataclass(frozen=True)
class Analogues:
    """Per horizon: weights of the past dates and, per kind, the translated lowest cut-off Q."""

    weights: tuple[np.ndarray, ...]
    cutoffs: tuple[dict[str, np.ndarray], ...]

    def lowest(self, index: int, kinds: frozenset[str]) -> np.ndarray:
        n = len(self.weights[index])
        out = np.full(n, NO_ROUND, dtype=float)
        for kind in kinds:
            q = self.cutoffs[index].get(kind)
            if q is not None:
                out = np.minimum(out, q)
        return out


def build(
    histories: Mapping[str, object],
    levels_now: Mapping[str, float],
    today: float,
    horizons: tuple[int, ...],
) -> Analogues:
    """``histories``: kind -> model._KindHistory (days, cutoffs, level_at)."""
    weights, cutoffs = [], []
    first = min((float(h.days[0]) for h in histories.values()), default=today)  # type: ignore[attr-defined]
    for horizon in horizons:
        origins = np.arange(today - horizon, today - LOOKBACK_DAYS, -STEP_DAYS, dtype=float)[::-1]
        origins = origins[origins >= first + WARM_UP_DAYS]
        weights.append(np.power(0.5, (today - origins) / HALF_LIFE))
        per_kind: dict[str, np.ndarray] = {}
        for kind, hist in histories.items():
            q = np.full(len(origins), NO_ROUND, dtype=float)
            days, cuts = hist.days, hist.cutoffs  # type: ignore[attr-defined]
            for j, t in enumerate(origins):
                level = hist.level_at(float(t), strictly_before=False)  # type: ignore[attr-defined]
                if level is None:
                    continue
                window = (days > t) & (days <= t + horizon)
                if window.any():
                    q[j] = levels_now[kind] + float(cuts[window].min()) - level
            per_kind[kind] = q
        cutoffs.append(per_kind)
    return Analogues(weights=tuple(weights), cutoffs=tuple(cutoffs))


def share_below(lowest: np.ndarray, weights: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Weighted share of analogues whose lowest translated cut-off is below each threshold."""
    total = float(weights.sum())
    if total <= 0 or len(lowest) == 0:
        return np.zeros(len(thresholds))
    order = np.argsort(lowest, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(weights[order])])
    idx = np.searchsorted(lowest[order], thresholds, side="left")
    return cum[idx] / total
