"""Reads for cases, documents, deadlines and notes, scoped to the asking actor."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from cases.constants import OPEN_STATUSES, DocumentStatus
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from firm.errors import NotFoundError
from firm.scoping import Actor


def case_list(*, actor: Actor) -> QuerySet[Case]:
    return Case.objects.restrict(actor).select_related("client", "assigned_lawyer")


def case_get(*, actor: Actor, case_id: int) -> Case:
    case = case_list(actor=actor).filter(pk=case_id).first()
    if case is None:
        raise NotFoundError()
    return case


def caseload(*, actor: Actor, mine_only: bool = False) -> QuerySet[Case]:
    qs = case_list(actor=actor).filter(status__in=OPEN_STATUSES)
    if mine_only and actor.user_id:
        qs = qs.filter(assigned_lawyer_id=actor.user_id)
    return qs


def document_list(*, actor: Actor) -> QuerySet[Document]:
    return Document.objects.restrict(actor).select_related("case", "case__client")


def document_get(*, actor: Actor, document_id: int) -> Document:
    doc = document_list(actor=actor).filter(pk=document_id).first()
    if doc is None:
        raise NotFoundError()
    return doc


def documents_needing_attention(*, actor: Actor, today: date, within_days: int = 30) -> QuerySet[Document]:
    """Requested documents, and uploaded or verified documents expiring soon."""
    soon = today + timedelta(days=within_days)
    return (
        document_list(actor=actor)
        .filter(
            Q(status=DocumentStatus.REQUESTED)
            | Q(status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED], expires_on__lte=soon)
            | Q(status=DocumentStatus.EXPIRED)
        )
        .filter(case__status__in=OPEN_STATUSES)
    )


def deadline_list(*, actor: Actor) -> QuerySet[Deadline]:
    return Deadline.objects.restrict(actor).select_related("case", "case__client")


def deadlines_upcoming(*, actor: Actor, today: date, within_days: int = 30) -> QuerySet[Deadline]:
    """Open deadlines due within the window, plus every overdue one."""
    return deadline_list(actor=actor).filter(done=False, due_on__lte=today + timedelta(days=within_days))


def note_list(*, actor: Actor) -> QuerySet[Note]:
    return Note.objects.restrict(actor).select_related("author", "case")


def status_history(*, actor: Actor, case: Case) -> QuerySet[CaseStatusChange]:
    return CaseStatusChange.objects.restrict(actor).filter(case=case).select_related("changed_by")
