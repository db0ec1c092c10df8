"""Create a demo firm that looks like a practice: 3 staff, distinct clients with coherent histories, cases
opened over two years at every stage, assessments run, documents in every state (rejections with their
reason), deadlines and notes that fit each case, scores with a history, and the bundled sample of past
Express Entry rounds with the newest ones flagged.

Idempotent: running it again changes nothing that exists (people are matched by email).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases.demo import seed_lifecycle
from cases.models import Case
from firm.management.commands._demo_build import (
    create_case,
    create_client,
    deadlines_and_notes,
    documents_for_stage,
    email_of,
)
from firm.management.commands._demo_people import EXTRA_FIRST, EXTRA_LAST, PEOPLE, Person
from firm.models import Client, Firm, Membership, User

DEMO_SLUG = "maple-demo"
STAFF = [
    ("admin@demo.maplecase.test", "Amira", "Haddad", "admin", "demo-admin-pass-2026"),
    ("lawyer@demo.maplecase.test", "Louis", "Tremblay", "lawyer", "demo-lawyer-pass-2026"),
    ("paralegal@demo.maplecase.test", "Priya", "Natarajan", "paralegal", "demo-paralegal-pass-2026"),
]
PORTAL_PASSWORD = "demo-client-pass-2026"
# Portal logins: one client who reads English, one who reads French (printed, and listed in README).
PORTAL_PEOPLE = (("Ana", "Silva"), ("Lucas", "Moreau"))
FLAGGED_ROUNDS = 4  # the newest bundled rounds are flagged, so the dashboard's panel and chart agree


def people(count: int) -> list[Person]:
    """`count` distinct people: the written ones first, then variations with their own names and dates."""
    out = list(PEOPLE[:count])
    i = 0
    while len(out) < count:
        base = PEOPLE[i % len(PEOPLE)]
        first, last = (
            EXTRA_FIRST[i % len(EXTRA_FIRST)],
            EXTRA_LAST[(i + i // len(EXTRA_LAST)) % len(EXTRA_LAST)],
        )
        out.append(
            replace(
                base,
                first=first,
                last=last,
                age=base.age + (i % 5) - 2,
                opened_days_ago=max(3, (base.opened_days_ago + 37 * (i + 1)) % 720),
                spouse=(f"{EXTRA_FIRST[(i + 7) % len(EXTRA_FIRST)]} {last}", *base.spouse[1:])
                if base.spouse
                else None,
                lawyer=i % 2,
            )
        )
        i += 1
    return out


class Command(BaseCommand):
    help = "Create the demo firm: staff, clients with coherent histories, cases at every stage (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = timezone.localdate()
        with transaction.atomic():
            firm, _ = Firm.objects.get_or_create(
                slug=DEMO_SLUG,
                defaults={
                    "name": "Maple & Birch Immigration LLP",
                    "province": "ON",
                    "email_clients_on_draw": False,
                },
            )
            staff = self._staff(firm)
            lawyers = [u for u, role in staff if role in ("admin", "lawyer")]
            new_cases: list[tuple[Case, Person]] = []
            for index, person in enumerate(people(opts["clients"])):
                if Client.objects.filter(firm=firm, email=email_of(person)).exists():
                    continue
                client = create_client(firm, person, lawyers[person.lawyer % len(lawyers)], today, index)
                case = create_case(client, person, today, index)
                new_cases.append((case, person))
                if (person.first, person.last) in PORTAL_PEOPLE:
                    self._portal(client)
        draws = self._load_draws()
        self._scores(firm, draws, today)
        for case, person in new_cases:
            self._assess(case, person, today)
            documents_for_stage(case, person.status, today, case.pk, french=person.language_pref == "fr")
            deadlines_and_notes(case, person, today)
        seed_lifecycle(firm)  # milestones, families, checklists, status documents, tasks (cases.demo)
        self._flag(draws)
        if not opts["quiet"]:
            self._print_logins(firm, len(new_cases))

    def _staff(self, firm: Firm) -> list[tuple[User, str]]:
        out = []
        for email, first, last, role, password in STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    first_name=first,
                    last_name=last,
                    # the demo's firm admin also operates the Django admin (/admin/)
                    is_staff=role == "admin",
                    is_superuser=role == "admin",
                )
            Membership.objects.get_or_create(user=user, defaults={"firm": firm, "role": role})
            out.append((user, role))
        return out

    def _portal(self, client: Client) -> None:
        from firm.scoping import SYSTEM
        from firm.services import client_portal_invite

        client_portal_invite(actor=SYSTEM, client=client, password=PORTAL_PASSWORD)

    def _load_draws(self) -> list[Any]:
        """The shipped sample of past Express Entry rounds (it ends in 2024; production syncs from IRCC)."""
        try:
            from scoring.models import Draw
            from scoring.services.draws import draws_sync_snapshot
        except ImportError:
            return []
        draws_sync_snapshot(flag="none")  # flagged below, once the scores exist
        return list(Draw.objects.order_by("-draw_date", "-draw_number")[:FLAGGED_ROUNDS])

    def _scores(self, firm: Firm, draws: list[Any], today: date) -> None:
        """Scores with a history: as of a month before the newest bundled round, a year ago, and today."""
        from scoring.services.scores import recompute_clients

        ids = list(Client.objects.filter(firm=firm).values_list("pk", flat=True))
        days = [today - timedelta(days=365), today]
        if draws:
            days.insert(0, draws[0].draw_date - timedelta(days=30))
        for day in sorted(set(days)):
            recompute_clients(ids, as_of=day)

    def _assess(self, case: Case, person: Person, today: date) -> None:
        from pathways.services import case_assess

        case_assess(case_id=case.pk, as_of=today)

    def _flag(self, draws: list[Any]) -> None:
        from scoring.services.flagging import draw_flag

        for draw in draws:
            draw_flag(draw_id=draw.pk, force=True, send=False)

    def _print_logins(self, firm: Firm, created: int) -> None:
        w = self.stdout.write
        w(
            self.style.SUCCESS(
                f"Demo firm '{firm.name}': {Client.objects.filter(firm=firm).count()} clients "
                f"({created} new), {Case.objects.filter(firm=firm).count()} cases."
            )
        )
        w("Logins (demo only):")
        for email, _first, _last, role, password in STAFF:
            w(f"  {role:<10} {email:<34} {password}")
        for client in Client.objects.filter(firm=firm, portal_user__isnull=False).order_by("email"):
            w(
                f"  {'client':<10} {client.email:<34} {PORTAL_PASSWORD}  ({client.get_preferred_language_display()})"
            )
        w(
            "Express Entry rounds: the bundled sample of past rounds (it ends in 2024); production syncs from IRCC."
        )
