"""Writes for pathway assessments: run the assessors for a case, store the result with its history, and
turn the checklist and key dates into the case's requested documents and deadlines.

`case_assess` is what `pathways.tasks.case_assess_task` (after a case is created or its facts change) and
`client_cases_assess_task` (after a client's facts change) call, with the `SYSTEM` actor so that every
document and deadline it creates is audited as "system". The API's "run now" passes the staff actor.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.constants import OPEN_STATUSES, DocumentKind
from cases.models import Case
from cases.services import deadline_create, document_request
from firm.errors import ApplicationError, NotFoundError, PermissionDeniedError
from firm.scoping import SYSTEM, Actor
from firm.services import audit_record
from pathways.assessing import assessors_for_case, case_inputs, run_assessors
from pathways.case_facts import (
    stable_hash,
    to_jsonable,
)
from pathways.checklists import case_file_people, checklist_requests
from pathways.models import PathwayAssessment
from pathways.rules.types import Assessment
from pathways.selectors import express_entry_context

logger = logging.getLogger(__name__)

# ChecklistItem.kind (pathways/data/checklists.json) -> cases.constants.DocumentKind; anything else is
# requested as `other` with the item's label.
CHECKLIST_DOCUMENT_KINDS: dict[str, str] = {
    "passport": DocumentKind.PASSPORT,
    "passport_citizenship": DocumentKind.PASSPORT,
    "language_results": DocumentKind.LANGUAGE_TEST,
    "eca": DocumentKind.ECA,
    "credentials": DocumentKind.DIPLOMA,
    "work_reference_letters": DocumentKind.REFERENCE_LETTER,
    "experience_proof": DocumentKind.REFERENCE_LETTER,
    "twelve_months_evidence": DocumentKind.REFERENCE_LETTER,
    "current_employment_capacity": DocumentKind.REFERENCE_LETTER,
    "offer_letter": DocumentKind.JOB_OFFER,
    "offer_or_contract": DocumentKind.JOB_OFFER,
    "employment_contract": DocumentKind.JOB_OFFER,
    "employment_agreement": DocumentKind.JOB_OFFER,
    "support_letter": DocumentKind.JOB_OFFER,
    "lmia_decision_letter": DocumentKind.LMIA,
    "employer_portal_offer": DocumentKind.LMIA,
    "a_number": DocumentKind.LMIA,
    "police_certificates": DocumentKind.POLICE_CERTIFICATE,
    "medical": DocumentKind.MEDICAL,
    "proof_of_funds": DocumentKind.PROOF_OF_FUNDS,
    "nomination_certificate": DocumentKind.NOMINATION,
    "photos": DocumentKind.PHOTO,
    "marriage_certificate": DocumentKind.MARRIAGE,
    "common_law_form": DocumentKind.MARRIAGE,
    "spouse_language_results": DocumentKind.LANGUAGE_TEST,
    "relationship_proof": DocumentKind.CORPORATE,
    "business_documents": DocumentKind.CORPORATE,
    "business_licence": DocumentKind.CORPORATE,
    "cra_tax_documents": DocumentKind.CORPORATE,
    "commitment_certificate": DocumentKind.COMMITMENT,
    "business_plan": DocumentKind.BUSINESS_PLAN,
    "hr_plan": DocumentKind.BUSINESS_PLAN,
    "start_of_operations": DocumentKind.BUSINESS_PLAN,
}


def document_kind_for(checklist_kind: str) -> str:
    return str(CHECKLIST_DOCUMENT_KINDS.get(checklist_kind, DocumentKind.OTHER))


def assessment_payload(a: Assessment) -> dict[str, Any]:
    """The stored result of one assessment (everything but the date it was made)."""
    return {
        "outcome": a.outcome,
        "criteria": to_jsonable(a.criteria),
        "checklist": to_jsonable(a.checklist),
        "key_dates": to_jsonable(a.key_dates),
        "notices": list(a.notices),
        "fees": to_jsonable(a.fees),
        "rule_versions": dict(a.rule_versions),
    }


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def primary_assessments(case: Case, results: Sequence[Assessment]) -> list[Assessment]:
    """The assessments whose checklist and dates apply to the case: the streams the case names
    (`Case.stream`, e.g. "C63" or "GTS Category B"), else the best-ranked one."""
    wanted = _norm(case.stream or "")
    if wanted:
        named = [a for a in results if f"_{_norm(a.stream)}_" in f"_{wanted}_"]
        if named:
            return named
    return list(results[:1])


def _apply_to_case(*, actor: Actor, case: Case, assessments: Iterable[Assessment]) -> None:
    """Request the checklist's documents and create the key dates' deadlines (both idempotent)."""
    people, stays, jobs = case_file_people(case.client_id)
    for a in assessments:
        if a.outcome != "not_eligible":
            # One request per item and person, country or job it applies to (pathways.checklists).
            for req in checklist_requests(
                a.checklist,
                people=people,
                stays=stays,
                jobs=jobs,
                streams=(a.stream, *re.split(r"[\s,/]+", case.stream.lower())),
                today=timezone.localdate(),
            ):
                key = f"{a.pathway}:{a.stream}:{req.kind}" + (f":{req.key_suffix}" if req.key_suffix else "")
                document_request(
                    actor=actor,
                    case=case,
                    kind=document_kind_for(req.kind),
                    label=req.label,
                    checklist_key=key[:80],
                    required=True,
                    person_id=req.member_id,
                )
        for kd in a.key_dates:
            if kd.due is None:
                continue
            deadline_create(
                actor=actor,
                case=case,
                kind=kd.kind[:40],
                label=kd.label[:200],
                due_on=kd.due,
                source_rule=f"{a.pathway}:{a.stream} {kd.source}".strip()[:120],
                source_key=f"{a.pathway}:{kd.kind}"[:120],
            )


def case_assess(*, case_id: int, actor: Actor = SYSTEM, as_of: date | None = None) -> list[PathwayAssessment]:
    """Assess a case now and store the result; returns the case's current assessments.

    A stream's current row is replaced (and kept as history) only when the inputs or the result
    changed; streams the assessors no longer return stop being current. On an open case the checklist
    of the primary assessment becomes requested documents and its key dates become deadlines, neither
    duplicated on a re-run (checklist key `<pathway>:<stream>:<item kind>`, deadline key
    `<pathway>:<date kind>`).
    """
    if not actor.can("case.change"):
        raise PermissionDeniedError()
    as_of = as_of or timezone.localdate()
    case = Case.objects.restrict(actor).select_related("client").filter(pk=case_id).first()
    if case is None:
        raise NotFoundError()
    client_f, case_f = case_inputs(case, as_of=as_of)
    names = assessors_for_case(case.pathway, case_f)
    results = run_assessors(client_f, case_f, as_of, names)
    inputs = {"client": to_jsonable(client_f), "case": to_jsonable(case_f), "assessors": list(names)}
    inputs_hash = stable_hash(inputs)
    with transaction.atomic():
        # One run at a time per case: the lock serialises concurrent runs (the task and "run now").
        Case.objects.select_for_update().filter(pk=case.pk).first()
        current = {
            (r.pathway, r.stream): r for r in PathwayAssessment.objects.filter(case=case, is_current=True)
        }
        rows: list[PathwayAssessment] = []
        seen: set[tuple[str, str]] = set()
        for a in results:
            if (a.pathway, a.stream) in seen:
                continue
            seen.add((a.pathway, a.stream))
            old = current.pop((a.pathway, a.stream), None)
            payload = assessment_payload(a)
            result_hash = stable_hash(payload)
            context = express_entry_context(a, client_f) if a.pathway == "express_entry" else {}
            if old is not None and old.inputs_hash == inputs_hash and old.result_hash == result_hash:
                if old.context != context:
                    old.context = context
                    old.save(update_fields=["context"])
                rows.append(old)
                continue
            if old is not None:
                old.is_current = False
                old.save(update_fields=["is_current"])
            row = PathwayAssessment.objects.create(
                firm_id=case.firm_id,
                case=case,
                client_id=case.client_id,
                pathway=a.pathway,
                stream=a.stream,
                unmet_count=len(a.unmet),
                unknown_count=len(a.unknown),
                context=context,
                inputs=inputs,
                inputs_hash=inputs_hash,
                result_hash=result_hash,
                as_of=as_of,
                is_current=True,
                **payload,
            )
            audit_record(
                actor=actor,
                action="assess",
                obj=row,
                client=case.client,
                firm_id=case.firm_id,
                changes={
                    "outcome": a.outcome,
                    "previous": old.pk if old else None,
                    "previous_outcome": old.outcome if old else None,
                },
            )
            rows.append(row)
        for stale in current.values():
            stale.is_current = False
            stale.save(update_fields=["is_current"])
        if case.status in OPEN_STATUSES and results:
            _apply_to_case(actor=actor, case=case, assessments=primary_assessments(case, results))
    return rows


def client_cases_assess(*, client_id: int, as_of: date | None = None) -> int:
    """Re-assess every open case of a client (after a change to the client's facts). Returns how many
    cases were assessed; a case whose facts JSON is invalid is skipped and logged."""
    done = 0
    case_ids = Case.objects.filter(client_id=client_id, status__in=OPEN_STATUSES).values_list("pk", flat=True)
    for case_id in list(case_ids):
        try:
            case_assess(case_id=case_id, actor=SYSTEM, as_of=as_of)
        except ApplicationError as exc:
            logger.warning("case %s not assessed: %s %s", case_id, exc.message, exc.fields)
            continue
        done += 1
    return done
