"""REST routes of the cases app under /api/v1/ (see cases.api)."""

from __future__ import annotations

from cases import api
from firm.api_urls import Router

router = Router()
router.register("cases", api.CaseViewSet, basename="api-case")
router.register("documents", api.DocumentViewSet, basename="api-document")
router.register("deadlines", api.DeadlineViewSet, basename="api-deadline")
router.register("notes", api.NoteViewSet, basename="api-note")
router.register("me/cases", api.MyCaseViewSet, basename="api-me-case")
router.register("me/documents", api.MyDocumentViewSet, basename="api-me-document")
router.register("me/checklist", api.MyChecklistViewSet, basename="api-me-checklist")
router.register("me/deadlines", api.MyDeadlineViewSet, basename="api-me-deadline")
router.register("me/notes", api.MyNoteViewSet, basename="api-me-note")

urlpatterns = router.urls
