"""Admin of the core: users, firms, memberships, clients with their facts, audit, API keys; and the
helpers the other apps' admins use (`admin_actor`, `ReadOnlyAdmin`, `FirmScopedAdmin`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from firm.models import (
    ApiKey,
    AuditEvent,
    Client,
    Education,
    Firm,
    JobOffer,
    LanguageTest,
    Membership,
    ProvincialNomination,
    User,
    WorkExperience,
)
from firm.scoping import SYSTEM, Actor, actor_for_user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "preferred_language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "province", "require_two_factor", "email_clients_on_draw"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "firm", "role", "is_active"]
    list_filter = ["firm", "role", "is_active"]
    autocomplete_fields = ["user"]


class FactInline(admin.StackedInline):
    extra = 0
    show_change_link = True


class LanguageTestInline(FactInline):
    model = LanguageTest


class EducationInline(FactInline):
    model = Education


class WorkExperienceInline(FactInline):
    model = WorkExperience


class JobOfferInline(FactInline):
    model = JobOffer


class NominationInline(FactInline):
    model = ProvincialNomination


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "firm", "status", "assigned_lawyer", "date_of_birth", "ee_profile_number"]
    list_filter = ["firm", "status", "marital_status"]
    search_fields = ["first_name", "last_name", "email", "ee_profile_number"]
    autocomplete_fields = ["assigned_lawyer", "portal_user"]
    inlines = [LanguageTestInline, EducationInline, WorkExperienceInline, JobOfferInline, NominationInline]


for model in (LanguageTest, Education, WorkExperience, JobOffer, ProvincialNomination):
    admin.site.register(model, list_display=["__str__", "client"], search_fields=["client__last_name"])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "firm", "ip_address"]
    list_filter = ["action", "object_type", "firm"]
    search_fields = ["actor_label", "object_repr", "object_id"]

    def has_add_permission(self, request):  # append-only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "public_id", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["firm"]
    readonly_fields = ["public_id", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):  # keys are created through the firm admin page (shown once)
        return False


# --- Helpers for the other apps' admins ----------------------------------------------------------


def admin_actor(request: HttpRequest) -> Actor:
    """Superusers act as the system; a staff user with a firm membership acts within their firm."""
    if request.user.is_superuser:
        return SYSTEM
    return actor_for_user(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FirmScopedAdmin(admin.ModelAdmin):
    """Non-superuser staff see only their firm's rows."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.restrict(admin_actor(request)).select_related(
            *self.list_select_related_fields
        )

    list_select_related_fields: tuple[str, ...] = ()
