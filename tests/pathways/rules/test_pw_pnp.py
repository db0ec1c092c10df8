from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways.rules import (
    CaseFacts,
    ClientFacts,
    EducationRecord,
    JobOffer,
    LanguageTest,
    Licence,
    PnpFacts,
    WorkPeriod,
    assess_aaip,
    assess_bcpnp,
    assess_mpnp,
    assess_oinp,
    assess_sinp,
)

AS_OF = date(2025, 5, 1)


def lang(level: int, when: date = date(2024, 11, 1)) -> LanguageTest:
    return LanguageTest(
        clb=dict.fromkeys(("listening", "reading", "writing", "speaking"), level), test_date=when
    )


def att(case: CaseFacts, key: str, value: bool | None) -> CaseFacts:
    a = dict(case.attestations)
    if value is None:
        a.pop(key, None)
    else:
        a[key] = value
    return replace(case, attestations=a)


def offer(case: CaseFacts, **kw: object) -> CaseFacts:
    return replace(case, job_offer=replace(case.job_offer, **kw))


def pnp(case: CaseFacts, **kw: object) -> CaseFacts:
    return replace(case, pnp=replace(case.pnp, **kw))


def show(a) -> list:
    return [(c.key, c.status, c.reason) for c in a.criteria]


# ------------------------------------------------------------------------------ OINP HCP
TORONTO_WORK = WorkPeriod(
    start=date(2022, 1, 1), noc="21231", hours_per_week=40, in_canada=True, province="ON", employer="Shopify"
)
HCP_CLIENT = ClientFacts(
    citizenships=("IN",),
    education=(EducationRecord(level="bachelor", eca_date=date(2021, 6, 1)),),
    work=(TORONTO_WORK,),
    first_language=lang(9),
    intended_province="ON",
    ee_profile_submitted_on=date(2025, 1, 10),
)
HCP_CASE = CaseFacts(
    pnp=PnpFacts(province="ON", ee_primary_noc="21231", noi_date=date(2025, 4, 20)),
    attestations={"oinp.settlement_funds": True},
)


def hcp(client: ClientFacts = HCP_CLIENT, case: CaseFacts = HCP_CASE, as_of: date = AS_OF):
    return next(a for a in assess_oinp(client, case, as_of=as_of) if a.stream == "hcp_tech")


def test_oinp_hcp_baseline_and_dates() -> None:
    a = hcp()
    assert a.outcome == "eligible", show(a)
    kd = {k.kind: k for k in a.key_dates}
    assert kd["oinp_application_due"].due == date(2025, 6, 4)
    assert kd["oinp_application_due"].verification == "official"
    assert kd["ee_profile_expiry"].due == date(2026, 1, 10)
    assert kd["eca_expiry"].due == date(2026, 6, 1)
    assert a.rule_versions["oinp"] == "oinp-tech-2024-02-08"


def test_oinp_tech_list_versions() -> None:
    case = pnp(HCP_CASE, ee_primary_noc="22220")
    assert hcp(case=case).criterion("tech_noc").status == "met"  # 2024 expanded list
    old = hcp(case=case, as_of=date(2023, 12, 1))
    assert old.criterion("tech_noc").status == "unmet"  # 2023 page: 9 NOCs
    assert old.rule_versions["oinp"] == "oinp-2023-11-20"


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (HCP_CLIENT, pnp(HCP_CASE, ee_primary_noc="21300"), "tech_noc", "unmet"),
        (HCP_CLIENT, pnp(HCP_CASE, ee_primary_noc=None), "tech_noc", "unknown"),
        (HCP_CLIENT, pnp(HCP_CASE, ee_profile_active=False), "ee_profile", "unmet"),
        (replace(HCP_CLIENT, ee_profile_submitted_on=date(2024, 1, 1)), HCP_CASE, "ee_profile", "unmet"),
        (replace(HCP_CLIENT, ee_profile_submitted_on=None), HCP_CASE, "ee_profile", "unknown"),
        (
            replace(HCP_CLIENT, work=(replace(TORONTO_WORK, start=date(2024, 11, 1)),)),
            HCP_CASE,
            "experience",
            "unmet",
        ),
        (replace(HCP_CLIENT, work=()), HCP_CASE, "experience", "unknown"),
        (
            replace(HCP_CLIENT, work=(replace(TORONTO_WORK, in_canada=False, noc="21231"),)),
            HCP_CASE,
            "experience",
            "met",
        ),
        # Education and CLB 7 are [U] in the reference: failures are reported as unknown.
        (
            replace(HCP_CLIENT, education=(EducationRecord(level="diploma"),)),
            HCP_CASE,
            "education",
            "unknown",
        ),
        (replace(HCP_CLIENT, education=()), HCP_CASE, "education", "unknown"),
        (replace(HCP_CLIENT, first_language=lang(6)), HCP_CASE, "language", "unknown"),
        (replace(HCP_CLIENT, first_language=None), HCP_CASE, "language", "unknown"),
        (HCP_CLIENT, att(HCP_CASE, "oinp.settlement_funds", False), "settlement_funds", "unmet"),
        (HCP_CLIENT, att(HCP_CASE, "oinp.settlement_funds", None), "settlement_funds", "unknown"),
        (replace(HCP_CLIENT, intended_province="BC"), HCP_CASE, "intends_ontario", "unmet"),
        (replace(HCP_CLIENT, intended_province=None), HCP_CASE, "intends_ontario", "unknown"),
    ],
)
def test_oinp_hcp_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = hcp(client, case).criterion(key)
    assert c.status == expected, c.reason


def test_oinp_unverified_marks_are_shown() -> None:
    a = hcp()
    assert a.criterion("education").verification == "unverified"
    assert a.criterion("language").verification == "unverified"
    assert any("unverified" in n for n in a.notices)
    fee = next(f for f in a.fees if f.kind == "oinp_application")
    assert fee.amount_cad == 1500 and fee.verification == "unverified"


# ------------------------------------------------------------------------------ OINP EJO
EJO_CLIENT = replace(HCP_CLIENT, work=(replace(TORONTO_WORK, start=date(2022, 6, 1)),))
EJO_CASE = CaseFacts(
    job_offer=JobOffer(
        employer="Maple Soft",
        noc="21231",
        hourly_wage=50.0,
        prevailing_wage_hourly=45.0,
        hours_per_week=37.5,
        permanent=True,
        province="ON",
    ),
    pnp=PnpFacts(
        province="ON",
        in_gta=True,
        employer_revenue_cad=2_000_000,
        employer_fulltime_employees=12,
        ita_date=date(2025, 4, 10),
        job_offer_portal_date=date(2025, 3, 1),
    ),
)


def ejo(client: ClientFacts = EJO_CLIENT, case: CaseFacts = EJO_CASE):
    return next(a for a in assess_oinp(client, case, as_of=AS_OF) if a.stream == "ejo_foreign_worker")


def test_oinp_ejo_baseline_and_dates() -> None:
    a = ejo()
    assert a.outcome == "eligible", show(a)
    kd = {k.kind: k.due for k in a.key_dates}
    assert kd == {
        "oinp_eoi_due": date(2025, 3, 31),
        "oinp_employer_due": date(2025, 4, 24),
        "oinp_applicant_due": date(2025, 4, 27),
    }


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (EJO_CLIENT, offer(EJO_CASE, province="BC"), "offer_province", "unmet"),
        (EJO_CLIENT, offer(EJO_CASE, province=None), "offer_province", "unknown"),
        (EJO_CLIENT, offer(EJO_CASE, noc="65100"), "offer_teer", "unmet"),
        (EJO_CLIENT, offer(EJO_CASE, noc=None), "offer_teer", "unknown"),
        (EJO_CLIENT, offer(EJO_CASE, hours_per_week=25), "offer_full_time_permanent", "unmet"),
        (EJO_CLIENT, offer(EJO_CASE, permanent=False), "offer_full_time_permanent", "unmet"),
        (EJO_CLIENT, offer(EJO_CASE, permanent=None), "offer_full_time_permanent", "unknown"),
        (EJO_CLIENT, offer(EJO_CASE, hourly_wage=44.99), "offer_wage", "unmet"),
        (EJO_CLIENT, offer(EJO_CASE, prevailing_wage_hourly=None), "offer_wage", "unknown"),
        (
            replace(EJO_CLIENT, work=(replace(TORONTO_WORK, start=date(2024, 1, 1)),)),
            EJO_CASE,
            "experience",
            "unmet",
        ),
        (
            replace(
                EJO_CLIENT,
                work=(replace(TORONTO_WORK, start=date(2024, 1, 1)),),
                licences=(Licence(name="P.Eng.", jurisdiction="ON"),),
            ),
            EJO_CASE,
            "experience",
            "met",
        ),
        (replace(EJO_CLIENT, work=()), EJO_CASE, "experience", "unknown"),
        (EJO_CLIENT, pnp(EJO_CASE, employer_revenue_cad=900_000), "employer_revenue", "unmet"),
        (EJO_CLIENT, pnp(EJO_CASE, employer_revenue_cad=900_000, in_gta=False), "employer_revenue", "met"),
        (EJO_CLIENT, pnp(EJO_CASE, in_gta=None), "employer_revenue", "unknown"),
        (EJO_CLIENT, pnp(EJO_CASE, employer_fulltime_employees=4), "employer_employees", "unmet"),
        (EJO_CLIENT, pnp(EJO_CASE, employer_fulltime_employees=3, in_gta=False), "employer_employees", "met"),
        (EJO_CLIENT, pnp(EJO_CASE, employer_fulltime_employees=None), "employer_employees", "unknown"),
    ],
)
def test_oinp_ejo_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = ejo(client, case).criterion(key)
    assert c.status == expected, c.reason


# ------------------------------------------------------------------------------ BC PNP
BC_CLIENT = ClientFacts(
    work=(
        WorkPeriod(
            start=date(2022, 1, 1),
            noc="21231",
            hours_per_week=40,
            province="BC",
            in_canada=True,
            employer="Vancouver Apps",
        ),
    ),
    first_language=lang(5),
)
BC_CASE = CaseFacts(
    job_offer=JobOffer(employer="Vancouver Apps", noc="21231", full_time=True, permanent=True, province="BC"),
    pnp=PnpFacts(province="BC", ita_date=date(2025, 4, 15)),
    attestations={"bcpnp.occupation_requirements": True, "bcpnp.wage_income": True},
)


def bc(client: ClientFacts = BC_CLIENT, case: CaseFacts = BC_CASE, stream: str = "skilled_worker"):
    return next(a for a in assess_bcpnp(client, case, as_of=AS_OF) if a.stream == stream)


def test_bc_skilled_worker_baseline() -> None:
    a = bc()
    assert a.outcome == "eligible", show(a)
    assert next(k.due for k in a.key_dates if k.kind == "bcpnp_application_due") == date(2025, 5, 15)
    assert any("No BC PNP Tech draw" in n for n in a.notices)
    assert [x.stream for x in assess_bcpnp(BC_CLIENT, BC_CASE, as_of=AS_OF)] == ["skilled_worker"]
    assert next(f.amount_cad for f in a.fees if f.kind == "bcpnp_application") == 1750


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (BC_CLIENT, offer(BC_CASE, province="AB"), "offer_province", "unmet"),
        (BC_CLIENT, offer(BC_CASE, noc="75101"), "offer_teer", "unmet"),
        (BC_CLIENT, offer(BC_CASE, noc=None), "offer_teer", "unknown"),
        (BC_CLIENT, offer(BC_CASE, permanent=False), "offer_full_time_indeterminate", "unmet"),
        (BC_CLIENT, offer(BC_CASE, full_time=None), "offer_full_time_indeterminate", "unknown"),
        (
            replace(BC_CLIENT, work=(replace(BC_CLIENT.work[0], start=date(2024, 1, 1)),)),
            BC_CASE,
            "experience",
            "unmet",
        ),
        (replace(BC_CLIENT, work=()), BC_CASE, "experience", "unknown"),
        (replace(BC_CLIENT, first_language=lang(3)), BC_CASE, "language", "unmet"),
        (replace(BC_CLIENT, first_language=None), BC_CASE, "language", "unknown"),
        (BC_CLIENT, att(BC_CASE, "bcpnp.occupation_requirements", False), "occupation_requirements", "unmet"),
        (
            BC_CLIENT,
            att(BC_CASE, "bcpnp.occupation_requirements", None),
            "occupation_requirements",
            "unknown",
        ),
        (BC_CLIENT, att(BC_CASE, "bcpnp.wage_income", False), "wage_income", "unmet"),
        (BC_CLIENT, att(BC_CASE, "bcpnp.wage_income", None), "wage_income", "unknown"),
    ],
)
def test_bc_skilled_worker_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = bc(client, case).criterion(key)
    assert c.status == expected, c.reason


TECH_CASE = replace(
    pnp(BC_CASE, stream="bc_tech_legacy"),
    job_offer=JobOffer(
        employer="Vancouver Apps",
        noc="21231",
        full_time=True,
        permanent=False,
        duration_months=24,
        end_date=date(2026, 1, 1),
        province="BC",
    ),
)


@pytest.mark.parametrize(
    ("case", "key", "expected", "verification"),
    [
        (TECH_CASE, "tech_noc", "met", "one_source"),
        (offer(TECH_CASE, noc="22110"), "tech_noc", "met", "unverified"),
        (
            offer(TECH_CASE, noc="41200"),
            "tech_noc",
            "unknown",
            "one_source",
        ),  # partial list: absence is not exclusion
        (offer(TECH_CASE, noc=None), "tech_noc", "unknown", "one_source"),
        (offer(TECH_CASE, duration_months=6), "offer_duration", "unmet", "two_sources"),
        (offer(TECH_CASE, duration_months=None), "offer_duration", "unknown", "two_sources"),
        (offer(TECH_CASE, permanent=True, duration_months=None), "offer_duration", "met", "two_sources"),
        (TECH_CASE, "offer_days_remaining", "met", "two_sources"),
        (offer(TECH_CASE, end_date=date(2025, 8, 1)), "offer_days_remaining", "unmet", "two_sources"),
        (offer(TECH_CASE, end_date=None), "offer_days_remaining", "unknown", "two_sources"),
    ],
)
def test_bc_tech_legacy(case: CaseFacts, key: str, expected: str, verification: str) -> None:
    a = bc(case=case, stream="tech_legacy")
    c = a.criterion(key)
    assert (c.status, c.verification) == (expected, verification), c.reason
    assert any("Legacy rules" in n for n in a.notices)


# ------------------------------------------------------------------------------ AAIP ATP
AB_CLIENT = ClientFacts(ee_profile_submitted_on=date(2025, 1, 10), ee_crs_score=350, first_language=lang(8))
AB_CASE = CaseFacts(
    job_offer=JobOffer(employer="Calgary AI", noc="21231", hours_per_week=40, permanent=True, province="AB"),
    pnp=PnpFacts(province="AB", ee_primary_noc="21231", eligible_tech_employer=True),
    attestations={"aaip.atp_occupation": True},
)


def ab(client: ClientFacts = AB_CLIENT, case: CaseFacts = AB_CASE, as_of: date = AS_OF):
    return assess_aaip(client, case, as_of=as_of)[0]


def test_aaip_baseline_and_fee_versions() -> None:
    a = ab()
    assert a.outcome == "eligible", show(a)
    assert next(f.amount_cad for f in a.fees if f.kind == "aaip_application") == 1500
    early = ab(as_of=date(2025, 3, 1))
    assert next(f.amount_cad for f in early.fees if f.kind == "aaip_application") == 840
    assert early.rule_versions["aaip"] == "aaip-atp-2024-06-11"


def test_aaip_profile_expiry_warning() -> None:
    a = ab(as_of=date(2024, 11, 1), client=replace(AB_CLIENT, ee_profile_submitted_on=date(2024, 1, 5)))
    assert any("lowers the chance" in n for n in a.notices)


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (replace(AB_CLIENT, ee_crs_score=299), AB_CASE, "ee_profile_crs", "unmet"),
        (replace(AB_CLIENT, ee_crs_score=None), AB_CASE, "ee_profile_crs", "unknown"),
        (AB_CLIENT, offer(AB_CASE, province="ON"), "offer_province", "unmet"),
        (AB_CLIENT, offer(AB_CASE, hours_per_week=20), "offer_terms", "unmet"),
        (AB_CLIENT, offer(AB_CASE, permanent=False, duration_months=6), "offer_terms", "unmet"),
        (AB_CLIENT, offer(AB_CASE, permanent=None), "offer_terms", "unknown"),
        (
            AB_CLIENT,
            att(AB_CASE, "aaip.atp_occupation", False),
            "atp_occupation",
            "unknown",
        ),  # list unverified
        (AB_CLIENT, att(AB_CASE, "aaip.atp_occupation", None), "atp_occupation", "unknown"),
        (
            AB_CLIENT,
            pnp(AB_CASE, eligible_tech_employer=False),
            "tech_employer",
            "unknown",
        ),  # list unverified
        (AB_CLIENT, pnp(AB_CASE, eligible_tech_employer=None), "tech_employer", "unknown"),
        (AB_CLIENT, pnp(AB_CASE, ee_primary_noc="21232"), "primary_noc_match", "unmet"),
        (AB_CLIENT, pnp(AB_CASE, ee_primary_noc=None), "primary_noc_match", "unknown"),
    ],
)
def test_aaip_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = ab(client, case).criterion(key)
    assert c.status == expected, c.reason


# ------------------------------------------------------------------------------ SINP TTP
SK_CLIENT = ClientFacts(
    work=(
        WorkPeriod(
            start=date(2023, 1, 1),
            end=date(2025, 3, 31),
            noc="21231",
            hours_per_week=40,
            employer="Other Co",
            country="PH",
        ),
    ),
    first_language=lang(6),
)
SK_CASE = CaseFacts(
    job_offer=JobOffer(employer="Prairie Tech", noc="21231", full_time=True, permanent=True, province="SK"),
    pnp=PnpFacts(province="SK", job_approval_letter=True),
)


def sk(client: ClientFacts = SK_CLIENT, case: CaseFacts = SK_CASE):
    return assess_sinp(client, case, as_of=AS_OF)[0]


def test_sinp_baseline() -> None:
    a = sk()
    assert a.outcome == "eligible", show(a)
    assert a.criterion("tech_occupation").verification == "unverified"
    assert {"job_approval_letter", "offer_letter"} <= {i.kind for i in a.checklist}


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (SK_CLIENT, pnp(SK_CASE, job_approval_letter=False), "job_approval_letter", "unmet"),
        (SK_CLIENT, pnp(SK_CASE, job_approval_letter=None), "job_approval_letter", "unknown"),
        (SK_CLIENT, offer(SK_CASE, province="MB"), "offer_province", "unmet"),
        (SK_CLIENT, offer(SK_CASE, permanent=False), "offer_permanent_full_time", "unmet"),
        (SK_CLIENT, offer(SK_CASE, permanent=None), "offer_permanent_full_time", "unknown"),
        (SK_CLIENT, offer(SK_CASE, noc="41200"), "tech_occupation", "unknown"),  # mapping is ours [U]
        (SK_CLIENT, offer(SK_CASE, noc=None), "tech_occupation", "unknown"),
        (
            replace(SK_CLIENT, work=(replace(SK_CLIENT.work[0], start=date(2024, 10, 1)),)),
            SK_CASE,
            "experience",
            "unmet",
        ),
        (
            replace(
                SK_CLIENT,
                work=(
                    WorkPeriod(
                        start=date(2024, 9, 1),
                        noc="21232",
                        hours_per_week=40,
                        province="SK",
                        in_canada=True,
                        employer="Prairie Tech",
                    ),
                ),
            ),
            SK_CASE,
            "experience",
            "met",
        ),
        (replace(SK_CLIENT, work=()), SK_CASE, "experience", "unknown"),
        (replace(SK_CLIENT, first_language=lang(4)), SK_CASE, "language", "unmet"),
        (replace(SK_CLIENT, first_language=lang(6)), pnp(SK_CASE, stream="sinp_ttp_ee"), "language", "unmet"),
        (replace(SK_CLIENT, first_language=None), SK_CASE, "language", "unknown"),
        (SK_CLIENT, offer(SK_CASE, noc="21311"), "apegs_letter", "unknown"),
        (SK_CLIENT, att(offer(SK_CASE, noc="21311"), "sinp.apegs_letter", True), "apegs_letter", "met"),
        (SK_CLIENT, att(offer(SK_CASE, noc="21311"), "sinp.apegs_letter", False), "apegs_letter", "unknown"),
    ],
)
def test_sinp_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = sk(client, case).criterion(key)
    assert c.status == expected, c.reason


# ------------------------------------------------------------------------------ MPNP
MB_CLIENT = ClientFacts(
    work=(
        WorkPeriod(
            start=date(2024, 8, 1),
            noc="21231",
            hours_per_week=40,
            province="MB",
            in_canada=True,
            employer="Red River Soft",
        ),
    ),
    holds_work_permit=True,
    refugee_claimant=False,
)
MB_CASE = CaseFacts(
    job_offer=JobOffer(employer="Red River Soft", noc="21231", full_time=True, permanent=True, province="MB"),
    pnp=PnpFacts(province="MB", laa_date=date(2025, 4, 1)),
    attestations={"mpnp.not_excluded": True},
)


def mb(client: ClientFacts = MB_CLIENT, case: CaseFacts = MB_CASE):
    return assess_mpnp(client, case, as_of=AS_OF)[0]


def test_mpnp_baseline() -> None:
    a = mb()
    assert a.outcome == "eligible", show(a)
    kd = next(k for k in a.key_dates if k.kind == "mpnp_application_due")
    assert kd.due == date(2025, 5, 31) and kd.verification == "one_source"
    fee = next(f for f in a.fees if f.kind == "mpnp_application")
    assert fee.amount_cad == 500 and fee.verification == "unverified"


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (
            replace(MB_CLIENT, work=(replace(MB_CLIENT.work[0], start=date(2025, 1, 1)),)),
            MB_CASE,
            "employment_with_employer",
            "unmet",
        ),
        (replace(MB_CLIENT, work=()), MB_CASE, "employment_with_employer", "unknown"),
        (
            replace(MB_CLIENT, work=()),
            pnp(MB_CASE, months_with_employer_in_province=7),
            "employment_with_employer",
            "met",
        ),
        (MB_CLIENT, offer(MB_CASE, province="SK"), "offer_province", "unmet"),
        (MB_CLIENT, offer(MB_CASE, permanent=False), "offer_long_term", "unmet"),
        (MB_CLIENT, offer(MB_CASE, full_time=None), "offer_long_term", "unknown"),
        (replace(MB_CLIENT, holds_work_permit=False), MB_CASE, "work_permit", "unmet"),
        (replace(MB_CLIENT, holds_work_permit=None), MB_CASE, "work_permit", "unknown"),
        (replace(MB_CLIENT, refugee_claimant=True), MB_CASE, "not_excluded", "unmet"),
        (MB_CLIENT, att(MB_CASE, "mpnp.not_excluded", False), "not_excluded", "unmet"),
        (MB_CLIENT, att(MB_CASE, "mpnp.not_excluded", None), "not_excluded", "unknown"),
    ],
)
def test_mpnp_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = mb(client, case).criterion(key)
    assert c.status == expected, c.reason


def test_bc_skilled_worker_counts_part_time_pro_rata() -> None:
    """Two years of full-time-EQUIVALENT experience: 3 years at 20 h/week = 2 FTE years (issue 12)."""
    part = WorkPeriod(start=date(2022, 4, 1), end=date(2025, 3, 31), noc="21231", hours_per_week=20)
    ok = bc(replace(BC_CLIENT, work=(part,))).criterion("experience")
    assert ok.status == "met", ok.reason
    short = WorkPeriod(start=date(2023, 4, 1), end=date(2025, 3, 31), noc="21231", hours_per_week=15)
    low = bc(replace(BC_CLIENT, work=(short,))).criterion("experience")
    assert low.status == "unmet" and "12" in low.reason, low.reason
    # overlapping part-time jobs add up, capped at full time on any day
    a = WorkPeriod(start=date(2023, 4, 1), end=date(2025, 3, 31), hours_per_week=20)
    b = WorkPeriod(start=date(2023, 4, 1), end=date(2025, 3, 31), hours_per_week=20)
    assert bc(replace(BC_CLIENT, work=(a, b))).criterion("experience").status == "met"
    # part-time without hours cannot be weighed
    vague = WorkPeriod(start=date(2020, 1, 1), end=date(2025, 3, 31), full_time=False)
    assert bc(replace(BC_CLIENT, work=(vague,))).criterion("experience").status == "unknown"
