"""Case workflow, pathway codes and document kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pathway(models.TextChoices):
    EXPRESS_ENTRY = "express_entry", _("Express Entry")
    GTS = "gts", _("Global Talent Stream")
    ICT = "ict", _("Intra-company transfer")
    CUSMA_ICT = "cusma_ict", _("CUSMA intra-company transferee")
    CUSMA_PROFESSIONAL = "cusma_professional", _("CUSMA professional")
    START_UP_VISA = "start_up_visa", _("Start-Up Visa")
    PNP = "pnp", _("Provincial Nominee Program")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    DOCUMENTS = "documents", _("Collecting documents")
    READY_TO_FILE = "ready_to_file", _("Ready to file")
    FILED = "filed", _("Filed")
    DECISION_PENDING = "decision_pending", _("Decision pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


S = CaseStatus
# Allowed transitions. Withdrawal is possible from any open state; closing from any final state.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.INTAKE: frozenset({S.ASSESSMENT, S.WITHDRAWN, S.CLOSED}),
    S.ASSESSMENT: frozenset({S.DOCUMENTS, S.INTAKE, S.WITHDRAWN, S.CLOSED}),
    S.DOCUMENTS: frozenset({S.READY_TO_FILE, S.ASSESSMENT, S.WITHDRAWN}),
    S.READY_TO_FILE: frozenset({S.FILED, S.DOCUMENTS, S.WITHDRAWN}),
    S.FILED: frozenset({S.DECISION_PENDING, S.APPROVED, S.REFUSED, S.WITHDRAWN}),
    S.DECISION_PENDING: frozenset({S.APPROVED, S.REFUSED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.CLOSED}),
    S.REFUSED: frozenset({S.CLOSED}),
    S.WITHDRAWN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset({S.INTAKE, S.ASSESSMENT, S.DOCUMENTS, S.READY_TO_FILE, S.FILED, S.DECISION_PENDING})

# What the client is told happens next, per status (portal, case-status emails). Lazy: rendered in the
# reader's language; the status email stores the English text and translates it when it is sent.
NEXT_STEP = {
    S.INTAKE: _("Your lawyer is reviewing your information."),
    S.ASSESSMENT: _("Your lawyer is assessing which programs fit you."),
    S.DOCUMENTS: _("Please upload the documents in your checklist."),
    S.READY_TO_FILE: _("Your application is being finalised for filing."),
    S.FILED: _("Your application has been filed; we are waiting for the government."),
    S.DECISION_PENDING: _("A decision is expected; we will tell you as soon as it arrives."),
    S.APPROVED: _("Approved. Your lawyer will explain the next steps."),
    S.REFUSED: _("Refused. Your lawyer will discuss your options."),
    S.WITHDRAWN: _("This file was withdrawn."),
    S.CLOSED: _("This file is closed."),
}


# Deadline kinds that are the firm's own tasks: never shown to the client (portal, reminders).
INTERNAL_DEADLINE_KINDS = frozenset({"follow_up"})


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCANNING = "scanning", _("Being scanned for viruses")
    UPLOADED = "uploaded", _("Uploaded")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    QUARANTINED = "quarantined", _("Quarantined (virus found)")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    LANGUAGE_TEST = "language_test", _("Language test results")
    ECA = "eca", _("Educational credential assessment")
    DIPLOMA = "diploma", _("Diploma or transcript")
    REFERENCE_LETTER = "reference_letter", _("Employment reference letter")
    JOB_OFFER = "job_offer", _("Job offer letter")
    LMIA = "lmia", _("LMIA or LMIA-exempt offer")
    POLICE_CERTIFICATE = "police_certificate", _("Police certificate")
    MEDICAL = "medical", _("Medical exam")
    PROOF_OF_FUNDS = "proof_of_funds", _("Proof of funds")
    NOMINATION = "nomination", _("Provincial nomination certificate")
    MARRIAGE = "marriage", _("Marriage or common-law proof")
    PHOTO = "photo", _("Photo")
    CORPORATE = "corporate", _("Corporate relationship evidence")
    COMMITMENT = "commitment", _("Commitment certificate / letter of support")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    OTHER = "other", _("Other")
