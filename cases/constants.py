"""Case workflow, pathway codes and document kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pathway(models.TextChoices):
    EXPRESS_ENTRY = "express_entry", "Express Entry"
    GTS = "gts", "Global Talent Stream"
    ICT = "ict", "Intra-company transfer"
    CUSMA_ICT = "cusma_ict", "CUSMA intra-company transferee"
    CUSMA_PROFESSIONAL = "cusma_professional", "CUSMA professional"
    START_UP_VISA = "start_up_visa", "Start-Up Visa"
    PNP = "pnp", "Provincial Nominee Program"
    OTHER = "other", "Other"


class CaseStatus(models.TextChoices):
    INTAKE = "intake", "Intake"
    ASSESSMENT = "assessment", "Assessment"
    DOCUMENTS = "documents", "Collecting documents"
    READY_TO_FILE = "ready_to_file", "Ready to file"
    FILED = "filed", "Filed"
    DECISION_PENDING = "decision_pending", "Decision pending"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


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


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCANNING = "scanning", "Being scanned for viruses"
    UPLOADED = "uploaded", "Uploaded"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired"
    QUARANTINED = "quarantined", "Quarantined (virus found)"


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", "Passport"
    LANGUAGE_TEST = "language_test", "Language test results"
    ECA = "eca", "Educational credential assessment"
    DIPLOMA = "diploma", "Diploma or transcript"
    REFERENCE_LETTER = "reference_letter", "Employment reference letter"
    JOB_OFFER = "job_offer", "Job offer letter"
    LMIA = "lmia", "LMIA or LMIA-exempt offer"
    POLICE_CERTIFICATE = "police_certificate", "Police certificate"
    MEDICAL = "medical", "Medical exam"
    PROOF_OF_FUNDS = "proof_of_funds", "Proof of funds"
    NOMINATION = "nomination", "Provincial nomination certificate"
    MARRIAGE = "marriage", "Marriage or common-law proof"
    PHOTO = "photo", "Photo"
    CORPORATE = "corporate", "Corporate relationship evidence"
    COMMITMENT = "commitment", "Commitment certificate / letter of support"
    BUSINESS_PLAN = "business_plan", "Business plan"
    OTHER = "other", "Other"
