"""The assessment contract behind ``python manage.py assess`` (checked from outside the code).

One input line -> one output dict, with the same validation and the same facts pipeline as the API:

1. the ``client`` part is validated by the intake serializer (``cases.intake.IntakeSerializer``, the
   ``POST /api/v1/intake/`` payload) and the ``case.facts`` part by ``pathways.case_facts.case_facts_parse``
   (the ``PATCH /api/v1/cases/{id}/`` rule); ``pathway`` must be a ``Case.pathway`` value;
2. inside a transaction that is always rolled back, a scratch firm is created and ``intake_submit`` stores
   the client, their facts and the case exactly as the intake endpoint does; the CRS score is computed by
   ``scoring.services.scores.client_recompute`` (PNP streams read it) and the case's assessors run through
   ``pathways.services`` (``assessors_for_case``, ``case_inputs``' mapping, ``run_assessors``);
3. nothing is committed (sequences may advance; no row stays), no task is enqueued (``on_commit`` hooks of
   a rolled-back transaction never run), so it works on an empty migrated database.

Output keys follow ``GET /api/v1/cases/{id}/assessments/``: ``pathway`` and ``stream`` are the assessor
keys (``gts``, ``ict``, ``suv``, ``bcpnp``, ``express_entry``...), best-ranked first.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import date
from typing import Any

from django.db import transaction
from rest_framework.exceptions import ErrorDetail

from cases.constants import Pathway
from firm.errors import ApplicationError
from firm.facts.pathways import client_facts as snapshot_client_facts
from firm.facts.snapshot import snapshot_of
from firm.models import Client, Firm
from firm.scoping import Actor
from pathways.case_facts import CaseFactsError, case_facts_parse, client_with_supplement
from pathways.rules.types import Assessment

logger = logging.getLogger(__name__)
TOP_KEYS = frozenset({"id", "as_of", "pathway", "client", "case"})


class _Rollback(Exception):
    """Raised inside the scratch transaction so that nothing it wrote is kept."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("rollback")
        self.result = result


def flatten_errors(detail: Any, prefix: str) -> dict[str, str]:
    """DRF's nested error structure -> ``{"client.language_tests[0].test": "message"}``."""
    out: dict[str, str] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = prefix if key == "non_field_errors" else f"{prefix}.{key}"
            out.update(flatten_errors(value, path))
    elif isinstance(detail, list):
        if detail and all(isinstance(d, (str, ErrorDetail)) for d in detail):
            out[prefix] = " ".join(str(d) for d in detail)
        else:
            for i, item in enumerate(detail):
                if item:
                    out.update(flatten_errors(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = str(detail)
    return out


def _top_level_errors(data: Any) -> tuple[dict[str, str], date | None]:
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        return {"": "Each line must be a JSON object."}, None
    for key in sorted(set(data) - TOP_KEYS):
        errors[key] = "Unknown field."
    if not isinstance(data.get("id"), (str, int)) or isinstance(data.get("id"), bool):
        errors["id"] = "Required: a string."
    as_of: date | None = None
    raw = data.get("as_of")
    try:
        as_of = date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        as_of = None
    if as_of is None:
        errors["as_of"] = "Required: a date (YYYY-MM-DD)."
    if data.get("pathway") not in Pathway.values:
        errors["pathway"] = f"Must be one of: {', '.join(Pathway.values)}."
    if not isinstance(data.get("client"), dict):
        errors["client"] = "Required: the client part of the intake payload."
    case = data.get("case", {})
    if not isinstance(case, dict) or set(case) - {"facts"}:
        errors["case"] = 'Must be an object with only "facts".'
    elif not isinstance(case.get("facts", {}), dict):
        errors["case.facts"] = "Must be an object."
    return errors, as_of


def assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "pathway": a.pathway,
        "stream": a.stream,
        "outcome": a.outcome,
        "criteria": [{"key": c.key, "status": c.status, "reason": c.reason} for c in a.criteria],
        "key_dates": [
            {"kind": k.kind, "date": k.due.isoformat() if k.due else None, "basis": k.basis}
            for k in a.key_dates
        ],
        "rule_versions": dict(a.rule_versions),
    }


def assess_payload(data: Any) -> dict[str, Any]:
    """One contract input (already parsed JSON) -> its output dict (``assessments`` or ``error``)."""
    from cases.intake import IntakeSerializer

    ident = data.get("id") if isinstance(data, dict) else None
    errors, as_of = _top_level_errors(data)
    if not isinstance(data, dict):
        return {"id": None, "error": errors}
    intake = None
    if isinstance(data.get("client"), dict):
        pathway = data.get("pathway") if data.get("pathway") in Pathway.values else Pathway.OTHER
        intake = IntakeSerializer(data={**data["client"], "pathway": pathway})
        if not intake.is_valid():
            errors.update(flatten_errors(intake.errors, "client"))
    case = data.get("case", {})
    facts = case.get("facts", {}) if isinstance(case, dict) else None
    if isinstance(facts, dict):
        try:
            case_f, supplement = case_facts_parse(facts, prefix="case.facts")
        except CaseFactsError as exc:
            errors.update(exc.errors)
    if errors or intake is None:
        return {"id": ident, "error": errors}
    assert as_of is not None
    try:
        with transaction.atomic():
            result = _run_in_scratch(intake.validated_data, data["pathway"], case_f, supplement, as_of)
            raise _Rollback(result)
    except _Rollback as done:
        return {"id": ident, **done.result}
    except ApplicationError as exc:
        return {"id": ident, "error": dict(exc.fields or {"": str(exc)})}


def _run_in_scratch(
    validated: dict[str, Any], pathway: str, case_f: Any, supplement: dict[str, Any], as_of: date
) -> dict[str, Any]:
    from cases.intake import intake_submit
    from pathways.assessing import assessors_for_case, run_assessors
    from scoring.services.scores import client_recompute

    firm = Firm.objects.create(name="assess (scratch)", slug=f"assess-{uuid.uuid4().hex[:20]}")
    actor = Actor(kind="system", firm_id=firm.pk, label="manage.py assess")
    client_id, _case_id, _body = intake_submit(actor=actor, data=validated)
    score = client_recompute(client_id=client_id, as_of=as_of)
    client = Client.objects.get(pk=client_id)
    facts = snapshot_client_facts(snapshot_of(client), as_of=as_of, crs_score=score.total if score else None)
    facts = client_with_supplement(facts, supplement)
    names = assessors_for_case(pathway, case_f)
    assessments = run_assessors(facts, case_f, as_of, names)
    return {"assessments": [assessment_json(a) for a in assessments]}


def assess_line(line: str) -> dict[str, Any]:
    """One input line -> its output dict; never raises on bad input (an unexpected failure is logged and
    answered as an error line, so the run goes on and keeps one output line per input line)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": {"": f"Not valid JSON: {exc.msg} (column {exc.colno})."}}
    try:
        return assess_payload(data)
    except (OverflowError, ValueError) as exc:
        logger.warning("assess: line could not be assessed: %s", exc)
        return {
            "id": data.get("id") if isinstance(data, dict) else None,
            "error": {"": f"Out of range: {exc}"},
        }
