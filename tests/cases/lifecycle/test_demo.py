"""The demo's lifecycle: milestones matching each case's status (deadlines open and closed), families,
status documents and tasks; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.demo import seed_lifecycle
from cases.models import Case, Deadline, Milestone, Task
from firm.models import FamilyMember, StatusDocument

pytestmark = pytest.mark.django_db


def test_seed_lifecycle_tells_a_believable_story_once(world):
    world.client.spouse_name = "Arjun Sharma"
    world.client.save()
    world.case.status = "documents"
    world.case.save()
    filed = Case.objects.create(
        firm=world.firm,
        client=world.client,
        pathway="express_entry",
        status="decision_pending",
        assigned_lawyer=world.lawyer,
    )
    today = timezone.localdate()
    assert seed_lifecycle(world.firm, today=today) == 2
    ita = Deadline.objects.get(case=world.case, kind="ee_apr_due")
    assert not ita.done and ita.due_on > today
    assert Deadline.objects.get(case=filed, kind="ee_apr_due").done
    assert Deadline.objects.get(case=filed, kind="passport_due").due_on > today
    assert list(filed.milestones.values_list("kind", flat=True))[-1] == "ppr_received"
    assert filed.ircc_application_number.startswith("E") or Case.objects.get(
        pk=filed.pk
    ).ircc_application_number.startswith("E")
    assert FamilyMember.objects.filter(
        client=world.client, relationship="spouse", first_name="Arjun"
    ).exists()
    assert StatusDocument.objects.filter(client=world.client, kind="passport").exists()
    assert Task.objects.filter(firm=world.firm).exists()
    counts = (
        Milestone.objects.count(),
        Deadline.objects.count(),
        Task.objects.count(),
        FamilyMember.objects.count(),
    )
    assert seed_lifecycle(world.firm, today=today) == 0
    assert (
        Milestone.objects.count(),
        Deadline.objects.count(),
        Task.objects.count(),
        FamilyMember.objects.count(),
    ) == counts
