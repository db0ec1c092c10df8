"""Fixtures for the case-lifecycle tests: a firm with every role, a client with a date of birth and an
Express Entry case, and a second firm to prove scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from cases.models import Case
from firm.models import Client, Firm, Membership, User
from firm.scoping import Actor, actor_for_user

PASSWORD = "correct-horse-battery-42"


def make_staff(firm: Firm, email: str, role: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, first_name=email.split("@")[0].title())
    Membership.objects.create(user=user, firm=firm, role=role)
    return user


def actor(user: User) -> Actor:
    return actor_for_user(User.objects.select_related("membership").get(pk=user.pk))


@dataclass
class World:
    firm: Firm
    admin: User
    lawyer: User
    paralegal: User
    client: Client
    case: Case
    other_firm: Firm
    other_lawyer: User
    other_case: Case

    def actor(self, role: str = "lawyer") -> Actor:
        return actor({"admin": self.admin, "lawyer": self.lawyer, "paralegal": self.paralegal}[role])


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> Any:
    from django.utils.functional import empty

    from cases.models import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def world(db: Any) -> World:
    firm = Firm.objects.create(name="Maple Law", slug="maple")
    admin = make_staff(firm, "admin@maple.test", "admin")
    lawyer = make_staff(firm, "lawyer@maple.test", "lawyer")
    paralegal = make_staff(firm, "para@maple.test", "paralegal")
    client = Client.objects.create(
        firm=firm,
        first_name="Priya",
        last_name="Sharma",
        email="priya@example.test",
        date_of_birth=date(1992, 4, 10),
        marital_status="married",
        assigned_lawyer=lawyer,
        status="active",
    )
    case = Case.objects.create(firm=firm, client=client, pathway="express_entry", assigned_lawyer=lawyer)
    other = Firm.objects.create(name="Other Firm", slug="other")
    other_lawyer = make_staff(other, "lawyer@other.test", "lawyer")
    other_client = Client.objects.create(
        firm=other, first_name="Otto", last_name="Other", assigned_lawyer=other_lawyer
    )
    other_case = Case.objects.create(
        firm=other, client=other_client, pathway="express_entry", assigned_lawyer=other_lawyer
    )
    return World(firm, admin, lawyer, paralegal, client, case, other, other_lawyer, other_case)


@pytest.fixture
def api(db: Any) -> Any:
    from rest_framework.test import APIClient

    def make(user: User | None = None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_login(user)
        return c

    return make
