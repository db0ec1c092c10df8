"""Reads for the firm's people, always scoped to the asking actor."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from firm.errors import NotFoundError
from firm.models import ApiKey, AuditEvent, Client, Firm, Membership
from firm.scoping import Actor
from firm.services import FACT_MODELS


def firm_get(*, actor: Actor) -> Firm:
    """The actor's own firm (404 for an actor without one)."""
    firm = Firm.objects.restrict(actor).first()
    if firm is None:
        raise NotFoundError()
    return firm


def client_list(*, actor: Actor) -> QuerySet[Client]:
    return Client.objects.restrict(actor).select_related("assigned_lawyer")


def client_get(*, actor: Actor, client_id: int) -> Client:
    client = client_list(actor=actor).filter(pk=client_id).first()
    if client is None:
        raise NotFoundError()
    return client


def client_fact_lists(*, actor: Actor, client: Client) -> dict[str, QuerySet]:
    """The client's facts per kind ("language_test", "education", "work_experience", "job_offer",
    "nomination"), each a scoped queryset in the model's own order."""
    return {kind: model.objects.restrict(actor).filter(client=client) for kind, model in FACT_MODELS.items()}


def client_fact_get(*, actor: Actor, client: Client, kind: str, fact_id: int) -> Model:
    model = FACT_MODELS.get(kind)
    fact = model.objects.restrict(actor).filter(client=client, pk=fact_id).first() if model else None
    if fact is None:
        raise NotFoundError()
    return fact


def staff_list(*, actor: Actor) -> QuerySet[Membership]:
    if not actor.is_staff:
        return Membership.objects.none()
    return Membership.objects.restrict(actor).select_related("user")


def lawyers_of_firm(*, actor: Actor) -> QuerySet[Membership]:
    return staff_list(actor=actor).filter(is_active=True, role__in=["admin", "lawyer"])


def api_key_list(*, actor: Actor) -> QuerySet[ApiKey]:
    if not actor.can("apikey.manage"):
        return ApiKey.objects.none()
    return ApiKey.objects.restrict(actor)


def audit_list(*, actor: Actor) -> QuerySet[AuditEvent]:
    if not actor.can("audit.view"):
        return AuditEvent.objects.none()
    return AuditEvent.objects.restrict(actor).select_related("actor")
