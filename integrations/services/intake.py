"""Intake sources: a provider's webhook in, verified its own way, turned into the intake operation.

The receiving endpoint (`submission_receive`) does, in order:
1. find the active source by its public id (404 otherwise);
2. verify the body the provider's way (signatures.py) before reading it: a bad or missing signature is
   `SignatureError` (401), logged and written to the audit log, and the body is neither stored nor read;
3. read the provider's submission id and answers (providers.py);
4. the submission id is the idempotency key: a submission already processed (or failed) answers what
   it answered the first time and creates nothing;
5. otherwise map the answers to the intake payload (mapping.py) and run the very same operation as
   `POST /api/v1/intake/` (`intake_submit_request`, with the idempotency key `source:<id>:<submission>`):
   client, facts, case, then score and assessments after commit;
6. a submission that cannot be mapped (unanswered required questions, impossible values) is kept as
   failed with its errors by intake field; staff fix the mapping and replay it (`submission_replay`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from firm.errors import ApplicationError, NotFoundError, PermissionDeniedError
from firm.scoping import Actor
from firm.services import audit_record
from integrations import mapping, providers, signatures
from integrations.models import IntakeSource, IntakeSubmission, Provider

logger = logging.getLogger(__name__)

EDITABLE = ("name", "mapping", "value_map", "defaults", "is_active")


def _intake():
    from cases import intake

    return intake


def _require(actor: Actor, permission: str = "integrations.manage") -> None:
    if not actor.can(permission) or actor.firm_id is None:
        raise PermissionDeniedError()


def new_secret(provider: str) -> str:
    return signatures.new_whsec() if provider == Provider.GENERIC else signatures.new_token()


def _validate(data: dict[str, Any]) -> None:
    known = mapping.targets()
    errors: dict[str, str] = {}
    for field in ("mapping", "value_map", "defaults"):
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, dict):
            errors[field] = _("Must be an object.")
            continue
        unknown = sorted(set(value) - set(known))
        if unknown:
            errors[field] = _("Not intake fields: %(names)s.") % {"names": ", ".join(unknown)}
        elif field == "mapping" and not all(isinstance(v, str) and v for v in value.values()):
            errors[field] = _("Each intake field maps to a question reference (text).")
        elif field == "value_map" and not all(isinstance(v, dict) for v in value.values()):
            errors[field] = _("Each intake field maps to an object of answer → value.")
    if errors:
        raise ApplicationError("Invalid source.", fields=errors)


@transaction.atomic
def source_create(
    *, actor: Actor, name: str, provider: str, mapping: dict | None = None, **extra: Any
) -> tuple[IntakeSource, str]:
    """Create a source; returns it and its secret (shown once)."""
    _require(actor)
    if provider not in Provider.values:
        raise ApplicationError("Unknown provider.", fields={"provider": _("Unknown provider.")})
    data = {"mapping": mapping or {}, **{k: v for k, v in extra.items() if k in EDITABLE}}
    _validate(data)
    secret = new_secret(provider)
    source = IntakeSource.objects.create(
        firm_id=actor.firm_id,
        name=name[:120],
        provider=provider,
        secret=secret,
        created_by_id=actor.user_id,
        **data,
    )
    audit_record(actor=actor, action="create", obj=source, changes={"provider": provider, "name": name})
    return source, secret


@transaction.atomic
def source_update(*, actor: Actor, source: IntakeSource, data: dict[str, Any]) -> IntakeSource:
    _require(actor)
    data = {k: v for k, v in data.items() if k in EDITABLE}
    _validate(data)
    for key, value in data.items():
        setattr(source, key, value)
    source.save()
    audit_record(actor=actor, action="update", obj=source, changes={k: str(v)[:200] for k, v in data.items()})
    return source


@transaction.atomic
def source_rotate_secret(*, actor: Actor, source: IntakeSource) -> str:
    _require(actor)
    source.secret = new_secret(source.provider)
    source.save(update_fields=["secret", "updated_at"])
    audit_record(actor=actor, action="rotate_secret", obj=source)
    return source.secret


@transaction.atomic
def source_delete(*, actor: Actor, source: IntakeSource) -> None:
    _require(actor)
    audit_record(actor=actor, action="delete", obj=source)
    source.delete()


def receive_path(source: IntakeSource, *, secret: str = "") -> str:
    """The URL path to paste into the provider (Jotform: with its token, known only when just made)."""
    path = f"/api/v1/intake/sources/{source.public_id}/"
    if source.provider == Provider.JOTFORM and secret:
        path += f"?token={secret}"
    return path


# --- Receiving ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiveResult:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def _verify(source: IntakeSource, *, body: bytes, headers: dict[str, str], token: str) -> str:
    """Verify the provider's signature; returns the generic source's webhook-id ('' otherwise)."""
    if source.provider == Provider.TYPEFORM:
        signatures.typeform_verify(
            secret=source.secret, header=headers.get("typeform-signature", ""), body=body
        )
    elif source.provider == Provider.TALLY:
        signatures.tally_verify(secret=source.secret, header=headers.get("tally-signature", ""), body=body)
    elif source.provider == Provider.JOTFORM:
        signatures.token_verify(secret=source.secret, token=token)
    else:
        return signatures.standard_verify(secret=source.secret, headers=headers, body=body)
    return ""


def _parse(
    source: IntakeSource, *, body: bytes, content_type: str, post: dict, message_id: str
) -> providers.Parsed:
    if source.provider == Provider.TYPEFORM:
        return providers.parse_typeform(body)
    if source.provider == Provider.TALLY:
        return providers.parse_tally(body)
    if source.provider == Provider.JOTFORM:
        return providers.parse_jotform(body, content_type, post)
    return providers.parse_generic(body, message_id)


def _reject(source: IntakeSource, reason: str, *, ip: str) -> None:
    logger.warning(
        "intake source %s (%s): signature refused: %s (from %s)", source.pk, source.provider, reason, ip
    )
    audit_record(
        actor=Actor(kind="system", firm_id=source.firm_id, label=f"intake source {source.name}"),
        action="signature_rejected",
        obj=source,
        changes={"reason": reason, "provider": source.provider},
    )


def submission_receive(
    *,
    public_id: str,
    body: bytes,
    headers: dict[str, str],
    content_type: str = "",
    post: dict[str, Any] | None = None,
    token: str = "",
    ip: str = "",
) -> ReceiveResult:
    """See the module docstring. Raises NotFoundError, SignatureError or UnreadableBody."""
    source = IntakeSource.objects.filter(public_id=public_id, is_active=True).first()
    if source is None:
        raise NotFoundError()
    try:
        message_id = _verify(source, body=body, headers=headers, token=token)
    except signatures.SignatureError as exc:
        _reject(source, str(exc), ip=ip)
        raise
    parsed = _parse(source, body=body, content_type=content_type, post=post or {}, message_id=message_id)
    external_id = parsed.external_id[:200]
    try:
        with transaction.atomic():
            submission, created = IntakeSubmission.objects.get_or_create(
                source=source,
                external_id=external_id,
                defaults={
                    "firm_id": source.firm_id,
                    "content_type": content_type[:120],
                    "body": body.decode("utf-8", "replace"),
                    "answers": parsed.answers,
                },
            )
    except IntegrityError:  # a concurrent redelivery inserted it first
        submission, created = IntakeSubmission.objects.get(source=source, external_id=external_id), False
    if not created and submission.status != IntakeSubmission.Status.PROCESSING:
        return ReceiveResult(submission.response_status or 200, submission.response_body, replayed=True)
    return submission_process(submission=submission, source=source)


def _source_actor(source: IntakeSource) -> Actor:
    return Actor(kind="system", firm_id=source.firm_id, label=f"intake source {source.name}")


def _fail(submission: IntakeSubmission, errors: dict[str, str], payload: dict[str, Any]) -> ReceiveResult:
    body = {
        "submission_id": submission.pk,
        "submission_status": IntakeSubmission.Status.FAILED,
        "detail": "Kept as a failed submission: the firm will fix the mapping and replay it.",
        "errors": errors,
    }
    IntakeSubmission.objects.filter(pk=submission.pk).update(
        status=IntakeSubmission.Status.FAILED,
        errors=errors,
        response_status=202,
        response_body=body,
        processed_at=timezone.now(),
    )
    logger.info("intake submission %s failed: %s", submission.pk, sorted(errors))
    return ReceiveResult(202, body)


def submission_process(*, submission: IntakeSubmission, source: IntakeSource | None = None) -> ReceiveResult:
    """Map and submit one stored submission (first time or replay)."""
    source = source or submission.source
    IntakeSubmission.objects.filter(pk=submission.pk).update(attempts=submission.attempts + 1)
    payload, errors = mapping.build_payload(
        answers=submission.answers,
        mapping=source.mapping,
        value_map=source.value_map,
        defaults=source.defaults,
        source_label=f"{source.provider}: {source.name}",
    )
    if errors:
        return _fail(submission, errors, payload)
    intake = _intake()
    try:
        actor = _source_actor(source)
        result = intake.intake_submit_request(
            actor=actor,
            data=payload,
            idempotency_key=f"source:{source.pk}:{submission.external_id}"[:255],
            score_of=lambda client_id: _score_total(actor, client_id),
        )
    except DRFValidationError as exc:
        return _fail(submission, mapping.flatten_errors(exc.detail), payload)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        return _fail(submission, exc.fields or {"non_field_errors": exc.message}, payload)
    body = {
        "submission_id": submission.pk,
        "submission_status": IntakeSubmission.Status.PROCESSED,
        **result.body,
    }
    IntakeSubmission.objects.filter(pk=submission.pk).update(
        status=IntakeSubmission.Status.PROCESSED,
        errors={},
        response_status=201,
        response_body=body,
        client_id=result.body.get("client_id"),
        case_id=result.body.get("case_id"),
        processed_at=timezone.now(),
    )
    return ReceiveResult(201, body)


def _score_total(actor: Actor, client_id: int) -> int | None:
    from scoring.selectors import scores as score_selectors

    score = score_selectors.score_current(actor, client_id)
    return score.total if score is not None else None


def submission_replay(*, actor: Actor, submission: IntakeSubmission) -> ReceiveResult:
    """Staff fixed the mapping: process a failed submission again (a processed one is not redone)."""
    _require(actor)
    if submission.firm_id != actor.firm_id:
        raise NotFoundError()
    if submission.status == IntakeSubmission.Status.PROCESSED:
        raise ApplicationError(
            "Already processed.", fields={"status": _("This submission already created its client.")}
        )
    source = submission.source
    # answers are read again from the stored body: a fixed parser or mapping applies to old submissions
    audit_record(actor=actor, action="replay", obj=submission)
    return submission_process(submission=submission, source=source)


def source_preview(*, actor: Actor, source: IntakeSource) -> dict[str, Any]:
    """The test button: what the last received submission would create with the current mapping.

    Validates with the intake serializer and writes nothing."""
    _require(actor)
    last = source.submissions.order_by("-received_at", "-pk").first()
    if last is None:
        return {
            "submission_id": None,
            "valid": False,
            "payload": {},
            "errors": {},
            "summary": {},
            "answers": {},
        }
    payload, errors = mapping.build_payload(
        answers=last.answers,
        mapping=source.mapping,
        value_map=source.value_map,
        defaults=source.defaults,
        source_label=f"{source.provider}: {source.name}",
    )
    serializer = _intake().IntakeSerializer(data=payload)
    if not errors and not serializer.is_valid():
        errors = mapping.flatten_errors(serializer.errors)
    identity, contact = payload.get("identity", {}), payload.get("contact", {})
    summary = {
        "name": f"{identity.get('first_name', '')} {identity.get('last_name', '')}".strip(),
        "email": contact.get("email", ""),
        "date_of_birth": identity.get("date_of_birth"),
        "marital_status": payload.get("marital_status"),
        "language_tests": len(payload.get("language_tests") or []),
        "education": len(payload.get("education") or []),
        "work_history": len(payload.get("work_history") or []),
        "pathway": payload.get("pathway") or "express_entry",
    }
    return {
        "submission_id": last.pk,
        "answers": last.answers,  # by question reference: what can be mapped
        "received_at": last.received_at.isoformat(),
        "valid": not errors,
        "payload": payload,
        "errors": errors,
        "summary": summary,
    }
