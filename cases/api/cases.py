"""/cases: cases, their status transitions and history, and staff uploads of a new document."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.common import store_new_document, upload_input
from cases.api.documents import DocumentSerializer
from cases.constants import NEXT_STEP, OPEN_STATUSES, CaseStatus, DocumentKind
from cases.models import Case, CaseStatusChange
from firm.api.base import (
    ActorViewMixin,
    IdFilter,
    ModelSerializer,
    UploadParser,
)
from firm.api.fields import FirmStaffField, ScopedPrimaryKeyField
from firm.api.sensitive import SensitiveIdentifierField
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
    ircc_application_number = SensitiveIdentifierField("ircc_application_number")
    work_permit_application_number = SensitiveIdentifierField("work_permit_application_number")
    esdc_file_number = SensitiveIdentifierField("esdc_file_number")
    pnp_file_number = SensitiveIdentifierField("pnp_file_number")

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
            "work_permit_application_number",
            "esdc_file_number",
            "pnp_file_number",
            "facts",
            "opened_at",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "opened_at", "closed_at", "updated_at"]

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
    override_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Filing only, lawyer or admin: file although required documents are not verified (audited).",
    )


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


class StaffUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, HEIC, TIFF or DOCX; size capped.")
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


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
            override_reason=data.validated_data["override_reason"],
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
        doc = store_new_document(self.actor, case, upload_input(StaffUploadSerializer, request))
        doc = selectors.document_get(actor=self.actor, document_id=doc.pk)
        return Response(
            DocumentSerializer(doc, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
