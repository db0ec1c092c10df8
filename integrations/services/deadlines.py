"""`deadline.due_soon`: one event per open deadline entering the window (daily task, deduplicated)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from firm.events import Event, publish_many


def deadlines_due_soon_publish(*, today: date | None = None) -> int:
    """Announce open deadlines due within WEBHOOK_DEADLINE_DAYS. Safe to run any number of times: the
    dedupe key (deadline and due date) records each once; a moved due date announces again."""
    from cases.constants import OPEN_STATUSES
    from cases.models import Deadline

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.WEBHOOK_DEADLINE_DAYS)
    rows = (
        Deadline.objects.filter(
            done=False, due_on__gte=today, due_on__lte=horizon, case__status__in=OPEN_STATUSES
        )
        .values_list("pk", "case_id", "case__client_id", "case__firm_id", "kind", "due_on")
        .order_by("due_on", "pk")
    )
    events = [
        Event(
            type="deadline.due_soon",
            firm_id=firm_id,
            data={
                "deadline_id": pk,
                "case_id": case_id,
                "client_id": client_id,
                "kind": kind,
                "due_on": due_on.isoformat(),
                "days_left": (due_on - today).days,
            },
            dedupe_key=f"deadline.due_soon:{pk}:{due_on.isoformat()}",
        )
        for pk, case_id, client_id, firm_id, kind, due_on in rows.iterator()
    ]
    with transaction.atomic():
        publish_many(events)
    return len(events)
