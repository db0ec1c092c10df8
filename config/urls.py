"""The root URL map. Each app adds its routes in `<app>/api/urls.py` (REST, under /api/v1/) and
`<app>/web/urls.py` (pages, at the site root)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("firm.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("scoring.api.urls")),
    path("", include("pathways.api.urls")),
]


urlpatterns = [
    path("", include("operations.urls")),  # /healthz, /readyz, /metrics
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("firm.web.urls")),
    path("", include("cases.web.urls")),
    path("", include("scoring.web.urls")),
]
