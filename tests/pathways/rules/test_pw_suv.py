from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways.rules import CaseFacts, ClientFacts, LanguageTest, SuvCommitment, assess_suv

AS_OF = date(2025, 10, 1)
CLB6 = LanguageTest(
    clb={"listening": 6, "reading": 6, "writing": 6, "speaking": 6}, test_date=date(2025, 5, 1)
)
CLIENT = ClientFacts(
    citizenships=("NG",),
    first_language=CLB6,
    family_size=2,
    settlement_funds_cad=25000,
    intended_province="ON",
)
SUV = SuvCommitment(
    issued_on=date(2025, 9, 1),
    organization="North Ventures",
    organization_type="venture_capital_fund",
    designated=True,
    investment_cad=250000,
    applicants_count=2,
    applicant_voting_pct=30,
    combined_voting_pct=60,
)
CASE = CaseFacts(suv=SUV, application_date=AS_OF, attestations={"suv.qualifying_business": True})


def run(client: ClientFacts = CLIENT, case: CaseFacts = CASE, as_of: date = AS_OF):
    return assess_suv(client, case, as_of=as_of)[0]


def suv(**kw: object) -> CaseFacts:
    return replace(CASE, suv=replace(SUV, **kw))


def test_baseline_before_closure() -> None:
    a = run()
    assert a.outcome == "eligible", [(c.key, c.status, c.reason) for c in a.criteria]
    assert a.rule_versions["suv"] == "suv-irpr"
    assert not any("closed" in n for n in a.notices)


def test_scenario_2026_inquiry_is_closed_and_says_so() -> None:
    as_of = date(2026, 3, 2)
    case = replace(suv(issued_on=date(2026, 2, 1)), application_date=as_of)
    a = run(case=case, as_of=as_of)
    assert a.outcome == "not_eligible"
    c = a.criterion("program_open")
    assert c.status == "unmet" and "closed" in c.reason
    assert c.verification == "two_sources"
    assert any("closed to new applicants after 2025-12-31" in n for n in a.notices)
    assert a.rule_versions["suv"] == "suv-closure-2025-12-19"


def test_2026_inquiry_without_certificate_is_unknown_but_notice_is_clear() -> None:
    as_of = date(2026, 3, 2)
    a = run(case=CaseFacts(application_date=as_of), as_of=as_of)
    assert a.criterion("program_open").status == "unknown"
    assert any("Start-Up Visa closed to new applicants" in n for n in a.notices)


@pytest.mark.parametrize(
    ("issued", "applied", "expected"),
    [
        (date(2025, 9, 1), date(2025, 12, 31), "met"),  # before the cut-off
        (date(2025, 11, 1), date(2026, 3, 1), "met"),  # 2025 certificate, applies by 2026-06-30
        (date(2025, 12, 15), date(2026, 6, 30), "met"),
        (date(2025, 12, 15), date(2026, 7, 1), "unmet"),  # too late even with a 2025 certificate
        (date(2026, 1, 5), date(2026, 2, 1), "unmet"),  # 2026 certificate
    ],
)
def test_transition_rule(issued: date, applied: date, expected: str) -> None:
    a = run(
        case=replace(suv(issued_on=issued), application_date=applied), as_of=max(applied, date(2025, 12, 20))
    )
    assert a.criterion("program_open").status == expected
    if applied > date(2025, 12, 31):
        kd = next(k for k in a.key_dates if k.kind == "suv_transition_apply_by")
        assert kd.due == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (CLIENT, suv(designated=False), "designated_commitment", "unmet"),
        (CLIENT, replace(CASE, suv=None), "designated_commitment", "unknown"),
        (CLIENT, suv(issued_on=date(2025, 3, 1)), "commitment_age", "unmet"),
        (CLIENT, suv(issued_on=None), "commitment_age", "unknown"),
        (
            replace(CLIENT, first_language=replace(CLB6, clb={**CLB6.clb, "writing": 4})),
            CASE,
            "language",
            "unmet",
        ),
        (replace(CLIENT, first_language=None), CASE, "language", "unknown"),
        (
            replace(CLIENT, first_language=replace(CLB6, test_date=date(2023, 9, 1))),
            CASE,
            "language_test_valid",
            "unmet",
        ),
        (
            replace(CLIENT, first_language=replace(CLB6, test_date=None)),
            CASE,
            "language_test_valid",
            "unknown",
        ),
        (CLIENT, suv(investment_cad=100000), "investment", "unmet"),
        (CLIENT, suv(organization_type="angel_investor_group", investment_cad=75000), "investment", "met"),
        (CLIENT, suv(organization_type=None), "investment", "unknown"),
        (
            CLIENT,
            suv(organization_type="business_incubator", accepted_into_incubator_program=True),
            "investment",
            "met",
        ),
        (
            CLIENT,
            suv(organization_type="business_incubator", accepted_into_incubator_program=False),
            "investment",
            "unmet",
        ),
        (CLIENT, suv(applicant_voting_pct=5), "ownership", "unmet"),
        (CLIENT, suv(combined_voting_pct=50), "ownership", "unmet"),
        (CLIENT, suv(applicant_voting_pct=None), "ownership", "unknown"),
        (CLIENT, suv(applicants_count=6), "applicants_count", "unmet"),
        (CLIENT, suv(applicants_count=None), "applicants_count", "unknown"),
        (replace(CLIENT, intended_province="QC"), CASE, "outside_quebec", "unmet"),
        (replace(CLIENT, intended_province=None), CASE, "outside_quebec", "unknown"),
        (
            CLIENT,
            replace(CASE, attestations={"suv.qualifying_business": False}),
            "qualifying_business",
            "unmet",
        ),
        (CLIENT, replace(CASE, attestations={}), "qualifying_business", "unknown"),
        (replace(CLIENT, family_size=None), CASE, "settlement_funds", "unknown"),
    ],
)
def test_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = run(client, case).criterion(key)
    assert c.status == expected, c.reason


def test_settlement_funds_use_unverified_inference() -> None:
    met = run().criterion("settlement_funds")
    assert met.status == "met" and met.verification == "unverified" and "19,001" in met.reason
    low = run(replace(CLIENT, settlement_funds_cad=10000)).criterion("settlement_funds")
    assert (
        low.status == "unknown" and "unverified" in low.reason
    )  # a failure on an inferred rule is not final
    early = run(
        as_of=date(2025, 6, 1),
        case=replace(CASE, application_date=date(2025, 6, 1), suv=replace(SUV, issued_on=date(2025, 5, 1))),
    )
    # the 2024 table (effective 2024-05-28) is in force on 2025-06-01
    assert "18,288" in early.criterion("settlement_funds").reason


def test_key_dates_checklist_fees() -> None:
    a = run()
    kd = {k.kind: k.due for k in a.key_dates}
    assert kd["suv_commitment_expiry"] == date(2026, 3, 1)
    assert kd["language_test_expiry"] == date(2027, 5, 1)
    assert {"commitment_certificate", "language_results", "proof_of_funds"} <= {i.kind for i in a.checklist}
    pr = next(f for f in a.fees if f.kind == "pr_fees")
    assert pr.amount_cad is None and pr.verification == "unverified"
