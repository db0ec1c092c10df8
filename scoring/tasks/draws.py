"""Celery tasks for Express Entry draws and the notification outbox. Thin: ids in, a service call.

Every task is idempotent. Retries are for transient errors only (the feed's network fetch), with an
exponential backoff capped well below the Redis visibility timeout (see reliability notes in
docs/draws.md). The send task claims its row, so a duplicate delivery of the message cannot send twice.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

__all__ = [
    "draw_flag_task",
    "draws_sync_task",
    "notification_send_task",
    "notifications_dispatch_task",
    "notifications_sweep_task",
]


class FeedFetchFailed(Exception):
    """draws_sync_task re-raises DrawFeedUnavailable as this (importable without Django models), so that
    autoretry_for can name it."""


@shared_task(
    name="scoring.tasks.draws_sync_task",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(FeedFetchFailed,),
    retry_backoff=30,
    retry_backoff_max=600,  # << visibility_timeout (3600 s)
    retry_jitter=True,
    max_retries=5,
)
def draws_sync_task(
    *, url: str | None = None, path: str | None = None, snapshot: bool = False
) -> dict[str, Any]:
    """Sync IRCC's feed (settings.IRCC_DRAWS_FEED_URL unless told otherwise). A network failure is
    retried with backoff; an unreadable feed is logged and not retried (retrying will not fix it)."""
    import logging

    from scoring.draws import FeedFormatError
    from scoring.services.draws import DrawFeedUnavailable, draws_sync

    try:
        report = draws_sync(url=url, path=path, snapshot=snapshot, flag="enqueue")
    except DrawFeedUnavailable as exc:
        raise FeedFetchFailed(str(exc)) from exc
    except FeedFormatError as exc:
        logging.getLogger(__name__).error("draw sync: the feed is unreadable, not retried: %s", exc)
        return {"error": str(exc)}
    return report.as_dict()


@shared_task(name="scoring.tasks.draw_flag_task", acks_late=True, ignore_result=True)
def draw_flag_task(draw_id: int, force: bool = False) -> str:
    from scoring.services.draws import draw_flag

    return draw_flag(draw_id=draw_id, force=force).summary()


@shared_task(bind=True, name="scoring.tasks.notification_send_task", acks_late=True, ignore_result=True)
def notification_send_task(self: Any, notification_id: int) -> str:
    from scoring.services.notifications import notification_send

    outcome = notification_send(notification_id=notification_id)
    if outcome.retry_in is not None:
        countdown = min(outcome.retry_in, settings.NOTIFICATION_RETRY_BACKOFF_MAX)
        # max_retries=None: the row's attempts counter (NOTIFICATION_MAX_ATTEMPTS) is the cap
        raise self.retry(countdown=countdown, max_retries=None)
    return outcome.status


@shared_task(name="scoring.tasks.notifications_dispatch_task", acks_late=True, ignore_result=True)
def notifications_dispatch_task(notification_ids: list[int]) -> int:
    """Fan out send tasks for a large batch (a draw flagging thousands of clients)."""
    from scoring.services.draws import enqueue

    for notification_id in notification_ids:
        enqueue(notification_send_task, notification_id)
    return len(notification_ids)


@shared_task(name="scoring.tasks.notifications_sweep_task", acks_late=True, ignore_result=True)
def notifications_sweep_task() -> dict[str, int]:
    """Beat: re-enqueue pending rows whose task was lost; catch up lost flagging; report stuck rows."""
    from scoring.services.notifications import notifications_sweep

    return notifications_sweep()
