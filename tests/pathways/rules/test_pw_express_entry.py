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
    crs_facts,
)
from pathways.rules.funds import required_funds_cad
from scoring.crs.facts import EducationFact, JobOfferFact, LanguageTestFact, PersonFacts, WorkPeriodFact

AS_OF = date(2025, 9, 1)
CLB9 = dict.fromkeys(("listening", "reading", "writing", "speaking"), 9)
# The CRS facts the one snapshot adapter (firm/facts/) resolves for this client; the assessor reads them.
CRS = PersonFacts(
    date_of_birth=date(1994, 5, 1),
    educations=[EducationFact(level="masters", eca_date=date(2023, 1, 1))],
    language_tests=[LanguageTestFact(test="clb", scores=CLB9, test_date=date(2025, 1, 1), is_first=True)],
    work=[WorkPeriodFact(start=date(2022, 1, 1), noc="21231", hours_per_week=40, in_canada=True)],
    settlement_funds_cad=20000,
    required_funds_cad=required_funds_cad(1, AS_OF),
    plans_to_live_outside_quebec=True,
)
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
    crs=CRS,
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
    clb5 = dict.fromkeys(("listening", "reading", "writing", "speaking"), 5)
    weak = replace(weak, crs=replace(CRS, language_tests=[replace(CRS.language_tests[0], scores=clb5)]))
    assert by_stream(weak)["cec"].criterion("language").status == "unmet"
    res = assess_express_entry(replace(CLIENT, date_of_birth=None, crs=None), CaseFacts(), as_of=AS_OF)
    assert len(res) == 1 and res[0].criterion("date_of_birth").status == "unknown"


def test_crs_facts_are_the_snapshots_plus_what_the_case_adds() -> None:
    assert crs_facts(CLIENT, CaseFacts(), AS_OF) is CRS  # nothing added: the very same facts
    assert CRS.required_funds_cad == 15263  # the one proof-of-funds table (effective 2025-07-07)
    unsupported = replace(CLIENT, crs=replace(CRS, job_offer=JobOfferFact(noc="21231", supported=None)))
    case = CaseFacts(
        job_offer=JobOffer(noc="21231", full_time=True, permanent=True), lmia=Lmia(positive=True)
    )
    pf = crs_facts(unsupported, case, AS_OF)
    assert pf is not None and pf.job_offer is not None and pf.job_offer.supported is True
    # a case's own funds (supplement) replace the record's, with the same table
    richer = crs_facts(replace(CLIENT, settlement_funds_cad=30000, family_size=2), CaseFacts(), AS_OF)
    assert richer is not None and richer.settlement_funds_cad == 30000
    assert richer.required_funds_cad == required_funds_cad(2, AS_OF)
    assert crs_facts(replace(CLIENT, crs=None), case, AS_OF) is None
