"""Admin of the outbox: stuck rows are requeued or marked sent by a person (never automatically)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from firm.admin import FirmScopedAdmin, ReadOnlyAdmin, admin_actor
from notifications.models import Notification
from notifications.services import notification_mark_sent, notification_requeue


@admin.register(Notification)
class NotificationAdmin(FirmScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient_email",
        "firm",
        "draw",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "firm"]
    search_fields = ["recipient_email", "dedupe_key"]
    list_select_related_fields = ("firm", "draw")
    actions = ["requeue", "mark_sent"]

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        return (obj.last_error or "")[:80]

    @admin.action(description="Send again (stuck or failed rows; the email may have gone out already)")
    def requeue(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_requeue(
            notification_ids=queryset.values_list("pk", flat=True), actor=admin_actor(request)
        )
        self.message_user(request, f"{count} notifications queued to be sent again.", messages.WARNING)

    @admin.action(description="Mark as sent (I checked: the email went out)")
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_mark_sent(
            notification_ids=queryset.values_list("pk", flat=True), actor=admin_actor(request)
        )
        self.message_user(request, f"{count} stuck notifications marked sent.")
