"""Tasks: assignable to-dos with a due date, on a case or not, and each staff member's worklist."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Task
from firm.errors import ApplicationError, PermissionDeniedError
from firm.models import Membership
from firm.scoping import Actor
from firm.services import audit_record

TASK_FIELDS = frozenset({"title", "assignee", "due_on", "case"})


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDeniedError()


def _check(actor: Actor, *, assignee: Any = None, case: Case | None = None, title: str | None = None) -> None:
    if (
        assignee is not None
        and not Membership.objects.filter(user=assignee, firm_id=actor.firm_id, is_active=True).exists()
    ):
        raise ApplicationError(
            "Not a member of this firm.", fields={"assignee": "Not a staff member of this firm."}
        )
    if case is not None and case.firm_id != actor.firm_id:
        raise ApplicationError("Unknown case.", fields={"case": "No such case."})
    if title is not None and not title.strip():
        raise ApplicationError("Empty title.", fields={"title": "This field may not be blank."})


@transaction.atomic
def task_create(*, actor: Actor, title: str, assignee: Any, due_on: date, case: Case | None = None) -> Task:
    _require(actor, "case.change")
    _check(actor, assignee=assignee, case=case, title=title)
    task = Task.objects.create(
        firm_id=actor.firm_id,
        case=case,
        title=title.strip()[:200],
        assignee=assignee,
        due_on=due_on,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="create",
        obj=task,
        client=case.client if case else None,
        changes={"assignee": assignee.pk, "due_on": due_on.isoformat()},
    )
    return task


@transaction.atomic
def task_update(*, actor: Actor, task: Task, data: dict[str, Any]) -> Task:
    _require(actor, "case.change")
    unknown = set(data) - TASK_FIELDS - {"done"}
    if unknown:
        raise ApplicationError("Unknown fields.", fields=dict.fromkeys(sorted(unknown), "Not editable."))
    _check(actor, assignee=data.get("assignee"), case=data.get("case"), title=data.get("title"))
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key == "done":
            continue
        if getattr(task, key) != value:
            changes[key] = value
            setattr(task, key, value)
    if "done" in data and bool(data["done"]) != task.done:
        task.done = bool(data["done"])
        task.done_at = timezone.now() if task.done else None
        changes["done"] = task.done
    if changes:
        task.save()
        audit_record(
            actor=actor,
            action="update",
            obj=task,
            client=task.case.client if task.case else None,
            changes=changes,
        )
    return task


@transaction.atomic
def task_delete(*, actor: Actor, task: Task) -> None:
    _require(actor, "case.change")
    audit_record(actor=actor, action="delete", obj=task, changes={"title": task.title})
    task.delete()


def task_list(*, actor: Actor) -> QuerySet[Task]:
    return Task.objects.restrict(actor).select_related("assignee", "case", "case__client")


def my_tasks_due(*, actor: Actor, today: date) -> QuerySet[Task]:
    """The actor's open tasks due today or overdue (the dashboard's "my tasks today and overdue")."""
    return task_list(actor=actor).filter(assignee_id=actor.user_id, done=False, due_on__lte=today)
