"""The notification outbox: send each `Notification` row at most once, and lose none.

* Rows are written by the service that decides an email is due, in its transaction (draw flagging in
  scoring, case status changes and reminders in cases).
* `notification_send` claims a row with a conditional UPDATE pending -> sending (0 rows: someone else
  has it, or it is done: exit), renders it, sends it through Django's email backend (plain text + HTML
  alternative), and marks it sent.
* Failures: an error while connecting (refused, timeout) or an SMTP 4xx answer means the message was
  not accepted: back to pending with a backoff (capped below the broker visibility timeout) until
  settings.NOTIFICATION_MAX_ATTEMPTS, then failed. A 5xx answer or a rendering error: failed. A
  connection lost *during* the transaction is ambiguous (the server may have accepted the message):
  the row stays in `sending` with the error, like a worker killed mid-send.
* A row in `sending` is never resent automatically; staff see it (admin, `notifications_stuck`) and
  decide (`notification_requeue` / `notification_mark_sent`).
* `notifications_sweep` (beat) re-enqueues pending rows whose task was lost (broker down at enqueue
  time, a task dropped). (Catching up draws whose flagging was lost is scoring's `draws_flag_pending`,
  run by the same beat task.)
* Rendering: each kind has a renderer registered by the app that writes rows of that kind
  (`register_renderer`, called from the app's AppConfig.ready); kinds whose payload already holds what
  to say use the default one.
"""

from __future__ import annotations

import logging
import random
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from firm.scoping import SYSTEM, Actor
from notifications import tasks
from notifications.models import Notification

logger = logging.getLogger(__name__)

DIRECT_ENQUEUE_LIMIT = 100  # more than this: fan out through notifications_dispatch_task
DISPATCH_CHUNK = 500


@dataclass
class SendOutcome:
    status: str  # sent | not_claimed | retry | failed | skipped | unknown
    retry_in: int | None = None
    error: str = ""


class NothingToSend(Exception):
    """Every match the notification was about has been withdrawn."""


# --------------------------------------------------------------------------------------------------------
# Enqueue and sweep
# --------------------------------------------------------------------------------------------------------


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Publish a task now (call it after commit). A broker failure is logged, not raised: every task
    enqueued this way has a durable trace (a pending row, a draw that needs flagging) the sweeper uses."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Retry:  # eager mode (local, tests): the task ran here and scheduled its own retry
        return True
    except Exception:
        logger.warning("could not enqueue %s%s; the sweeper will pick it up", task.name, args, exc_info=True)
        return False
    return True


def notifications_enqueue(ids: Iterable[int]) -> None:
    """Publish send tasks for outbox rows (call after commit). Failures are logged: the sweeper retries."""
    ids = list(ids)
    if len(ids) <= DIRECT_ENQUEUE_LIMIT:
        for notification_id in ids:
            enqueue(tasks.notification_send_task, notification_id)
        return
    for start in range(0, len(ids), DISPATCH_CHUNK):
        enqueue(tasks.notifications_dispatch_task, ids[start : start + DISPATCH_CHUNK])


def notifications_sweep(*, older_than_seconds: int | None = None, limit: int = 1000) -> dict[str, int]:
    """Re-enqueue pending rows not picked up for a while, report stuck rows."""
    now = timezone.now()
    wait = settings.NOTIFICATION_SWEEP_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = now - timedelta(seconds=wait)
    ids = list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        Notification.objects.filter(pk__in=ids, status=Notification.Status.PENDING).update(
            next_attempt_at=now
        )
        logger.warning("notification sweep: re-enqueueing %d pending notifications", len(ids))
        notifications_enqueue(ids)
    stuck = notifications_stuck(SYSTEM).count()
    if stuck:
        logger.warning(
            "notification sweep: %d notifications stuck in 'sending' (maybe sent); staff must check them",
            stuck,
        )
    return {"requeued": len(ids), "stuck": stuck}


def notifications_stuck(actor: Actor, *, older_than_seconds: int | None = None) -> Any:
    """Rows claimed but never confirmed sent (worker killed mid-send, lost connection): never resent
    automatically. Scoped to the actor's firm."""
    wait = settings.NOTIFICATION_STUCK_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    return (
        Notification.objects.restrict(actor)
        .filter(status=Notification.Status.SENDING, claimed_at__lt=timezone.now() - timedelta(seconds=wait))
        .select_related("draw", "client", "recipient_user")
        .order_by("claimed_at")
    )


def notification_requeue(*, notification_ids: Iterable[int], actor: Actor) -> int:
    """A person decided to send these again (stuck or failed rows): back to pending, enqueued."""
    ids = list(
        Notification.objects.restrict(actor)
        .filter(
            pk__in=list(notification_ids),
            status__in=[Notification.Status.SENDING, Notification.Status.FAILED],
        )
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        count = Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.PENDING,
            next_attempt_at=now,
            attempts=0,
            last_error=f"requeued by {actor.label or actor.kind} at {now:%Y-%m-%d %H:%M} UTC",
        )
        transaction.on_commit(lambda: notifications_enqueue(ids))
    logger.info("%s requeued notifications %s", actor.label, ids)
    return count


def notification_mark_sent(*, notification_ids: Iterable[int], actor: Actor) -> int:
    """A person checked that a stuck row's email did go out."""
    now = timezone.now()
    return (
        Notification.objects.restrict(actor)
        .filter(pk__in=list(notification_ids), status=Notification.Status.SENDING)
        .update(
            status=Notification.Status.SENT,
            sent_at=now,
            last_error=f"marked sent by {actor.label or actor.kind} at {now:%Y-%m-%d %H:%M} UTC",
        )
    )


# --------------------------------------------------------------------------------------------------------
# Send one
# --------------------------------------------------------------------------------------------------------


def _backoff(attempts: int) -> int:
    base = 30 * 2 ** max(attempts - 1, 0)
    cap = settings.NOTIFICATION_RETRY_BACKOFF_MAX
    return int(min(base, cap) * random.uniform(0.8, 1.0))  # jitter, never above the cap


def _finish(notification_id: int, **fields: Any) -> None:
    Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(**fields)


def _retry_or_fail(notification: Notification, error: str) -> SendOutcome:
    now = timezone.now()
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _finish(notification.pk, status=Notification.Status.FAILED, last_error=error[:2000])
        logger.error(
            "notification %s failed after %d attempts: %s", notification.pk, notification.attempts, error
        )
        return SendOutcome("failed", error=error)
    delay = _backoff(notification.attempts)
    _finish(
        notification.pk,
        status=Notification.Status.PENDING,
        last_error=error[:2000],
        next_attempt_at=now + timedelta(seconds=delay),
    )
    logger.warning("notification %s: transient error (%s); retry in %ss", notification.pk, error, delay)
    return SendOutcome("retry", retry_in=delay, error=error)


def _is_transient_response(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    code = getattr(exc, "smtp_code", 0) or 0
    return 400 <= code < 500


def notification_send(*, notification_id: int) -> SendOutcome:
    """Claim, render, send, mark. See the module docstring for the failure rules."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENDING,
        claimed_at=now,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return SendOutcome("not_claimed")
    notification = Notification.objects.select_related("firm", "draw", "client", "recipient_user").get(
        pk=notification_id
    )
    try:
        message = build_message(notification)
    except NothingToSend:
        _finish(notification.pk, status=Notification.Status.SKIPPED, last_error="every match was withdrawn")
        return SendOutcome("skipped")
    except Exception as exc:  # a template or data bug: retrying will not help
        logger.exception("notification %s could not be rendered", notification.pk)
        _finish(notification.pk, status=Notification.Status.FAILED, last_error=f"render: {exc!r}"[:2000])
        return SendOutcome("failed", error=repr(exc))

    connection = get_connection(fail_silently=False)
    try:
        connection.open()  # refused / timed out / TLS or login 4xx: nothing was sent
    except smtplib.SMTPException as exc:
        if _is_transient_response(exc) or not isinstance(exc, smtplib.SMTPResponseException):
            return _retry_or_fail(notification, f"connect: {exc!r}")
        _finish(notification.pk, status=Notification.Status.FAILED, last_error=f"connect: {exc!r}"[:2000])
        return SendOutcome("failed", error=repr(exc))
    except OSError as exc:
        return _retry_or_fail(notification, f"connect: {exc!r}")
    try:
        message.connection = connection
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
        # the server answered with a code: it did not take the message
        if _is_transient_response(exc):
            return _retry_or_fail(notification, f"send: {exc!r}")
        _finish(notification.pk, status=Notification.Status.FAILED, last_error=f"send: {exc!r}"[:2000])
        logger.error("notification %s refused by the mail server: %r", notification.pk, exc)
        return SendOutcome("failed", error=repr(exc))
    except (smtplib.SMTPException, OSError) as exc:
        # lost mid-transaction: the server may have the message. At most once: leave it in `sending`.
        _finish(notification.pk, last_error=f"delivery unknown, check before resending: {exc!r}"[:2000])
        logger.error(
            "notification %s: delivery unknown (%r); left in 'sending' for staff", notification.pk, exc
        )
        return SendOutcome("unknown", error=repr(exc))
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not change the outcome
            logger.debug("closing the mail connection failed", exc_info=True)
    # last_error is kept: it tells staff what happened before this send (a retry, a requeue)
    _finish(notification.pk, status=Notification.Status.SENT, sent_at=timezone.now())
    return SendOutcome("sent")


# --------------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------------


def _from_email(notification: Notification) -> str:
    firm_from = notification.firm.alert_from_email if notification.firm_id else ""
    return firm_from or settings.DEFAULT_FROM_EMAIL


Context = dict[str, Any]
Renderer = Callable[[Notification, Context], tuple[str, Context]]
_RENDERERS: dict[str, Renderer] = {}


def register_renderer(kind: str, renderer: Renderer) -> None:
    """Say how to render one kind of row: `renderer(notification, base_context)` returns the template
    stem (`email/<name>`, with `_subject.txt`, `.txt` and `.html`) and the context, or raises
    `NothingToSend`. Called by the app that writes rows of that kind, from its AppConfig.ready."""
    _RENDERERS[kind] = renderer


def payload_renderer(notification: Notification, base: Context) -> tuple[str, Context]:
    """Client emails about their own file: the payload holds what to say (written with the row)."""
    return f"email/{notification.kind}", {**base, "client": notification.client, **notification.payload}


register_renderer(Notification.Kind.CASE_STATUS, payload_renderer)
register_renderer(Notification.Kind.CLIENT_REMINDER, payload_renderer)
# Staff emails of the case lifecycle (cases.reminders): the payload holds what to say, with its links.
register_renderer(Notification.Kind.STAFF_DIGEST, payload_renderer)
register_renderer(Notification.Kind.STATUS_EXPIRY, payload_renderer)


def render_notification(notification: Notification) -> tuple[str, str, str]:
    """(subject, plain text, HTML) in the notification's language."""
    from firm.emails import notification_links

    base = {
        "notification": notification,
        "firm": notification.firm,
        "site_name": settings.SITE_NAME,
        "LANGUAGE_CODE": notification.language or settings.LANGUAGE_CODE,
        # links every email carries: the portal only for a client with access, else their lawyer
        **notification_links(client=notification.client),
    }
    renderer = _RENDERERS.get(notification.kind)
    if renderer is None:
        raise ValueError(f"unknown notification kind {notification.kind!r}")
    template, context = renderer(notification, base)
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def build_message(notification: Notification) -> EmailMultiAlternatives:
    subject, text, html = render_notification(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=_from_email(notification),
        to=[notification.recipient_email],
        headers={
            # the same id on any resend lets mail systems drop a duplicate
            "Message-ID": f"<notification-{notification.pk}.{notification.dedupe_key.replace(':', '.')}@maplecase>",
            "X-MapleCase-Notification": notification.dedupe_key,
        },
    )
    message.attach_alternative(html, "text/html")
    return message
