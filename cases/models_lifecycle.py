"""What happens to a case over its life: milestones (IRCC events with their dates), the staff's tasks,
and the private calendar feeds that carry deadlines and tasks to Outlook or Google Calendar.

Imported by `cases.models`, so the models belong to the `cases` app.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from cases.milestone_kinds import MilestoneKind
from firm.scoping import RestrictedQuerySet


class Milestone(models.Model):
    """An event of the file on a date (ITA received, biometrics instruction, COPR issued...).

    Recording one may derive deadlines (cases/data/milestones.json), close deadlines it answers and move
    the case's status; correcting its date moves the deadlines it derived.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=40, choices=MilestoneKind.choices)
    date = models.DateField()
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date the letter gives, when it gives one (overrides the default).",
    )
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "case__firm"
    scope_client_path = "case__client"

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Task(models.Model):
    """A to-do of the firm, assigned to a staff member with a due date, optionally on a case."""

    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="tasks")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None  # staff work: never shown in the portal

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assignee", "done", "due_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"


class CalendarFeed(models.Model):
    """A staff member's private iCalendar feed. Only the token's SHA-256 is stored; revoking sets
    `revoked_at` and a new token gives a new URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id} ({'revoked' if self.revoked_at else 'active'})"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
