"""One id per request, in every log line it causes, in the response and in the Celery tasks it enqueues.

The proxy's `X-Request-ID` is kept when it is well formed (Caddy sets one), otherwise a new id is made.
`before_task_publish` copies the current id into the task message's headers and `task_prerun` restores
it in the worker, so a request's log lines and its tasks' log lines share one `request_id`.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "maplecase_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_task: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("task", default=("", ""))
_tokens: dict[str, contextvars.Token[str]] = {}
access_log = logging.getLogger("maplecase.request")
task_log = logging.getLogger("maplecase.task")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(proposed: str | None = None) -> str:
    return proposed if proposed and _VALID.match(proposed) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id, returns it as `X-Request-ID` and writes one access-log line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if not request.path.startswith(("/healthz", "/readyz", "/metrics")):
                access_log.info(
                    "request",
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id`, `task_id` and `task_name` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.task_id, record.task_name = _task.get()
        return True


def _before_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = _request_id.get()
    if headers is not None and request_id:
        headers[TASK_HEADER] = request_id


def _prerun(task_id: str = "", task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    # A worker turns the message's headers into attributes of task.request; apply() keeps them in .headers.
    proposed = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        TASK_HEADER
    )
    # Eager tasks run inside the request's context: keep its id. A worker gets it from the headers.
    request_id = proposed or _request_id.get() or new_request_id()
    _tokens[task_id] = _request_id.set(request_id)
    _task.set((task_id, getattr(task, "name", "") or ""))
    task_log.info("task started")


def _postrun(task_id: str = "", **_: Any) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            _request_id.reset(token)
        except ValueError:  # a different context (thread pool): clearing is enough
            _request_id.set("")
    _task.set(("", ""))


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_before_publish, weak=False, dispatch_uid="maplecase-request-id-publish")
    task_prerun.connect(_prerun, weak=False, dispatch_uid="maplecase-request-id-prerun")
    task_postrun.connect(_postrun, weak=False, dispatch_uid="maplecase-request-id-postrun")
