"""/notes: staff notes on a case (some shared with the client)."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from cases import selectors, services
from cases.models import Case, Note
from firm.api.base import (
    ActorViewMixin,
    IdFilter,
    ModelSerializer,
)
from firm.api.fields import ScopedPrimaryKeyField


class NoteSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case)
    author_email = serializers.EmailField(
        source="author.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Note
        fields = ["id", "case", "author", "author_email", "text", "visible_to_client", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class NoteFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Note
        fields = ["visible_to_client"]


@extend_schema_view(
    list=extend_schema(tags=["notes"]),
    retrieve=extend_schema(tags=["notes"]),
    create=extend_schema(tags=["notes"]),
)
class NoteViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Notes on the firm's cases; `visible_to_client` shares one with the client in the portal."""

    queryset = Note.objects.none()
    serializer_class = NoteSerializer
    filterset_class = NoteFilter
    ordering_fields: ClassVar[list[str]] = ["created_at"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
    }

    def get_queryset(self) -> QuerySet[Note]:
        return selectors.note_list(actor=self.actor)

    def perform_create(self, serializer: NoteSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.note_create(
            actor=self.actor,
            case=data["case"],
            text=data["text"],
            visible_to_client=data.get("visible_to_client", False),
        )
