"""Probes answered before host validation and the HTTPS redirect.

Container healthchecks call `http://127.0.0.1:8000/healthz` and Prometheus scrapes `http://web:8000/metrics`:
neither is a public host name nor HTTPS, and neither should need to be. Caddy never routes /metrics.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PROBES:
            return self.get_response(request)
        from operations.health import healthz, readyz
        from operations.metrics import metrics_view

        view = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}[request.path]
        return view(request)
