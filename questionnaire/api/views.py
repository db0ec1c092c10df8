"""The questionnaire over the API: the client's draft (`/me/questionnaire/`) and the staff review
(`/clients/{id}/questionnaire/`). Thin: checks and writes are in `questionnaire.services`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm import selectors as firm_selectors
from firm.api.base import ActorViewMixin, PortalViewMixin, UploadParser, scoped_get
from firm.models import Client
from questionnaire import selectors, services
from questionnaire.sections import TABLES

_ERROR = OpenApiResponse(description='`{"error": {"<field path>": "<message>"}}`')

_Draft = inline_serializer(
    "QuestionnaireDraft",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "version": serializers.IntegerField(),
        "editable": serializers.BooleanField(),
        "sections": serializers.DictField(
            help_text="One object per section (identity, family, residence, "
            "language, education, work, job_offer, nomination, funds)."
        ),
        "sections_saved": serializers.ListField(child=serializers.CharField()),
        "progress": serializers.DictField(child=serializers.IntegerField()),
        "questions": serializers.ListField(child=serializers.DictField()),
        "conflicts": serializers.ListField(child=serializers.DictField()),
        "score": serializers.DictField(
            help_text="The CRS the answers would give: total, sections, breakdown."
        ),
        "proofs": serializers.ListField(child=serializers.DictField()),
        "outcome": serializers.ListField(child=serializers.DictField()),
    },
)
_Put = inline_serializer(
    "QuestionnairePut",
    {
        "version": serializers.IntegerField(required=False, help_text="The version read; 409 if it moved."),
        "sections": serializers.DictField(help_text="Sections to save, each checked in full."),
    },
)
_Submit = inline_serializer("QuestionnaireSubmit", {"version": serializers.IntegerField(required=False)})
_Review = inline_serializer(
    "QuestionnaireReview",
    {
        "accept": serializers.ListField(child=serializers.IntegerField(), required=False),
        "reject": serializers.ListField(
            child=inline_serializer(
                "QuestionnaireReject", {"id": serializers.IntegerField(), "reason": serializers.CharField()}
            ),
            required=False,
        ),
    },
)
_Staff = inline_serializer(
    "QuestionnaireChanges",
    {
        "id": serializers.IntegerField(allow_null=True),
        "status": serializers.CharField(),
        "submitted_at": serializers.CharField(allow_null=True),
        "pending": serializers.ListField(child=serializers.DictField()),
        "decided": serializers.ListField(child=serializers.DictField()),
        "questions": serializers.ListField(child=serializers.DictField()),
    },
)
_Return = inline_serializer(
    "QuestionnaireReturn",
    {
        "questions": serializers.ListField(
            child=inline_serializer(
                "QuestionnaireQuestion", {"path": serializers.CharField(), "text": serializers.CharField()}
            )
        )
    },
)
_Upload = inline_serializer(
    "QuestionnaireUpload",
    {
        "table": serializers.ChoiceField(choices=sorted(t for t, (_, spec) in TABLES.items() if spec.proof)),
        "file": serializers.FileField(),
    },
)


def _version(data: Any) -> int | None:
    value = data.get("version") if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        from firm.errors import ApplicationError

        raise ApplicationError("Invalid version.", fields={"version": "An integer."})
    return value


class MeQuestionnaireView(PortalViewMixin, APIView):
    @extend_schema(
        tags=["portal"], summary="My questionnaire (draft, progress, live score)", responses={200: _Draft}
    )
    def get(self, request: Request) -> Response:
        client = selectors.client_for(self.actor, self.actor.client_id)
        return Response(selectors.client_view(client))

    @extend_schema(
        tags=["portal"],
        summary="Save sections of my questionnaire",
        request=_Put,
        responses={200: _Draft, 400: _ERROR, 409: _ERROR},
    )
    def put(self, request: Request) -> Response:
        client = selectors.client_for(self.actor, self.actor.client_id)
        data = request.data if isinstance(request.data, dict) else {}
        services.questionnaire_save(
            actor=self.actor, client=client, sections=data.get("sections"), version=_version(data)
        )
        return Response(selectors.client_view(client))


class MeQuestionnaireSubmitView(PortalViewMixin, APIView):
    @extend_schema(
        tags=["portal"],
        summary="Submit my questionnaire for review",
        request=_Submit,
        responses={200: _Draft, 400: _ERROR, 409: _ERROR},
    )
    def post(self, request: Request) -> Response:
        client = selectors.client_for(self.actor, self.actor.client_id)
        services.questionnaire_submit(actor=self.actor, client=client, version=_version(request.data))
        return Response(selectors.client_view(client))


class MeQuestionnaireUploadView(PortalViewMixin, APIView):
    parser_classes = [UploadParser]

    @extend_schema(
        tags=["portal"],
        summary="Attach a proof to a part of my questionnaire",
        request={"multipart/form-data": _Upload},
        responses={
            201: inline_serializer("QuestionnaireUploaded", {"document_id": serializers.IntegerField()}),
            400: _ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        client = selectors.client_for(self.actor, self.actor.client_id)
        upload = request.FILES.get("file")
        if upload is None:
            from firm.errors import ApplicationError

            raise ApplicationError("No file.", fields={"file": "Attach a file."})
        doc = services.questionnaire_attach(
            actor=self.actor,
            client=client,
            table=str(request.data.get("table", "")),
            file=upload,
            filename=upload.name,
            size=upload.size,
        )
        return Response({"document_id": doc.pk}, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("client_id", int, OpenApiParameter.PATH)])
class _StaffView(ActorViewMixin, APIView):
    allowed_actor_kinds = frozenset({"staff"})
    permission_map = {"get": "client.view", "post": "client.change"}

    def client(self, client_id: Any) -> Client:
        """The client if the actor may see it; 404 otherwise (a foreign id is audited)."""
        return scoped_get(firm_selectors.client_list(actor=self.actor), actor=self.actor, pk=client_id)


class ClientQuestionnaireView(_StaffView):
    @extend_schema(
        tags=["clients"], summary="A client's questionnaire: the pending changes", responses={200: _Staff}
    )
    def get(self, request: Request, client_id: str) -> Response:
        return Response(selectors.staff_view(self.client(client_id)))


class ClientQuestionnaireReviewView(_StaffView):
    @extend_schema(
        tags=["clients"],
        summary="Accept or reject the proposed changes",
        request=_Review,
        responses={200: _Staff, 400: _ERROR},
    )
    def post(self, request: Request, client_id: str) -> Response:
        client = self.client(client_id)
        data = request.data if isinstance(request.data, dict) else {}
        services.questionnaire_review(
            actor=self.actor, client=client, accept=data.get("accept", []), reject=data.get("reject", [])
        )
        return Response(selectors.staff_view(client))


class ClientQuestionnaireSendView(_StaffView):
    @extend_schema(
        tags=["clients"],
        summary="Email the client a link to their questionnaire",
        request=None,
        responses={202: _Staff, 400: _ERROR},
    )
    def post(self, request: Request, client_id: str) -> Response:
        client = self.client(client_id)
        services.questionnaire_send(actor=self.actor, client=client)
        return Response(selectors.staff_view(client), status=status.HTTP_202_ACCEPTED)


class ClientQuestionnaireReturnView(_StaffView):
    @extend_schema(
        tags=["clients"],
        summary="Send the questionnaire back with questions",
        request=_Return,
        responses={200: _Staff, 400: _ERROR},
    )
    def post(self, request: Request, client_id: str) -> Response:
        client = self.client(client_id)
        data = request.data if isinstance(request.data, dict) else {}
        services.questionnaire_return(actor=self.actor, client=client, questions=data.get("questions"))
        return Response(selectors.staff_view(client))
