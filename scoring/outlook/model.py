"""The ITA outlook: the chance of at least one invitation within 90, 180 and 365 days.

Pure engine: numpy, no Django. Docs in plain words: docs/outlook.md.

Fit (``fit``) from the rounds dated on or before a day only, per kind of round (``kinds.MODEL_KINDS``):

* **How often** (``rate``): rounds of the kind per day, counting recent rounds more (each round weighs
  ``0.5 ** (age / RATE_HALF_LIFE)``) over the same weighted stretch of time (a Gamma-Poisson estimate,
  so a kind seen twice is uncertain and a kind not seen for years fades out).
* **Where the cut-off is now** (``level``): the recency-weighted median of the kind's recent cut-offs.
* **How cut-offs move**: each round's distance from the level known just before it (the "surprise"),
  sampled with recent rounds more likely; a kind with few rounds borrows surprises from the other
  kinds of its family (``kinds.FAMILY``). On top, the level drifts as a random walk whose speed is
  measured from how much worse the level predicts rounds 4-12 months ahead than the next round.

Forecast: ``N_PATHS`` simulated years of rounds per kind (fixed seed, so the same history gives the
same numbers). In each simulated year the lowest cut-off reached by day 90, 180 and 365 is kept.
A client is counted as invited in a year when, for some kind open to them, that lowest cut-off is
below their score (or equal to it when a tie would go their way). The probability is the share of
years in which that happens. Because one set of simulated years serves every client:

* a higher score clears at least every year a lower score clears (monotone in score);
* the lowest cut-off by day 365 is at most the lowest by day 180 (monotone in horizon);
* a larger eligible set takes the lowest over more kinds (monotone in the eligible set).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np

from scoring.outlook import analog
from scoring.outlook.analog import Analogues
from scoring.outlook.gaps import Survival, kaplan_meier
from scoring.outlook.kinds import FAMILY, MODEL_KINDS, kinds_open_to, model_kind
from scoring.outlook.pool import PoolRank, rank

if TYPE_CHECKING:
    from scoring.outlook.calibration import Calibration

HORIZONS: tuple[int, ...] = (90, 180, 365)
NO_ROUND = 10_000  # "no round of this kind in the window" as a cut-off nobody clears
POOL_LOOKBACK_DAYS = 90  # the pool's movement: the rank now against the rank in a distribution this old


@dataclass(frozen=True)
class ModelParams:
    rate_half_life: float = 365.0  # days: weight of past gaps between rounds
    level_half_life: float = 30.0  # days
    level_window: float = 365.0
    surprise_half_life: float = 730.0
    borrow_rounds: float = 8.0  # a kind with n surprises uses its own with chance n / (n + this)
    long_lead: tuple[float, float] = (120.0, 365.0)
    shared_pace: float = 0.0  # chance, per simulated year, that every kind waits by the same dice roll
    analog_weight: float = 0.5  # share of the historical analogues (analog.py) in the outlook
    n_paths: int = 4000
    seed: int = 20_240_704


@dataclass(frozen=True)
class RoundRecord:
    """What the outlook needs of one round (adapters build it from a Draw or a parsed feed round)."""

    draw_date: date
    category: str
    min_crs: int
    tie_break_at: datetime | None = None
    run_at: datetime | None = None
    distribution: Mapping[str, int] = field(default_factory=dict)
    distribution_as_of: date | None = None


@dataclass(frozen=True)
class KindFit:
    kind: str
    rounds: int
    last_date: date
    last_cutoff: int
    level: float
    rounds_per_year: float  # posterior mean, recent weighted
    walk_sd_per_year: float
    own_share: float  # share of surprises drawn from the kind's own rounds (the rest: family)


@dataclass(frozen=True)
class HorizonOutlook:
    days: int
    probability: float
    by_kind: dict[str, float]


@dataclass(frozen=True)
class Outlook:
    as_of: date
    score: int
    kinds: tuple[str, ...]
    tie_counts: bool
    horizons: tuple[HorizonOutlook, ...]
    rank: PoolRank | None

    def p(self, days: int) -> float:
        return next(h.probability for h in self.horizons if h.days == days)


def _weights(ages: np.ndarray, half_life: float) -> np.ndarray:
    return np.power(0.5, np.maximum(ages, 0.0) / half_life)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2.0)])


def _robust_var(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted median absolute deviation, scaled to a normal variance."""
    if len(values) < 3:
        return 0.0
    centre = _weighted_median(values, weights)
    mad = _weighted_median(np.abs(values - centre), weights)
    return float((1.4826 * mad) ** 2)


class _KindHistory:
    """The rounds of one kind, oldest first, with the level known just before each."""

    def __init__(self, kind: str, dates: np.ndarray, cutoffs: np.ndarray, params: ModelParams) -> None:
        self.kind = kind
        self.days = dates  # day numbers (ordinal)
        self.cutoffs = cutoffs
        self.params = params

    def level_at(self, day: float, *, strictly_before: bool = True) -> float | None:
        mask = self.days < day if strictly_before else self.days <= day
        mask &= self.days >= day - self.params.level_window
        if not mask.any():
            prior = self.days < day if strictly_before else self.days <= day
            if not prior.any():
                return None
            return float(self.cutoffs[prior][-1])
        ages = day - self.days[mask]
        return _weighted_median(self.cutoffs[mask], _weights(ages, self.params.level_half_life))

    def surprises(self) -> tuple[np.ndarray, np.ndarray]:
        """(day, cut-off minus the level known just before) for every round after the first."""
        days, values = [], []
        for day, cutoff in zip(self.days[1:], self.cutoffs[1:], strict=True):
            level = self.level_at(float(day))
            if level is not None:
                days.append(day)
                values.append(cutoff - level)
        return np.asarray(days, dtype=float), np.asarray(values, dtype=float)

    def long_errors(self, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
        """(day, error) of the level known ``lo``-``hi`` days before each round (one lead per round)."""
        days, values = [], []
        mid = (lo + hi) / 2.0
        for day, cutoff in zip(self.days, self.cutoffs, strict=True):
            level = self.level_at(float(day) - mid)
            if level is not None:
                days.append(day)
                values.append(cutoff - level)
        return np.asarray(days, dtype=float), np.asarray(values, dtype=float)


# --------------------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------------------


@dataclass
class _Pool:
    """Surprises (cut-off minus prior level) with their sampling weights."""

    values: np.ndarray
    weights: np.ndarray

    @classmethod
    def empty(cls) -> _Pool:
        return cls(np.zeros(0), np.zeros(0))

    def __add__(self, other: _Pool) -> _Pool:
        return _Pool(
            np.concatenate([self.values, other.values]), np.concatenate([self.weights, other.weights])
        )

    @property
    def size(self) -> float:
        return float(len(self.values))


def _histories(rounds: Iterable[RoundRecord], as_of: date, params: ModelParams) -> dict[str, _KindHistory]:
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for r in rounds:
        kind = model_kind(r.category)
        if kind is None or r.draw_date > as_of:
            continue
        by_kind.setdefault(kind, []).append((r.draw_date.toordinal(), int(r.min_crs)))
    out: dict[str, _KindHistory] = {}
    for kind, items in by_kind.items():
        items.sort()
        days = np.asarray([d for d, _ in items], dtype=float)
        cutoffs = np.asarray([c for _, c in items], dtype=float)
        out[kind] = _KindHistory(kind, days, cutoffs, params)
    return out


def _gap_observations(hist: _KindHistory, today: float, p: ModelParams) -> tuple[np.ndarray, ...]:
    """(durations, observed, weights) of the kind's past gaps and of the gap still running today."""
    ends = hist.days[1:]
    gaps = np.maximum(np.diff(hist.days), 1.0)
    durations = np.concatenate([gaps, [max(today - hist.days[-1], 0.0)]])
    observed = np.concatenate([np.ones(len(gaps), dtype=bool), [False]])
    weights = np.concatenate([_weights(today - ends, p.rate_half_life), [1.0]])
    return durations, observed, weights


def _survival(hist: _KindHistory, members: list[_KindHistory], today: float, p: ModelParams) -> Survival:
    """Gap survival of a kind: its own gaps, plus its family's at weight borrow / (own + borrow)."""
    own = _gap_observations(hist, today, p)
    n_own = float(len(hist.days) - 1)
    parts = [own]
    share = p.borrow_rounds / (n_own + p.borrow_rounds)
    for other in members:
        if other is not hist:
            d, o, w = _gap_observations(other, today, p)
            parts.append((d, o, w * share))
    durations, observed, weights = (np.concatenate([part[i] for part in parts]) for i in range(3))
    return kaplan_meier(durations, observed, weights)


def _walk_variance(hists: list[_KindHistory], today: float, p: ModelParams) -> float:
    """Per-day variance of the level's random walk, measured on a family of kinds."""
    short_v, short_w, long_v, long_w, gaps = [], [], [], [], []
    for hist in hists:
        days, values = hist.surprises()
        short_v.append(values)
        short_w.append(_weights(today - days, p.surprise_half_life))
        if len(hist.days) > 1:
            gaps.append(np.diff(hist.days))
        days, values = hist.long_errors(*p.long_lead)
        long_v.append(values)
        long_w.append(_weights(today - days, p.surprise_half_life))
    sv, sw = np.concatenate(short_v or [np.zeros(0)]), np.concatenate(short_w or [np.zeros(0)])
    lv, lw = np.concatenate(long_v or [np.zeros(0)]), np.concatenate(long_w or [np.zeros(0)])
    if len(sv) < 3 or len(lv) < 3:
        return 0.0
    gap = float(np.median(np.concatenate(gaps))) if gaps else 14.0
    lead = (p.long_lead[0] + p.long_lead[1]) / 2.0
    extra = _robust_var(lv, lw) - _robust_var(sv, sw)
    return max(0.0, extra / max(lead - gap, 1.0))


@dataclass(frozen=True)
class _KindSim:
    fit: KindFit
    survival: Survival
    elapsed: float
    walk_var: float
    own: _Pool
    family: _Pool


def _fit_kinds(hists: dict[str, _KindHistory], today: float, p: ModelParams) -> dict[str, _KindSim]:
    families: dict[str, list[_KindHistory]] = {}
    for kind, hist in hists.items():
        families.setdefault(FAMILY[kind], []).append(hist)
    pools: dict[str, _Pool] = {}
    for kind, hist in hists.items():
        days, values = hist.surprises()
        pools[kind] = _Pool(values, _weights(today - days, p.surprise_half_life))
    out: dict[str, _KindSim] = {}
    for members in families.values():
        family_pool = _Pool.empty()
        for hist in members:
            family_pool = family_pool + pools[hist.kind]
        if family_pool.size == 0:
            family_pool = sum((pools[k] for k in pools), _Pool.empty())
        walk_var = _walk_variance(members, today, p)
        for hist in members:
            survival = _survival(hist, members, today, p)
            level = hist.level_at(today, strictly_before=False)
            own = pools[hist.kind]
            own_share = own.size / (own.size + p.borrow_rounds) if own.size else 0.0
            out[hist.kind] = _KindSim(
                fit=KindFit(
                    kind=hist.kind,
                    rounds=len(hist.days),
                    last_date=date.fromordinal(int(hist.days[-1])),
                    last_cutoff=int(hist.cutoffs[-1]),
                    level=float(level if level is not None else hist.cutoffs[-1]),
                    rounds_per_year=0.0,  # filled in by the simulation
                    walk_sd_per_year=float(np.sqrt(walk_var * 365.0)),
                    own_share=own_share,
                ),
                survival=survival,
                elapsed=max(today - float(hist.days[-1]), 0.0),
                walk_var=walk_var,
                own=own,
                family=family_pool,
            )
    return out


# --------------------------------------------------------------------------------------------------------
# Simulation and the fitted model
# --------------------------------------------------------------------------------------------------------


def _sample(pool: _Pool, rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    if pool.size == 0 or pool.weights.sum() <= 0:
        return np.zeros(size)
    probs = pool.weights / pool.weights.sum()
    return pool.values[rng.choice(len(pool.values), size=size, p=probs)]


def _round_times(sim: _KindSim, n: int, rng: np.random.Generator, shared: np.ndarray) -> np.ndarray:
    """(n, width) days from now of the simulated rounds within a year (inf: no round). ``shared``: the
    year's common dice roll for the wait until the first round (NaN: this kind rolls its own)."""
    last = float(HORIZONS[-1])
    columns = []
    own = rng.uniform(size=n)
    t = sim.survival.sample(rng, np.full(n, sim.elapsed), np.where(np.isnan(shared), own, shared))
    while np.isfinite(t).any() and (t <= last).any() and len(columns) < 400:
        columns.append(np.where(t <= last, t, np.inf))
        t = np.where(t <= last, t + sim.survival.sample(rng, np.zeros(n)), np.inf)
    return np.stack(columns, axis=1) if columns else np.full((n, 0), np.inf)


def _simulate(
    sim: _KindSim, p: ModelParams, rng: np.random.Generator, shared: np.ndarray
) -> tuple[np.ndarray, float]:
    """(n_paths, len(HORIZONS)) lowest simulated cut-off of the kind by each horizon (NO_ROUND: none),
    and the mean number of rounds in a simulated year."""
    n = p.n_paths
    out = np.full((n, len(HORIZONS)), NO_ROUND, dtype=np.int32)
    times = _round_times(sim, n, rng, shared)
    width = times.shape[1]
    if width == 0:
        return out, 0.0
    valid = np.isfinite(times)
    steps = np.diff(np.concatenate([np.zeros((n, 1)), np.where(valid, times, HORIZONS[-1])], axis=1), axis=1)
    walk = np.cumsum(rng.standard_normal((n, width)) * np.sqrt(np.maximum(steps, 0.0) * sim.walk_var), axis=1)
    own = rng.uniform(size=(n, width)) < sim.fit.own_share
    surprise = np.where(own, _sample(sim.own, rng, (n, width)), _sample(sim.family, rng, (n, width)))
    cut = np.clip(np.rint(sim.fit.level + walk + surprise), 0, 1200)
    cut = np.where(valid, cut, NO_ROUND)
    for i, horizon in enumerate(HORIZONS):
        out[:, i] = np.where(times <= horizon, cut, NO_ROUND).min(axis=1)
    return out, float(valid.sum()) / n


def _tie_before(rounds: list[RoundRecord], as_of: date) -> datetime | None:
    """Profiles submitted before this instant win a tie in a coming round (median recent lag)."""
    lags = []
    for r in rounds:
        if r.tie_break_at is None or r.draw_date < as_of - timedelta(days=365):
            continue
        ran = r.run_at or datetime.combine(r.draw_date, time(23, 59, 59), tzinfo=UTC)
        lags.append((ran - r.tie_break_at).total_seconds())
    if not lags:
        return None
    start = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    return start - timedelta(seconds=float(np.median(lags)))


def _latest_distribution(rounds: list[RoundRecord]) -> tuple[Mapping[str, int], date | None]:
    best: tuple[date, date, RoundRecord] | None = None
    for r in rounds:
        if not r.distribution or not any(r.distribution.values()):
            continue
        key = (r.distribution_as_of or r.draw_date, r.draw_date, r)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return {}, None
    return best[2].distribution, best[0]


@dataclass
class OutlookModel:
    as_of: date
    params: ModelParams
    kinds: dict[str, KindFit]
    minima: dict[str, np.ndarray]
    tie_before: datetime | None
    distribution: Mapping[str, int]
    distribution_as_of: date | None
    previous_distribution: Mapping[str, int] = field(default_factory=dict)
    previous_distribution_as_of: date | None = None
    analogues: Analogues | None = None
    calibration: Calibration | None = None  # calibration.py; None: the raw model
    _cache: dict[frozenset[str], np.ndarray] = field(default_factory=dict, repr=False)

    def sorted_minima(self, kinds: frozenset[str]) -> np.ndarray:
        """(len(HORIZONS), n_paths) lowest cut-off over ``kinds`` per simulated year, sorted."""
        cached = self._cache.get(kinds)
        if cached is None:
            lowest = np.full((self.params.n_paths, len(HORIZONS)), NO_ROUND, dtype=np.int32)
            for kind in kinds:
                if kind in self.minima:
                    lowest = np.minimum(lowest, self.minima[kind])
            cached = np.sort(lowest.T, axis=1)
            self._cache[kinds] = cached
        return cached

    def tie_counts(self, submitted_at: datetime | None) -> bool:
        return submitted_at is not None and self.tie_before is not None and submitted_at < self.tie_before

    def probabilities(self, score: int, kinds: frozenset[str], *, tie: bool = False) -> tuple[float, ...]:
        """P(at least one invitation) per horizon: share of simulated years with a cut-off below."""
        threshold = int(score) + (1 if tie else 0)
        return tuple(float(v) for v in self._blend(kinds, np.asarray([threshold]))[:, 0])

    def table(self, kinds: frozenset[str], max_score: int = 1201) -> np.ndarray:
        """(len(HORIZONS), max_score + 1): probabilities for every threshold 0..max_score (bulk use)."""
        return self._blend(kinds, np.arange(max_score + 1))

    def _blend(self, kinds: frozenset[str], thresholds: np.ndarray) -> np.ndarray:
        """The raw blend, recalibrated when the model carries a calibration (an increasing map per
        horizon, then a running maximum over the horizons: monotonicity is kept)."""
        raw = self._raw(kinds, thresholds)
        return raw if self.calibration is None else self.calibration.apply(raw)

    def _raw(self, kinds: frozenset[str], thresholds: np.ndarray) -> np.ndarray:
        """(len(HORIZONS), len(thresholds)): simulation and analogues mixed, then a running maximum over
        the horizons (each part is monotone in score and kinds; the mix and the maximum keep that)."""
        table = self.sorted_minima(kinds)
        sim = np.stack([np.searchsorted(row, thresholds, side="left") for row in table]) / table.shape[1]
        a = self.analogues
        w = self.params.analog_weight
        if a is None or w <= 0 or not any(len(x) for x in a.weights):
            return np.maximum.accumulate(sim, axis=0)
        hist = np.stack(
            [analog.share_below(a.lowest(i, kinds), a.weights[i], thresholds) for i in range(len(HORIZONS))]
        )
        return np.clip(np.maximum.accumulate((1.0 - w) * sim + w * hist, axis=0), 0.0, 1.0)

    def outlook(
        self, score: int, eligible_for: Iterable[str], submitted_at: datetime | None = None
    ) -> Outlook:
        kinds = kinds_open_to(eligible_for)
        tie = self.tie_counts(submitted_at)
        overall = self.probabilities(score, kinds, tie=tie)
        per_kind = {k: self.probabilities(score, frozenset({k}), tie=tie) for k in sorted(kinds)}
        horizons = tuple(
            HorizonOutlook(days=h, probability=overall[i], by_kind={k: v[i] for k, v in per_kind.items()})
            for i, h in enumerate(HORIZONS)
        )
        return Outlook(
            as_of=self.as_of,
            score=int(score),
            kinds=tuple(sorted(kinds)),
            tie_counts=tie,
            horizons=horizons,
            rank=rank(self.distribution, score, self.distribution_as_of),
        )

    def pool_rank(self, score: int) -> PoolRank | None:
        return rank(self.distribution, score, self.distribution_as_of)

    def previous_pool_rank(self, score: int) -> PoolRank | None:
        """The rank in the latest distribution at least POOL_LOOKBACK_DAYS old (the pool's movement)."""
        return rank(self.previous_distribution, score, self.previous_distribution_as_of)


def fit(rounds: Iterable[RoundRecord], as_of: date, params: ModelParams | None = None) -> OutlookModel:
    """Fit the outlook on the rounds dated on or before ``as_of`` (later rounds are ignored)."""
    p = params or ModelParams()
    usable = [r for r in rounds if r.draw_date <= as_of]
    today = float(as_of.toordinal())
    hists = _histories(usable, as_of, p)
    sims = _fit_kinds(hists, today, p)
    minima: dict[str, np.ndarray] = {}
    kinds: dict[str, KindFit] = {}
    common = np.random.default_rng([p.seed, len(MODEL_KINDS)])
    shared = np.where(common.uniform(size=p.n_paths) < p.shared_pace, common.uniform(size=p.n_paths), np.nan)
    for kind, sim in sims.items():
        rng = np.random.default_rng([p.seed, MODEL_KINDS.index(kind)])
        minima[kind], per_year = _simulate(sim, p, rng, shared)
        kinds[kind] = replace(sim.fit, rounds_per_year=round(per_year, 1))
    distribution, dist_as_of = _latest_distribution(usable)
    earlier = as_of - timedelta(days=POOL_LOOKBACK_DAYS)
    before, before_as_of = _latest_distribution(
        [r for r in usable if (r.distribution_as_of or r.draw_date) <= earlier]
    )
    return OutlookModel(
        as_of=as_of,
        params=p,
        kinds=kinds,
        minima=minima,
        tie_before=_tie_before(usable, as_of),
        distribution=distribution,
        distribution_as_of=dist_as_of,
        previous_distribution=before,
        previous_distribution_as_of=before_as_of,
        analogues=analog.build(hists, {k: s.fit.level for k, s in sims.items()}, today, HORIZONS)
        if p.analog_weight > 0
        else None,
    )
