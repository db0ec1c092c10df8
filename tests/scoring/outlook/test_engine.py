"""Outlook engine (pure): pool rank, kinds, the as-of cut, ties and monotonicity (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.outlook import HORIZONS, ModelParams, RoundRecord, fit, kinds_open_to, rank
from scoring.outlook.kinds import ELIGIBLE_KEYS
from scoring.outlook.sources import snapshot_records

AS_OF = date(2023, 11, 1)
PARAMS = ModelParams(n_paths=800)


@cache
def model():
    return fit(snapshot_records(), AS_OF, PARAMS)


def test_rank_is_uniform_inside_a_band():
    dist = {
        "601-1200": 100,
        "501-600": 200,
        "491-500": 0,
        "481-490": 0,
        "471-480": 0,
        "461-470": 0,
        "451-460": 1000,
        "441-450": 0,
        "431-440": 0,
        "421-430": 0,
        "411-420": 0,
        "401-410": 0,
        "351-400": 0,
        "301-350": 0,
        "0-300": 700,
    }
    r = rank(dist, 455, date(2024, 1, 1))
    # 100 + 200 above the band, and 5 of the band's 10 scores (456..460) at 100 each
    assert r.candidates_above == 300 + 500
    assert r.pool_size == 2000
    assert r.percentile == 100 * (1 - 800 / 2000)
    assert rank(dist, 1200).candidates_above == 0
    assert rank({}, 455) is None


def test_rank_uses_the_published_distribution():
    records = [r for r in snapshot_records() if r.distribution]
    latest = max(records, key=lambda r: (r.distribution_as_of, r.draw_date))
    r = rank(latest.distribution, 500)
    above = sum(latest.distribution[b] for b in ("601-1200", "501-600"))
    assert r.candidates_above == above


def test_general_round_needs_a_federal_program():
    assert "general" in kinds_open_to(["cec"])
    assert "general" in kinds_open_to(["fst"])
    assert kinds_open_to(["pnp"]) == {"pnp"}
    assert kinds_open_to(["french"]) == {"french"}
    assert kinds_open_to(["fsw", "stem"]) == {"general", "fsw", "stem"}


def test_later_rounds_are_ignored():
    records = snapshot_records()
    truncated = [r for r in records if r.draw_date <= AS_OF]
    assert len(truncated) < len(records)
    full, cut = fit(records, AS_OF, PARAMS), fit(truncated, AS_OF, PARAMS)
    for score in (420, 480, 520):
        kinds = kinds_open_to(["cec", "fsw", "french"])
        assert full.probabilities(score, kinds) == cut.probabilities(score, kinds)


def test_a_tie_counts_only_for_an_early_profile():
    m = model()
    assert m.tie_before is not None
    early = m.tie_before - timedelta(days=1)
    late = m.tie_before + timedelta(days=1)
    assert m.tie_counts(early) and not m.tie_counts(late) and not m.tie_counts(None)
    kinds = kinds_open_to(["fsw"])
    with_tie = m.probabilities(500, kinds, tie=True)
    assert with_tie == m.probabilities(501, kinds)


def test_no_rounds_gives_zero():
    empty = fit([], AS_OF, PARAMS)
    assert empty.probabilities(900, kinds_open_to(["cec", "pnp"])) == (0.0, 0.0, 0.0)
    assert empty.pool_rank(500) is None


def test_a_kind_held_every_two_weeks_with_low_cut_offs_is_near_certain():
    rounds = [RoundRecord(date(2024, 1, 3) + timedelta(days=14 * i), "cec", 450 + i % 3) for i in range(26)]
    m = fit(rounds, date(2024, 12, 31), PARAMS)
    p90, _, p365 = m.probabilities(600, frozenset({"cec"}))
    assert p90 > 0.9 and p365 > 0.95
    assert m.probabilities(300, frozenset({"cec"}))[2] < 0.2


keys = st.sets(st.sampled_from(sorted(ELIGIBLE_KEYS)), max_size=6)


@settings(max_examples=60, deadline=None)
@given(score=st.integers(0, 1199), eligible=keys, extra=keys)
def test_monotone_in_score_horizon_and_eligible_set(score, eligible, extra):
    m = model()
    kinds, more = kinds_open_to(eligible), kinds_open_to(eligible | extra)
    p = m.probabilities(score, kinds)
    assert all(0.0 <= v <= 1.0 for v in p)
    assert list(p) == sorted(p)  # longer horizon, never lower
    higher = m.probabilities(score + 1, kinds)
    assert all(h >= v for h, v in zip(higher, p, strict=True))
    larger = m.probabilities(score, more)
    assert all(g >= v for g, v in zip(larger, p, strict=True))
    assert len(p) == len(HORIZONS)


def test_same_history_same_numbers():
    a = fit(snapshot_records(), AS_OF, PARAMS).probabilities(480, kinds_open_to(["cec"]))
    b = fit(snapshot_records(), AS_OF, PARAMS).probabilities(480, kinds_open_to(["cec"]))
    assert a == b
    assert datetime(2024, 1, 1, tzinfo=UTC)  # tz-aware inputs are what the contract passes
