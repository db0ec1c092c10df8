"""Milestones: record, correct and delete the events of a case, and what they derive.

The rules are data (cases/data/milestones.json, dated, each deadline with its source): a milestone may
derive deadlines (ITA -> submit within 60 days), close the deadlines it answers (biometrics given closes
the biometrics deadline) and move the case's status (an ITA moves an Express Entry case to collecting
documents; a refusal refuses it). Correcting a milestone's date moves the deadlines it derived.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from cases.constants import CASE_TRANSITIONS, CaseStatus
from cases.milestone_kinds import MilestoneKind
from cases.models import Case, Deadline, Milestone
from firm.errors import ApplicationError, PermissionDeniedError
from firm.scoping import Actor
from firm.services import audit_record

DATA = Path(__file__).resolve().parent / "data" / "milestones.json"
# The deadline labels of the data above, for the French catalogue (pages translate them when shown).
DATA_LABELS = [
    gettext_noop("Submit the complete permanent residence application (60 days after the ITA)"),
    gettext_noop("Give biometrics (30 days after the instruction letter)"),
    gettext_noop("Take the medical exam (30 days after the instructions)"),
    gettext_noop("Answer the procedural fairness letter"),
    gettext_noop("Send the documents IRCC asked for"),
    gettext_noop("Send the passport as the passport request asks"),
    gettext_noop("Land before the COPR expires"),
    gettext_noop("Apply for permanent residence by the date the nomination gives"),
]

# Forward order of the workflow: a milestone only ever moves a case forward.
STATUS_RANK = {
    CaseStatus.INTAKE: 0,
    CaseStatus.ASSESSMENT: 1,
    CaseStatus.DOCUMENTS: 2,
    CaseStatus.READY_TO_FILE: 3,
    CaseStatus.FILED: 4,
    CaseStatus.DECISION_PENDING: 5,
    CaseStatus.APPROVED: 6,
    CaseStatus.REFUSED: 6,
    CaseStatus.WITHDRAWN: 6,
    CaseStatus.CLOSED: 7,
}


@cache
def milestone_rules(as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """The rule version in force on `as_of` (the latest whose `effective_from` is not after it)."""
    versions = json.loads(DATA.read_text())["versions"]
    day = (as_of or date.max).isoformat()
    usable = [v for v in versions if (v.get("effective_from") or "0000") <= day] or versions[:1]
    rules = dict(usable[-1]["facts"])
    rules["_version"] = usable[-1]["version"]  # type: ignore[assignment]
    return rules


def rule_version() -> str:
    return str(milestone_rules()["_version"])


def closing_kinds() -> dict[str, set[str]]:
    """deadline kind -> the milestone kinds that close it."""
    out: dict[str, set[str]] = {}
    for kind, rule in milestone_rules().items():
        if kind.startswith("_"):
            continue
        for d in rule["deadlines"]:
            out.setdefault(d["kind"], set()).update(d.get("closed_by", ()))
    return out


def derived_due(rule: dict[str, Any], milestone: Milestone) -> date | None:
    """The due date a deadline rule gives for a milestone: the letter's date when it has one and the rule
    takes it, else the milestone's date plus the rule's days, else none."""
    if rule.get("from_letter") and milestone.due_on:
        return milestone.due_on
    if rule.get("days") is None:
        return None
    return milestone.date + timedelta(days=int(rule["days"]))


def status_path(current: str, target: str) -> list[str]:
    """The shortest run of allowed transitions from `current` to `target` that only moves forward (or
    [] when the case is already there, past it, or cannot get there)."""
    if current == target or STATUS_RANK[current] >= STATUS_RANK[target]:
        return []
    queue: deque[tuple[str, list[str]]] = deque([(current, [])])
    seen = {current}
    while queue:
        status, path = queue.popleft()
        for nxt in sorted(CASE_TRANSITIONS[status]):
            if nxt in seen or STATUS_RANK[nxt] <= STATUS_RANK[status]:
                continue
            if nxt == target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return []


def _sync_derived(*, milestone: Milestone) -> list[Deadline]:
    """Create or move the deadlines a milestone derives (a done deadline keeps its date)."""
    rule = milestone_rules(milestone.date).get(milestone.kind) or milestone_rules().get(milestone.kind)
    made: list[Deadline] = []
    for d in (rule or {}).get("deadlines", []):
        due = derived_due(d, milestone)
        key = f"milestone:{milestone.pk}:{d['kind']}"
        existing = Deadline.objects.filter(case_id=milestone.case_id, source_key=key).first()
        if due is None:
            if existing is not None and not existing.done:
                existing.delete()
            continue
        if existing is None:
            existing = Deadline.objects.create(
                case_id=milestone.case_id,
                kind=d["kind"],
                label=d["label"][:200],
                due_on=due,
                milestone=milestone,
                source_key=key,
                source_rule=f"{rule_version()} {d['source']}"[:120],
            )
        elif not existing.done and existing.due_on != due:
            existing.due_on = due
            existing.save(update_fields=["due_on"])
        made.append(existing)
    return made


def _close_answered(*, milestone: Milestone) -> int:
    """Close the case's open deadlines that this milestone answers."""
    kinds = [k for k, closers in closing_kinds().items() if milestone.kind in closers]
    if not kinds:
        return 0
    return Deadline.objects.filter(case_id=milestone.case_id, done=False, kind__in=kinds).update(
        done=True, done_at=timezone.now(), closed_by=milestone
    )


def _move_status(*, actor: Actor, case: Case, milestone: Milestone, override_reason: str) -> None:
    from cases.services import case_transition

    rule = milestone_rules().get(milestone.kind) or {}
    targets = rule.get("status") or []
    targets = [targets] if isinstance(targets, str) else targets
    if not targets or (rule.get("pathways") and case.pathway not in rule["pathways"]):
        return
    path: list[str] = []
    current = case.status
    for target in targets:
        step = status_path(current, target)
        path += step
        current = step[-1] if step else current
    reason = f"Milestone: {milestone.get_kind_display()} ({milestone.date.isoformat()})"
    for i, status in enumerate(path):
        case = case_transition(
            actor=actor,
            case=case,
            to_status=status,
            reason=reason,
            override_reason=override_reason,
            notify=i == len(path) - 1,
        )


def _validate(kind: str, on: date, due_on: date | None, case: Case) -> None:
    if kind not in MilestoneKind.values:
        raise ApplicationError("Unknown milestone.", fields={"kind": f"Unknown milestone kind {kind!r}."})
    today = timezone.localdate()
    if on > today + timedelta(days=1):
        raise ApplicationError("Date in the future.", fields={"date": "A milestone cannot be in the future."})
    if on < date(1990, 1, 1):
        raise ApplicationError("Date too old.", fields={"date": "Enter a date after 1990."})
    if due_on is not None and due_on < on:
        raise ApplicationError(
            "Due before the event.", fields={"due_on": "The due date is before the milestone."}
        )


@transaction.atomic
def milestone_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    on: date,
    note: str = "",
    due_on: date | None = None,
    override_reason: str = "",
) -> Milestone:
    """Record a milestone: derive its deadlines, close what it answers, move the case's status."""
    if not actor.can("case.change"):
        raise PermissionDeniedError()
    _validate(kind, on, due_on, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    milestone = Milestone.objects.create(
        case=case, kind=kind, date=on, due_on=due_on, note=note.strip()[:500], created_by_id=actor.user_id
    )
    audit_record(
        actor=actor,
        action="milestone",
        obj=milestone,
        client=case.client,
        firm_id=case.firm_id,
        changes={"kind": kind, "date": on.isoformat(), "due_on": due_on.isoformat() if due_on else None},
    )
    _sync_derived(milestone=milestone)
    _close_answered(milestone=milestone)
    _move_status(actor=actor, case=case, milestone=milestone, override_reason=override_reason)
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: Actor,
    milestone: Milestone,
    on: date | None = None,
    due_on: date | None = None,
    note: str | None = None,
) -> Milestone:
    """Correct a milestone's date, the letter's date or the note; derived deadlines move with it."""
    if not actor.can("case.change"):
        raise PermissionDeniedError()
    new_on = on or milestone.date
    new_due = due_on if due_on is not None else milestone.due_on
    _validate(milestone.kind, new_on, new_due, milestone.case)
    changes = {"date": [milestone.date.isoformat(), new_on.isoformat()]}
    milestone.date, milestone.due_on = new_on, new_due
    if note is not None:
        milestone.note = note.strip()[:500]
    milestone.save(update_fields=["date", "due_on", "note"])
    audit_record(actor=actor, action="update", obj=milestone, client=milestone.case.client, changes=changes)
    _sync_derived(milestone=milestone)
    return milestone


@transaction.atomic
def milestone_delete(*, actor: Actor, milestone: Milestone) -> None:
    """Delete a milestone (entered by mistake): its derived deadlines go, the ones it closed reopen.
    A status it moved stays (move it back with a transition if needed)."""
    if not actor.can("case.change"):
        raise PermissionDeniedError()
    milestone.closed_deadlines.update(done=False, done_at=None, closed_by=None)
    audit_record(
        actor=actor,
        action="delete",
        obj=milestone,
        client=milestone.case.client,
        changes={"kind": milestone.kind, "date": milestone.date.isoformat()},
    )
    milestone.delete()


def milestone_list(*, actor: Actor, case: Case | None = None) -> QuerySet[Milestone]:
    qs = Milestone.objects.restrict(actor).select_related("case")
    return qs.filter(case=case) if case is not None else qs
