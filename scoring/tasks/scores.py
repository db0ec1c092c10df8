"""Tasks that keep stored CRS scores current (thin: they take ids and call scoring.services.scores)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings


@shared_task(name="scoring.tasks.client_recompute_task", acks_late=True, ignore_result=True)
def client_recompute_task(client_id: int) -> None:
    from scoring.services.scores import client_recompute

    client_recompute(client_id=client_id)


@shared_task(name="scoring.tasks.scores_recompute_batch_task", acks_late=True, ignore_result=True)
def scores_recompute_batch_task(client_ids: list[int], today: str) -> None:
    """Recompute one batch of clients on ``today`` (ISO date). Idempotent."""
    from scoring.services.scores import recompute_clients

    recompute_clients(client_ids, as_of=date.fromisoformat(today))


@shared_task(name="scoring.tasks.scores_recompute_due_task", acks_late=True, ignore_result=True)
def scores_recompute_due_task() -> None:
    """The nightly recompute. With a real broker the due clients are split into batch tasks so that
    several workers share the work; in the embedded mode (eager tasks) it runs in-process."""
    from scoring.services.scores import (
        DEFAULT_BATCH_SIZE,
        local_today,
        scores_due_client_ids,
        scores_recompute_due,
    )

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        scores_recompute_due()
        return
    today = local_today()
    ids = scores_due_client_ids(today=today)
    for i in range(0, len(ids), DEFAULT_BATCH_SIZE):
        scores_recompute_batch_task.delay(ids[i : i + DEFAULT_BATCH_SIZE], today.isoformat())
