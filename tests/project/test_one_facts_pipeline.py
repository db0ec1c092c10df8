"""One client, one answer: over generated clients stored in the database (principal and spouse facts, with
and without job offers, nominations and Canadian education), the CRS total and the program eligibility
are the same in the stored score, the eligibility endpoint and the Express Entry case assessment.

(Before the one facts pipeline, the Express Entry assessment mapped the rows a second way: it counted a
non-enhanced provincial nomination, ignored the LMIA of a job offer, dropped the Canadian-study
condition, mapped a three-year diploma to the two-year level and kept its own proof-of-funds table.)
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firm.facts import load_snapshot, person_facts
from firm.models import Client, Education, JobOffer, LanguageTest, ProvincialNomination, WorkExperience
from firm.scoping import SYSTEM
from pathways.models import PathwayAssessment
from pathways.services import case_assess
from scoring.crs.categories import version_for_date
from scoring.crs.engine import score
from scoring.crs.facts import build_profile
from scoring.crs.rulesets import ruleset_for
from scoring.models import CRSScore, Eligibility
from scoring.services.scores import client_recompute
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PROGRAMS = ("fsw", "cec", "fst")
NOC_BY_TEER = {0: "20012", 1: "21231", 2: "22310", 3: "63200", 4: "64100"}  # the 2nd digit is the TEER
_serial = itertools.count()

celpip = st.integers(min_value=4, max_value=12)
language = st.fixed_dictionaries(
    {
        "listening": celpip,
        "reading": celpip,
        "writing": celpip,
        "speaking": celpip,
        "days_ago": st.integers(min_value=10, max_value=600),
    }
)
education = st.fixed_dictionaries(
    {
        "level": st.sampled_from(
            ["secondary", "one_year", "two_year", "bachelors", "two_or_more", "masters", "phd"]
        ),
        "in_canada": st.booleans(),
        "full_time_in_canada": st.booleans(),
        "program_years": st.sampled_from([None, 1, 2, 3, 4]),
    }
)
work = st.fixed_dictionaries(
    {
        "in_canada": st.booleans(),
        "teer": st.sampled_from([0, 1, 2, 3, 4]),
        "years": st.integers(min_value=1, max_value=6),
        "ended_years_ago": st.integers(min_value=0, max_value=3),
        "hours": st.sampled_from([Decimal("15"), Decimal("30"), Decimal("40")]),
        "authorized": st.booleans(),
    }
)
offer = st.none() | st.fixed_dictionaries(
    {
        "teer": st.sampled_from([0, 1, 2, 3]),
        "lmia": st.sampled_from(["number", "exempt", "none"]),
        "province": st.sampled_from(["ON", "QC", "BC"]),
    }
)
nomination = st.none() | st.fixed_dictionaries(
    {"enhanced": st.booleans(), "province": st.sampled_from(["ON", "BC", "SK"])}
)
spouse = st.none() | st.fixed_dictionaries(
    {
        "accompanying": st.booleans(),
        "language": st.none() | language,
        "education": st.none() | education,
        "work": st.none() | work,
    }
)
client_strategy = st.fixed_dictionaries(
    {
        "age": st.integers(min_value=19, max_value=48),
        "language": language,
        "second_language": st.none() | language,
        "education": st.lists(education, min_size=1, max_size=2),
        "work": st.lists(work, max_size=2),
        "offer": offer,
        "nomination": nomination,
        "spouse": spouse,
        "funds": st.none() | st.integers(min_value=0, max_value=60_000),
        "family_size": st.none() | st.integers(min_value=1, max_value=6),
        "intended_province": st.sampled_from(["", "ON", "QC"]),
    }
)


def _language(client: Client, person: str, data: dict[str, Any], today: date, role: str) -> None:
    LanguageTest.objects.create(
        client=client,
        person=person,
        role=role,
        test="celpip" if role == "first" else "tef",
        test_date=today - timedelta(days=data["days_ago"]),
        **(
            {a: Decimal(data[a]) for a in ("listening", "reading", "writing", "speaking")}
            if role == "first"
            else {"listening": 300, "reading": 250, "writing": 350, "speaking": 350}
        ),
    )


def _education(client: Client, person: str, data: dict[str, Any]) -> None:
    Education.objects.create(
        client=client,
        person=person,
        level=data["level"],
        in_canada=data["in_canada"],
        full_time_in_canada=data["full_time_in_canada"] and data["in_canada"],
        program_years=data["program_years"],
        country="CA" if data["in_canada"] else "IN",
        completed_on=date(2018, 6, 1),
        eca_date=None if data["in_canada"] else date.today() - timedelta(days=300),
        eca_issuer="" if data["in_canada"] else "wes",
    )


def _work(client: Client, person: str, data: dict[str, Any], today: date) -> None:
    end = today - timedelta(days=365 * data["ended_years_ago"]) if data["ended_years_ago"] else None
    start = (end or today) - timedelta(days=365 * data["years"])
    WorkExperience.objects.create(
        client=client,
        person=person,
        noc_code=NOC_BY_TEER[data["teer"]],
        teer=data["teer"],
        job_title="Engineer",
        employer="Acme",
        in_canada=data["in_canada"],
        country="CA" if data["in_canada"] else "IN",
        province="ON" if data["in_canada"] else "",
        start_date=start,
        end_date=end,
        hours_per_week=data["hours"],
        work_authorized=data["authorized"],
    )


def _store(data: dict[str, Any], firm: Any, today: date) -> Client:
    partnered = data["spouse"] is not None
    client = f.ClientFactory(
        firm=firm,
        last_name=f"Gen{next(_serial)}",
        date_of_birth=today.replace(year=today.year - data["age"], day=1),
        marital_status="married" if partnered else "single",
        spouse_accompanying=bool(partnered and data["spouse"]["accompanying"]),
        settlement_funds_cad=data["funds"],
        family_size=data["family_size"],
        intended_province=data["intended_province"],
    )
    _language(client, "principal", data["language"], today, "first")
    if data["second_language"]:
        _language(client, "principal", data["second_language"], today, "second")
    for e in data["education"]:
        _education(client, "principal", e)
    for w in data["work"]:
        _work(client, "principal", w, today)
    if partnered:
        sp = data["spouse"]
        if sp["language"]:
            _language(client, "spouse", sp["language"], today, "first")
        if sp["education"]:
            _education(client, "spouse", sp["education"])
        if sp["work"]:
            _work(client, "spouse", sp["work"], today)
    if data["offer"]:
        o = data["offer"]
        JobOffer.objects.create(
            client=client,
            employer="Maple",
            noc_code=NOC_BY_TEER[o["teer"]],
            teer=o["teer"],
            province=o["province"],
            permanent=True,
            lmia_number="LMIA123" if o["lmia"] == "number" else "",
            lmia_exempt=o["lmia"] == "exempt",
            offered_on=today - timedelta(days=30),
        )
    if data["nomination"]:
        n = data["nomination"]
        ProvincialNomination.objects.create(
            client=client,
            province=n["province"],
            stream="Skilled",
            enhanced=n["enhanced"],
            nominated_on=today - timedelta(days=20),
        )
    return client


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=client_strategy)
def test_stored_score_eligibility_endpoint_and_express_entry_assessment_agree(
    data: dict[str, Any], tenants: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    client = _store(data, tenants.a.firm, today)

    # the stored score and eligibility (what draws flag on)
    stored = client_recompute(client_id=client.pk, as_of=today)
    assert stored is not None, "every generated client has the facts a score needs"
    facts = person_facts(load_snapshot(client.pk), today)
    assert facts is not None
    assert stored.total == score(build_profile(facts, today), ruleset_for(today)).total
    stored_programs = {
        e.program: e.outcome
        for e in Eligibility.objects.filter(client=client, version="", program__in=PROGRAMS)
    }
    assert set(stored_programs) == set(PROGRAMS)

    # the eligibility endpoint and the score endpoint
    staff = api(tenants.a.admin)
    body = staff.get(f"/api/v1/clients/{client.pk}/eligibility").json()
    assert {p["program"]: p["outcome"] for p in body["programs"]} == stored_programs
    assert staff.get(f"/api/v1/clients/{client.pk}/score").json()["total"] == stored.total

    # the Express Entry assessment of a case (the same snapshot, the same eligibility)
    case = f.CaseFactory(client=client, pathway="express_entry")
    with django_capture_on_commit_callbacks(execute=True):
        case_assess(case_id=case.pk, actor=SYSTEM, as_of=today)
    assessed = {
        a.stream: a for a in PathwayAssessment.objects.filter(case=case, is_current=True, stream__in=PROGRAMS)
    }
    assert {s: a.outcome for s, a in assessed.items()} == stored_programs
    # and the categories of the version in force (the stored rows of that version)
    version = version_for_date(today)
    stored_categories = {
        e.program: e.outcome for e in Eligibility.objects.filter(client=client, version=version.key)
    }
    assessed_categories = {
        a.stream.split(":", 1)[1]: a.outcome
        for a in PathwayAssessment.objects.filter(case=case, is_current=True, stream__startswith="category:")
    }
    assert assessed_categories == stored_categories and stored_categories
    assert {a.context.get("crs_score") for a in assessed.values()} == {stored.total}
    assert CRSScore.objects.filter(client=client, is_current=True).get().total == stored.total
