"""Writes and reads for the people of a client's file: family members, residences, status documents.

Every change is audited (identifiers masked) and, on commit, re-assesses the client's open cases so
that their checklists gain the documents a new spouse, child or country brings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from firm.errors import ApplicationError, PermissionDeniedError
from firm.models import Client
from firm.people import FamilyMember, Relationship, ResidencePeriod, StatusDocument
from firm.scoping import Actor
from firm.services import audit_record, client_facts_changed

FAMILY_FIELDS = frozenset(
    {"relationship", "first_name", "last_name", "date_of_birth", "citizenship", "accompanying", "uci"}
)
PARTNERS = ("spouse", "common_law")
RESIDENCE_FIELDS = frozenset({"member", "country", "start_date", "end_date"})
STATUS_DOCUMENT_FIELDS = frozenset(
    {"member", "kind", "number", "issued_on", "expires_on", "extension_applied_on"}
)


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDeniedError()


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "message_dict"):
        return {k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()}
    return {"non_field_errors": " ".join(str(m) for m in exc.messages)}


def _save(obj: models.Model, *, actor: Actor, client: Client, action: str, changes: dict[str, Any]) -> None:
    try:
        obj.full_clean()
        with transaction.atomic():
            obj.save()
    except ValidationError as exc:
        raise ApplicationError("Invalid data.", fields=_errors(exc)) from exc
    except IntegrityError as exc:
        raise ApplicationError(
            "Conflicts with the file.", fields={"relationship": "The client already has a spouse or partner."}
        ) from exc
    audit_record(actor=actor, action=action, obj=obj, client=client, firm_id=client.firm_id, changes=changes)
    client_facts_changed(client_id=client.pk)


def _check_member(client: Client, member: FamilyMember | None) -> None:
    if member is not None and member.client_id != client.pk:
        raise ApplicationError(
            "Not this client's family.", fields={"member": "Not a family member of this client."}
        )


@transaction.atomic
def family_member_create(*, actor: Actor, client: Client, **fields: Any) -> FamilyMember:
    _require(actor, "client.change")
    unknown = set(fields) - FAMILY_FIELDS
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Unknown field."))
    if fields.get("relationship") not in Relationship.values:
        raise ApplicationError(
            "Unknown relationship.", fields={"relationship": "Choose spouse, common_law or child."}
        )
    dob = fields.get("date_of_birth")
    if dob and client.date_of_birth and fields["relationship"] == "child" and dob <= client.date_of_birth:
        raise ApplicationError(
            "Impossible date.", fields={"date_of_birth": "A child is born after the client."}
        )
    if (
        fields["relationship"] in PARTNERS
        and client.family_members.filter(relationship__in=PARTNERS).exists()
    ):
        raise ApplicationError(
            "Conflicts with the file.", fields={"relationship": "The client already has a spouse or partner."}
        )
    if "uci" in fields:  # typed with spaces on letters and forms: stored without them
        fields["uci"] = (fields["uci"] or "").strip().replace(" ", "")
    member = FamilyMember(firm_id=client.firm_id, client=client, **fields)
    _save(member, actor=actor, client=client, action="create", changes=dict(fields))
    return member


@transaction.atomic
def family_member_update(*, actor: Actor, member: FamilyMember, data: dict[str, Any]) -> FamilyMember:
    _require(actor, "client.change")
    unknown = set(data) - FAMILY_FIELDS
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Unknown field."))
    changes = {k: v for k, v in data.items() if getattr(member, k) != v}
    for k, v in changes.items():
        setattr(member, k, v)
    if changes:
        _save(member, actor=actor, client=member.client, action="update", changes=changes)
    return member


@transaction.atomic
def family_member_delete(*, actor: Actor, member: FamilyMember) -> None:
    _require(actor, "client.change")
    audit_record(
        actor=actor, action="delete", obj=member, client=member.client, changes={"name": member.full_name}
    )
    client_id = member.client_id
    member.delete()
    client_facts_changed(client_id=client_id)


@transaction.atomic
def residence_create(*, actor: Actor, client: Client, **fields: Any) -> ResidencePeriod:
    _require(actor, "client.change")
    _check_member(client, fields.get("member"))
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        raise ApplicationError("Impossible dates.", fields={"end_date": "The end is before the start."})
    period = ResidencePeriod(firm_id=client.firm_id, client=client, **fields)
    changes = {"country": str(fields.get("country")), "start_date": start, "end_date": end}
    _save(period, actor=actor, client=client, action="create", changes=changes)
    return period


@transaction.atomic
def residence_delete(*, actor: Actor, period: ResidencePeriod) -> None:
    _require(actor, "client.change")
    audit_record(actor=actor, action="delete", obj=period, client=period.client)
    client_id = period.client_id
    period.delete()
    client_facts_changed(client_id=client_id)


@transaction.atomic
def status_document_create(*, actor: Actor, client: Client, **fields: Any) -> StatusDocument:
    _require(actor, "client.change")
    _check_member(client, fields.get("member"))
    issued, expires = fields.get("issued_on"), fields.get("expires_on")
    if issued and expires and expires < issued:
        raise ApplicationError("Impossible dates.", fields={"expires_on": "It expires before it was issued."})
    doc = StatusDocument(firm_id=client.firm_id, client=client, **fields)
    _save(doc, actor=actor, client=client, action="create", changes=dict(fields))
    return doc


@transaction.atomic
def status_document_update(*, actor: Actor, document: StatusDocument, data: dict[str, Any]) -> StatusDocument:
    _require(actor, "client.change")
    changes = {k: v for k, v in data.items() if k in STATUS_DOCUMENT_FIELDS and getattr(document, k) != v}
    for k, v in changes.items():
        setattr(document, k, v)
    if changes:
        _save(document, actor=actor, client=document.client, action="update", changes=changes)
    return document


@transaction.atomic
def status_document_delete(*, actor: Actor, document: StatusDocument) -> None:
    _require(actor, "client.change")
    audit_record(actor=actor, action="delete", obj=document, client=document.client)
    document.delete()


# --- reads -------------------------------------------------------------------------------------------------


def family_size(*, client: Client) -> int:
    """Family members counted for proof of funds: the client, the spouse or partner and the dependent
    children, accompanying or not (IRCC proof-of-funds page). With no family recorded, the legacy
    `Client.family_size` number (or 1)."""
    members = FamilyMember.objects.filter(client_id=client.pk).count()
    if members:
        return 1 + members
    return client.family_size or 1


def family_list(*, actor: Actor) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.restrict(actor).select_related("client")


def residence_list(*, actor: Actor) -> QuerySet[ResidencePeriod]:
    return ResidencePeriod.objects.restrict(actor).select_related("member")


def status_document_list(*, actor: Actor) -> QuerySet[StatusDocument]:
    return StatusDocument.objects.restrict(actor).select_related("client", "member")


def status_documents_expiring(
    *, actor: Actor, today: date, within_days: int = 120
) -> QuerySet[StatusDocument]:
    from datetime import timedelta

    return status_document_list(actor=actor).filter(expires_on__lte=today + timedelta(days=within_days))


def client_duplicates(
    *, actor: Actor, first_name: str, last_name: str, date_of_birth: date | None, email: str
) -> QuerySet[Client]:
    """The firm's clients who may be the same person: the same email, or the same name (ignoring case
    and surrounding spaces) with the same date of birth or none recorded on either side."""
    from django.db.models import Q

    same_name = Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip())
    if date_of_birth is not None:
        same_name &= Q(date_of_birth=date_of_birth) | Q(date_of_birth__isnull=True)
    match = same_name
    if email.strip():
        match |= Q(email__iexact=email.strip())
    return Client.objects.restrict(actor).filter(match).order_by("last_name", "first_name", "pk")
