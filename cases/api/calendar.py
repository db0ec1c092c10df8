"""The caller's calendar (`GET /calendar.ics`): deadlines and tasks as iCalendar."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, status
from rest_framework.request import Request
from rest_framework.views import APIView

from cases.calendar_feed import calendar_ics
from firm.api.base import ActorPermission, ActorViewMixin

# --- Calendar -----------------------------------------------------------------------------------------------


class ICalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


class CalendarView(ActorViewMixin, APIView):
    """The caller's deadlines and tasks as iCalendar (staff: their cases' open deadlines and their open
    tasks; an API key: the firm's open deadlines; a client: their own cases' deadlines)."""

    allowed_actor_kinds = frozenset({"staff", "api_key", "client"})
    permission_classes: ClassVar[list] = [ActorPermission]
    permission_map: ClassVar[dict[str, str]] = {"get": "case.view"}
    renderer_classes: ClassVar[list] = [ICalendarRenderer, renderers.JSONRenderer]

    @extend_schema(
        operation_id="calendar_ics",
        responses={(200, "text/calendar"): OpenApiTypes.BINARY},
        tags=["calendar"],
    )
    def get(self, request: Request) -> HttpResponse:
        body = calendar_ics(actor=self.actor, today=timezone.localdate())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8", status=status.HTTP_200_OK)
        response["Cache-Control"] = "private, no-store"
        return response
