"""Writes for cases, documents, deadlines and notes. Keyword-only, typed, transactional, audited."""

from __future__ import annotations

import uuid
from datetime import date
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import events
from cases.constants import CASE_TRANSITIONS, OPEN_STATUSES, CaseStatus, DocumentKind, DocumentStatus
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from cases.notifications import case_status_changed
from cases.scanning import scan_after_commit, scanning_enabled
from cases.uploads import check_upload
from firm.errors import ApplicationError, PermissionDeniedError
from firm.events import publish
from firm.identifiers import SENSITIVE_FIELDS
from firm.models import Client, Membership
from firm.scoping import Actor
from firm.services import audit_record
from firm.validators import note_length, require_valid, validate_plausible_date

CASE_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "stream",
        "assigned_lawyer",
        "ircc_application_number",
        "work_permit_application_number",
        "esdc_file_number",
        "pnp_file_number",
        "facts",
    }
)


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDeniedError()


def _check_lawyer(firm_id: int, lawyer: Any) -> None:
    if (
        lawyer is not None
        and not Membership.objects.filter(user=lawyer, firm_id=firm_id, is_active=True).exists()
    ):
        raise ApplicationError(
            "Not a member of this firm.", fields={"assigned_lawyer": "Not a member of this firm."}
        )


def _validate_facts(facts: Any) -> None:
    """The case's own facts must be readable by the pathway rules (they register their validator in
    cases.events); errors name the field path."""
    errors = events.case_facts_errors(facts)
    if errors:
        raise ApplicationError("Invalid case facts.", fields=errors)


def _assessments_changed(case: Case) -> None:
    """Publish after commit that the case needs a (re-)assessment (pathways subscribes)."""
    case_id = case.pk
    transaction.on_commit(lambda: events.case_changed.send(sender=Case, case_id=case_id))


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    client: Client,
    pathway: str,
    title: str = "",
    stream: str = "",
    assigned_lawyer: Any = None,
    facts: dict[str, Any] | None = None,
) -> Case:
    _require(actor, "case.change")
    if client.firm_id != actor.firm_id and actor.kind != "system":
        raise PermissionDeniedError()
    lawyer = assigned_lawyer if assigned_lawyer is not None else client.assigned_lawyer
    _check_lawyer(client.firm_id, lawyer)
    if facts:
        _validate_facts(facts)
    case = Case(
        firm_id=client.firm_id,
        client=client,
        pathway=pathway,
        title=title,
        stream=stream,
        assigned_lawyer=lawyer,
        facts=facts or {},
    )
    case.full_clean()
    case.save()
    CaseStatusChange.objects.create(
        case=case, from_status="", to_status=case.status, changed_by_id=actor.user_id
    )
    audit_record(actor=actor, action="create", obj=case, client=client, changes={"pathway": pathway})
    _assessments_changed(case)
    return case


@transaction.atomic
def case_update(*, actor: Actor, case: Case, data: dict[str, Any]) -> Case:
    _require(actor, "case.change")
    unknown = set(data) - CASE_EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(
            "These fields cannot be changed here.", fields=dict.fromkeys(sorted(unknown), "Not editable.")
        )
    if "assigned_lawyer" in data:
        _check_lawyer(case.firm_id, data["assigned_lawyer"])
    if "facts" in data:
        _validate_facts(data["facts"])
    changes = {k: v for k, v in data.items() if getattr(case, k) != v}
    for k, v in changes.items():
        setattr(case, k, v)
    if changes:
        # Identifiers stored before their format was checked do not block other edits.
        case.full_clean(exclude=[f for f in SENSITIVE_FIELDS if f not in changes])
        case.save()
        audit_record(actor=actor, action="update", obj=case, client=case.client, changes=changes)
        if "facts" in changes:
            _assessments_changed(case)
    return case


@transaction.atomic
def case_transition(
    *,
    actor: Actor,
    case: Case,
    to_status: str,
    reason: str = "",
    override_reason: str = "",
    notify: bool = True,
) -> Case:
    """Move a case along its workflow; only allowed transitions, recorded in the status history.
    Filing goes through the filing guard (`cases.filing`)."""
    _require(actor, "case.transition")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in CaseStatus.values:
        raise ApplicationError("Unknown status.", fields={"status": f"Unknown status {to_status!r}."})
    allowed = CASE_TRANSITIONS[case.status]
    if to_status not in allowed:
        raise ApplicationError(
            "Transition not allowed.",
            fields={
                "status": f"A case in {case.status!r} can move to: {', '.join(sorted(allowed)) or 'nothing'}."
            },
        )
    if to_status == CaseStatus.FILED:
        from cases.filing import filing_check

        filing_check(actor=actor, case=case, override_reason=override_reason)
    previous = case.status
    case.status = to_status
    case.closed_at = None if to_status in OPEN_STATUSES else (case.closed_at or timezone.now())
    case.save(update_fields=["status", "closed_at", "updated_at"])
    CaseStatusChange.objects.create(
        case=case, from_status=previous, to_status=to_status, changed_by_id=actor.user_id, reason=reason[:300]
    )
    audit_record(
        actor=actor,
        action="transition",
        obj=case,
        client=case.client,
        changes={"from": previous, "to": to_status, "reason": reason},
    )
    if notify:
        case_status_changed(case=case, previous=previous)
    publish(
        firm_id=case.firm_id,
        event_type="case.status_changed",
        data={"case_id": case.pk, "client_id": case.client_id, "from": previous, "to": to_status},
    )
    return case


@transaction.atomic
def case_delete(*, actor: Actor, case: Case) -> None:
    _require(actor, "case.delete")
    audit_record(actor=actor, action="delete", obj=case, client=case.client)
    for doc in case.documents.exclude(file=""):
        name = doc.file.name
        transaction.on_commit(lambda n=name, s=doc.file.storage: s.delete(n))
    case.delete()


@transaction.atomic
def document_request(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    label: str = "",
    checklist_key: str = "",
    expires_on: date | None = None,
    required: bool = False,
    person_id: int | None = None,
) -> Document:
    """Ask for a document. With a checklist key, requesting the same item twice returns the first."""
    _require(actor, "document.change")
    require_valid(expires_on=(expires_on, validate_plausible_date))
    if kind not in DocumentKind.values:
        raise ApplicationError("Unknown document kind.", fields={"kind": f"Unknown document kind {kind!r}."})
    if checklist_key:
        existing = Document.objects.filter(case=case, checklist_key=checklist_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            doc = Document.objects.create(
                firm_id=case.firm_id,
                case=case,
                kind=kind,
                label=label[:200],
                checklist_key=checklist_key,
                expires_on=expires_on,
                required=required,
                person_id=person_id,
            )
    except IntegrityError:
        return Document.objects.get(case=case, checklist_key=checklist_key)
    audit_record(actor=actor, action="request", obj=doc, client=case.client)
    return doc


@transaction.atomic
def document_upload(
    *,
    actor: Actor,
    document: Document,
    file: IO[bytes],
    filename: str,
    size: int | None = None,
    expires_on: date | None = None,
) -> Document:
    """Store a file for a requested document (or replace a rejected one). Clients may upload their own."""
    if actor.is_client:
        if document.case.client_id != actor.client_id:
            raise PermissionDeniedError()
        if document.status == DocumentStatus.VERIFIED:
            raise ApplicationError(
                "Already verified.", fields={"file": "This document was already verified."}
            )
    else:
        _require(actor, "document.change")
    require_valid(expires_on=(expires_on, validate_plausible_date))
    checked = check_upload(file, filename=filename, size=size)
    document = Document.objects.select_for_update().get(pk=document.pk)
    old_name = document.file.name if document.file else ""
    document.stored_name = f"{uuid.uuid4().hex}.{checked.extension}"
    document.file.save(document.stored_name, file, save=False)
    document.original_filename = checked.original_filename
    document.content_type = checked.content_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.status = DocumentStatus.SCANNING if scanning_enabled() else DocumentStatus.UPLOADED
    document.uploaded_at = timezone.now()
    document.uploaded_by_id = actor.user_id
    document.rejection_reason = ""
    if expires_on is not None:
        document.expires_on = expires_on
    document.save()
    if old_name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    if document.status == DocumentStatus.SCANNING:
        scan_after_commit(document.pk)
    audit_record(
        actor=actor,
        action="upload",
        obj=document,
        client=document.case.client,
        changes={"sha256": checked.sha256, "size": checked.size, "content_type": checked.content_type},
    )
    publish(  # ids and metadata only, never the file
        firm_id=document.firm_id,
        event_type="document.uploaded",
        data={
            "document_id": document.pk,
            "case_id": document.case_id,
            "client_id": document.case.client_id,
            "kind": document.kind,
            "status": document.status,
            "size": document.size,
            "content_type": document.content_type,
            "uploaded_by": "client" if actor.is_client else "staff",
        },
    )
    return document


@transaction.atomic
def document_create_with_file(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    file: IO[bytes],
    filename: str,
    size: int | None = None,
    label: str = "",
    expires_on: date | None = None,
) -> Document:
    """Upload a document that was not requested first."""
    if actor.is_client:
        if case.client_id != actor.client_id:
            raise PermissionDeniedError()
        if kind not in DocumentKind.values:
            raise ApplicationError(
                "Unknown document kind.", fields={"kind": f"Unknown document kind {kind!r}."}
            )
        doc = Document.objects.create(firm_id=case.firm_id, case=case, kind=kind, label=label[:200])
    else:
        doc = document_request(actor=actor, case=case, kind=kind, label=label)
    return document_upload(
        actor=actor, document=doc, file=file, filename=filename, size=size, expires_on=expires_on
    )


@transaction.atomic
def document_review(*, actor: Actor, document: Document, verified: bool, reason: str = "") -> Document:
    _require(actor, "document.review")
    if document.status not in (DocumentStatus.UPLOADED, DocumentStatus.VERIFIED, DocumentStatus.REJECTED):
        raise ApplicationError(
            "Nothing to review.", fields={"status": "Only an uploaded document can be reviewed."}
        )
    if not verified and not reason.strip():
        raise ApplicationError("Reason required.", fields={"reason": "Say why the document is rejected."})
    document.status = DocumentStatus.VERIFIED if verified else DocumentStatus.REJECTED
    document.rejection_reason = "" if verified else reason.strip()[:300]
    document.reviewed_at = timezone.now()
    document.reviewed_by_id = actor.user_id
    document.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action="verify" if verified else "reject",
        obj=document,
        client=document.case.client,
        changes={"reason": reason},
    )
    publish(
        firm_id=document.firm_id,
        event_type="document.reviewed",
        data={
            "document_id": document.pk,
            "case_id": document.case_id,
            "client_id": document.case.client_id,
            "kind": document.kind,
            "status": document.status,
        },
    )
    return document


@transaction.atomic
def document_delete(*, actor: Actor, document: Document) -> None:
    """Delete a document row; its file is removed from private storage after commit."""
    _require(actor, "document.delete")
    audit_record(actor=actor, action="delete", obj=document, client=document.case.client)
    if document.file:
        name, storage = document.file.name, document.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    document.delete()


def document_open(*, actor: Actor, document: Document) -> IO[bytes]:
    """Open a document's file for download and write the audit row (every view or download is audited)."""
    if not document.file:
        raise ApplicationError("No file.", fields={"file": "No file has been uploaded for this document."})
    if document.status in (DocumentStatus.SCANNING, DocumentStatus.QUARANTINED):
        raise ApplicationError(
            "Not available.", fields={"file": "This file is being scanned or was quarantined (virus found)."}
        )
    audit_record(
        actor=actor, action="download", obj=document, client=document.case.client, firm_id=document.firm_id
    )
    return document.file.open("rb")


@transaction.atomic
def documents_expire(*, today: date) -> int:
    """Mark documents past their expiry date as expired (nightly)."""
    return Document.objects.filter(
        expires_on__lt=today, status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED]
    ).update(status=DocumentStatus.EXPIRED)


@transaction.atomic
def deadline_create(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    label: str,
    due_on: date,
    source_rule: str = "",
    source_key: str = "",
) -> Deadline:
    _require(actor, "case.change")
    require_valid(due_on=(due_on, validate_plausible_date))
    if source_key:
        deadline, created = Deadline.objects.get_or_create(
            case=case,
            source_key=source_key,
            defaults={"kind": kind, "label": label, "due_on": due_on, "source_rule": source_rule},
        )
        if not created and not deadline.done and deadline.due_on != due_on:
            deadline.due_on = due_on
            deadline.label = label
            deadline.save(update_fields=["due_on", "label"])
        return deadline
    deadline = Deadline.objects.create(
        case=case, kind=kind, label=label, due_on=due_on, source_rule=source_rule
    )
    audit_record(actor=actor, action="create", obj=deadline, client=case.client)
    return deadline


@transaction.atomic
def deadline_complete(*, actor: Actor, deadline: Deadline, done: bool = True) -> Deadline:
    _require(actor, "case.change")
    deadline.done = done
    deadline.done_at = timezone.now() if done else None
    deadline.save(update_fields=["done", "done_at"])
    audit_record(
        actor=actor, action="complete" if done else "reopen", obj=deadline, client=deadline.case.client
    )
    return deadline


@transaction.atomic
def note_create(*, actor: Actor, case: Case, text: str, visible_to_client: bool = False) -> Note:
    _require(actor, "case.change")
    require_valid(text=(text, note_length))
    if not text.strip():
        raise ApplicationError("Empty note.", fields={"text": "This field may not be blank."})
    note = Note.objects.create(
        case=case, author_id=actor.user_id, text=text.strip(), visible_to_client=visible_to_client
    )
    audit_record(
        actor=actor,
        action="create",
        obj=note,
        client=case.client,
        changes={"visible_to_client": visible_to_client},
    )
    return note
