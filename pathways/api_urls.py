"""REST routes of the pathways app under /api/v1/ (see pathways.api)."""

from __future__ import annotations

from django.urls import re_path

from firm.api_urls import Router
from pathways import api

router = Router()
router.register(
    r"cases/(?P<case_id>[^/.]+)/assessments", api.CaseAssessmentViewSet, basename="api-case-assessment"
)
router.register("assessments", api.AssessmentViewSet, basename="api-assessment")
router.register("me/assessments", api.MyAssessmentViewSet, basename="api-me-assessment")

urlpatterns = [
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/pathways/?$",
        api.ClientPathwaysView.as_view(),
        name="api-client-pathways",
    ),
    *router.urls,
]
