"""Django admin for integrations: read mostly; secrets never shown."""

from __future__ import annotations

from django.contrib import admin

from integrations.models import (
    IntakeSource,
    IntakeSubmission,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "firm", "is_active", "created_at")
    list_filter = ("provider", "is_active")
    exclude = ("secret",)
    readonly_fields = ("public_id",)


@admin.register(IntakeSubmission)
class IntakeSubmissionAdmin(admin.ModelAdmin):
    list_display = ("external_id", "source", "status", "received_at", "client")
    list_filter = ("status",)
    readonly_fields = [f.name for f in IntakeSubmission._meta.fields]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "firm", "is_active", "failing_since")
    list_filter = ("is_active",)
    exclude = ("secret",)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("status_code", "error", "duration_ms", "created_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "endpoint", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = (WebhookAttemptInline,)
