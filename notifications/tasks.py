"""Celery tasks of the outbox. Thin: ids in, a service call. The send task claims its row, so a
duplicate delivery of the message cannot send twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from notifications import services


@shared_task(bind=True, name="notifications.tasks.notification_send_task", acks_late=True, ignore_result=True)
def notification_send_task(self: Any, notification_id: int) -> str:
    outcome = services.notification_send(notification_id=notification_id)
    if outcome.retry_in is not None:
        countdown = min(outcome.retry_in, settings.NOTIFICATION_RETRY_BACKOFF_MAX)
        # max_retries=None: the row's attempts counter (NOTIFICATION_MAX_ATTEMPTS) is the cap
        raise self.retry(countdown=countdown, max_retries=None)
    return outcome.status


@shared_task(name="notifications.tasks.notifications_dispatch_task", acks_late=True, ignore_result=True)
def notifications_dispatch_task(notification_ids: list[int]) -> int:
    """Fan out send tasks for a large batch (a draw flagging thousands of clients)."""
    for notification_id in notification_ids:
        services.enqueue(notification_send_task, notification_id)
    return len(notification_ids)


@shared_task(name="notifications.tasks.notifications_sweep_task", acks_late=True, ignore_result=True)
def notifications_sweep_task() -> dict[str, int]:
    """Beat: re-enqueue pending rows whose task was lost; report stuck rows."""
    return services.notifications_sweep()
