"""What each role or API-key scope may do. One table, used by services, the API and the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firm.scoping import Actor

# permission -> roles allowed
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "client.view": frozenset({"admin", "lawyer", "paralegal"}),
    "client.change": frozenset({"admin", "lawyer", "paralegal"}),
    "client.delete": frozenset({"admin", "lawyer"}),
    "case.view": frozenset({"admin", "lawyer", "paralegal"}),
    "case.change": frozenset({"admin", "lawyer", "paralegal"}),
    "case.transition": frozenset({"admin", "lawyer", "paralegal"}),
    "case.delete": frozenset({"admin", "lawyer"}),
    "document.view": frozenset({"admin", "lawyer", "paralegal"}),
    "document.change": frozenset({"admin", "lawyer", "paralegal"}),
    "document.review": frozenset({"admin", "lawyer", "paralegal"}),
    "document.delete": frozenset({"admin", "lawyer"}),
    "draw.manage": frozenset({"admin", "lawyer"}),
    "apikey.manage": frozenset({"admin"}),
    "staff.manage": frozenset({"admin"}),
    "firm.settings": frozenset({"admin"}),
    "audit.view": frozenset({"admin", "lawyer"}),
    "integrations.manage": frozenset({"admin"}),
    "integrations.view": frozenset({"admin", "lawyer", "paralegal"}),
}

# permission -> API-key scopes that grant it
SCOPE_PERMISSIONS: dict[str, frozenset[str]] = {
    "client.view": frozenset({"read", "write"}),
    "client.change": frozenset({"write"}),
    "case.view": frozenset({"read", "write"}),
    "case.change": frozenset({"write"}),
    "case.transition": frozenset({"write"}),
    "document.view": frozenset({"read", "write"}),
    "document.change": frozenset({"write"}),
    "intake.submit": frozenset({"intake"}),
    "crs.calculate": frozenset({"crs", "read", "write", "intake"}),
}


def actor_can(actor: Actor, permission: str) -> bool:
    if actor.kind == "system":
        return True
    if actor.kind == "staff":
        if permission in ("crs.calculate", "intake.submit"):
            return True
        return actor.role in ROLE_PERMISSIONS.get(permission, frozenset())
    if actor.kind == "api_key":
        return bool(actor.scopes & SCOPE_PERMISSIONS.get(permission, frozenset()))
    return False
