"""Thin Celery tasks for pathway assessments: they take ids and call a service; both are idempotent
(a re-run with unchanged facts writes nothing new)."""

from __future__ import annotations

import logging

from celery import shared_task

from firm.errors import ApplicationError
from pathways import services

logger = logging.getLogger(__name__)


@shared_task(name="pathways.tasks.case_assess_task", acks_late=True, ignore_result=True)
def case_assess_task(case_id: int) -> None:
    """Assess one case (on `cases.events.case_changed`, see pathways/receivers.py)."""
    try:
        services.case_assess(case_id=case_id)
    except ApplicationError as exc:  # deleted case or invalid facts JSON: retrying cannot help
        logger.warning("case %s not assessed: %s %s", case_id, exc.message, exc.fields)


@shared_task(name="pathways.tasks.client_cases_assess_task", acks_late=True, ignore_result=True)
def client_cases_assess_task(client_id: int) -> None:
    """Re-assess a client's open cases (chained after the score recompute, see pathways/receivers.py)."""
    services.client_cases_assess(client_id=client_id)


@shared_task(name="pathways.tasks.client_refresh_task", acks_late=True, ignore_result=True)
def client_refresh_task(client_id: int) -> None:
    """Score, then assessments, of a client whose facts changed; clears the mark (pathways.refresh)."""
    from pathways.refresh import client_refresh

    client_refresh(client_id=client_id)


@shared_task(name="pathways.tasks.clients_refresh_sweep_task", acks_late=True, ignore_result=True)
def clients_refresh_sweep_task() -> int:
    """Beat: re-enqueue clients whose refresh was lost (a killed worker) or is late."""
    from pathways.refresh import clients_refresh_due

    ids = clients_refresh_due()
    for client_id in ids:
        client_refresh_task.delay(client_id)
    if ids:
        logger.info("refresh sweep re-enqueued %d clients", len(ids))
    return len(ids)
