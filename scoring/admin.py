"""Admin for Express Entry draws (map unknown rounds, flag on demand), draw matches and read-only
stored scores. The outbox's admin is notifications/admin.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from firm.admin import FirmScopedAdmin, ReadOnlyAdmin, admin_actor
from scoring.draws.categories import CATEGORY_VERSIONS, eligibility_basis
from scoring.models import CRSScore, Draw, DrawMatch, Eligibility
from scoring.services.draws import draw_set_category
from scoring.services.flagging import draw_flag


class DrawForm(forms.ModelForm):
    category_version = forms.ChoiceField(
        required=False,
        choices=[("", "(none: not a category round)")] + [(v.label, v.label) for v in CATEGORY_VERSIONS],
        help_text="NOC-list version for category rounds (exact label of categories_noc_by_version.csv).",
    )

    class Meta:
        model = Draw
        fields = ["category", "category_version"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        basis = eligibility_basis(data.get("category") or "unknown", data.get("category_version") or None)
        if basis.kind == "category" and not data.get("category_version"):
            self.add_error("category_version", "A category round needs its NOC-list version.")
        if basis.kind != "category":
            data["category_version"] = ""
        return data


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    form = DrawForm
    list_display = [
        "draw_number",
        "draw_date",
        "name",
        "category",
        "min_crs",
        "invitations",
        "tie_break_at",
        "flagged_at",
        "warnings_count",
    ]
    list_filter = ["category", "category_set_manually", "draw_date"]
    search_fields = ["draw_number", "name"]
    date_hierarchy = "draw_date"
    ordering = ["-draw_date", "-draw_number"]
    actions = ["flag_now", "flag_now_without_email"]
    readonly_fields = [
        "draw_number",
        "draw_date",
        "name",
        "programs",
        "invitations",
        "min_crs",
        "run_at",
        "tie_break_at",
        "distribution",
        "distribution_as_of",
        "parse_warnings",
        "content_hash",
        "first_seen_at",
        "updated_at",
        "flagged_at",
        "flagged_basis",
        "flag_runs",
        "category_set_manually",
        "raw",
    ]
    fieldsets = (
        (
            "Mapping (edit to map a round the parser did not know; flagging then runs)",
            {"fields": ("category", "category_version", "category_set_manually")},
        ),
        (
            "As IRCC published it",
            {
                "fields": (
                    "draw_number",
                    "draw_date",
                    "name",
                    "programs",
                    "invitations",
                    "min_crs",
                    "run_at",
                    "tie_break_at",
                    "distribution",
                    "distribution_as_of",
                    "parse_warnings",
                    "raw",
                )
            },
        ),
        (
            "Sync and flagging",
            {
                "fields": (
                    "content_hash",
                    "first_seen_at",
                    "updated_at",
                    "flagged_at",
                    "flagged_basis",
                    "flag_runs",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # draws come from IRCC's feed (sync_draws)

    @admin.display(description="warnings")
    def warnings_count(self, obj: Draw) -> int:
        return len(obj.parse_warnings or [])

    def save_model(self, request: HttpRequest, obj: Draw, form: forms.ModelForm, change: bool) -> None:
        if {"category", "category_version"} & set(form.changed_data):
            draw_set_category(
                draw=obj,
                category=form.cleaned_data["category"],
                category_version=form.cleaned_data.get("category_version") or "",
                actor=admin_actor(request),
            )
            self.message_user(request, f"Round {obj.draw_number} mapped; flagging will run for it.")

    @admin.action(description="Flag selected draws now (email only for recent rounds)")
    def flag_now(self, request: HttpRequest, queryset: QuerySet[Draw]) -> None:
        for draw in queryset:
            self.message_user(request, draw_flag(draw_id=draw.pk, force=True).summary())

    @admin.action(description="Flag selected draws now, without any email")
    def flag_now_without_email(self, request: HttpRequest, queryset: QuerySet[Draw]) -> None:
        for draw in queryset:
            self.message_user(request, draw_flag(draw_id=draw.pk, force=True, send=False).summary())


@admin.register(DrawMatch)
class DrawMatchAdmin(FirmScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "draw",
        "client",
        "firm",
        "score",
        "in_pool",
        "by_tie_break",
        "status",
        "lawyer",
        "created_at",
    ]
    list_filter = ["status", "in_pool", "by_tie_break", "draw__category", "firm"]
    search_fields = ["client__first_name", "client__last_name", "draw__draw_number"]
    list_select_related_fields = ("draw", "client", "firm", "lawyer")
    raw_id_fields = ["draw", "client", "crs_score", "lawyer"]


@admin.register(CRSScore)
class CRSScoreAdmin(FirmScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "client",
        "total",
        "core",
        "spouse",
        "transferability",
        "additional",
        "rule_set",
        "as_of",
        "is_current",
        "next_change_on",
    ]
    list_filter = ["is_current", "rule_set", "firm"]
    search_fields = ["client__first_name", "client__last_name"]
    list_select_related_fields = ("client",)


@admin.register(Eligibility)
class EligibilityAdmin(FirmScopedAdmin, ReadOnlyAdmin):
    list_display = ["client", "program", "version", "outcome", "as_of", "computed_at"]
    list_filter = ["program", "outcome", "version", "firm"]
    search_fields = ["client__first_name", "client__last_name"]
    list_select_related_fields = ("client",)
