"""Tasks that keep stored CRS scores current (thin: they take ids and call scoring.services.scores)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings

from scoring.services import scores


@shared_task(name="scoring.tasks.client_recompute_task", acks_late=True, ignore_result=True)
def client_recompute_task(client_id: int) -> None:
    scores.client_recompute(client_id=client_id)


@shared_task(name="scoring.tasks.scores_recompute_batch_task", acks_late=True, ignore_result=True)
def scores_recompute_batch_task(client_ids: list[int], today: str) -> None:
    """Recompute one batch of clients on ``today`` (ISO date). Idempotent."""
    scores.recompute_clients(client_ids, as_of=date.fromisoformat(today))


@shared_task(name="scoring.tasks.scores_recompute_due_task", acks_late=True, ignore_result=True)
def scores_recompute_due_task() -> None:
    """The nightly recompute. With a real broker the due clients are split into batch tasks so that
    several workers share the work; in the embedded mode (eager tasks) it runs in-process."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        scores.scores_recompute_due()
        return
    today = scores.local_today()
    ids = scores.scores_due_client_ids(today=today)
    for i in range(0, len(ids), scores.DEFAULT_BATCH_SIZE):
        scores_recompute_batch_task.delay(ids[i : i + scores.DEFAULT_BATCH_SIZE], today.isoformat())
