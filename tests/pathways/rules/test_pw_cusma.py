from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways.rules import (
    CaseFacts,
    ClientFacts,
    EducationRecord,
    JobOffer,
    Licence,
    WorkPeriod,
    assess_cusma_professional,
)
from pathways.rules.cusma import find_profession
from pathways.rules.data import rules_at

AS_OF = date(2026, 1, 15)
DIPLOMA = EducationRecord(level="diploma", field="Computer Systems", country="MX", program_years=3)
WORK = WorkPeriod(
    start=date(2022, 9, 1),
    end=date(2025, 12, 31),
    employer="Softtek",
    noc="21222",
    hours_per_week=45,
    country="MX",
    job_title="Systems Analyst",
)
CLIENT = ClientFacts(citizenships=("MX",), education=(DIPLOMA,), work=(WORK,))
CASE = CaseFacts(
    job_offer=JobOffer(employer="Northern Data Corp", noc="21222", province="ON", annual_wage=95000),
    cusma_profession="Computer Systems Analyst",
)


def run(client: ClientFacts = CLIENT, case: CaseFacts = CASE):
    return assess_cusma_professional(client, case, as_of=AS_OF)[0]


def test_scenario_mexican_systems_analyst_with_diploma_and_3_years() -> None:
    a = run()
    assert a.stream == "T36"
    assert a.outcome == "eligible", [(c.key, c.status, c.reason) for c in a.criteria]
    cred = a.criterion("credential")
    assert "post-secondary diploma" in cred.label and "three years" in cred.label
    assert cred.verification == "two_sources"
    assert any("eTA" in n and "unverified" in n for n in a.notices)


def test_code_before_2024_10_03_is_t23() -> None:
    assert assess_cusma_professional(CLIENT, CASE, as_of=date(2024, 1, 1))[0].stream == "T23"


@pytest.mark.parametrize(
    ("client", "case", "key", "expected"),
    [
        (replace(CLIENT, citizenships=("GT",)), CASE, "citizenship", "unmet"),
        (replace(CLIENT, citizenships=()), CASE, "citizenship", "unknown"),
        (replace(CLIENT, citizenships=("US",)), CASE, "citizenship", "met"),
        (CLIENT, replace(CASE, cusma_profession="computer_systems_analyst"), "profession", "met"),
        (CLIENT, replace(CASE, cusma_profession=None), "profession", "unknown"),
        # Not a named profession; the list itself is unverified, so this is reported as unknown.
        (CLIENT, replace(CASE, cusma_profession="Software Developer"), "profession", "unknown"),
        # Credential: diploma + 2 years only
        (replace(CLIENT, work=(replace(WORK, start=date(2024, 1, 1)),)), CASE, "credential", "unmet"),
        (replace(CLIENT, education=(EducationRecord(level="secondary"),)), CASE, "credential", "unmet"),
        (replace(CLIENT, education=()), CASE, "credential", "unknown"),
        (
            replace(CLIENT, education=(EducationRecord(level="bachelor", field="CS"),), work=()),
            CASE,
            "credential",
            "met",
        ),
        (replace(CLIENT, work=(replace(WORK, noc=None),)), CASE, "credential", "unknown"),
        (CLIENT, replace(CASE, job_offer=None), "pre_arranged_employment", "unknown"),
        (
            CLIENT,
            replace(CASE, job_offer=replace(CASE.job_offer, employer="")),
            "pre_arranged_employment",
            "unknown",
        ),
        (
            CLIENT,
            replace(CASE, job_offer=replace(CASE.job_offer, self_employment=True)),
            "not_self_employed",
            "unmet",
        ),
        (CLIENT, replace(CASE, job_offer=None), "not_self_employed", "unknown"),
        (CLIENT, CASE, "not_self_employed", "met"),
    ],
)
def test_criteria(client: ClientFacts, case: CaseFacts, key: str, expected: str) -> None:
    c = run(client, case).criterion(key)
    assert c.status == expected, c.reason


def test_software_developer_reason_is_plain() -> None:
    c = run(case=replace(CASE, cusma_profession="Software Developer")).criterion("profession")
    assert "not a named profession" in c.reason and "Computer Systems Analyst" in c.reason


def test_engineer_by_licence_or_degree() -> None:
    case = replace(CASE, cusma_profession="Engineer")
    lic = replace(
        CLIENT, education=(DIPLOMA,), licences=(Licence(name="PE", profession="Engineer", jurisdiction="TX"),)
    )
    assert run(lic, case).criterion("credential").status == "met"
    assert run(CLIENT, case).criterion("credential").status == "unmet"
    assert run(replace(CLIENT, education=()), case).criterion("credential").status == "unknown"


def test_profession_without_credential_line_needs_attestation() -> None:
    case = replace(CASE, cusma_profession="Dentist")
    assert run(CLIENT, case).criterion("credential").status == "unknown"
    assert (
        run(CLIENT, replace(case, attestations={"cusma.credential_met": True})).criterion("credential").status
        == "met"
    )
    assert (
        run(CLIENT, replace(case, attestations={"cusma.credential_met": False}))
        .criterion("credential")
        .status
        == "unmet"
    )


def test_unverified_profession_failure_is_unknown() -> None:
    # Technical Publications Writer's credential line is [U] in the reference.
    case = replace(CASE, cusma_profession="Technical Publications Writer")
    c = run(replace(CLIENT, education=(EducationRecord(level="secondary"),)), case).criterion("credential")
    assert c.status == "unknown" and c.verification == "unverified"


def test_professions_data_has_statuses() -> None:
    rs = rules_at("cusma_professionals", AS_OF)
    assert rs
    profs = rs.value("professions")
    assert len(profs) == 63
    csa = find_profession(rs, "computer systems analyst")
    assert (
        csa
        and csa["credential_rule"] == "bachelor_or_diploma_plus_experience"
        and csa["experience_years"] == 3
    )
    assert {p["status"] for p in profs} <= {"two_sources", "one_source", "unverified"}


def test_checklist_and_fees() -> None:
    a = run()
    assert {"passport_citizenship", "support_letter", "a_number"} <= {i.kind for i in a.checklist}
    assert {f.kind for f in a.fees} == {"employer_compliance", "work_permit", "biometrics"}
