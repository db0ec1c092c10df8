"""REST API for Express Entry draws, draw matches and alert notifications (thin: selectors do the reads).

* Draws are public IRCC data: any staff member (or an API key with read/write scope) may read them.
* Matches are firm-scoped (staff and read/write API keys of the firm); notifications are staff-only: a
  firm admin sees all the firm's, other staff the ones sent to them or about their clients.
* `POST /draws/sync` (firm admin / lawyer: `draw.manage`) queues a sync task.
Errors use the foundation's shape `{"error": {...}}`.
"""

from __future__ import annotations

from typing import Any

from django.urls import re_path
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.api.base import IdFilter
from firm.errors import ApplicationError
from firm.scoping import actor_for_request
from notifications.models import Notification
from notifications.services import enqueue
from scoring.models import Draw, DrawCategory, DrawMatch
from scoring.selectors.draws import (
    draw_list,
    draw_match_list,
    draw_matches_for_draw,
    notification_list,
)
from scoring.tasks.draws import draws_sync_task

TAGS = ["draws"]


class ServiceUnavailable(ApplicationError):
    status_code = 503


# --- Permissions -----------------------------------------------------------------------------------------


class CanReadDraws(BasePermission):
    """Staff of a firm, or an API key with the read or write scope (draws are public data)."""

    message = "Only firm staff and read API keys may read draws."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_for_request(request)
        return actor.is_staff or (actor.kind == "api_key" and bool(actor.scopes & {"read", "write"}))


class CanViewMatches(BasePermission):
    message = "You may not see the firm's draw matches."

    def has_permission(self, request: Request, view: Any) -> bool:
        return actor_for_request(request).can("client.view")


class IsStaff(BasePermission):
    message = "Only firm staff may see notifications."

    def has_permission(self, request: Request, view: Any) -> bool:
        return actor_for_request(request).is_staff


class CanManageDraws(BasePermission):
    message = "Only a firm admin or a lawyer may trigger a draw sync."

    def has_permission(self, request: Request, view: Any) -> bool:
        return actor_for_request(request).can("draw.manage")


# --- Serializers -----------------------------------------------------------------------------------------


class DrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draw
        fields = [
            "id",
            "draw_number",
            "draw_date",
            "name",
            "category",
            "category_version",
            "programs",
            "invitations",
            "min_crs",
            "run_at",
            "tie_break_at",
            "first_seen_at",
            "updated_at",
            "flagged_at",
        ]
        read_only_fields = fields


class DrawDetailSerializer(DrawSerializer):
    distribution = serializers.DictField(
        child=serializers.IntegerField(), help_text="CRS band -> candidates."
    )
    parse_warnings = serializers.ListField(child=serializers.CharField())
    raw = serializers.DictField(help_text="The round as IRCC's feed gave it.")

    class Meta(DrawSerializer.Meta):
        fields = [
            *DrawSerializer.Meta.fields,
            "distribution",
            "distribution_as_of",
            "parse_warnings",
            "content_hash",
            "category_set_manually",
            "raw",
        ]
        read_only_fields = fields


class DrawMatchSerializer(serializers.ModelSerializer):
    draw_number = serializers.CharField(source="draw.draw_number", read_only=True)
    draw_date = serializers.DateField(source="draw.draw_date", read_only=True)
    min_crs = serializers.IntegerField(
        source="draw.min_crs", read_only=True, help_text="The draw's cut-off now."
    )
    margin = serializers.SerializerMethodField(help_text="score - the draw's cut-off.")
    client_name = serializers.CharField(source="client.full_name", read_only=True)

    class Meta:
        model = DrawMatch
        fields = [
            "id",
            "draw",
            "draw_number",
            "draw_date",
            "min_crs",
            "client",
            "client_name",
            "score",
            "margin",
            "in_pool",
            "by_tie_break",
            "eligibility_basis",
            "rule_set",
            "crs_score",
            "lawyer",
            "status",
            "created_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_margin(self, obj: DrawMatch) -> int:
        return obj.score - obj.draw.min_crs


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "status",
            "recipient_email",
            "recipient_user",
            "client",
            "draw",
            "language",
            "attempts",
            "created_at",
            "claimed_at",
            "sent_at",
            "last_error",
        ]
        read_only_fields = fields


class DrawSyncInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=["feed", "snapshot"],
        default="feed",
        help_text="feed: IRCC's feed (settings.IRCC_DRAWS_FEED_URL); snapshot: the copy shipped with the code.",
    )


class DrawSyncOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    source = serializers.CharField()


# --- Filters ---------------------------------------------------------------------------------------------


class DrawFilter(filters.FilterSet):
    category = filters.MultipleChoiceFilter(choices=DrawCategory.choices, help_text="Repeat for several.")
    date_from = filters.DateFilter(
        field_name="draw_date", lookup_expr="gte", help_text="Draw date on or after."
    )
    date_to = filters.DateFilter(
        field_name="draw_date", lookup_expr="lte", help_text="Draw date on or before."
    )
    draw_number = filters.CharFilter()

    class Meta:
        model = Draw
        fields = ["category", "date_from", "date_to", "draw_number"]


class DrawMatchFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=DrawMatch.Status.choices, help_text="Default on a draw's matches: active."
    )
    in_pool = filters.BooleanFilter()
    draw = IdFilter(field_name="draw_id")
    client = IdFilter(field_name="client_id")
    lawyer = IdFilter(field_name="lawyer_id")

    class Meta:
        model = DrawMatch
        fields = ["status", "in_pool", "draw", "client", "lawyer"]


class NotificationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Notification.Status.choices)
    kind = filters.ChoiceFilter(choices=Notification.Kind.choices)
    draw = IdFilter(field_name="draw_id")

    class Meta:
        model = Notification
        fields = ["status", "kind", "draw"]


# --- Views -----------------------------------------------------------------------------------------------


class DrawListApi(generics.ListAPIView):
    """Express Entry rounds, newest first."""

    permission_classes = [IsAuthenticated, CanReadDraws]
    serializer_class = DrawSerializer
    filterset_class = DrawFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["draw_date", "min_crs", "invitations", "run_at"]

    def get_queryset(self) -> Any:
        return draw_list(actor_for_request(self.request))

    @extend_schema(tags=TAGS, summary="List Express Entry draws (public IRCC data)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DrawDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated, CanReadDraws]
    serializer_class = DrawDetailSerializer
    queryset = Draw.objects.none()  # the model, for schema tools; get_queryset scopes

    def get_queryset(self) -> Any:
        return draw_list(actor_for_request(self.request))

    @extend_schema(tags=TAGS, summary="One draw, with the pool distribution and the round as received")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


_MATCH_ORDERING = ["score", "created_at", "draw__draw_date"]


class DrawMatchesForDrawApi(generics.ListAPIView):
    """The requesting firm's clients flagged by one draw (active matches unless ?status= is given)."""

    permission_classes = [IsAuthenticated, CanViewMatches]
    serializer_class = DrawMatchSerializer
    filterset_class = DrawMatchFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = _MATCH_ORDERING

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return DrawMatch.objects.none()
        actor = actor_for_request(self.request)
        draw = get_object_or_404(draw_list(actor), pk=self.kwargs["draw_id"])
        include_withdrawn = "status" in self.request.query_params
        return draw_matches_for_draw(actor, draw, include_withdrawn=include_withdrawn)

    @extend_schema(
        tags=TAGS,
        summary="Your firm's clients flagged by a draw",
        parameters=[OpenApiParameter("draw_id", int, OpenApiParameter.PATH, description="The draw's id.")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DrawMatchListApi(generics.ListAPIView):
    """All the firm's draw matches (active and withdrawn; filter with ?status=)."""

    permission_classes = [IsAuthenticated, CanViewMatches]
    serializer_class = DrawMatchSerializer
    filterset_class = DrawMatchFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = _MATCH_ORDERING

    def get_queryset(self) -> Any:
        return draw_match_list(actor_for_request(self.request))

    @extend_schema(tags=TAGS, summary="Your firm's draw matches")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationListApi(generics.ListAPIView):
    """Alert emails of the outbox: a firm admin sees all the firm's, other staff theirs."""

    permission_classes = [IsAuthenticated, IsStaff]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "sent_at", "status"]

    def get_queryset(self) -> Any:
        return notification_list(actor_for_request(self.request)).order_by("-created_at", "-pk")

    @extend_schema(tags=TAGS, summary="Alert notifications (outbox) and their delivery status")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Queue a sync of IRCC's rounds feed",
        request=DrawSyncInputSerializer,
        responses={202: DrawSyncOutputSerializer},
    )
)
class DrawSyncApi(APIView):
    """Firm admin or lawyer: queue the sync task (new or edited rounds are then flagged)."""

    permission_classes = [IsAuthenticated, CanManageDraws]

    def post(self, request: Request) -> Response:
        data = DrawSyncInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source = data.validated_data["source"]
        queued = enqueue(draws_sync_task, **({"snapshot": True} if source == "snapshot" else {}))
        if not queued:
            raise ServiceUnavailable("The task queue is unavailable; try again later.")
        return Response(
            DrawSyncOutputSerializer({"status": "queued", "source": source}).data,
            status=status.HTTP_202_ACCEPTED,
        )


# Like the other apps' routes: the trailing slash is optional and a malformed id is a JSON 404.
urlpatterns = [
    re_path(r"^draws/?$", DrawListApi.as_view(), name="draw-list"),
    re_path(r"^draws/sync/?$", DrawSyncApi.as_view(), name="draw-sync"),
    re_path(r"^draws/(?P<pk>[^/.]+)/?$", DrawDetailApi.as_view(), name="draw-detail"),
    re_path(r"^draws/(?P<draw_id>[^/.]+)/matches/?$", DrawMatchesForDrawApi.as_view(), name="draw-matches"),
    re_path(r"^draw-matches/?$", DrawMatchListApi.as_view(), name="draw-match-list"),
    re_path(r"^notifications/?$", NotificationListApi.as_view(), name="notification-list"),
]
