"""The shipped snapshot (rounds 1-300 of IRCC's feed) parses completely."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scoring.draws import SNAPSHOT_PATH, VERSION_2023, load_snapshot, parse_feed

REFERENCE = Path("/work/shared/reference/ee_rounds_sample.json")


@pytest.fixture(scope="module")
def result():
    return parse_feed(load_snapshot())


@pytest.fixture(scope="module")
def by_number(result):
    return {r.draw_number: r for r in result.rounds}


def test_snapshot_is_an_unchanged_copy_of_the_reference():
    if not REFERENCE.exists():
        pytest.skip("reference folder not mounted")
    assert SNAPSHOT_PATH.read_bytes() == REFERENCE.read_bytes()


def test_every_round_parses(result):
    assert result.problems == []
    assert len(result.rounds) == 301  # rounds 1-300, with 91 split into 91a and 91b
    assert result.duplicate_draw_numbers == []
    numbers = {r.draw_number for r in result.rounds}
    expected = {str(n) for n in range(1, 301) if n != 91} | {"91a", "91b"}
    assert numbers == expected


def test_every_non_empty_time_string_parses(result):
    for parsed in result.rounds:
        if parsed.raw["drawDateTime"].strip():
            assert parsed.run_at is not None, parsed.draw_number
            assert parsed.run_at.tzinfo is UTC
        if parsed.raw["drawCutOff"].strip():
            assert parsed.tie_break_at is not None, parsed.draw_number
            assert parsed.tie_break_at.tzinfo is UTC
            assert parsed.tie_break_at <= parsed.run_at, parsed.draw_number


def test_no_unknown_names_in_snapshot(result):
    assert {r.category for r in result.rounds} == {
        "no_program",
        "pnp",
        "cec",
        "general",
        "french",
        "fst",
        "fsw",
        "healthcare",
        "stem",
        "trades",
        "transport",
        "agriculture",
    }
    for parsed in result.rounds:
        if parsed.is_category_round:
            assert parsed.category_version == VERSION_2023, parsed.draw_number
        else:
            assert parsed.category_version is None


def test_round_262_corrected_tie_break(by_number):
    r = by_number["262"]
    assert r.raw["drawCutOff"] == "July 04, 2023 at 19:36:18 UTC "  # raw string kept, trailing space and all
    assert r.tie_break_at == datetime(2023, 7, 4, 19, 36, 18, tzinfo=UTC)
    assert r.run_at == datetime(2023, 8, 15, 14, 23, 51, tzinfo=UTC)
    assert r.invitations == 4300
    assert r.min_crs == 496


def test_round_91a_fst_and_91b_pnp(by_number):
    a, b = by_number["91a"], by_number["91b"]
    assert (a.category, a.min_crs, a.invitations, a.programs) == ("fst", 288, 500, ["fst"])
    assert (b.category, b.min_crs, b.invitations, b.programs) == ("pnp", 902, 200, ["pnp"])
    assert a.draw_date == b.draw_date == date(2018, 5, 30)
    assert a.content_hash != b.content_hash


def test_round_208_tie_break_without_year(by_number):
    r = by_number["208"]
    assert r.raw["drawCutOff"] == "October 7 at 16:38:21 UTC"
    assert r.tie_break_at == datetime(2021, 10, 7, 16, 38, 21, tzinfo=UTC)
    assert any("no year" in w for w in r.warnings)


def test_round_247_distribution_kept_as_given(by_number):
    r = by_number["247"]
    assert r.distribution["451-500"] == 55867
    parts = ("491-500", "481-490", "471-480", "461-470", "451-460")
    assert sum(r.distribution[p] for p in parts) == 55687
    assert r.distribution["total"] == 230189
    assert any("451-500" in w and "kept as given" in w for w in r.warnings)
    assert r.distribution_as_of == date(2023, 4, 26)
    assert r.run_at == datetime(2023, 4, 26, 18, 10, 4, tzinfo=UTC)  # "April 26,2023 18:10:04 UTC"


def test_rounds_1_to_76_have_no_tie_break(result):
    early = [r for r in result.rounds if r.draw_number.isdigit() and int(r.draw_number) <= 76]
    assert len(early) == 76
    assert all(r.tie_break_at is None for r in early)
    later = [r for r in result.rounds if not r.draw_number.isdigit() or int(r.draw_number) > 76]
    assert all(r.tie_break_at is not None for r in later)


def test_distribution_sums_check_on_every_other_round(result):
    for r in result.rounds:
        if not r.distribution or r.draw_number == "247":
            continue
        d = r.distribution
        top = ("601-1200", "501-600", "451-500", "401-450", "351-400", "301-350", "0-300")
        assert sum(d[k] for k in top) == d["total"], r.draw_number
        assert not any("kept as given" in w for w in r.warnings), r.draw_number


def test_old_rounds_without_distribution(by_number):
    assert by_number["1"].distribution == {}
    assert by_number["300"].distribution["451-500"] == 64761
    assert len(by_number["300"].distribution) == 18


def test_odd_formats_in_the_snapshot(by_number):
    # "May 31, 2024 at12:48:30 UTC"
    assert by_number["297"].run_at == datetime(2024, 5, 31, 12, 48, 30, tzinfo=UTC)
    # "August 30. 2023 at 17:30:21 UTC"
    assert by_number["277"].tie_break_at == datetime(2023, 8, 30, 17, 30, 21, tzinfo=UTC)
    # "February 18 2021 at 05:05:15 UTC"
    assert by_number["215"].tie_break_at == datetime(2021, 2, 18, 5, 5, 15, tzinfo=UTC)
    # "June 22, 2021 at 20:19:59 PM UTC": 24-hour clock with a stray PM
    assert by_number["210"].tie_break_at == datetime(2021, 6, 22, 20, 19, 59, tzinfo=UTC)
    # "September 30, 2023 at 04:22:17 AM UTC"
    assert by_number["270"].tie_break_at == datetime(2023, 9, 30, 4, 22, 17, tzinfo=UTC)
    # "June 15, 2023 at 23:49:05" (no timezone -> UTC, with a warning)
    assert by_number["258"].tie_break_at == datetime(2023, 6, 15, 23, 49, 5, tzinfo=UTC)
    assert any("assumed UTC" in w for w in by_number["258"].warnings)
    # " January 17, 2018 at 12:33:00 UTC" (leading space)
    assert by_number["82"].tie_break_at == datetime(2018, 1, 17, 12, 33, tzinfo=UTC)
    # "February 02, 2023, at 15:12:01 UTC"
    assert by_number["240"].run_at == datetime(2023, 2, 2, 15, 12, 1, tzinfo=UTC)


def test_programs_from_draw_text(by_number):
    assert by_number["1"].programs == ["fsw", "cec", "fst", "pnp"]
    assert by_number["300"].programs == ["fsw", "cec", "fst"]
    assert by_number["299"].programs == ["pnp"]
    assert by_number["297"].programs == ["cec"]


def test_parse_accepts_every_input_shape():
    data = load_snapshot()
    as_dict = json.loads(data)
    counts = {
        len(parse_feed(data).rounds),
        len(parse_feed(data.decode()).rounds),
        len(parse_feed(as_dict).rounds),
        len(parse_feed(as_dict["rounds"]).rounds),
        len(parse_feed(b"\xef\xbb\xbf" + data).rounds),
    }
    assert counts == {301}
