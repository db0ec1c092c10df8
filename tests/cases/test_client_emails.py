"""Client emails go through the outbox: status changes and the weekly reminder, at most once each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from cases import services
from cases.models import Case, Deadline, Document
from cases.notifications import client_reminders_queue
from firm.models import Client, Firm, Membership, User
from firm.scoping import actor_for_user
from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    firm = Firm.objects.create(name="F", slug="f")
    lawyer = User.objects.create_user(email="l@f.test", password="x" * 12)
    Membership.objects.create(user=lawyer, firm=firm, role="lawyer")
    client = Client.objects.create(
        firm=firm,
        first_name="Marie",
        last_name="Roy",
        email="marie@f.test",
        preferred_language="fr",
        status="active",
    )
    case = Case.objects.create(firm=firm, client=client, pathway="express_entry", assigned_lawyer=lawyer)
    case._lawyer = lawyer
    return case


def test_status_change_queues_one_client_email_in_their_language(case, django_capture_on_commit_callbacks):
    actor = actor_for_user(User.objects.select_related("membership").get(pk=case._lawyer.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(actor=actor, case=case, to_status="assessment")
    row = Notification.objects.get(kind="case_status")
    assert (row.recipient_email, row.language, row.client_id) == ("marie@f.test", "fr", case.client_id)
    assert row.status == "sent"
    assert len(mail.outbox) == 1
    assert "Marie" in mail.outbox[0].body
    assert notification_send(notification_id=row.pk).status == "not_claimed"  # never twice
    assert len(mail.outbox) == 1


def test_weekly_reminder_lists_documents_and_deadlines_once_per_week(
    case, django_capture_on_commit_callbacks
):
    today = date(2026, 11, 23)
    Document.objects.create(firm=case.firm, case=case, kind="passport", label="Passport")
    Document.objects.create(
        firm=case.firm,
        case=case,
        kind="police_certificate",
        label="Police certificate",
        status="verified",
        expires_on=today + timedelta(days=10),
    )
    Document.objects.create(
        firm=case.firm,
        case=case,
        kind="eca",
        label="ECA",
        status="verified",
        expires_on=today + timedelta(days=400),
    )
    Deadline.objects.create(case=case, kind="medical", label="Medical exam", due_on=today + timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert client_reminders_queue(today=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client_reminders_queue(today=today + timedelta(days=2)) == 0  # same ISO week
    row = Notification.objects.get(kind="client_reminder")
    labels = [d["label"] for d in row.payload["documents"]]
    assert labels == ["Passport", "Police certificate"]
    assert row.payload["deadlines"][0]["label"] == "Medical exam"
    assert len(mail.outbox) == 1 and "Passport" in mail.outbox[0].body


def test_no_reminder_for_closed_cases_or_clients_without_email(case):
    case.status = "closed"
    case.save()
    Document.objects.create(firm=case.firm, case=case, kind="passport")
    assert client_reminders_queue(today=date(2026, 11, 23)) == 0
