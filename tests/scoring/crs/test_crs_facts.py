from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.crs.dates import age_on, anniversary, next_birthday
from scoring.crs.facts import (
    EducationFact,
    JobOfferFact,
    LanguageTestFact,
    PersonFacts,
    SpouseFacts,
    WorkPeriodFact,
    build_profile,
    hours_in_window,
    next_change_date,
    score_facts,
    years_in_window,
)

IELTS_CLB10 = {"listening": 8.5, "reading": 8, "writing": 7.5, "speaking": 7.5}
IELTS_CLB9 = {"listening": 8, "reading": 7, "writing": 7, "speaking": 7}
D = date


def person(**kw):
    base = {
        "date_of_birth": D(1990, 5, 20),
        "educations": [EducationFact("masters", eca_date=D(2024, 1, 10))],
        "language_tests": [LanguageTestFact("ielts", IELTS_CLB9, D(2025, 6, 1))],
    }
    base.update(kw)
    return PersonFacts(**base)


def test_age_on_birthdays_and_feb_29():
    assert age_on(D(1990, 5, 20), D(2026, 5, 19)) == 35
    assert age_on(D(1990, 5, 20), D(2026, 5, 20)) == 36
    leap = D(2000, 2, 29)
    assert age_on(leap, D(2021, 2, 28)) == 20
    assert age_on(leap, D(2021, 3, 1)) == 21
    assert age_on(leap, D(2024, 2, 28)) == 23
    assert age_on(leap, D(2024, 2, 29)) == 24
    assert next_birthday(leap, D(2021, 1, 1)) == D(2021, 3, 1)
    assert next_birthday(leap, D(2023, 3, 1)) == D(2024, 2, 29)


@given(st.dates(min_value=D(1940, 1, 1), max_value=D(2010, 12, 31)), st.integers(min_value=1, max_value=60))
@settings(max_examples=300, deadline=None)
def test_age_increments_exactly_on_birthday(dob, years):
    bday = anniversary(dob, years)
    assert age_on(dob, bday) == years
    assert age_on(dob, bday - timedelta(days=1)) == years - 1


@given(
    st.dates(min_value=D(1960, 1, 1), max_value=D(2005, 12, 31)),
    st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 12, 31)),
)
@settings(max_examples=200, deadline=None)
def test_contract_age_matches_dob(dob, as_of):
    from scoring.crs.contract import calculate

    payload = {
        "date_of_birth": dob.isoformat(),
        "as_of": as_of.isoformat(),
        "education": "none",
        "first_language": {"test": "clb", "listening": 0, "reading": 0, "writing": 0, "speaking": 0},
    }
    by_dob = calculate(payload)
    by_age = calculate(
        {**{k: v for k, v in payload.items() if k != "date_of_birth"}, "age": age_on(dob, as_of)}
    )
    assert by_dob["total"] == by_age["total"]


def test_work_years_full_time_and_overlap():
    job = WorkPeriodFact(
        start=D(2023, 1, 1), end=D(2023, 12, 31), hours_per_week=40, in_canada=True, noc="21231"
    )
    assert years_in_window([job], D(2024, 6, 1), 10) == 1
    short = WorkPeriodFact(
        start=D(2023, 1, 1), end=D(2023, 12, 25), hours_per_week=40, in_canada=True, noc="21231"
    )
    assert years_in_window([short], D(2024, 6, 1), 10) == 0
    # two overlapping full-time jobs do not double count
    other = WorkPeriodFact(
        start=D(2023, 1, 1), end=D(2023, 12, 31), hours_per_week=30, in_canada=True, noc="21232"
    )
    assert years_in_window([job, other], D(2024, 6, 1), 10) == 1
    # two part-time jobs add up to one full-time equivalent
    p1 = WorkPeriodFact(
        start=D(2022, 1, 1), end=D(2023, 12, 31), hours_per_week=15, in_canada=True, noc="21231"
    )
    p2 = WorkPeriodFact(
        start=D(2022, 1, 1), end=D(2023, 12, 31), hours_per_week=15, in_canada=True, noc="21232"
    )
    assert years_in_window([p1, p2], D(2024, 6, 1), 10) == 2
    assert years_in_window([p1], D(2024, 6, 1), 10) == 1
    assert abs(hours_in_window([job], D(2024, 6, 1), 10) - 365 * 30 / 7) < 1e-9


def test_build_profile_filters():
    f = person(
        work=[
            WorkPeriodFact(start=D(2022, 1, 1), end=D(2024, 12, 31), in_canada=True, noc="21231"),
            WorkPeriodFact(
                start=D(2019, 1, 1), end=D(2021, 12, 31), in_canada=True, noc="21231", authorized=False
            ),
            WorkPeriodFact(start=D(2014, 1, 1), end=D(2018, 12, 31), noc="21231"),  # foreign
            WorkPeriodFact(start=D(2010, 1, 1), end=D(2013, 12, 31), noc="65200"),  # TEER 5 unskilled
            WorkPeriodFact(start=D(2005, 1, 1), end=D(2009, 12, 31), noc="21231", paid=False),
        ],
    )
    p = build_profile(f, D(2026, 1, 1))
    assert p.age == 35
    assert p.education == "masters"
    assert p.first_language == (9, 9, 9, 9)
    assert p.canadian_work_years == 3
    assert p.foreign_work_years == 3  # window 2016-01-02..2018-12-31 cuts 2014-2015
    assert p.with_spouse is False


def test_language_validity_and_best_result():
    f = person(
        language_tests=[
            LanguageTestFact("ielts", IELTS_CLB10, D(2023, 1, 1)),  # expired on 2025-01-01
            LanguageTestFact(
                "celpip", {"listening": 9, "reading": 9, "writing": 8, "speaking": 9}, D(2024, 6, 1)
            ),
            LanguageTestFact("ielts", IELTS_CLB9, D(2024, 9, 1)),
        ]
    )
    assert build_profile(f, D(2024, 12, 31)).first_language == (10, 10, 10, 10)
    assert build_profile(f, D(2025, 1, 1)).first_language == (9, 9, 9, 9)
    assert build_profile(f, D(2026, 9, 1)).first_language == (0, 0, 0, 0)


def test_first_language_choice():
    fr = LanguageTestFact(
        "tcf", {"listening": 549, "reading": 549, "writing": 16, "speaking": 16}, D(2025, 1, 1)
    )
    en = LanguageTestFact("ielts", {"listening": 6, "reading": 6, "writing": 6, "speaking": 6}, D(2025, 1, 1))
    p = build_profile(person(language_tests=[fr, en]), D(2025, 6, 1))
    assert (
        p.first_language_code == "fr"
        and p.first_language == (10, 10, 10, 10)
        and p.second_language == (7, 7, 7, 7)
    )
    en_first = LanguageTestFact("ielts", en.scores, en.test_date, is_first=True)
    p2 = build_profile(person(language_tests=[fr, en_first]), D(2025, 6, 1))
    assert p2.first_language_code == "en" and p2.second_language == (10, 10, 10, 10)


def test_education_eca_and_two_or_more():
    f = person(educations=[EducationFact("masters", eca_date=D(2018, 1, 1))])
    assert build_profile(f, D(2022, 12, 31)).education == "masters"
    assert build_profile(f, D(2023, 1, 1)).education == "none"  # ECA expired after 5 years
    f2 = person(
        educations=[
            EducationFact("bachelors", in_canada=True, program_years=4),
            EducationFact("one_year", in_canada=True, program_years=1),
        ]
    )
    p = build_profile(f2, D(2025, 1, 1))
    assert p.education == "two_or_more"
    assert p.canadian_education == "three_year_or_more"


def test_spouse_only_when_accompanying_and_not_canadian():
    spouse = SpouseFacts(
        educations=[EducationFact("bachelors", in_canada=True, program_years=4)],
        language_tests=[LanguageTestFact("ielts", IELTS_CLB9, D(2025, 1, 1))],
    )
    acc = person(marital_status="married", spouse_accompanying=True, spouse=spouse)
    p = build_profile(acc, D(2025, 6, 1))
    assert p.with_spouse and p.spouse_education == "bachelors" and p.spouse_language == (9, 9, 9, 9)
    cdn = person(marital_status="married", spouse_accompanying=True, spouse_canadian=True, spouse=spouse)
    assert not build_profile(cdn, D(2025, 6, 1)).with_spouse


def test_job_offer_rule_set():
    offer = JobOfferFact(noc="00012", teer=0, supported=True)
    f = person(job_offer=offer)
    assert build_profile(f, D(2024, 1, 1)).arranged_employment == "teer_0_major_group_00"
    assert score_facts(f, D(2025, 3, 24)) - score_facts(f, D(2025, 3, 25)) == 200
    assert (
        build_profile(person(job_offer=JobOfferFact(noc="21231")), D(2024, 1, 1)).arranged_employment
        == "none"
    )


def _check_next_change(f, as_of):
    d = next_change_date(f, as_of)
    assert d is not None and d > as_of
    assert score_facts(f, d - timedelta(days=1)) == score_facts(f, as_of)
    assert score_facts(f, d) != score_facts(f, as_of)
    return d


def test_next_change_birthday():
    f = person(
        language_tests=[
            LanguageTestFact(
                "clb", {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}, D(2026, 1, 1)
            )
        ]
    )
    assert _check_next_change(f, D(2026, 1, 10)) == D(2026, 5, 20)


def test_next_change_no_change_under_30():
    f = person(
        date_of_birth=D(2000, 1, 1),
        educations=[EducationFact("masters", in_canada=True, program_years=2)],
        language_tests=[
            LanguageTestFact(
                "clb", {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}, D(2026, 1, 1)
            )
        ],
    )
    # age points are flat until 30, so the first change is the language expiry
    assert _check_next_change(f, D(2026, 1, 10)) == D(2028, 1, 1)


def test_next_change_work_year_completed():
    f = person(
        date_of_birth=D(2000, 1, 1),
        educations=[EducationFact("masters", in_canada=True, program_years=2)],
        language_tests=[
            LanguageTestFact(
                "clb", {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}, D(2026, 1, 1)
            )
        ],
        work=[WorkPeriodFact(start=D(2025, 3, 1), in_canada=True, noc="21231", hours_per_week=37.5)],
    )
    d = _check_next_change(f, D(2026, 1, 10))
    assert D(2026, 2, 25) <= d <= D(2026, 3, 1)
    assert build_profile(f, d).canadian_work_years == 1


def test_next_change_work_leaving_window():
    f = person(
        date_of_birth=D(2000, 1, 1),
        educations=[EducationFact("masters", in_canada=True, program_years=2)],
        language_tests=[
            LanguageTestFact(
                "clb", {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}, D(2026, 1, 1)
            )
        ],
        work=[WorkPeriodFact(start=D(2016, 3, 1), end=D(2018, 3, 31), noc="21231")],
    )
    d = _check_next_change(f, D(2026, 1, 10))
    assert build_profile(f, d).foreign_work_years < build_profile(f, D(2026, 1, 10)).foreign_work_years


def test_next_change_eca_expiry():
    f = person(
        date_of_birth=D(2000, 1, 1),
        educations=[EducationFact("masters", eca_date=D(2022, 4, 1))],
        language_tests=[
            LanguageTestFact(
                "clb", {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}, D(2026, 1, 1)
            )
        ],
    )
    assert _check_next_change(f, D(2026, 1, 10)) == D(2027, 4, 1)


def test_next_change_none_when_nothing_changes():
    f = PersonFacts(date_of_birth=D(1950, 1, 1))
    assert next_change_date(f, D(2026, 1, 1)) is None
