"""REST routes of integrations under /api/v1/."""

from __future__ import annotations

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from integrations.api.intake_sources import IntakeSourceViewSet, IntakeSubmissionViewSet
from integrations.api.receive import IntakeSourceReceiveView
from integrations.api.webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet


class Router(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = Router()
router.register("intake-sources", IntakeSourceViewSet, basename="api-intake-source")
router.register("intake-submissions", IntakeSubmissionViewSet, basename="api-intake-submission")
router.register("webhooks", WebhookEndpointViewSet, basename="api-webhook")
router.register(
    r"webhooks/(?P<webhook_endpoint_id>[^/.]+)/deliveries",
    WebhookDeliveryViewSet,
    basename="api-webhook-delivery",
)

urlpatterns = [
    re_path(
        r"^intake/sources/(?P<source_id>[^/]+)/?$",
        IntakeSourceReceiveView.as_view(),
        name="api-intake-source-receive",
    ),
    *router.urls,
]
