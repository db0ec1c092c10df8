"""Pages of the cases app (staff case pages and the portal's case pages), included at the site root by
config.urls."""

from django.urls import path

from cases.web import cases, lifecycle, portal

urlpatterns = [
    path("clients/<int:client_id>/cases/new/", cases.case_create, name="case-create"),
    path("cases/<int:case_id>/", cases.case_detail, name="case-detail"),
    path("cases/<int:case_id>/transition/", cases.case_transition, name="case-transition"),
    path("cases/<int:case_id>/documents/request/", cases.document_request, name="document-request"),
    path(
        "cases/<int:case_id>/documents/upload/", cases.document_create_upload, name="document-create-upload"
    ),
    path("cases/<int:case_id>/deadlines/new/", cases.deadline_create, name="deadline-create"),
    path("cases/<int:case_id>/notes/new/", cases.note_create, name="note-create"),
    path("documents/<int:document_id>/upload/", cases.document_upload, name="document-upload"),
    path("documents/<int:document_id>/review/", cases.document_review, name="document-review"),
    path("documents/<int:document_id>/download/", cases.document_download, name="document-download"),
    path("deadlines/<int:deadline_id>/done/", cases.deadline_done, name="deadline-done"),
    # the lifecycle: milestones, identifiers, tasks, calendar feed
    path("cases/<int:case_id>/milestones/new/", lifecycle.milestone_create, name="milestone-create"),
    path("milestones/<int:milestone_id>/edit/", lifecycle.milestone_edit, name="milestone-edit"),
    path("milestones/<int:milestone_id>/delete/", lifecycle.milestone_remove, name="milestone-delete"),
    path("cases/<int:case_id>/identifiers/", lifecycle.case_identifiers, name="case-identifiers"),
    path("cases/<int:case_id>/tasks/new/", lifecycle.task_create, name="task-create"),
    path("tasks/<int:task_id>/done/", lifecycle.task_done, name="task-done"),
    path("account/calendar/", lifecycle.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", lifecycle.calendar_feed, name="calendar-feed"),
    # client portal
    path("portal/cases/<int:case_id>/", portal.portal_case, name="portal-case"),
    path(
        "portal/documents/<int:document_id>/upload/",
        portal.portal_document_upload,
        name="portal-document-upload",
    ),
]
