"""The outbox: one row per email to send, written in the transaction of the change that causes it
(draw flagging, a case status change, a reminder run), with a UNIQUE dedupe key. A task claims it
(pending -> sending), sends it, marks it sent. A row left in `sending` is never resent automatically (at
most once; staff decide). Services: notifications.services. Design: docs/draws.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet


class Notification(models.Model):
    """Outbox row: one email to send at most once. See the module docstring."""

    class Kind(models.TextChoices):
        DRAW_DIGEST = "draw_digest", _("Draw digest (lawyer)")
        CLIENT_DRAW_ALERT = "client_draw_alert", _("Draw alert (client)")
        CASE_STATUS = "case_status", _("Case status change (client)")
        CLIENT_REMINDER = "client_reminder", _("Documents and deadlines reminder (client)")
        STAFF_DIGEST = "staff_digest", _("Morning digest of tasks and deadlines (staff)")
        STATUS_EXPIRY = "status_expiry", _("Permit, passport or PR card expiring (lawyer)")
        WEBHOOK_DISABLED = "webhook_disabled", _("Webhook endpoint disabled (firm admin)")
        QUESTIONNAIRE_REQUEST = "questionnaire_request", _("Questionnaire to fill in (client)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending (or stuck: check before resending)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (nothing left to say)")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    recipient_email = models.EmailField()
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    draw = models.ForeignKey(
        "scoring.Draw", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, default="en")
    dedupe_key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a pending row is due (retry backoff); the sweeper waits past it.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        db_table = "scoring_notification"  # the table predates this app (moved from scoring, data kept)
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_created"),
            models.Index(fields=["claimed_at"], name="notification_sending", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_email} ({self.status})"
