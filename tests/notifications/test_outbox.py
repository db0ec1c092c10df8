"""The notification outbox: claim, send at most once, transient vs permanent errors, sweeper, stuck rows."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from firm.scoping import SYSTEM
from notifications.models import Notification
from notifications.services import (
    notification_mark_sent,
    notification_requeue,
    notification_send,
    notifications_sweep,
)
from notifications.tasks import notification_send_task
from scoring.models import Draw, DrawMatch
from scoring.selectors.draws import notifications_stuck
from scoring.services.draws import draws_upsert
from scoring.services.flagging import draw_flag
from scoring.tasks.draws import draws_flag_pending_task
from tests.fixtures.smtp_server import SMTPServer, free_port
from tests.scoring.django_draws.conftest import TIE_BREAK, feed, round_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world, django_capture_on_commit_callbacks):
    """A flagged draw whose outbox rows were written but whose send tasks were never enqueued."""
    world.client("a", "Alice", 520, lawyer="a_lawyer1", profile_at=TIE_BREAK - timedelta(days=1))
    world.client("b", "Bob", 530, lawyer="b_lawyer")
    draws_upsert(data=feed(round_dict("2001", crs=500)), source="t", flag="none")
    with django_capture_on_commit_callbacks(execute=False):  # the send tasks are never published
        draw_flag(draw_id=Draw.objects.get().pk)
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
    return world


def digest(to: str) -> Notification:
    return Notification.objects.get(kind="draw_digest", recipient_email=to)


def smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5


def test_the_outbox_rows_are_written_with_the_matches(pending):
    rows = Notification.objects.order_by("kind", "recipient_email")
    assert [(n.kind, n.recipient_email) for n in rows] == [
        ("client_draw_alert", "alice@clients.test"),  # firm A emails clients, firm B does not
        ("draw_digest", "a_lawyer1@staff.test"),
        ("draw_digest", "b_lawyer@staff.test"),
    ]
    draw = Draw.objects.get()
    n = digest("a_lawyer1@staff.test")
    assert n.dedupe_key == f"draw:{draw.pk}:lawyer:{pending.staff['a_lawyer1'].pk}"
    assert (n.firm, n.draw, n.recipient_user, n.attempts) == (
        pending.firms["a"],
        draw,
        pending.staff["a_lawyer1"],
        0,
    )
    assert n.payload["min_crs"] == 500 and n.payload["flag_run"] == 1


def test_a_row_is_sent_once_however_often_its_task_runs(pending):
    n = digest("a_lawyer1@staff.test")
    assert notification_send(notification_id=n.pk).status == "sent"
    assert notification_send(notification_id=n.pk).status == "not_claimed"
    notification_send_task.apply(args=[n.pk])
    n.refresh_from_db()
    assert (n.status, n.attempts, len(mail.outbox)) == ("sent", 1, 1)
    assert n.sent_at and n.claimed_at
    message = mail.outbox[0]
    assert message.extra_headers["X-MapleCase-Notification"] == n.dedupe_key
    assert message.alternatives[0][1] == "text/html"


def test_rollback_writes_nothing_and_enqueues_nothing(world, django_capture_on_commit_callbacks):
    world.client("a", "Alice", 520, lawyer="a_lawyer1")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        draws_upsert(data=feed(round_dict("2002", crs=500)), source="t", flag="inline")
        raise RuntimeError("boom")
    assert callbacks == [] and Draw.objects.count() == 0
    assert DrawMatch.objects.count() == Notification.objects.count() == 0 and mail.outbox == []


def test_real_smtp_delivery_with_html_alternative(pending, settings):
    with SMTPServer() as smtp:
        smtp_settings(settings, smtp.port)
        n = digest("a_lawyer1@staff.test")
        assert notification_send(notification_id=n.pk).status == "sent"
        (message,) = smtp.messages
    assert message["To"] == "a_lawyer1@staff.test" and "#2001" in message["Subject"]
    assert message.is_multipart()
    types = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= types


def test_transient_4xx_goes_back_to_pending_then_fails_at_the_cap(pending, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    with SMTPServer() as smtp:
        smtp_settings(settings, smtp.port)
        smtp.handler.rcpt_codes["a_lawyer1@staff.test"] = "451 4.7.1 greylisted, try later"
        n = digest("a_lawyer1@staff.test")
        outcome = notification_send(notification_id=n.pk)
        n.refresh_from_db()
        assert outcome.status == "retry" and 0 < outcome.retry_in <= settings.NOTIFICATION_RETRY_BACKOFF_MAX
        assert (n.status, n.attempts) == ("pending", 1) and "451" in n.last_error
        assert n.next_attempt_at > timezone.now()
        notification_send(notification_id=n.pk)
        outcome = notification_send(notification_id=n.pk)
        n.refresh_from_db()
        assert outcome.status == "failed" and (n.status, n.attempts) == ("failed", 3)
        assert smtp.messages == []
        # once the server accepts again, an untouched row goes out normally
        other = digest("b_lawyer@staff.test")
        assert notification_send(notification_id=other.pk).status == "sent"
        assert len(smtp.messages) == 1


def test_permanent_5xx_fails_at_once(pending, settings):
    with SMTPServer() as smtp:
        smtp_settings(settings, smtp.port)
        smtp.handler.rcpt_codes["a_lawyer1@staff.test"] = "550 5.1.1 no such user"
        n = digest("a_lawyer1@staff.test")
        assert notification_send(notification_id=n.pk).status == "failed"
    n.refresh_from_db()
    assert (n.status, n.attempts) == ("failed", 1) and "550" in n.last_error


def test_connection_refused_is_transient(pending, settings):
    smtp_settings(settings, free_port())  # nothing listens there
    n = digest("a_lawyer1@staff.test")
    assert notification_send(notification_id=n.pk).status == "retry"
    n.refresh_from_db()
    assert n.status == "pending" and "connect" in n.last_error


def test_connection_lost_mid_send_stays_sending(pending, monkeypatch):
    class Dropping:
        def open(self):
            return True

        def close(self):
            pass

        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("notifications.services.get_connection", lambda **kw: Dropping())
    n = digest("a_lawyer1@staff.test")
    assert notification_send(notification_id=n.pk).status == "unknown"
    n.refresh_from_db()
    assert n.status == "sending" and "delivery unknown" in n.last_error


def test_sweeper_resends_lost_pending_rows_but_never_sending_ones(
    pending, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_STUCK_AFTER_SECONDS = 60
    old = timezone.now() - timedelta(hours=1)
    stuck = digest("b_lawyer@staff.test")
    Notification.objects.filter(pk=stuck.pk).update(status="sending", claimed_at=old, attempts=1)
    fresh = digest("a_lawyer1@staff.test")

    # too recent: its task may still be in the queue
    assert notifications_sweep()["requeued"] == 0 and mail.outbox == []
    Notification.objects.exclude(pk=stuck.pk).update(created_at=old, next_attempt_at=old)
    report = notifications_sweep()
    assert report["requeued"] == 2 and report["stuck"] == 1
    fresh.refresh_from_db()
    stuck.refresh_from_db()
    assert fresh.status == "sent" and stuck.status == "sending"
    assert sorted(m.to[0] for m in mail.outbox) == ["a_lawyer1@staff.test", "alice@clients.test"]
    # staff see the stuck row (their firm only) and decide
    assert list(notifications_stuck(SYSTEM)) == [stuck]
    assert list(notifications_stuck(pending.actor_for("b_admin"))) == [stuck]
    assert list(notifications_stuck(pending.actor_for("a_admin"))) == []
    assert notification_requeue(notification_ids=[stuck.pk], actor=pending.actor_for("a_admin")) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue(notification_ids=[stuck.pk], actor=pending.actor_for("b_admin")) == 1
    stuck.refresh_from_db()
    assert stuck.status == "sent" and "requeued by b_admin@staff.test" in stuck.last_error


def test_mark_sent_by_staff(pending):
    n = digest("a_lawyer1@staff.test")
    Notification.objects.filter(pk=n.pk).update(status="sending", claimed_at=timezone.now())
    assert notification_mark_sent(notification_ids=[n.pk], actor=pending.actor_for("a_admin")) == 1
    n.refresh_from_db()
    assert n.status == "sent" and mail.outbox == []


def test_withdrawn_before_sending_is_skipped(pending):
    DrawMatch.objects.filter(client__first_name="Alice").update(status="withdrawn")
    n = digest("a_lawyer1@staff.test")
    assert notification_send(notification_id=n.pk).status == "skipped"
    alert = Notification.objects.get(kind="client_draw_alert")
    assert notification_send(notification_id=alert.pk).status == "skipped"
    assert mail.outbox == []


def test_sweeper_catches_up_a_lost_flagging(world, django_capture_on_commit_callbacks):
    world.client("a", "Alice", 520, lawyer="a_lawyer1")
    with django_capture_on_commit_callbacks(execute=False):  # the flag task was never published
        draws_upsert(data=feed(round_dict("2003", crs=500)), source="t", flag="enqueue")
    assert Draw.objects.get().needs_flagging and DrawMatch.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        flagged = draws_flag_pending_task()  # the beat task beside the outbox sweeper
    assert flagged == 1 and DrawMatch.objects.count() == 1
    assert not Draw.objects.get().needs_flagging
    assert {m.to[0] for m in mail.outbox} == {"a_lawyer1@staff.test", "alice@clients.test"}
