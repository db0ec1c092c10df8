"""Milestones of a case (`/cases/{id}/milestones/`) and the portal's milestones in plain words
(`/me/milestones/`). Thin: the services in cases.milestones write."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases import milestones as milestone_services
from cases import selectors
from cases.milestone_kinds import CLIENT_TEXT, MilestoneKind
from cases.models import Case, Milestone
from firm.api.base import ActorViewMixin, IdFilter, ModelSerializer, PortalViewMixin

# --- Milestones ---------------------------------------------------------------------------------------------


class MilestoneDeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    due_on = serializers.DateField()
    done = serializers.BooleanField()


class MilestoneSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    deadlines = MilestoneDeadlineSerializer(source="derived_deadlines", many=True, read_only=True)
    override_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Lawyer or admin only: file although required documents are not verified (audited).",
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "date",
            "due_on",
            "note",
            "deadlines",
            "created_at",
            "override_reason",
        ]
        read_only_fields = ["id", "case", "kind_label", "deadlines", "created_at"]


class MilestoneUpdateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


@extend_schema_view(
    list=extend_schema(tags=["milestones"]),
    create=extend_schema(tags=["milestones"]),
    retrieve=extend_schema(tags=["milestones"]),
    partial_update=extend_schema(tags=["milestones"], request=MilestoneUpdateSerializer),
    destroy=extend_schema(tags=["milestones"]),
)
class CaseMilestoneViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """Milestones of one case. Recording one derives its deadlines (rule data with sources), closes the
    deadlines it answers and moves the case's status where it implies one; correcting its date moves
    its deadlines."""

    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
        "partial_update": "case.change",
        "destroy": "case.change",
    }

    def get_case(self) -> Case:
        return selectors.case_get(actor=self.actor, case_id=int(self.kwargs["case_pk"]))

    def get_queryset(self) -> QuerySet[Milestone]:
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        return milestone_services.milestone_list(actor=self.actor, case=self.get_case()).prefetch_related(
            "derived_deadlines"
        )

    def perform_create(self, serializer: MilestoneSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = milestone_services.milestone_record(
            actor=self.actor,
            case=self.get_case(),
            kind=data["kind"],
            on=data["date"],
            note=data.get("note", ""),
            due_on=data.get("due_on"),
            override_reason=data.get("override_reason", ""),
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = self.get_object()
        data = MilestoneUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        milestone = milestone_services.milestone_update(
            actor=self.actor,
            milestone=milestone,
            on=v.get("date"),
            due_on=v.get("due_on"),
            note=v.get("note"),
        )
        return Response(MilestoneSerializer(milestone, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance: Milestone) -> None:
        milestone_services.milestone_delete(actor=self.actor, milestone=instance)


class MyMilestoneSerializer(ModelSerializer):
    text = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "case", "kind", "kind_label", "text", "date"]
        read_only_fields = fields

    def get_text(self, milestone: Milestone) -> str:
        return str(CLIENT_TEXT.get(milestone.kind, ""))


class MyMilestoneFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Milestone
        fields: ClassVar[list[str]] = []


@extend_schema_view(list=extend_schema(tags=["me"]))
class MyMilestoneViewSet(PortalViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Milestones of the logged-in client's cases, in plain words (in the client's language)."""

    queryset = Milestone.objects.none()
    serializer_class = MyMilestoneSerializer
    filterset_class = MyMilestoneFilter
    ordering_fields: ClassVar[list[str]] = ["date"]

    def get_queryset(self) -> QuerySet[Milestone]:
        return milestone_services.milestone_list(actor=self.actor)
