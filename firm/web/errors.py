"""Error pages that say something: a page for form-only addresses opened directly (instead of an empty
405), and a log filter that keeps expected 403s to one line (no traceback).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_PARENTS = (
    (re.compile(r"^/cases/(\d+)/"), "/cases/{}/"),
    (re.compile(r"^/clients/(\d+)/"), "/clients/{}/"),
    (re.compile(r"^/firm/"), "/firm/"),
    (re.compile(r"^/portal/"), "/"),
)


def _page_behind(request: HttpRequest) -> str | None:
    """The page whose form posts to this address (None when it cannot be told)."""
    path = request.path
    for pattern, target in _PARENTS:
        found = pattern.match(path)
        if found:
            return target.format(*found.groups())
    found = re.match(r"^/documents/(\d+)/", path)
    if found and request.user.is_authenticated:
        from cases import selectors as case_selectors
        from firm.scoping import actor_for_request

        actor = actor_for_request(request)
        document = case_selectors.document_list(actor=actor).filter(pk=int(found[1])).first()
        if document is not None:
            return f"/cases/{document.case_id}/" if actor.is_staff else f"/portal/cases/{document.case_id}/"
    return None


class FormAddressMiddleware:
    """A browser GET on a POST-only page address gets a page with a way back, not an empty 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method == "GET"
            and not request.path.startswith(("/api/", "/admin/"))
            and not response.content
        ):
            page = render(request, "405.html", {"back": _page_behind(request)}, status=405)
            page["Allow"] = response.get("Allow", "POST")
            return page
        return response


class ExpectedForbiddenFilter(logging.Filter):
    """django.request logs every 403 with its traceback; a refused permission is expected, not a bug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
