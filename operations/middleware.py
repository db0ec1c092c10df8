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


class ProxyClientMiddleware:
    """Behind the reverse proxy, REMOTE_ADDR is the proxy's address. With TRUSTED_PROXY_COUNT = N > 0 (compose
    sets 1 for Caddy), REMOTE_ADDR becomes the address the outermost trusted proxy saw: the N-th entry from
    the right of X-Forwarded-For. Entries further left are the client's own claims and are ignored. Audit
    rows and django-axes lockouts then record the real client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.hops > 0:
            forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            forwarded = [part for part in forwarded if part]
            if len(forwarded) >= self.hops:
                request.META["REMOTE_ADDR"] = forwarded[-self.hops]
        return self.get_response(request)
