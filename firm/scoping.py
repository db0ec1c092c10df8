"""Tenant and role scoping in one place (NetBox's `restrict()` idea).

Every queryset that serves a user goes through `Model.objects.restrict(actor)`. A model declares how
it reaches its firm (`scope_firm_path`) and its client (`scope_client_path`, or None when clients may
never see it), and may narrow what a client sees with `client_visibility()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.db import models

if TYPE_CHECKING:
    from django.http import HttpRequest

ActorKind = Literal["staff", "client", "api_key", "system", "anonymous"]


@dataclass(frozen=True)
class Actor:
    """Who is asking: resolved once per request, passed to selectors and services."""

    kind: ActorKind
    firm_id: int | None = None
    role: str | None = None
    client_id: int | None = None
    user_id: int | None = None
    api_key_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    label: str = ""

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    @property
    def is_client(self) -> bool:
        return self.kind == "client"

    @property
    def is_firm_admin(self) -> bool:
        return self.kind == "staff" and self.role == "admin"

    def can(self, permission: str) -> bool:
        """Role-based permissions for staff and scope-based ones for API keys (see firm.permissions)."""
        from firm.permissions import actor_can

        return actor_can(self, permission)


SYSTEM = Actor(kind="system", label="system")
ANONYMOUS = Actor(kind="anonymous", label="anonymous")


def actor_for_user(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
    if membership is not None and membership.is_active:
        return Actor(
            kind="staff",
            firm_id=membership.firm_id,
            role=membership.role,
            user_id=user.pk,
            label=user.email,
        )
    client = getattr(user, "client_profile", None) if hasattr(user, "client_profile") else None
    if client is not None:
        return Actor(
            kind="client", firm_id=client.firm_id, client_id=client.pk, user_id=user.pk, label=user.email
        )
    return ANONYMOUS


def actor_for_request(request: HttpRequest) -> Actor:
    cached = getattr(request, "_actor", None)
    if cached is not None:
        return cached
    from firm.models import ApiKey

    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        actor = Actor(
            kind="api_key",
            firm_id=auth.firm_id,
            api_key_id=auth.pk,
            scopes=frozenset(auth.scopes or ()),
            label=f"api-key:{auth.name}",
        )
    else:
        actor = actor_for_user(getattr(request, "user", None))
    request._actor = actor  # type: ignore[attr-defined]
    return actor


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, actor: Actor) -> RestrictedQuerySet:
        model = self.model
        if actor.kind == "system":
            return self
        if actor.kind in ("staff", "api_key") and actor.firm_id is not None:
            path = model.scope_firm_path
            return self.filter(**{"pk" if path == "pk" else f"{path}_id": actor.firm_id})
        if actor.kind == "client" and actor.client_id is not None:
            path = getattr(model, "scope_client_path", None)
            if path is None:
                return self.none()
            qs = self.filter(**{"pk" if path == "pk" else f"{path}_id": actor.client_id})
            visibility = getattr(model, "client_visibility", None)
            if visibility is not None:
                qs = qs.filter(visibility())
            return qs
        return self.none()
