"""Stored pathway assessments: one row per case, assessor pathway and stream, with history.

A row is written by `pathways.services.case_assess` from the pure assessors in `pathways.rules`. Exactly
one row per (case, pathway, stream) is current (`is_current`); a re-run writes a new row only when the
inputs or the result changed, so the older rows form the assessment history of the case.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NEEDS_INFORMATION = "needs_information", _("Needs information")


class PathwayAssessment(models.Model):
    """The result of one assessor stream for a case, with the rule versions and inputs it was made from."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="pathway_assessments")
    pathway = models.CharField(
        max_length=40, help_text="Assessor key: gts, ict, cusma_ict, cusma_professional, suv, oinp, ..."
    )
    stream = models.CharField(max_length=80, help_text="e.g. C63, T38, category_b, cec, category:stem")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    unmet_count = models.PositiveSmallIntegerField(default=0)
    unknown_count = models.PositiveSmallIntegerField(default=0)
    criteria = models.JSONField(
        default=list, help_text="[{key, label, status, reason, source, rule_version, verification}]"
    )
    checklist = models.JSONField(default=list, blank=True)
    key_dates = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    fees = models.JSONField(default=list, blank=True)
    rule_versions = models.JSONField(default=dict, blank=True, help_text="Dataset -> version used.")
    context = models.JSONField(
        default=dict, blank=True, help_text="Extra read-only context (Express Entry: CRS score, cut-offs)."
    )
    inputs = models.JSONField(default=dict, help_text="The ClientFacts and CaseFacts as given (serialised).")
    inputs_hash = models.CharField(max_length=64)
    result_hash = models.CharField(max_length=64)
    as_of = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["case", "-is_current", "pathway", "stream", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "pathway", "stream"],
                condition=Q(is_current=True),
                name="assessment_one_current_per_case_stream",
            )
        ]
        indexes = [
            models.Index(fields=["firm", "is_current", "outcome"], name="assessment_firm_outcome"),
            models.Index(fields=["client", "is_current"], name="assessment_client_current"),
            models.Index(fields=["case", "-created_at"], name="assessment_case_history"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}:{self.stream} {self.outcome} ({self.as_of})"
