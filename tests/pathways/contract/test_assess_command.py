"""`python manage.py assess`: the contract of issue 12, driven from outside through the command.

Seed scenarios of ../shared/reference/pathways.md (GTS floors and the holiday-aware LMIA standard, ICT C63,
CUSMA T36, the SUV transition, BC PNP, Express Entry FSW) and the issue's edge cases, one JSON line each.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

IDENTITY = {"first_name": "Asha", "last_name": "Rao", "date_of_birth": "1994-05-01", "citizenships": ["IN"]}
CONTACT = {"email": "asha@example.com"}
CELPIP9 = {
    "test": "celpip",
    "test_date": "2026-03-01",
    "listening": 9,
    "reading": 9,
    "writing": 9,
    "speaking": 9,
}
MASTERS = {"level": "masters", "in_canada": False, "program_years": 2, "completed_on": "2018-06-01",
           "eca_date": "2024-03-01"}  # fmt: skip


def client_part(**extra: Any) -> dict[str, Any]:
    return {"identity": dict(IDENTITY), "contact": dict(CONTACT), **extra}


def run(*lines: Any) -> list[dict[str, Any]]:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    out = io.StringIO()
    call_command("assess", stdin=io.StringIO(text), stdout=out)  # raises (exit != 0) on failure
    return [json.loads(x) for x in out.getvalue().splitlines() if x.strip()]


def only(result: dict[str, Any], stream: str | None = None) -> dict[str, Any]:
    items = [a for a in result["assessments"] if stream is None or a["stream"] == stream]
    assert len(items) == 1, [a["stream"] for a in result["assessments"]]
    return items[0]


def crit(assessment: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in assessment["criteria"] if c["key"] == key)


def key_date(assessment: dict[str, Any], kind: str) -> str | None:
    return next(k["date"] for k in assessment["key_dates"] if k["kind"] == kind)


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for app in ("firm", "cases", "scoring", "pathways")
        for m in apps.get_app_config(app).get_models()
    }


# --- Express Entry -------------------------------------------------------------------------------------------

FSW_CLIENT = client_part(
    settlement_funds_cad="20000",
    family_size=1,
    intended_province="ON",
    language_tests=[CELPIP9],
    education=[MASTERS],
    work_history=[{"noc_code": "21231", "teer": 1, "start_date": "2019-01-01", "hours_per_week": 40}],
)


def test_express_entry_fsw_and_output_shape() -> None:
    [res] = run({"id": "ee-1", "as_of": "2026-11-22", "pathway": "express_entry", "client": FSW_CLIENT,
                 "case": {"facts": {}}})  # fmt: skip
    assert res["id"] == "ee-1" and "error" not in res
    fsw = only(res, "fsw")
    assert fsw["pathway"] == "express_entry" and fsw["outcome"] == "eligible"
    assert crit(fsw, "funds") == {
        "key": "funds", "status": "met", "reason": "has CAD 20,000; needs CAD 15,263"
    }  # fmt: skip
    assert set(fsw) == {"pathway", "stream", "outcome", "criteria", "key_dates", "rule_versions"}
    assert all(set(c) == {"key", "status", "reason"} for c in fsw["criteria"])
    assert all(set(k) == {"kind", "date", "basis"} for k in fsw["key_dates"])
    assert "scoring.crs" in fsw["rule_versions"]
    assert only(res, "cec")["outcome"] == "not_eligible"  # no Canadian work


def test_family_size_not_known_needs_information() -> None:
    married = {**FSW_CLIENT, "family_size": None, "marital_status": "married"}
    [res] = run({"id": "m", "as_of": "2026-11-22", "pathway": "express_entry", "client": married})
    fsw = only(res, "fsw")
    assert fsw["outcome"] == "needs_information"
    assert crit(fsw, "funds")["status"] == "unknown" and "15,263" not in crit(fsw, "funds")["reason"]


def test_fsw_funds_use_the_table_in_force_in_2020() -> None:
    old = {**FSW_CLIENT, "settlement_funds_cad": "13000", "language_tests": [{**CELPIP9, "test_date": "2020-03-01"}],
           "education": [{**MASTERS, "eca_date": "2019-03-01"}]}  # fmt: skip
    [res] = run({"id": "2020", "as_of": "2020-12-23", "pathway": "express_entry", "client": old})
    funds = crit(only(res, "fsw"), "funds")
    assert funds == {"key": "funds", "status": "met", "reason": "has CAD 13,000; needs CAD 12,960"}


# --- GTS -------------------------------------------------------------------------------------------------------

GTS_FACTS = {
    "gts_category": "B",
    "application_received_date": "2025-08-29",  # the Friday before Labour Day
    "job_offer": {"employer": "Maple Soft Inc.", "noc": "21231", "hourly_wage": 50.0, "hours_per_week": 40,
                  "province": "ON", "prevailing_wage_hourly": 50.0, "internal_wage_range_hourly": [48.0, 65.0]},
    "lmbp": {"has_plan": True, "mandatory_benefits": ["skills_training"], "complementary_benefits": 2},
    "attestations": {"gts.employer_operates_in_canada": True},
}  # fmt: skip


def gts_line(ident: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ident,
        "as_of": "2025-08-29",
        "pathway": "gts",
        "client": client_part(),
        "case": {"facts": facts},
    }


def test_gts_category_b_floor_and_holiday_aware_lmia_date() -> None:
    below = json.loads(json.dumps(GTS_FACTS))
    below["job_offer"]["hourly_wage"] = 49.99
    at, under = run(gts_line("at", GTS_FACTS), gts_line("under", below))
    b = only(at)
    assert (b["pathway"], b["stream"], b["outcome"]) == ("gts", "category_b", "eligible")
    # day 1 is Tue 2025-09-02 (Monday is Labour Day); day 10 is Mon 2025-09-15
    assert key_date(b, "lmia_decision_expected") == "2025-09-15"
    assert only(under)["outcome"] == "not_eligible"
    assert crit(only(under), "prevailing_wage")["status"] == "unmet"


def test_gts_category_a_on_a_gtol_noc_is_assessed_as_b() -> None:
    [res] = run(gts_line("a", {**GTS_FACTS, "gts_category": "A", "referral_partner": "Communitech"}))
    b = only(res)
    assert b["stream"] == "category_b" and crit(b, "gtol_occupation")["status"] == "met"


def test_hourly_wage_from_an_annual_salary_is_not_rounded_up() -> None:
    facts = json.loads(json.dumps(GTS_FACTS))
    facts["job_offer"].update(hourly_wage=None, annual_wage=85000.0, prevailing_wage_hourly=40.87)
    [res] = run(gts_line("w", facts))
    assert crit(only(res), "prevailing_wage")["status"] == "unmet"


# --- ICT and CUSMA ---------------------------------------------------------------------------------------------

ICT_CLIENT = client_part(
    work_history=[
        {"noc_code": "21231", "teer": 1, "employer": "Acme Inc", "start_date": "2024-01-01", "hours_per_week": 40,
         "capacity": "specialized_knowledge"},
    ],
)  # fmt: skip
ICT_FACTS = {
    "job_offer": {"employer": "Acme Canada Ltd", "noc": "21231", "hourly_wage": 60.0, "prevailing_wage_hourly": 50.0,
                  "province": "ON"},
    "application_date": "2025-03-01",
    "canadian_employer": "Acme Canada Ltd",
    "foreign_employer": "Acme Inc.",
    "relationship": "subsidiary",
    "same_capacity": True,
    "position": "specialized_knowledge",
    "mnc_other_countries": 1,
    "attestations": {"ict.foreign_position_held_open": True, "ict.canadian_enterprise_active": True,
                     "ict.canadian_employer_relationship": True, "ict.specialized_knowledge": True},
}  # fmt: skip


def test_ict_c63_and_cusma_t38() -> None:
    ict, cusma = run(
        {"id": "ict", "as_of": "2025-03-01", "pathway": "ict", "client": ICT_CLIENT, "case": {"facts": ICT_FACTS}},
        {"id": "t38", "as_of": "2025-03-01", "pathway": "cusma_ict",
         "client": {**ICT_CLIENT, "identity": {**IDENTITY, "citizenships": ["US"]}}, "case": {"facts": ICT_FACTS}},
    )  # fmt: skip
    c63 = only(ict)
    assert (c63["pathway"], c63["stream"]) == ("ict", "C63")
    assert crit(c63, "qualifying_employment")["status"] == "met"  # 14 months with Acme Inc
    assert key_date(c63, "initial_permit_max_end") == "2028-02-29"
    t38 = only(cusma)
    assert (t38["pathway"], t38["stream"]) == ("cusma_ict", "T38")
    assert crit(t38, "citizenship")["status"] == "met"


def test_ict_extension_past_the_cap_and_job_offer_dates() -> None:
    facts = {**ICT_FACTS, "position": "manager", "ict_request": "extension", "requested_permit_months": 24,
             "prior_ict_permits": [{"code": "C62", "start": "2018-09-01", "end": "2025-02-28"}]}  # fmt: skip
    facts["job_offer"] = {**ICT_FACTS["job_offer"], "noc": "20012"}
    by_offer = {**facts, "requested_permit_months": None}
    by_offer["job_offer"] = {**facts["job_offer"], "start_date": "2025-03-01", "duration_months": 4}
    asked, offered = run(
        {"id": "x", "as_of": "2025-03-01", "pathway": "ict", "client": ICT_CLIENT, "case": {"facts": facts}},
        {
            "id": "y",
            "as_of": "2025-03-01",
            "pathway": "ict",
            "client": ICT_CLIENT,
            "case": {"facts": by_offer},
        },
    )
    c62 = only(asked)
    assert c62["stream"] == "C62" and crit(c62, "ict_cap")["status"] == "unmet"
    assert key_date(c62, "extension_max_end") == key_date(c62, "ict_cap_reached") == "2025-08-31"
    assert crit(only(offered), "ict_cap")["status"] == "met"  # 4 months fit in the 184 days left


def test_cusma_professional_t36() -> None:
    mexican = client_part(
        identity={**IDENTITY, "citizenships": ["MX"]},
        education=[
            {"level": "two_year", "in_canada": False, "program_years": 3, "completed_on": "2015-06-01"}
        ],
    )
    facts = {"job_offer": {"employer": "Northern Data Corp", "noc": "21222", "province": "ON", "annual_wage": 95000},
             "cusma_profession": "Computer Systems Analyst"}  # fmt: skip
    [res] = run({"id": "t36", "as_of": "2026-01-15", "pathway": "cusma_professional", "client": mexican,
                 "case": {"facts": facts}})  # fmt: skip
    t36 = only(res)
    assert (t36["pathway"], t36["stream"]) == ("cusma_professional", "T36")
    assert crit(t36, "citizenship")["status"] == "met"


# --- Start-Up Visa and PNP ---------------------------------------------------------------------------------------


def test_start_up_visa_transition_deadline() -> None:
    # after the 2025-12 closure, a 2025 commitment still opens the door until 2026-06-30
    facts = {"application_date": "2026-01-15", "attestations": {"suv.qualifying_business": True},
             "suv": {"issued_on": "2025-09-01", "organization": "North Ventures",
                     "organization_type": "venture_capital_fund", "designated": True, "investment_cad": 250000,
                     "applicants_count": 2, "applicant_voting_pct": 30, "combined_voting_pct": 60}}  # fmt: skip
    [res] = run({"id": "suv", "as_of": "2026-01-15", "pathway": "start_up_visa", "client": client_part(),
                 "case": {"facts": facts}})  # fmt: skip
    suv = only(res)
    assert suv["pathway"] == "suv"
    assert key_date(suv, "suv_transition_apply_by") == "2026-06-30"
    assert crit(suv, "commitment_age")["status"] == "met"  # 4.5 months old on 2026-01-15
    assert crit(suv, "program_open")["status"] == "met"


def test_pnp_province_picks_the_assessor() -> None:
    bc_client = client_part(language_tests=[CELPIP9])
    facts = {"pnp": {"province": "BC", "ita_date": "2026-10-01"},
             "job_offer": {"employer": "Vancouver Apps", "noc": "21231", "full_time": True, "permanent": True,
                           "province": "BC"}}  # fmt: skip
    [res] = run(
        {"id": "bc", "as_of": "2026-10-05", "pathway": "pnp", "client": bc_client, "case": {"facts": facts}}
    )
    streams = {(a["pathway"], a["stream"]) for a in res["assessments"]}
    assert ("bcpnp", "skilled_worker") in streams and {p for p, _ in streams} == {"bcpnp"}
    sw = only(res, "skilled_worker")
    assert key_date(sw, "bcpnp_application_due") == "2026-10-31"


# --- The contract itself -------------------------------------------------------------------------------------------


def test_bad_lines_name_the_field_and_keep_the_order() -> None:
    out = run(
        {"id": "1", "as_of": "2026-11-22", "pathway": "gts", "client": client_part(), "case": {"facts": {"gts_category": "C"}}},
        "not json",
        {"id": "3", "as_of": "2026-02-30", "pathway": "teleport", "client": {"identity": {}}},
        {"id": "4", "as_of": "2026-11-22", "pathway": "ict", "client": client_part(),
         "case": {"facts": {"requested_permit_months": 0, "job_offer": {"wage_hourly": 3}}}},
        {"id": "5", "as_of": "2026-11-22", "pathway": "express_entry", "client": FSW_CLIENT},
    )  # fmt: skip
    assert [o.get("id") for o in out] == ["1", None, "3", "4", "5"]
    assert set(out[0]["error"]) == {"case.facts.gts_category"}
    assert "" in out[1]["error"]
    assert {"as_of", "pathway", "client.identity.first_name", "client.contact"} <= set(out[2]["error"])
    assert set(out[3]["error"]) == {"case.facts.requested_permit_months", "case.facts.job_offer.wage_hourly"}
    assert "assessments" in out[4]


def test_works_on_an_empty_database_and_writes_nothing() -> None:
    before = row_counts()
    assert before["firm.Firm"] == 0 and before["firm.Client"] == 0
    run(
        {"id": "ee", "as_of": "2026-11-22", "pathway": "express_entry", "client": FSW_CLIENT},
        gts_line("g", GTS_FACTS),
    )
    assert row_counts() == before


def test_documented_examples_run_clean() -> None:
    """docs/examples/assess.jsonl (one example per pathway, shown in docs/pathways.md) stays valid."""
    from pathlib import Path

    lines = (
        Path(__file__).resolve().parents[3].joinpath("docs/examples/assess.jsonl").read_text().splitlines()
    )
    out = run(*lines)
    assert len(out) == len(lines) == 7
    assert all("assessments" in o and o["assessments"] for o in out), [o.get("error") for o in out]
    keys = {(o["id"], a["pathway"], a["stream"]) for o in out for a in o["assessments"]}
    for expected in [
        ("express-entry-fsw", "express_entry", "fsw"),
        ("gts-category-b", "gts", "category_b"),
        ("ict-c62-extension", "ict", "C62"),
        ("cusma-ict-t38", "cusma_ict", "T38"),
        ("cusma-professional-t36", "cusma_professional", "T36"),
        ("start-up-visa-2025-commitment", "suv", "start_up_business_class"),
        ("pnp-bc-skilled-worker", "bcpnp", "skilled_worker"),
    ]:
        assert expected in keys
    by_id = {o["id"]: o for o in out}
    c62 = by_id["ict-c62-extension"]["assessments"][0]
    assert c62["outcome"] == "eligible"  # window from the initial application; 24 months fit under the cap
