"""The filing guard: a case moves to *filed* only when every required document of its checklist is
verified, and only a lawyer or a firm admin may file it. A lawyer or admin may file anyway with a
reason; the override is audited with the documents still outstanding."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.constants import DocumentStatus
from cases.models import Case, Document
from firm.errors import ApplicationError, PermissionDeniedError
from firm.scoping import Actor
from firm.services import audit_record

FILING_ROLES = frozenset({"admin", "lawyer"})


def filing_blockers(case: Case) -> QuerySet[Document]:
    """The required documents of the case that are not verified yet."""
    return case.documents.filter(required=True).exclude(status=DocumentStatus.VERIFIED)


def can_file(actor: Actor) -> bool:
    return actor.kind == "system" or (actor.kind == "staff" and actor.role in FILING_ROLES)


def filing_check(*, actor: Actor, case: Case, override_reason: str = "") -> None:
    """Raise unless `actor` may file `case` now; record an override when one is used."""
    if not can_file(actor):
        raise PermissionDeniedError("Only a lawyer or a firm admin may file a case.")
    blockers = list(filing_blockers(case).values_list("pk", "label", "kind"))
    if not blockers:
        return
    reason = override_reason.strip()
    if not reason:
        names = ", ".join(label or kind for _, label, kind in blockers[:5])
        more = f" and {len(blockers) - 5} more" if len(blockers) > 5 else ""
        raise ApplicationError(
            "Required documents are not verified.",
            fields={
                "status": f"{len(blockers)} required document(s) are not verified: {names}{more}. "
                "Verify them, or give an override reason."
            },
        )
    audit_record(
        actor=actor,
        action="file_override",
        obj=case,
        client=case.client,
        firm_id=case.firm_id,
        changes={"reason": reason[:300], "unverified_documents": [pk for pk, _, _ in blockers]},
    )
