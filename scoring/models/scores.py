"""Stored CRS scores (with history) and stored program / category eligibility per client.

Scores are derived, never typed: `scoring.services.scores.client_recompute` writes them from the
client's facts as of a date. Exactly one row per client is current (`is_current`); a new row is
written only when the inputs or the result changed, so the rows form the score history.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet


class CRSScore(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="crs_scores")
    total = models.PositiveSmallIntegerField()
    core = models.PositiveSmallIntegerField()
    spouse = models.PositiveSmallIntegerField()
    transferability = models.PositiveSmallIntegerField()
    additional = models.PositiveSmallIntegerField()
    breakdown = models.JSONField(default=dict)
    profile = models.JSONField(default=dict, help_text="The calculator input the score was computed from.")
    rule_set = models.CharField(max_length=40)
    inputs_hash = models.CharField(max_length=64)
    as_of = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)
    next_change_on = models.DateField(
        null=True,
        blank=True,
        help_text="The next date on which the score changes by itself (birthday, anniversary, expiry).",
    )
    is_current = models.BooleanField(default=True)
    eligibility_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Fingerprint of the client's stored Eligibility rows at the last evaluation (skips rewriting them).",
    )

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_current=True), name="crsscore_one_current_per_client"
            )
        ]
        indexes = [
            models.Index(fields=["is_current", "total"], name="crsscore_current_total"),
            models.Index(fields=["is_current", "next_change_on"], name="crsscore_current_next"),
            models.Index(fields=["client", "-computed_at"], name="crsscore_client_history"),
        ]
        verbose_name = "CRS score"

    def __str__(self) -> str:
        return f"{self.client} CRS {self.total} ({self.as_of})"

    @property
    def sections(self) -> dict[str, int]:
        return {
            "core": self.core,
            "spouse": self.spouse,
            "transferability": self.transferability,
            "additional": self.additional,
        }


class Eligibility(models.Model):
    """A client's current eligibility for one program (fsw, cec, fst) or one category version.

    Replaced on every recompute (one row per client, program and version). Flagging joins on it.
    """

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        NEEDS_INFORMATION = "needs_information", _("Needs information")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="eligibilities")
    program = models.CharField(
        max_length=40, help_text="fsw, cec, fst, or a category key such as stem, french"
    )
    version = models.CharField(
        max_length=40, blank=True, help_text="Category version label; blank for programs."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    criteria = models.JSONField(default=list)
    detail = models.JSONField(default=dict, blank=True, help_text="e.g. the FSW 67-point grid breakdown")
    as_of = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["client", "program", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "program", "version"], name="eligibility_unique_program_version"
            )
        ]
        indexes = [models.Index(fields=["program", "version", "outcome"], name="eligibility_lookup")]
        verbose_name_plural = "eligibility"

    def __str__(self) -> str:
        label = f"{self.program} {self.version}".strip()
        return f"{self.client}: {label} {self.outcome}"
