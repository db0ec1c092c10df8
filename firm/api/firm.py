"""/firm: the caller's firm and its settings."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm import services
from firm.api.base import (
    ActorViewMixin,
    ModelSerializer,
)
from firm.models import (
    Firm,
)

# --- Firm, staff, API keys, audit -----------------------------------------------------------------------------


class FirmSerializer(ModelSerializer):
    status_reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=730),
        required=False,
        max_length=6,
        help_text="Days before a permit, passport or PR card expires to remind the lawyer (empty: 120, 90, 30).",
    )

    class Meta:
        model = Firm
        fields = [
            "id",
            "name",
            "slug",
            "province",
            "require_two_factor",
            "email_clients_on_draw",
            "alert_from_email",
            "compare_proposed_crs",
            "status_reminder_days",
            "created_at",
        ]
        read_only_fields = ["id", "slug", "created_at"]


class FirmView(ActorViewMixin, APIView):
    """The caller's firm; admins change its settings."""

    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {"get": "client.view", "patch": "firm.settings"}

    @extend_schema(operation_id="firm_retrieve", responses={200: FirmSerializer}, tags=["firm"])
    def get(self, request: Request) -> Response:
        firm = Firm.objects.restrict(self.actor).get()
        return Response(FirmSerializer(firm).data)

    @extend_schema(
        operation_id="firm_partial_update",
        request=FirmSerializer,
        responses={200: FirmSerializer},
        tags=["firm"],
    )
    def patch(self, request: Request) -> Response:
        firm = Firm.objects.restrict(self.actor).get()
        data = FirmSerializer(firm, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        firm = services.firm_settings_update(actor=self.actor, firm=firm, data=data.validated_data)
        return Response(FirmSerializer(firm).data)
