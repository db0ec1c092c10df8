"""Client emails about their case (status changes). Sent after commit, in the client's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from cases.models import Case


def case_status_changed(*, case: Case, previous: str) -> None:
    client = case.client
    if not client.email:
        return

    def send() -> None:
        with translation.override(client.preferred_language or "en"):
            context = {"case": case, "client": client, "previous": previous}
            subject = render_to_string("email/case_status_subject.txt", context).strip()
            body = render_to_string("email/case_status.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [client.email], fail_silently=True)

    transaction.on_commit(send)
