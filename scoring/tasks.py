"""Thin Celery tasks: they take ids and call a service. Every task here is idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def client_recompute_task(client_id: int) -> None:
    from scoring.services.scores import client_recompute

    client_recompute(client_id=client_id)
