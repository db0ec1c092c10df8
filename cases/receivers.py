"""What the cases app does on its own events (connected in CasesConfig.ready): enqueue the virus scan of an
uploaded document (cases.events.document_scan_requested -> cases.tasks.document_scan_task)."""

from __future__ import annotations

from typing import Any

from cases import events, tasks


def on_document_scan_requested(sender: Any, *, document_id: int, **kwargs: Any) -> None:
    tasks.document_scan_task.delay(document_id)


def connect() -> None:
    events.document_scan_requested.connect(
        on_document_scan_requested, dispatch_uid="cases-document-scan-requested", weak=False
    )
