"""Reads for the firm's people, always scoped to the asking actor."""

from __future__ import annotations

from django.db.models import QuerySet

from firm.errors import NotFoundError
from firm.models import ApiKey, AuditEvent, Client, Membership
from firm.scoping import Actor


def client_list(*, actor: Actor) -> QuerySet[Client]:
    return Client.objects.restrict(actor).select_related("assigned_lawyer")


def client_get(*, actor: Actor, client_id: int) -> Client:
    client = client_list(actor=actor).filter(pk=client_id).first()
    if client is None:
        raise NotFoundError()
    return client


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
