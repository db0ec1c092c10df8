"""Helpers shared by the case API modules: the client id of a case's objects, uploads and downloads."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from rest_framework import renderers, serializers
from rest_framework.request import Request

from cases import services
from cases.models import Case, Document
from cases.uploads import ALLOWED_TYPES
from firm.errors import ApplicationError


class CaseClientIdField(serializers.IntegerField):
    """`case.client_id`, read from the list query's `case_client_id` annotation when it has one, so that a
    page of documents or deadlines needs neither the case nor the client rows."""

    def get_attribute(self, instance: Any) -> Any:
        annotated = instance.__dict__.get("case_client_id")
        return annotated if annotated is not None else super().get_attribute(instance)


def with_case_client_id(queryset: QuerySet) -> QuerySet:
    """A list queryset of objects with a case: the client id alongside, without loading related rows.
    A subquery rather than a join, so that the paginator's COUNT(*) leaves it out."""
    client_id = Case.objects.filter(pk=OuterRef("case_id")).values("client_id")[:1]
    return queryset.select_related(None).annotate(case_client_id=Subquery(client_id))


def _file_size_guard(upload: Any) -> None:
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload is None:
        raise ApplicationError("No file.", fields={"file": "No file was submitted."})
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            "File too large.",
            fields={"file": f"The file is larger than the limit of {limit // (1024 * 1024)} MB."},
        )


def upload_input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validate a multipart upload; the size cap is checked before anything reads the file."""
    _file_size_guard(request.FILES.get("file"))
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def store_new_document(actor: Any, case: Case, data: dict[str, Any]) -> Document:
    """Create a document with its file from validated upload input (staff and portal share it)."""
    upload = data["file"]
    return services.document_create_with_file(
        actor=actor,
        case=case,
        kind=data["kind"],
        file=upload,
        filename=upload.name,
        size=upload.size,
        label=data["label"],
        expires_on=data.get("expires_on"),
    )


def store_file(actor: Any, document: Document, data: dict[str, Any]) -> None:
    """Store the file of a requested (or rejected) document from validated upload input."""
    upload = data["file"]
    services.document_upload(
        actor=actor,
        document=document,
        file=upload,
        filename=upload.name,
        size=upload.size,
        expires_on=data.get("expires_on"),
    )


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets a file download negotiate any Accept header (the view answers with the file itself)."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


DOWNLOAD_RESPONSES: dict[Any, Any] = {(200, mime): OpenApiTypes.BINARY for mime in sorted(ALLOWED_TYPES)}


def file_response(*, actor: Any, document: Document) -> FileResponse:
    """The file as an attachment, with a server-set RFC 6266 name and headers that stop a browser from
    rendering it; every download writes an audit row (`document_open`)."""
    handle = services.document_open(actor=actor, document=document)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_filename
        or f"document-{document.pk}.{document.file.name.rsplit('.', 1)[-1]}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
