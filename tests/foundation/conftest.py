from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case, Deadline, Document, Note
from firm.models import Client, Firm, LanguageTest, Membership, User, WorkExperience
from firm.scoping import actor_for_user


class World:
    """Two firms, each with a lawyer, a paralegal, an admin, a client with a portal login and a case."""

    def __init__(self) -> None:
        self.firms: dict[str, Firm] = {}
        self.staff: dict[tuple[str, str], User] = {}
        self.clients: dict[str, Client] = {}
        self.cases: dict[str, Case] = {}
        for tag in ("a", "b"):
            firm = Firm.objects.create(name=f"Firm {tag.upper()}", slug=f"firm-{tag}")
            self.firms[tag] = firm
            for role in ("admin", "lawyer", "paralegal"):
                user = User.objects.create_user(email=f"{role}@{tag}.test", password="pw-123456789")
                Membership.objects.create(user=user, firm=firm, role=role)
                self.staff[(tag, role)] = user
            portal = User.objects.create_user(email=f"client@{tag}.test", password="pw-123456789")
            client = Client.objects.create(
                firm=firm,
                first_name="Client",
                last_name=tag.upper(),
                date_of_birth=date(1990, 1, 1),
                portal_user=portal,
                assigned_lawyer=self.staff[(tag, "lawyer")],
            )
            self.clients[tag] = client
            LanguageTest.objects.create(
                client=client,
                test="ielts",
                test_date=date(2026, 1, 5),
                listening=8,
                reading=7,
                writing=7,
                speaking=7,
            )
            WorkExperience.objects.create(
                client=client, noc_code="21231", teer=1, start_date=date(2020, 1, 1)
            )
            case = Case.objects.create(firm=firm, client=client, pathway="express_entry")
            self.cases[tag] = case
            Document.objects.create(firm=firm, case=case, kind="passport")
            Deadline.objects.create(case=case, kind="x", label="x", due_on=date(2026, 12, 1))
            Note.objects.create(case=case, text="internal", visible_to_client=False)
            Note.objects.create(case=case, text="shared", visible_to_client=True)

    def actor(self, tag: str, role: str):
        user = self.clients[tag].portal_user if role == "client" else self.staff[(tag, role)]
        user = User.objects.select_related("membership", "client_profile").get(pk=user.pk)
        return actor_for_user(user)


@pytest.fixture
def world(db) -> World:
    return World()
