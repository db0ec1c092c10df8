"""Celery task that recomputes stored ITA outlooks (thin: calls scoring.services.outlook)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="scoring.tasks.outlooks_recompute_task", acks_late=True, ignore_result=True)
def outlooks_recompute_task(client_ids: list[int] | None = None) -> int:
    """All clients (after a new round) or the given ones (after a score change). Idempotent."""
    from scoring.services.outlook import outlooks_recompute

    return outlooks_recompute(client_ids=client_ids)
