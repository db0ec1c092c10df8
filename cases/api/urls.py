"""REST routes of the cases app under /api/v1/ (one module per resource in cases/api/)."""

from __future__ import annotations

from django.urls import re_path

from cases.api import calendar, cases, deadlines, documents, intake, milestones, notes, portal, tasks
from firm.api.routers import Router

router = Router()
router.register("cases", cases.CaseViewSet, basename="api-case")
router.register("documents", documents.DocumentViewSet, basename="api-document")
router.register("deadlines", deadlines.DeadlineViewSet, basename="api-deadline")
router.register("notes", notes.NoteViewSet, basename="api-note")
router.register("me/cases", portal.MyCaseViewSet, basename="api-me-case")
router.register("me/documents", portal.MyDocumentViewSet, basename="api-me-document")
router.register("me/checklist", portal.MyChecklistViewSet, basename="api-me-checklist")
router.register("me/deadlines", portal.MyDeadlineViewSet, basename="api-me-deadline")
router.register("me/notes", portal.MyNoteViewSet, basename="api-me-note")
router.register(
    r"cases/(?P<case_pk>[^/.]+)/milestones", milestones.CaseMilestoneViewSet, basename="api-case-milestone"
)
router.register("tasks", tasks.TaskViewSet, basename="api-task")
router.register("me/milestones", milestones.MyMilestoneViewSet, basename="api-me-milestone")

urlpatterns = [
    re_path(r"^intake/?$", intake.IntakeView.as_view(), name="api-intake"),
    re_path(r"^calendar\.ics$", calendar.CalendarView.as_view(), name="api-calendar"),
    *router.urls,
]
