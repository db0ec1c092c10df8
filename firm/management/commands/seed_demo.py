"""Create a demo firm with staff, ~50 clients with varied facts, cases in every status and documents.

Idempotent: running it again changes nothing that exists (people are matched by email).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases.constants import CASE_TRANSITIONS, CaseStatus, DocumentKind, Pathway
from cases.demo import seed_lifecycle
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from firm.models import (
    Client,
    Education,
    Firm,
    JobOffer,
    LanguageTest,
    Membership,
    ProvincialNomination,
    User,
    WorkExperience,
)

DEMO_SLUG = "maple-demo"
STAFF = [
    ("admin@demo.maplecase.test", "Amira", "Haddad", "admin", "demo-admin-pass-2026"),
    ("lawyer@demo.maplecase.test", "Louis", "Tremblay", "lawyer", "demo-lawyer-pass-2026"),
    ("paralegal@demo.maplecase.test", "Priya", "Natarajan", "paralegal", "demo-paralegal-pass-2026"),
]
PORTAL_PASSWORD = "demo-client-pass-2026"

FIRST = [
    "Aarav",
    "Sofia",
    "Wei",
    "Lucas",
    "Fatima",
    "Mateo",
    "Ananya",
    "Olivia",
    "Kwame",
    "Yuki",
    "Diego",
    "Amara",
    "Ivan",
    "Leila",
    "Chen",
    "Gabriela",
    "Omar",
    "Nadia",
    "Tomás",
    "Hana",
    "Arjun",
    "Camille",
    "Emeka",
    "Zara",
    "Luca",
]
LAST = [
    "Sharma",
    "García",
    "Zhang",
    "Silva",
    "Khan",
    "Hernández",
    "Iyer",
    "Nguyen",
    "Mensah",
    "Tanaka",
    "López",
    "Okafor",
    "Petrov",
    "Rahimi",
    "Wang",
    "Costa",
    "Farouk",
    "Haddad",
    "Moreau",
    "Kim",
    "Patel",
    "Dubois",
    "Eze",
    "Malik",
    "Rossi",
]
COUNTRIES = ["IN", "MX", "CN", "BR", "PK", "US", "NG", "PH", "FR", "KR", "IR", "GB", "JP", "CO", "EG"]
# (NOC 2021, TEER, title) — tech-heavy, plus a few trades and healthcare roles
JOBS = [
    ("21231", 1, "Software engineer"),
    ("21232", 1, "Software developer"),
    ("21211", 1, "Data scientist"),
    ("21222", 1, "Information systems specialist"),
    ("21223", 1, "Database analyst"),
    ("20012", 0, "Computer and IS manager"),
    ("21311", 1, "Computer engineer"),
    ("22220", 2, "Computer network technician"),
    ("21234", 1, "Web developer"),
    ("72200", 2, "Electrician"),
    ("31301", 1, "Registered nurse"),
    ("11100", 1, "Financial auditor"),
    ("21300", 1, "Civil engineer"),
    ("63200", 3, "Cook"),
]
EDUCATION = [
    "secondary",
    "one_year",
    "two_year",
    "bachelors",
    "bachelors",
    "two_or_more",
    "masters",
    "masters",
    "phd",
]
PATHWAYS = [
    Pathway.EXPRESS_ENTRY,
    Pathway.EXPRESS_ENTRY,
    Pathway.GTS,
    Pathway.ICT,
    Pathway.CUSMA_PROFESSIONAL,
    Pathway.PNP,
    Pathway.START_UP_VISA,
    Pathway.CUSMA_ICT,
]

# A one-page PDF (valid magic bytes), so demo documents can be downloaded.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _path_to(status: str) -> list[str]:
    """A walk through the allowed transitions from intake to `status`."""
    order = ["intake", "assessment", "documents", "ready_to_file", "filed", "decision_pending"]
    if status in order:
        return order[: order.index(status) + 1]
    if status in ("approved", "refused"):
        return [*order, status]
    if status == "withdrawn":
        return ["intake", "assessment", "withdrawn"]
    return [*order, "approved", "closed"]


class Command(BaseCommand):
    help = "Create the demo firm, its staff, ~50 clients with facts, cases and documents (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        rng = random.Random(20261122)
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
            created = 0
            for i in range(opts["clients"]):
                if self._client(firm, i, rng, lawyers):
                    created += 1
        seed_lifecycle(firm)  # milestones, families, checklists, status documents, tasks (cases.demo)
        self._load_draws()
        self._recompute(firm)
        if not opts["quiet"]:
            self._print_logins(firm, created)

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

    def _client(self, firm: Firm, i: int, rng: random.Random, lawyers: list[User]) -> bool:
        email = f"client{i:02d}@demo.maplecase.test"
        if Client.objects.filter(firm=firm, email=email).exists():
            return False
        today = timezone.localdate()
        age = rng.choice([24, 26, 27, 29, 30, 31, 32, 33, 35, 36, 38, 41, 44, 47])
        dob = today - timedelta(days=age * 365 + rng.randint(0, 364))
        marital = rng.choice(["single", "single", "married", "common_law", "divorced"])
        country = rng.choice(COUNTRIES)
        client = Client.objects.create(
            firm=firm,
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i * 7) % len(LAST)],
            email=email,
            phone=f"+1 416 555 {1000 + i:04d}",
            date_of_birth=dob,
            citizenships=[country]
            + (["CA"] if False else [])
            + (["US"] if country == "GB" and i % 2 else []),
            country_of_residence=rng.choice([country, "CA", "CA"]),
            marital_status=marital,
            spouse_name="Alex " + LAST[(i * 3) % len(LAST)] if marital in ("married", "common_law") else "",
            spouse_accompanying=marital in ("married", "common_law") and i % 3 != 0,
            sibling_in_canada=i % 9 == 0,
            certificate_of_qualification=i % 17 == 0,
            status=["prospect", "active", "active", "active", "closed"][i % 5],
            assigned_lawyer=lawyers[i % len(lawyers)],
            preferred_language="fr" if country == "FR" else "en",
            source=rng.choice(["website", "referral", "intake form", "LinkedIn"]),
            settlement_funds_cad=Decimal(rng.choice([12000, 18000, 25000, 40000, 65000]))
            if i % 6 != 5
            else None,
            intended_province=rng.choice(["ON", "ON", "BC", "AB", ""]),
        )
        if i % 4 != 3:  # most clients have entered the pool
            client.ee_profile_number = f"E{1000000000 + i * 7919}"
            client.ee_profile_submitted_at = timezone.now() - timedelta(days=rng.randint(10, 300))
            client.ee_profile_expires_on = (client.ee_profile_submitted_at + timedelta(days=365)).date()
            client.save()
        self._facts(client, i, rng, today)
        self._cases(client, i, rng, today)
        return True

    def _facts(self, client: Client, i: int, rng: random.Random, today: date) -> None:
        level = EDUCATION[i % len(EDUCATION)]
        Education.objects.create(
            client=client,
            level=level,
            field_of_study=rng.choice(["Computer science", "Engineering", "Business", "Nursing"]),
            country=client.citizenships[0].code if client.citizenships else "IN",
            in_canada=i % 6 == 0,
            program_years={"secondary": None, "one_year": 1, "two_year": 2}.get(level, 4),
            completed_on=today - timedelta(days=rng.randint(2, 12) * 365),
            eca_issuer="wes" if i % 6 else "",
            eca_date=today - timedelta(days=rng.randint(100, 1500)) if i % 6 else None,
            full_time_in_canada=i % 6 == 0,
        )
        # First official language: mostly IELTS/CELPIP, some French tests
        test_date = today - timedelta(days=rng.randint(30, 800))
        if i % 10 == 4:
            LanguageTest.objects.create(
                client=client,
                test="tef",
                test_date=test_date,
                listening=rng.choice([460, 520, 560]),
                reading=rng.choice([440, 510, 550]),
                writing=rng.choice([430, 520, 560]),
                speaking=rng.choice([460, 520, 560]),
            )
        elif i % 2:
            band = rng.choice([6.0, 6.5, 7.0, 7.5, 8.0, 8.5])
            LanguageTest.objects.create(
                client=client,
                test="ielts",
                test_date=test_date,
                listening=Decimal(str(min(9.0, band + 0.5))),
                reading=Decimal(str(band)),
                writing=Decimal(str(max(5.5, band - 0.5))),
                speaking=Decimal(str(band)),
            )
        else:
            lvl = rng.choice([7, 8, 9, 10, 11])
            LanguageTest.objects.create(
                client=client,
                test="celpip",
                test_date=test_date,
                listening=lvl,
                reading=lvl,
                writing=max(6, lvl - 1),
                speaking=lvl,
            )
        if i % 7 == 0:  # second official language
            LanguageTest.objects.create(
                client=client,
                test="tcf",
                role="second",
                test_date=test_date,
                listening=470,
                reading=460,
                writing=11,
                speaking=11,
            )
        # Work history: foreign then maybe Canadian
        noc, teer, title = JOBS[i % len(JOBS)]
        foreign_years = rng.choice([0, 1, 2, 3, 4, 6])
        canadian_years = rng.choice([0, 0, 1, 1, 2, 3])
        start_ca = (
            today - timedelta(days=int(canadian_years * 365.25) + rng.randint(20, 200))
            if canadian_years
            else None
        )
        if foreign_years:
            end = (start_ca or today) - timedelta(days=rng.randint(30, 120))
            WorkExperience.objects.create(
                client=client,
                noc_code=noc,
                teer=teer,
                job_title=title,
                employer=rng.choice(["Infosys", "Globant", "Tata", "Accenture", "Nubank"]),
                country=client.citizenships[0].code if client.citizenships else "IN",
                in_canada=False,
                start_date=end - timedelta(days=int(foreign_years * 365.25) + 10),
                end_date=end,
                hours_per_week=40,
                capacity=rng.choice(["specialized_knowledge", "manager", "professional"]),
            )
        if canadian_years and start_ca:
            WorkExperience.objects.create(
                client=client,
                noc_code=noc,
                teer=teer,
                job_title=title,
                employer=rng.choice(["Shopify", "RBC", "Wealthsimple", "OpenText"]),
                country="CA",
                in_canada=True,
                province=rng.choice(["ON", "BC", "AB"]),
                start_date=start_ca,
                end_date=None,
                hours_per_week=40,
            )
        if i % 5 == 1:
            JobOffer.objects.create(
                client=client,
                employer="Northwind Robotics Inc.",
                noc_code=noc,
                teer=teer,
                job_title=title,
                province="ON",
                annual_wage=Decimal(rng.choice([85000, 105000, 132000])),
                full_time=True,
                permanent=True,
                offered_on=today - timedelta(days=rng.randint(5, 90)),
            )
        if i % 8 == 2:
            ProvincialNomination.objects.create(
                client=client,
                province=rng.choice(["ON", "BC", "SK"]),
                stream="Tech draw",
                nominated_on=today - timedelta(days=rng.randint(10, 120)),
                expires_on=today + timedelta(days=rng.randint(60, 170)),
            )
        if client.spouse_accompanying:
            LanguageTest.objects.create(
                client=client,
                person="spouse",
                test="ielts",
                test_date=test_date,
                listening=Decimal("7.0"),
                reading=Decimal("6.5"),
                writing=Decimal("6.5"),
                speaking=Decimal("6.5"),
            )
            Education.objects.create(
                client=client,
                person="spouse",
                level=rng.choice(["bachelors", "masters", "two_year"]),
                country=client.citizenships[0].code if client.citizenships else "IN",
            )

    def _cases(self, client: Client, i: int, rng: random.Random, today: date) -> None:
        statuses = list(CaseStatus.values)
        status = statuses[i % len(statuses)]
        pathway = PATHWAYS[i % len(PATHWAYS)]
        case = Case.objects.create(
            firm=client.firm,
            client=client,
            pathway=pathway,
            title=f"{Pathway(pathway).label} — {client.full_name}",
            assigned_lawyer=client.assigned_lawyer,
        )
        walk = _path_to(status)
        previous = ""
        for step in walk:
            if previous and step not in CASE_TRANSITIONS[previous]:
                break
            CaseStatusChange.objects.create(
                case=case, from_status=previous, to_status=step, changed_by=client.assigned_lawyer
            )
            previous = step
        case.status = previous
        if status in ("approved", "refused", "withdrawn", "closed"):
            case.closed_at = timezone.now() - timedelta(days=rng.randint(1, 60))
        case.save()
        for kind in (
            DocumentKind.PASSPORT,
            DocumentKind.LANGUAGE_TEST,
            DocumentKind.ECA,
            DocumentKind.POLICE_CERTIFICATE,
        ):
            doc = Document.objects.create(
                firm=client.firm,
                case=case,
                kind=kind,
                label=DocumentKind(kind).label,
                checklist_key=f"seed:{kind}",
            )
            if rng.random() < 0.5:
                doc.stored_name = f"seed-{case.pk}-{kind}.pdf"
                doc.file.save(doc.stored_name, ContentFile(DEMO_PDF), save=False)
                doc.original_filename = f"{kind}.pdf"
                doc.content_type = "application/pdf"
                doc.size = len(DEMO_PDF)
                import hashlib

                doc.sha256 = hashlib.sha256(DEMO_PDF).hexdigest()
                doc.status = rng.choice(["uploaded", "verified", "verified", "rejected"])
                doc.uploaded_at = timezone.now() - timedelta(days=rng.randint(1, 40))
                if kind == DocumentKind.POLICE_CERTIFICATE:
                    doc.expires_on = today + timedelta(days=rng.randint(-10, 90))
                doc.save()
        Deadline.objects.create(
            case=case,
            kind="follow_up",
            label="Follow up with client",
            due_on=today + timedelta(days=rng.randint(-5, 40)),
            source_rule="seed",
        )
        Note.objects.create(
            case=case,
            author=client.assigned_lawyer,
            text="Initial consultation held; facts recorded.",
            visible_to_client=False,
        )
        Note.objects.create(
            case=case,
            author=client.assigned_lawyer,
            text="Welcome! Please upload the documents in your checklist.",
            visible_to_client=True,
        )
        if i in (0, 1):
            from firm.scoping import SYSTEM
            from firm.services import client_portal_invite

            client_portal_invite(actor=SYSTEM, client=client, password=PORTAL_PASSWORD)

    def _load_draws(self) -> None:
        """Load the shipped snapshot of past Express Entry rounds, when the draws module is installed."""
        try:
            from scoring.services.draws import draws_sync_snapshot
        except ImportError:
            return
        draws_sync_snapshot()

    def _recompute(self, firm: Firm) -> None:
        from scoring.services.scores import client_recompute

        for client_id in Client.objects.filter(firm=firm).values_list("pk", flat=True):
            client_recompute(client_id=client_id)

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
        for client in Client.objects.filter(firm=firm, portal_user__isnull=False).order_by("email")[:2]:
            w(f"  {'client':<10} {client.email:<34} {PORTAL_PASSWORD}")
