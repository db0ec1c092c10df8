"""REST API of the ITA outlook (stored per client by scoring.services.outlook).

* ``GET clients/{id}/outlook``  a client's outlook, rank and what-if outlooks (staff of the firm, read keys)
* ``GET me/outlook``            a logged-in client's own outlook (portal)

Every answer carries ``caveat``: IRCC decides. 404 until the outlook has been computed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.api.base import ActorPermission, ActorViewMixin
from firm.api.schema import ErrorSerializer
from scoring.api.crs import CLIENT_ID, ClientScopedMixin
from scoring.models import ClientOutlook
from scoring.outlook import HORIZONS
from scoring.selectors import outlook as selectors


class HorizonSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    probability = serializers.FloatField(help_text="Chance of at least one invitation within the days, 0-1")
    by_kind = serializers.DictField(child=serializers.FloatField(), help_text="Each kind of round alone")


class RankSerializer(serializers.Serializer):
    candidates_above = serializers.IntegerField(allow_null=True)
    pool_size = serializers.IntegerField(allow_null=True)
    percentile = serializers.FloatField(allow_null=True, help_text="Share of the pool at or below, 0-100")
    distribution_as_of = serializers.DateField(allow_null=True)
    candidates_above_before = serializers.IntegerField(
        allow_null=True,
        help_text="The pool's movement: candidates above the same score about 90 days earlier",
    )
    previous_distribution_as_of = serializers.DateField(allow_null=True)


class WhatIfOutlookSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    new_total = serializers.IntegerField()
    delta = serializers.IntegerField()
    opens = serializers.CharField(
        help_text="Kind of round the change would also open (pnp, french), or empty"
    )
    p_90 = serializers.FloatField()
    p_180 = serializers.FloatField()
    p_365 = serializers.FloatField()


class OutlookSerializer(serializers.Serializer):
    client = serializers.IntegerField(source="client_id")
    as_of = serializers.DateField(help_text="Rounds dated on or before this day were used")
    score = serializers.IntegerField()
    eligible_for = serializers.ListField(child=serializers.CharField())
    kinds = serializers.ListField(
        child=serializers.CharField(), help_text="Kinds of rounds open to the client"
    )
    kind_labels = serializers.DictField(child=serializers.CharField())
    p_90 = serializers.FloatField()
    p_180 = serializers.FloatField()
    p_365 = serializers.FloatField()
    horizons = HorizonSerializer(many=True)
    rank = RankSerializer()
    whatif = WhatIfOutlookSerializer(many=True)
    computed_at = serializers.DateTimeField()
    caveat = serializers.CharField()


def outlook_payload(outlook: ClientOutlook, whatif: list[dict[str, Any]]) -> dict[str, Any]:
    labels = selectors.kind_labels()
    return OutlookSerializer(
        {
            "client_id": outlook.client_id,
            "as_of": outlook.as_of,
            "score": outlook.score,
            "eligible_for": outlook.eligible_for,
            "kinds": outlook.kinds,
            "kind_labels": {k: labels.get(k, k) for k in outlook.kinds},
            "p_90": outlook.p_90,
            "p_180": outlook.p_180,
            "p_365": outlook.p_365,
            "horizons": [
                {
                    "days": days,
                    "probability": getattr(outlook, f"p_{days}"),
                    "by_kind": {k: v[i] for k, v in outlook.by_kind.items()},
                }
                for i, days in enumerate(HORIZONS)
            ],
            "rank": {
                "candidates_above": outlook.candidates_above,
                "pool_size": outlook.pool_size,
                "percentile": outlook.pool_percentile,
                "distribution_as_of": outlook.distribution_as_of,
                "candidates_above_before": outlook.candidates_above_before,
                "previous_distribution_as_of": outlook.previous_distribution_as_of,
            },
            "whatif": whatif,
            "computed_at": outlook.computed_at,
            "caveat": str(selectors.CAVEAT),
        }
    ).data


def _not_yet() -> Response:
    return Response(
        {"error": {"detail": "No outlook has been computed yet (it needs a current score)."}}, status=404
    )


class ClientOutlookView(ClientScopedMixin, APIView):
    """The client's chance of an invitation within 90/180/365 days, their pool rank, and what-if outlooks."""

    @extend_schema(
        operation_id="client_outlook_retrieve",
        parameters=[CLIENT_ID],
        responses={
            200: OutlookSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not computed yet"),
        },
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        outlook = selectors.outlook_for_client(self.actor, client)
        if outlook is None:
            return _not_yet()
        return Response(outlook_payload(outlook, selectors.whatif_outlooks(self.actor, client)))


class MeOutlookView(ActorViewMixin, APIView):
    """The logged-in client's own outlook (404 until computed)."""

    allowed_actor_kinds = frozenset({"client"})
    permission_classes: ClassVar[list] = [IsAuthenticated, ActorPermission]

    @extend_schema(
        operation_id="me_outlook_retrieve",
        responses={
            200: OutlookSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not computed yet"),
        },
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        outlook = selectors.outlook_for_client(actor, actor.client_id or 0)
        if outlook is None:
            return _not_yet()
        return Response(outlook_payload(outlook, selectors.whatif_outlooks(actor, actor.client_id or 0)))


urlpatterns = [
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/outlook/?$", ClientOutlookView.as_view(), name="api-client-outlook"
    ),
    re_path(r"^me/outlook/?$", MeOutlookView.as_view(), name="api-me-outlook"),
]
