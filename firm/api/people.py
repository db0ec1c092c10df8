"""REST API of the people of a client's file: family members (`/family-members/`), residences
(`/residences/`) and status documents with their expiry (`/status-documents/`). Thin: services write."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from firm import people_services as services
from firm.api.base import ActorViewMixin, CountryFieldMixin, IdFilter, ModelSerializer
from firm.api.fields import ScopedPrimaryKeyField
from firm.api.sensitive import SensitiveIdentifierField
from firm.models import Client, FamilyMember, ResidencePeriod, StatusDocument

PERMISSIONS: dict[str, str] = {
    "list": "client.view",
    "retrieve": "client.view",
    "create": "client.change",
    "partial_update": "client.change",
    "destroy": "client.change",
}


class ClientFilter(django_filters.FilterSet):
    client = IdFilter(field_name="client_id")


class FamilyMemberSerializer(CountryFieldMixin, ModelSerializer):
    client = ScopedPrimaryKeyField(Client)
    uci = SensitiveIdentifierField("uci")

    class Meta:
        model = FamilyMember
        fields = [
            "id",
            "client",
            "relationship",
            "first_name",
            "last_name",
            "date_of_birth",
            "citizenship",
            "accompanying",
            "uci",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class FamilyMemberUpdateSerializer(FamilyMemberSerializer):
    class Meta(FamilyMemberSerializer.Meta):
        read_only_fields = ["id", "created_at", "client"]


class _PeopleViewSet(ActorViewMixin, viewsets.ModelViewSet):
    filterset_class = ClientFilter
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]
    permission_map: ClassVar[dict[str, str]] = PERMISSIONS


@extend_schema_view(
    list=extend_schema(tags=["family"]),
    create=extend_schema(tags=["family"]),
    retrieve=extend_schema(tags=["family"]),
    partial_update=extend_schema(tags=["family"], request=FamilyMemberUpdateSerializer),
    destroy=extend_schema(tags=["family"]),
)
class FamilyMemberViewSet(_PeopleViewSet):
    """Spouse or partner and dependent children of a client: persons of the client's cases. Adding one
    re-assesses the open cases, whose checklists gain the documents the person brings."""

    queryset = FamilyMember.objects.none()
    serializer_class = FamilyMemberSerializer

    class Filter(ClientFilter):
        class Meta:
            model = FamilyMember
            fields = ["relationship"]

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[FamilyMember]:
        return services.family_list(actor=self.actor)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return FamilyMemberUpdateSerializer if self.action == "partial_update" else FamilyMemberSerializer

    def perform_create(self, serializer: FamilyMemberSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.family_member_create(
            actor=self.actor, client=data.pop("client"), **data
        )

    def perform_update(self, serializer: FamilyMemberSerializer) -> None:
        serializer.instance = services.family_member_update(
            actor=self.actor, member=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: FamilyMember) -> None:
        services.family_member_delete(actor=self.actor, member=instance)


class ResidenceSerializer(CountryFieldMixin, ModelSerializer):
    client = ScopedPrimaryKeyField(Client)
    member = ScopedPrimaryKeyField(FamilyMember, required=False, allow_null=True)

    class Meta:
        model = ResidencePeriod
        fields = ["id", "client", "member", "country", "start_date", "end_date"]
        read_only_fields = ["id"]


@extend_schema_view(
    list=extend_schema(tags=["family"]),
    create=extend_schema(tags=["family"]),
    retrieve=extend_schema(tags=["family"]),
    destroy=extend_schema(tags=["family"]),
)
class ResidenceViewSet(_PeopleViewSet):
    """Countries where a person of the file lived (police certificates: each country of 6+ months in a
    row since 18). `member` empty: the client."""

    queryset = ResidencePeriod.objects.none()
    serializer_class = ResidenceSerializer
    http_method_names: ClassVar[list[str]] = ["get", "post", "delete", "head", "options"]

    class Filter(ClientFilter):
        class Meta:
            model = ResidencePeriod
            fields: ClassVar[list[str]] = []

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[ResidencePeriod]:
        return services.residence_list(actor=self.actor)

    def perform_create(self, serializer: ResidenceSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.residence_create(actor=self.actor, client=data.pop("client"), **data)

    def perform_destroy(self, instance: ResidencePeriod) -> None:
        services.residence_delete(actor=self.actor, period=instance)


class StatusDocumentSerializer(ModelSerializer):
    client = ScopedPrimaryKeyField(Client)
    member = ScopedPrimaryKeyField(FamilyMember, required=False, allow_null=True)
    number = SensitiveIdentifierField("status_document_number")
    state = serializers.SerializerMethodField(
        help_text="valid, maintained (extension applied in time) or expired"
    )

    class Meta:
        model = StatusDocument
        fields = [
            "id",
            "client",
            "member",
            "kind",
            "number",
            "issued_on",
            "expires_on",
            "extension_applied_on",
            "state",
            "created_at",
        ]
        read_only_fields = ["id", "state", "created_at"]

    def get_state(self, doc: StatusDocument) -> str:
        return doc.state_on(timezone.localdate())


class StatusDocumentUpdateSerializer(StatusDocumentSerializer):
    class Meta(StatusDocumentSerializer.Meta):
        read_only_fields = ["id", "state", "created_at", "client"]


@extend_schema_view(
    list=extend_schema(tags=["family"]),
    create=extend_schema(tags=["family"]),
    retrieve=extend_schema(tags=["family"]),
    partial_update=extend_schema(tags=["family"], request=StatusDocumentUpdateSerializer),
    destroy=extend_schema(tags=["family"]),
)
class StatusDocumentViewSet(_PeopleViewSet):
    """Work permit, study permit, visitor record, passport and PR card of the people of a file, with
    their expiry; the lawyer is reminded at the firm's lead times (maintained status shown)."""

    queryset = StatusDocument.objects.none()
    serializer_class = StatusDocumentSerializer

    class Filter(ClientFilter):
        expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

        class Meta:
            model = StatusDocument
            fields = ["kind"]

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[StatusDocument]:
        return services.status_document_list(actor=self.actor)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return StatusDocumentUpdateSerializer if self.action == "partial_update" else StatusDocumentSerializer

    def perform_create(self, serializer: StatusDocumentSerializer) -> None:
        data: dict[str, Any] = dict(serializer.validated_data)
        serializer.instance = services.status_document_create(
            actor=self.actor, client=data.pop("client"), **data
        )

    def perform_update(self, serializer: StatusDocumentSerializer) -> None:
        serializer.instance = services.status_document_update(
            actor=self.actor, document=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: StatusDocument) -> None:
        services.status_document_delete(actor=self.actor, document=instance)
