"""The questionnaire's operations: open a draft, save a section, submit, review, send, send back, attach
a proof. Submitting changes no fact; only `questionnaire_review` applies accepted changes (through the
services of `firm`)."""

from __future__ import annotations

from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.constants import OPEN_STATUSES as OPEN_CASE_STATUSES
from cases.models import Case, Document
from cases.services import document_create_with_file
from firm.errors import ApplicationError, PermissionDeniedError
from firm.models import Client
from firm.scoping import Actor
from questionnaire.changes import apply_change, current_conflict, diff, is_conflict
from questionnaire.emails import queue_request_email
from questionnaire.models import ChangeStatus, ProposedChange, Questionnaire, QuestionnaireStatus
from questionnaire.sections import SECTION_BY_KEY, SECTIONS, TABLES, SectionError, clean_section, to_json
from questionnaire.stored import stored_sections


class VersionConflict(ApplicationError):
    """The draft changed since the caller read it (another tab, another device)."""

    status_code = 409


def _require_client(actor: Actor, client: Client) -> None:
    if not (actor.is_client and actor.client_id == client.pk):
        raise PermissionDeniedError()


def _require_staff(actor: Actor, client: Client) -> None:
    if not actor.can("client.change") or actor.firm_id != client.firm_id:
        raise PermissionDeniedError()


def questionnaire_current(client: Client) -> Questionnaire | None:
    return Questionnaire.objects.filter(client=client).exclude(status=QuestionnaireStatus.REVIEWED).first()


def questionnaire_last_reviewed(client: Client) -> Questionnaire | None:
    return Questionnaire.objects.filter(client=client, status=QuestionnaireStatus.REVIEWED).first()


def questionnaire_open(*, client: Client, requested_by: Any = None) -> Questionnaire:
    """The client's open questionnaire, or a new draft prefilled from the stored file."""
    current = questionnaire_current(client)
    if current is not None:
        return current
    prefill = stored_sections(client)
    try:
        with transaction.atomic():
            return Questionnaire.objects.create(
                firm_id=client.firm_id,
                client=client,
                data=prefill,
                base=prefill,
                requested_by=requested_by,
                requested_at=timezone.now() if requested_by else None,
            )
    except IntegrityError:  # opened at the same moment elsewhere
        current = questionnaire_current(client)
        assert current is not None
        return current


def _stored_ids(client: Client, q: Questionnaire, key: str) -> dict[str, set[int]]:
    return {
        t.name: {r["id"] for r in (q.base.get(key) or {}).get(t.name, []) if r.get("id")}
        for t in SECTION_BY_KEY[key].tables
    }


def typed_draft(q: Questionnaire) -> dict[str, dict[str, Any]]:
    """The whole draft as typed values (the adapter's input); a section that no longer passes is left as
    stored."""
    out: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        payload = q.data.get(section.key)
        if payload is None:
            continue
        try:
            out[section.key] = clean_section(
                section.key, payload, stored_ids=_stored_ids(q.client, q, section.key)
            )
        except SectionError:
            continue
    return out


def check_sections(q: Questionnaire, sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Check several sections' answers; SectionError names every bad field as `section.field`."""
    if not isinstance(sections, dict) or not sections:
        raise SectionError({"sections": "Give at least one section."})
    errors: dict[str, str] = {}
    typed: dict[str, dict[str, Any]] = {}
    for key, payload in sections.items():
        if key not in SECTION_BY_KEY:
            errors[f"sections.{key}"] = "Unknown section."
            continue
        try:
            typed[key] = clean_section(key, payload, stored_ids=_stored_ids(q.client, q, key))
        except SectionError as exc:
            errors.update({f"{key}.{name}": msg for name, msg in exc.errors.items()})
    if errors:
        raise SectionError(errors)
    return typed


@transaction.atomic
def questionnaire_save(
    *, actor: Actor, client: Client, sections: dict[str, Any], version: int | None
) -> Questionnaire:
    """Save one or more sections of the draft (each checked in full first; nothing saved on error)."""
    _require_client(actor, client)
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire_open(client=client).pk)
    if not q.editable:
        raise ApplicationError("Submitted: waiting for your lawyer's review.", fields={"status": q.status})
    if version is not None and version != q.version:
        raise VersionConflict(
            "The questionnaire changed since you opened it; reload it.", fields={"version": str(q.version)}
        )
    typed = check_sections(q, sections)
    for key, values in typed.items():
        q.data[key] = to_json(values)
        if key not in q.sections_saved:
            q.sections_saved.append(key)
    q.version += 1
    q.save()
    return q


@transaction.atomic
def questionnaire_submit(*, actor: Actor, client: Client, version: int | None = None) -> Questionnaire:
    """Freeze the draft and list what it would change. No stored fact changes here."""
    _require_client(actor, client)
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire_open(client=client).pk)
    if not q.editable:
        raise ApplicationError("Already submitted.", fields={"status": q.status})
    if version is not None and version != q.version:
        raise VersionConflict(
            "The questionnaire changed since you opened it; reload it.", fields={"version": str(q.version)}
        )
    q.changes.filter(status=ChangeStatus.PENDING).delete()
    for change in diff(client, q.data, q.base):
        ProposedChange.objects.create(firm_id=client.firm_id, client=client, questionnaire=q, **change)
    q.status = QuestionnaireStatus.SUBMITTED
    q.submitted_at = timezone.now()
    q.version += 1
    q.save()
    return q


def _decision_ids(q: Questionnaire, accept: Any, reject: Any) -> tuple[list[int], dict[int, str]]:
    errors: dict[str, str] = {}
    if not isinstance(accept, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in accept
    ):
        errors["accept"] = "A list of change ids."
    reasons: dict[int, str] = {}
    if not isinstance(reject, list):
        errors["reject"] = "A list of {id, reason}."
    else:
        for i, item in enumerate(reject):
            rid = item.get("id") if isinstance(item, dict) else None
            reason = str(item.get("reason") or "").strip() if isinstance(item, dict) else ""
            if not isinstance(rid, int) or isinstance(rid, bool):
                errors[f"reject[{i}].id"] = "A change id."
            elif not reason:
                errors[f"reject[{i}].reason"] = "Say why (the client reads it)."
            elif len(reason) > 500:
                errors[f"reject[{i}].reason"] = "At most 500 characters."
            else:
                reasons[rid] = reason
    if errors:
        raise ApplicationError("Invalid review.", fields=errors)
    pending = set(q.changes.filter(status=ChangeStatus.PENDING).values_list("pk", flat=True))
    for cid in [*accept, *reasons]:
        if cid not in pending:
            errors[str(cid)] = "Not a pending change of this questionnaire."
    if set(accept) & set(reasons):
        errors["accept"] = "A change is either accepted or rejected."
    if errors:
        raise ApplicationError("Invalid review.", fields=errors)
    return accept, reasons


@transaction.atomic
def questionnaire_review(*, actor: Actor, client: Client, accept: Any, reject: Any) -> Questionnaire:
    """Accept (apply through the services) or reject (with a reason) pending changes."""
    _require_staff(actor, client)
    q = questionnaire_current(client)
    if q is None or q.status != QuestionnaireStatus.SUBMITTED:
        raise ApplicationError("Nothing submitted to review.", fields={"status": q.status if q else "none"})
    q = Questionnaire.objects.select_for_update().get(pk=q.pk)
    accept_ids, reasons = _decision_ids(q, accept, reject)
    now = timezone.now()
    changes = {c.pk: c for c in q.changes.select_related("client").filter(pk__in=[*accept_ids, *reasons])}
    conflicted = {
        str(cid): "The stored fact changed since the client answered; reject it or send the "
        "questionnaire back."
        for cid in accept_ids
        if current_conflict(changes[cid])
    }
    if conflicted:
        raise ApplicationError("Conflicts.", fields={f"accept.{k}": v for k, v in conflicted.items()})
    for cid in accept_ids:
        change = changes[cid]
        try:
            change.applied_id = apply_change(actor, change)
        except ApplicationError as exc:
            raise ApplicationError(
                "A change could not be applied.",
                fields={
                    f"accept.{cid}": "; ".join(f"{k}: {v}" for k, v in (exc.fields or {}).items()) or str(exc)
                },
            ) from exc
        change.status, change.decided_by_id, change.decided_at = ChangeStatus.ACCEPTED, actor.user_id, now
        change.save()
    for cid, reason in reasons.items():
        change = changes[cid]
        change.status, change.reason, change.decided_by_id, change.decided_at = (
            ChangeStatus.REJECTED,
            reason,
            actor.user_id,
            now,
        )
        change.save()
    if not q.changes.filter(status=ChangeStatus.PENDING).exists():
        q.status, q.reviewed_at, q.reviewed_by_id = QuestionnaireStatus.REVIEWED, now, actor.user_id
    q.version += 1
    q.save()
    return q


def pending_changes(q: Questionnaire | None) -> list[ProposedChange]:
    if q is None:
        return []
    return list(q.changes.filter(status=ChangeStatus.PENDING).order_by("pk"))


def change_conflict(change: ProposedChange) -> bool:
    return is_conflict(change) or current_conflict(change)


@transaction.atomic
def questionnaire_send(*, actor: Actor, client: Client) -> Questionnaire:
    """Open (or reuse) the client's draft and email them a one-time link to it."""
    _require_staff(actor, client)
    if not client.portal_user_id or not client.email:
        raise ApplicationError(
            "The client has no portal access yet.",
            fields={"portal_user": "Invite the client to the portal first."},
        )
    q = questionnaire_open(client=client)
    q.requested_by_id, q.requested_at = actor.user_id, timezone.now()
    q.save(update_fields=["requested_by", "requested_at", "updated_at"])
    queue_request_email(q, questions=[])
    return q


@transaction.atomic
def questionnaire_return(*, actor: Actor, client: Client, questions: Any) -> Questionnaire:
    """Send a submitted questionnaire back with questions on specific answers (`path`: section or field)."""
    _require_staff(actor, client)
    q = questionnaire_current(client)
    if q is None or q.status != QuestionnaireStatus.SUBMITTED:
        raise ApplicationError(
            "Nothing submitted to send back.", fields={"status": q.status if q else "none"}
        )
    if not isinstance(questions, list) or not questions:
        raise ApplicationError(
            "Ask at least one question.", fields={"questions": "Ask at least one question."}
        )
    asked = []
    for i, item in enumerate(questions):
        path = str((item or {}).get("path") or "").strip() if isinstance(item, dict) else ""
        text = str((item or {}).get("text") or "").strip() if isinstance(item, dict) else ""
        if path.split(".")[0] not in SECTION_BY_KEY:
            raise ApplicationError(
                "Invalid question.", fields={f"questions[{i}].path": "Name a section (e.g. work.work[0])."}
            )
        if not text or len(text) > 1000:
            raise ApplicationError(
                "Invalid question.",
                fields={f"questions[{i}].text": "Write the question (at most 1000 characters)."},
            )
        asked.append({"path": path, "text": text, "asked_at": timezone.now().isoformat()})
    q = Questionnaire.objects.select_for_update().get(pk=q.pk)
    q.changes.filter(status=ChangeStatus.PENDING).delete()
    q.status, q.questions = QuestionnaireStatus.RETURNED, [*q.questions, *asked]
    q.version += 1
    q.save()
    queue_request_email(q, questions=asked)
    return q


def _client_case(client: Client) -> Case | None:
    return (
        Case.objects.filter(client=client, status__in=OPEN_CASE_STATUSES)
        .order_by("-opened_at", "-pk")
        .first()
    )


@transaction.atomic
def questionnaire_attach(
    *, actor: Actor, client: Client, table: str, file: IO[bytes], filename: str, size: int | None = None
) -> Document:
    """A proof attached in a section: a document of the client's open case (the upload service's checks)."""
    _require_client(actor, client)
    if table not in TABLES or not TABLES[table][1].proof:
        raise ApplicationError("No proof here.", fields={"table": "This part takes no proof."})
    case = _client_case(client)
    if case is None:
        raise ApplicationError("No open file.", fields={"file": "You have no open file to attach it to yet."})
    section, spec = TABLES[table]
    q = questionnaire_open(client=client)
    doc = document_create_with_file(
        actor=actor,
        case=case,
        kind=spec.proof,
        file=file,
        filename=filename,
        size=size,
        label=f"Questionnaire: {section.key}",
    )
    q.data.setdefault("_proofs", []).append({"table": table, "document_id": doc.pk, "filename": filename})
    q.save(update_fields=["data", "updated_at"])
    return doc
