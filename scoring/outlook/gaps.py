"""How long until the next round of a kind: gaps between rounds, pauses included.

Pure engine (numpy). Rounds of one kind do not come at a steady rate: they come every two weeks for
months, then stop for a year (general rounds, December 2020 to July 2022) or for good (FSTP-only
rounds after 2020). The outlook therefore models the **gap** from one round to the next, and the gap
still running today, with a weighted Kaplan-Meier estimate:

* every past gap of the kind is an observation (recent gaps weigh more, ``0.5 ** (age / half-life)``);
* the gap still running today (days since the kind's last round) is an observation that is not over
  yet (censored), so a kind that has been silent for long makes long silences look likely;
* a kind with few gaps borrows the gaps of the other kinds of its family, at a lower weight.

The chance of the next round within ``d`` days, given ``a`` days already without one, is
``1 - S(a + d) / S(a)``. Up to 60 days after a round this is the kind's usual rhythm (Kaplan-Meier);
past 60 days without a round the kind is in a pause, and pauses end at a constant rate: the pauses
that ended, per day spent in a pause (weighted), with a prior of half an end per 2,000 days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Survival:
    """Weighted Kaplan-Meier survival of the gap: S(t) = P(gap > t), a step function."""

    times: np.ndarray  # event times, increasing
    survival: np.ndarray  # S just after each event time
    tail_hazard: float = 0.0  # per day, beyond the last event time (a pause ends at this rate)

    @property
    def end(self) -> float:
        return PAUSE_DAYS

    def _tail(self, t: np.ndarray) -> np.ndarray:
        last = self.survival[-1] if len(self.survival) else 1.0
        return last * np.exp(-self.tail_hazard * np.maximum(np.asarray(t, dtype=float) - self.end, 0.0))

    def at(self, t: float | np.ndarray) -> np.ndarray:
        if len(self.times) == 0:
            return self._tail(t)
        idx = np.searchsorted(self.times, t, side="right") - 1
        inside = np.where(idx >= 0, self.survival[np.maximum(idx, 0)], 1.0)
        return np.where(np.asarray(t) > self.end, self._tail(t), inside)

    def sample(
        self, rng: np.random.Generator, elapsed: np.ndarray, uniform: np.ndarray | None = None
    ) -> np.ndarray:
        """Days from now to the next round, given ``elapsed`` days without one (inf: none).
        ``uniform``: the dice rolls to use (default: fresh ones from ``rng``)."""
        base = self.at(elapsed)
        u = rng.uniform(size=np.shape(elapsed)) if uniform is None else uniform
        target = u * base  # S(gap) <= target
        # first event time t > elapsed with S(t) <= target; S is non-increasing
        out = np.full(np.shape(elapsed), np.inf)
        # past the last gap ever seen: an exponential tail (S(end) * exp(-h (t - end)))
        floor = self._tail(self.end)
        if self.tail_hazard > 0:
            with np.errstate(divide="ignore", invalid="ignore"):
                tail_gap = self.end + np.log(floor / np.maximum(target, 1e-300)) / self.tail_hazard
            in_tail = target < floor if len(self.times) else np.ones(np.shape(elapsed), dtype=bool)
            tail_gap = np.maximum(tail_gap, elapsed + 1.0)
            out = np.where(in_tail & (base > 0), tail_gap - elapsed, out)
        if len(self.times) == 0:
            return out
        # searchsorted on the reversed (non-decreasing) survival
        rev = self.survival[::-1]
        pos = len(rev) - np.searchsorted(rev, target, side="right")  # first index with S <= target
        ok = (pos < len(self.times)) & (base > 0)
        gap = np.where(ok, self.times[np.minimum(pos, len(self.times) - 1)], np.inf)
        out = np.where(ok & (gap > elapsed), gap - elapsed, out)
        # a gap equal to what already elapsed cannot happen (S(elapsed) >= target > S(gap)): guard anyway
        out = np.where(ok & (gap <= elapsed), 1.0, out)
        return out


PAUSE_DAYS = 60.0  # a gap longer than this is a pause
TAIL_PRIOR = (1.0, 365.0)  # one end per year of pause, before looking at the data


def tail_hazard(durations: np.ndarray, observed: np.ndarray, weights: np.ndarray) -> float:
    """Rate at which pauses end: pauses that ended per day spent in a pause (weighted, with a prior)."""
    ended = float((weights * (observed & (durations > PAUSE_DAYS))).sum())
    exposure = float((weights * np.maximum(durations - PAUSE_DAYS, 0.0)).sum())
    return (TAIL_PRIOR[0] + ended) / (TAIL_PRIOR[1] + exposure)


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, weights: np.ndarray) -> Survival:
    """Weighted Kaplan-Meier estimate (``observed`` False: still running, censored), with the
    exponential tail of :func:`tail_hazard` past the longest gap."""
    hazard = tail_hazard(durations, observed, weights)
    if len(durations) == 0:
        return Survival(np.zeros(0), np.zeros(0), hazard)
    order = np.argsort(durations, kind="stable")
    d, o, w = durations[order], observed[order], weights[order]
    times, surv = [], []
    s = 1.0
    at_risk = float(w.sum())
    i = 0
    while i < len(d):
        j = i
        events = 0.0
        removed = 0.0
        while j < len(d) and d[j] == d[i]:
            removed += w[j]
            if o[j]:
                events += w[j]
            j += 1
        if events > 0 and at_risk > 0 and d[i] <= PAUSE_DAYS:
            s *= max(0.0, 1.0 - events / at_risk)
            times.append(float(d[i]))
            surv.append(s)
        at_risk -= removed
        i = j
    return Survival(np.asarray(times), np.asarray(surv), hazard)
