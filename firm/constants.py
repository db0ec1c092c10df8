"""Choices shared by the firm's models, services and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Firm admin")
    LAWYER = "lawyer", _("Lawyer")
    PARALEGAL = "paralegal", _("Paralegal")


class ClientStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    COMMON_LAW = "common_law", _("Common-law")
    SEPARATED = "separated", _("Legally separated")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")
    ANNULLED = "annulled", _("Annulled marriage")


class Person(models.TextChoices):
    """Whose fact it is: the principal applicant or the spouse / common-law partner."""

    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")


class LanguageTestKind(models.TextChoices):
    IELTS = "ielts", _("IELTS General Training")
    CELPIP = "celpip", _("CELPIP-General")
    PTE_CORE = "pte_core", _("PTE Core")
    TEF = "tef", _("TEF Canada")
    TCF = "tcf", _("TCF Canada")


ENGLISH_TESTS = frozenset({"ielts", "celpip", "pte_core"})
FRENCH_TESTS = frozenset({"tef", "tcf"})


class LanguageRole(models.TextChoices):
    FIRST = "first", _("First official language")
    SECOND = "second", _("Second official language")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Less than secondary school")
    SECONDARY = "secondary", _("Secondary diploma")
    ONE_YEAR = "one_year", _("One-year post-secondary program")
    TWO_YEAR = "two_year", _("Two-year post-secondary program")
    BACHELORS = "bachelors", _("Bachelor's degree or 3+ year program")
    TWO_OR_MORE = "two_or_more", _("Two or more credentials, one of 3+ years")
    MASTERS = "masters", _("Master's or entry-to-practice professional degree")
    PHD = "phd", _("Doctoral (PhD)")


EDUCATION_RANK = {level.value: i for i, level in enumerate(EducationLevel)}


class EcaIssuer(models.TextChoices):
    WES = "wes", _("World Education Services")
    ICAS = "icas", _("International Credential Assessment Service of Canada")
    IQAS = "iqas", _("International Qualifications Assessment Service")
    CES = "ces", _("Comparative Education Service (U of T)")
    ICES = "ices", _("International Credential Evaluation Service")
    MCC = "mcc", _("Medical Council of Canada")
    PEBC = "pebc", _("Pharmacy Examining Board of Canada")


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")
