"""A client's outlook beyond the current score (staff and API keys with ``client.view``):

* ``GET clients/{id}/past-rounds?since=&until=``: the rounds the client would have cleared with the score
  and eligibility AS OF each round's date (historical flagging; read only, nothing is stored).
* ``GET clients/{id}/score/proposed``: the current score next to the score under the 2026 proposed rules
  (only for firms that switched ``compare_proposed_crs`` on; 409 otherwise). Never used for flagging.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import re_path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.api.schema import ErrorSerializer
from firm.errors import ApplicationError
from scoring.api.crs import CLIENT_ID, ClientScopedMixin, _no_score
from scoring.selectors import history


class PastRoundSerializer(serializers.Serializer):
    draw_number = serializers.CharField()
    draw_date = serializers.DateField()
    category = serializers.CharField()
    min_crs = serializers.IntegerField()
    score = serializers.IntegerField(help_text="The client's score on the round's date.")
    rule_set = serializers.CharField()
    eligibility_basis = serializers.CharField()
    in_pool = serializers.BooleanField(
        help_text="The client's Express Entry profile was in the pool that day."
    )
    by_tie_break = serializers.BooleanField()


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError("Invalid query.", fields={name: "Must be a date (YYYY-MM-DD)."}) from None


class ClientPastRoundsView(ClientScopedMixin, APIView):
    """Which past rounds this client would have cleared, with the score as of each round's date."""

    @extend_schema(
        operation_id="client_past_rounds",
        parameters=[
            CLIENT_ID,
            OpenApiParameter("since", str, description="First round date (YYYY-MM-DD)."),
            OpenApiParameter("until", str, description="Last round date (YYYY-MM-DD)."),
        ],
        responses={
            200: inline_serializer(
                "PastRounds",
                {"client_id": serializers.IntegerField(), "rounds": PastRoundSerializer(many=True)},
            ),
            400: ErrorSerializer,
        },
        tags=["draws"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        since, until = _date_param(request, "since"), _date_param(request, "until")
        rounds = history.client_rounds_cleared(self.actor, client, since=since, until=until)
        return Response({"client_id": client.pk, "rounds": PastRoundSerializer(rounds, many=True).data})


class ClientProposedScoreView(ClientScopedMixin, APIView):
    """The client's CRS under the current rules and under the 2026 proposed rules (comparison only)."""

    @extend_schema(
        operation_id="client_score_proposed",
        parameters=[CLIENT_ID],
        responses={
            200: OpenApiResponse(description="current, proposed, difference, changed, unverified, status"),
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        if not history.proposed_comparison_enabled(client.firm_id):
            return Response(
                {
                    "error": {
                        "compare_proposed_crs": "The firm has not switched on the comparison with the 2026 "
                        "proposed CRS rules (PATCH /api/v1/firm/ compare_proposed_crs=true)."
                    }
                },
                status=409,
            )
        result: dict[str, Any] | None = history.score_proposed_comparison(self.actor, client)
        return Response(result) if result is not None else _no_score(self.actor, client)


urlpatterns = [
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/past-rounds/?$",
        ClientPastRoundsView.as_view(),
        name="api-client-past-rounds",
    ),
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/score/proposed/?$",
        ClientProposedScoreView.as_view(),
        name="api-client-score-proposed",
    ),
]
