"""Demo data of the case lifecycle, added to a demo firm's existing cases (called by `seed_demo`):
milestones consistent with each case's status (with their derived deadlines, open or closed), spouses
and children with the countries they lived in, status documents nearing expiry, identifiers, and tasks
for every staff member. Idempotent: a case that already has milestones is left alone.

The checklists follow from the family: after commit, the clients' open cases are re-assessed
(`firm.services.client_facts_changed`), which requests each person's documents.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases.milestones import _close_answered, _sync_derived
from cases.models import Case, Document, Milestone, Task
from firm.models import Firm, Membership
from firm.people import FamilyMember, ResidencePeriod, StatusDocument
from firm.services import client_facts_changed

# Milestones (kind, days before today) that a case in each status has been through.
EE_STORY: dict[str, list[tuple[str, int]]] = {
    "documents": [("ita_received", 21)],
    "ready_to_file": [("ita_received", 48)],
    "filed": [
        ("ita_received", 95),
        ("application_submitted", 40),
        ("aor_received", 38),
        ("biometrics_instruction", 12),
    ],
    "decision_pending": [
        ("ita_received", 170),
        ("application_submitted", 120),
        ("aor_received", 118),
        ("biometrics_instruction", 110),
        ("biometrics_done", 101),
        ("medical_instruction", 60),
        ("medical_done", 45),
        ("ppr_received", 6),
    ],
    "approved": [
        ("ita_received", 230),
        ("application_submitted", 180),
        ("aor_received", 178),
        ("biometrics_instruction", 170),
        ("biometrics_done", 160),
        ("medical_instruction", 120),
        ("medical_done", 110),
        ("ppr_received", 40),
        ("passport_submitted", 30),
        ("copr_issued", 10),
    ],
    "refused": [
        ("ita_received", 200),
        ("application_submitted", 150),
        ("pfl_received", 60),
        ("pfl_response_submitted", 35),
        ("refused", 8),
    ],
    "closed": [("ita_received", 300), ("application_submitted", 250), ("copr_issued", 60), ("landed", 20)],
}
WP_STORY: dict[str, list[tuple[str, int]]] = {
    "documents": [("lmia_submitted", 30)],
    "filed": [
        ("lmia_submitted", 80),
        ("lmia_approved", 20),
        ("application_submitted", 10),
        ("biometrics_instruction", 8),
    ],
    "approved": [
        ("lmia_submitted", 150),
        ("lmia_approved", 90),
        ("application_submitted", 80),
        ("permit_issued", 15),
    ],
}
PNP_STORY: dict[str, list[tuple[str, int]]] = {
    "filed": [("application_submitted", 70), ("additional_docs_request", 9)],
    "approved": [("application_submitted", 160), ("nomination_received", 20)],
}
COUNTRIES = ["IN", "CN", "PH", "NG", "BR", "MX", "FR", "GB", "AE", "PK"]


def _story(case: Case) -> list[tuple[str, int]]:
    table = {"express_entry": EE_STORY, "gts": WP_STORY, "ict": WP_STORY, "pnp": PNP_STORY}.get(
        case.pathway, {}
    )
    return table.get(case.status, [])


def _record(case: Case, kind: str, on: date, user_id: int | None, *, due_on: date | None = None) -> None:
    milestone = Milestone.objects.create(case=case, kind=kind, date=on, due_on=due_on, created_by_id=user_id)
    _sync_derived(milestone=milestone)
    _close_answered(milestone=milestone)


def _family(case: Case, rng: random.Random, today: date) -> None:
    client = case.client
    if client.family_members.exists() or client.date_of_birth is None:
        return
    home = rng.choice(COUNTRIES)
    adult = date(client.date_of_birth.year + 18, 1, 1)
    ResidencePeriod.objects.create(
        firm=case.firm,
        client=client,
        country=home,
        start_date=client.date_of_birth,
        end_date=today - timedelta(days=900),
    )
    ResidencePeriod.objects.create(
        firm=case.firm,
        client=client,
        country=rng.choice([c for c in COUNTRIES if c != home]),
        start_date=max(adult, today - timedelta(days=2400)),
        end_date=today - timedelta(days=901),
    )
    if client.marital_status in ("married", "common_law"):
        spouse = FamilyMember.objects.create(
            firm=case.firm,
            client=client,
            relationship="spouse" if client.marital_status == "married" else "common_law",
            first_name=client.spouse_name.split(" ")[0] if client.spouse_name else "Sam",
            last_name=client.last_name,
            date_of_birth=client.date_of_birth + timedelta(days=rng.randint(-900, 900)),
            accompanying=client.spouse_accompanying or True,
        )
        ResidencePeriod.objects.create(
            firm=case.firm,
            client=client,
            member=spouse,
            country=home,
            start_date=spouse.date_of_birth,
            end_date=None,
        )
        if rng.random() < 0.6:
            FamilyMember.objects.create(
                firm=case.firm,
                client=client,
                relationship="child",
                first_name=rng.choice(["Maya", "Leo", "Zara", "Noah"]),
                last_name=client.last_name,
                date_of_birth=today - timedelta(days=rng.randint(400, 4000)),
            )


def _status_documents(case: Case, rng: random.Random, today: date) -> None:
    client = case.client
    if client.status_documents.exists():
        return
    StatusDocument.objects.create(
        firm=case.firm,
        client=client,
        kind="passport",
        number=f"P{rng.randint(1000000, 9999999)}",
        expires_on=today + timedelta(days=rng.randint(200, 2500)),
    )
    if case.pathway in ("express_entry", "gts", "ict"):
        expires = today + timedelta(days=rng.choice([25, 80, 115, 300]))
        StatusDocument.objects.create(
            firm=case.firm,
            client=client,
            kind="work_permit",
            number=f"U{rng.randint(10000000, 99999999)}",
            issued_on=expires - timedelta(days=730),
            expires_on=expires,
            extension_applied_on=today - timedelta(days=5) if rng.random() < 0.3 else None,
        )


@transaction.atomic
def seed_lifecycle(firm: Firm, *, today: date | None = None, seed: int = 20261201) -> int:
    """Add the lifecycle to the firm's cases; returns how many cases got milestones."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    touched = 0
    clients: set[int] = set()
    for case in Case.objects.filter(firm=firm).select_related("client").order_by("pk"):
        if case.milestones.exists():
            continue
        story = _story(case)
        for kind, days in story:
            due = today + timedelta(days=10) if kind in ("additional_docs_request", "ppr_received") else None
            _record(case, kind, today - timedelta(days=days), case.assigned_lawyer_id, due_on=due)
        if case.pathway == "express_entry" and case.status in (
            "filed",
            "decision_pending",
            "approved",
            "closed",
        ):
            case.ircc_application_number = f"E{rng.randint(100000000, 999999999)}"
            case.save(update_fields=["ircc_application_number"])
        if case.pathway in ("gts", "ict") and case.status in ("filed", "approved"):
            case.work_permit_application_number = f"W{rng.randint(100000000, 999999999)}"
            case.esdc_file_number = str(rng.randint(1000000, 9999999))
            case.save(update_fields=["work_permit_application_number", "esdc_file_number"])
        if case.pathway in ("express_entry", "gts") and case.status in (
            "intake",
            "assessment",
            "documents",
            "ready_to_file",
        ):
            _family(case, rng, today)
            # The family checklist replaces the generic seeded one (requested, never uploaded).
            Document.objects.filter(case=case, checklist_key__startswith="seed:", status="requested").delete()
            clients.add(case.client_id)
        _status_documents(case, rng, today)
        touched += bool(story)
    staff = list(Membership.objects.filter(firm=firm, is_active=True).select_related("user"))
    cases = list(
        Case.objects.filter(firm=firm, status__in=["documents", "ready_to_file", "filed"]).order_by("pk")[:12]
    )
    if staff and cases and not Task.objects.filter(firm=firm).exists():
        titles = [
            "Order the FBI police certificate",
            "Review reference letters",
            "Book the medical exam",
            "Prepare the e-APR forms",
            "Call the employer about the LMIA",
            "Check proof of funds statements",
        ]
        for i, case in enumerate(cases):
            member = staff[i % len(staff)]
            Task.objects.create(
                firm=firm,
                case=case,
                title=titles[i % len(titles)],
                assignee=member.user,
                due_on=today + timedelta(days=(i % 5) - 2),
                created_by=case.assigned_lawyer,
            )
    for client_id in clients:
        client_facts_changed(client_id=client_id)
    return touched
