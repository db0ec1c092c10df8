"""Thin Celery tasks of integrations: send one webhook delivery, sweep the outbox, due-soon deadlines."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="integrations.tasks.webhook_delivery_send_task", acks_late=True, ignore_result=True)
def webhook_delivery_send_task(delivery_id: int) -> str:
    from integrations.services.webhooks import delivery_send

    return delivery_send(delivery_id=delivery_id)


@shared_task(name="integrations.tasks.webhooks_sweep_task", acks_late=True, ignore_result=True)
def webhooks_sweep_task() -> dict:
    from integrations.services.webhooks import deliveries_sweep

    return deliveries_sweep()


@shared_task(name="integrations.tasks.deadlines_due_soon_task", acks_late=True, ignore_result=True)
def deadlines_due_soon_task() -> int:
    from integrations.services.deadlines import deadlines_due_soon_publish

    return deadlines_due_soon_publish()
