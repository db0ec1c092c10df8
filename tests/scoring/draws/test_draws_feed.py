"""parse_round / parse_feed on hand-made rounds, and the content hash."""

import copy
import json
from datetime import UTC, date, datetime

import pytest

from scoring.draws import (
    VERSION_2026,
    FeedFormatError,
    RoundParseError,
    content_hash,
    parse_feed,
    parse_round,
)

BASE = {
    "drawNumber": "434",
    "drawNumberURL": "<a href='/x.html?q=434'>434</a>",
    "drawDate": "2026-08-07",
    "drawDateFull": "August 7, 2026",
    "drawName": "Transport Occupations, 2026-Version 2",
    "drawSize": "300",
    "drawCRS": "470",
    "mitext": "<a href='/x.html?q=434'>Invitations #434</a>",
    "DrawText1": "<a href='/x.html?q=434'>See full text of Ministerial Instruction</a>",
    "drawText2": "Federal Skilled Worker Program, Canadian Experience Class and Federal Skilled Trades Program",
    "drawDateTime": "August 7, 2026 at 10:08:20 UTC",
    "drawCutOff": "July 3rd 2026 at 14:31:50 UTC",
    "drawDistributionAsOn": "August 5, 2026",
    **{f"dd{i}": "0" for i in range(1, 19)},
}


def make_round(**overrides):
    raw = copy.deepcopy(BASE)
    raw.update(overrides)
    return raw


def test_newest_format_round():
    r = parse_round(make_round())
    assert r.draw_number == "434"
    assert r.draw_date == date(2026, 8, 7)
    assert r.name == "Transport Occupations, 2026-Version 2"
    assert (r.category, r.category_version) == ("transport", VERSION_2026)
    assert r.is_category_round
    assert r.programs == ["fsw", "cec", "fst"]
    assert (r.invitations, r.min_crs) == (300, 470)
    assert r.run_at == datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)
    assert r.tie_break_at == datetime(2026, 7, 3, 14, 31, 50, tzinfo=UTC)
    assert r.distribution == {}
    assert r.distribution_as_of == date(2026, 8, 5)
    assert r.raw == BASE
    assert r.warnings == []
    assert r.eligibility.kind == "category"


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("French-Language proficiency 2026-Version 2", "french"),
        ("Physicians with Canadian Work Experience, 2026-Version 1", "physicians"),
        ("Healthcare and Social Services Occupations, 2026-Version 3", "healthcare"),
        ("Senior managers with Canadian Work Experience, 2026-Version 1", "senior_managers"),
        ("Trades Occupations, 2026-Version 3", "trades"),
        ("Skilled Military Recruits, 2026-Version 1", "military"),
        ("Transport Occupations, 2026-Version 2", "transport"),
    ],
)
def test_2026_names(name, category):
    r = parse_round(make_round(drawName=name))
    assert (r.category, r.category_version) == (category, VERSION_2026)


def test_sizes_with_separators_and_whitespace():
    r = parse_round(make_round(drawSize=" 1,500 ", drawCRS=" 470\u00a0", drawNumber=" 434 "))
    assert (r.invitations, r.min_crs, r.draw_number) == (1500, 470, "434")
    big = parse_round(make_round(drawSize="27,332"))
    assert big.invitations == 27332


def test_numeric_json_values_are_accepted():
    r = parse_round(make_round(drawNumber=434, drawSize=1500, drawCRS=470))
    assert (r.draw_number, r.invitations, r.min_crs) == ("434", 1500, 470)
    assert any("not a string" in w for w in r.warnings)


def test_whitespace_in_names_and_times():
    r = parse_round(
        make_round(
            drawName="  Transport  Occupations ,  2026 - Version 2 ",
            drawDateTime="  August  7,  2026  at  10:08:20  UTC ",
            drawCutOff=" July 3rd 2026  at 14:31:50 UTC ",
        )
    )
    assert (r.category, r.category_version) == ("transport", VERSION_2026)
    assert r.run_at == datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)
    assert r.tie_break_at == datetime(2026, 7, 3, 14, 31, 50, tzinfo=UTC)


def test_unknown_name_is_unknown_not_guessed():
    r = parse_round(make_round(drawName="Skilled Astronauts, 2026-Version 1"))
    assert (r.category, r.category_version) == ("unknown", None)
    assert any("unknown drawName" in w for w in r.warnings)
    assert r.eligibility.kind == "unknown"
    assert not r.is_category_round


def test_missing_year_tie_break_after_draw_takes_previous_year():
    r = parse_round(make_round(drawCutOff="December 28 at 11:03:15 UTC"))
    assert r.tie_break_at == datetime(2025, 12, 28, 11, 3, 15, tzinfo=UTC)
    assert any("no year" in w for w in r.warnings)


def test_missing_year_tie_break_before_draw_keeps_draw_year():
    r = parse_round(
        make_round(
            drawCutOff="October 7 at 14:31:50 UTC",
            drawDate="2026-10-27",
            drawDateFull="October 27, 2026",
            drawDateTime="October 27, 2026 at 13:32:26 UTC",
        )
    )
    assert r.tie_break_at == datetime(2026, 10, 7, 14, 31, 50, tzinfo=UTC)
    assert r.warnings == [
        "drawCutOff 'October 7 at 14:31:50 UTC' has no year; used 2026 from the draw date 2026-10-27"
    ]


def test_run_time_far_from_draw_date_is_a_warning():
    r = parse_round(make_round(drawDateTime="August 17, 2026 at 10:08:20 UTC"))
    assert any("more than a day" in w for w in r.warnings)


def test_empty_cutoff_and_time():
    r = parse_round(make_round(drawCutOff="", drawDateTime=""))
    assert r.tie_break_at is None
    assert r.run_at is None


def test_unreadable_cutoff_is_kept_as_warning_not_error():
    r = parse_round(make_round(drawCutOff="sometime in July"))
    assert r.tie_break_at is None
    assert any(w.startswith("drawCutOff unreadable") for w in r.warnings)


def test_draw_date_from_full_date_when_iso_missing():
    r = parse_round(make_round(drawDate=""))
    assert r.draw_date == date(2026, 8, 7)
    assert any("drawDateFull" in w for w in r.warnings)


def test_distribution_parsed_with_labels():
    values = [
        "940", "16,521", "64,761", "10,295", "12,447", "16,371", "13,883", "11,765", "54,148",
        "11,031", "11,342", "9,947", "10,876", "10,952", "54,902", "25,752", "5,523", "222,547",
    ]  # fmt: skip
    r = parse_round(make_round(**{f"dd{i}": v for i, v in enumerate(values, start=1)}))
    assert r.distribution["601-1200"] == 940
    assert r.distribution["451-500"] == 64761
    assert r.distribution["0-300"] == 5523
    assert r.distribution["total"] == 222547
    assert len(r.distribution) == 18
    assert r.warnings == []


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"drawNumber": ""}, "drawNumber"),
        ({"drawNumber": None}, "drawNumber"),
        ({"drawDate": "", "drawDateFull": ""}, "drawDate"),
        ({"drawDate": "soon", "drawDateFull": "later"}, "drawDate"),
        ({"drawCRS": "n/a"}, "drawCRS"),
        ({"drawCRS": ""}, "drawCRS"),
        ({"drawCRS": "47O"}, "drawCRS"),
        ({"drawSize": "many"}, "drawSize"),
    ],
)
def test_unparseable_rounds_raise(overrides, fragment):
    with pytest.raises(RoundParseError) as info:
        parse_round(make_round(**overrides))
    assert fragment in str(info.value)


def test_round_parse_error_carries_draw_number():
    with pytest.raises(RoundParseError) as info:
        parse_round(make_round(drawCRS="garbage"))
    assert info.value.draw_number == "434"


def test_bad_round_becomes_problem_others_parse():
    rounds = [
        make_round(drawNumber="436", drawDate="2026-08-18", drawDateFull="August 18, 2026"),
        make_round(drawNumber="435", drawCRS="garbage"),
        "not a round",
        make_round(),
    ]
    result = parse_feed({"classes": "wb-tables", "rounds": rounds})
    assert [r.draw_number for r in result.rounds] == ["436", "434"]
    assert [(p.index, p.draw_number) for p in result.problems] == [(1, "435"), (2, None)]
    assert "drawCRS" in result.problems[0].message
    assert result.problems[0].raw == rounds[1]


def test_duplicates_are_reported_and_kept():
    result = parse_feed([make_round(), make_round(drawCRS="471")])
    assert len(result.rounds) == 2
    assert result.duplicate_draw_numbers == ["434"]


@pytest.mark.parametrize("data", [b"not json", "{}", '{"rounds": 5}', "42", b"\xff\xfe"])
def test_unreadable_feed_raises(data):
    with pytest.raises(FeedFormatError):
        parse_feed(data)


def test_content_hash_stable_under_key_order():
    raw = make_round()
    reordered = dict(reversed(list(raw.items())))
    assert list(reordered) != list(raw)
    assert content_hash(raw) == content_hash(reordered)
    assert parse_round(raw).content_hash == parse_round(reordered).content_hash
    assert parse_round(json.loads(json.dumps(raw, indent=2))).content_hash == content_hash(raw)


def test_content_hash_changes_when_a_value_changes():
    before = parse_round(make_round(drawCutOff="August 01, 2023 at 12:59:52 UTC")).content_hash
    after = parse_round(make_round(drawCutOff="July 04, 2023 at 19:36:18 UTC")).content_hash
    assert before != after
    assert content_hash(make_round(drawSize="300")) != content_hash(make_round(drawSize="301"))


def test_content_hash_definition():
    import hashlib

    raw = {"b": "2", "a": "é"}
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert content_hash(raw) == hashlib.sha256(canonical).hexdigest()


def test_raw_is_a_copy():
    raw = make_round()
    parsed = parse_round(raw)
    raw["drawCRS"] = "999"
    assert parsed.raw["drawCRS"] == "470"


def test_feed_module_has_no_django_imports():
    from pathlib import Path

    import scoring.draws as pkg

    for path in Path(pkg.__file__).parent.glob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path.name
