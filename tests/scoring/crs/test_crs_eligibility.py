from datetime import date as D

from scoring.crs.categories import (
    DRAW_CATEGORY_KEYS,
    category_eligibility,
    draw_eligibility,
    noc_lists,
    nocs_for,
    version_key_for,
    version_key_from_label,
)
from scoring.crs.eligibility import (
    cec_eligibility,
    fst_eligibility,
    fsw_eligibility,
    fsw_grid,
    is_skilled_trade,
)
from scoring.crs.facts import EducationFact, JobOfferFact, LanguageTestFact, PersonFacts, WorkPeriodFact

CLB = lambda n: {"listening": n, "reading": n, "writing": n, "speaking": n}  # noqa: E731
AS_OF = D(2026, 6, 1)


def person(**kw):
    base = {
        "date_of_birth": D(1995, 1, 1),
        "educations": [EducationFact("bachelors", eca_date=D(2024, 1, 1))],
        "language_tests": [LanguageTestFact("clb", CLB(9), D(2025, 6, 1))],
        "work": [WorkPeriodFact(start=D(2022, 1, 1), end=D(2024, 12, 31), noc="21231")],
        "plans_to_live_outside_quebec": True,
        "settlement_funds_cad": 20000,
        "required_funds_cad": 15000,
    }
    base.update(kw)
    return PersonFacts(**base)


def statuses(result):
    return {c.key: c.status for c in result.criteria}


def test_fsw_eligible_with_grid():
    r = fsw_eligibility(person(), AS_OF)
    assert r.status == "eligible", r.criteria
    g = r.details["grid"]
    assert g == {**g, "language": 24, "education": 21, "experience": 11, "age": 12}
    assert g["total"] == 68


def test_fsw_worked_example_s5():
    # age 31, bachelor's, CLB 8, 3 years -> 64 (fail); CLB 9 -> 68 (pass)
    f = person(date_of_birth=D(1995, 1, 1), language_tests=[LanguageTestFact("clb", CLB(8), D(2025, 6, 1))])
    g = fsw_grid(f, D(2026, 6, 1))
    assert (g["language"], g["education"], g["experience"], g["age"]) == (20, 21, 11, 12)
    assert fsw_eligibility(f, D(2026, 6, 1)).status == "not_eligible"


def test_fsw_unmet_and_unknown():
    r = fsw_eligibility(person(language_tests=[LanguageTestFact("clb", CLB(6), D(2025, 6, 1))]), AS_OF)
    assert statuses(r)["language"] == "unmet" and r.status == "not_eligible"
    r = fsw_eligibility(person(settlement_funds_cad=None), AS_OF)
    assert statuses(r)["funds"] == "unknown" and r.status == "needs_information"
    r = fsw_eligibility(person(educations=[EducationFact("bachelors")]), AS_OF)
    assert statuses(r)["education"] == "unmet"
    r = fsw_eligibility(person(language_tests=[]), AS_OF)
    assert statuses(r)["language"] == "unknown"
    r = fsw_eligibility(
        person(work=[WorkPeriodFact(start=D(2025, 1, 1), end=D(2025, 6, 30), noc="21231")]), AS_OF
    )
    assert statuses(r)["work_experience"] == "unmet"


def test_fsw_funds_exempt_with_offer_and_authorization():
    f = person(
        settlement_funds_cad=None,
        authorized_to_work_in_canada=True,
        job_offer=JobOfferFact(noc="21231", supported=True),
    )
    assert statuses(fsw_eligibility(f, AS_OF))["funds"] == "met"


def test_cec():
    cdn = WorkPeriodFact(start=D(2024, 1, 1), end=D(2025, 6, 30), noc="22310", in_canada=True)  # TEER 2
    f = person(work=[cdn], language_tests=[LanguageTestFact("clb", CLB(5), D(2025, 6, 1))])
    assert cec_eligibility(f, AS_OF).status == "eligible"
    # TEER 1 needs CLB 7
    f1 = person(
        work=[WorkPeriodFact(start=D(2024, 1, 1), end=D(2025, 6, 30), noc="21231", in_canada=True)],
        language_tests=[LanguageTestFact("clb", CLB(5), D(2025, 6, 1))],
    )
    assert statuses(cec_eligibility(f1, AS_OF))["language"] == "unmet"
    # self-employment and student work do not count
    for bad in ({"self_employed": True}, {"while_full_time_student": True}, {"authorized": False}):
        w = WorkPeriodFact(start=D(2024, 1, 1), end=D(2025, 6, 30), noc="22310", in_canada=True, **bad)
        assert statuses(cec_eligibility(person(work=[w]), AS_OF))["canadian_work"] == "unmet"
    # outside the 3-year window
    old = WorkPeriodFact(start=D(2020, 1, 1), end=D(2022, 12, 31), noc="22310", in_canada=True)
    assert cec_eligibility(person(work=[old]), AS_OF).status == "not_eligible"
    # no TEER known
    nn = WorkPeriodFact(start=D(2024, 1, 1), end=D(2025, 6, 30), in_canada=True)
    assert statuses(cec_eligibility(person(work=[nn]), AS_OF))["canadian_work"] == "unknown"


def test_trades_noc_groups():
    assert is_skilled_trade("72310") and is_skilled_trade("73200") and is_skilled_trade("83100")
    assert not is_skilled_trade("72600")  # sub-major 726 excluded
    assert not is_skilled_trade("93200")  # sub-major 932 excluded
    assert is_skilled_trade("63200") and is_skilled_trade("62200")
    assert not is_skilled_trade("62100") and not is_skilled_trade("21231")
    assert is_skilled_trade(None) is None


def test_fstp():
    trade = WorkPeriodFact(start=D(2022, 1, 1), end=D(2025, 12, 31), noc="72310")
    langs = [
        LanguageTestFact("celpip", {"listening": 5, "reading": 4, "writing": 4, "speaking": 5}, D(2025, 6, 1))
    ]
    f = person(
        work=[trade],
        language_tests=langs,
        certificate_of_qualification=True,
        meets_trade_noc_requirements=True,
    )
    assert fst_eligibility(f, AS_OF).status == "eligible"
    f2 = person(work=[trade], language_tests=langs, meets_trade_noc_requirements=True)
    assert statuses(fst_eligibility(f2, AS_OF))["certificate_or_offer"] == "unmet"
    langs_low = [
        LanguageTestFact("celpip", {"listening": 4, "reading": 4, "writing": 4, "speaking": 5}, D(2025, 6, 1))
    ]
    f3 = person(work=[trade], language_tests=langs_low, certificate_of_qualification=True)
    assert statuses(fst_eligibility(f3, AS_OF))["language"] == "unmet"
    assert statuses(fst_eligibility(person(), AS_OF))["trade_work"] == "unmet"
    assert (
        fst_eligibility(
            person(work=[trade], language_tests=langs, certificate_of_qualification=True), AS_OF
        ).status
        == "needs_information"
    )


def test_noc_lists_loaded():
    lists = noc_lists()
    assert len(lists["2023-v1"]["healthcare"]) == 35
    assert len(lists["2025-v2"]["trades"]) == 25
    assert "63200" not in lists["2026"]["trades"] and "63201" in lists["2026"]["trades"]
    assert nocs_for("transport", "2026") == frozenset({"22313", "72404", "72410", "72600"})
    assert "agriculture" not in lists["2026"]


def test_version_keys():
    assert version_key_for("healthcare", D(2023, 6, 28)) == "2023-v1"
    assert version_key_for("education", D(2025, 5, 1)) == "2025-v2"
    assert version_key_for("transport", D(2025, 5, 1)) is None
    assert version_key_for("physicians", D(2026, 2, 19)) == "2026"
    assert version_key_for("cec", D(2026, 2, 19)) is None
    assert (
        version_key_from_label("Healthcare and Social Services Occupations, 2026-Version 3", D(2026, 2, 20))
        == "2026"
    )
    assert version_key_from_label("Education occupations (Version 1)", D(2025, 5, 1)) == "2025-v2"
    assert set(DRAW_CATEGORY_KEYS) >= {"general", "french", "senior_managers", "military"}


def test_category_eligibility_2026_needs_12_months():
    nurse6 = WorkPeriodFact(start=D(2025, 9, 1), end=D(2026, 5, 31), noc="31301")  # 9 months
    base_work = WorkPeriodFact(start=D(2018, 1, 1), end=D(2021, 12, 31), noc="21231")
    f = person(work=[base_work, nurse6])
    r26 = category_eligibility(f, AS_OF)["healthcare"]
    assert r26.version == "2026" and r26.status == "not_eligible"
    r25 = category_eligibility(f, AS_OF, version="2025-v2")["healthcare"]
    assert r25.status == "eligible", r25.criteria
    # 2026: 12 months in a listed NOC (not continuous) -> eligible
    a = WorkPeriodFact(start=D(2023, 9, 1), end=D(2024, 2, 29), noc="31301")
    b = WorkPeriodFact(start=D(2025, 1, 1), end=D(2025, 7, 31), noc="31301")
    assert category_eligibility(person(work=[base_work, a, b]), AS_OF)["healthcare"].status == "eligible"


def test_category_french_and_canadian_work_and_military():
    fr = LanguageTestFact(
        "tcf", {"listening": 458, "reading": 453, "writing": 10, "speaking": 10}, D(2025, 6, 1)
    )
    f = person(language_tests=[LanguageTestFact("clb", CLB(9), D(2025, 6, 1)), fr])
    res = category_eligibility(f, AS_OF)
    assert res["french"].status == "eligible"
    assert category_eligibility(person(), AS_OF)["french"].status == "not_eligible"
    doc_abroad = WorkPeriodFact(start=D(2023, 1, 1), end=D(2025, 12, 31), noc="31102")
    doc_cdn = WorkPeriodFact(start=D(2023, 1, 1), end=D(2025, 12, 31), noc="31102", in_canada=True)
    assert category_eligibility(person(work=[doc_abroad]), AS_OF)["physicians"].status == "not_eligible"
    assert category_eligibility(person(work=[doc_cdn]), AS_OF)["physicians"].status == "eligible"
    assert category_eligibility(person(), AS_OF)["military"].status == "needs_information"


def test_draw_eligibility():
    f = person()
    assert draw_eligibility(f, "general", D(2026, 1, 1)) == "eligible"
    assert draw_eligibility(f, "pnp", D(2026, 1, 1)) == "not_eligible"
    assert draw_eligibility(f, "transport", D(2025, 6, 1)) == "not_eligible"
    assert draw_eligibility(f, "cec", D(2026, 1, 1)) == "not_eligible"
