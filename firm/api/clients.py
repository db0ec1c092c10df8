"""/clients: the firm's clients and their portal invitations."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from firm import selectors, services
from firm.api.base import (
    ActorViewMixin,
    CountryFieldMixin,
    IdFilter,
    ModelSerializer,
)
from firm.api.fields import FirmStaffField
from firm.api.sensitive import SensitiveIdentifierField
from firm.fields import CLIENT_API_FIELDS
from firm.models import (
    Client,
    Firm,
)

# --- Clients ------------------------------------------------------------------------------------------------


CLIENT_FIELDS = list(CLIENT_API_FIELDS)


class ClientSerializer(CountryFieldMixin, ModelSerializer):
    assigned_lawyer = FirmStaffField(required=False, allow_null=True)
    assigned_lawyer_email = serializers.EmailField(
        source="assigned_lawyer.email", read_only=True, allow_null=True, default=None
    )
    has_portal_login = serializers.SerializerMethodField()
    # Sensitive identifiers: format-checked, masked in lists (firm.api.sensitive).
    ee_profile_number = SensitiveIdentifierField("ee_profile_number")
    ee_job_seeker_code = SensitiveIdentifierField("ee_job_seeker_code")
    uci = SensitiveIdentifierField("uci")

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_has_portal_login(self, client: Client) -> bool:
        return client.portal_user_id is not None


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or email contains")
    assigned_lawyer = IdFilter(field_name="assigned_lawyer_id")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Client
        fields = ["status", "marital_status", "preferred_language"]

    def search(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset


class PortalInviteSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        min_length=10,
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        help_text="Optional initial password; without it the client sets one through a reset link.",
    )


CLIENT_PERMISSIONS = {
    "list": "client.view",
    "retrieve": "client.view",
    "create": "client.change",
    "update": "client.change",
    "partial_update": "client.change",
    "destroy": "client.delete",
    "portal_invite": "client.change",
}


@extend_schema_view(
    list=extend_schema(tags=["clients"]),
    retrieve=extend_schema(tags=["clients"]),
    create=extend_schema(tags=["clients"]),
    update=extend_schema(tags=["clients"]),
    partial_update=extend_schema(tags=["clients"]),
    destroy=extend_schema(tags=["clients"]),
)
class ClientViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """The firm's clients (prospects and retained). Facts are under /clients/{client_id}/<facts>/."""

    queryset = Client.objects.none()
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    ordering_fields: ClassVar[list[str]] = ["last_name", "first_name", "created_at", "updated_at", "status"]
    permission_map = CLIENT_PERMISSIONS

    def get_queryset(self) -> QuerySet[Client]:
        return selectors.client_list(actor=self.actor)

    def perform_create(self, serializer: ClientSerializer) -> None:
        firm = Firm.objects.restrict(self.actor).get()
        serializer.instance = services.client_create(actor=self.actor, firm=firm, **serializer.validated_data)

    def perform_update(self, serializer: ClientSerializer) -> None:
        serializer.instance = services.client_update(
            actor=self.actor, client=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Client) -> None:
        services.client_delete(actor=self.actor, client=instance)

    @extend_schema(request=PortalInviteSerializer, responses={200: ClientSerializer}, tags=["clients"])
    @action(detail=True, methods=["post"], url_path="portal-invite", serializer_class=PortalInviteSerializer)
    def portal_invite(self, request: Request, pk: str | None = None) -> Response:
        """Create the client's portal login (their email address is the login)."""
        client = self.get_object()
        data = PortalInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_portal_invite(
            actor=self.actor, client=client, password=data.validated_data["password"]
        )
        client.refresh_from_db()
        return Response(ClientSerializer(client, context=self.get_serializer_context()).data)
