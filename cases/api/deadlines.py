"""/deadlines: a case's deadlines."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.common import CaseClientIdField, with_case_client_id
from cases.models import Case, Deadline
from firm.api.base import (
    ActorViewMixin,
    IdFilter,
    ModelSerializer,
)
from firm.api.fields import ScopedPrimaryKeyField

# --- Deadlines and notes ------------------------------------------------------------------------------------


class DeadlineSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case)
    client = CaseClientIdField(source="case.client_id", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "case",
            "client",
            "kind",
            "label",
            "due_on",
            "done",
            "done_at",
            "source_rule",
            "milestone",
            "closed_by",
            "created_at",
        ]
        read_only_fields = ["id", "done", "done_at", "source_rule", "milestone", "closed_by", "created_at"]


class DeadlineCompleteSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class DeadlineFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")
    client = IdFilter(field_name="case__client_id")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = Deadline
        fields = ["done", "kind"]


@extend_schema_view(
    list=extend_schema(tags=["deadlines"]),
    retrieve=extend_schema(tags=["deadlines"]),
    create=extend_schema(tags=["deadlines"]),
)
class DeadlineViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deadlines of the firm's cases."""

    queryset = Deadline.objects.none()
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    ordering_fields: ClassVar[list[str]] = ["due_on", "created_at"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
        "complete": "case.change",
    }

    def get_queryset(self) -> QuerySet[Deadline]:
        queryset = selectors.deadline_list(actor=self.actor)
        return with_case_client_id(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer: DeadlineSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.deadline_create(actor=self.actor, case=data.pop("case"), **data)

    @extend_schema(
        request=DeadlineCompleteSerializer, responses={200: DeadlineSerializer}, tags=["deadlines"]
    )
    @action(detail=True, methods=["post"], serializer_class=DeadlineCompleteSerializer)
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the deadline done (or reopen it with `done: false`)."""
        deadline = self.get_object()
        data = DeadlineCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = services.deadline_complete(
            actor=self.actor, deadline=deadline, done=data.validated_data["done"]
        )
        return Response(DeadlineSerializer(deadline, context=self.get_serializer_context()).data)
