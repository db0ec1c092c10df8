"""The stored ITA outlook per client (one row, replaced on every recompute).

Written in bulk by scoring.services.outlook.outlooks_recompute (Celery after each new round and each
score change); read by the client page, the dashboard, the portal and the API. Engine: scoring.outlook.
"""

from __future__ import annotations

from django.db import models

from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet


class ClientOutlook(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="outlook")
    as_of = models.DateField(help_text="Rounds dated on or before this day were used.")
    score = models.PositiveSmallIntegerField(help_text="The CRS total the outlook was computed for.")
    eligible_for = models.JSONField(default=list, help_text="Round-kind keys the client is eligible for.")
    kinds = models.JSONField(default=list, help_text="Kinds of rounds open to the client.")
    p_90 = models.FloatField()
    p_180 = models.FloatField()
    p_365 = models.FloatField()
    by_kind = models.JSONField(default=dict, help_text="kind -> [p_90, p_180, p_365] for that kind alone.")
    candidates_above = models.PositiveIntegerField(null=True, blank=True)
    pool_size = models.PositiveIntegerField(null=True, blank=True)
    pool_percentile = models.FloatField(null=True, blank=True)
    distribution_as_of = models.DateField(null=True, blank=True)
    candidates_above_before = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Candidates above the same score in the distribution ~90 days earlier.",
    )
    previous_distribution_as_of = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["-p_90", "client"]
        indexes = [models.Index(fields=["firm", "-p_90"], name="outlook_firm_p90")]

    def __str__(self) -> str:
        return f"{self.client}: {self.p_90:.0%} within 90 days"
