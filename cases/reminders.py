"""Staff emails of the lifecycle, through the notification outbox (one row per purpose, never twice):

* the morning digest: each staff member's open tasks due today or overdue, and the open deadlines of
  their cases in the next 7 days (`staff_digests_queue`, daily);
* status expiry: a permit, visitor record, passport or PR card of a person of the file nears its expiry;
  the client's lawyer is told once per lead time of the firm (`Firm.status_reminder_days`, default
  120, 90 and 30 days), with whether an extension keeps the person on maintained status.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.constants import OPEN_STATUSES
from cases.models import Deadline, Task
from firm.models import Membership, StatusDocument
from notifications.models import Notification
from notifications.services import notifications_enqueue

DEFAULT_STATUS_REMINDER_DAYS = (120, 90, 30)
DIGEST_DEADLINE_DAYS = 7


def _queue(*, firm_id: int, user, kind: str, dedupe_key: str, payload: dict) -> bool:
    if not user.email:
        return False
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "firm_id": firm_id,
            "kind": kind,
            "recipient_email": user.email,
            "recipient_user": user,
            "language": user.preferred_language or "en",
            "payload": payload,
            "created_at": timezone.now(),
        },
    )
    if created:
        transaction.on_commit(lambda: notifications_enqueue([notification.pk]))
    return created


def _url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def staff_digests_queue(*, today: date | None = None) -> int:
    """Queue today's digest for every active staff member with something due. Returns rows created."""
    today = today or timezone.localdate()
    tasks = defaultdict(list)
    for t in Task.objects.filter(done=False, due_on__lte=today).select_related("case", "case__client"):
        tasks[t.assignee_id].append(
            {
                "title": t.title,
                "due_on": t.due_on.isoformat(),
                "overdue": t.due_on < today,
                "client": t.case.client.full_name if t.case_id else "",
            }
        )
    deadlines = defaultdict(list)
    for d in Deadline.objects.filter(
        done=False,
        due_on__lte=today + timedelta(days=DIGEST_DEADLINE_DAYS),
        case__status__in=OPEN_STATUSES,
        case__assigned_lawyer__isnull=False,
    ).select_related("case", "case__client"):
        deadlines[d.case.assigned_lawyer_id].append(
            {
                "label": d.label,
                "due_on": d.due_on.isoformat(),
                "overdue": d.due_on < today,
                "client": d.case.client.full_name,
                "url": _url(reverse("case-detail", args=[d.case_id])),
            }
        )
    created = 0
    members = Membership.objects.filter(is_active=True, user__is_active=True).select_related("user")
    for m in members.filter(user_id__in=set(tasks) | set(deadlines)):
        with transaction.atomic():
            created += _queue(
                firm_id=m.firm_id,
                user=m.user,
                kind=Notification.Kind.STAFF_DIGEST,
                dedupe_key=f"staff-digest:{m.user_id}:{today.isoformat()}",
                payload={
                    "date": today.isoformat(),
                    "tasks": tasks.get(m.user_id, []),
                    "deadlines": deadlines.get(m.user_id, []),
                    "url": _url(reverse("home")),
                },
            )
    return created


def _bracket(days_left: int, leads: list[int]) -> int | None:
    """The smallest lead time that `days_left` falls within (None when it is beyond all of them)."""
    within = [lead for lead in sorted(leads) if days_left <= lead]
    return within[0] if within else None


def status_expiry_reminders_queue(*, today: date | None = None) -> int:
    """Tell the client's lawyer (else the firm's admins) about status documents nearing expiry."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(DEFAULT_STATUS_REMINDER_DAYS) + 365)
    docs = StatusDocument.objects.filter(expires_on__gte=today, expires_on__lte=horizon).select_related(
        "client", "client__assigned_lawyer", "member", "firm"
    )
    created = 0
    for doc in docs.filter(client__status__in=["prospect", "active"]):
        leads = [int(x) for x in (doc.firm.status_reminder_days or DEFAULT_STATUS_REMINDER_DAYS)]
        days_left = (doc.expires_on - today).days
        lead = _bracket(days_left, leads)
        if lead is None:
            continue
        lawyer = doc.client.assigned_lawyer
        recipients = (
            [lawyer]
            if lawyer is not None
            else [
                m.user for m in Membership.objects.filter(firm_id=doc.firm_id, role="admin", is_active=True)
            ]
        )
        payload = {
            "kind": doc.kind,
            "kind_label": str(doc.get_kind_display()),
            "person": doc.member.full_name if doc.member_id else doc.client.full_name,
            "client": doc.client.full_name,
            "expires_on": doc.expires_on.isoformat(),
            "days_left": days_left,
            "extension_applied_on": doc.extension_applied_on.isoformat()
            if doc.extension_applied_on
            else None,
            "url": _url(reverse("client-detail", args=[doc.client_id])),
        }
        for user in recipients:
            with transaction.atomic():
                created += _queue(
                    firm_id=doc.firm_id,
                    user=user,
                    kind=Notification.Kind.STATUS_EXPIRY,
                    dedupe_key=f"status-expiry:{doc.pk}:{doc.expires_on.isoformat()}:{lead}:{user.pk}",
                    payload=payload,
                )
    return created
