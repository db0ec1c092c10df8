"""Intake: a prospect submitted in one payload (a firm's web form, over the API with an `intake` key).

`intake_submit_request` is the whole operation behind `POST /api/v1/intake/`:
1. With an `Idempotency-Key`, a key already answered for this firm replays that answer (same status and
   body) when the payload is the same, and is refused (422) when it differs.
2. The payload is validated in full first (`IntakeSerializer`): every bad field is reported with its path
   (`work_history[1].start_date`), nothing is written.
3. One transaction creates the client (status prospect), their facts (principal and spouse), the case
   and the idempotency record. The CRS score and pathway assessments run after commit through the
   services' on_commit hooks (`client_facts_changed`, `case_create`), so a failure midway stores nothing.
4. The answer carries the ids, the score if it is already computed (eager mode) and links.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.urls import reverse
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from cases.constants import Pathway
from cases.services import case_create
from firm.api.base import ModelSerializer
from firm.api.guards import LanguageScoresMixin
from firm.constants import ClientStatus, MaritalStatus, Person, Province
from firm.errors import ApplicationError, PermissionDeniedError
from firm.events import publish
from firm.fields import CLIENT_CONTACT_FIELDS, CLIENT_IDENTITY_FIELDS
from firm.models import (
    Client,
    Education,
    Firm,
    IdempotencyRecord,
    JobOffer,
    LanguageTest,
    ProvincialNomination,
    WorkExperience,
)
from firm.scoping import Actor
from firm.services import client_create

# List caps (a form sends a handful; 3,000 language tests were once stored).
MAX_TESTS, MAX_EDUCATION, MAX_JOBS = 10, 10, 30

# --- The payload ----------------------------------------------------------------------------------------------


class _FactInput(CountryFieldMixin, ModelSerializer):
    class Meta:
        exclude: ClassVar[tuple[str, ...]] = ("id", "client", "person", "created_at", "updated_at")


class IntakeLanguageTestSerializer(LanguageScoresMixin, _FactInput):
    class Meta(_FactInput.Meta):
        model = LanguageTest


class IntakeEducationSerializer(_FactInput):
    class Meta(_FactInput.Meta):
        model = Education


class IntakeWorkSerializer(_FactInput):
    class Meta(_FactInput.Meta):
        model = WorkExperience

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date is before the start date."})
        return attrs


class IntakeJobOfferSerializer(_FactInput):
    class Meta:
        model = JobOffer
        exclude = ("id", "client", "created_at", "updated_at")


class IntakeNominationSerializer(_FactInput):
    class Meta:
        model = ProvincialNomination
        exclude = ("id", "client", "created_at", "updated_at")


class IntakeIdentitySerializer(CountryFieldMixin, ModelSerializer):
    class Meta:
        model = Client
        fields = CLIENT_IDENTITY_FIELDS
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {"date_of_birth": {"required": True}}


class IntakeContactSerializer(ModelSerializer):
    class Meta:
        model = Client
        fields = CLIENT_CONTACT_FIELDS
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {
            "email": {"required": True, "allow_blank": False}
        }


class IntakeSpouseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    accompanying = serializers.BooleanField(default=True)
    canadian = serializers.BooleanField(
        default=False, help_text="A Canadian citizen or permanent resident (then not counted for CRS)."
    )
    language_tests = IntakeLanguageTestSerializer(
        many=True, required=False, default=list, max_length=MAX_TESTS
    )
    education = IntakeEducationSerializer(many=True, required=False, default=list, max_length=MAX_EDUCATION)
    work_history = IntakeWorkSerializer(many=True, required=False, default=list, max_length=MAX_JOBS)


class IntakeSerializer(serializers.Serializer):
    """What a web intake form sends: identity, contact, family, facts, and the pathway wanted."""

    identity = IntakeIdentitySerializer()
    contact = IntakeContactSerializer()
    marital_status = serializers.ChoiceField(choices=MaritalStatus.choices, default=MaritalStatus.SINGLE)
    spouse = IntakeSpouseSerializer(required=False, allow_null=True, default=None)
    sibling_in_canada = serializers.BooleanField(default=False)
    certificate_of_qualification = serializers.BooleanField(default=False)
    settlement_funds_cad = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Funds the prospect can show, in CAD (Express Entry proof of funds).",
    )
    family_size = serializers.IntegerField(
        min_value=1, max_value=30, required=False, allow_null=True, default=None
    )
    intended_province = serializers.ChoiceField(
        choices=Province.choices, required=False, allow_blank=True, default=""
    )
    language_tests = IntakeLanguageTestSerializer(
        many=True, required=False, default=list, max_length=MAX_TESTS
    )
    education = IntakeEducationSerializer(many=True, required=False, default=list, max_length=MAX_EDUCATION)
    work_history = IntakeWorkSerializer(many=True, required=False, default=list, max_length=MAX_JOBS)
    job_offer = IntakeJobOfferSerializer(required=False, allow_null=True, default=None)
    nomination = IntakeNominationSerializer(required=False, allow_null=True, default=None)
    pathway = serializers.ChoiceField(choices=Pathway.choices, default=Pathway.EXPRESS_ENTRY)
    stream = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    source = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text="The form or site it came from.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        partnered = attrs["marital_status"] in (MaritalStatus.MARRIED, MaritalStatus.COMMON_LAW)
        if attrs.get("spouse") and not partnered:
            raise serializers.ValidationError(
                {"spouse": "Only a married or common-law applicant can give spouse details."}
            )
        return attrs


# --- The operation --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeResult:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(data: Any) -> str:
    """A stable hash of the submitted payload (key order and whitespace do not matter)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyMismatch(ApplicationError):
    status_code = 422


def _replay(*, firm_id: int, key: str, digest: str) -> IntakeResult | None:
    record = IdempotencyRecord.objects.filter(firm_id=firm_id, key=key).first()
    if record is None:
        return None
    if record.request_hash != digest:
        raise IdempotencyMismatch(
            "Idempotency-Key reused with a different payload.",
            fields={
                "Idempotency-Key": "This key was already used for a different payload; use a new key "
                "for a new submission."
            },
            code="idempotency_mismatch",
        )
    return IntakeResult(status=record.response_status, body=record.response_body, replayed=True)


def intake_submit_request(
    *,
    actor: Actor,
    data: Any,
    idempotency_key: str = "",
    score_of: Callable[[int], int | None] | None = None,
) -> IntakeResult:
    """Replay, validate, store, answer (see the module docstring). `score_of(client_id)` gives the
    client's current CRS total (passed in by the API layer: cases knows nothing of scoring)."""
    if not actor.can("intake.submit") or actor.firm_id is None:
        raise PermissionDeniedError()
    key = idempotency_key.strip()
    if len(key) > 255:
        raise ApplicationError("Key too long.", fields={"Idempotency-Key": "At most 255 characters."})
    if not key.isprintable():
        raise ApplicationError("Bad key.", fields={"Idempotency-Key": "Printable characters only."})
    digest = request_hash(data)
    if key:
        replay = _replay(firm_id=actor.firm_id, key=key, digest=digest)
        if replay is not None:
            return replay
    payload = IntakeSerializer(data=data)
    payload.is_valid(raise_exception=True)
    try:
        client_id, _case_id, body = intake_submit(
            actor=actor, data=payload.validated_data, idempotency_key=key, request_hash=digest
        )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        replay = _replay(firm_id=actor.firm_id, key=key, digest=digest) if key else None
        if replay is None:
            raise
        return replay
    # After commit: the score exists now when tasks run eagerly; store the complete answer for replays.
    body = {**body, "crs_score": score_of(client_id) if score_of is not None else None}
    if key:
        IdempotencyRecord.objects.filter(firm_id=actor.firm_id, key=key).update(response_body=body)
    return IntakeResult(status=201, body=body)


def _intake_actor(actor: Actor) -> Actor:
    """Intake creates the client, facts and case on the submitter's behalf (an `intake` key has no other
    write scope); the audit rows still name the submitter."""
    return dataclasses.replace(actor, kind="system", label=f"{actor.label} (intake)")


@transaction.atomic
def intake_submit(
    *, actor: Actor, data: dict[str, Any], idempotency_key: str = "", request_hash: str = ""
) -> tuple[int, int, dict[str, Any]]:
    """Create the prospect, their facts and a case in one transaction. Returns (client id, case id, body)."""
    if not actor.can("intake.submit") or actor.firm_id is None:
        raise PermissionDeniedError()
    firm = Firm.objects.get(pk=actor.firm_id)
    writer = _intake_actor(actor)
    if idempotency_key:
        # Claim the key first: a concurrent duplicate blocks here and then fails on the unique constraint.
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                firm=firm, key=idempotency_key, request_hash=request_hash, response_status=201
            )
    spouse = data.get("spouse") or {}
    client = client_create(
        actor=writer,
        firm=firm,
        **data["identity"],
        **data["contact"],
        marital_status=data["marital_status"],
        spouse_name=spouse.get("name", ""),
        spouse_accompanying=bool(spouse) and spouse.get("accompanying", True),
        spouse_canadian=bool(spouse) and spouse.get("canadian", False),
        sibling_in_canada=data["sibling_in_canada"],
        certificate_of_qualification=data["certificate_of_qualification"],
        settlement_funds_cad=data["settlement_funds_cad"],
        family_size=data["family_size"],
        intended_province=data["intended_province"],
        status=ClientStatus.PROSPECT,
        source=(data.get("source") or "intake")[:60],
    )
    facts: list[Any] = []
    for person, group in ((Person.PRINCIPAL, data), (Person.SPOUSE, spouse)):
        for model, field in (
            (LanguageTest, "language_tests"),
            (Education, "education"),
            (WorkExperience, "work_history"),
        ):
            facts.extend(model(client=client, person=person, **row) for row in group.get(field) or [])
    if data.get("job_offer"):
        facts.append(JobOffer(client=client, **data["job_offer"]))
    if data.get("nomination"):
        facts.append(ProvincialNomination(client=client, **data["nomination"]))
    for fact in facts:
        fact.full_clean()
        fact.save()
    case = case_create(actor=writer, client=client, pathway=data["pathway"], stream=data.get("stream", ""))
    publish(
        firm_id=firm.pk,
        event_type="intake.received",
        data={"client_id": client.pk, "case_id": case.pk, "pathway": case.pathway, "source": client.source},
    )
    # client_create already scheduled the recompute; it runs after commit, when all facts are stored.
    body = {
        "client_id": client.pk,
        "case_id": case.pk,
        "status": client.status,
        "pathway": case.pathway,
        "crs_score": None,
        "links": {
            "client": reverse("api-client-detail", kwargs={"pk": client.pk}),
            "case": reverse("api-case-detail", kwargs={"pk": case.pk}),
        },
    }
    if idempotency_key:
        record.response_body = body
        record.save(update_fields=["response_body"])
    return client.pk, case.pk, body
