"""Admin for stored pathway assessments: read-only (rows are written by `pathways.services`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pathways.models import PathwayAssessment


@admin.register(PathwayAssessment)
class PathwayAssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "case",
        "client",
        "pathway",
        "stream",
        "outcome",
        "is_current",
        "as_of",
        "created_at",
    ]
    list_filter = ["firm", "pathway", "outcome", "is_current"]
    search_fields = ["client__first_name", "client__last_name", "stream"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "client"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
