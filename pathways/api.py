"""REST API for pathway assessments (routes in `pathways.api_urls`).

- `GET  /cases/{case_id}/assessments/`      a case's current assessments (`?history=1`: every row)
- `POST /cases/{case_id}/assessments/run`   staff: assess the case now and return its assessments
- `GET  /assessments/`, `/assessments/{id}/` the firm's stored assessments
- `GET  /clients/{client_id}/pathways`      which pathways fit the client, ranked (not stored)
- `GET  /me/assessments/`                   the logged-in client's own current assessments

Thin views: selectors read (scoped with `restrict(actor)`; another firm's ids answer 404), services write.
Invalid case facts answer 400 with every bad field path (`facts.job_offer.hourly_wage`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_list
from firm.api import PortalViewMixin
from firm.api_base import ActorViewMixin, EmptySerializer, IdFilter, scoped_get
from firm.models import Client
from pathways import selectors, services
from pathways.adapters import DATE_MAX, DATE_MIN, to_jsonable
from pathways.models import Outcome, PathwayAssessment
from pathways.rules.registry import ASSESSORS
from pathways.selectors import FitResult

STATUSES = [("met", "met"), ("unmet", "unmet"), ("unknown", "unknown")]
VERIFICATIONS = [(v, v) for v in ("official", "two_sources", "one_source", "unverified")]
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})

# --- Serializers --------------------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    reason = serializers.CharField()
    source = serializers.CharField(help_text="Where the rule comes from (reference section, page).")
    rule_version = serializers.CharField(help_text="dataset:version of the rule data used.")
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class ChecklistItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class KeyDateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="Null when the event date is not recorded.")
    basis = serializers.CharField()
    source = serializers.CharField(allow_blank=True)
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class FeeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    amount_cad = serializers.FloatField(allow_null=True)
    payer = serializers.CharField()
    source = serializers.CharField()
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class _ResultFields(serializers.Serializer):
    criteria = CriterionSerializer(many=True)
    checklist = ChecklistItemSerializer(many=True)
    key_dates = KeyDateSerializer(many=True)
    notices = serializers.ListField(child=serializers.CharField())
    fees = FeeSerializer(many=True)
    rule_versions = serializers.DictField(child=serializers.CharField(), help_text="Dataset -> version used.")


class AssessmentSerializer(_ResultFields, serializers.ModelSerializer):
    context = serializers.JSONField(
        help_text="Express Entry: current CRS score and recent relevant cut-offs."
    )
    inputs = serializers.JSONField(help_text="The client and case facts the assessment was made from.")

    class Meta:
        model = PathwayAssessment
        fields = [
            "id",
            "case",
            "client",
            "pathway",
            "stream",
            "outcome",
            "unmet_count",
            "unknown_count",
            "criteria",
            "checklist",
            "key_dates",
            "notices",
            "fees",
            "rule_versions",
            "context",
            "inputs",
            "inputs_hash",
            "as_of",
            "created_at",
            "is_current",
        ]
        read_only_fields = fields


class MyAssessmentSerializer(AssessmentSerializer):
    """The portal's view: the result without the stored inputs."""

    class Meta(AssessmentSerializer.Meta):
        fields = [f for f in AssessmentSerializer.Meta.fields if f not in ("inputs", "inputs_hash")]
        read_only_fields = fields


class FitSerializer(_ResultFields):
    pathway = serializers.CharField()
    stream = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    unmet_count = serializers.IntegerField()
    unknown_count = serializers.IntegerField()
    case = serializers.IntegerField(allow_null=True, help_text="The open case whose facts were used, if any.")


class PathwayFitSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    as_of = serializers.DateField()
    crs_score = serializers.IntegerField(allow_null=True)
    case_errors = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Open cases left out because their facts JSON is invalid: case id -> field path -> message.",
    )
    count = serializers.IntegerField()
    results = FitSerializer(many=True)


def fit_row(fit: FitResult) -> dict[str, Any]:
    a = fit.assessment
    return {
        "pathway": a.pathway,
        "stream": a.stream,
        "outcome": a.outcome,
        "unmet_count": len(a.unmet),
        "unknown_count": len(a.unknown),
        "case": fit.case_id,
        "criteria": to_jsonable(a.criteria),
        "checklist": to_jsonable(a.checklist),
        "key_dates": to_jsonable(a.key_dates),
        "notices": list(a.notices),
        "fees": to_jsonable(a.fees),
        "rule_versions": dict(a.rule_versions),
    }


# --- Filters ------------------------------------------------------------------------------------------------


class AssessmentFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")
    client = IdFilter(field_name="client_id")

    class Meta:
        model = PathwayAssessment
        fields = ["pathway", "stream", "outcome", "is_current"]


class CaseAssessmentFilter(django_filters.FilterSet):
    class Meta:
        model = PathwayAssessment
        fields = ["pathway", "stream", "outcome"]


HISTORY_PARAM = OpenApiParameter(
    "history", OpenApiTypes.BOOL, description="Also the earlier (no longer current) assessments."
)
CASE_ID_PARAM = OpenApiParameter("case_id", OpenApiTypes.INT, OpenApiParameter.PATH)
CLIENT_ID_PARAM = OpenApiParameter("client_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ORDERING = ["created_at", "as_of", "outcome", "unmet_count", "pathway", "stream"]


def _flag(request: Request, name: str) -> bool:
    return str(request.query_params.get(name, "")).strip().lower() in TRUE_VALUES


# --- Views --------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=["assessments"], parameters=[CASE_ID_PARAM, HISTORY_PARAM]),
)
class CaseAssessmentViewSet(ActorViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A case's pathway assessments, best first; `?history=1` adds the earlier rows."""

    queryset = PathwayAssessment.objects.none()
    serializer_class = AssessmentSerializer
    filterset_class = CaseAssessmentFilter
    ordering_fields: ClassVar[list[str]] = ORDERING
    permission_map: ClassVar[dict[str, str]] = {"list": "case.view", "run": "case.change"}

    def _case(self) -> Any:
        return scoped_get(case_list(actor=self.actor), actor=self.actor, pk=self.kwargs.get("case_id"))

    def get_queryset(self) -> QuerySet[PathwayAssessment]:
        if getattr(self, "swagger_fake_view", False):
            return PathwayAssessment.objects.none()
        case = self._case()
        return selectors.case_assessments(
            actor=self.actor, case_id=case.pk, history=_flag(self.request, "history")
        )

    @extend_schema(
        request=EmptySerializer,
        responses={200: AssessmentSerializer(many=True)},
        parameters=[CASE_ID_PARAM],
        tags=["assessments"],
        filters=False,
        operation_id="cases_assessments_run",
    )
    @action(detail=False, methods=["post"], url_path="run", filterset_class=None, pagination_class=None)
    def run(self, request: Request, case_id: str | None = None) -> Response:
        """Staff: assess the case now (synchronously) and return its current assessments."""
        if not self.actor.is_staff:
            raise exceptions.PermissionDenied()
        case = self._case()
        services.case_assess(case_id=case.pk, actor=self.actor)
        rows = selectors.case_assessments(actor=self.actor, case_id=case.pk)
        return Response(AssessmentSerializer(rows, many=True).data)


@extend_schema_view(list=extend_schema(tags=["assessments"]), retrieve=extend_schema(tags=["assessments"]))
class AssessmentViewSet(ActorViewMixin, viewsets.ReadOnlyModelViewSet):
    """The firm's stored pathway assessments (filter by case, client, pathway, outcome, is_current)."""

    queryset = PathwayAssessment.objects.none()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields: ClassVar[list[str]] = ORDERING
    permission_map: ClassVar[dict[str, str]] = {"list": "case.view", "retrieve": "case.view"}

    def get_queryset(self) -> QuerySet[PathwayAssessment]:
        return selectors.assessment_list(actor=self.actor).order_by("-created_at", "-pk")


class ClientPathwaysView(ActorViewMixin, APIView):
    """Which pathways fit the client: every assessor run on the client's facts (with the facts of their
    open cases), ranked eligible first, then fewest unmet, then fewest unknown criteria. Not stored."""

    queryset = Client.objects.none()
    permission_map: ClassVar[dict[str, str]] = {"get": "client.view"}

    @extend_schema(
        operation_id="clients_pathways_retrieve",
        tags=["assessments"],
        parameters=[
            CLIENT_ID_PARAM,
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="Assess as of this date (default today)."
            ),
            OpenApiParameter("outcome", OpenApiTypes.STR, enum=Outcome.values),
            OpenApiParameter("pathway", OpenApiTypes.STR, enum=sorted(ASSESSORS)),
        ],
        responses={200: PathwayFitSerializer},
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = scoped_get(Client.objects.restrict(self.actor), actor=self.actor, pk=client_id)
        as_of = None
        raw = request.query_params.get("as_of")
        if raw:
            try:
                as_of = date.fromisoformat(raw)
            except ValueError:
                raise exceptions.ValidationError({"as_of": "Must be a date (YYYY-MM-DD)."}) from None
            if not DATE_MIN <= as_of <= DATE_MAX:
                raise exceptions.ValidationError(
                    {"as_of": f"Must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."}
                )
        outcome, pathway = request.query_params.get("outcome"), request.query_params.get("pathway")
        if outcome and outcome not in Outcome.values:
            raise exceptions.ValidationError({"outcome": f"Must be one of {', '.join(Outcome.values)}."})
        if pathway and pathway not in ASSESSORS:
            raise exceptions.ValidationError({"pathway": f"Must be one of {', '.join(sorted(ASSESSORS))}."})
        fit = selectors.pathways_fit(self.actor, client, as_of=as_of)
        rows = [
            fit_row(r)
            for r in fit.results
            if (not outcome or r.assessment.outcome == outcome)
            and (not pathway or r.assessment.pathway == pathway)
        ]
        body = {
            "client": fit.client_id,
            "as_of": fit.as_of,
            "crs_score": fit.crs_score,
            "case_errors": {str(k): v for k, v in fit.case_errors.items()},
            "count": len(rows),
            "results": rows,
        }
        return Response(PathwayFitSerializer(body).data)


class MyAssessmentFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = PathwayAssessment
        fields = ["pathway", "outcome"]


@extend_schema_view(list=extend_schema(tags=["me"]), retrieve=extend_schema(tags=["me"]))
class MyAssessmentViewSet(PortalViewMixin, viewsets.ReadOnlyModelViewSet):
    """The logged-in client's own current pathway assessments (all their cases)."""

    queryset = PathwayAssessment.objects.none()
    serializer_class = MyAssessmentSerializer
    filterset_class = MyAssessmentFilter
    ordering_fields: ClassVar[list[str]] = ["created_at", "outcome", "pathway"]

    def get_queryset(self) -> QuerySet[PathwayAssessment]:
        return selectors.assessment_list(actor=self.actor, current_only=True).order_by(
            "case_id", "outcome", "unmet_count", "unknown_count", "pathway", "stream"
        )
