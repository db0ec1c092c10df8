"""Pages of the case lifecycle: milestones and tasks on the case page, the case's identifiers, the
dashboard's "my tasks today and overdue", and each staff member's private calendar feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import milestones as milestone_services
from cases import selectors as case_selectors
from cases import services as case_services
from cases import worklist
from cases.calendar_feed import (
    calendar_feed_active,
    calendar_feed_actor,
    calendar_feed_issue,
    calendar_feed_revoke,
    calendar_ics,
)
from cases.filing import can_file, filing_blockers
from cases.milestone_kinds import CLIENT_TEXT
from cases.models import Milestone, Task
from cases.web.lifecycle_forms import CaseIdentifiersForm, MilestoneDateForm, MilestoneForm, TaskForm
from firm import selectors as firm_selectors
from firm.errors import ApplicationError
from firm.identifiers import mask
from firm.scoping import Actor
from firm.web.common import apply_errors, get_actor, staff_page


def staff_choices(actor: Actor) -> list[tuple[int, str]]:
    return [
        (m.user_id, str(m.user))
        for m in firm_selectors.staff_list(actor=actor).filter(is_active=True).select_related("user")
    ]


def timeline(case, milestones: list[Milestone], history: Any) -> list[dict[str, Any]]:
    """Status changes and milestones of a case, oldest first."""
    items = [
        {"on": m.date, "kind": "milestone", "label": m.get_kind_display(), "obj": m} for m in milestones
    ] + [
        {"on": h.changed_at.date(), "kind": "status", "label": h.get_to_status_display(), "obj": h}
        for h in history
    ]
    return sorted(items, key=lambda i: (i["on"], i["kind"] == "status"))


def lifecycle_context(actor: Actor, case, **forms: Any) -> dict[str, Any]:
    """What the case page adds for the lifecycle (see templates/staff/_case_lifecycle.html)."""
    milestones = list(
        milestone_services.milestone_list(actor=actor, case=case).prefetch_related("derived_deadlines")
    )
    history = list(case_selectors.status_history(actor=actor, case=case))
    blockers = list(filing_blockers(case))
    return {
        "milestones": milestones,
        "timeline": timeline(case, milestones, history),
        "milestone_form": forms.get("milestone_form")
        or MilestoneForm(prefix="ms", initial={"date": timezone.localdate()}),
        "tasks": worklist.task_list(actor=actor).filter(case=case).order_by("done", "due_on"),
        "task_form": forms.get("task_form")
        or TaskForm(prefix="task", staff_choices=staff_choices(actor), initial={"assignee": actor.user_id}),
        "identifiers_form": forms.get("identifiers_form")
        or CaseIdentifiersForm(
            prefix="ids",
            initial={
                k: getattr(case, k)
                for k in (
                    "ircc_application_number",
                    "work_permit_application_number",
                    "esdc_file_number",
                    "pnp_file_number",
                )
            },
        ),
        "can_file": can_file(actor),
        "filing_blockers": blockers,
    }


def _back(case_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("case-detail", args=[case_id]) + anchor)


def _error_page(request: HttpRequest, case, **forms: Any) -> HttpResponse:
    from cases.web.cases import _case_context, _flat

    form_errors = [e for f in forms.values() for e in _flat(f)]
    return render(
        request,
        "staff/case_detail.html",
        _case_context(request, case, form_errors=form_errors, **forms),
        status=400,
    )


@staff_page
@require_POST
def milestone_create(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = MilestoneForm(request.POST, prefix="ms")
    if form.is_valid():
        d = form.cleaned_data
        try:
            milestone_services.milestone_record(
                actor=actor,
                case=case,
                kind=d["kind"],
                on=d["date"],
                due_on=d["due_on"],
                note=d["note"],
                override_reason=d["override_reason"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Milestone recorded."))
            return _back(case.pk, "#milestones")
    return _error_page(request, case, milestone_form=form)


def _milestone(actor: Actor, milestone_id: int) -> Milestone:
    m = milestone_services.milestone_list(actor=actor).filter(pk=milestone_id).first()
    if m is None:
        raise Http404
    return m


@staff_page
@require_POST
def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    actor = get_actor(request)
    milestone = _milestone(actor, milestone_id)
    form = MilestoneDateForm(request.POST)
    if form.is_valid():
        try:
            milestone_services.milestone_update(
                actor=actor,
                milestone=milestone,
                on=form.cleaned_data["date"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as exc:
            messages.error(request, "; ".join(str(v) for v in exc.fields.values()) or exc.message)
        else:
            messages.success(request, _("Milestone corrected; its deadlines moved with it."))
    else:
        messages.error(request, _("Enter a valid date."))
    return _back(milestone.case_id, "#milestones")


@staff_page
@require_POST
def milestone_remove(request: HttpRequest, milestone_id: int) -> HttpResponse:
    actor = get_actor(request)
    milestone = _milestone(actor, milestone_id)
    case_id = milestone.case_id
    milestone_services.milestone_delete(actor=actor, milestone=milestone)
    messages.success(request, _("Milestone deleted."))
    return _back(case_id, "#milestones")


@staff_page
@require_POST
def case_identifiers(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = CaseIdentifiersForm(request.POST, prefix="ids")
    if form.is_valid():
        data = {k: v.strip().upper().replace(" ", "") for k, v in form.cleaned_data.items()}
        try:
            case_services.case_update(actor=actor, case=case, data=data)
        except (ApplicationError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Identifiers saved."))
            return _back(case.pk, "#identifiers")
    return _error_page(request, case, identifiers_form=form)


@staff_page
@require_POST
def task_create(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = TaskForm(request.POST, prefix="task", staff_choices=staff_choices(actor))
    if form.is_valid():
        from firm.models import User

        try:
            worklist.task_create(
                actor=actor,
                case=case,
                title=form.cleaned_data["title"],
                assignee=User.objects.get(pk=form.cleaned_data["assignee"]),
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return _back(case.pk, "#tasks")
    return _error_page(request, case, task_form=form)


@staff_page
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = get_actor(request)
    task = worklist.task_list(actor=actor).filter(pk=task_id).first()
    if task is None:
        raise Http404
    worklist.task_update(actor=actor, task=task, data={"done": request.POST.get("done", "1") == "1"})
    target = request.POST.get("next") or ""
    if task.case_id and target != "home":
        return _back(task.case_id, "#tasks")
    return redirect("home")


def my_tasks(actor: Actor) -> list[Task]:
    """The dashboard's "my tasks today and overdue"."""
    return list(worklist.my_tasks_due(actor=actor, today=timezone.localdate())[:30])


@staff_page
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Issue (or re-issue) and revoke the staff member's private calendar feed URL."""
    actor = get_actor(request)
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(actor=actor)
            messages.success(request, _("Calendar link revoked: calendars using it stop updating."))
            return redirect("calendar-settings")
        token = calendar_feed_issue(actor=actor)
        feed_url = f"{settings.SITE_URL.rstrip('/')}{reverse('calendar-feed', args=[token])}"
        messages.success(request, _("New private calendar link created. Copy it now: it is shown only once."))
    return render(
        request,
        "staff/calendar.html",
        {"feed_url": feed_url, "active": calendar_feed_active(actor=actor)},
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login (calendar apps cannot log in); the unguessable token is the key."""
    actor = calendar_feed_actor(token)
    if actor is None:
        raise Http404
    response = HttpResponse(calendar_ics(actor=actor), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def masked(value: str) -> str:
    return mask(value)


def portal_milestones(actor: Actor, case) -> list[dict[str, Any]]:
    """The client's view of a case's milestones, in plain words."""
    return [
        {"date": m.date, "text": CLIENT_TEXT.get(m.kind, m.get_kind_display())}
        for m in milestone_services.milestone_list(actor=actor, case=case)
    ]
