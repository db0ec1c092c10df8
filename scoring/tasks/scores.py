"""Tasks that keep stored CRS scores current."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="scoring.tasks.client_recompute_task", acks_late=True, ignore_result=True)
def client_recompute_task(client_id: int) -> None:
    from scoring.services.scores import client_recompute

    client_recompute(client_id=client_id)


@shared_task(name="scoring.tasks.scores_recompute_due_task", acks_late=True, ignore_result=True)
def scores_recompute_due_task() -> None:
    from scoring.services.scores import scores_recompute_due

    scores_recompute_due()
