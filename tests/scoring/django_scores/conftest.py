"""Fixtures for the stored-score tests: two firms, staff, and a builder of clients with facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from firm.models import (
    Client,
    Education,
    Firm,
    JobOffer,
    LanguageTest,
    Membership,
    User,
    WorkExperience,
)
from firm.scoping import actor_for_user


def celpip(client: Client, level: int, test_date: date, person: str = "principal") -> LanguageTest:
    return LanguageTest.objects.create(
        client=client,
        person=person,
        test="celpip",
        test_date=test_date,
        listening=Decimal(level),
        reading=Decimal(level),
        writing=Decimal(level),
        speaking=Decimal(level),
    )


def foreign_degree(
    client: Client, level: str, completed: date, eca: date, years: int = 4, person: str = "principal"
) -> Education:
    return Education.objects.create(
        client=client,
        person=person,
        level=level,
        in_canada=False,
        program_years=years,
        completed_on=completed,
        eca_date=eca,
    )


def work(
    client: Client,
    start: date,
    end: date | None,
    *,
    in_canada: bool = False,
    noc: str = "21231",
    hours: int = 40,
    person: str = "principal",
    province: str = "",
) -> WorkExperience:
    return WorkExperience.objects.create(
        client=client,
        person=person,
        noc_code=noc,
        teer=int(noc[1]),
        in_canada=in_canada,
        start_date=start,
        end_date=end,
        hours_per_week=Decimal(hours),
        province=province,
    )


def seed_client(firm: Firm, *, dob: date, test_date: date, name: str = "Seed") -> Client:
    """The seed example: single, two credentials (one 3+ years), CELPIP 10s, 3+ years of foreign work
    and a TEER 1 job offer backed by an LMIA."""
    client = Client.objects.create(firm=firm, first_name=name, last_name="Client", date_of_birth=dob)
    foreign_degree(client, "bachelors", date(2008, 6, 1), eca=date(2022, 1, 15))
    foreign_degree(client, "one_year", date(2010, 6, 1), eca=date(2022, 1, 15), years=1)
    celpip(client, 10, test_date)
    work(client, date(2016, 1, 1), date(2019, 6, 30))
    JobOffer.objects.create(
        client=client,
        employer="Acme",
        noc_code="21231",
        teer=1,
        full_time=True,
        permanent=True,
        lmia_number="L123",
    )
    return client


@dataclass
class World:
    firm: Firm
    other_firm: Firm
    lawyer: User
    other_lawyer: User

    def actor(self, user: User) -> Any:
        return actor_for_user(User.objects.select_related("membership", "client_profile").get(pk=user.pk))


@pytest.fixture
def world(db) -> World:
    firm = Firm.objects.create(name="Maple Law", slug="maple")
    other = Firm.objects.create(name="Other Law", slug="other")
    lawyer = User.objects.create_user(email="lawyer@maple.test", password="pw-123456789")
    Membership.objects.create(user=lawyer, firm=firm, role="lawyer")
    other_lawyer = User.objects.create_user(email="lawyer@other.test", password="pw-123456789")
    Membership.objects.create(user=other_lawyer, firm=other, role="lawyer")
    return World(firm=firm, other_firm=other, lawyer=lawyer, other_lawyer=other_lawyer)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


def recent(today: date, days: int) -> date:
    return today - timedelta(days=days)
