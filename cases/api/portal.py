"""The client portal's case views: /me/cases, /me/documents, /me/checklist, /me/deadlines, /me/notes."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.api.common import (
    DOWNLOAD_RESPONSES,
    PassthroughRenderer,
    file_response,
    store_file,
    store_new_document,
    upload_input,
)
from cases.constants import NEXT_STEP, OPEN_STATUSES, DocumentKind, DocumentStatus
from cases.models import Case, Deadline, Document, Note
from firm.api.base import (
    EmptySerializer,
    IdFilter,
    ModelSerializer,
    PortalViewMixin,
    UploadParser,
)

# --- The client portal ----------------------------------------------------------------------------------------


class MyCaseSerializer(ModelSerializer):
    next_step = serializers.SerializerMethodField()
    lawyer_name = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "pathway",
            "stream",
            "title",
            "status",
            "next_step",
            "lawyer_name",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_next_step(self, case: Case) -> str:
        return str(NEXT_STEP.get(case.status, ""))

    def get_lawyer_name(self, case: Case) -> str | None:
        lawyer = case.assigned_lawyer
        return (lawyer.get_full_name() or lawyer.email) if lawyer else None


class MyDocumentSerializer(ModelSerializer):
    has_file = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    upload_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "label",
            "status",
            "original_filename",
            "size",
            "expires_on",
            "requested_at",
            "uploaded_at",
            "rejection_reason",
            "has_file",
            "download_url",
            "upload_url",
        ]
        read_only_fields = fields

    def get_has_file(self, doc: Document) -> bool:
        return bool(doc.file)

    def get_download_url(self, doc: Document) -> str | None:
        return reverse("api-me-document-download", kwargs={"pk": doc.pk}) if doc.file else None

    def get_upload_url(self, doc: Document) -> str | None:
        if doc.status == DocumentStatus.VERIFIED:
            return None
        return reverse("api-me-document-upload", kwargs={"pk": doc.pk})


class MyDeadlineSerializer(ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "case", "kind", "label", "due_on", "done"]
        read_only_fields = fields


class MyNoteSerializer(ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "case", "author_name", "text", "created_at"]
        read_only_fields = fields

    def get_author_name(self, note: Note) -> str | None:
        return (note.author.get_full_name() or note.author.email) if note.author else None


class ClientUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, HEIC, TIFF or DOCX; size capped.")
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ClientFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, HEIC, TIFF or DOCX; size capped.")


class MyCaseFilter(django_filters.FilterSet):
    class Meta:
        model = Case
        fields = ["status"]


class MyDocumentFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Document
        fields = ["status", "kind"]


@extend_schema_view(list=extend_schema(tags=["me"]), retrieve=extend_schema(tags=["me"]))
class MyCaseViewSet(PortalViewMixin, viewsets.ReadOnlyModelViewSet):
    """The logged-in client's own cases."""

    queryset = Case.objects.none()
    serializer_class = MyCaseSerializer
    filterset_class = MyCaseFilter
    ordering_fields: ClassVar[list[str]] = ["opened_at"]

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(actor=self.actor)

    @extend_schema(
        request={"multipart/form-data": ClientUploadSerializer},
        responses={201: MyDocumentSerializer},
        tags=["me"],
        operation_id="me_cases_documents_upload",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documents",
        parser_classes=[UploadParser],
        serializer_class=ClientUploadSerializer,
    )
    def upload(self, request: Request, pk: str | None = None) -> Response:
        """Upload a new document to one of your cases."""
        case = self.get_object()
        doc = store_new_document(self.actor, case, upload_input(ClientUploadSerializer, request))
        return Response(MyDocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(tags=["me"]), retrieve=extend_schema(tags=["me"]))
class MyDocumentViewSet(PortalViewMixin, viewsets.ReadOnlyModelViewSet):
    """The logged-in client's documents (all cases); upload a requested one, download their own."""

    queryset = Document.objects.none()
    serializer_class = MyDocumentSerializer
    filterset_class = MyDocumentFilter
    ordering_fields: ClassVar[list[str]] = ["requested_at", "uploaded_at", "expires_on"]

    def get_queryset(self) -> QuerySet[Document]:
        return selectors.document_list(actor=self.actor)

    @extend_schema(
        request={"multipart/form-data": ClientFileSerializer},
        responses={200: MyDocumentSerializer},
        tags=["me"],
    )
    @action(
        detail=True, methods=["post"], parser_classes=[UploadParser], serializer_class=ClientFileSerializer
    )
    def upload(self, request: Request, pk: str | None = None) -> Response:
        """Upload the file for a requested (or rejected) document."""
        document = self.get_object()
        store_file(self.actor, document, upload_input(ClientFileSerializer, request))
        document = selectors.document_get(actor=self.actor, document_id=document.pk)
        return Response(MyDocumentSerializer(document).data)

    @extend_schema(responses=DOWNLOAD_RESPONSES, tags=["me"], filters=False)
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, PassthroughRenderer],
        serializer_class=EmptySerializer,
        filterset_class=None,
    )
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """Your file, as an attachment (audited)."""
        return file_response(actor=self.actor, document=self.get_object())


@extend_schema_view(list=extend_schema(tags=["me"]))
class MyChecklistViewSet(PortalViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What the client still has to provide: requested, rejected or expired documents of open cases."""

    queryset = Document.objects.none()
    serializer_class = MyDocumentSerializer
    filterset_class = MyDocumentFilter
    ordering_fields: ClassVar[list[str]] = ["requested_at", "expires_on"]

    def get_queryset(self) -> QuerySet[Document]:
        return selectors.document_list(actor=self.actor).filter(
            status__in=[DocumentStatus.REQUESTED, DocumentStatus.REJECTED, DocumentStatus.EXPIRED],
            case__status__in=OPEN_STATUSES,
        )


class MyDeadlineFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Deadline
        fields = ["done"]


@extend_schema_view(list=extend_schema(tags=["me"]), retrieve=extend_schema(tags=["me"]))
class MyDeadlineViewSet(PortalViewMixin, viewsets.ReadOnlyModelViewSet):
    """Deadlines of the logged-in client's cases."""

    queryset = Deadline.objects.none()
    serializer_class = MyDeadlineSerializer
    filterset_class = MyDeadlineFilter
    ordering_fields: ClassVar[list[str]] = ["due_on"]

    def get_queryset(self) -> QuerySet[Deadline]:
        return selectors.deadline_list(actor=self.actor)


class MyNoteFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Note
        fields: ClassVar[list[str]] = []


@extend_schema_view(list=extend_schema(tags=["me"]), retrieve=extend_schema(tags=["me"]))
class MyNoteViewSet(PortalViewMixin, viewsets.ReadOnlyModelViewSet):
    """Notes the firm shared with the logged-in client (`visible_to_client`)."""

    queryset = Note.objects.none()
    serializer_class = MyNoteSerializer
    filterset_class = MyNoteFilter
    ordering_fields: ClassVar[list[str]] = ["created_at"]

    def get_queryset(self) -> QuerySet[Note]:
        return selectors.note_list(actor=self.actor)
