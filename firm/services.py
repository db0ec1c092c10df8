"""Writes for the firm's people and facts. Keyword-only, typed, one transaction each, audited.

A change to a client's facts schedules a recompute of the client's score, eligibility and pathway
assessments after the transaction commits (`client_facts_changed`).
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from firm import events
from firm.errors import ApplicationError, PermissionDeniedError
from firm.events import publish
from firm.fields import CLIENT_EDITABLE_FIELDS, SCORING_FIELDS
from firm.identifiers import SENSITIVE_FIELDS, redact
from firm.middleware import current_origin
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
from firm.scoping import Actor

FACT_MODELS: dict[str, type[models.Model]] = {
    "language_test": LanguageTest,
    "education": Education,
    "work_experience": WorkExperience,
    "job_offer": JobOffer,
    "nomination": ProvincialNomination,
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    client: Client | None = None,
    firm_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Called by services for every change and every document view/download."""
    origin = current_origin()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        firm_id=firm_id if firm_id is not None else actor.firm_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        client=client,
        changes={k: redact(k, _jsonable(v)) for k, v in (changes or {}).items()},
        ip_address=origin.ip_address if origin else None,
        user_agent=origin.user_agent if origin else "",
    )


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDeniedError()


def client_facts_changed(*, client_id: int) -> None:
    """Mark the client "facts changed" (in the transaction of the change) and publish, after commit, that
    the facts changed (pathways/receivers.py enqueues the score recompute, then the re-assessment). The
    mark is cleared once both are done; a sweeper re-enqueues clients still marked after a while (a
    worker killed mid-task): pathways/refresh.py."""
    Client.objects.filter(pk=client_id).update(facts_changed_at=timezone.now())
    transaction.on_commit(lambda: events.client_facts_changed.send(sender=Client, client_id=client_id))


def _validate_lawyer(firm_id: int, lawyer: User | None) -> None:
    if lawyer is None:
        return
    if not Membership.objects.filter(user=lawyer, firm_id=firm_id, is_active=True).exists():
        raise ApplicationError(
            "Not a member of this firm.", fields={"assigned_lawyer": "Not a member of this firm."}
        )


@transaction.atomic
def client_create(*, actor: Actor, firm: Firm, **fields: Any) -> Client:
    _require(actor, "client.change")
    if actor.firm_id != firm.pk and actor.kind != "system":
        raise PermissionDeniedError()
    unknown = set(fields) - set(CLIENT_EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Unknown field."))
    _validate_lawyer(firm.pk, fields.get("assigned_lawyer"))
    client = Client(firm=firm, **fields)
    client.full_clean()
    client.save()
    audit_record(actor=actor, action="create", obj=client, client=client, firm_id=firm.pk, changes=fields)
    client_facts_changed(client_id=client.pk)
    publish(
        firm_id=firm.pk,
        event_type="client.created",
        data={"client_id": client.pk, "status": client.status, "source": client.source},
    )
    return client


@transaction.atomic
def client_update(*, actor: Actor, client: Client, data: dict[str, Any]) -> Client:
    _require(actor, "client.change")
    unknown = set(data) - set(CLIENT_EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Unknown field."))
    if "assigned_lawyer" in data:
        _validate_lawyer(client.firm_id, data["assigned_lawyer"])
    changes = {}
    for name, value in data.items():
        if getattr(client, name) != value:
            changes[name] = value
            setattr(client, name, value)
    if not changes:
        return client
    # Identifiers stored before their format was checked do not block other edits.
    client.full_clean(exclude=[f for f in SENSITIVE_FIELDS if f not in changes])
    client.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="update", obj=client, client=client, changes=changes)
    if SCORING_FIELDS & set(changes):
        client_facts_changed(client_id=client.pk)
    return client


@transaction.atomic
def client_delete(*, actor: Actor, client: Client) -> None:
    _require(actor, "client.delete")
    audit_record(actor=actor, action="delete", obj=client, changes={"name": client.full_name})
    client.delete()


def _fact_model(kind: str) -> type[models.Model]:
    try:
        return FACT_MODELS[kind]
    except KeyError:
        raise ApplicationError(
            "Unknown fact kind.", fields={"kind": f"Unknown fact kind {kind!r}."}
        ) from None


@transaction.atomic
def client_fact_create(*, actor: Actor, client: Client, kind: str, data: dict[str, Any]) -> models.Model:
    _require(actor, "client.change")
    model = _fact_model(kind)
    fact = model(client=client, **data)
    fact.full_clean()
    fact.save()
    audit_record(actor=actor, action="create", obj=fact, client=client, changes=data)
    client_facts_changed(client_id=client.pk)
    return fact


@transaction.atomic
def client_fact_update(*, actor: Actor, fact: models.Model, data: dict[str, Any]) -> models.Model:
    _require(actor, "client.change")
    changes = {k: v for k, v in data.items() if getattr(fact, k) != v}
    for name, value in changes.items():
        setattr(fact, name, value)
    if changes:
        fact.full_clean()
        fact.save()
        audit_record(actor=actor, action="update", obj=fact, client=fact.client, changes=changes)
        client_facts_changed(client_id=fact.client_id)
    return fact


@transaction.atomic
def client_fact_delete(*, actor: Actor, fact: models.Model) -> None:
    _require(actor, "client.change")
    client = fact.client
    audit_record(actor=actor, action="delete", obj=fact, client=client)
    fact.delete()
    client_facts_changed(client_id=client.pk)


@transaction.atomic
def client_portal_invite(*, actor: Actor, client: Client, password: str | None = None) -> User:
    """Create (or return) the client's portal login, using the client's email address."""
    _require(actor, "client.change")
    if client.portal_user_id:
        return client.portal_user
    if not client.email:
        raise ApplicationError(
            "The client has no email address.", fields={"email": "Required for a portal login."}
        )
    if User.objects.filter(email__iexact=client.email).exists():
        raise ApplicationError("Email already in use.", fields={"email": "Another account uses this email."})
    user = User.objects.create_user(
        email=client.email,
        password=password,
        first_name=client.first_name,
        last_name=client.last_name,
        preferred_language=client.preferred_language,
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    client.portal_user = user
    client.save(update_fields=["portal_user", "updated_at"])
    audit_record(actor=actor, action="portal_invite", obj=client, client=client)
    return user


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    firm: Firm,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> Membership:
    _require(actor, "staff.manage")
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError("Email already in use.", fields={"email": "Another account uses this email."})
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    membership = Membership(user=user, firm=firm, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor, action="create", obj=membership, firm_id=firm.pk, changes={"email": email, "role": role}
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, role: str | None = None, is_active: bool | None = None
) -> Membership:
    _require(actor, "staff.manage")
    changes: dict[str, Any] = {}
    if role is not None and role != membership.role:
        changes["role"] = role
    if is_active is not None and is_active != membership.is_active:
        changes["is_active"] = is_active
    if membership.user_id == actor.user_id and changes:
        raise ApplicationError(
            "You cannot change your own role.", fields={"role": "You cannot change your own role."}
        )
    for k, v in changes.items():
        setattr(membership, k, v)
    membership.full_clean()
    membership.save()
    if "is_active" in changes and not is_active:
        from firm.tokens import credentials_revoke_all

        credentials_revoke_all(user_id=membership.user_id, reason="deactivation", actor=actor)
    audit_record(actor=actor, action="update", obj=membership, changes=changes)
    return membership


@transaction.atomic
def api_key_create(*, actor: Actor, firm: Firm, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """Create a key; returns (key, raw secret). The secret is never stored or shown again."""
    _require(actor, "apikey.manage")
    valid = {s.value for s in ApiKey.Scope}
    bad = [s for s in scopes if s not in valid]
    if bad or not scopes:
        raise ApplicationError("Invalid scopes.", fields={"scopes": f"Choose from {sorted(valid)}."})
    if not name.strip():
        raise ApplicationError("Name required.", fields={"name": "This field is required."})
    public_id, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        firm=firm,
        name=name.strip(),
        public_id=public_id,
        key_hash=ApiKey.hash_secret(raw),
        scopes=sorted(set(scopes)),
        created_by_id=actor.user_id,
    )
    audit_record(actor=actor, action="create", obj=key, changes={"name": key.name, "scopes": key.scopes})
    return key, raw


@transaction.atomic
def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    _require(actor, "apikey.manage")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="revoke", obj=key)
    return key


@transaction.atomic
def firm_settings_update(*, actor: Actor, firm: Firm, data: dict[str, Any]) -> Firm:
    _require(actor, "firm.settings")
    allowed = {
        "name",
        "province",
        "require_two_factor",
        "email_clients_on_draw",
        "alert_from_email",
        "compare_proposed_crs",
        "status_reminder_days",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Unknown field."))
    if data.get("require_two_factor") and not firm.require_two_factor:
        from firm.tokens import tokens_revoke_unverified_for_firm

        tokens_revoke_unverified_for_firm(firm_id=firm.pk)
    for k, v in data.items():
        setattr(firm, k, v)
    firm.full_clean()
    firm.save()
    audit_record(actor=actor, action="update", obj=firm, firm_id=firm.pk, changes=data)
    return firm
