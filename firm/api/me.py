"""/me: the logged-in client's own record."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm import selectors
from firm.api.base import (
    ModelSerializer,
    PortalViewMixin,
)
from firm.models import (
    Client,
)

# --- The client portal: /me ------------------------------------------------------------------------------------


class MeSerializer(ModelSerializer):
    citizenships = serializers.ListField(child=serializers.CharField(), read_only=True)
    country_of_residence = serializers.CharField(read_only=True)
    lawyer_name = serializers.SerializerMethodField()
    lawyer_email = serializers.EmailField(
        source="assigned_lawyer.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "citizenships",
            "country_of_residence",
            "marital_status",
            "status",
            "preferred_language",
            "lawyer_name",
            "lawyer_email",
            "created_at",
        ]
        read_only_fields = fields

    def get_lawyer_name(self, client: Client) -> str | None:
        lawyer = client.assigned_lawyer
        return (lawyer.get_full_name() or lawyer.email) if lawyer else None


class MeView(PortalViewMixin, APIView):
    """The logged-in client's own record (read-only: changes go through the firm)."""

    @extend_schema(operation_id="me_retrieve", responses={200: MeSerializer}, tags=["me"])
    def get(self, request: Request) -> Response:
        client = selectors.client_get(actor=self.actor, client_id=self.actor.client_id)
        return Response(MeSerializer(client).data)
