"""REST routes of the pathways app under /api/v1/ (one module per resource in pathways/api/)."""

from __future__ import annotations

from django.urls import re_path

from firm.api.routers import Router
from pathways.api import assessments, fit, portal

router = Router()
router.register(
    r"cases/(?P<case_id>[^/.]+)/assessments",
    assessments.CaseAssessmentViewSet,
    basename="api-case-assessment",
)
router.register("assessments", assessments.AssessmentViewSet, basename="api-assessment")
router.register("me/assessments", portal.MyAssessmentViewSet, basename="api-me-assessment")

urlpatterns = [
    re_path(
        r"^clients/(?P<client_id>[^/.]+)/pathways/?$",
        fit.ClientPathwaysView.as_view(),
        name="api-client-pathways",
    ),
    *router.urls,
]
