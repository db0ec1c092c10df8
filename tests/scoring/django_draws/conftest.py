"""Fixtures for the draws tests: two firms with staff, clients with stored scores and eligibility, and
feeds in IRCC's own format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from firm.models import Client, Firm, Membership, ProvincialNomination, User
from firm.scoping import Actor, actor_for_user
from scoring.draws import VERSION_2023
from scoring.models import CRSScore, Eligibility

TODAY = datetime.now(UTC).date()
RECENT = TODAY - timedelta(days=3)
TIE_BREAK = datetime.combine(RECENT - timedelta(days=10), datetime.min.time(), tzinfo=UTC).replace(hour=12)


def round_dict(
    number: str,
    *,
    on: date = RECENT,
    name: str = "Canadian Experience Class",
    crs: int = 500,
    size: int = 3000,
    tie_break: datetime | None = TIE_BREAK,
    programs: str = "Canadian Experience Class",
) -> dict[str, Any]:
    """One round exactly as IRCC's feed writes it."""
    full = f"{on:%B} {on.day}, {on.year}"
    return {
        "drawNumber": number,
        "drawNumberURL": f"<a href='/x/invitations.html?q={number}'>{number}</a>",
        "drawDate": on.isoformat(),
        "drawDateFull": full,
        "drawName": name,
        "drawSize": f"{size:,}",
        "drawCRS": str(crs),
        "mitext": "",
        "DrawText1": "",
        "drawText2": programs,
        "drawDateTime": f"{full} at 14:05:11 UTC",
        "drawCutOff": (
            f"{tie_break:%B} {tie_break.day}, {tie_break.year} at {tie_break:%H:%M:%S} UTC"
            if tie_break
            else ""
        ),
        "drawDistributionAsOn": full,
        **{f"dd{i}": "0" for i in range(1, 19)},
    }


def feed(*rounds: dict[str, Any]) -> bytes:
    return json.dumps({"classes": "wb-tables", "rounds": list(rounds)}).encode()


@dataclass
class World:
    firms: dict[str, Firm] = field(default_factory=dict)
    staff: dict[str, User] = field(default_factory=dict)
    counter: int = 0

    def client(
        self,
        firm: str,
        name: str,
        score: int | None,
        *,
        lawyer: str | None = None,
        programs: tuple[str, ...] = ("cec",),
        categories: tuple[tuple[str, str], ...] = (),
        not_eligible: tuple[str, ...] = (),
        profile_at: datetime | None = None,
        nomination: tuple[date, date | None] | None = None,
        email: str | None = None,
        language: str = "en",
        status: str = "active",
        rule_set: str = "crs-2025-03-25",
    ) -> Client:
        """A client with a current CRS score and the given Eligibility rows (all firm-independent)."""
        self.counter += 1
        client = Client.objects.create(
            firm=self.firms[firm],
            first_name=name,
            last_name=f"Test{self.counter}",
            email=email if email is not None else f"{name.lower()}@clients.test",
            assigned_lawyer=self.staff[lawyer] if lawyer else None,
            ee_profile_number=f"E{self.counter:09d}" if profile_at else "",
            ee_profile_submitted_at=profile_at,
            preferred_language=language,
            status=status,
        )
        if score is not None:
            CRSScore.objects.create(
                firm=client.firm,
                client=client,
                total=score,
                core=score,
                spouse=0,
                transferability=0,
                additional=0,
                rule_set=rule_set,
                inputs_hash="x" * 64,
                as_of=TODAY,
                is_current=True,
            )
        for program in programs:
            Eligibility.objects.create(
                firm=client.firm, client=client, program=program, outcome="eligible", as_of=TODAY
            )
        for program in not_eligible:
            Eligibility.objects.create(
                firm=client.firm, client=client, program=program, outcome="not_eligible", as_of=TODAY
            )
        for category, version in categories:
            Eligibility.objects.create(
                firm=client.firm,
                client=client,
                program=category,
                version=version,
                outcome="eligible",
                as_of=TODAY,
            )
        if nomination is not None:
            ProvincialNomination.objects.create(
                client=client, province="ON", nominated_on=nomination[0], expires_on=nomination[1]
            )
        return client


def _actor_for(self: World, key: str) -> Actor:
    user = User.objects.select_related("membership").get(pk=self.staff[key].pk)
    return actor_for_user(user)


World.actor_for = _actor_for  # type: ignore[attr-defined]


def build_world() -> World:
    """Firm A (emails clients): admin, lawyer1, lawyer2, paralegal. Firm B: admin, lawyer."""
    world = World()
    world.firms["a"] = Firm.objects.create(name="Firm A", slug="firm-a", email_clients_on_draw=True)
    world.firms["b"] = Firm.objects.create(name="Firm B", slug="firm-b", email_clients_on_draw=False)
    for key, firm, role in (
        ("a_admin", "a", "admin"),
        ("a_lawyer1", "a", "lawyer"),
        ("a_lawyer2", "a", "lawyer"),
        ("a_paralegal", "a", "paralegal"),
        ("b_admin", "b", "admin"),
        ("b_lawyer", "b", "lawyer"),
    ):
        user = User.objects.create_user(
            email=f"{key}@staff.test", password="pw-123456789", first_name=key.split("_")[1].title()
        )
        Membership.objects.create(user=user, firm=world.firms[firm], role=role)
        world.staff[key] = user
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


__all__ = ["RECENT", "TIE_BREAK", "TODAY", "VERSION_2023", "World", "build_world", "feed", "round_dict"]
