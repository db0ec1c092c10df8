"""/api-keys: the firm's integration keys."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from firm import selectors, services
from firm.api.base import (
    ActorViewMixin,
    EmptySerializer,
    ModelSerializer,
)
from firm.models import (
    ApiKey,
    Firm,
)


class ApiKeySerializer(ModelSerializer):
    prefix = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "is_active", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields

    def get_prefix(self, key: ApiKey) -> str:
        return f"mck_{key.public_id}"


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ApiKey.Scope.choices), min_length=1, max_length=4
    )


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(
        read_only=True, help_text="The secret. Shown once, never again: store it now."
    )

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", label="active")

    class Meta:
        model = ApiKey
        fields: ClassVar[list[str]] = []


@extend_schema_view(
    list=extend_schema(tags=["api-keys"]),
    retrieve=extend_schema(tags=["api-keys"]),
    create=extend_schema(
        tags=["api-keys"], request=ApiKeyCreateSerializer, responses={201: ApiKeyCreatedSerializer}
    ),
)
class ApiKeyViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Integration keys. Firm admins only. The secret is in the creation answer only; keys are stored
    hashed and can be revoked (a revoked key answers 401 from then on)."""

    queryset = ApiKey.objects.none()
    serializer_class = ApiKeySerializer
    filterset_class = ApiKeyFilter
    ordering_fields: ClassVar[list[str]] = ["created_at", "name", "last_used_at"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = dict.fromkeys(
        ["list", "retrieve", "create", "revoke"], "apikey.manage"
    )

    def get_queryset(self) -> QuerySet[ApiKey]:
        return selectors.api_key_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        firm = Firm.objects.restrict(self.actor).get()
        key, raw = services.api_key_create(actor=self.actor, firm=firm, **data.validated_data)
        key.key = raw  # type: ignore[attr-defined]
        return Response(ApiKeyCreatedSerializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiKeySerializer}, tags=["api-keys"])
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        key = services.api_key_revoke(actor=self.actor, key=self.get_object())
        return Response(ApiKeySerializer(key).data)
