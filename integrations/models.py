"""Integrations: form providers in (intake sources and their submissions), signed webhooks out.

* `IntakeSource`: a firm's form (Typeform, Tally, Jotform or any Standard Webhooks sender) posting to
  `/api/v1/intake/sources/<public_id>/`, with its secret and the mapping of its questions to intake
  fields.
* `IntakeSubmission`: every verified body received, kept as it came, keyed by the provider's
  submission id (the idempotency key). Failed ones keep their errors until replayed.
* `WebhookEndpoint`: where the firm wants events sent, which ones, and the `whsec_` signing secret.
* `WebhookEvent`: what happened (ids and changed fields), written in the transaction of the change.
* `WebhookDelivery`: the outbox row of one event for one endpoint (pending -> sending -> delivered or
  failed), with `WebhookAttempt` rows as the delivery log (status code, error, duration).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet


class Provider(models.TextChoices):
    TYPEFORM = "typeform", _("Typeform")
    TALLY = "tally", _("Tally")
    JOTFORM = "jotform", _("Jotform")
    GENERIC = "generic", _("Other (Standard Webhooks)")


def new_public_id() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 random bits


class IntakeSource(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="intake_sources")
    name = models.CharField(_("name"), max_length=120)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    # The shared secret must be readable to verify an HMAC (or compare Jotform's URL token).
    secret = models.CharField(_("secret"), max_length=200, editable=False)
    mapping = models.JSONField(
        _("mapping"),
        default=dict,
        blank=True,
        help_text=_("Intake field → the provider's question reference."),
    )
    value_map = models.JSONField(
        _("answer translations"),
        default=dict,
        blank=True,
        help_text=_("Per intake field, the provider's answer text → our value (e.g. “Married” → married)."),
    )
    defaults = models.JSONField(
        _("fixed values"),
        default=dict,
        blank=True,
        help_text=_("Intake fields given the same value for every submission (e.g. pathway)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("intake source")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_provider_display()})"


class IntakeSubmission(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        PROCESSED = "processed", _("Created the client")
        FAILED = "failed", _("Failed: needs a mapping fix")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(IntakeSource, on_delete=models.CASCADE, related_name="submissions")
    external_id = models.CharField(_("provider's submission id"), max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROCESSING)
    content_type = models.CharField(max_length=120, blank=True)
    body = models.TextField(help_text="The body exactly as received (after the signature check).")
    answers = models.JSONField(default=dict, blank=True, help_text="Question reference → answer.")
    errors = models.JSONField(default=dict, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(default=dict, blank=True)
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_id = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("intake submission")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="intake_submission_unique_id")
        ]
        indexes = [models.Index(fields=["firm", "status"])]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id} ({self.status})"


class WebhookEndpoint(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    secret = models.CharField(max_length=100, editable=False)  # whsec_<base64>, shown once
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["url", "pk"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    public_id = models.CharField(max_length=40, unique=True, editable=False)
    type = models.CharField(max_length=40, db_index=True)
    data = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "dedupe_key"], name="webhook_event_unique_dedupe_key")
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"

    @staticmethod
    def new_public_id() -> str:
        return f"evt_{uuid.uuid4().hex}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True, editable=False)  # the webhook-id header
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    retry_until = models.DateTimeField(
        help_text="Retried until then, then failed (a day; reset by a replay)."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_unique_event")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id} ({self.status})"

    @staticmethod
    def new_message_id() -> str:
        return f"msg_{uuid.uuid4().hex}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the delivery log."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status_code or self.error}"
