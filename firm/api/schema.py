"""OpenAPI pieces shared by every app's API: the `Error` component and the schema class that adds it.

Kept apart from `firm.api.common` because drf-spectacular's AutoSchema imports DRF's generic views,
which import the pagination class from `firm.api.common` (a circular import otherwise).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape: `{"error": {"<field path>": "<message>"}}` (`detail` when no field applies)."""

    error = serializers.DictField(
        child=serializers.CharField(),
        help_text='Field path -> message, e.g. {"work_history[1].start_date": "This field is required."}; '
        '"detail" holds a message that concerns no single field.',
    )

    class Meta:
        ref_name = "Error"


# Error answers any operation may give; added to every endpoint's schema (other apps' endpoints too).
ERROR_RESPONSES: dict[str, str] = {
    "400": "Invalid input: every bad field is named with its path.",
    "401": "Not authenticated, or the API key / token is invalid or revoked.",
    "403": "Authenticated, but this role or API-key scope may not do this.",
    "404": "Not found (objects of another firm or client are never revealed).",
    "429": "Too many requests for this API key or user (throttled).",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema plus the `Error` component on every 4xx answer the API can give."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code == "401" and not self.get_auth():
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses
