"""Every client whose facts changed gets their score and assessments, even when a worker dies mid-task.

`firm.services.client_facts_changed` sets `Client.facts_changed_at` in the transaction of the change and
enqueues `client_refresh_task` after commit. `client_refresh` recomputes the CRS score and eligibility,
then the assessments of the client's open cases (the score is one of their inputs), and clears the mark
if no newer change arrived meanwhile. A task lost with its worker (SIGKILL: the message waits in Redis
for the broker's one-hour visibility timeout) is re-enqueued by `clients_refresh_sweep`, a beat task
every `CLIENT_REFRESH_SWEEP_INTERVAL_SECONDS` (120) over clients marked longer than
`CLIENT_REFRESH_SWEEP_AFTER_SECONDS` (300): at most ~7 minutes plus the work itself. Refreshes of one
client are serialised by a PostgreSQL advisory lock; running one twice is harmless (idempotent).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from firm.models import Client

REFRESH_LOCK_NAMESPACE = 0x4D43  # "MC": advisory-lock namespace of client refreshes
SWEEP_BATCH = 500


def _lock(client_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REFRESH_LOCK_NAMESPACE, client_id])


def client_refresh(*, client_id: int) -> bool:
    """Recompute the client's score and assessments; clear the "facts changed" mark. False if the client
    no longer exists."""
    from pathways.services import client_cases_assess
    from scoring.services.scores import client_recompute

    with transaction.atomic():
        _lock(client_id)
        row = Client.objects.filter(pk=client_id).values_list("facts_changed_at", flat=True)
        if not row.exists():
            return False
        changed_at = row.first()
        client_recompute(client_id=client_id)
        client_cases_assess(client_id=client_id)
        if changed_at is not None:
            Client.objects.filter(pk=client_id, facts_changed_at=changed_at).update(facts_changed_at=None)
    return True


def clients_refresh_due(*, older_than_seconds: int | None = None) -> list[int]:
    """Clients marked "facts changed" for longer than the sweep delay (their task was lost or is late)."""
    delay = settings.CLIENT_REFRESH_SWEEP_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - timedelta(seconds=delay)
    return list(
        Client.objects.filter(facts_changed_at__lte=cutoff)
        .order_by("facts_changed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
