"""Cases (matters), their documents, deadlines, notes and status history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.constants import CaseStatus, DocumentKind, DocumentStatus, Pathway
from cases.storage import PrivateStorage
from firm.identifiers import IdentifierValidator
from firm.models import Client, Firm
from firm.scoping import RestrictedQuerySet
from firm.validators import NOTE_MAX_LENGTH, note_length, validate_json_value, validate_plausible_date

private_storage = PrivateStorage()  # the `private` entry of settings.STORAGES (cases.storage)


def document_upload_to(instance: Document, filename: str) -> str:
    # The stored name is generated; the original name is metadata only.
    return f"firm-{instance.firm_id}/case-{instance.case_id}/{instance.stored_name or uuid.uuid4().hex}"


class Case(models.Model):
    """A matter: one client on one pathway, moving through the status workflow."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="cases")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="cases")
    pathway = models.CharField(max_length=30, choices=Pathway.choices)
    stream = models.CharField(max_length=60, blank=True, help_text="e.g. CEC, GTS Category B, OINP HCP")
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    assigned_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # Sensitive identifiers (firm.identifiers): masked in lists and audit rows, never logged.
    ircc_application_number = models.CharField(
        "IRCC application number (permanent residence)",
        max_length=40,
        blank=True,
        validators=[IdentifierValidator("ircc_application_number")],
    )
    work_permit_application_number = models.CharField(
        "IRCC application number (work permit)",
        max_length=20,
        blank=True,
        validators=[IdentifierValidator("work_permit_application_number")],
    )
    esdc_file_number = models.CharField(
        "ESDC/LMIA file number",
        max_length=40,
        blank=True,
        validators=[IdentifierValidator("esdc_file_number")],
    )
    pnp_file_number = models.CharField(
        "PNP file number", max_length=30, blank=True, validators=[IdentifierValidator("pnp_file_number")]
    )
    facts = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_json_value],
        help_text="The case's own facts for pathway rules (offer, employer, wage...).",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "client"

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            # The default list order within a firm: the API's first page reads 50 index entries instead of
            # sorting every case of the firm (22 ms -> under 1 ms for 10,000 cases).
            models.Index(fields=["firm", "-opened_at", "-id"]),
            models.Index(fields=["firm", "status"]),
            models.Index(fields=["firm", "pathway"]),
            models.Index(fields=["firm", "assigned_lawyer"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_pathway_display()} — {self.client}"


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "case__firm"
    scope_client_path = "case__client"

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class Document(models.Model):
    """A document on a case: requested first (checklist), then uploaded, then verified or rejected."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="documents")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    label = models.CharField(max_length=200, blank=True)
    checklist_key = models.CharField(
        max_length=80,
        blank=True,
        help_text="Set when an assessment's checklist requested it (prevents duplicates).",
    )
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.REQUESTED)
    file = models.FileField(storage=private_storage, upload_to=document_upload_to, blank=True, max_length=300)
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    expires_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    requested_at = models.DateTimeField(auto_now_add=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(
        "firm.FamilyMember",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        help_text="Whose document it is; empty: the principal applicant.",
    )
    required = models.BooleanField(default=False, help_text="Required by the checklist before filing.")

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "case__client"

    class Meta:
        ordering = ["case", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "checklist_key"],
                condition=~Q(checklist_key=""),
                name="document_unique_checklist_key",
            )
        ]
        indexes = [models.Index(fields=["firm", "status"]), models.Index(fields=["firm", "expires_on"])]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    due_on = models.DateField(validators=[validate_plausible_date])
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    source_rule = models.CharField(max_length=120, blank=True, help_text="The rule that produced it, if any.")
    source_key = models.CharField(max_length=120, blank=True, help_text="Dedupe key for rule-made deadlines.")
    milestone = models.ForeignKey(
        "cases.Milestone",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="derived_deadlines",
        help_text="The milestone it was derived from (its date moves with the milestone's).",
    )
    closed_by = models.ForeignKey(
        "cases.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_deadlines"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "case__firm"
    scope_client_path = "case__client"

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source_key"], condition=~Q(source_key=""), name="deadline_unique_source_key"
            )
        ]
        indexes = [models.Index(fields=["due_on", "done"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_on})"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=NOTE_MAX_LENGTH, validators=[note_length])
    visible_to_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "case__firm"
    scope_client_path = "case__client"
    client_visibility = staticmethod(lambda: Q(visible_to_client=True))

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


# Milestones, tasks and calendar feeds live in cases.models_lifecycle.
from cases.models_lifecycle import CalendarFeed, Milestone, Task  # noqa: E402, F401
