"""REST API for cases, their documents, deadlines, notes and status history, and the client portal's
case views (/me/cases, /me/documents, /me/checklist, /me/deadlines, /me/notes).

Thin views: serializers validate, selectors read (`restrict(actor)`), services write. Uploads are parsed
by `firm.api_base.UploadParser` (a path in the file name is refused) and checked by `cases.uploads`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.constants import NEXT_STEP, OPEN_STATUSES, CaseStatus, DocumentKind, DocumentStatus
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from cases.uploads import ALLOWED_TYPES
from firm.api import FirmStaffField, PortalViewMixin, ScopedPrimaryKeyField
from firm.api_base import ActorViewMixin, EmptySerializer, IdFilter, ModelSerializer, UploadParser
from firm.errors import ApplicationError
from firm.models import Client

# --- Cases --------------------------------------------------------------------------------------------------


class CaseSerializer(ModelSerializer):
    client = ScopedPrimaryKeyField(Client)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    assigned_lawyer = FirmStaffField(required=False, allow_null=True)
    next_step = serializers.SerializerMethodField()
    facts = serializers.DictField(
        required=False, default=dict, help_text="The case's own facts for pathway rules (offer, employer...)."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "client",
            "client_name",
            "pathway",
            "stream",
            "title",
            "status",
            "next_step",
            "assigned_lawyer",
            "ircc_application_number",
            "esdc_file_number",
            "facts",
            "opened_at",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "ircc_application_number",
            "esdc_file_number",
            "opened_at",
            "closed_at",
            "updated_at",
        ]

    def get_next_step(self, case: Case) -> str:
        return str(NEXT_STEP.get(case.status, ""))


class CaseUpdateSerializer(CaseSerializer):
    """Changing a case: the client and pathway are fixed; status moves only through /transition."""

    facts = serializers.DictField(required=False)

    class Meta(CaseSerializer.Meta):
        read_only_fields = ["id", "status", "opened_at", "closed_at", "updated_at", "client", "pathway"]


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StatusChangeSerializer(ModelSerializer):
    class Meta:
        model = CaseStatusChange
        fields = ["id", "from_status", "to_status", "changed_by", "reason", "changed_at"]
        read_only_fields = fields


class CaseFilter(django_filters.FilterSet):
    client = IdFilter(field_name="client_id")
    assigned_lawyer = IdFilter(field_name="assigned_lawyer_id")
    open = django_filters.BooleanFilter(method="filter_open", label="Open (not decided, withdrawn or closed)")

    class Meta:
        model = Case
        fields = ["status", "pathway"]

    def filter_open(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)
        )


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


class StaffUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, HEIC, TIFF or DOCX; size capped.")
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


def _file_size_guard(upload: Any) -> None:
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload is None:
        raise ApplicationError("No file.", fields={"file": "No file was submitted."})
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            "File too large.",
            fields={"file": f"The file is larger than the limit of {limit // (1024 * 1024)} MB."},
        )


def _upload_input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validate a multipart upload; the size cap is checked before anything reads the file."""
    _file_size_guard(request.FILES.get("file"))
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _store_new_document(actor: Any, case: Case, data: dict[str, Any]) -> Document:
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


def _store_file(actor: Any, document: Document, data: dict[str, Any]) -> None:
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


@extend_schema_view(
    list=extend_schema(tags=["cases"]),
    retrieve=extend_schema(tags=["cases"]),
    create=extend_schema(tags=["cases"]),
    partial_update=extend_schema(
        tags=["cases"], request=CaseUpdateSerializer, responses={200: CaseSerializer}
    ),
    destroy=extend_schema(tags=["cases"]),
)
class CaseViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """The firm's cases. Status moves only through `POST /cases/{id}/transition`."""

    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields: ClassVar[list[str]] = ["opened_at", "updated_at", "status", "pathway"]
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "history": "case.view",
        "create": "case.change",
        "partial_update": "case.change",
        "upload": "document.change",
        "transition": "case.transition",
        "destroy": "case.delete",
    }

    def get_queryset(self) -> QuerySet[Case]:
        queryset = selectors.case_list(actor=self.actor)
        if self.action == "list":
            # The page shows the client's name but the lawyer by id only: no need for the user rows.
            queryset = queryset.select_related(None).select_related("client")
        return queryset

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "partial_update":
            return CaseUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer: CaseSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.case_create(actor=self.actor, client=data.pop("client"), **data)

    def perform_update(self, serializer: CaseSerializer) -> None:
        serializer.instance = services.case_update(
            actor=self.actor, case=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Case) -> None:
        services.case_delete(actor=self.actor, case=instance)

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer}, tags=["cases"])
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move the case along its workflow (only allowed transitions; recorded with the reason)."""
        case = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_transition(
            actor=self.actor,
            case=case,
            to_status=data.validated_data["status"],
            reason=data.validated_data["reason"],
        )
        case = selectors.case_get(actor=self.actor, case_id=case.pk)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(responses={200: StatusChangeSerializer(many=True)}, tags=["cases"], filters=False)
    @action(detail=True, methods=["get"], serializer_class=StatusChangeSerializer, filterset_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The case's status history, oldest first."""
        case = self.get_object()
        page = self.paginate_queryset(selectors.status_history(actor=self.actor, case=case))
        return self.get_paginated_response(StatusChangeSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": StaffUploadSerializer},
        responses={201: DocumentSerializer},
        tags=["documents"],
        operation_id="cases_documents_upload",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documents",
        parser_classes=[UploadParser],
        serializer_class=StaffUploadSerializer,
    )
    def upload(self, request: Request, pk: str | None = None) -> Response:
        """Upload a document to the case that was not requested first."""
        case = self.get_object()
        doc = _store_new_document(self.actor, case, _upload_input(StaffUploadSerializer, request))
        doc = selectors.document_get(actor=self.actor, document_id=doc.pk)
        return Response(
            DocumentSerializer(doc, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


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
        _store_file(self.actor, document, _upload_input(DocumentUploadSerializer, request))
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


# --- Deadlines and notes ------------------------------------------------------------------------------------


class DeadlineSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case)
    client = CaseClientIdField(source="case.client_id", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "case",
            "client",
            "kind",
            "label",
            "due_on",
            "done",
            "done_at",
            "source_rule",
            "created_at",
        ]
        read_only_fields = ["id", "done", "done_at", "source_rule", "created_at"]


class DeadlineCompleteSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class DeadlineFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")
    client = IdFilter(field_name="case__client_id")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = Deadline
        fields = ["done", "kind"]


@extend_schema_view(
    list=extend_schema(tags=["deadlines"]),
    retrieve=extend_schema(tags=["deadlines"]),
    create=extend_schema(tags=["deadlines"]),
)
class DeadlineViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deadlines of the firm's cases."""

    queryset = Deadline.objects.none()
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    ordering_fields: ClassVar[list[str]] = ["due_on", "created_at"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
        "complete": "case.change",
    }

    def get_queryset(self) -> QuerySet[Deadline]:
        queryset = selectors.deadline_list(actor=self.actor)
        return with_case_client_id(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer: DeadlineSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.deadline_create(actor=self.actor, case=data.pop("case"), **data)

    @extend_schema(
        request=DeadlineCompleteSerializer, responses={200: DeadlineSerializer}, tags=["deadlines"]
    )
    @action(detail=True, methods=["post"], serializer_class=DeadlineCompleteSerializer)
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the deadline done (or reopen it with `done: false`)."""
        deadline = self.get_object()
        data = DeadlineCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = services.deadline_complete(
            actor=self.actor, deadline=deadline, done=data.validated_data["done"]
        )
        return Response(DeadlineSerializer(deadline, context=self.get_serializer_context()).data)


class NoteSerializer(ModelSerializer):
    case = ScopedPrimaryKeyField(Case)
    author_email = serializers.EmailField(
        source="author.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Note
        fields = ["id", "case", "author", "author_email", "text", "visible_to_client", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class NoteFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Note
        fields = ["visible_to_client"]


@extend_schema_view(
    list=extend_schema(tags=["notes"]),
    retrieve=extend_schema(tags=["notes"]),
    create=extend_schema(tags=["notes"]),
)
class NoteViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Notes on the firm's cases; `visible_to_client` shares one with the client in the portal."""

    queryset = Note.objects.none()
    serializer_class = NoteSerializer
    filterset_class = NoteFilter
    ordering_fields: ClassVar[list[str]] = ["created_at"]
    permission_map: ClassVar[dict[str, str]] = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.change",
    }

    def get_queryset(self) -> QuerySet[Note]:
        return selectors.note_list(actor=self.actor)

    def perform_create(self, serializer: NoteSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.note_create(
            actor=self.actor,
            case=data["case"],
            text=data["text"],
            visible_to_client=data.get("visible_to_client", False),
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
        doc = _store_new_document(self.actor, case, _upload_input(ClientUploadSerializer, request))
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
        _store_file(self.actor, document, _upload_input(ClientFileSerializer, request))
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
