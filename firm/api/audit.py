"""/audit-events: the firm's audit trail (read-only)."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from firm import selectors
from firm.api.base import (
    ActorViewMixin,
    IdFilter,
    ModelSerializer,
)
from firm.models import (
    AuditEvent,
)


class AuditEventSerializer(ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "client",
            "changes",
            "ip_address",
            "created_at",
        ]
        read_only_fields = fields


class AuditEventFilter(django_filters.FilterSet):
    client = IdFilter(field_name="client_id")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id"]


@extend_schema_view(list=extend_schema(tags=["audit"]), retrieve=extend_schema(tags=["audit"]))
class AuditEventViewSet(ActorViewMixin, viewsets.ReadOnlyModelViewSet):
    """The firm's audit log (admins and lawyers)."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields: ClassVar[list[str]] = ["created_at"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {"list": "audit.view", "retrieve": "audit.view"}

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return selectors.audit_list(actor=self.actor)
