"""Webhook endpoints of the firm (admins) and their delivery log with replay."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from firm.api.base import ActorViewMixin, EmptySerializer, scoped_get
from integrations import selectors
from integrations.api.serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services import webhooks as services

TAGS = ["webhooks"]


@extend_schema_view(
    list=extend_schema(tags=TAGS),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(tags=TAGS, responses={201: WebhookEndpointCreatedSerializer}),
    partial_update=extend_schema(tags=TAGS),
    destroy=extend_schema(tags=TAGS),
)
class WebhookEndpointViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Where the firm's events are POSTed, signed the Standard Webhooks way. The `whsec_` secret is in the
    creation (and rotation) answer only. In production only https URLs that resolve to public addresses
    are accepted (checked again at every delivery)."""

    queryset = WebhookEndpoint.objects.none()
    serializer_class = WebhookEndpointSerializer
    allowed_actor_kinds = frozenset({"staff"})
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete"]
    permission_map: ClassVar[dict[str, str]] = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update", "destroy", "rotate_secret"], "integrations.manage"
    )

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.endpoint_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = WebhookEndpointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(actor=self.actor, **data.validated_data)
        endpoint.secret_shown = secret  # type: ignore[attr-defined]
        body = {**WebhookEndpointSerializer(endpoint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        data = WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(
            actor=self.actor, endpoint=endpoint, data=dict(data.validated_data)
        )
        return Response(WebhookEndpointSerializer(endpoint).data)

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        services.endpoint_delete(actor=self.actor, endpoint=instance)

    @extend_schema(request=None, responses={200: WebhookEndpointCreatedSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="rotate-secret", serializer_class=EmptySerializer)
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        endpoint = self.get_object()
        secret = services.endpoint_rotate_secret(actor=self.actor, endpoint=endpoint)
        return Response({**WebhookEndpointSerializer(endpoint).data, "secret": secret})


_ENDPOINT_PARAM = OpenApiParameter("webhook_endpoint_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(tags=TAGS, parameters=[_ENDPOINT_PARAM]),
    retrieve=extend_schema(tags=TAGS, parameters=[_ENDPOINT_PARAM]),
    replay=extend_schema(parameters=[_ENDPOINT_PARAM]),
)
class WebhookDeliveryViewSet(
    ActorViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The delivery log of one endpoint: each event, its status, and every attempt's status code."""

    queryset = WebhookDelivery.objects.none()
    serializer_class = WebhookDeliverySerializer
    allowed_actor_kinds = frozenset({"staff"})
    filterset_fields: ClassVar[list[str]] = ["status"]
    permission_map: ClassVar[dict[str, str]] = dict.fromkeys(
        ["list", "retrieve", "replay"], "integrations.manage"
    )

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return WebhookDelivery.objects.none()
        endpoint = scoped_get(
            selectors.endpoint_list(actor=self.actor),
            actor=self.actor,
            pk=self.kwargs.get("webhook_endpoint_id"),
        )  # another firm's endpoint: 404, audited
        return selectors.delivery_list(actor=self.actor, endpoint_id=endpoint.pk).prefetch_related("log")

    @extend_schema(request=None, responses={200: WebhookDeliverySerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def replay(
        self, request: Request, webhook_endpoint_id: str | None = None, pk: str | None = None
    ) -> Response:
        """Send this event to the endpoint again (same webhook-id), with a new day of retries."""
        delivery = services.delivery_replay(actor=self.actor, delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data)
