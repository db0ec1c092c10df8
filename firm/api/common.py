"""Shared API pieces: pagination and the one exception handler that shapes every error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from firm.errors import ApplicationError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail: Any, prefix: str = "") -> dict[str, str]:
    """DRF error detail -> {"field.path": "message"}."""
    out: dict[str, str] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, path))
    elif isinstance(detail, list):
        if detail and all(not isinstance(v, (dict, list)) for v in detail):
            out[prefix or "non_field_errors"] = " ".join(str(v) for v in detail)
        else:
            for i, value in enumerate(detail):
                if value:
                    out.update(_flatten(value, f"{prefix}[{i}]" if prefix else str(i)))
    else:
        out[prefix or "detail"] = str(detail)
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors always answer `{"error": {"<field path>": "<message>"}}` with a 4xx status."""
    if isinstance(exc, ApplicationError):
        fields = exc.fields or {"detail": exc.message}
        return Response({"error": fields}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            fields = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            fields = {"non_field_errors": " ".join(exc.messages)}
        return Response({"error": fields}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"error": _flatten(exc.detail)}
    else:
        detail = getattr(exc, "detail", str(exc))
        response.data = {"error": {"detail": str(detail)}}
    return response
