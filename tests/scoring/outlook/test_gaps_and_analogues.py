"""Gap survival (weighted Kaplan-Meier with a pause tail) and historical analogues."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from scoring.outlook import ModelParams, RoundRecord, fit
from scoring.outlook.analog import share_below
from scoring.outlook.gaps import PAUSE_DAYS, TAIL_PRIOR, kaplan_meier, tail_hazard


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    d = np.asarray([7.0, 14.0, 14.0, 21.0])
    s = kaplan_meier(d, np.ones(4, dtype=bool), np.ones(4))
    assert list(s.at(np.asarray([0.0, 7.0, 14.0, 21.0]))) == [1.0, 0.75, 0.25, 0.0]


def test_a_running_gap_is_censored_not_an_event():
    d = np.asarray([10.0, 20.0, 30.0])
    s = kaplan_meier(d, np.asarray([True, True, False]), np.ones(3))
    # 3 at risk: an end at 10 (2/3 left), then 2 at risk and an end at 20 (1/3 left); the running 30
    # is not an end, so S stays at 1/3 past it (until the pause tail after PAUSE_DAYS)
    assert s.at(25.0) == pytest.approx(1 / 3)
    assert s.at(30.0) == pytest.approx(1 / 3)


def test_pauses_end_at_the_observed_rate_with_its_prior():
    d = np.asarray([PAUSE_DAYS + 100.0, PAUSE_DAYS + 300.0])
    o = np.asarray([True, False])
    h = tail_hazard(d, o, np.ones(2))
    assert h == pytest.approx((TAIL_PRIOR[0] + 1.0) / (TAIL_PRIOR[1] + 400.0))


def test_sampled_waits_follow_the_conditional_survival():
    d = np.asarray([14.0] * 8 + [28.0] * 2)
    s = kaplan_meier(d, np.ones(10, dtype=bool), np.ones(10))
    rng = np.random.default_rng(1)
    waits = s.sample(rng, np.full(20_000, 20.0))  # 20 days already: only the 28-day gaps remain
    assert np.allclose(waits[np.isfinite(waits) & (waits < 30)], 8.0)
    fresh = s.sample(rng, np.zeros(20_000))
    assert abs(np.mean(fresh == 14.0) - 0.8) < 0.02


def test_share_below_is_a_weighted_cdf():
    lowest = np.asarray([400.0, 450.0, 10_000.0])
    weights = np.asarray([1.0, 2.0, 1.0])
    assert list(share_below(lowest, weights, np.asarray([400, 401, 451, 20_000]))) == [0.0, 0.25, 0.75, 1.0]


def test_analogues_alone_reproduce_a_steady_history():
    start = date(2016, 1, 6)
    rounds = [RoundRecord(start + timedelta(days=14 * i), "cec", 470) for i in range(26 * 7)]
    as_of = rounds[-1].draw_date
    m = fit(rounds, as_of, ModelParams(n_paths=200, analog_weight=1.0))
    kinds = frozenset({"cec"})
    assert m.probabilities(471, kinds) == (1.0, 1.0, 1.0)  # every past window held a round at 470
    assert m.probabilities(470, kinds) == (0.0, 0.0, 0.0)  # strictly below: never
