from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways.rules import (
    CaseFacts,
    ClientFacts,
    EducationRecord,
    JobOffer,
    LanguageTest,
    Lmia,
    WorkPeriod,
    assess_express_entry,
    to_person_facts,
)

AS_OF = date(2025, 9, 1)
CLIENT = ClientFacts(
    date_of_birth=date(1994, 5, 1),
    education=(EducationRecord(level="master", country="IN", eca_date=date(2023, 1, 1)),),
    work=(WorkPeriod(start=date(2022, 1, 1), noc="21231", hours_per_week=40, in_canada=True, province="ON"),),
    first_language=LanguageTest(
        clb=dict.fromkeys(("listening", "reading", "writing", "speaking"), 9), test_date=date(2025, 1, 1)
    ),
    intended_province="ON",
    family_size=1,
    settlement_funds_cad=20000,
    ee_ita_date=date(2025, 8, 20),
    ee_profile_submitted_on=date(2025, 2, 1),
)


def by_stream(client: ClientFacts = CLIENT, case: CaseFacts = CaseFacts(), as_of: date = AS_OF):
    return {a.stream: a for a in assess_express_entry(client, case, as_of=as_of)}


def test_programs_and_categories_from_the_crs_engine() -> None:
    res = by_stream()
    assert {"fsw", "cec", "fst"} <= set(res)
    assert any(s.startswith("category:") for s in res)
    assert res["cec"].outcome == "eligible", [(c.key, c.status, c.reason) for c in res["cec"].criteria]
    assert res["fsw"].criterion("funds").status == "met"  # 20,000 >= 15,263 (table effective 2025-07-07)
    assert res["fst"].outcome == "not_eligible"
    for a in res.values():
        assert a.pathway == "express_entry" and "scoring.crs" in a.rule_versions


def test_key_dates_checklist_fees() -> None:
    a = by_stream()["cec"]
    kd = {k.kind: k for k in a.key_dates}
    assert kd["ee_apr_due"].due == date(2025, 10, 19) and kd["ee_apr_due"].verification == "two_sources"
    assert kd["ee_profile_expiry"].due == date(2026, 2, 1)
    assert kd["language_test_expiry"].due == date(2027, 1, 1)
    assert kd["eca_expiry"].due == date(2028, 1, 1)
    assert {"police_certificates", "language_results"} <= {i.kind for i in a.checklist}
    assert next(f.amount_cad for f in a.fees if f.kind == "pr_fees") == 1525


def test_cec_language_unmet_and_missing_dob_unknown() -> None:
    weak = replace(
        CLIENT,
        first_language=replace(
            CLIENT.first_language, clb=dict.fromkeys(("listening", "reading", "writing", "speaking"), 5)
        ),
    )
    assert by_stream(weak)["cec"].criterion("language").status == "unmet"
    res = assess_express_entry(replace(CLIENT, date_of_birth=None), CaseFacts(), as_of=AS_OF)
    assert len(res) == 1 and res[0].criterion("date_of_birth").status == "unknown"


def test_person_facts_mapping() -> None:
    case = CaseFacts(
        job_offer=JobOffer(noc="21231", full_time=True, permanent=True), lmia=Lmia(positive=True)
    )
    pf = to_person_facts(CLIENT, case, AS_OF)
    assert pf is not None
    assert pf.educations[0].level == "masters"
    assert pf.language_tests[0].test == "clb" and pf.language_tests[0].is_first
    assert pf.job_offer is not None and pf.job_offer.supported and pf.job_offer.duration_months == 12
    assert pf.required_funds_cad == 15263
    assert pf.plans_to_live_outside_quebec is True
    assert to_person_facts(replace(CLIENT, date_of_birth=None), case, AS_OF) is None


def test_unverified_grid_row_marks_the_row_not_the_whole_grid() -> None:
    """A 64-point FSW grid is unmet: the unverified arranged-employment row (0 points here) must not turn
    it into "needs information" (issue 12)."""
    from scoring.crs.eligibility import fsw_grid

    client = replace(
        CLIENT,
        date_of_birth=date(1986, 5, 1),  # 39 on AS_OF: 8 age points
        work=(WorkPeriod(start=date(2024, 6, 1), end=date(2025, 8, 31), noc="21231", hours_per_week=40),),
    )
    pf = to_person_facts(client, CaseFacts(), AS_OF)
    grid = fsw_grid(pf, AS_OF)
    assert grid["total"] == 64 and grid["arranged_employment"] == 0
    fsw = by_stream(client)["fsw"]
    row = fsw.criterion("selection_grid")
    assert row.status == "unmet", row.reason
    assert row.verification != "unverified"
    assert fsw.outcome == "not_eligible"


def test_grid_met_only_through_the_unverified_row_stays_marked() -> None:
    """When the arranged-employment points are what lifts the grid to 67, the criterion is unverified."""
    from scoring.crs.eligibility import fsw_grid

    client = replace(
        CLIENT,
        date_of_birth=date(1986, 5, 1),
        work=(WorkPeriod(start=date(2024, 6, 1), end=date(2025, 8, 31), noc="21231", hours_per_week=40),),
    )
    case = CaseFacts(
        job_offer=JobOffer(noc="21231", full_time=True, permanent=True), lmia=Lmia(positive=True)
    )
    grid = fsw_grid(to_person_facts(client, case, AS_OF), AS_OF)
    assert grid["total"] >= 67 and grid["total"] - grid["arranged_employment"] - 5 < 67
    row = by_stream(client, case)["fsw"].criterion("selection_grid")
    assert row.status == "met" and row.verification == "unverified"
