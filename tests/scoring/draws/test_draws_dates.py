"""Lenient date/time parsing for drawDateTime, drawCutOff and drawDistributionAsOn."""

from datetime import UTC, date, datetime

import pytest

from scoring.draws.dates import DateParseError, parse_date_text, resolve_datetime

DRAW = date(2026, 8, 7)
EXPECTED = datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "August 7, 2026 at 10:08:20 UTC",
        "August 07, 2026 at 10:08:20 UTC",
        "August 7th 2026 at 10:08:20 UTC",
        "August 7th, 2026 at 10:08:20 UTC",
        "August 07. 2026 at 10:08:20 UTC",
        "August 7,2026 10:08:20 UTC",
        "August 7 2026 at 10:08:20 UTC",
        "August 7, 2026, at 10:08:20 UTC",
        "August 7, 2026 at10:08:20 UTC",
        "  August  7,   2026  at  10:08:20  UTC ",
        "August\u00a07, 2026 at 10:08:20\u202fUTC",
        "Aug. 7, 2026 at 10:08:20 UTC",
        "7 August 2026 at 10:08:20 UTC",
        "august 7, 2026 AT 10:08:20 utc",
        "August 7, 2026 at 10:08:20 GMT",
        "August 7, 2026 at 10:08:20",
        "August 7, 2026 at 10:08:20 AM UTC",
        "August 7, 2026 at 10:08:20 a.m. UTC",
        "2026-08-07 10:08:20 UTC",
        "2026-08-07T10:08:20Z",
        "2026-08-07T10:08:20+00:00",
        "August 7, 2026 (2026-08-07) at 10:08:20 UTC",
        "August 7, 2026 at 06:08:20 EDT",
        "August 7, 2026 at 06:08:20 ET",
        "August 7, 2026 at 12:08:20 UTC+02:00",
        "Friday, August 7, 2026 at 10:08:20 UTC",
    ],
)
def test_formats_read_to_the_same_instant(text):
    value, _ = resolve_datetime(text, reference=DRAW)
    assert value == EXPECTED
    assert value.tzinfo is UTC


def test_july_3rd():
    value, _ = resolve_datetime("July 3rd 2026 at 14:31:50 UTC", reference=date(2026, 7, 20))
    assert value == datetime(2026, 7, 3, 14, 31, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("August 7, 2026 at 2:31:50 PM UTC", datetime(2026, 8, 7, 14, 31, 50, tzinfo=UTC)),
        ("August 7, 2026 at 12:05:00 AM UTC", datetime(2026, 8, 7, 0, 5, 0, tzinfo=UTC)),
        ("August 7, 2026 at 12:05:00 PM UTC", datetime(2026, 8, 7, 12, 5, 0, tzinfo=UTC)),
        ("August 7, 2026 at 20:19:59 PM UTC", datetime(2026, 8, 7, 20, 19, 59, tzinfo=UTC)),
        ("August 7, 2026 at 15:48:39 AM UTC", datetime(2026, 8, 7, 15, 48, 39, tzinfo=UTC)),
        ("August 7, 2026 at 6:29:10 UTC", datetime(2026, 8, 7, 6, 29, 10, tzinfo=UTC)),
        ("August 7, 2026 at 06:29 UTC", datetime(2026, 8, 7, 6, 29, 0, tzinfo=UTC)),
    ],
)
def test_twelve_hour_clock(text, expected):
    value, _ = resolve_datetime(text, reference=DRAW)
    assert value == expected


def test_stray_pm_on_24_hour_time_is_a_warning():
    _, warnings = resolve_datetime("June 22, 2021 at 20:19:59 PM UTC", reference=date(2021, 11, 24))
    assert any("ignored 'PM'" in w for w in warnings)


def test_missing_year_taken_from_draw_date():
    value, warnings = resolve_datetime(
        "October 7 at 14:31:50 UTC",
        reference=date(2021, 10, 27),
        not_after=datetime(2021, 10, 27, 13, 32, 26, tzinfo=UTC),
    )
    assert value == datetime(2021, 10, 7, 14, 31, 50, tzinfo=UTC)
    assert any("no year" in w and "2021" in w for w in warnings)


def test_missing_year_that_would_be_after_the_draw_uses_previous_year():
    value, warnings = resolve_datetime(
        "December 28 at 11:03:15 UTC",
        reference=date(2022, 1, 5),
        not_after=datetime(2022, 1, 5, 14, 0, tzinfo=UTC),
    )
    assert value == datetime(2021, 12, 28, 11, 3, 15, tzinfo=UTC)
    assert any("used 2021" in w for w in warnings)


def test_no_timezone_is_utc_with_warning():
    value, warnings = resolve_datetime("June 15, 2023 at 23:49:05", reference=date(2023, 7, 12))
    assert value == datetime(2023, 6, 15, 23, 49, 5, tzinfo=UTC)
    assert any("assumed UTC" in w for w in warnings)


def test_offset_is_converted_to_utc():
    value, _ = resolve_datetime("March 2, 2024 at 09:00:00 EST", reference=date(2024, 3, 5))
    assert value == datetime(2024, 3, 2, 14, 0, 0, tzinfo=UTC)


def test_date_only_value():
    value, warnings = resolve_datetime("March 2, 2024", reference=date(2024, 3, 5))
    assert value == datetime(2024, 3, 2, tzinfo=UTC)
    assert any("no time" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 2, 2024", date(2024, 7, 2)),
        ("2024-07-02", date(2024, 7, 2)),
        ("July 02 2024", date(2024, 7, 2)),
        (" July 2nd, 2024 ", date(2024, 7, 2)),
    ],
)
def test_parse_date_text(text, expected):
    assert parse_date_text(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "no date here", "Febtember 40, 2024 at 10:00:00 UTC", "February 30, 2024 at 10:00 UTC"],
)
def test_garbage_raises(text):
    with pytest.raises(DateParseError):
        resolve_datetime(text, reference=DRAW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aug-07-2026 06:08:20 EDT", datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)),
        ("7-Aug-2026 10:08:20 UTC", datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)),
        ("13/08/2026 10:08:20 UTC", datetime(2026, 8, 13, 10, 8, 20, tzinfo=UTC)),
        ("2026/08/07 10:08:20 UTC", datetime(2026, 8, 7, 10, 8, 20, tzinfo=UTC)),
    ],
)
def test_other_shapes(text, expected):
    assert resolve_datetime(text, reference=DRAW)[0] == expected


def test_date_text_needs_a_year():
    with pytest.raises(DateParseError):
        parse_date_text("July 2")
