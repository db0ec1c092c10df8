"""Adapters: a client's rows -> ClientFacts; a case's facts JSON -> CaseFacts, with field-path errors."""

from __future__ import annotations

import decimal
from datetime import date, timedelta
from typing import Any

import pytest

from firm.facts.pathways import client_facts as _client_facts
from firm.facts.snapshot import snapshot_of
from pathways.case_facts import CaseFactsError, case_facts, case_facts_errors, case_facts_parse
from pathways.rules.types import CaseFacts, JobOffer, PermitPeriod
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_facts(client, **kwargs):
    """The assessors' facts of a client, through the one snapshot adapter."""
    return _client_facts(snapshot_of(client), **kwargs)


AS_OF = date(2026, 6, 1)


@pytest.fixture
def client_row(db: Any) -> Any:
    client = f.ClientFactory(
        citizenships=["US", "CA"],
        country_of_residence="US",
        marital_status="married",
        spouse_accompanying=True,
    )
    # First language: an expired IELTS and a valid, better one; second language: TEF Canada (new scale).
    f.LanguageTestFactory(
        client=client,
        test="ielts",
        test_date=date(2023, 1, 10),
        listening=9,
        reading=9,
        writing=9,
        speaking=9,
    )
    f.LanguageTestFactory(
        client=client,
        test="ielts",
        test_date=date(2025, 9, 1),
        listening=decimal.Decimal("8.0"),
        reading=decimal.Decimal("7.0"),
        writing=decimal.Decimal("7.0"),
        speaking=decimal.Decimal("6.5"),
    )
    f.LanguageTestFactory(
        client=client,
        test="tef",
        role="second",
        test_date=date(2025, 3, 1),
        listening=500,
        reading=500,
        writing=500,
        speaking=500,
    )
    f.LanguageTestFactory(
        client=client, person="spouse", test="celpip", listening=5, reading=5, writing=5, speaking=5
    )
    f.EducationFactory(
        client=client, level="masters", field_of_study="CS", country="IN", eca_date=date(2024, 2, 1)
    )
    f.WorkExperienceFactory(
        client=client,
        employer="Acme Inc",
        country="US",
        start_date=date(2022, 1, 1),
        end_date=None,
        hours_per_week=40,
        capacity="specialized_knowledge",
    )
    f.WorkExperienceFactory(
        client=client,
        employer="Cafe",
        noc_code="65201",
        teer=5,
        country="CA",
        in_canada=True,
        province="ON",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 6, 30),
        work_authorized=False,
        hours_per_week=20,
    )
    f.JobOfferFactory(
        client=client, employer="Acme Canada", hourly_wage=decimal.Decimal("61.50"), province="BC"
    )
    f.NominationFactory(client=client, province="BC", nominated_on=date(2026, 5, 1))
    return client


def test_client_facts(client_row: Any) -> None:
    facts = client_facts(client_row, as_of=AS_OF, crs_score=488)
    assert facts.citizenships == ("CA", "US")
    assert facts.country_of_residence == "US"
    assert facts.date_of_birth == date(1992, 5, 17)
    # IELTS 8.0/7.0/7.0/6.5 -> CLB 9/9/9/8; the expired 2023 sitting is not used.
    assert facts.first_language is not None
    assert dict(facts.first_language.clb) == {"listening": 9, "reading": 9, "writing": 9, "speaking": 8}
    assert facts.first_language.test_date == date(2025, 9, 1)
    assert facts.first_language.language == "en"
    assert facts.second_language is not None and facts.second_language.language == "fr"
    assert facts.second_language.min_clb() is not None
    # Education: level mapped to the rules' scale, ECA date kept.
    assert [(e.level, e.country, e.eca_date) for e in facts.education] == [("master", "IN", date(2024, 2, 1))]
    # Work: the unauthorized Canadian job is left out; the ongoing U.S. one is mapped field by field.
    assert len(facts.work) == 1
    w = facts.work[0]
    assert (w.employer, w.country, w.in_canada, w.end, w.hours_per_week, w.noc, w.teer, w.capacity) == (
        "Acme Inc",
        "US",
        False,
        None,
        40.0,
        "21231",
        1,
        "specialized_knowledge",
    )
    assert facts.job_offer == JobOffer(
        employer="Acme Canada",
        noc="21231",
        teer=1,
        job_title="",
        hourly_wage=61.5,
        province="BC",
        full_time=True,
        hours_per_week=40.0,
        permanent=True,
    )
    assert facts.nomination is not None and facts.nomination.province == "BC"
    assert facts.family_size is None  # not recorded: never guessed from the marital status (issue 12)
    assert facts.intended_province == "BC"
    assert facts.ee_crs_score == 488


def test_only_expired_tests_falls_back_to_the_latest(db: Any) -> None:
    client = f.ClientFactory()
    f.LanguageTestFactory(
        client=client,
        test="celpip",
        test_date=date(2020, 1, 1),
        listening=9,
        reading=9,
        writing=9,
        speaking=9,
    )
    facts = client_facts(client, as_of=AS_OF)
    assert facts.first_language is not None and facts.first_language.test_date == date(2020, 1, 1)
    assert dict(facts.first_language.clb) == {"listening": 9, "reading": 9, "writing": 9, "speaking": 9}


def test_empty_client(db: Any) -> None:
    facts = client_facts(f.ClientFactory(date_of_birth=None), as_of=AS_OF)
    assert facts.citizenships == () and facts.work == () and facts.first_language is None
    assert facts.job_offer is None and facts.nomination is None


def test_case_facts_valid() -> None:
    facts = case_facts(
        {
            "job_offer": {
                "noc": "21231",
                "hourly_wage": 60,
                "internal_wage_range_hourly": [48, 65.5],
                "province": "on",
            },
            "application_date": "2026-03-01",
            "position": "manager",
            "prior_ict_permits": [{"code": "C12", "start": "2022-01-01", "end": "2023-01-01"}],
            "pnp": {"province": "ON", "noi_date": "2026-02-01"},
            "attestations": {"ict.specialized_knowledge": True},
        }
    )
    assert facts.job_offer == JobOffer(
        noc="21231", hourly_wage=60.0, internal_wage_range_hourly=(48.0, 65.5), province="ON"
    )
    assert facts.application_date == date(2026, 3, 1)
    assert facts.prior_ict_permits == (
        PermitPeriod(code="C12", start=date(2022, 1, 1), end=date(2023, 1, 1)),
    )
    assert facts.pnp is not None and facts.pnp.noi_date == date(2026, 2, 1)
    assert facts.attest("ict.specialized_knowledge") is True
    assert case_facts({}) == CaseFacts() and case_facts(None) == CaseFacts()


def test_client_supplement() -> None:
    _, supplement = case_facts_parse(
        {"client": {"ee_ita_date": "2026-01-05", "medical_exam_date": "2025-12-01"}}
    )
    assert supplement == {"ee_ita_date": date(2026, 1, 5), "medical_exam_date": date(2025, 12, 1)}


def test_bad_case_facts_name_every_path() -> None:
    bad = {
        "job_offer": {"wage_hourly": 50, "hourly_wage": "sixty", "noc": "2123", "province": "XX"},
        "application_date": "2026-02-30",
        "position": "boss",
        "same_capacity": "yes",
        "prior_ict_permits": [{"code": "C12"}, "C61"],
        "attestations": {"nonsense": True, "ict.specialized_knowledge": "yes"},
        "lmbp": {"complementary_benefits": -1},
        "client": {"date_of_birth": "1990-01-01", "ee_ita_date": "soon"},
        "typo_field": 1,
    }
    with pytest.raises(CaseFactsError) as exc:
        case_facts(bad)
    assert exc.value.errors == {
        "facts.application_date": "Not a valid date.",
        "facts.attestations.ict.specialized_knowledge": "Must be true or false.",
        "facts.attestations.nonsense": "Attestation keys look like 'ict.specialized_knowledge'.",
        "facts.client.date_of_birth": "Unknown field.",
        "facts.client.ee_ita_date": "Must be a date (YYYY-MM-DD).",
        "facts.job_offer.hourly_wage": "Must be a number.",
        "facts.job_offer.noc": "A NOC 2021 code has five digits.",
        "facts.job_offer.province": "Must be a Canadian province or territory code (ON, BC, QC...).",
        "facts.job_offer.wage_hourly": "Unknown field.",
        "facts.lmbp.complementary_benefits": "Must not be negative.",
        "facts.position": "Must be one of 'executive', 'manager', 'specialized_knowledge', 'new_office'.",
        "facts.prior_ict_permits[0].start": "This field is required.",
        "facts.prior_ict_permits[1]": "Must be an object.",
        "facts.same_capacity": "Must be true or false.",
        "facts.typo_field": "Unknown field.",
    }
    assert case_facts_errors(["not", "an", "object"]) == {"facts": "Must be an object."}
    assert case_facts_errors({"application_date": date.today() + timedelta(days=1)}) == {
        "facts.application_date": "Must be a date (YYYY-MM-DD)."
    }


def test_ict_request_facts_parse_and_refuse_impossible_values() -> None:
    """Issue 12: the requested ICT permit/extension length and the initial application date are case facts."""
    facts = case_facts(
        {"ict_request": "extension", "requested_permit_months": 24, "initial_application_date": "2022-01-15"}
    )
    assert facts.ict_request == "extension" and facts.requested_permit_months == 24
    assert facts.initial_application_date == date(2022, 1, 15)
    errors = case_facts_errors({"ict_request": "renewal", "requested_permit_months": 0})
    assert set(errors) == {"facts.ict_request", "facts.requested_permit_months"}
    assert "between 1 and 84" in errors["facts.requested_permit_months"]
