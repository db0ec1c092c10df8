"""Intake sources (firm admins) and their submissions (staff can see failed ones; admins replay)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from firm.api.base import ActorViewMixin, EmptySerializer
from integrations import selectors
from integrations.api.serializers import (
    IntakeSourceCreateSerializer,
    IntakeSourceSecretSerializer,
    IntakeSourceSerializer,
    IntakeSourceUpdateSerializer,
    IntakeSubmissionResultSerializer,
    IntakeSubmissionSerializer,
    PreviewSerializer,
)
from integrations.models import IntakeSource, IntakeSubmission, Provider
from integrations.services import intake as services

TAGS = ["integrations"]


def _with_secret(source: IntakeSource, secret: str, request: Request) -> dict[str, Any]:
    source.secret_shown = secret  # type: ignore[attr-defined]
    data = dict(IntakeSourceSerializer(source, context={"request": request}).data)
    data["secret"] = secret
    data["receive_url_with_token"] = (
        request.build_absolute_uri(services.receive_path(source, secret=secret))
        if source.provider == Provider.JOTFORM
        else ""
    )
    return data


@extend_schema_view(
    list=extend_schema(tags=TAGS),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS, request=IntakeSourceCreateSerializer, responses={201: IntakeSourceSecretSerializer}
    ),
    partial_update=extend_schema(tags=TAGS, request=IntakeSourceUpdateSerializer),
    destroy=extend_schema(tags=TAGS),
)
class IntakeSourceViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A form provider posting to `/api/v1/intake/sources/{public_id}/`: provider, mapping of its
    question references to intake fields. The secret is in the creation (and rotation) answer only."""

    queryset = IntakeSource.objects.none()
    serializer_class = IntakeSourceSerializer
    allowed_actor_kinds = frozenset({"staff"})
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "integrations.view",
        "retrieve": "integrations.view",
        "create": "integrations.manage",
        "partial_update": "integrations.manage",
        "destroy": "integrations.manage",
        "rotate_secret": "integrations.manage",
        "preview": "integrations.manage",
    }

    def get_queryset(self) -> QuerySet[IntakeSource]:
        return selectors.source_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = IntakeSourceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source, secret = services.source_create(actor=self.actor, **data.validated_data)
        return Response(_with_secret(source, secret, request), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        data = IntakeSourceUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        source = services.source_update(actor=self.actor, source=source, data=dict(data.validated_data))
        return Response(IntakeSourceSerializer(source, context={"request": request}).data)

    def perform_destroy(self, instance: IntakeSource) -> None:
        services.source_delete(actor=self.actor, source=instance)

    @extend_schema(request=None, responses={200: IntakeSourceSecretSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="rotate-secret", serializer_class=EmptySerializer)
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        secret = services.source_rotate_secret(actor=self.actor, source=source)
        return Response(_with_secret(source, secret, request))

    @extend_schema(request=None, responses={200: PreviewSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def preview(self, request: Request, pk: str | None = None) -> Response:
        """The test button: what the last received submission would create (nothing is written)."""
        return Response(services.source_preview(actor=self.actor, source=self.get_object()))


@extend_schema_view(list=extend_schema(tags=TAGS), retrieve=extend_schema(tags=TAGS))
class IntakeSubmissionViewSet(
    ActorViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Every verified body received by the firm's sources; failed ones carry their errors."""

    queryset = IntakeSubmission.objects.none()
    serializer_class = IntakeSubmissionSerializer
    allowed_actor_kinds = frozenset({"staff"})
    filterset_fields: ClassVar[list[str]] = ["status", "source"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "integrations.view",
        "retrieve": "integrations.view",
        "replay": "integrations.manage",
    }

    def get_queryset(self) -> QuerySet[IntakeSubmission]:
        return selectors.submission_list(actor=self.actor)

    @extend_schema(request=None, responses={200: IntakeSubmissionResultSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def replay(self, request: Request, pk: str | None = None) -> Response:
        """Process a failed submission again with the source's current mapping."""
        result = services.submission_replay(actor=self.actor, submission=self.get_object())
        return Response(result.body, status=status.HTTP_200_OK)
