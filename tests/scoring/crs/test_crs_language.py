from datetime import date

import pytest

from scoring.crs.language import (
    CONVERSION_TABLES,
    TEF_NEW,
    TEF_OLD,
    LanguageScoreError,
    convert,
    to_level,
)

NEW = date(2024, 1, 1)
OLD = date(2023, 1, 1)


@pytest.mark.parametrize(
    ("test", "ability", "value", "level"),
    [
        ("ielts", "listening", 8.5, 10),
        ("ielts", "listening", 8.0, 9),
        ("ielts", "listening", 4.0, 0),
        ("ielts", "listening", 4.5, 4),
        ("ielts", "reading", 3.5, 4),
        ("ielts", "reading", 3.0, 0),
        ("ielts", "reading", 6.0, 7),
        ("ielts", "writing", 7.5, 10),
        ("ielts", "writing", 9, 10),
        ("ielts", "speaking", 5.0, 5),
        ("celpip", "speaking", 12, 10),
        ("celpip", "speaking", 9, 9),
        ("celpip", "speaking", 4, 4),
        ("celpip", "speaking", 3, 0),
        ("celpip", "speaking", "M", 0),
        ("pte_core", "writing", 90, 10),
        ("pte_core", "writing", 89, 9),
        ("pte_core", "listening", 28, 4),
        ("pte_core", "listening", 27, 0),
        ("pte_core", "reading", 60, 7),
        ("pte_core", "reading", 59, 6),
        ("tcf", "reading", 549, 10),
        ("tcf", "reading", 548, 9),
        ("tcf", "listening", 458, 7),
        ("tcf", "writing", 10, 7),
        ("tcf", "writing", 9, 6),
        ("tcf", "speaking", 3, 0),
        ("clb", "speaking", 11, 11),
        ("nclc", "speaking", 3, 3),
    ],
)
def test_boundaries(test, ability, value, level):
    assert to_level(test, ability, value, NEW) == level


@pytest.mark.parametrize(
    ("ability", "value", "level"),
    [
        ("reading", 434, 7),
        ("reading", 433, 6),
        ("speaking", 556, 10),
        ("writing", 268, 4),
        ("writing", 267, 0),
    ],
)
def test_tef_new_scale(ability, value, level):
    assert to_level("tef", ability, value, date(2023, 12, 10)) == level


@pytest.mark.parametrize(
    ("ability", "value", "level"),
    [
        ("reading", 207, 7),
        ("reading", 206, 6),
        ("listening", 316, 10),
        ("speaking", 181, 4),
        ("speaking", 180, 0),
    ],
)
def test_tef_old_scale(ability, value, level):
    assert to_level("tef", ability, value, date(2023, 12, 9)) == level


def test_tef_scale_limits():
    with pytest.raises(LanguageScoreError):
        to_level("tef", "reading", 400, OLD)  # old reading max 300
    assert to_level("tef", "reading", 400, NEW) == 6


@pytest.mark.parametrize(
    ("test", "ability", "value"),
    [
        ("ielts", "listening", 9.5),
        ("ielts", "listening", 7.25),
        ("ielts", "listening", -0.5),
        ("ielts", "listening", float("nan")),
        ("ielts", "listening", float("inf")),
        ("ielts", "listening", "7"),
        ("ielts", "listening", True),
        ("celpip", "reading", 13),
        ("celpip", "reading", 7.5),
        ("celpip", "reading", "X"),
        ("pte_core", "reading", 9),
        ("pte_core", "reading", 91),
        ("pte_core", "reading", 60.5),
        ("tcf", "writing", 25),
        ("tcf", "reading", 700),
        ("tef", "speaking", 700),
        ("clb", "reading", 13),
        ("clb", "reading", 7.5),
        ("nclc", "reading", -1),
    ],
)
def test_invalid_scores(test, ability, value):
    with pytest.raises(LanguageScoreError) as exc:
        to_level(test, ability, value, NEW)
    assert exc.value.ability == ability


def test_convert_all_and_missing():
    assert convert("ielts", {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}) == (9, 9, 9, 9)
    with pytest.raises(LanguageScoreError) as exc:
        convert("ielts", {"listening": 8, "reading": 7, "writing": 7})
    assert exc.value.ability == "speaking"


def test_tables_carry_source_and_status():
    for table in CONVERSION_TABLES.values():
        assert table.source and table.status
    assert TEF_NEW.status == "unverified" and "DISPUTED" in TEF_NEW.note
    assert TEF_OLD.status == "official"
