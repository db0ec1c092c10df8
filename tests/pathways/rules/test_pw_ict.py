from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from pathways.rules import (
    CaseFacts,
    ClientFacts,
    JobOffer,
    PermitPeriod,
    WorkPeriod,
    assess_cusma_ict,
    assess_ict,
)

APP = date(2025, 3, 1)
PRIOR = WorkPeriod(
    start=date(2021, 1, 1),
    end=date(2023, 12, 31),
    employer="Other Co",
    noc="21231",
    hours_per_week=40,
    capacity="specialized_knowledge",
    country="US",
)
ACME = WorkPeriod(
    start=date(2024, 1, 1),
    end=None,
    employer="Acme Inc",
    noc="21231",
    hours_per_week=40,
    capacity="specialized_knowledge",
    country="US",
    job_title="Senior Software Engineer",
)
CLIENT = ClientFacts(citizenships=("US",), work=(PRIOR, ACME))
ATT = {
    "ict.foreign_position_held_open": True,
    "ict.canadian_enterprise_active": True,
    "ict.canadian_employer_relationship": True,
    "ict.specialized_knowledge": True,
}
CASE = CaseFacts(
    job_offer=JobOffer(
        employer="Acme Canada Ltd", noc="21231", hourly_wage=60.0, prevailing_wage_hourly=50.0, province="ON"
    ),
    application_date=APP,
    canadian_employer="Acme Canada Ltd",
    foreign_employer="Acme Inc.",
    relationship="subsidiary",
    same_capacity=True,
    position="specialized_knowledge",
    mnc_other_countries=1,
    attestations=ATT,
)
MANAGER_CASE = replace(CASE, position="manager", job_offer=replace(CASE.job_offer, noc="20012"))
MANAGER_CLIENT = replace(CLIENT, work=(replace(ACME, capacity="manager", noc="20012"),))


def att(case: CaseFacts, key: str, value: bool | None) -> CaseFacts:
    a = dict(case.attestations)
    if value is None:
        a.pop(key, None)
    else:
        a[key] = value
    return replace(case, attestations=a)


def offer(case: CaseFacts, **kw: object) -> CaseFacts:
    return replace(case, job_offer=replace(case.job_offer, **kw))


def test_scenario_us_engineer_transferred_after_14_months() -> None:
    ict = assess_ict(CLIENT, CASE, as_of=APP)
    cusma = assess_cusma_ict(CLIENT, CASE, as_of=APP)
    assert [a.stream for a in ict] == ["C63"] and [a.stream for a in cusma] == ["T38"]
    for a in ict + cusma:
        assert a.outcome == "eligible", [(c.key, c.status, c.reason) for c in a.criteria]
    months = ict[0].criterion("qualifying_employment")
    assert "14 months" in months.reason
    assert cusma[0].criterion("citizenship").status == "met"


def test_scenario_non_us_mx_citizen_fails_cusma_only() -> None:
    client = replace(CLIENT, citizenships=("IN",))
    assert assess_ict(client, CASE, as_of=APP)[0].outcome == "eligible"
    cusma = assess_cusma_ict(client, CASE, as_of=APP)[0]
    assert cusma.outcome == "not_eligible"
    assert [c.key for c in cusma.unmet] == ["citizenship"]


def test_codes_before_2024_10_03() -> None:
    old = assess_ict(CLIENT, replace(CASE, application_date=date(2024, 9, 1)), as_of=date(2024, 9, 1))
    assert old[0].stream == "C12"
    assert assess_cusma_ict(CLIENT, CASE, as_of=date(2024, 9, 1))[0].stream == "T24"


def test_manager_baseline_and_streams() -> None:
    a = assess_ict(MANAGER_CLIENT, MANAGER_CASE, as_of=APP)
    assert [x.stream for x in a] == ["C62"]
    assert a[0].outcome == "eligible", [(c.key, c.status, c.reason) for c in a[0].criteria]
    assert [x.stream for x in assess_cusma_ict(MANAGER_CLIENT, MANAGER_CASE, as_of=APP)] == ["T37"]
    both = assess_ict(CLIENT, replace(CASE, position=None), as_of=APP)
    assert [x.stream for x in both] == ["C62", "C63"]
    assert all(x.criterion("position").status == "unknown" for x in both)
    assert assess_cusma_ict(CLIENT, replace(CASE, position="new_office"), as_of=APP) == []


SK_CASES: list[tuple[str, str, Callable[[ClientFacts, CaseFacts], tuple[ClientFacts, CaseFacts]]]] = [
    ("qualifying_relationship", "unmet", lambda cl, c: (cl, replace(c, relationship="other"))),
    ("qualifying_relationship", "unknown", lambda cl, c: (cl, replace(c, relationship=None))),
    (
        "mnc",
        "unmet",
        lambda cl, c: (cl, att(replace(c, mnc_other_countries=0), "ict.canadian_enterprise_active", False)),
    ),
    (
        "mnc",
        "unknown",
        lambda cl, c: (cl, att(replace(c, mnc_other_countries=None), "ict.canadian_enterprise_active", None)),
    ),
    ("mnc", "met", lambda cl, c: (cl, replace(c, mnc_other_countries=None))),
    (
        "qualifying_employment",
        "unmet",
        lambda cl, c: (replace(cl, work=(PRIOR, replace(ACME, start=date(2024, 6, 1)))), c),
    ),
    (
        "qualifying_employment",
        "unknown",
        lambda cl, c: (replace(cl, work=(replace(ACME, hours_per_week=None),)), c),
    ),
    ("qualifying_employment", "unknown", lambda cl, c: (cl, replace(c, foreign_employer=None))),
    ("qualifying_employment", "unknown", lambda cl, c: (replace(cl, work=()), c)),
    (
        "qualifying_employment",
        "unmet",
        lambda cl, c: (replace(cl, work=(replace(ACME, hours_per_week=20),)), c),
    ),
    (
        "currently_employed",
        "unmet",
        lambda cl, c: (replace(cl, work=(replace(ACME, end=date(2025, 1, 31)),)), c),
    ),
    ("currently_employed", "unknown", lambda cl, c: (cl, replace(c, foreign_employer=None))),
    ("same_capacity", "unmet", lambda cl, c: (cl, replace(c, same_capacity=False))),
    ("same_capacity", "unknown", lambda cl, c: (cl, replace(c, same_capacity=None))),
    (
        "foreign_position_held_open",
        "unmet",
        lambda cl, c: (cl, att(c, "ict.foreign_position_held_open", False)),
    ),
    (
        "foreign_position_held_open",
        "unknown",
        lambda cl, c: (cl, att(c, "ict.foreign_position_held_open", None)),
    ),
    (
        "canadian_enterprise_active",
        "unmet",
        lambda cl, c: (cl, att(c, "ict.canadian_enterprise_active", False)),
    ),
    (
        "canadian_enterprise_active",
        "unknown",
        lambda cl, c: (cl, att(c, "ict.canadian_enterprise_active", None)),
    ),
    (
        "canadian_employer_relationship",
        "unmet",
        lambda cl, c: (cl, att(c, "ict.canadian_employer_relationship", False)),
    ),
    (
        "canadian_employer_relationship",
        "unknown",
        lambda cl, c: (cl, att(c, "ict.canadian_employer_relationship", None)),
    ),
    ("teer", "met", lambda cl, c: (cl, offer(c, noc="64100"))),
    ("teer", "unknown", lambda cl, c: (cl, offer(c, noc=None))),
    ("wage", "unmet", lambda cl, c: (cl, offer(c, hourly_wage=49.99))),
    ("wage", "unknown", lambda cl, c: (cl, offer(c, prevailing_wage_hourly=None))),
    ("specialized_knowledge", "unmet", lambda cl, c: (cl, att(c, "ict.specialized_knowledge", False))),
    ("specialized_knowledge", "unknown", lambda cl, c: (cl, att(c, "ict.specialized_knowledge", None))),
    ("sk_experience", "unknown", lambda cl, c: (replace(cl, work=(ACME,)), c)),
    (
        "sk_experience",
        "unknown",
        lambda cl, c: (replace(cl, work=(replace(ACME, capacity=None, noc="21211"),)), c),
    ),
    (
        "sk_experience",
        "unmet",
        lambda cl, c: (
            replace(
                cl,
                work=(
                    replace(PRIOR, end=date(2021, 12, 31), start=date(2018, 1, 1)),
                    replace(ACME, capacity=None, noc="21211"),
                ),
            ),
            c,
        ),
    ),
    (
        "ict_cap",
        "unmet",
        lambda cl, c: (
            cl,
            replace(c, prior_ict_permits=(PermitPeriod("C63", date(2020, 3, 1), date(2025, 2, 28)),)),
        ),
    ),
    (
        "ict_cap",
        "met",
        lambda cl, c: (
            cl,
            replace(c, prior_ict_permits=(PermitPeriod("T38", date(2018, 1, 1), date(2021, 6, 30)),)),
        ),
    ),
    (
        "ict_cap",
        "met",
        lambda cl, c: (
            cl,
            replace(c, prior_ict_permits=(PermitPeriod("C12", date(2017, 1, 1), date(2021, 12, 31)),)),
        ),
    ),
    (
        "ict_cap",
        "met",
        lambda cl, c: (
            cl,
            replace(c, prior_ict_permits=(PermitPeriod("C11", date(2017, 1, 1), date(2023, 12, 31)),)),
        ),
    ),
]


@pytest.mark.parametrize(("key", "expected", "mutate"), SK_CASES)
def test_general_sk_criteria(crit, key: str, expected: str, mutate) -> None:
    client, case = mutate(CLIENT, CASE)
    c = crit(assess_ict(client, case, as_of=APP), key)
    assert c.status == expected, c.reason
    assert c.source and c.verification == "official"


def test_teer_scrutiny_notice() -> None:
    a = assess_ict(CLIENT, offer(CASE, noc="64100"), as_of=APP)[0]
    assert any("heightened scrutiny" in n for n in a.notices)


def test_cap_requalification_after_12_months_abroad() -> None:
    case = replace(CASE, prior_ict_permits=(PermitPeriod("C63", date(2017, 1, 1), date(2022, 6, 30)),))
    c = assess_ict(CLIENT, case, as_of=APP)[0].criterion("ict_cap")
    assert c.status == "met" and "re-qualify" in c.reason


def test_cap_key_date_counts_remaining_time() -> None:
    case = replace(CASE, prior_ict_permits=(PermitPeriod("T38", date(2022, 1, 1), date(2022, 12, 31)),))
    a = assess_ict(CLIENT, case, as_of=APP)[0]
    cap = next(k for k in a.key_dates if k.kind == "ict_cap_reached")
    assert cap.due == date(2029, 2, 28)  # 5 years from 2025-03-01, less 365 days used
    first = next(k for k in a.key_dates if k.kind == "initial_permit_max_end")
    assert first.due == date(2028, 2, 29)


MANAGER_CASES = [
    ("teer", "unmet", lambda c: offer(c, noc="22220")),
    ("teer", "met", lambda c: offer(c, noc="00012")),
    ("teer", "unknown", lambda c: offer(c, noc=None)),
    ("wage", "unknown", lambda c: offer(c, hourly_wage=40.0)),  # reasonableness only for C62
    (
        "ict_cap",
        "met",
        lambda c: replace(c, prior_ict_permits=(PermitPeriod("C62", date(2019, 3, 1), date(2025, 2, 28)),)),
    ),
    (
        "ict_cap",
        "unmet",
        lambda c: replace(c, prior_ict_permits=(PermitPeriod("C62", date(2018, 1, 1), date(2025, 2, 28)),)),
    ),
]


@pytest.mark.parametrize(("key", "expected", "mutate"), MANAGER_CASES)
def test_general_manager_criteria(crit, key: str, expected: str, mutate) -> None:
    c = crit(assess_ict(MANAGER_CLIENT, mutate(MANAGER_CASE), as_of=APP), key)
    assert c.status == expected, c.reason


def test_new_office_c61() -> None:
    case = replace(
        CASE,
        position="new_office",
        attestations={**ATT, "ict.new_office_premises": True, "ict.new_office_plans": True},
    )
    a = assess_ict(CLIENT, case, as_of=APP)[0]
    assert a.stream == "C61"
    assert a.outcome == "eligible", [(c.key, c.status, c.reason) for c in a.criteria]
    assert {"business_plan", "hr_plan"} <= {i.kind for i in a.checklist}
    assert a.criterion("mnc").status == "met"
    for key, value, expected in [
        ("mnc_other_countries", 0, "unmet"),
        ("mnc_other_countries", None, "unknown"),
    ]:
        assert (
            assess_ict(CLIENT, replace(case, **{key: value}), as_of=APP)[0].criterion("mnc").status
            == expected
        )
    for k in ("ict.new_office_premises", "ict.new_office_plans"):
        key = k.split(".")[1]
        assert assess_ict(CLIENT, att(case, k, False), as_of=APP)[0].criterion(key).status == "unmet"
        assert assess_ict(CLIENT, att(case, k, None), as_of=APP)[0].criterion(key).status == "unknown"


def test_cusma_criteria() -> None:
    mx = replace(CLIENT, citizenships=("MX", "ES"))
    assert assess_cusma_ict(mx, CASE, as_of=APP)[0].criterion("citizenship").status == "met"
    none = replace(CLIENT, citizenships=())
    assert assess_cusma_ict(none, CASE, as_of=APP)[0].criterion("citizenship").status == "unknown"
    low = assess_cusma_ict(CLIENT, offer(CASE, hourly_wage=45.0), as_of=APP)[0].criterion("wage")
    assert low.status == "unknown"  # wage floor "not always required" under R204(a)
    assert assess_cusma_ict(CLIENT, CASE, as_of=APP)[0].criterion("citizenship").verification == "two_sources"


def test_checklist_fees_notices() -> None:
    a = assess_cusma_ict(CLIENT, CASE, as_of=APP)[0]
    kinds = {i.kind for i in a.checklist}
    assert {
        "relationship_proof",
        "twelve_months_evidence",
        "specialized_knowledge_evidence",
        "passport_citizenship",
    } <= kinds
    assert {f.kind: f.amount_cad for f in a.fees} == {
        "employer_compliance": 230,
        "work_permit": 155,
        "biometrics": 85,
    }
    assert any("port of entry" in n for n in a.notices)
    assert a.rule_versions["ict"] == "ict-codes-2024-10-03"


# --- issue 12: the requested length, extensions counted from the initial application, capped dates -------

SIX_AND_A_HALF = (PermitPeriod("C62", date(2018, 9, 1), date(2025, 2, 28)),)  # 6.5 years of ICT time


def test_extension_longer_than_what_is_left_of_the_cap_is_unmet() -> None:
    case = replace(
        MANAGER_CASE, prior_ict_permits=SIX_AND_A_HALF, ict_request="extension", requested_permit_months=24
    )
    c = assess_ict(MANAGER_CLIENT, case, as_of=APP)[0].criterion("ict_cap")
    assert c.status == "unmet", c.reason
    assert "24 months" in c.reason
    short = replace(case, requested_permit_months=6)
    assert assess_ict(MANAGER_CLIENT, short, as_of=APP)[0].criterion("ict_cap").status == "met"


def test_requested_length_falls_back_to_the_job_offer_dates() -> None:
    case = replace(
        offer(MANAGER_CASE, start_date=date(2025, 3, 1), end_date=date(2027, 2, 28)),
        prior_ict_permits=SIX_AND_A_HALF,
    )
    c = assess_ict(MANAGER_CLIENT, case, as_of=APP)[0].criterion("ict_cap")
    assert c.status == "unmet", c.reason
    by_duration = replace(offer(MANAGER_CASE, duration_months=4), prior_ict_permits=SIX_AND_A_HALF)
    assert assess_ict(MANAGER_CLIENT, by_duration, as_of=APP)[0].criterion("ict_cap").status == "met"


def test_extension_experience_window_counts_from_the_initial_application() -> None:
    """12 months in the 3 years before the INITIAL application: an extension is not refused because the
    applicant has since been working in Canada."""
    abroad = WorkPeriod(
        start=date(2019, 1, 1),
        end=date(2022, 2, 28),
        employer="Acme Inc",
        noc="20012",
        hours_per_week=40,
        capacity="manager",
        country="US",
    )
    in_canada = WorkPeriod(
        start=date(2022, 3, 1),
        employer="Acme Canada Ltd",
        noc="20012",
        hours_per_week=40,
        in_canada=True,
        capacity="manager",
    )
    client = replace(MANAGER_CLIENT, work=(abroad, in_canada))
    case = replace(
        MANAGER_CASE,
        ict_request="extension",
        initial_application_date=date(2022, 1, 15),
        requested_permit_months=24,
        prior_ict_permits=(PermitPeriod("C62", date(2022, 3, 1), date(2025, 2, 28)),),
    )
    a = assess_ict(client, case, as_of=APP)[0]
    assert a.criterion("qualifying_employment").status == "met", a.criterion("qualifying_employment").reason
    assert a.criterion("currently_employed").status == "met"
    assert a.criterion("ict_cap").status == "met"
    # without the initial application date the window runs back from the extension's application date
    plain = replace(case, initial_application_date=None)
    assert assess_ict(client, plain, as_of=APP)[0].criterion("qualifying_employment").status == "unmet"


def test_initial_permit_max_end_honours_the_cap() -> None:
    """6 years used of a 7-year cap: the initial permit ends when the cap is reached, not after 3 years."""
    case = replace(
        MANAGER_CASE, prior_ict_permits=(PermitPeriod("C62", date(2019, 3, 1), date(2025, 2, 28)),)
    )
    a = assess_ict(MANAGER_CLIENT, case, as_of=APP)[0]
    cap = next(k for k in a.key_dates if k.kind == "ict_cap_reached")
    first = next(k for k in a.key_dates if k.kind == "initial_permit_max_end")
    assert first.due == cap.due < date(2028, 2, 29)
    assert "cap" in first.basis
