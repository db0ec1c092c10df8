from django.contrib import admin

from cases.models import Case, CaseStatusChange, Deadline, Document, Note


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "reason", "changed_at"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "label", "status", "original_filename", "expires_on"]
    readonly_fields = ["original_filename"]


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client", "pathway", "status", "assigned_lawyer", "opened_at"]
    list_filter = ["firm", "pathway", "status"]
    search_fields = ["client__first_name", "client__last_name", "ircc_application_number"]
    autocomplete_fields = ["client", "assigned_lawyer"]
    inlines = [StatusChangeInline, DocumentInline, DeadlineInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "kind", "status", "size", "uploaded_at", "expires_on"]
    list_filter = ["firm", "kind", "status"]
    readonly_fields = ["stored_name", "sha256", "size", "content_type", "original_filename", "file"]


admin.site.register(
    Deadline, list_display=["label", "case", "due_on", "done", "source_rule"], list_filter=["done"]
)
admin.site.register(Note, list_display=["__str__", "case", "author", "visible_to_client", "created_at"])
