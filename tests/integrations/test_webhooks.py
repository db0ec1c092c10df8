"""Webhooks out: events from the services, signed the Standard Webhooks way, to a real HTTP receiver on
127.0.0.1 that verifies them with the `standardwebhooks` library; retries, failure, disabling, replay."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases import services as case_services
from firm.events import publish
from firm.scoping import actor_for_user
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from integrations.services import webhooks as services
from integrations.services.deadlines import deadlines_due_soon_publish
from notifications.models import Notification
from tests.factories import PDF_BYTES
from tests.integrations.helpers import Receiver, verify_standard_webhook

pytestmark = pytest.mark.django_db

ALL = [
    "intake.received",
    "client.created",
    "case.status_changed",
    "milestone.recorded",
    "document.uploaded",
    "document.reviewed",
    "deadline.due_soon",
    "draw.flagged",
    "score.changed",
]


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def _endpoint(tenants, api, url, events=ALL):
    response = api(tenants.a.admin).post(
        "/api/v1/webhooks/", {"url": url, "event_types": events}, format="json"
    )
    assert response.status_code == 201, response.content
    return WebhookEndpoint.objects.get(pk=response.json()["id"]), response.json()["secret"]


def _received(receiver, secret):
    return [verify_standard_webhook(secret, r["headers"], r["body"]) for r in receiver.requests]


def test_secret_shown_once_as_whsec_and_only_admins_manage(tenants, api, receiver):
    endpoint, secret = _endpoint(tenants, api, receiver.url)
    assert secret.startswith("whsec_") and len(secret) > 40
    detail = api(tenants.a.admin).get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in detail and secret not in json.dumps(detail)
    listed = api(tenants.a.admin).get("/api/v1/webhooks/").json()
    assert secret not in json.dumps(listed)
    assert api(tenants.a.lawyer).get("/api/v1/webhooks/").status_code == 403
    assert api(tenants.a.api_key_raw).get("/api/v1/webhooks/").status_code == 403
    assert api(tenants.b.admin).get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
    bad = api(tenants.a.admin).post(
        "/api/v1/webhooks/", {"url": receiver.url, "event_types": ["x.y"]}, format="json"
    )
    assert bad.status_code == 400 and "event_types.0" in bad.json()["error"]
    rotated = api(tenants.a.admin).post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()["secret"]
    assert rotated.startswith("whsec_") and rotated != secret


def test_service_events_are_delivered_signed_with_ids_and_no_document_contents(
    tenants, api, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = _endpoint(tenants, api, receiver.url)
    lawyer = actor_for_user(tenants.a.lawyer)
    case = tenants.a.case
    with django_capture_on_commit_callbacks(execute=True):
        payload = {
            "identity": {
                "first_name": "Noor",
                "last_name": "Haddad",
                "date_of_birth": "1993-01-05",
                "citizenships": ["JO"],
            },
            "contact": {"email": "noor@example.test"},
        }
        intake = api(tenants.a.api_key_raw).post("/api/v1/intake/", payload, format="json")
        assert intake.status_code == 201, intake.content
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(actor=lawyer, case=case, to_status="assessment")
    with django_capture_on_commit_callbacks(execute=True):
        doc = case_services.document_create_with_file(
            actor=lawyer,
            case=case,
            kind="passport",
            file=io.BytesIO(PDF_BYTES),
            filename="passport.pdf",
            size=len(PDF_BYTES),
        )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.document_review(actor=lawyer, document=doc, verified=True)

    events = _received(receiver, secret)
    types = [e["type"] for e in events]
    assert types.count("intake.received") == 1 and types.count("client.created") == 1
    assert {"case.status_changed", "document.uploaded", "document.reviewed"} <= set(types)
    by_type = {e["type"]: e for e in events}
    assert by_type["intake.received"]["data"]["client_id"] == intake.json()["client_id"]
    assert by_type["case.status_changed"]["data"] == {
        "case_id": case.pk,
        "client_id": case.client_id,
        "from": "intake",
        "to": "assessment",
    }
    uploaded = by_type["document.uploaded"]["data"]
    assert uploaded["document_id"] == doc.pk and uploaded["size"] == len(PDF_BYTES)
    assert by_type["document.reviewed"]["data"]["status"] == "verified"
    for request in receiver.requests:  # never the file, nor its name
        assert b"%PDF" not in request["body"] and b"passport.pdf" not in request["body"]
        assert request["headers"]["webhook-id"].startswith("msg_")
        assert request["headers"]["content-type"] == "application/json"
    assert all(e["id"].startswith("evt_") and e["timestamp"] for e in events)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    # the delivery log of the endpoint, with status codes
    log = api(tenants.a.admin).get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert len(log) == len(events) and all(row["log"][0]["status_code"] == 200 for row in log)


def test_only_subscribed_events_and_active_endpoints_of_the_firm(
    tenants, api, receiver, django_capture_on_commit_callbacks
):
    _endpoint(tenants, api, receiver.url, events=["case.status_changed"])
    other = api(tenants.b.admin).post(
        "/api/v1/webhooks/", {"url": receiver.url + "/b", "event_types": ALL}, format="json"
    )
    assert other.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        publish(firm_id=tenants.a.firm.pk, event_type="client.created", data={"client_id": 1})
        publish(firm_id=tenants.a.firm.pk, event_type="case.status_changed", data={"case_id": 2})
    assert [r["path"] for r in receiver.requests] == ["/hooks/maplecase"]
    assert WebhookEvent.objects.filter(firm=tenants.b.firm).count() == 0


def test_rollback_writes_no_event_and_sends_nothing(
    tenants, api, receiver, django_capture_on_commit_callbacks
):
    _endpoint(tenants, api, receiver.url)
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(firm_id=tenants.a.firm.pk, event_type="client.created", data={"client_id": 1})
        raise RuntimeError("the change fails")
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_retries_with_exponential_backoff_then_failed_after_a_day_disables_and_emails_admin(
    tenants, api, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_COUNTDOWN_MAX = -1  # no countdown enqueue in this test: we drive the attempts
    endpoint, secret = _endpoint(tenants, api, receiver.url)
    receiver.statuses = [500, 503, 404, 500, 502]
    with django_capture_on_commit_callbacks(execute=True):
        publish(firm_id=tenants.a.firm.pk, event_type="score.changed", data={"client_id": 7, "total": 480})
    delivery = WebhookDelivery.objects.get()
    delays = []
    for _ in range(4):
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        delays.append((delivery.next_attempt_at - timezone.now()).total_seconds())
        assert services.delivery_send(delivery_id=delivery.pk) == "not_claimed"  # not due yet
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert services.delivery_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    gaps = [(delivery.next_attempt_at - timezone.now()).total_seconds()]
    assert 0.8 * 30 * 2**4 - 2 <= gaps[0] <= 30 * 2**4  # the fifth wait: 30 s doubling four times
    assert [int(d) for d in delays[1:]] == sorted(int(d) for d in delays[1:])  # growing waits
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert ids == {delivery.message_id}  # the same webhook-id on every retry
    assert list(WebhookAttempt.objects.order_by("pk").values_list("status_code", flat=True)) == [
        500,
        503,
        404,
        500,
        502,
    ]

    # a day later, still failing: failed, the endpoint is disabled and the firm admin emailed (once)
    day_ago = timezone.now() - timedelta(days=1, seconds=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now(), retry_until=day_ago)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=day_ago)
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delivery_send(delivery_id=delivery.pk) == "failed"
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and "HTTP 500" in endpoint.disabled_reason
    # through the notification outbox: one row per admin, sent after commit
    note = Notification.objects.get(kind="webhook_disabled")
    assert note.status == "sent" and note.recipient_email == tenants.a.admin.email
    assert [m.to for m in mail.outbox] == [[tenants.a.admin.email]]
    message = mail.outbox[0]
    assert endpoint.url in message.body and f"/integrations/webhooks/{endpoint.pk}/" in message.body
    assert message.alternatives and f"/integrations/webhooks/{endpoint.pk}/" in message.alternatives[0][0]
    # no more events go to a disabled endpoint
    with django_capture_on_commit_callbacks(execute=True):
        publish(firm_id=tenants.a.firm.pk, event_type="score.changed", data={"client_id": 7, "total": 490})
    assert WebhookDelivery.objects.count() == 1

    # the admin fixes it, re-enables, and replays the failed delivery from the log: same webhook-id
    admin = api(tenants.a.admin)
    assert (
        admin.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"is_active": True}, format="json").status_code == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        replay = admin.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/replay/")
    assert replay.status_code == 200, replay.content
    delivery.refresh_from_db()
    assert (
        delivery.status == "delivered"
        and receiver.requests[-1]["headers"]["webhook-id"] == delivery.message_id
    )
    verify_standard_webhook(secret, receiver.requests[-1]["headers"], receiver.requests[-1]["body"])
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.disabled_reason == ""


def test_connection_refused_is_a_failed_attempt_then_the_sweeper_resends(
    tenants, api, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_COUNTDOWN_MAX = -1
    with Receiver() as down:
        url = down.url
    _endpoint(tenants, api, url)  # saved while listening; now nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        publish(firm_id=tenants.a.firm.pk, event_type="client.created", data={"client_id": 3})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.deliveries_sweep()["enqueued"] == 1  # eager: sent (and failed) again
    assert WebhookDelivery.objects.get().attempts == 2


def test_draw_flagged_one_event_per_client_match_and_score_changed(
    tenants, api, receiver, django_capture_on_commit_callbacks
):
    from scoring.services.draws import draws_upsert
    from scoring.services.scores import recompute_clients
    from tests.scoring.django_draws.conftest import World, feed, round_dict

    _endpoint(tenants, api, receiver.url, events=["draw.flagged", "score.changed"])
    world = World(firms={"a": tenants.a.firm}, staff={"lawyer": tenants.a.lawyer})
    high = world.client("a", "High", 520, lawyer="lawyer")
    higher = world.client("a", "Higher", 540)
    world.client("a", "Low", 400)
    with django_capture_on_commit_callbacks(execute=True):
        draws_upsert(data=feed(round_dict("9001", crs=500)), source="test", flag="inline")
    flagged = [e for e in _received(receiver, _secret(tenants)) if e["type"] == "draw.flagged"]
    assert sorted(e["data"]["client_id"] for e in flagged) == sorted([high.pk, higher.pk])
    assert all(e["data"]["draw_number"] == "9001" and e["data"]["min_crs"] == 500 for e in flagged)

    before = len(receiver.requests)
    with django_capture_on_commit_callbacks(execute=True):
        recompute_clients([tenants.a.client.pk], as_of=timezone.localdate())
    changed = [e for e in _received(receiver, _secret(tenants))[before:] if e["type"] == "score.changed"]
    assert [e["data"]["client_id"] for e in changed] == [tenants.a.client.pk]
    assert changed[0]["data"]["total"] is not None


def _secret(tenants):
    return WebhookEndpoint.objects.get(firm=tenants.a.firm).secret


def test_deadline_due_soon_once_per_deadline_and_milestone_hook(
    tenants, api, receiver, django_capture_on_commit_callbacks
):
    _endpoint(tenants, api, receiver.url, events=["deadline.due_soon", "milestone.recorded"])
    deadline = tenants.a.deadline
    deadline.due_on = timezone.localdate() + timedelta(days=3)
    deadline.done = False
    deadline.save()
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_due_soon_publish()
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_due_soon_publish()  # the daily task again: nothing new
    due = [e for e in _received(receiver, _secret(tenants)) if e["type"] == "deadline.due_soon"]
    assert [e["data"]["deadline_id"] for e in due] == [deadline.pk] and due[0]["data"]["days_left"] == 3
    # the function issue 14's milestones call when one is recorded
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            firm_id=tenants.a.firm.pk,
            event_type="milestone.recorded",
            data={"milestone_id": 1, "case_id": tenants.a.case.pk, "kind": "aor_received"},
        )
    assert _received(receiver, _secret(tenants))[-1]["type"] == "milestone.recorded"
    with pytest.raises(ValueError):
        publish(firm_id=tenants.a.firm.pk, event_type="not.an.event", data={})
