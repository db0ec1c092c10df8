"""Thin Celery tasks for cases: nightly document expiry and the weekly client reminders."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from cases import notifications, reminders, scanning, services
from cases.clamav import ScannerError


@shared_task(name="cases.tasks.documents_expire_task", acks_late=True, ignore_result=True)
def documents_expire_task() -> int:
    return services.documents_expire(today=timezone.localdate())


@shared_task(name="cases.tasks.client_reminders_task", acks_late=True, ignore_result=True)
def client_reminders_task() -> int:
    return notifications.client_reminders_queue()


@shared_task(name="cases.tasks.staff_digests_task", acks_late=True, ignore_result=True)
def staff_digests_task() -> int:
    return reminders.staff_digests_queue()


@shared_task(name="cases.tasks.status_expiry_reminders_task", acks_late=True, ignore_result=True)
def status_expiry_reminders_task() -> int:
    return reminders.status_expiry_reminders_queue()


@shared_task(
    name="cases.tasks.document_scan_task",
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=12,
)
def document_scan_task(self, document_id: int) -> str:
    """Virus-scan an uploaded document (cases.scanning); retried with back-off while clamd is away."""
    try:
        return scanning.document_scan(document_id=document_id)
    except ScannerError as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 600)) from exc
