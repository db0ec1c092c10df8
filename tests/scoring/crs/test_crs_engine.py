import dataclasses
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.crs.contract import calculate
from scoring.crs.engine import ABILITIES, CRSProfile, score
from scoring.crs.rulesets import (
    ARRANGED_EMPLOYMENT_LEVELS,
    CANADIAN_EDUCATION_LEVELS,
    CRS_2020_10_27,
    CRS_2025_03_25,
    EDUCATION_LEVELS,
    RULE_SETS,
    NoRuleSetError,
    derive,
    ruleset_for,
)

SEED = {
    "age": 38,
    "education": "two_or_more",
    "first_language": {"test": "clb", "listening": 10, "reading": 10, "writing": 10, "speaking": 10},
    "foreign_work_years": 3,
    "arranged_employment": "other_teer_0_1_2_3",
}


def test_seed_example():
    assert calculate({**SEED, "as_of": "2023-07-01"})["total"] == 475
    assert calculate({**SEED, "as_of": "2023-07-01", "canadian_work_years": 2})["total"] == 528
    assert calculate({**SEED, "as_of": "2025-06-01"})["total"] == 425


def test_ruleset_for_boundaries():
    assert ruleset_for(date(2025, 3, 24)).id == "crs-2020-10-27"
    assert ruleset_for(date(2025, 3, 25)).id == "crs-2025-03-25"
    assert ruleset_for(date(2026, 11, 22)).id == "crs-2025-03-25"
    assert ruleset_for(date(2020, 10, 27)).id == "crs-2020-10-27"
    assert ruleset_for(date(2020, 10, 26)).id == "crs-2017-06-06"
    try:
        ruleset_for(date(2015, 1, 1))
        raise AssertionError("expected NoRuleSetError")
    except NoRuleSetError:
        pass


def test_every_table_has_source_and_status():
    for rules in RULE_SETS:
        assert rules.source and rules.status
        for table in rules.tables.values():
            assert table.source and table.status in {
                "official",
                "corroborated",
                "single_source",
                "unverified",
            }
    # pre-2020 sets rest on MEM facts
    assert ruleset_for(date(2018, 1, 1)).status == "unverified"


def test_future_rule_set_is_data_only():
    from types import MappingProxyType

    from scoring.crs.rulesets import Table

    future = derive(
        CRS_2025_03_25,
        id="crs-test-future",
        effective_from=date(2030, 1, 1),
        source="test",
        status="unverified",
        sibling=Table("sibling", source="test", status="unverified", values=MappingProxyType({"points": 0})),
    )
    sets = (*RULE_SETS, future)
    assert ruleset_for(date(2030, 1, 2), sets) is future
    p = CRSProfile(age=29, education="bachelors", first_language=(9, 9, 9, 9), sibling=True)
    assert score(p, future).total == score(p, CRS_2025_03_25).total - 15


def test_bachelors_in_13_25_row():
    p = CRSProfile(age=29, education="bachelors", first_language=(9, 9, 9, 9))
    r = score(p, CRS_2025_03_25)
    assert r.breakdown["transferability.education_language"] == 25
    assert r.total == 379


def test_language_tier_from_lowest_ability():
    p = CRSProfile(age=29, education="masters", first_language=(10, 10, 10, 8))
    assert score(p, CRS_2025_03_25).breakdown["transferability.education_language"] == 25


def test_french_bonus_as_second_language_and_in_addition():
    p = CRSProfile(
        age=29,
        education="bachelors",
        first_language=(9, 9, 9, 9),
        first_language_code="en",
        second_language=(7, 7, 7, 7),
    )
    r = score(p, CRS_2025_03_25)
    assert r.breakdown["additional.french"] == 50
    assert r.breakdown["second_language.total"] == 12
    # French at NCLC 6 in one ability: no bonus
    r2 = score(dataclasses.replace(p, second_language=(7, 7, 6, 7)), CRS_2025_03_25)
    assert r2.breakdown["additional.french"] == 0
    # English below 5 in one ability -> 25
    p3 = CRSProfile(
        age=29,
        education="bachelors",
        first_language=(7, 7, 7, 7),
        first_language_code="fr",
        second_language=(5, 5, 4, 5),
    )
    assert score(p3, CRS_2025_03_25).breakdown["additional.french"] == 25


def test_transferability_caps():
    p = CRSProfile(
        age=29,
        education="phd",
        first_language=(10, 10, 10, 10),
        canadian_work_years=3,
        foreign_work_years=3,
        certificate_of_qualification=True,
    )
    b = score(p, CRS_2025_03_25).breakdown
    assert b["transferability.education_uncapped"] == 100
    assert b["transferability.education"] == 50
    assert b["transferability.foreign_work_uncapped"] == 100
    assert b["transferability.foreign_work"] == 50
    assert b["transferability.certificate_language"] == 50
    assert b["transferability.uncapped"] == 150
    assert b["transferability.total"] == 100


def test_second_language_caps():
    p = CRSProfile(age=29, first_language=(9, 9, 9, 9), second_language=(9, 9, 9, 9))
    assert score(p, CRS_2025_03_25).breakdown["second_language.total"] == 24
    assert (
        score(dataclasses.replace(p, with_spouse=True), CRS_2025_03_25).breakdown["second_language.total"]
        == 22
    )


def test_breakdown_lists_every_factor():
    b = score(CRSProfile(age=30), CRS_2020_10_27).breakdown
    for key in [
        "age",
        "education",
        *[f"first_language.{a}" for a in ABILITIES],
        *[f"second_language.{a}" for a in ABILITIES],
        "second_language.total",
        "canadian_work",
        "spouse.education",
        *[f"spouse.first_language.{a}" for a in ABILITIES],
        "spouse.canadian_work",
        "transferability.education_language",
        "transferability.education_canadian_work",
        "transferability.foreign_work_language",
        "transferability.foreign_work_canadian_work",
        "transferability.certificate_language",
        "transferability.total",
        "additional.nomination",
        "additional.job_offer",
        "additional.canadian_education",
        "additional.french",
        "additional.sibling",
    ]:
        assert key in b


clb = st.integers(min_value=0, max_value=12)
levels = st.tuples(clb, clb, clb, clb)
profiles = st.builds(
    CRSProfile,
    age=st.integers(min_value=0, max_value=100),
    education=st.sampled_from(EDUCATION_LEVELS),
    first_language=levels,
    first_language_code=st.sampled_from(["en", "fr"]),
    second_language=st.none() | levels,
    with_spouse=st.booleans(),
    canadian_work_years=st.integers(min_value=0, max_value=15),
    foreign_work_years=st.integers(min_value=0, max_value=15),
    certificate_of_qualification=st.booleans(),
    canadian_education=st.sampled_from(CANADIAN_EDUCATION_LEVELS),
    arranged_employment=st.sampled_from(ARRANGED_EMPLOYMENT_LEVELS),
    nomination=st.booleans(),
    sibling=st.booleans(),
    spouse_education=st.sampled_from(EDUCATION_LEVELS),
    spouse_language=st.none() | levels,
    spouse_canadian_work_years=st.integers(min_value=0, max_value=15),
)
rule_sets = st.sampled_from(RULE_SETS)


@given(profiles, rule_sets)
@settings(max_examples=400, deadline=None)
def test_sections_sum_and_maxima(p, rules):
    r = score(p, rules)
    assert r.total == sum(r.sections.values())
    assert 0 <= r.sections["core"] <= (460 if p.with_spouse else 500)
    assert 0 <= r.sections["spouse"] <= (40 if p.with_spouse else 0)
    assert 0 <= r.sections["transferability"] <= 100
    assert 0 <= r.sections["additional"] <= 600
    assert r.total <= 1200


@given(profiles, rule_sets, st.integers(min_value=0, max_value=3))
@settings(max_examples=400, deadline=None)
def test_monotonic_first_language(p, rules, i):
    if p.first_language[i] >= 12:
        return
    fl = list(p.first_language)
    fl[i] += 1
    better = dataclasses.replace(p, first_language=tuple(fl))
    assert score(better, rules).total >= score(p, rules).total


@given(profiles, rule_sets, st.integers(min_value=0, max_value=3))
@settings(max_examples=300, deadline=None)
def test_monotonic_second_and_spouse_language(p, rules, i):
    for field in ("second_language", "spouse_language"):
        cur = getattr(p, field)
        if cur is None or cur[i] >= 12:
            continue
        lv = list(cur)
        lv[i] += 1
        assert score(dataclasses.replace(p, **{field: tuple(lv)}), rules).total >= score(p, rules).total


@given(profiles, rule_sets)
@settings(max_examples=300, deadline=None)
def test_monotonic_experience(p, rules):
    base = score(p, rules).total
    for field in ("canadian_work_years", "foreign_work_years", "spouse_canadian_work_years"):
        assert score(dataclasses.replace(p, **{field: getattr(p, field) + 1}), rules).total >= base
