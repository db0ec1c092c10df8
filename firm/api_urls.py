"""REST routes of the firm app under /api/v1/ (see firm.api)."""

from __future__ import annotations

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from firm import api


class Router(SimpleRouter):
    """Routes without a trailing slash requirement: `/clients` and `/clients/` both work."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = Router()
router.register("staff", api.StaffViewSet, basename="api-staff")
router.register("api-keys", api.ApiKeyViewSet, basename="api-apikey")
router.register("audit-events", api.AuditEventViewSet, basename="api-audit")
router.register("clients", api.ClientViewSet, basename="api-client")
router.register(
    r"clients/(?P<client_id>[^/.]+)/language-tests", api.LanguageTestViewSet, basename="api-language-test"
)
router.register(r"clients/(?P<client_id>[^/.]+)/education", api.EducationViewSet, basename="api-education")
router.register(
    r"clients/(?P<client_id>[^/.]+)/work-experience",
    api.WorkExperienceViewSet,
    basename="api-work-experience",
)
router.register(r"clients/(?P<client_id>[^/.]+)/job-offers", api.JobOfferViewSet, basename="api-job-offer")
router.register(
    r"clients/(?P<client_id>[^/.]+)/nominations", api.NominationViewSet, basename="api-nomination"
)

urlpatterns = [
    re_path(r"^auth/token/?$", api.AuthTokenView.as_view(), name="api-auth-token"),
    re_path(r"^firm/?$", api.FirmView.as_view(), name="api-firm"),
    re_path(r"^intake/?$", api.IntakeView.as_view(), name="api-intake"),
    re_path(r"^me/?$", api.MeView.as_view(), name="api-me"),
    *router.urls,
]
if not api.scoring_serves_me_score():
    urlpatterns.append(re_path(r"^me/score/?$", api.MeScoreView.as_view(), name="api-me-score"))
