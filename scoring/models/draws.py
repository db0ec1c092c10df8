"""Express Entry rounds (draws) and the clients each round flags (matches).

* `Draw`: one IRCC round, upserted by draw number with a content hash (IRCC edits past rounds).
  Public data: every staff member may read it (see `DrawQuerySet.restrict`).
* `DrawMatch`: a client whose current score clears a draw they are eligible for. Unique per client and
  draw; never deleted when a later edit of the round means the client no longer clears it: `withdrawn`.
The alert emails a match causes are rows of the outbox (`notifications.models.Notification`).

Services: scoring.services.draws. Design: docs/draws.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from firm.models import Client, Firm
from firm.scoping import Actor, RestrictedQuerySet
from scoring.models.scores import CRSScore


class DrawCategory(models.TextChoices):
    """Normalized round types (keys of scoring.draws.categories)."""

    GENERAL = "general", _("General")
    NO_PROGRAM = "no_program", _("No program specified")
    CEC = "cec", _("Canadian Experience Class")
    FSW = "fsw", _("Federal Skilled Worker")
    FST = "fst", _("Federal Skilled Trades")
    PNP = "pnp", _("Provincial Nominee Program")
    FRENCH = "french", _("French-language proficiency")
    HEALTHCARE = "healthcare", _("Healthcare (and social services)")
    STEM = "stem", _("STEM")
    TRADES = "trades", _("Trades")
    TRANSPORT = "transport", _("Transport")
    AGRICULTURE = "agriculture", _("Agriculture and agri-food")
    EDUCATION = "education", _("Education")
    PHYSICIANS = "physicians", _("Physicians with Canadian work experience")
    SENIOR_MANAGERS = "senior_managers", _("Senior managers with Canadian work experience")
    RESEARCHERS = "researchers", _("Researchers with Canadian work experience")
    MILITARY = "military", _("Skilled military recruits")
    UNKNOWN = "unknown", _("Unknown (needs mapping)")


class DrawQuerySet(RestrictedQuerySet):
    """Draws are public IRCC data: any staff member, API key or the system may read all of them."""

    def restrict(self, actor: Actor) -> DrawQuerySet:
        if actor.kind in ("system", "staff", "api_key") and (actor.kind == "system" or actor.firm_id):
            return self
        return self.none()


class Draw(models.Model):
    """One Express Entry round of invitations as IRCC published it (latest version seen)."""

    draw_number = models.CharField(max_length=20, unique=True, help_text='As IRCC numbers it ("91a").')
    draw_date = models.DateField(db_index=True)
    name = models.CharField(max_length=300, blank=True, help_text="drawName as IRCC wrote it.")
    category = models.CharField(max_length=40, choices=DrawCategory.choices, db_index=True)
    category_version = models.CharField(
        max_length=120,
        blank=True,
        help_text="NOC-list version (exact label of categories_noc_by_version.csv).",
    )
    category_set_manually = models.BooleanField(
        default=False, help_text="A person mapped this round (its name was unknown to the parser)."
    )
    programs = models.JSONField(default=list, blank=True, help_text="Programs covered: fsw, cec, fst, pnp.")
    invitations = models.PositiveIntegerField()
    min_crs = models.PositiveSmallIntegerField("cut-off CRS")
    run_at = models.DateTimeField(null=True, blank=True, help_text="When the round ran (UTC).")
    tie_break_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Tie-breaking rule (UTC): at the cut-off, only profiles submitted before this were invited.",
    )
    distribution = models.JSONField(
        default=dict, blank=True, help_text="Pool CRS distribution: score band -> candidates (dd1..dd18)."
    )
    distribution_as_of = models.DateField(null=True, blank=True)
    raw = models.JSONField(default=dict, help_text="The round as received from the feed.")
    content_hash = models.CharField(max_length=64)
    parse_warnings = models.JSONField(default=list, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(help_text="When IRCC's content (or our reading of it) last changed.")
    flagged_at = models.DateTimeField(null=True, blank=True, help_text="When flagging last ran.")
    flagged_basis = models.CharField(
        max_length=300, blank=True, help_text="What the last flagging ran against (category, cut-off...)."
    )
    flag_runs = models.PositiveIntegerField(default=0)

    objects = DrawQuerySet.as_manager()
    scope_firm_path = None  # public data, see DrawQuerySet.restrict
    scope_client_path = None

    class Meta:
        ordering = ["-draw_date", "-draw_number"]
        indexes = [models.Index(fields=["category", "-draw_date"], name="draw_category_date")]

    def __str__(self) -> str:
        return f"#{self.draw_number} {self.draw_date} {self.name or self.category} ({self.min_crs})"

    @property
    def flag_basis(self) -> str:
        """Everything flagging depends on; a change means the matches must be re-evaluated."""
        tie = self.tie_break_at.isoformat() if self.tie_break_at else ""
        date = self.draw_date.isoformat() if self.draw_date else ""
        return f"{self.category}|{self.category_version}|{self.min_crs}|{tie}|{date}"

    @property
    def needs_flagging(self) -> bool:
        return self.flagged_basis != self.flag_basis


class DrawMatch(models.Model):
    """A client whose current score cleared a draw they were eligible for."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn (no longer clears the edited round)")

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="matches", db_index=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="draw_matches")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+", db_index=False)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        help_text="The client's assigned (active) lawyer when flagged; empty: the firm's admins.",
    )
    crs_score = models.ForeignKey(
        CRSScore, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(help_text="The client's CRS total when flagged.")
    rule_set = models.CharField(max_length=40, blank=True)
    eligibility_basis = models.CharField(max_length=200, help_text="What made the client eligible.")
    in_pool = models.BooleanField(
        help_text="Has an Express Entry profile: should have an invitation (the 60-day deadline starts). "
        "Otherwise a prospect who would have cleared the round."
    )
    by_tie_break = models.BooleanField(
        default=False, help_text="Score equal to the cut-off, profile submitted before the tie-break time."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    flag_run = models.PositiveIntegerField(help_text="The flagging run of the draw that created it.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None  # lawyer-facing advice; the portal shows the score, not this

    class Meta:
        ordering = ["-created_at", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "client"], name="drawmatch_unique_draw_client")
        ]
        indexes = [models.Index(fields=["firm", "draw"], name="drawmatch_firm_draw")]
        verbose_name_plural = "draw matches"

    def __str__(self) -> str:
        return f"{self.client} clears #{self.draw.draw_number} ({self.score})"
