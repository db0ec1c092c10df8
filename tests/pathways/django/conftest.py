"""Fixtures for the pathways integration tests: a U.S. software engineer transferred to the Canadian
subsidiary after 14 months with the U.S. parent (dates relative to today, so the rules in force today
apply), and helpers to open cases through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

ICT_ATTESTATIONS = {
    "ict.foreign_position_held_open": True,
    "ict.canadian_enterprise_active": True,
    "ict.canadian_employer_relationship": True,
    "ict.specialized_knowledge": True,
}


def ict_case_facts(today: date) -> dict[str, Any]:
    return {
        "job_offer": {
            "employer": "Acme Canada Ltd",
            "noc": "21231",
            "hourly_wage": 60.0,
            "prevailing_wage_hourly": 50.0,
            "province": "ON",
        },
        "application_date": today.isoformat(),
        "canadian_employer": "Acme Canada Ltd",
        "foreign_employer": "Acme Inc.",
        "relationship": "subsidiary",
        "same_capacity": True,
        "position": "specialized_knowledge",
        "mnc_other_countries": 1,
        "attestations": dict(ICT_ATTESTATIONS),
    }


@pytest.fixture
def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def us_engineer(db: Any, today: date) -> Any:
    """Client with U.S. citizenship and 14 months (ongoing) with Acme Inc., after 3 years elsewhere."""
    from tests import factories as f

    firm = f.FirmFactory(name="ICT Firm", slug="ict-firm")
    lawyer = f.staff_user(firm, "lawyer", email="lawyer@ict.test")
    client = f.PortalClientFactory(
        firm=firm,
        first_name="Sam",
        last_name="Engineer",
        citizenships=["US"],
        country_of_residence="US",
        date_of_birth=date(1990, 4, 2),
        assigned_lawyer=lawyer,
    )
    transfer_start = today - relativedelta(months=14)
    f.WorkExperienceFactory(
        client=client,
        employer="Other Co",
        noc_code="21231",
        teer=1,
        country="US",
        start_date=transfer_start - relativedelta(years=3),
        end_date=transfer_start - timedelta(days=1),
        hours_per_week=40,
        capacity="specialized_knowledge",
    )
    f.WorkExperienceFactory(
        client=client,
        employer="Acme Inc",
        job_title="Senior Software Engineer",
        noc_code="21231",
        teer=1,
        country="US",
        start_date=transfer_start,
        end_date=None,
        hours_per_week=40,
        capacity="specialized_knowledge",
    )
    client.lawyer = lawyer
    return client


@pytest.fixture
def open_case(django_capture_on_commit_callbacks: Any) -> Any:
    """`open_case(client, pathway, facts, **fields)`: a case through `cases.services.case_create` with its
    after-commit callbacks run (the eager Celery task assesses it)."""
    from cases.services import case_create
    from firm.scoping import SYSTEM

    def make(client: Any, pathway: str, facts: dict[str, Any], **fields: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            case = case_create(actor=SYSTEM, client=client, pathway=pathway, facts=facts, **fields)
        case.refresh_from_db()
        return case

    return make
