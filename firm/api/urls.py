"""REST routes of the firm app under /api/v1/ (one module per resource in firm/api/)."""

from __future__ import annotations

from django.urls import re_path

from firm.api import api_keys, audit, auth, clients, facts, firm, me, people, staff
from firm.api.routers import Router

router = Router()
router.register("staff", staff.StaffViewSet, basename="api-staff")
router.register("api-keys", api_keys.ApiKeyViewSet, basename="api-apikey")
router.register("audit-events", audit.AuditEventViewSet, basename="api-audit")
router.register("clients", clients.ClientViewSet, basename="api-client")
router.register(
    r"clients/(?P<client_id>[^/.]+)/language-tests", facts.LanguageTestViewSet, basename="api-language-test"
)
router.register(r"clients/(?P<client_id>[^/.]+)/education", facts.EducationViewSet, basename="api-education")
router.register(
    r"clients/(?P<client_id>[^/.]+)/work-experience",
    facts.WorkExperienceViewSet,
    basename="api-work-experience",
)
router.register(r"clients/(?P<client_id>[^/.]+)/job-offers", facts.JobOfferViewSet, basename="api-job-offer")
router.register(
    r"clients/(?P<client_id>[^/.]+)/nominations", facts.NominationViewSet, basename="api-nomination"
)
router.register("family-members", people.FamilyMemberViewSet, basename="api-family-member")
router.register("residences", people.ResidenceViewSet, basename="api-residence")
router.register("status-documents", people.StatusDocumentViewSet, basename="api-status-document")

urlpatterns = [
    re_path(r"^auth/token/?$", auth.AuthTokenView.as_view(), name="api-auth-token"),
    re_path(r"^auth/tokens/?$", auth.TokenListView.as_view(), name="api-auth-tokens"),
    re_path(
        r"^auth/tokens/(?P<token_id>[0-9a-f]{1,15})/?$",
        auth.TokenDetailView.as_view(),
        name="api-auth-token-detail",
    ),
    re_path(r"^firm/?$", firm.FirmView.as_view(), name="api-firm"),
    re_path(r"^me/?$", me.MeView.as_view(), name="api-me"),
    *router.urls,
]
