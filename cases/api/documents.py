"""/documents: requested and uploaded documents, their review and download."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.common import (
    DOWNLOAD_RESPONSES,
    CaseClientIdField,
    PassthroughRenderer,
    file_response,
    store_file,
    upload_input,
    with_case_client_id,
)
from cases.constants import DocumentKind
from cases.models import Case, Document
from firm.api.base import (
    ActorViewMixin,
    EmptySerializer,
    IdFilter,
    ModelSerializer,
    UploadParser,
)
from firm.api.fields import ScopedPrimaryKeyField


class DocumentSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case)
    client = CaseClientIdField(source="case.client_id", read_only=True)
    has_file = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    download_route: ClassVar[str] = "api-document-download"

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "client",
            "kind",
            "label",
            "checklist_key",
            "person",
            "required",
            "status",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "expires_on",
            "requested_at",
            "uploaded_at",
            "reviewed_at",
            "rejection_reason",
            "has_file",
            "download_url",
        ]
        read_only_fields = [
            "id",
            "checklist_key",
            "person",
            "required",
            "status",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "requested_at",
            "uploaded_at",
            "reviewed_at",
            "rejection_reason",
        ]

    def get_has_file(self, doc: Document) -> bool:
        return bool(doc.file)

    def get_download_url(self, doc: Document) -> str | None:
        return reverse(self.download_route, kwargs={"pk": doc.pk}) if doc.file else None


# --- Documents ----------------------------------------------------------------------------------------------


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, HEIC, TIFF or DOCX; size capped.")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class DocumentReviewSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DocumentFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")
    client = IdFilter(field_name="case__client_id")
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = Document
        fields = ["status", "kind"]


@extend_schema_view(
    list=extend_schema(tags=["documents"]),
    retrieve=extend_schema(tags=["documents"]),
    create=extend_schema(
        tags=["documents"], description="Request a document from the client (checklist item)."
    ),
    destroy=extend_schema(tags=["documents"]),
)
class DocumentViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Documents of the firm's cases: request, upload (multipart), review, download."""

    queryset = Document.objects.none()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields: ClassVar[list[str]] = ["requested_at", "uploaded_at", "expires_on", "status", "kind"]
    # Newest first by primary key: the model's default (case, kind) ordering joins and sorts every row.
    ordering: ClassVar[list[str]] = ["-pk"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "document.view",
        "retrieve": "document.view",
        "download": "document.view",
        "create": "document.change",
        "upload": "document.change",
        "review": "document.review",
        "destroy": "document.delete",
    }

    def get_queryset(self) -> QuerySet[Document]:
        queryset = selectors.document_list(actor=self.actor)
        return with_case_client_id(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer: DocumentSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.document_request(
            actor=self.actor,
            case=data["case"],
            kind=data.get("kind", DocumentKind.OTHER),
            label=data.get("label", ""),
            expires_on=data.get("expires_on"),
        )

    def perform_destroy(self, instance: Document) -> None:
        services.document_delete(actor=self.actor, document=instance)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={200: DocumentSerializer},
        tags=["documents"],
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[UploadParser],
        serializer_class=DocumentUploadSerializer,
    )
    def upload(self, request: Request, pk: str | None = None) -> Response:
        """Upload (or replace) the file of a requested document."""
        document = self.get_object()
        store_file(self.actor, document, upload_input(DocumentUploadSerializer, request))
        document = selectors.document_get(actor=self.actor, document_id=document.pk)
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data)

    @extend_schema(request=DocumentReviewSerializer, responses={200: DocumentSerializer}, tags=["documents"])
    @action(detail=True, methods=["post"], serializer_class=DocumentReviewSerializer)
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Verify an uploaded document, or reject it with a reason (the client sees the reason)."""
        document = self.get_object()
        data = DocumentReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_review(actor=self.actor, document=document, **data.validated_data)
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data)

    @extend_schema(responses=DOWNLOAD_RESPONSES, tags=["documents"], filters=False)
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, PassthroughRenderer],
        serializer_class=EmptySerializer,
        filterset_class=None,
    )
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file, as an attachment (audited)."""
        return file_response(actor=self.actor, document=self.get_object())
