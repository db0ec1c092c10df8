"""Webhook endpoints and the webhook outbox: events out, signed the Standard Webhooks way.

Writing: `events_record` receives `firm.events.event_published` inside the transaction of the change
and writes one `WebhookEvent` and one `WebhookDelivery` per subscribed active endpoint (the outbox rows,
in that transaction); the send tasks are enqueued after commit.

Sending (`delivery_send`), at least once:
* claim with a conditional UPDATE pending -> sending (0 rows: someone else has it, it is not due, or it
  is done: exit);
* check the URL again (ssrf.py) and POST to the checked address with `webhook-id` (the delivery's
  message id, the same on every retry), `webhook-timestamp` and `webhook-signature`;
* a 2xx answer: delivered. Anything else (status, refused URL, connection error, timeout): back to
  pending with an exponential backoff (30 s doubling, capped at WEBHOOK_RETRY_BACKOFF_MAX) until
  `retry_until` (a day after the event), then failed. Every request is logged (`WebhookAttempt`).
* An endpoint failing without a single success for WEBHOOK_DISABLE_AFTER_SECONDS (a day) is disabled
  and the firm's admins are emailed.
* A worker killed mid-request leaves the row in `sending`: the sweeper puts rows claimed longer ago than
  WEBHOOK_SENDING_LEASE_SECONDS back to pending and sends them again (receivers dedupe on webhook-id).
  The sweeper also re-enqueues pending rows that are due (a lost enqueue, a retry longer than the
  broker's visibility timeout).
"""

from __future__ import annotations

import json
import logging
import random
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from firm.errors import ApplicationError, NotFoundError, PermissionDeniedError
from firm.events import EVENT_TYPES, Event
from firm.models import Membership
from firm.scoping import Actor
from firm.services import audit_record
from integrations import signatures, ssrf
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from notifications.models import Notification
from notifications.services import NothingToSend, enqueue, notifications_enqueue

logger = logging.getLogger(__name__)

EDITABLE = ("url", "description", "event_types", "is_active")


def _require(actor: Actor) -> None:
    if not actor.can("integrations.manage") or actor.firm_id is None:
        raise PermissionDeniedError()


def url_check(url: str) -> ssrf.Target:
    return ssrf.check_url(url, allow_local=settings.WEBHOOK_ALLOW_LOCAL)


def _validate(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "url" in data:
        try:
            url_check(str(data["url"] or ""))
        except ssrf.UnsafeURL as exc:
            errors["url"] = str(exc)
    if "event_types" in data:
        types = data["event_types"]
        if not isinstance(types, list) or not types:
            errors["event_types"] = _("Choose at least one event.")
        elif set(types) - set(EVENT_TYPES):
            errors["event_types"] = _("Unknown events: %(names)s.") % {
                "names": ", ".join(sorted(set(map(str, types)) - set(EVENT_TYPES)))
            }
    if errors:
        raise ApplicationError("Invalid endpoint.", fields=errors)


@transaction.atomic
def endpoint_create(
    *, actor: Actor, url: str, event_types: list[str], description: str = "", is_active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its `whsec_` secret (shown once)."""
    _require(actor)
    _validate({"url": url, "event_types": event_types})
    secret = signatures.new_whsec()
    endpoint = WebhookEndpoint.objects.create(
        firm_id=actor.firm_id,
        url=url,
        description=description[:200],
        event_types=sorted(set(event_types)),
        is_active=is_active,
        secret=secret,
        created_by_id=actor.user_id,
    )
    audit_record(actor=actor, action="create", obj=endpoint, changes={"url": url, "events": event_types})
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, actor: Actor, endpoint: WebhookEndpoint, data: dict[str, Any]) -> WebhookEndpoint:
    _require(actor)
    data = {k: v for k, v in data.items() if k in EDITABLE}
    _validate(data)
    if "event_types" in data:
        data["event_types"] = sorted(set(data["event_types"]))
    if data.get("is_active") and not endpoint.is_active:  # re-enabled by a person
        data.update(disabled_reason="", failing_since=None)
    for key, value in data.items():
        setattr(endpoint, key, value)
    endpoint.save()
    audit_record(actor=actor, action="update", obj=endpoint, changes={k: str(v) for k, v in data.items()})
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, actor: Actor, endpoint: WebhookEndpoint) -> str:
    _require(actor)
    endpoint.secret = signatures.new_whsec()
    endpoint.save(update_fields=["secret", "updated_at"])
    audit_record(actor=actor, action="rotate_secret", obj=endpoint)
    return endpoint.secret


@transaction.atomic
def endpoint_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    _require(actor)
    audit_record(actor=actor, action="delete", obj=endpoint)
    endpoint.delete()


# --- Recording events (in the transaction of the change) ------------------------------------------------


def events_record(events: list[Event]) -> list[int]:
    """Outbox rows for the firms' subscribed endpoints. Returns the delivery ids (enqueued on commit)."""
    firm_ids = {e.firm_id for e in events}
    endpoints: dict[int, list[tuple[int, set[str]]]] = defaultdict(list)
    for pk, firm_id, types in WebhookEndpoint.objects.filter(
        firm_id__in=firm_ids, is_active=True
    ).values_list("pk", "firm_id", "event_types"):
        endpoints[firm_id].append((pk, set(types or ())))
    wanted = [
        (event, [pk for pk, types in endpoints.get(event.firm_id, []) if event.type in types])
        for event in events
    ]
    wanted = [(event, targets) for event, targets in wanted if targets]
    if not wanted:
        return []
    rows = [(_event_row(event), targets) for event, targets in wanted]
    plain = [row for row, _targets in rows if not row.dedupe_key]
    WebhookEvent.objects.bulk_create(plain, batch_size=500)
    for row, _targets in rows:
        if row.dedupe_key:
            try:
                with transaction.atomic():  # recorded once per firm and key (a unique constraint)
                    row.save()
            except IntegrityError:
                row.pk = None
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            firm_id=row.firm_id,
            endpoint_id=endpoint_id,
            event=row,
            message_id=WebhookDelivery.new_message_id(),
            created_at=now,
            retry_until=now + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS),
            next_attempt_at=now,
        )
        for row, targets in rows
        if row.pk is not None
        for endpoint_id in targets
    ]
    if not deliveries:
        return []
    created = WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: deliveries_enqueue(ids), robust=True)
    return ids


def _event_row(event: Event) -> WebhookEvent:
    return WebhookEvent(
        firm_id=event.firm_id,
        public_id=WebhookEvent.new_public_id(),
        type=event.type,
        data=json.loads(json.dumps(event.data, default=str)),
        dedupe_key=event.dedupe_key or None,
        occurred_at=event.occurred_at,
    )


def on_event_published(sender: Any, events: list[Event], **kwargs: Any) -> None:
    events_record(events)


# --- Enqueue, sweep, replay -------------------------------------------------------------------------------


def deliveries_enqueue(ids: list[int], *, countdown: int | None = None) -> None:
    """Publish send tasks (after commit) with the outbox's `enqueue`: a broker failure is logged, and the
    sweeper sends the rows later."""
    from integrations.tasks import webhook_delivery_send_task

    for delivery_id in ids:
        if countdown:
            try:
                webhook_delivery_send_task.apply_async((delivery_id,), countdown=countdown)
            except Exception:  # broker down: the row is pending in the database, the sweeper re-enqueues it
                logger.warning("webhook delivery %s: enqueue failed; the sweeper will retry", delivery_id)
        else:
            enqueue(webhook_delivery_send_task, delivery_id)


def deliveries_sweep(*, limit: int = 1000) -> dict[str, int]:
    """Rows lost by a killed worker go back to pending; due pending rows are enqueued again."""
    now = timezone.now()
    lease = now - timedelta(seconds=settings.WEBHOOK_SENDING_LEASE_SECONDS)
    reclaimed = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lte=lease
    ).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=now,
        last_error="the worker stopped during the request; sending again",
    )
    if reclaimed:
        logger.warning("webhook sweep: %d deliveries claimed by a lost worker go out again", reclaimed)
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    deliveries_enqueue(ids)
    return {"reclaimed": reclaimed, "enqueued": len(ids)}


def delivery_replay(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """A person asks to send this event to the endpoint again (same webhook-id), with a new day of retries."""
    _require(actor)
    if delivery.firm_id != actor.firm_id:
        raise NotFoundError()
    if delivery.status in (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING):
        raise ApplicationError(
            "Already on its way.", fields={"status": _("This delivery is already being sent.")}
        )
    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=now,
            retry_until=now + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS),
            last_error=f"replayed by {actor.label}",
        )
        audit_record(actor=actor, action="replay", obj=delivery)
        transaction.on_commit(lambda: deliveries_enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


# --- Sending ----------------------------------------------------------------------------------------------


def delivery_body(event: WebhookEvent) -> bytes:
    """The JSON body: the same bytes on every attempt of the event."""
    payload = {
        "id": event.public_id,
        "type": event.type,
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def _backoff(attempts: int) -> int:
    base = 30 * 2 ** max(attempts - 1, 0)
    return int(min(base, settings.WEBHOOK_RETRY_BACKOFF_MAX) * random.uniform(0.8, 1.0))


def _log(
    delivery: WebhookDelivery, *, status: int | None, error: str, duration: int, excerpt: str = ""
) -> None:
    WebhookAttempt.objects.create(
        firm_id=delivery.firm_id,
        delivery=delivery,
        status_code=status,
        error=error[:500],
        duration_ms=duration,
        response_excerpt=excerpt[:500],
    )


def _failed_attempt(delivery: WebhookDelivery, error: str, status: int | None) -> str:
    now = timezone.now()
    endpoint = delivery.endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    since = WebhookEndpoint.objects.values_list("failing_since", flat=True).get(pk=endpoint.pk)
    if since and now - since >= timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS):
        endpoint_disable(endpoint_id=endpoint.pk, reason=error)
    if now >= delivery.retry_until:
        WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(
            status=WebhookDelivery.Status.FAILED, last_error=error[:500], last_status_code=status
        )
        logger.error(
            "webhook delivery %s failed after %d attempts: %s", delivery.pk, delivery.attempts, error
        )
        return "failed"
    delay = _backoff(delivery.attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(
        status=WebhookDelivery.Status.PENDING,
        last_error=error[:500],
        last_status_code=status,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    if delay <= settings.WEBHOOK_COUNTDOWN_MAX:  # longer waits: the sweeper picks the row up when due
        transaction.on_commit(lambda: deliveries_enqueue([delivery.pk], countdown=delay))
    return "retry"


def delivery_send(*, delivery_id: int) -> str:
    """Claim, sign, POST, record. Returns delivered | retry | failed | not_claimed."""
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .update(status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not_claimed"
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="the endpoint is disabled"
        )
        return "failed"
    body = delivery_body(delivery.event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SITE_NAME}-Webhooks/1.0",
        **signatures.standard_headers(secret=endpoint.secret, msg_id=delivery.message_id, body=body),
    }
    try:
        target = url_check(endpoint.url)
        answer = ssrf.post(target, body=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    except ssrf.UnsafeURL as exc:
        _log(delivery, status=None, error=f"refused: {exc}", duration=0)
        return _failed_attempt(delivery, f"refused: {exc}", None)
    except Exception as exc:  # connection refused, timeout, TLS: the receiver did not answer
        _log(delivery, status=None, error=repr(exc)[:500], duration=0)
        return _failed_attempt(delivery, repr(exc), None)
    _log(delivery, status=answer.status, error="", duration=answer.duration_ms, excerpt=answer.excerpt)
    if 200 <= answer.status < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=timezone.now(),
            last_status_code=answer.status,
            last_error="",
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
        return "delivered"
    return _failed_attempt(delivery, f"HTTP {answer.status}", answer.status)


def endpoint_disable(*, endpoint_id: int, reason: str) -> bool:
    """Disable an endpoint that keeps failing (once) and tell the firm's admins through the notification
    outbox (rows written in this transaction, sent after commit)."""
    text = _("It failed for more than a day without a single success. Last error: %(error)s") % {
        "error": reason[:200]
    }
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).update(
            is_active=False, disabled_reason=text[:300]
        )
        if changed:
            ids = _notify_admins(endpoint_id)
            transaction.on_commit(lambda: notifications_enqueue(ids))
    if changed:
        logger.error("webhook endpoint %s disabled: %s", endpoint_id, reason)
    return bool(changed)


def _notify_admins(endpoint_id: int) -> list[int]:
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    now = timezone.now()
    admins = Membership.objects.filter(firm_id=endpoint.firm_id, role="admin", is_active=True).select_related(
        "user"
    )
    rows = [
        Notification(
            firm_id=endpoint.firm_id,
            kind=Notification.Kind.WEBHOOK_DISABLED,
            recipient_email=m.user.email,
            recipient_user=m.user,
            language=m.user.preferred_language or settings.LANGUAGE_CODE,
            dedupe_key=f"webhook-disabled:{endpoint.pk}:{now:%Y%m%d%H%M%S%f}:{m.user_id}",
            payload={"endpoint_id": endpoint.pk},
            created_at=now,
        )
        for m in admins
        if m.user.email
    ]
    return [row.pk for row in Notification.objects.bulk_create(rows)]


def render_disabled_email(notification: Notification, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The outbox renderer of `webhook_disabled` (registered in IntegrationsConfig.ready)."""
    endpoint = WebhookEndpoint.objects.filter(pk=notification.payload.get("endpoint_id")).first()
    if endpoint is None:
        raise NothingToSend
    link = settings.SITE_BASE_URL.rstrip("/") + reverse("webhook-endpoint-detail", args=[endpoint.pk])
    return "email/webhook_disabled", {**base, "endpoint": endpoint, "link": link}
