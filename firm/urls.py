"""URL map. Each app adds its own routes in its `urls.py` (pages) and `api_urls.py` (REST)."""

from importlib.util import find_spec

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def _optional(module: str) -> list:
    return [path("", include(module))] if find_spec(module) else []


api_v1 = [
    *_optional("firm.api_urls"),
    *_optional("cases.api_urls"),
    *_optional("scoring.api_urls"),
    *_optional("pathways.api_urls"),
]


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and docker-compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    *_optional("firm.web_urls"),
]
