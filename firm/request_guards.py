"""Request guards applied before a view runs, and the cache header of every dynamic response.

- Bodies over `REQUEST_BODY_MAX_BYTES` (JSON and forms) or `UPLOAD_REQUEST_MAX_BYTES` (multipart
  uploads) answer 413 before anything reads them: DRF's parsers read the request stream directly, so
  Django's DATA_UPLOAD_MAX_MEMORY_SIZE (checked only by `request.body` and Django's form parsing) never
  stopped a 30 MB JSON body or a 20 MB password.
- A NUL character in a query-string parameter or a header answers 400 naming it (PostgreSQL refuses it).
- Every response that passes here (pages and the API; static files are answered earlier by WhiteNoise)
  carries `Cache-Control: no-store`: they hold clients' personal data and must not be kept by browsers or
  proxies.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"The request body is larger than {limit} bytes."
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"body": message}}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def _bad_parameter(request: HttpRequest, name: str) -> HttpResponse:
    message = "Null characters are not allowed."
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {name or "query": message}}, status=400)
    return HttpResponse(f"{name}: {message}", status=400, content_type="text/plain; charset=utf-8")


def body_limit(request: HttpRequest) -> int:
    if (request.META.get("CONTENT_TYPE") or "").startswith("multipart/"):
        return settings.UPLOAD_REQUEST_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._refuse(request)
        if response is None:
            response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return _too_large(request, limit)
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return _bad_parameter(request, key[5:].replace("_", "-").title())
        for name, values in request.GET.lists():
            if "\x00" in name:
                return _bad_parameter(request, "query")
            if any("\x00" in value for value in values):
                return _bad_parameter(request, name)
        return None
