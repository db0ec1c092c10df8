from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.crs.contract import TOP_LEVEL_KEYS, calculate

BASE = {
    "as_of": "2026-08-01",
    "age": 29,
    "education": "bachelors",
    "first_language": {"test": "clb", "listening": 9, "reading": 9, "writing": 9, "speaking": 9},
}


def err(payload, **kw):
    out = calculate(payload, **kw)
    assert "error" in out, out
    return out["error"]


def test_success_shape():
    out = calculate(BASE)
    assert set(out) == {"total", "rule_set", "sections", "breakdown", "as_of", "clb"}
    assert out["total"] == 379
    assert out["as_of"] == "2026-08-01"
    assert out["rule_set"] == "crs-2025-03-25"
    assert out["clb"]["first_language"]["listening"] == 9


def test_default_as_of_is_today():
    payload = {k: v for k, v in BASE.items() if k != "as_of"}
    assert calculate(payload, today=date(2024, 1, 1))["rule_set"] == "crs-2020-10-27"
    assert calculate(payload, today=date(2026, 1, 1))["as_of"] == "2026-01-01"


def test_date_of_birth_gives_age():
    payload = {**BASE, "date_of_birth": "1988-03-14", "as_of": "2026-11-22"}
    del payload["age"]
    assert calculate(payload)["breakdown"]["age"] == 61  # 38 single


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"age": -1}, "age"),
        ({"age": True}, "age"),
        ({"age": "29"}, "age"),
        ({"age": 29.5}, "age"),
        ({"education": "college"}, "education"),
        ({"education": None}, "education"),
        ({"marital_status": "engaged"}, "marital_status"),
        ({"marital_status": "married"}, "spouse_accompanying"),
        ({"canadian_work_years": -2}, "canadian_work_years"),
        ({"foreign_work_years": "3"}, "foreign_work_years"),
        ({"foreign_work_years": False}, "foreign_work_years"),
        ({"provincial_nomination": "yes"}, "provincial_nomination"),
        ({"canadian_education": "phd"}, "canadian_education"),
        ({"arranged_employment": "teer_4"}, "arranged_employment"),
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2010-01-01"}, "as_of"),
        ({"colour": "blue"}, "colour"),
        ({"first_language": None}, "first_language"),
        ({"first_language": "ielts 8"}, "first_language"),
        ({"first_language": {"test": "ielts_academic", "listening": 8}}, "first_language.test"),
        (
            {
                "first_language": {
                    "test": "ielts",
                    "listening": 9.5,
                    "reading": 8,
                    "writing": 7,
                    "speaking": 7,
                }
            },
            "first_language.listening",
        ),
        (
            {
                "first_language": {
                    "test": "ielts",
                    "listening": 8,
                    "reading": 7.25,
                    "writing": 7,
                    "speaking": 7,
                }
            },
            "first_language.reading",
        ),
        (
            {"first_language": {"test": "ielts", "listening": 8, "reading": 7, "writing": 7}},
            "first_language.speaking",
        ),
        (
            {
                "first_language": {
                    "test": "celpip",
                    "listening": 13,
                    "reading": 8,
                    "writing": 7,
                    "speaking": 7,
                }
            },
            "first_language.listening",
        ),
        (
            {
                "first_language": {
                    "test": "pte_core",
                    "listening": 9,
                    "reading": 80,
                    "writing": 70,
                    "speaking": 70,
                }
            },
            "first_language.listening",
        ),
        (
            {
                "first_language": {
                    "test": "tcf",
                    "listening": 500,
                    "reading": 500,
                    "writing": 25,
                    "speaking": 10,
                }
            },
            "first_language.writing",
        ),
        (
            {
                "first_language": {
                    "test": "tef",
                    "listening": 500,
                    "reading": 500,
                    "writing": 500,
                    "speaking": 500,
                }
            },
            "first_language.test_date",
        ),
        (
            {"first_language": {"test": "clb", "listening": 13, "reading": 9, "writing": 9, "speaking": 9}},
            "first_language.listening",
        ),
        (
            {
                "first_language": {
                    "test": "clb",
                    "listening": 9,
                    "reading": 9,
                    "writing": 9,
                    "speaking": 9,
                    "band": 1,
                }
            },
            "first_language.band",
        ),
        (
            {
                "first_language": {
                    "test": "clb",
                    "listening": 9,
                    "reading": 9,
                    "writing": 9,
                    "speaking": 9,
                    "test_date": "2027-01-01",
                }
            },
            "first_language.test_date",
        ),
        (
            {"second_language": {"test": "ielts", "listening": 8, "reading": 8, "writing": 8, "speaking": 8}},
            "second_language.test",
        ),
        ({"spouse": "yes"}, "spouse"),
        ({"spouse": {"education": "phd", "age": 30}}, "spouse.age"),
        ({"spouse": {"first_language": {"test": "xyz"}}}, "spouse.first_language.test"),
        ({"spouse": {"canadian_work_years": -1}}, "spouse.canadian_work_years"),
    ],
)
def test_field_errors(change, path):
    payload = {**BASE, **change}
    payload = {k: v for k, v in payload.items() if not (k == "education" and v is None)}
    errors = err(payload)
    assert path in errors, errors


def test_age_and_dob():
    assert "age" in err({k: v for k, v in BASE.items() if k != "age"})
    assert "date_of_birth" in err({**BASE, "date_of_birth": "1990-01-01"})
    payload = {k: v for k, v in BASE.items() if k != "age"}
    assert "date_of_birth" in err({**payload, "date_of_birth": "2027-01-01"})
    assert "date_of_birth" in err({**payload, "date_of_birth": "1990-02-30"})


def test_non_dict_payload():
    for payload in (None, [], "x", 3, [BASE]):
        assert calculate(payload) == {"error": {"payload": "must be a JSON object"}}


def test_celpip_m_and_spouse_scoring():
    payload = {
        **BASE,
        "first_language": {"test": "celpip", "listening": "M", "reading": 12, "writing": 9, "speaking": 9},
    }
    out = calculate(payload)
    assert out["clb"]["first_language"]["listening"] == 0
    assert out["clb"]["first_language"]["reading"] == 10


def test_spouse_ignored_unless_accompanying_and_not_canadian():
    spouse = {"education": "phd", "canadian_work_years": 5}
    a = calculate({**BASE, "marital_status": "married", "spouse_accompanying": False, "spouse": spouse})
    b = calculate(
        {
            **BASE,
            "marital_status": "married",
            "spouse_accompanying": True,
            "spouse_canadian": True,
            "spouse": spouse,
        }
    )
    c = calculate({**BASE, "marital_status": "common_law", "spouse_accompanying": True, "spouse": spouse})
    assert a["total"] == b["total"] == 379
    assert c["sections"]["spouse"] == 20


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
keys = st.sampled_from(sorted(TOP_LEVEL_KEYS)) | st.text(max_size=8)


@given(st.dictionaries(keys, json_values, max_size=10))
@settings(max_examples=500, deadline=None)
def test_random_json_never_raises(payload):
    out = calculate(payload)
    assert ("error" in out) != ("total" in out)
    if "error" in out:
        assert out["error"] and all(
            isinstance(k, str) and isinstance(v, str) for k, v in out["error"].items()
        )


@given(json_values)
@settings(max_examples=200, deadline=None)
def test_random_top_level_never_raises(payload):
    out = calculate(payload)
    assert isinstance(out, dict)


ability_values = (
    st.none() | st.booleans() | st.integers(-5, 800) | st.floats(allow_nan=True) | st.text(max_size=4)
)


@given(
    st.sampled_from(["ielts", "celpip", "pte_core", "tef", "tcf", "clb", "nclc", "x"]),
    ability_values,
    ability_values,
    ability_values,
    ability_values,
    st.none() | st.sampled_from(["2023-01-01", "2024-06-01", "bad"]),
)
@settings(max_examples=500, deadline=None)
def test_random_language_results_never_raise(test, li, r, w, s, td):
    fl = {"test": test, "listening": li, "reading": r, "writing": w, "speaking": s}
    if td is not None:
        fl["test_date"] = td
    out = calculate({**BASE, "first_language": fl})
    assert "error" in out or "total" in out
    if "error" in out:
        assert all(k.startswith("first_language") for k in out["error"])
