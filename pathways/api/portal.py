"""/me/assessments: the logged-in client's own assessments."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from firm.api.base import IdFilter, PortalViewMixin
from pathways import selectors
from pathways.api.serializers import MyAssessmentSerializer
from pathways.models import PathwayAssessment


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
