import json
from datetime import date
from pathlib import Path

import pytest

from scoring.crs.contract import calculate

CASES = json.loads((Path(__file__).parent / "data" / "crs_golden_cases.json").read_text())


def test_there_are_25_cases():
    assert len(CASES) == 25


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case):
    out = calculate(case["input"], today=date(2026, 11, 22))
    assert "error" not in out, out
    assert out["total"] == case["expected_total"]
    assert out["total"] == sum(out["sections"].values())
    for section, value in (case.get("expected_sections") or {}).items():
        assert out["sections"][section] == value


def test_golden_rule_sets():
    by_name = {c["name"]: c for c in CASES}
    pre = calculate(by_name["PRE-2025-03-25 rules: same with other TEER 0-3 offer"]["input"])
    cur = calculate(by_name["CURRENT rules ignore a job offer"]["input"])
    assert pre["rule_set"] == "crs-2020-10-27"
    assert pre["breakdown"]["additional.job_offer"] == 50
    assert cur["rule_set"] == "crs-2025-03-25"
    assert cur["breakdown"]["additional.job_offer"] == 0
