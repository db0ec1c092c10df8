"""POST /intake: a prospect from a web form (client, facts and case in one transaction)."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import intake
from firm.api.base import (
    ActorViewMixin,
)
from firm.api.schema import ErrorSerializer
from scoring.selectors import scores as score_selectors

# --- Intake -------------------------------------------------------------------------------------------------


class IntakeResponseSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    status = serializers.CharField()
    pathway = serializers.CharField()
    crs_score = serializers.IntegerField(allow_null=True, help_text="Null until the score is computed.")
    links = serializers.DictField(child=serializers.CharField())


class IntakeView(ActorViewMixin, APIView):
    """Submit a prospect from a web form in one payload (API key with the `intake` scope, or staff).

    Creates the client (status prospect), their facts and a case in one transaction; the CRS score and
    pathway assessments are computed after commit. Send an `Idempotency-Key` header so that a retry
    returns the first answer and creates nothing; the same key with another payload is refused (422).
    """

    permission_map: ClassVar[dict[str, str]] = {"post": "intake.submit"}

    @extend_schema(
        operation_id="intake_create",
        request=intake.IntakeSerializer,
        responses={
            201: IntakeResponseSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The same key is being processed right now."),
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another payload."),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="Any unique string (a UUID); a retry with the same key and payload replays the answer.",
            )
        ],
        tags=["intake"],
    )
    def post(self, request: Request) -> Response:
        actor = self.actor

        def score_of(client_id: int) -> int | None:
            score = score_selectors.score_current(actor, client_id)
            return score.total if score is not None else None

        result = intake.intake_submit_request(
            actor=actor,
            data=request.data,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            score_of=score_of,
        )
        response = Response(result.body, status=result.status)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response
