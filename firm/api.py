"""REST API for the firm's people: auth tokens, API keys, staff, clients and their facts, intake, /me.

Thin views: input serializers validate, selectors read (always `restrict(actor)`), services write.
Routes are in `firm.api_urls`; every operation is in the OpenAPI schema with the `Error` component.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any, ClassVar

import django_filters
from django.contrib.auth import authenticate
from django.db.models import Q, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm import intake, selectors, services
from firm.api_base import (
    ActorPermission,
    ActorViewMixin,
    CountryFieldMixin,
    EmptySerializer,
    IdFilter,
    ModelSerializer,
    scoped_get,
)
from firm.api_schema import ErrorSerializer
from firm.constants import Role
from firm.models import (
    ApiKey,
    AuditEvent,
    Client,
    Education,
    Firm,
    JobOffer,
    LanguageTest,
    Membership,
    ProvincialNomination,
    User,
    WorkExperience,
)
from firm.scoping import actor_for_request

# --- Shared serializer fields -------------------------------------------------------------------------------


class FirmStaffField(serializers.PrimaryKeyRelatedField):
    """A user id that must be an active staff member of the caller's firm (no cross-firm lookups)."""

    def get_queryset(self) -> QuerySet[User]:
        actor = actor_for_request(self.context["request"])
        return User.objects.filter(membership__firm_id=actor.firm_id, membership__is_active=True)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A foreign key in a request body, looked up only among the caller's objects (ids of another firm
    are "does not exist", exactly like ids that do not exist at all)."""

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.scoped_model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scoped_model.objects.restrict(actor_for_request(self.context["request"]))


# --- Auth token ---------------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="TOTP code, required when the firm enforces 2FA."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    kind = serializers.ChoiceField(choices=["staff", "client"])


class AuthTokenView(APIView):
    """Exchange email and password for a DRF token (staff apps, client apps). django-axes locks out
    repeated failures for the email and IP pair; a locked-out caller gets 429 even with the right password."""

    permission_classes: ClassVar[list] = [AllowAny]
    authentication_classes: ClassVar[list] = []

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request,
            username=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer in the API's shape; the lockout itself stays recorded by django-axes (its middleware
            # would otherwise replace this answer with an HTML page).
            django_request.axes_locked_out = False
            return Response(
                {"error": {"detail": "Too many failed attempts: this account is locked for a while."}},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        actor = actor_for_request_user(user)
        if user is None or actor is None:
            return Response(
                {"error": {"detail": "Unable to log in with the provided credentials."}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        membership = getattr(user, "membership", None) if actor == "staff" else None
        if membership is not None and membership.firm.require_two_factor:
            from django_otp import match_token

            code = data.validated_data.get("otp") or ""
            if not code or match_token(user, code) is None:
                return Response(
                    {"error": {"otp": "This firm requires a valid two-factor code."}},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "kind": actor})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        """Log out a token: delete the caller's token (authenticate with it)."""
        from firm.authentication import TokenAuthentication

        result = TokenAuthentication().authenticate(request)
        if result is None:
            return Response({"error": {"detail": "Send the token to revoke."}}, status=401)
        Token.objects.filter(user=result[0]).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def actor_for_request_user(user: User | None) -> str | None:
    from firm.scoping import actor_for_user

    if user is None:
        return None
    kind = actor_for_user(user).kind
    return kind if kind in ("staff", "client") else None


# --- Firm, staff, API keys, audit -----------------------------------------------------------------------------


class FirmSerializer(ModelSerializer):
    class Meta:
        model = Firm
        fields = [
            "id",
            "name",
            "slug",
            "province",
            "require_two_factor",
            "email_clients_on_draw",
            "alert_from_email",
            "created_at",
        ]
        read_only_fields = ["id", "slug", "created_at"]


class FirmView(ActorViewMixin, APIView):
    """The caller's firm; admins change its settings."""

    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {"get": "client.view", "patch": "firm.settings"}

    @extend_schema(operation_id="firm_retrieve", responses={200: FirmSerializer}, tags=["firm"])
    def get(self, request: Request) -> Response:
        firm = Firm.objects.restrict(self.actor).get()
        return Response(FirmSerializer(firm).data)

    @extend_schema(
        operation_id="firm_partial_update",
        request=FirmSerializer,
        responses={200: FirmSerializer},
        tags=["firm"],
    )
    def patch(self, request: Request) -> Response:
        firm = Firm.objects.restrict(self.actor).get()
        data = FirmSerializer(firm, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        firm = services.firm_settings_update(actor=self.actor, firm=firm, data=data.validated_data)
        return Response(FirmSerializer(firm).data)


class StaffSerializer(ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    user_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_id", "email", "first_name", "last_name", "role", "is_active", "created_at"]
        read_only_fields = fields


class StaffCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        min_length=10,
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        help_text="Leave empty to create the login without a usable password (set through a reset).",
    )


class StaffUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class StaffFilter(django_filters.FilterSet):
    class Meta:
        model = Membership
        fields = ["role", "is_active"]


@extend_schema_view(
    list=extend_schema(tags=["staff"]),
    retrieve=extend_schema(tags=["staff"]),
    create=extend_schema(tags=["staff"], request=StaffCreateSerializer, responses={201: StaffSerializer}),
    partial_update=extend_schema(
        tags=["staff"], request=StaffUpdateSerializer, responses={200: StaffSerializer}
    ),
)
class StaffViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The firm's staff. Every staff member may list them; only admins add, change roles or deactivate."""

    queryset = Membership.objects.none()
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    ordering_fields: ClassVar[list[str]] = ["user__email", "created_at", "role"]
    ordering: ClassVar[list[str]] = ["user__email"]
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {
        "list": "client.view",
        "retrieve": "client.view",
        "create": "staff.manage",
        "partial_update": "staff.manage",
    }

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.staff_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = StaffCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        firm = Firm.objects.restrict(self.actor).get()
        membership = services.staff_create(actor=self.actor, firm=firm, **data.validated_data)
        return Response(StaffSerializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = self.get_object()
        data = StaffUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_update(
            actor=self.actor, membership=membership, **data.validated_data
        )
        return Response(StaffSerializer(membership).data)


class ApiKeySerializer(ModelSerializer):
    prefix = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "is_active", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields

    def get_prefix(self, key: ApiKey) -> str:
        return f"mck_{key.public_id}"


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ApiKey.Scope.choices), min_length=1, max_length=4
    )


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(
        read_only=True, help_text="The secret. Shown once, never again: store it now."
    )

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", label="active")

    class Meta:
        model = ApiKey
        fields: ClassVar[list[str]] = []


@extend_schema_view(
    list=extend_schema(tags=["api-keys"]),
    retrieve=extend_schema(tags=["api-keys"]),
    create=extend_schema(
        tags=["api-keys"], request=ApiKeyCreateSerializer, responses={201: ApiKeyCreatedSerializer}
    ),
)
class ApiKeyViewSet(
    ActorViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Integration keys. Firm admins only. The secret is in the creation answer only; keys are stored
    hashed and can be revoked (a revoked key answers 401 from then on)."""

    queryset = ApiKey.objects.none()
    serializer_class = ApiKeySerializer
    filterset_class = ApiKeyFilter
    ordering_fields: ClassVar[list[str]] = ["created_at", "name", "last_used_at"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = dict.fromkeys(
        ["list", "retrieve", "create", "revoke"], "apikey.manage"
    )

    def get_queryset(self) -> QuerySet[ApiKey]:
        return selectors.api_key_list(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        firm = Firm.objects.restrict(self.actor).get()
        key, raw = services.api_key_create(actor=self.actor, firm=firm, **data.validated_data)
        key.key = raw  # type: ignore[attr-defined]
        return Response(ApiKeyCreatedSerializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiKeySerializer}, tags=["api-keys"])
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        key = services.api_key_revoke(actor=self.actor, key=self.get_object())
        return Response(ApiKeySerializer(key).data)


class AuditEventSerializer(ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "client",
            "changes",
            "ip_address",
            "created_at",
        ]
        read_only_fields = fields


class AuditEventFilter(django_filters.FilterSet):
    client = IdFilter(field_name="client_id")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id"]


@extend_schema_view(list=extend_schema(tags=["audit"]), retrieve=extend_schema(tags=["audit"]))
class AuditEventViewSet(ActorViewMixin, viewsets.ReadOnlyModelViewSet):
    """The firm's audit log (admins and lawyers)."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields: ClassVar[list[str]] = ["created_at"]
    allowed_actor_kinds = frozenset({"staff"})
    permission_map: ClassVar[dict[str, str]] = {"list": "audit.view", "retrieve": "audit.view"}

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return selectors.audit_list(actor=self.actor)


# --- Clients ------------------------------------------------------------------------------------------------


CLIENT_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "citizenships",
    "country_of_residence",
    "marital_status",
    "spouse_name",
    "spouse_accompanying",
    "spouse_canadian",
    "sibling_in_canada",
    "certificate_of_qualification",
    "certificate_trade",
    "settlement_funds_cad",
    "family_size",
    "intended_province",
    "status",
    "assigned_lawyer",
    "assigned_lawyer_email",
    "preferred_language",
    "ee_profile_number",
    "ee_profile_submitted_at",
    "ee_profile_expires_on",
    "source",
    "has_portal_login",
    "created_at",
    "updated_at",
]


class ClientSerializer(CountryFieldMixin, ModelSerializer):
    assigned_lawyer = FirmStaffField(required=False, allow_null=True)
    assigned_lawyer_email = serializers.EmailField(
        source="assigned_lawyer.email", read_only=True, allow_null=True, default=None
    )
    has_portal_login = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_has_portal_login(self, client: Client) -> bool:
        return client.portal_user_id is not None


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or email contains")
    assigned_lawyer = IdFilter(field_name="assigned_lawyer_id")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Client
        fields = ["status", "marital_status", "preferred_language"]

    def search(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset


class PortalInviteSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        min_length=10,
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        help_text="Optional initial password; without it the client sets one through a reset link.",
    )


CLIENT_PERMISSIONS = {
    "list": "client.view",
    "retrieve": "client.view",
    "create": "client.change",
    "update": "client.change",
    "partial_update": "client.change",
    "destroy": "client.delete",
    "portal_invite": "client.change",
}


@extend_schema_view(
    list=extend_schema(tags=["clients"]),
    retrieve=extend_schema(tags=["clients"]),
    create=extend_schema(tags=["clients"]),
    update=extend_schema(tags=["clients"]),
    partial_update=extend_schema(tags=["clients"]),
    destroy=extend_schema(tags=["clients"]),
)
class ClientViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """The firm's clients (prospects and retained). Facts are under /clients/{client_id}/<facts>/."""

    queryset = Client.objects.none()
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    ordering_fields: ClassVar[list[str]] = ["last_name", "first_name", "created_at", "updated_at", "status"]
    permission_map = CLIENT_PERMISSIONS

    def get_queryset(self) -> QuerySet[Client]:
        return selectors.client_list(actor=self.actor)

    def perform_create(self, serializer: ClientSerializer) -> None:
        firm = Firm.objects.restrict(self.actor).get()
        serializer.instance = services.client_create(actor=self.actor, firm=firm, **serializer.validated_data)

    def perform_update(self, serializer: ClientSerializer) -> None:
        serializer.instance = services.client_update(
            actor=self.actor, client=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Client) -> None:
        services.client_delete(actor=self.actor, client=instance)

    @extend_schema(request=PortalInviteSerializer, responses={200: ClientSerializer}, tags=["clients"])
    @action(detail=True, methods=["post"], url_path="portal-invite", serializer_class=PortalInviteSerializer)
    def portal_invite(self, request: Request, pk: str | None = None) -> Response:
        """Create the client's portal login (their email address is the login)."""
        client = self.get_object()
        data = PortalInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_portal_invite(
            actor=self.actor, client=client, password=data.validated_data["password"]
        )
        client.refresh_from_db()
        return Response(ClientSerializer(client, context=self.get_serializer_context()).data)


# --- Client facts (principal and spouse) ----------------------------------------------------------------------


class FactSerializer(CountryFieldMixin, ModelSerializer):
    client = serializers.IntegerField(source="client_id", read_only=True)

    class Meta:
        exclude: ClassVar[list[str]] = []
        read_only_fields: ClassVar[list[str]] = ["id", "created_at", "updated_at"]


class LanguageTestSerializer(FactSerializer):
    class Meta(FactSerializer.Meta):
        model = LanguageTest
        fields = [
            "id",
            "client",
            "person",
            "test",
            "test_date",
            "role",
            "listening",
            "reading",
            "writing",
            "speaking",
            "registration_number",
            "created_at",
            "updated_at",
        ]
        exclude = None


class EducationSerializer(FactSerializer):
    class Meta(FactSerializer.Meta):
        model = Education
        fields = [
            "id",
            "client",
            "person",
            "level",
            "field_of_study",
            "institution",
            "country",
            "in_canada",
            "program_years",
            "completed_on",
            "full_time_in_canada",
            "eca_issuer",
            "eca_date",
            "eca_reference",
            "created_at",
            "updated_at",
        ]
        exclude = None


class WorkExperienceSerializer(FactSerializer):
    class Meta(FactSerializer.Meta):
        model = WorkExperience
        fields = [
            "id",
            "client",
            "person",
            "noc_code",
            "teer",
            "job_title",
            "employer",
            "country",
            "in_canada",
            "province",
            "start_date",
            "end_date",
            "hours_per_week",
            "paid",
            "self_employed",
            "work_authorized",
            "while_full_time_student",
            "capacity",
            "created_at",
            "updated_at",
        ]
        exclude = None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date is before the start date."})
        return attrs


class JobOfferSerializer(FactSerializer):
    class Meta(FactSerializer.Meta):
        model = JobOffer
        fields = [
            "id",
            "client",
            "employer",
            "noc_code",
            "teer",
            "job_title",
            "province",
            "annual_wage",
            "hourly_wage",
            "hours_per_week",
            "full_time",
            "permanent",
            "duration_months",
            "lmia_number",
            "lmia_exempt",
            "offered_on",
            "start_date",
            "is_current",
            "created_at",
            "updated_at",
        ]
        exclude = None


class NominationSerializer(FactSerializer):
    class Meta(FactSerializer.Meta):
        model = ProvincialNomination
        fields = [
            "id",
            "client",
            "province",
            "stream",
            "enhanced",
            "nominated_on",
            "expires_on",
            "certificate_number",
            "created_at",
            "updated_at",
        ]
        exclude = None


def _fact_filter(model: type, person: bool) -> type[django_filters.FilterSet]:
    meta = type("Meta", (), {"model": model, "fields": ["person"] if person else []})
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), {"Meta": meta})


class ClientFactViewSet(ActorViewMixin, viewsets.ModelViewSet):
    """Base for /clients/{client_id}/<facts>/: the client is looked up (scoped) before anything else."""

    fact_kind: ClassVar[str] = ""
    permission_map: ClassVar[dict[str, str]] = {
        "list": "client.view",
        "retrieve": "client.view",
        "create": "client.change",
        "update": "client.change",
        "partial_update": "client.change",
        "destroy": "client.change",
    }
    client: Client

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.client = scoped_get(
            selectors.client_list(actor=self.actor), actor=self.actor, pk=kwargs["client_id"]
        )

    def get_queryset(self) -> QuerySet:
        model = self.serializer_class.Meta.model
        client = getattr(self, "client", None)
        if client is None:  # schema generation
            return model.objects.none()
        return model.objects.restrict(self.actor).filter(client=client)

    def perform_create(self, serializer: FactSerializer) -> None:
        serializer.instance = services.client_fact_create(
            actor=self.actor, client=self.client, kind=self.fact_kind, data=serializer.validated_data
        )

    def perform_update(self, serializer: FactSerializer) -> None:
        serializer.instance = services.client_fact_update(
            actor=self.actor, fact=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Any) -> None:
        services.client_fact_delete(actor=self.actor, fact=instance)


def _fact_viewset(name: str, kind: str, serializer: type, person: bool, ordering: list[str]) -> type:
    model = serializer.Meta.model
    tag = "client-facts"
    viewset = type(
        name,
        (ClientFactViewSet,),
        {
            "__doc__": f"{model._meta.verbose_name_plural.capitalize()} of a client "
            + ("(person=principal or spouse)." if person else "."),
            "fact_kind": kind,
            "queryset": model.objects.none(),
            "serializer_class": serializer,
            "filterset_class": _fact_filter(model, person),
            "ordering_fields": ordering,
            "__module__": __name__,
        },
    )
    return extend_schema_view(
        **{
            a: extend_schema(
                tags=[tag],
                parameters=[OpenApiParameter("client_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
            )
            for a in ("list", "retrieve", "create", "update", "partial_update", "destroy")
        }
    )(viewset)


LanguageTestViewSet = _fact_viewset(
    "LanguageTestViewSet", "language_test", LanguageTestSerializer, True, ["test_date", "created_at"]
)
EducationViewSet = _fact_viewset(
    "EducationViewSet", "education", EducationSerializer, True, ["completed_on", "created_at"]
)
WorkExperienceViewSet = _fact_viewset(
    "WorkExperienceViewSet", "work_experience", WorkExperienceSerializer, True, ["start_date", "created_at"]
)
JobOfferViewSet = _fact_viewset(
    "JobOfferViewSet", "job_offer", JobOfferSerializer, False, ["offered_on", "created_at"]
)
NominationViewSet = _fact_viewset(
    "NominationViewSet", "nomination", NominationSerializer, False, ["nominated_on", "created_at"]
)


# --- Intake -------------------------------------------------------------------------------------------------


class IntakeResponseSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    status = serializers.CharField()
    pathway = serializers.CharField()
    crs_score = serializers.IntegerField(allow_null=True, help_text="Null until the score is computed.")
    links = serializers.DictField(child=serializers.CharField())


class IntakeView(ActorViewMixin, APIView):
    """Submit a prospect from a web form in one payload (API key with the `intake` scope, or staff).

    Creates the client (status prospect), their facts and a case in one transaction; the CRS score and
    pathway assessments are computed after commit. Send an `Idempotency-Key` header so that a retry
    returns the first answer and creates nothing; the same key with another payload is refused (422).
    """

    permission_map: ClassVar[dict[str, str]] = {"post": "intake.submit"}

    @extend_schema(
        operation_id="intake_create",
        request=intake.IntakeSerializer,
        responses={
            201: IntakeResponseSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The same key is being processed right now."),
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another payload."),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="Any unique string (a UUID); a retry with the same key and payload replays the answer.",
            )
        ],
        tags=["intake"],
    )
    def post(self, request: Request) -> Response:
        result = intake.intake_submit_request(
            actor=self.actor, data=request.data, idempotency_key=request.headers.get("Idempotency-Key", "")
        )
        response = Response(result.body, status=result.status)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


# --- The client portal: /me ------------------------------------------------------------------------------------


class MeSerializer(ModelSerializer):
    citizenships = serializers.ListField(child=serializers.CharField(), read_only=True)
    country_of_residence = serializers.CharField(read_only=True)
    lawyer_name = serializers.SerializerMethodField()
    lawyer_email = serializers.EmailField(
        source="assigned_lawyer.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "citizenships",
            "country_of_residence",
            "marital_status",
            "status",
            "preferred_language",
            "lawyer_name",
            "lawyer_email",
            "created_at",
        ]
        read_only_fields = fields

    def get_lawyer_name(self, client: Client) -> str | None:
        lawyer = client.assigned_lawyer
        return (lawyer.get_full_name() or lawyer.email) if lawyer else None


class PortalViewMixin(ActorViewMixin):
    """Endpoints for a logged-in client (session or token): their own objects, nothing else."""

    allowed_actor_kinds = frozenset({"client"})
    permission_classes: ClassVar[list] = [IsAuthenticated, ActorPermission]


class MeView(PortalViewMixin, APIView):
    """The logged-in client's own record (read-only: changes go through the firm)."""

    @extend_schema(operation_id="me_retrieve", responses={200: MeSerializer}, tags=["me"])
    def get(self, request: Request) -> Response:
        client = selectors.client_get(actor=self.actor, client_id=self.actor.client_id)
        return Response(MeSerializer(client).data)


class MeScoreSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    sections = serializers.DictField(child=serializers.IntegerField())
    rule_set = serializers.CharField()
    as_of = serializers.DateField()
    computed_at = serializers.DateTimeField()
    next_change_on = serializers.DateField(allow_null=True)


def current_score_for(*, actor: Any, client: Client) -> Any | None:
    """The client's current CRS score through the scoring app's selector, if the app provides one.

    Hook for the scoring work: `scoring.selectors.crs_score_current(actor=..., client=...)` (or
    `score_current`). Without it, the stored current `scoring.CRSScore` row, scoped to the actor.
    """
    if find_spec("scoring.selectors") is not None:
        scoring_selectors = import_module("scoring.selectors")
        for name in ("crs_score_current", "score_current", "client_score_current"):
            fn = getattr(scoring_selectors, name, None)
            if fn is not None:
                try:
                    return fn(actor=actor, client=client)
                except TypeError:
                    return fn(actor=actor, client_id=client.pk)
    try:
        from scoring.models import CRSScore
    except ImportError:
        return None
    return CRSScore.objects.restrict(actor).filter(client=client, is_current=True).first()


class MeScoreView(PortalViewMixin, APIView):
    """The logged-in client's current CRS score (404 until one is computed)."""

    @extend_schema(operation_id="me_score_retrieve", responses={200: MeScoreSerializer}, tags=["me"])
    def get(self, request: Request) -> Response:
        client = selectors.client_get(actor=self.actor, client_id=self.actor.client_id)
        score = current_score_for(actor=self.actor, client=client)
        if score is None:
            return Response({"error": {"detail": "No score has been computed yet."}}, status=404)
        return Response(MeScoreSerializer(score).data)


def scoring_serves_me_score() -> bool:
    """True when the scoring app routes /me/score itself (then firm.api_urls leaves it to scoring)."""
    if find_spec("scoring.api_urls") is None:
        return False
    patterns = getattr(import_module("scoring.api_urls"), "urlpatterns", [])
    return any(str(getattr(p, "pattern", "")).lstrip("^").startswith("me/score") for p in patterns)


def absolute(request: Request | None, name: str, **kwargs: Any) -> str:
    url = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(url) if request is not None else url
