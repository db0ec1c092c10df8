"""Thin Celery tasks for pathway assessments."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def case_assess_task(case_id: int) -> None:
    from pathways.services import case_assess

    case_assess(case_id=case_id)
