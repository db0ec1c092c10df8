"""/clients/{id}/language-tests, education, work-experience, job-offers, nominations: a client's facts."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request

from firm import selectors, services
from firm.api.base import (
    ActorViewMixin,
    CountryFieldMixin,
    ModelSerializer,
    scoped_get,
)
from firm.api.guards import LanguageScoresMixin
from firm.models import (
    Client,
    Education,
    JobOffer,
    LanguageTest,
    ProvincialNomination,
    WorkExperience,
)

# --- Client facts (principal and spouse) ----------------------------------------------------------------------


class FactSerializer(CountryFieldMixin, ModelSerializer):
    client = serializers.IntegerField(source="client_id", read_only=True)

    class Meta:
        exclude: ClassVar[list[str]] = []
        read_only_fields: ClassVar[list[str]] = ["id", "created_at", "updated_at"]


class LanguageTestSerializer(LanguageScoresMixin, FactSerializer):
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
