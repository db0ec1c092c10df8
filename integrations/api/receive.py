"""`POST /api/v1/intake/sources/{source_id}/`: a provider's own webhook body, verified its own way.

No session or API key: the provider proves itself with its signature (Typeform, Tally, Standard
Webhooks) or the source URL's token (Jotform). See integrations.services.intake.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from firm.api.schema import ErrorSerializer
from integrations.api.serializers import IntakeSubmissionResultSerializer
from integrations.models import IntakeSource
from integrations.providers import UnreadableBody
from integrations.services.intake import submission_receive
from integrations.signatures import SignatureError


class _RawParser(parsers.BaseParser):
    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


class SourceThrottle(SimpleRateThrottle):
    """Per sender address and source: a flood of (even unsigned) posts cannot fill the audit log."""

    scope = "intake_source"

    def __init__(self) -> None:
        self.rate = settings.INTAKE_SOURCE_THROTTLE_RATE
        super().__init__()

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": f"{self.get_ident(request)}:{view.kwargs.get('source_id', '')[:64]}",
        }


class IntakeSourceReceiveView(APIView):
    """Receive a form provider's submission (Typeform, Tally, Jotform, or Standard Webhooks).

    The body is read exactly as sent. A bad or missing signature answers 401 (logged, never
    processed). The provider's submission id is the idempotency key: a redelivery answers as the first
    time and creates nothing. A submission that cannot be mapped is kept as failed (202) for the firm to
    fix and replay. Otherwise the answer is the one of `POST /api/v1/intake/` (201).
    """

    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = [AllowAny]
    throttle_classes: ClassVar[list] = [SourceThrottle]
    parser_classes: ClassVar[list] = [_RawParser]
    queryset = IntakeSource.objects.none()  # for the schema and the tenant probe
    lookup_field = "public_id"
    lookup_url_kwarg = "source_id"

    @extend_schema(
        operation_id="intake_source_receive",
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        responses={
            201: IntakeSubmissionResultSerializer,
            202: OpenApiResponse(IntakeSubmissionResultSerializer, description="Kept as failed."),
            400: ErrorSerializer,
            401: ErrorSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        parameters=[
            OpenApiParameter("source_id", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False),
        ],
        tags=["intake"],
    )
    def post(self, request: Request, source_id: str) -> Response:
        django_request = request._request
        body = django_request.body  # read first: the raw bytes are what the provider signed
        content_type = django_request.META.get("CONTENT_TYPE", "")
        post = {}
        if content_type.startswith("multipart/form-data"):
            post = {k: django_request.POST.get(k) for k in django_request.POST}
        headers = {k.lower(): v for k, v in django_request.headers.items()}
        try:
            result = submission_receive(
                public_id=source_id,
                body=body,
                headers=headers,
                content_type=content_type,
                post=post,
                token=django_request.GET.get("token", ""),
                ip=django_request.META.get("REMOTE_ADDR", ""),
            )
        except SignatureError as exc:
            return Response({"error": {"signature": str(exc)}}, status=status.HTTP_401_UNAUTHORIZED)
        except UnreadableBody as exc:
            return Response({"error": {exc.field: exc.message}}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result.body, status=result.status)
