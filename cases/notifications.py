"""Client emails about their own file, through the notification outbox (at most once, none lost).

* A status change writes a `case_status` Notification in the transition's transaction.
* A weekly reminder lists the documents still requested or expiring soon and the deadlines coming up,
  one row per client per ISO week (the dedupe key makes re-running the task harmless).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from cases.constants import (
    INTERNAL_DEADLINE_KINDS,
    NEXT_STEP,
    OPEN_STATUSES,
    CaseStatus,
    DocumentKind,
    DocumentStatus,
    Pathway,
)
from cases.models import Case, Deadline, Document
from firm.models import Client
from notifications.models import Notification
from notifications.services import notifications_enqueue

REMINDER_DOCUMENT_WINDOW_DAYS = 30
REMINDER_DEADLINE_WINDOW_DAYS = 14


def _client_notification(*, client: Client, kind: str, dedupe_key: str, payload: dict) -> Notification | None:
    if not client.email:
        return None
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "firm_id": client.firm_id,
            "kind": kind,
            "recipient_email": client.email,
            "recipient_user_id": client.portal_user_id,
            "client": client,
            "language": client.preferred_language or "en",
            "payload": payload,
            "created_at": timezone.now(),
        },
    )
    if created:
        transaction.on_commit(lambda: notifications_enqueue([notification.pk]))
    return notification


def _source_text(message: object) -> str:
    """The English source of a lazy translatable text: the payload keeps it, and the email template
    translates it into the client's language when the notification is sent."""
    with translation.override(None):
        return str(message)


def case_status_changed(*, case: Case, previous: str) -> Notification | None:
    """Queue the client's email about a status change (called inside the transition's transaction)."""
    change = case.status_changes.order_by("-pk").values_list("pk", flat=True).first()
    return _client_notification(
        client=case.client,
        kind=Notification.Kind.CASE_STATUS,
        dedupe_key=f"case:{case.pk}:status-change:{change}",
        payload={
            "case_id": case.pk,
            "pathway": _source_text(dict(Pathway.choices).get(case.pathway, case.pathway)),
            "status": case.status,
            "status_label": _source_text(dict(CaseStatus.choices).get(case.status, case.status)),
            "previous": previous,
            "next_step": _source_text(NEXT_STEP.get(case.status, "")),
        },
    )


def client_reminders_queue(*, today: date | None = None) -> int:
    """Queue this week's reminder for every client who has something to do. Returns rows created."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    doc_horizon = today + timedelta(days=REMINDER_DOCUMENT_WINDOW_DAYS)
    deadline_horizon = today + timedelta(days=REMINDER_DEADLINE_WINDOW_DAYS)
    documents = (
        Document.objects.filter(case__status__in=OPEN_STATUSES, case__client__email__gt="")
        .filter(
            Q(status=DocumentStatus.REQUESTED)
            | Q(status=DocumentStatus.REJECTED)
            | Q(status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED], expires_on__lte=doc_horizon)
        )
        .values("case__client_id", "label", "kind", "status", "expires_on", "rejection_reason")
        .order_by("case__client_id", "pk")
    )
    deadlines = (
        Deadline.objects.exclude(kind__in=INTERNAL_DEADLINE_KINDS)
        .filter(
            done=False,
            due_on__lte=deadline_horizon,
            case__status__in=OPEN_STATUSES,
            case__client__email__gt="",
        )
        .values("case__client_id", "label", "due_on")
        .order_by("case__client_id", "due_on")
    )
    docs_by_client: dict[int, list[dict]] = defaultdict(list)
    for doc in documents:
        docs_by_client[doc["case__client_id"]].append(
            {
                "label": doc["label"]
                or _source_text(dict(DocumentKind.choices).get(doc["kind"], doc["kind"])),
                "status": doc["status"],
                "expires_on": doc["expires_on"].isoformat() if doc["expires_on"] else None,
                "rejection_reason": doc["rejection_reason"],
            }
        )
    deadlines_by_client: dict[int, list[dict]] = defaultdict(list)
    for item in deadlines:
        deadlines_by_client[item["case__client_id"]].append(
            {"label": item["label"], "due_on": item["due_on"].isoformat(), "overdue": item["due_on"] < today}
        )
    client_ids = set(docs_by_client) | set(deadlines_by_client)
    created = 0
    for client in Client.objects.filter(pk__in=client_ids).exclude(status="closed").iterator():
        with transaction.atomic():
            before = Notification.objects.filter(
                dedupe_key__startswith=f"reminder:client:{client.pk}:"
            ).count()
            _client_notification(
                client=client,
                kind=Notification.Kind.CLIENT_REMINDER,
                dedupe_key=f"reminder:client:{client.pk}:{year}-W{week:02d}",
                payload={
                    "documents": docs_by_client.get(client.pk, []),
                    "deadlines": deadlines_by_client.get(client.pk, []),
                    "week": f"{year}-W{week:02d}",
                },
            )
            created += (
                Notification.objects.filter(dedupe_key__startswith=f"reminder:client:{client.pk}:").count()
                - before
            )
    return created
