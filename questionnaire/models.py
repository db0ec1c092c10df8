"""The client's questionnaire: a draft of their own facts, submitted for the lawyer's review.

* `Questionnaire` holds the draft (`data`, one JSON object per section), what the stored facts were when
  the draft was opened (`base`, to see a staff edit made meanwhile as a conflict) and its state.
* `ProposedChange` is one difference between the submitted draft and the stored facts (a client field,
  or a row added, changed or removed). Staff accept or reject each; only accepted ones are applied, by
  the existing services of `firm`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firm.scoping import RestrictedQuerySet


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    RETURNED = "returned", _("Sent back with questions")
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    REVIEWED = "reviewed", _("Reviewed")


OPEN_STATUSES = (QuestionnaireStatus.DRAFT, QuestionnaireStatus.RETURNED)


class Questionnaire(models.Model):
    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("firm.Client", on_delete=models.CASCADE, related_name="questionnaires")
    status = models.CharField(max_length=12, choices=QuestionnaireStatus.choices, default="draft")
    data = models.JSONField(default=dict, blank=True)
    base = models.JSONField(default=dict, blank=True)
    sections_saved = models.JSONField(default=list, blank=True)
    questions = models.JSONField(default=list, blank=True)  # [{"path", "text", "asked_at"}]
    version = models.PositiveIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=~Q(status="reviewed"), name="one_open_questionnaire_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"Questionnaire {self.pk} ({self.status})"

    @property
    def editable(self) -> bool:
        return self.status in OPEN_STATUSES


class ChangeOp(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class ProposedChange(models.Model):
    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("firm.Client", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="changes")
    section = models.CharField(max_length=20)
    table = models.CharField(max_length=20, blank=True)  # "" = a field of the client
    field = models.CharField(max_length=40, blank=True)  # the client field (table "")
    target_id = models.BigIntegerField(null=True, blank=True)  # the stored row (changed / removed)
    op = models.CharField(max_length=8, choices=ChangeOp.choices)
    before = models.JSONField(null=True, blank=True)  # stored when submitted
    after = models.JSONField(null=True, blank=True)  # proposed
    seen = models.JSONField(null=True, blank=True)  # stored when the client opened the draft
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default="pending")
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_id = models.BigIntegerField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["questionnaire", "pk"]

    def __str__(self) -> str:
        return f"{self.op} {self.table or self.field}"
