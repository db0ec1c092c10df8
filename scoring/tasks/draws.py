"""Celery tasks for Express Entry draws. Thin: ids in, a service call.

Every task is idempotent. Retries are for transient errors only (the feed's network fetch), with an
exponential backoff capped well below the Redis visibility timeout (see reliability notes in
docs/draws.md).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from scoring.draws import FeedFormatError
from scoring.services import draws as draw_services
from scoring.services import flagging

logger = logging.getLogger(__name__)

__all__ = [
    "draw_flag_task",
    "draws_flag_pending_task",
    "draws_sync_task",
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
    try:
        report = draw_services.draws_sync(url=url, path=path, snapshot=snapshot, flag="enqueue")
    except draw_services.DrawFeedUnavailable as exc:
        raise FeedFetchFailed(str(exc)) from exc
    except FeedFormatError as exc:
        logger.error("draw sync: the feed is unreadable, not retried: %s", exc)
        return {"error": str(exc)}
    return report.as_dict()


@shared_task(name="scoring.tasks.draw_flag_task", acks_late=True, ignore_result=True)
def draw_flag_task(draw_id: int, force: bool = False) -> str:
    return flagging.draw_flag(draw_id=draw_id, force=force).summary()


@shared_task(name="scoring.tasks.draws_flag_pending_task", acks_late=True, ignore_result=True)
def draws_flag_pending_task() -> int:
    """Beat: flag recent draws whose flagging was lost (a task dropped, the broker down)."""
    return len(flagging.draws_flag_pending())
