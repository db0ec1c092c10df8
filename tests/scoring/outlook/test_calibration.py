"""Prequential recalibration (scoring.outlook.calibration): no peeking, the map, monotonicity."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.outlook import HORIZONS, ModelParams, kinds_open_to
from scoring.outlook.calibration import GRID_START, fit_calibrated, fit_platt, grid_dates, learn
from scoring.outlook.kinds import ELIGIBLE_KEYS
from scoring.outlook.sources import snapshot_records

AS_OF = date(2019, 1, 1)


@cache
def calibrated_model():
    return fit_calibrated(snapshot_records(), AS_OF, ModelParams(n_paths=800))


def test_fit_platt_recovers_a_known_map():
    rng = np.random.default_rng(7)
    raw = rng.uniform(0.02, 0.98, size=40_000)
    logit = np.log(raw / (1 - raw))
    truth = 1 / (1 + np.exp(-(-0.6 + 0.7 * logit)))
    outcome = (rng.uniform(size=raw.size) < truth).astype(int)
    a, b = fit_platt(raw, outcome)
    assert abs(a + 0.6) < 0.1 and abs(b - 0.7) < 0.1


def test_learns_only_from_outcomes_complete_on_the_day():
    rounds = snapshot_records()
    on = AS_OF
    assert learn(rounds, on) == learn([r for r in rounds if r.draw_date <= on], on)  # later rounds unseen
    early = learn(rounds, GRID_START + timedelta(days=120))
    assert early.cases[0] > 0 and early.cases[1] == 0 and early.cases[2] == 0
    later = learn(rounds, on)
    assert later.cases[0] >= later.cases[1] >= later.cases[2] > 0
    assert all(d < on for d in grid_dates(on)) and grid_dates(on)[0] == GRID_START


def test_raw_zero_and_one_are_kept():
    cal = learn(snapshot_records(), AS_OF)
    out = cal.apply(np.asarray([[0.0, 1.0]] * len(HORIZONS)))
    assert (out[:, 0] == 0.0).all() and (out[:, 1] == 1.0).all()


keys = st.sets(st.sampled_from(sorted(ELIGIBLE_KEYS)), max_size=6)


@settings(max_examples=40, deadline=None)
@given(score=st.integers(0, 1199), eligible=keys, extra=keys)
def test_calibrated_model_stays_monotone(score, eligible, extra):
    m = calibrated_model()
    kinds, more = kinds_open_to(eligible), kinds_open_to(eligible | extra)
    p = m.probabilities(score, kinds)
    assert all(0.0 <= v <= 1.0 for v in p)
    assert list(p) == sorted(p)
    assert all(h >= v for h, v in zip(m.probabilities(score + 1, kinds), p, strict=True))
    assert all(g >= v for g, v in zip(m.probabilities(score, more), p, strict=True))
