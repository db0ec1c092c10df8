from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import holidays
import pytest

from pathways.rules import (
    CaseFacts,
    ClientFacts,
    EducationRecord,
    JobOffer,
    LabourMarketBenefitsPlan,
    Lmia,
    WorkPeriod,
    assess_gts,
)

AS_OF = date(2025, 6, 27)
CLIENT = ClientFacts(citizenships=("IN",))
OFFER_B = JobOffer(
    employer="Maple Soft Inc.",
    noc="21231",
    hourly_wage=55.0,
    annual_wage=114400.0,
    hours_per_week=40,
    province="ON",
    prevailing_wage_hourly=50.0,
    internal_wage_range_hourly=(48.0, 65.0),
)
CASE_B = CaseFacts(
    job_offer=OFFER_B,
    gts_category="B",
    application_received_date=AS_OF,
    lmbp=LabourMarketBenefitsPlan(
        has_plan=True,
        mandatory_benefits=("skills_training",),
        complementary_benefits=2,
        signed_on=date(2025, 6, 1),
    ),
    attestations={"gts.employer_operates_in_canada": True},
)
CLIENT_A = ClientFacts(citizenships=("FR",), education=(EducationRecord(level="master", field="Robotics"),))
CASE_A = replace(
    CASE_B,
    gts_category="A",
    job_offer=replace(
        OFFER_B,
        noc="20011",
        hourly_wage=45.0,
        annual_wage=93600.0,
        prevailing_wage_hourly=40.0,
        internal_wage_range_hourly=None,
    ),
    referral_partner="Communitech",
    position_number_in_year=1,
    lmbp=LabourMarketBenefitsPlan(
        has_plan=True, mandatory_benefits=("job_creation",), complementary_benefits=3
    ),
    attestations={
        "gts.employer_operates_in_canada": True,
        "gts.advanced_industry_knowledge": True,
        "gts.no_current_staff_in_same_job": True,
    },
)


def offer(case: CaseFacts, **kw: object) -> CaseFacts:
    return replace(case, job_offer=replace(case.job_offer, **kw))


def attest(case: CaseFacts, **kw: bool | None) -> CaseFacts:
    att = dict(case.attestations)
    for k, v in kw.items():
        key = "gts." + k
        if v is None:
            att.pop(key, None)
        else:
            att[key] = v
    return replace(case, attestations=att)


def test_baselines_are_eligible() -> None:
    b = assess_gts(CLIENT, CASE_B, as_of=AS_OF)
    assert [a.stream for a in b] == ["category_b"]
    assert b[0].outcome == "eligible", [(c.key, c.status, c.reason) for c in b[0].criteria]
    a = assess_gts(CLIENT_A, CASE_A, as_of=AS_OF)
    assert a[0].outcome == "eligible", [(c.key, c.status, c.reason) for c in a[0].criteria]
    assert a[0].rule_versions["gts"] == "gts-esdc-2025-11"
    assert b[0].rule_versions["gts_gtol"] == "gtol-2022-12"


def test_both_categories_when_unset() -> None:
    res = assess_gts(CLIENT, replace(CASE_A, gts_category=None), as_of=AS_OF)  # NOC 20011: not on the GTOL
    assert sorted(a.stream for a in res) == ["category_a", "category_b"]


B_CASES: list[tuple[str, str, Callable[[CaseFacts], CaseFacts]]] = [
    ("employer_operates_in_canada", "unmet", lambda c: attest(c, employer_operates_in_canada=False)),
    ("employer_operates_in_canada", "unknown", lambda c: attest(c, employer_operates_in_canada=None)),
    ("lmbp", "unmet", lambda c: replace(c, lmbp=LabourMarketBenefitsPlan(has_plan=False))),
    ("lmbp", "unmet", lambda c: replace(c, lmbp=replace(c.lmbp, complementary_benefits=1))),
    ("lmbp", "unmet", lambda c: replace(c, lmbp=replace(c.lmbp, mandatory_benefits=("job_creation",)))),
    ("lmbp", "unknown", lambda c: replace(c, lmbp=None)),
    ("lmbp", "unknown", lambda c: replace(c, lmbp=replace(c.lmbp, complementary_benefits=None))),
    (
        "employer_registration",
        "met",
        lambda c: attest(offer(c, province="BC"), provincial_employer_registration=True),
    ),
    (
        "employer_registration",
        "unmet",
        lambda c: attest(offer(c, province="SK"), provincial_employer_registration=False),
    ),
    ("employer_registration", "unknown", lambda c: offer(c, province="MB")),
    ("employer_registration", "unknown", lambda c: offer(c, province=None)),
    ("gtol_occupation", "unmet", lambda c: offer(c, noc="11100")),
    ("gtol_occupation", "unknown", lambda c: offer(c, noc=None)),
    ("gtol_occupation", "unknown", lambda c: offer(c, noc="52120", hourly_wage=40.0)),
    ("gtol_occupation", "unmet", lambda c: attest(offer(c, noc="52120"), subset_condition_met=False)),
    ("gtol_occupation", "met", lambda c: attest(offer(c, noc="52120"), subset_condition_met=True)),
    ("wage_floor", "met", lambda c: offer(c, noc="22310", hourly_wage=41.35, prevailing_wage_hourly=30.0)),
    ("wage_floor", "unmet", lambda c: offer(c, noc="22310", hourly_wage=41.34, prevailing_wage_hourly=30.0)),
    ("wage_floor", "unknown", lambda c: offer(c, hourly_wage=None, annual_wage=None)),
    ("prevailing_wage", "unmet", lambda c: offer(c, hourly_wage=49.99, annual_wage=None)),
    ("prevailing_wage", "unmet", lambda c: offer(c, internal_wage_range_hourly=(56.0, 70.0))),
    ("prevailing_wage", "unknown", lambda c: offer(c, prevailing_wage_hourly=None)),
    ("prevailing_wage", "unknown", lambda c: offer(c, hourly_wage=None, annual_wage=None)),
]


@pytest.mark.parametrize(("key", "expected", "mutate"), B_CASES)
def test_category_b_criteria(crit, key: str, expected: str, mutate: Callable[[CaseFacts], CaseFacts]) -> None:
    res = assess_gts(CLIENT, mutate(CASE_B), as_of=AS_OF)
    c = crit(res, key)
    assert c.status == expected, c.reason
    assert c.source and c.rule_version != "n/a"


def test_category_b_hourly_derived_from_annual() -> None:
    res = assess_gts(CLIENT, offer(CASE_B, hourly_wage=None, annual_wage=104000.0), as_of=AS_OF)
    c = res[0].criterion("prevailing_wage")
    assert c.status == "met" and "derived" in c.reason  # 104000 / 2080 = 50.00


def test_scenario_noc_21231_at_and_below_the_floor() -> None:
    """21231 has no fixed floor: the floor is the prevailing wage (here the Job Bank median $50.00)."""
    at = assess_gts(CLIENT, offer(CASE_B, hourly_wage=50.0, annual_wage=None), as_of=AS_OF)[0]
    below = assess_gts(CLIENT, offer(CASE_B, hourly_wage=49.99, annual_wage=None), as_of=AS_OF)[0]
    assert at.outcome == "eligible"
    assert below.outcome == "not_eligible"
    assert [c.key for c in below.unmet] == ["prevailing_wage"]


A_CASES: list[tuple[str, str, Callable[[CaseFacts], CaseFacts]]] = [
    ("referral_partner", "met", lambda c: replace(c, referral_partner="technation")),
    ("referral_partner", "unmet", lambda c: replace(c, referral_partner="Acme Referrals")),
    ("referral_partner", "unmet", lambda c: replace(c, referral_partner_designated=False)),
    ("referral_partner", "unknown", lambda c: replace(c, referral_partner=None)),
    ("salary_floor", "unmet", lambda c: offer(c, hourly_wage=38.0, annual_wage=79040.0)),
    ("salary_floor", "unmet", lambda c: replace(c, position_number_in_year=3)),
    ("salary_floor", "unknown", lambda c: replace(c, position_number_in_year=None)),
    ("salary_floor", "unknown", lambda c: offer(c, annual_wage=None, hours_per_week=None)),
    (
        "salary_floor",
        "met",
        lambda c: replace(
            offer(c, hourly_wage=80.0, annual_wage=166400.0),
            position_number_in_year=3,
            referral_reconfirmed=True,
        ),
    ),
    (
        "salary_floor",
        "unknown",
        lambda c: replace(offer(c, hourly_wage=80.0, annual_wage=166400.0), position_number_in_year=3),
    ),
    (
        "salary_floor",
        "met",
        lambda c: replace(offer(c, hourly_wage=80.0, annual_wage=166400.0), position_number_in_year=None),
    ),
    ("advanced_industry_knowledge", "unmet", lambda c: attest(c, advanced_industry_knowledge=False)),
    ("advanced_industry_knowledge", "unknown", lambda c: attest(c, advanced_industry_knowledge=None)),
    ("not_on_gtol", "unknown", lambda c: offer(c, noc=None)),
    ("prevailing_wage", "unmet", lambda c: offer(c, prevailing_wage_hourly=46.0)),
    ("prevailing_wage", "unknown", lambda c: attest(c, no_current_staff_in_same_job=None)),
]


@pytest.mark.parametrize(("key", "expected", "mutate"), A_CASES)
def test_category_a_criteria(crit, key: str, expected: str, mutate: Callable[[CaseFacts], CaseFacts]) -> None:
    c = crit(assess_gts(CLIENT_A, mutate(CASE_A), as_of=AS_OF), key)
    assert c.status == expected, c.reason


@pytest.mark.parametrize(
    ("client", "case_kw", "expected"),
    [
        (CLIENT_A, {}, "met"),
        (replace(CLIENT_A, education=(EducationRecord(level="bachelor"),)), {}, "unknown"),
        (
            replace(CLIENT_A, education=(EducationRecord(level="bachelor"),)),
            {"gts.specialized_qualification": False},
            "unmet",
        ),
        (
            replace(
                CLIENT_A,
                education=(),
                work=(WorkPeriod(start=date(2019, 1, 1), noc="20011", hours_per_week=40),),
            ),
            {},
            "met",
        ),
    ],
)
def test_category_a_specialized_qualification(
    crit, client: ClientFacts, case_kw: dict, expected: str
) -> None:
    case = replace(CASE_A, attestations={**CASE_A.attestations, **case_kw})
    assert crit(assess_gts(client, case, as_of=AS_OF), "specialized_qualification").status == expected


def test_category_a_partner_list_keeps_its_date() -> None:
    c = assess_gts(CLIENT_A, CASE_A, as_of=AS_OF)[0].criterion("referral_partner")
    assert "April 2025" in c.reason and c.verification == "official"


def test_no_gtol_before_december_2022() -> None:
    c = assess_gts(CLIENT, CASE_B, as_of=date(2022, 6, 1))[0].criterion("gtol_occupation")
    assert c.status == "unknown" and "No version" in c.reason


# ---------------------------------------------------------------------- key dates


def _decision(case: CaseFacts) -> date | None:
    a = assess_gts(CLIENT, case, as_of=AS_OF)[0]
    return next(k.due for k in a.key_dates if k.kind == "lmia_decision_expected")


def _friday_before(name: str, year: int = 2025) -> tuple[date, date]:
    # The names in a fixed language: the library otherwise follows the machine's locale (LANG).
    cal = holidays.country_holidays("CA", subdiv="ON", years=year, language="en_US")
    monday = next(d for d, n in sorted(cal.items()) if n == name)
    assert monday.weekday() == 0
    return monday - timedelta(days=3), monday


def test_scenario_received_friday_before_labour_day() -> None:
    friday, monday = _friday_before("Labor Day")
    assert (friday, monday) == (date(2025, 8, 29), date(2025, 9, 1))
    # Day 1 = Tue 09-02 (Mon is Labour Day); day 10 = Mon 09-15.
    assert _decision(replace(CASE_B, application_received_date=friday)) == date(2025, 9, 15)


def test_scenario_received_friday_before_thanksgiving() -> None:
    friday, _ = _friday_before("Thanksgiving Day")
    assert friday == date(2025, 10, 10)
    assert _decision(replace(CASE_B, application_received_date=friday)) == date(2025, 10, 27)


def test_received_friday_before_canada_day_and_quebec_holiday() -> None:
    assert _decision(replace(CASE_B, application_received_date=date(2025, 6, 27))) == date(2025, 7, 14)
    on = _decision(replace(CASE_B, application_received_date=date(2025, 6, 20)))
    qc = _decision(offer(replace(CASE_B, application_received_date=date(2025, 6, 20)), province="QC"))
    assert on == date(2025, 7, 7)
    assert qc == date(2025, 7, 8)  # 24 June (Saint-Jean-Baptiste) is skipped in Quebec only


def test_decision_date_unknown_without_receipt() -> None:
    assert _decision(replace(CASE_B, application_received_date=None)) is None


def test_lmia_key_dates() -> None:
    case = replace(
        CASE_B,
        lmia=Lmia(positive=True, issued_on=date(2025, 7, 14)),
        job_offer=replace(OFFER_B, start_date=date(2026, 1, 5)),
    )
    a = assess_gts(CLIENT, case, as_of=AS_OF)[0]
    kd = {k.kind: k for k in a.key_dates}
    assert kd["lmia_expiry"].due == date(2026, 1, 14)
    assert kd["lmia_expiry"].verification == "official"
    assert kd["lmia_name_change_deadline"].due == date(2025, 12, 19)
    assert kd["lmbp_review"].due == date(2026, 6, 1)
    assert kd["lmia_earliest_submission"].due == date(2025, 7, 5)


def test_checklist_and_fees() -> None:
    a = assess_gts(CLIENT_A, replace(CASE_A, positions_count=2), as_of=AS_OF)[0]
    kinds = {i.kind for i in a.checklist}
    assert {"referral_form", "lmbp", "lmia_decision_letter", "employment_contract"} <= kinds
    fee = next(f for f in a.fees if f.kind == "lmia_processing")
    assert fee.amount_cad == 2000 and fee.payer == "employer"
    b = assess_gts(CLIENT, CASE_B, as_of=AS_OF)[0]
    assert "referral_form" not in {i.kind for i in b.checklist}


def test_hourly_wage_derived_from_annual_is_compared_unrounded() -> None:
    """$85,000 at 40 h/week is $40.8654/h: it does not reach a $40.87 floor (issue 12)."""
    case = offer(CASE_B, hourly_wage=None, annual_wage=85000.0, prevailing_wage_hourly=40.87)
    case = replace(case, job_offer=replace(case.job_offer, internal_wage_range_hourly=None))
    case = attest(case, no_current_staff_in_same_job=True)
    c = assess_gts(CLIENT, case, as_of=AS_OF)[0].criterion("prevailing_wage")
    assert c.status == "unmet", c.reason
    assert "40.8654" in c.reason


def test_category_a_on_a_gtol_noc_is_rerouted_to_category_b() -> None:
    """A Category A position on a GTOL NOC is processed as Category B (ESDC): assess B, not an unmet A."""
    case = offer(CASE_A, noc="21231", hourly_wage=55.0, annual_wage=114400.0, prevailing_wage_hourly=50.0)
    res = assess_gts(CLIENT_A, replace(case, lmbp=CASE_B.lmbp), as_of=AS_OF)
    assert [a.stream for a in res] == ["category_b"]
    b = res[0]
    assert b.criterion("gtol_occupation").status == "met"
    assert b.outcome == "eligible", [(c.key, c.status, c.reason) for c in b.criteria]
    assert any("Category A" in n and "Category B" in n for n in b.notices)
    # with no category chosen, a GTOL NOC is assessed once, under B
    both = assess_gts(CLIENT_A, replace(case, gts_category=None), as_of=AS_OF)
    assert [a.stream for a in both] == ["category_b"]
