"""Tasks (`/tasks/`): assignable to-dos with a due date. Thin: cases.worklist writes."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from cases import worklist
from cases.models import Case, Task
from firm.api.base import ActorViewMixin, IdFilter, ModelSerializer
from firm.api.fields import FirmStaffField, ScopedPrimaryKeyField
from firm.scoping import actor_for_request

# --- Tasks --------------------------------------------------------------------------------------------------


class TaskSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case, required=False, allow_null=True)
    assignee = FirmStaffField()
    assignee_email = serializers.EmailField(source="assignee.email", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "title",
            "assignee",
            "assignee_email",
            "due_on",
            "done",
            "done_at",
            "created_at",
        ]
        read_only_fields = ["id", "assignee_email", "done_at", "created_at"]


class TaskFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")
    assignee = IdFilter(field_name="assignee_id")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only the caller's tasks")

    class Meta:
        model = Task
        fields = ["done"]

    def filter_mine(self, queryset: QuerySet[Task], name: str, value: bool | None) -> QuerySet[Task]:
        if not value:
            return queryset
        actor = actor_for_request(self.request)
        return queryset.filter(assignee_id=actor.user_id)


@extend_schema_view(
    list=extend_schema(tags=["tasks"]),
    create=extend_schema(tags=["tasks"]),
    retrieve=extend_schema(tags=["tasks"]),
    partial_update=extend_schema(tags=["tasks"]),
    destroy=extend_schema(tags=["tasks"]),
)
class TaskViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """The firm's tasks: assign one to a staff member with a due date, on a case or not; `done: true`
    completes it. `?mine=true&due_before=<today>` is the dashboard's "my tasks today and overdue"."""

    queryset = Task.objects.none()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields: ClassVar[list[str]] = ["due_on", "created_at"]
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
        "partial_update": "case.change",
        "destroy": "case.change",
    }

    def get_queryset(self) -> QuerySet[Task]:
        return worklist.task_list(actor=self.actor)

    def perform_create(self, serializer: TaskSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = worklist.task_create(
            actor=self.actor,
            title=data["title"],
            assignee=data["assignee"],
            due_on=data["due_on"],
            case=data.get("case"),
        )

    def perform_update(self, serializer: TaskSerializer) -> None:
        serializer.instance = worklist.task_update(
            actor=self.actor, task=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Task) -> None:
        worklist.task_delete(actor=self.actor, task=instance)
