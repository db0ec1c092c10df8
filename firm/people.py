"""The people of a client's file besides the client: spouse and dependent children (`FamilyMember`),
where each person lived (`ResidencePeriod`, for police certificates) and the status documents each
holds with their expiry (`StatusDocument`: work permit, study permit, visitor record, passport, PR card).

Imported by `firm.models`, so the models belong to the `firm` app. A `member` of None is the principal
applicant (the client).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from firm.identifiers import IdentifierValidator
from firm.scoping import RestrictedQuerySet


class Relationship(models.TextChoices):
    CHILD = "child", _("Dependent child")
    SPOUSE = "spouse", _("Spouse")
    COMMON_LAW = "common_law", _("Common-law partner")


class StatusDocumentKind(models.TextChoices):
    WORK_PERMIT = "work_permit", _("Work permit")
    STUDY_PERMIT = "study_permit", _("Study permit")
    VISITOR_RECORD = "visitor_record", _("Visitor record")
    PASSPORT = "passport", _("Passport")
    PR_CARD = "pr_card", _("PR card")


class FamilyMember(models.Model):
    """The client's spouse or partner, or a dependent child: a person of the client's cases."""

    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("firm.Client", on_delete=models.CASCADE, related_name="family_members")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    first_name = models.CharField(max_length=120)
    last_name = models.CharField(max_length=120)
    date_of_birth = models.DateField(null=True, blank=True)
    citizenship = CountryField(blank=True)
    accompanying = models.BooleanField(default=True, help_text="Comes to Canada with the client.")
    uci = models.CharField(
        "UCI", max_length=12, blank=True, validators=[IdentifierValidator("uci")], help_text="Sensitive."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["client", "relationship", "date_of_birth", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(relationship__in=["spouse", "common_law"]),
                name="family_one_spouse_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class ResidencePeriod(models.Model):
    """A country where a person of the file lived, from when to when (empty end: still there)."""

    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("firm.Client", on_delete=models.CASCADE, related_name="residences")
    member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.CASCADE, related_name="residences"
    )
    country = CountryField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["client", "member", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="residence_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.name} {self.start_date}–{self.end_date or '…'}"


class StatusDocument(models.Model):
    """A permit, visitor record, passport or PR card of a person of the file, with its expiry.

    `extension_applied_on` before `expires_on` means the person keeps *maintained status* after expiry
    while the extension is decided (IRPR s.183(5)); the selectors and the reminders say so.
    """

    firm = models.ForeignKey("firm.Firm", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("firm.Client", on_delete=models.CASCADE, related_name="status_documents")
    member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.CASCADE, related_name="status_documents"
    )
    kind = models.CharField(max_length=20, choices=StatusDocumentKind.choices)
    number = models.CharField(
        max_length=20, blank=True, validators=[IdentifierValidator("status_document_number")]
    )
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField()
    extension_applied_on = models.DateField(
        null=True, blank=True, help_text="When an extension or renewal was applied for."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["firm", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="status_document_expiry_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (expires {self.expires_on})"

    def state_on(self, day: date) -> str:
        """`valid`, `maintained` (expired, but an extension was applied for in time) or `expired`."""
        if self.expires_on >= day:
            return "valid"
        if self.extension_applied_on and self.extension_applied_on <= self.expires_on:
            return "maintained"
        return "expired"
