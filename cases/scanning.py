"""Virus scanning of uploaded documents (optional: on when settings.CLAMAV_URL is set).

An upload with scanning on is stored with status `scanning`: it cannot be downloaded or reviewed.
`document_scan` (run by `cases.tasks.document_scan_task`) streams the stored file to clamd; a clean
file becomes `uploaded`, an infected one `quarantined` (kept for the firm's records, never served),
with the signature in the audit log. When clamd is unreachable the task retries; the document stays
`scanning` and the `maplecase_documents_scanning` gauge shows the backlog.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cases import events
from cases.clamav import ClamdClient, ScanResult
from cases.constants import DocumentStatus
from cases.models import Document
from firm.scoping import SYSTEM
from firm.services import audit_record


def scanning_enabled() -> bool:
    return bool(getattr(settings, "CLAMAV_URL", ""))


def scan_after_commit(document_id: int) -> None:
    """Ask for the scan once the upload's transaction has committed (cases.receivers enqueues the task)."""
    transaction.on_commit(
        lambda: events.document_scan_requested.send(sender=Document, document_id=document_id)
    )


def document_scan(*, document_id: int) -> str:
    """Scan one document; returns what happened (`clean`, `quarantined`, `skipped`)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.SCANNING or not document.file:
        return "skipped"
    name = document.file.name
    client = ClamdClient.from_url(settings.CLAMAV_URL, timeout=settings.CLAMAV_TIMEOUT)
    with document.file.open("rb") as handle:
        result = client.scan(handle)
    return _record(document_id=document_id, name=name, result=result)


@transaction.atomic
def _record(*, document_id: int, name: str, result: ScanResult) -> str:
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.SCANNING or document.file.name != name:
        return "skipped"  # replaced or deleted while it was being scanned: that upload has its own scan
    document.status = DocumentStatus.UPLOADED if result.clean else DocumentStatus.QUARANTINED
    document.save(update_fields=["status"])
    audit_record(
        actor=SYSTEM,
        action="scan_clean" if result.clean else "quarantine",
        obj=document,
        client=document.case.client,
        firm_id=document.firm_id,
        changes={"sha256": document.sha256, **({} if result.clean else {"signature": result.signature})},
    )
    return "clean" if result.clean else "quarantined"
