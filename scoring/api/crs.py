"""REST API of CRS scores: the calculator, a client's stored score / history / what-if / eligibility,
an on-demand recompute, and the portal's own score. Thin: contract functions, selectors and services do
the work; every error answers ``{"error": {"<field path>": "<message>"}}``.

Routes (under /api/v1/):

* ``POST crs/score``      calculator (staff, or an API key with the crs/read/write/intake scope)
* ``POST crs/whatif``     the calculator plus the single improvements and the points each adds
* ``GET  clients/{id}/score``            current score with breakdown and profile (staff, read keys)
* ``GET  clients/{id}/score/history``    all stored scores, newest first, paginated
* ``GET  clients/{id}/score/whatif``     improvements to the current score
* ``GET  clients/{id}/eligibility``      program and category eligibility with criteria
* ``POST clients/{id}/score/recompute``  recompute now (staff)
* ``GET  me/score``                      a logged-in client's own score, breakdown and what-if
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import re_path
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.api.base import ActorPermission, ActorViewMixin, scoped_get
from firm.api.common import Pagination
from firm.api.schema import ErrorSerializer
from firm.models import Client
from firm.scoping import Actor
from scoring.crs.contract import calculate
from scoring.crs.whatif import whatif
from scoring.models import CRSScore
from scoring.selectors import scores as selectors
from scoring.services.scores import client_recompute

# --- Serializers (output shapes, for the schema and the views) -------------------------------------------


class ImprovementSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Machine key, e.g. first_language.writing")
    label = serializers.CharField(help_text='What to improve, e.g. "CLB 9 in writing"')
    new_total = serializers.IntegerField()
    delta = serializers.IntegerField(help_text="Points it adds")


class CalculatorResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rule_set = serializers.CharField(help_text="Id of the CRS rule set in force on as_of")
    sections = serializers.DictField(child=serializers.IntegerField())
    breakdown = serializers.DictField(child=serializers.IntegerField())
    as_of = serializers.DateField()
    clb = serializers.DictField(help_text="The CLB/NCLC levels each language result converts to")


class WhatIfResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rule_set = serializers.CharField()
    as_of = serializers.DateField()
    improvements = ImprovementSerializer(many=True)


class ScoreSerializer(serializers.ModelSerializer):
    sections = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = CRSScore
        fields = [
            "id",
            "client_id",
            "total",
            "sections",
            "breakdown",
            "profile",
            "rule_set",
            "inputs_hash",
            "as_of",
            "computed_at",
            "next_change_on",
            "is_current",
        ]
        read_only_fields = fields


class ScoreHistorySerializer(ScoreSerializer):
    class Meta(ScoreSerializer.Meta):
        fields = [f for f in ScoreSerializer.Meta.fields if f not in ("breakdown", "profile")]
        read_only_fields = fields


class EligibilityRowSerializer(serializers.Serializer):
    program = serializers.CharField(help_text="fsw, cec, fst or a category key (stem, french...)")
    version = serializers.CharField(
        help_text='Category version key ("2023-v1", "2025-v2", "2026"); "" for programs'
    )
    outcome = serializers.CharField(help_text="eligible, not_eligible or needs_information")
    criteria = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    detail = serializers.DictField()
    as_of = serializers.DateField()


class CategoryVersionSerializer(serializers.Serializer):
    version = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    current = serializers.BooleanField()
    categories = EligibilityRowSerializer(many=True)


class EligibilitySerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    programs = EligibilityRowSerializer(many=True)
    category_versions = CategoryVersionSerializer(many=True)


class MeScoreSerializer(ScoreSerializer):
    improvements = ImprovementSerializer(many=True, read_only=True)

    class Meta(ScoreSerializer.Meta):
        fields = [
            "total",
            "sections",
            "breakdown",
            "rule_set",
            "as_of",
            "computed_at",
            "next_change_on",
            "improvements",
        ]
        read_only_fields = fields


class RecomputeResultSerializer(serializers.Serializer):
    score = ScoreSerializer(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="What a score still needs")


# --- Examples --------------------------------------------------------------------------------------------

SEED_PAYLOAD = {
    "as_of": "2023-07-01",
    "age": 38,
    "education": "two_or_more",
    "first_language": {"test": "celpip", "listening": 10, "reading": 10, "writing": 10, "speaking": 10},
    "foreign_work_years": 3,
    "arranged_employment": "other_teer_0_1_2_3",
}
CALCULATOR_EXAMPLES = [
    OpenApiExample(
        "Single, 38, CELPIP 10s, 3 years abroad, TEER 1 offer", value=SEED_PAYLOAD, request_only=True
    ),
    OpenApiExample(
        "Result",
        value={
            "total": 475,
            "rule_set": "crs-2020-10-27",
            "sections": {"core": 325, "spouse": 0, "transferability": 100, "additional": 50},
            "breakdown": {
                "age": 61,
                "education": 128,
                "first_language.total": 136,
                "additional.job_offer": 50,
            },
            "as_of": "2023-07-01",
            "clb": {
                "first_language": {
                    "test": "celpip",
                    "language": "en",
                    "scale": "clb",
                    "listening": 10,
                    "reading": 10,
                    "writing": 10,
                    "speaking": 10,
                }
            },
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Invalid input",
        value={"error": {"first_language.writing": "must be between 0 and 12 for celpip"}},
        response_only=True,
        status_codes=["400"],
    ),
]
WHATIF_EXAMPLES = [
    OpenApiExample("Calculator payload", value=SEED_PAYLOAD, request_only=True),
    OpenApiExample(
        "Improvements",
        value={
            "total": 475,
            "rule_set": "crs-2020-10-27",
            "as_of": "2023-07-01",
            "improvements": [
                {
                    "key": "provincial_nomination",
                    "label": "A provincial or territorial nomination",
                    "new_total": 1025,
                    "delta": 550,
                },
                {
                    "key": "second_language.nclc_9",
                    "label": "Take a French test at NCLC 9 in all four abilities",
                    "new_total": 549,
                    "delta": 74,
                },
            ],
        },
        response_only=True,
        status_codes=["200"],
    ),
]
CALCULATOR_BODY = {
    "application/json": {
        "type": "object",
        "description": "The calculator contract (see docs/crs.md): as_of, age or date_of_birth, marital_status, "
        "spouse_accompanying, spouse_canadian, education, first_language {test, listening, reading, writing, "
        "speaking, test_date?}, second_language, canadian_work_years, foreign_work_years, "
        "certificate_of_qualification, canadian_education, arranged_employment, provincial_nomination, "
        "sibling_in_canada, spouse {education, first_language, canadian_work_years}.",
        "additionalProperties": True,
    }
}


CLIENT_ID = OpenApiParameter("client_id", int, OpenApiParameter.PATH, description="The client's id")


def _bad_request(result: dict[str, Any]) -> Response:
    return Response({"error": result["error"]}, status=400)


# --- Calculator ------------------------------------------------------------------------------------------


class CalculatorView(ActorViewMixin, APIView):
    """Score a calculator payload (nothing is stored). Errors name each bad field by its path."""

    permission_map: ClassVar[dict[str, str]] = {"post": "crs.calculate"}

    @extend_schema(
        operation_id="crs_score",
        request=CALCULATOR_BODY,
        responses={200: CalculatorResultSerializer, 400: ErrorSerializer},
        examples=CALCULATOR_EXAMPLES,
        tags=["crs"],
    )
    def post(self, request: Request) -> Response:
        result = calculate(request.data)
        return _bad_request(result) if "error" in result else Response(result)


class CalculatorWhatIfView(ActorViewMixin, APIView):
    """The calculator's total plus each single improvement and the points it adds, best first."""

    permission_map: ClassVar[dict[str, str]] = {"post": "crs.calculate"}

    @extend_schema(
        operation_id="crs_whatif",
        request=CALCULATOR_BODY,
        responses={200: WhatIfResultSerializer, 400: ErrorSerializer},
        examples=WHATIF_EXAMPLES,
        tags=["crs"],
    )
    def post(self, request: Request) -> Response:
        result = whatif(request.data)
        if "error" in result:
            return _bad_request(result)
        result["improvements"] = [i for i in result["improvements"] if i["delta"] > 0]
        return Response(result)


# --- A client's stored score -----------------------------------------------------------------------------


class ClientScopedMixin(ActorViewMixin):
    """Resolves ``client_id`` among the actor's clients (another firm's client is a 404)."""

    permission_map: ClassVar[dict[str, str]] = {"get": "client.view"}

    def get_client(self) -> Client:
        return scoped_get(Client.objects.restrict(self.actor), actor=self.actor, pk=self.kwargs["client_id"])


def _no_score(actor: Actor, client: Client | int) -> Response:
    missing = selectors.score_missing_facts(actor, client)
    detail = "No score has been computed yet."
    if missing:
        detail = f"No score: missing {', '.join(m.replace('_', ' ') for m in missing)}."
    return Response({"error": {"detail": detail}}, status=404)


class ClientScoreView(ClientScopedMixin, APIView):
    """The client's current CRS score: total, sections, full breakdown and the profile it was computed from."""

    @extend_schema(
        operation_id="client_score_retrieve",
        parameters=[CLIENT_ID],
        responses={200: ScoreSerializer},
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        score = selectors.score_current(self.actor, client)
        return Response(ScoreSerializer(score).data) if score is not None else _no_score(self.actor, client)


class ClientScoreHistoryView(ClientScopedMixin, GenericAPIView):
    """Every stored score of the client, newest first. A new row is stored only when something changed."""

    pagination_class = Pagination
    serializer_class = ScoreHistorySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return CRSScore.objects.none()
        return selectors.score_history(self.actor, self.get_client())

    @extend_schema(
        operation_id="client_score_history",
        parameters=[CLIENT_ID],
        responses={200: ScoreHistorySerializer(many=True)},
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ClientScoreWhatIfView(ClientScopedMixin, APIView):
    """What would raise the client's current score (single improvements, best first)."""

    @extend_schema(
        operation_id="client_score_whatif",
        parameters=[CLIENT_ID],
        responses={200: WhatIfResultSerializer},
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        score = selectors.score_current(self.actor, client)
        if score is None:
            return _no_score(self.actor, client)
        return Response(
            {
                "total": score.total,
                "rule_set": score.rule_set,
                "as_of": score.as_of,
                "improvements": selectors.whatif_for_score(score),
            }
        )


class ClientEligibilityView(ClientScopedMixin, APIView):
    """Program (FSW, CEC, FSTP) and category eligibility per category version, each with its criteria."""

    @extend_schema(
        operation_id="client_eligibility",
        parameters=[CLIENT_ID],
        responses={200: EligibilitySerializer},
        tags=["crs"],
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        summary = selectors.eligibility_summary(self.actor, client)
        return Response(EligibilitySerializer({"client_id": client.pk, **summary}).data)


class ClientScoreRecomputeView(ClientScopedMixin, APIView):
    """Recompute the client's score and eligibility now (staff). Safe to repeat."""

    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {"post": "client.change"}

    @extend_schema(
        operation_id="client_score_recompute",
        parameters=[CLIENT_ID],
        request=None,
        responses={200: RecomputeResultSerializer},
        tags=["crs"],
    )
    def post(self, request: Request, client_id: str) -> Response:
        client = self.get_client()
        score = client_recompute(client_id=client.pk)
        missing = [] if score is not None else selectors.score_missing_facts(self.actor, client)
        return Response(
            {"score": ScoreSerializer(score).data if score is not None else None, "missing": missing}
        )


# --- The client portal -----------------------------------------------------------------------------------


class MeScoreView(ActorViewMixin, APIView):
    """The logged-in client's own current score, its breakdown and what would raise it (404 until scored)."""

    allowed_actor_kinds = frozenset({"client"})
    permission_classes: ClassVar[list] = [IsAuthenticated, ActorPermission]

    @extend_schema(
        operation_id="me_score_retrieve",
        responses={200: MeScoreSerializer, 404: OpenApiResponse(ErrorSerializer, description="No score yet")},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        score = selectors.score_current(actor, actor.client_id or 0)
        if score is None:
            return _no_score(actor, actor.client_id or 0)
        score.improvements = selectors.whatif_for_score(score)  # type: ignore[attr-defined]
        return Response(MeScoreSerializer(score).data)


urlpatterns = [
    re_path(r"^crs/score/?$", CalculatorView.as_view(), name="api-crs-score"),
    re_path(r"^crs/whatif/?$", CalculatorWhatIfView.as_view(), name="api-crs-whatif"),
    re_path(r"^clients/(?P<client_id>[^/.]+)/score/?$", ClientScoreView.as_view(), name="api-client-score"),
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/score/history/?$",
        ClientScoreHistoryView.as_view(),
        name="api-client-score-history",
    ),
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/score/whatif/?$",
        ClientScoreWhatIfView.as_view(),
        name="api-client-score-whatif",
    ),
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/score/recompute/?$",
        ClientScoreRecomputeView.as_view(),
        name="api-client-score-recompute",
    ),
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/eligibility/?$",
        ClientEligibilityView.as_view(),
        name="api-client-eligibility",
    ),
    re_path(r"^me/score/?$", MeScoreView.as_view(), name="api-me-score"),
]
