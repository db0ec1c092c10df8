"""Serializers of the integrations API (secrets appear only in creation/rotation answers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from firm.api.base import ModelSerializer
from firm.events import EVENT_TYPES
from integrations.models import (
    IntakeSource,
    IntakeSubmission,
    Provider,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from integrations.services.intake import receive_path


class IntakeSourceSerializer(ModelSerializer):
    receive_url = serializers.SerializerMethodField()
    failed_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = IntakeSource
        fields = [
            "id",
            "name",
            "provider",
            "public_id",
            "receive_url",
            "mapping",
            "value_map",
            "defaults",
            "is_active",
            "failed_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "public_id", "receive_url", "failed_count", "created_at", "updated_at"]

    @extend_schema_field(serializers.CharField())
    def get_receive_url(self, obj: IntakeSource) -> str:
        request = self.context.get("request")
        path = receive_path(obj)
        return request.build_absolute_uri(path) if request is not None else path


class IntakeSourceCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    provider = serializers.ChoiceField(choices=Provider.choices)
    mapping = serializers.JSONField(required=False, default=dict)
    value_map = serializers.JSONField(required=False, default=dict)
    defaults = serializers.JSONField(required=False, default=dict)


class IntakeSourceUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    mapping = serializers.JSONField(required=False)
    value_map = serializers.JSONField(required=False)
    defaults = serializers.JSONField(required=False)
    is_active = serializers.BooleanField(required=False)


class IntakeSourceSecretSerializer(IntakeSourceSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown only in this answer.")
    receive_url_with_token = serializers.CharField(
        read_only=True, help_text="Jotform: the URL to paste, with its token (shown only in this answer)."
    )

    class Meta(IntakeSourceSerializer.Meta):
        fields = [*IntakeSourceSerializer.Meta.fields, "secret", "receive_url_with_token"]


class IntakeSubmissionSerializer(ModelSerializer):
    class Meta:
        model = IntakeSubmission
        fields = [
            "id",
            "source",
            "external_id",
            "status",
            "errors",
            "answers",
            "response_status",
            "client",
            "case_id",
            "attempts",
            "received_at",
            "processed_at",
        ]
        read_only_fields = fields


class IntakeSubmissionResultSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField()
    submission_status = serializers.ChoiceField(choices=IntakeSubmission.Status.choices)
    client_id = serializers.IntegerField(required=False)
    case_id = serializers.IntegerField(required=False)
    errors = serializers.DictField(child=serializers.CharField(), required=False)


class PreviewSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField(allow_null=True)
    valid = serializers.BooleanField()
    payload = serializers.DictField()
    errors = serializers.DictField(child=serializers.CharField())
    summary = serializers.DictField()
    answers = serializers.DictField(help_text="The last submission's answers by question reference.")


class WebhookEndpointSerializer(ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(EVENT_TYPES)), allow_empty=False
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "is_active",
            "disabled_reason",
            "failing_since",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "disabled_reason", "failing_since", "created_at", "updated_at"]

    def validate_url(self, value: str) -> str:
        return value.strip()


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="whsec_…: shown only in this answer.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["id", "status_code", "error", "duration_ms", "created_at"]
        read_only_fields = fields


class WebhookDeliverySerializer(ModelSerializer):
    event_id = serializers.CharField(source="event.public_id", read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    log = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "log",
        ]
        read_only_fields = fields

    @extend_schema_field(WebhookAttemptSerializer(many=True))
    def get_log(self, obj: WebhookDelivery) -> list[dict[str, Any]]:
        return WebhookAttemptSerializer(obj.log.all()[:20], many=True).data
