"""The questionnaire request email, through the notification outbox.

The row holds no secret: the one-time login link is issued when the email is rendered for sending
(`firm.security.magic_link_issue`), and leads to the questionnaire after the login.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from firm.emails import absolute
from firm.security import magic_link_issue
from notifications.models import Notification
from notifications.services import NothingToSend, notifications_enqueue, register_renderer

KIND = Notification.Kind.QUESTIONNAIRE_REQUEST


def questionnaire_link(notification: Notification) -> str:
    user = notification.recipient_user
    if user is None or not user.is_active:
        raise NothingToSend("the client has no portal access any more")
    token = magic_link_issue(user=user)
    return (
        absolute(reverse("magic-link-login", kwargs={"token": token}))
        + "?next="
        + reverse("portal-questionnaire")
    )


def render_request(notification: Notification, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "email/questionnaire_request", {
        **base,
        "client": notification.client,
        "questions": notification.payload.get("questions", []),
        "link": questionnaire_link(notification),
    }


def register() -> None:
    register_renderer(KIND, render_request)


def queue_request_email(questionnaire: Any, *, questions: list[dict[str, Any]]) -> Notification | None:
    client = questionnaire.client
    if not client.email or not client.portal_user_id:
        return None
    notification = Notification.objects.create(
        firm_id=client.firm_id,
        kind=KIND,
        recipient_email=client.email,
        recipient_user_id=client.portal_user_id,
        client=client,
        language=client.preferred_language or "en",
        payload={"questionnaire_id": questionnaire.pk, "questions": questions},
        dedupe_key=f"questionnaire:{questionnaire.pk}:v{questionnaire.version}:{timezone.now().timestamp()}",
        created_at=timezone.now(),
    )
    transaction.on_commit(lambda: notifications_enqueue([notification.pk]))
    return notification
