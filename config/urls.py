"""The root URL map. Each app adds its routes in `<app>/api/urls.py` (REST, under /api/v1/) and
`<app>/web/urls.py` (pages, at the site root)."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("firm.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("scoring.api.urls")),
    path("", include("pathways.api.urls")),
    path("", include("questionnaire.api.urls")),
    path("", include("integrations.api.urls")),
]


_swagger = SpectacularSwaggerView.as_view(url_name="schema")


def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI (served from our static files by drf-spectacular-sidecar) for logged-in users who passed
    the session's two-factor check; others go to the login (or code) page first."""
    from firm.web.common import access_problem

    return access_problem(request) or _swagger(request)


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says: point them at the static icon."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("", include("operations.urls")),  # /healthz, /readyz, /metrics
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("integrations.web.urls")),
    path("", include("firm.web.urls")),
    path("", include("cases.web.urls")),
    path("", include("scoring.web.urls")),
    path("", include("questionnaire.web.urls")),
]
