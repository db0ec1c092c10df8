"""Reads of integrations, always scoped to the actor's firm (`restrict`) and role."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from firm.scoping import Actor
from integrations.models import (
    IntakeSource,
    IntakeSubmission,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def _can(actor: Actor, permission: str) -> bool:
    return actor.firm_id is not None and actor.can(permission)


def source_list(*, actor: Actor) -> QuerySet[IntakeSource]:
    if not _can(actor, "integrations.view"):
        return IntakeSource.objects.none()
    return (
        IntakeSource.objects.restrict(actor)
        .annotate(
            failed_count=Count("submissions", filter=Q(submissions__status=IntakeSubmission.Status.FAILED))
        )
        .order_by("name", "pk")
    )


def submission_list(*, actor: Actor, source_id: int | None = None) -> QuerySet[IntakeSubmission]:
    if not _can(actor, "integrations.view"):
        return IntakeSubmission.objects.none()
    qs = IntakeSubmission.objects.restrict(actor).select_related("source", "client")
    return qs.filter(source_id=source_id) if source_id is not None else qs


def endpoint_list(*, actor: Actor) -> QuerySet[WebhookEndpoint]:
    if not _can(actor, "integrations.manage"):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.restrict(actor)


def delivery_list(*, actor: Actor, endpoint_id: int | None = None) -> QuerySet[WebhookDelivery]:
    if not _can(actor, "integrations.manage"):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.restrict(actor).select_related("event", "endpoint")
    return qs.filter(endpoint_id=endpoint_id) if endpoint_id is not None else qs


def attempt_list(*, actor: Actor, delivery_id: int) -> QuerySet[WebhookAttempt]:
    if not _can(actor, "integrations.manage"):
        return WebhookAttempt.objects.none()
    return WebhookAttempt.objects.restrict(actor).filter(delivery_id=delivery_id)
