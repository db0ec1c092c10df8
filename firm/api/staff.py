"""/staff: the firm's staff memberships."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from firm import security, selectors, services
from firm.api.base import ActorViewMixin, EmptySerializer, ModelSerializer
from firm.constants import Role
from firm.models import (
    Firm,
    Membership,
)
from firm.staff_invites import staff_invite


class StaffSerializer(ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    user_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_id", "email", "first_name", "last_name", "role", "is_active", "created_at"]
        read_only_fields = fields


class StaffCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        min_length=10,
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        help_text="Leave empty to create the login without a usable password (set through a reset).",
    )


class StaffInvitedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.CharField()
    status = serializers.ChoiceField(choices=["invited"])


class StaffUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class StaffFilter(django_filters.FilterSet):
    class Meta:
        model = Membership
        fields = ["role", "is_active"]


@extend_schema_view(
    list=extend_schema(tags=["staff"]),
    retrieve=extend_schema(tags=["staff"]),
    create=extend_schema(
        tags=["staff"], request=StaffCreateSerializer, responses={202: StaffInvitedSerializer}
    ),
    partial_update=extend_schema(
        tags=["staff"], request=StaffUpdateSerializer, responses={200: StaffSerializer}
    ),
)
class StaffViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The firm's staff. Every staff member may list them; only admins add, change roles or deactivate."""

    queryset = Membership.objects.none()
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    ordering_fields: ClassVar[list[str]] = ["user__email", "created_at", "role"]
    ordering: ClassVar[list[str]] = ["user__email"]
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {
        "list": "client.view",
        "retrieve": "client.view",
        "create": "staff.manage",
        "partial_update": "staff.manage",
        "reset_two_factor": "staff.manage",
    }

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.staff_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Invite a staff member. The answer is the same whether or not the address has an account in
        another firm (firm.staff_invites): 202, and an email goes to the address."""
        data = StaffCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        firm = Firm.objects.restrict(self.actor).get()
        result = staff_invite(
            actor=self.actor,
            firm=firm,
            domain=request.get_host(),
            use_https=request.is_secure(),
            **data.validated_data,
        )
        body = {"email": result.email, "role": result.role, "status": "invited"}
        return Response(StaffInvitedSerializer(body).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: StaffSerializer}, tags=["staff"])
    @action(detail=True, methods=["post"], url_path="reset-two-factor", serializer_class=EmptySerializer)
    def reset_two_factor(self, request: Request, pk: str | None = None) -> Response:
        """Remove the member's two-factor devices (a lost phone); ends their sessions and tokens. Audited."""
        membership = self.get_object()
        security.two_factor_reset(actor=self.actor, membership=membership)
        return Response(StaffSerializer(membership).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = self.get_object()
        data = StaffUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_update(
            actor=self.actor, membership=membership, **data.validated_data
        )
        return Response(StaffSerializer(membership).data)
