from __future__ import annotations

from datetime import date

import holidays
import pytest

from pathways.rules import data
from pathways.rules._builder import Builder
from pathways.rules.dates import add_business_days, is_business_day, next_business_day, service_standard_due
from pathways.rules.types import Criterion, WorkPeriod, outcome_of
from pathways.rules.work import full_months, longest_continuous, teer_of, total_months


@pytest.mark.parametrize("name", data.all_datasets())
def test_every_dataset_loads_with_sources_and_statuses(name: str) -> None:
    ds = data.load(name)
    assert ds.versions
    for v in ds.versions:
        for f in v.facts.values():
            assert f.source
            assert f.status in data.STATUSES


def test_expected_datasets_exist() -> None:
    assert {
        "gts",
        "gts_gtol",
        "ict",
        "cusma_professionals",
        "suv",
        "oinp",
        "bcpnp",
        "aaip",
        "sinp",
        "mpnp",
        "deadlines",
        "fees",
        "checklists",
        "proof_of_funds",
    } <= set(data.all_datasets())


def test_versions_are_deltas_picked_by_date() -> None:
    before = data.rules_at("aaip", date(2025, 3, 31))
    after = data.rules_at("aaip", date(2025, 4, 1))
    assert before is not None and after is not None
    assert before.value("fee_application") == 840
    assert after.value("fee_application") == 1500
    assert after.value("atp_min_crs") == 300  # inherited from the first version
    assert after.version == "aaip-fee-2025-04-01"
    assert before.effective_to == date(2025, 4, 1)


def test_no_version_before_first_effective_date() -> None:
    assert data.rules_at("gts_gtol", date(2022, 11, 30)) is None
    assert data.rules_at("gts_gtol", date(2022, 12, 1)) is not None
    assert data.rules_at("proof_of_funds", date(2025, 7, 6)).version == "pof-2024"


def test_ict_codes_change_on_2024_10_03() -> None:
    old = data.rules_at("ict", date(2024, 10, 2))
    new = data.rules_at("ict", date(2024, 10, 3))
    assert old and new
    assert old.value("codes_general")["specialized_knowledge"] == "C12"
    assert new.value("codes_general")["specialized_knowledge"] == "C63"
    assert new.value("codes_cusma") == {"executive": "T37", "manager": "T37", "specialized_knowledge": "T38"}


def test_unverified_2026_pr_fees_have_no_amount() -> None:
    rs = data.rules_at("fees", date(2026, 5, 1))
    assert rs and rs.value("pr_principal") is None and rs.fact("pr_principal").status == "unverified"
    rs24 = data.rules_at("fees", date(2025, 1, 1))
    assert rs24 and rs24.value("pr_principal") == 1525 and rs24.fact("pr_principal").status == "official"


def test_deadline_rules_match_reference() -> None:
    rs = data.rules_at("deadlines", date(2026, 1, 1))
    assert rs
    expected = {
        "ee_ita_submit": ({"days": 60}, "two_sources"),
        "oinp_noi_submit": ({"days": 45}, "official"),
        "bcpnp_ita_submit": ({"days": 30}, "official"),
        "language_test_expiry": ({"years": 2}, "official"),
        "eca_expiry": ({"years": 5}, "official"),
        "medical_expiry": ({"months": 12}, "one_source"),
        "police_certificate_expiry": ({"months": 6}, "official"),
        "ee_profile_expiry": ({"months": 12}, "two_sources"),
        "lmia_validity": ({"months": 6}, "official"),
        "mpnp_laa_submit": ({"days": 60}, "one_source"),
    }
    for name, (offset, status) in expected.items():
        f = rs.fact(name)
        assert {k: f.value[k] for k in ("days", "months", "years") if k in f.value} == offset, name
        assert f.status == status, name


def test_parse_rejects_bad_status() -> None:
    with pytest.raises(data.RuleDataError):
        data.parse_dataset(
            {
                "dataset": "x",
                "versions": [
                    {"version": "v", "facts": {"a": {"value": 1, "source": "s", "status": "maybe"}}}
                ],
            }
        )
    with pytest.raises(data.RuleDataError):
        data.parse_dataset({"dataset": "x", "versions": [{"version": "v", "facts": {"a": {"value": 1}}}]})


# ---------------------------------------------------------------------------- dates


def test_business_days_skip_weekends_and_holidays() -> None:
    assert not is_business_day(date(2025, 7, 1), "ON")  # Canada Day
    assert not is_business_day(date(2025, 6, 24), "QC")  # Saint-Jean-Baptiste (Quebec only)
    assert is_business_day(date(2025, 6, 24), "ON")
    assert next_business_day(date(2025, 6, 27), "ON") == date(2025, 6, 30)
    assert add_business_days(date(2026, 1, 14), -15, "ON") == date(2025, 12, 19)


def test_service_standard_counts_from_first_business_day_after_receipt() -> None:
    # Received Monday 2025-03-03: day 1 is Tuesday 03-04, day 10 is Monday 03-17.
    assert service_standard_due(date(2025, 3, 3), 10, "ON") == date(2025, 3, 17)


def test_holiday_library_has_the_holidays_used() -> None:
    ca = holidays.country_holidays("CA", subdiv="ON", years=2025)
    assert date(2025, 7, 1) in ca and date(2025, 9, 1) in ca and date(2025, 10, 13) in ca


# ---------------------------------------------------------------------------- work


def test_teer_from_noc() -> None:
    assert teer_of("21231") == 1
    assert teer_of("00012") == 0
    assert teer_of("22220") == 2
    assert teer_of(None) is None
    assert teer_of("21231", 3) == 3


def test_longest_continuous_merges_touching_periods_and_clips() -> None:
    ps = [
        WorkPeriod(start=date(2023, 1, 1), end=date(2023, 6, 30), employer="A", hours_per_week=40),
        WorkPeriod(start=date(2023, 7, 1), end=None, employer="A", hours_per_week=40),
    ]
    s = longest_continuous(ps, date(2023, 3, 1), date(2024, 2, 29), lambda p: True)
    assert s == (date(2023, 3, 1), date(2024, 2, 29), 12)
    assert full_months(date(2024, 1, 1), date(2025, 2, 28)) == 14
    assert total_months(ps, date(2023, 1, 1), date(2023, 12, 31), lambda p: True) == 12.0


# ---------------------------------------------------------------------------- builder


def _c(status: str) -> Criterion:
    return Criterion("k", "l", status, "r", "s", "v", "official")  # type: ignore[arg-type]


def test_outcome_rule() -> None:
    assert outcome_of([_c("met"), _c("met")]) == "eligible"
    assert outcome_of([_c("met"), _c("unknown")]) == "needs_information"
    assert outcome_of([_c("unknown"), _c("unmet")]) == "not_eligible"
    assert outcome_of([]) == "eligible"


def test_unverified_failure_reported_as_unknown() -> None:
    b = Builder("p", "s", date(2026, 1, 1))
    c = b.add("k", "label", "unmet", "Fails.", source="x", verification="unverified")
    assert c.status == "unknown" and "unverified" in c.reason
    c2 = b.add("k2", "label", "unmet", "Fails.", source="x", verification="one_source")
    assert c2.status == "unmet"
    a = b.build()
    assert a.outcome == "not_eligible"
    assert any("unverified" in n for n in a.notices)
