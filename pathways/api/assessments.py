"""/cases/{id}/assessments and /assessments: stored pathway assessments of cases."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.selectors import case_list
from firm.api.base import ActorViewMixin, EmptySerializer, IdFilter, scoped_get
from pathways import selectors, services
from pathways.api.serializers import CASE_ID_PARAM, HISTORY_PARAM, ORDERING, TRUE_VALUES, AssessmentSerializer
from pathways.models import PathwayAssessment

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
