"""The kinds of milestone a case records, with the words a lawyer and a client read (EN/FR)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MilestoneKind(models.TextChoices):
    ITA_RECEIVED = "ita_received", _("Invitation to apply received")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    AOR_RECEIVED = "aor_received", _("Acknowledgement of receipt")
    BIOMETRICS_INSTRUCTION = "biometrics_instruction", _("Biometrics instruction letter")
    BIOMETRICS_DONE = "biometrics_done", _("Biometrics given")
    MEDICAL_INSTRUCTION = "medical_instruction", _("Medical exam instructions")
    MEDICAL_DONE = "medical_done", _("Medical exam done")
    PFL_RECEIVED = "pfl_received", _("Procedural fairness letter received")
    PFL_RESPONSE_SUBMITTED = "pfl_response_submitted", _("Procedural fairness response sent")
    ADDITIONAL_DOCS_REQUEST = "additional_docs_request", _("Request for additional documents")
    ADDITIONAL_DOCS_SUBMITTED = "additional_docs_submitted", _("Additional documents sent")
    PPR_RECEIVED = "ppr_received", _("Passport request received")
    PASSPORT_SUBMITTED = "passport_submitted", _("Passport sent")
    COPR_ISSUED = "copr_issued", _("Confirmation of permanent residence issued")
    LANDED = "landed", _("Landed as a permanent resident")
    REFUSED = "refused", _("Application refused")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    LMIA_SUBMITTED = "lmia_submitted", _("LMIA application submitted")
    LMIA_APPROVED = "lmia_approved", _("LMIA approved")
    PERMIT_ISSUED = "permit_issued", _("Permit issued")
    NOMINATION_RECEIVED = "nomination_received", _("Provincial nomination received")


# What the client reads in the portal for each milestone (plain words; translated on display).
CLIENT_TEXT = {
    MilestoneKind.ITA_RECEIVED: _("You were invited to apply for permanent residence."),
    MilestoneKind.APPLICATION_SUBMITTED: _("Your application was sent to the government."),
    MilestoneKind.AOR_RECEIVED: _("The government confirmed it received your application."),
    MilestoneKind.BIOMETRICS_INSTRUCTION: _("You have been asked to give your fingerprints and photo."),
    MilestoneKind.BIOMETRICS_DONE: _("Your fingerprints and photo were given."),
    MilestoneKind.MEDICAL_INSTRUCTION: _("You have been asked to take a medical exam."),
    MilestoneKind.MEDICAL_DONE: _("Your medical exam is done."),
    MilestoneKind.PFL_RECEIVED: _("The government has concerns about your file and asked for an answer."),
    MilestoneKind.PFL_RESPONSE_SUBMITTED: _("Our answer to the government's concerns was sent."),
    MilestoneKind.ADDITIONAL_DOCS_REQUEST: _("The government asked for more documents."),
    MilestoneKind.ADDITIONAL_DOCS_SUBMITTED: _("The extra documents were sent."),
    MilestoneKind.PPR_RECEIVED: _("The government asked for your passport: a very good sign."),
    MilestoneKind.PASSPORT_SUBMITTED: _("Your passport was sent."),
    MilestoneKind.COPR_ISSUED: _("Your permanent residence was confirmed."),
    MilestoneKind.LANDED: _("You became a permanent resident of Canada. Welcome!"),
    MilestoneKind.REFUSED: _("Your application was refused. Your lawyer will discuss your options."),
    MilestoneKind.WITHDRAWN: _("Your application was withdrawn."),
    MilestoneKind.LMIA_SUBMITTED: _("Your employer's labour market impact assessment was sent."),
    MilestoneKind.LMIA_APPROVED: _("Your employer's labour market impact assessment was approved."),
    MilestoneKind.PERMIT_ISSUED: _("Your permit was issued."),
    MilestoneKind.NOMINATION_RECEIVED: _("The province nominated you."),
}
