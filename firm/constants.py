"""Choices shared by the firm's models, services and API."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Firm admin"
    LAWYER = "lawyer", "Lawyer"
    PARALEGAL = "paralegal", "Paralegal"


class ClientStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class MaritalStatus(models.TextChoices):
    SINGLE = "single", "Single"
    MARRIED = "married", "Married"
    COMMON_LAW = "common_law", "Common-law"
    SEPARATED = "separated", "Legally separated"
    DIVORCED = "divorced", "Divorced"
    WIDOWED = "widowed", "Widowed"
    ANNULLED = "annulled", "Annulled marriage"


class Person(models.TextChoices):
    """Whose fact it is: the principal applicant or the spouse / common-law partner."""

    PRINCIPAL = "principal", "Principal applicant"
    SPOUSE = "spouse", "Spouse or partner"


class LanguageTestKind(models.TextChoices):
    IELTS = "ielts", "IELTS General Training"
    CELPIP = "celpip", "CELPIP-General"
    PTE_CORE = "pte_core", "PTE Core"
    TEF = "tef", "TEF Canada"
    TCF = "tcf", "TCF Canada"


ENGLISH_TESTS = frozenset({"ielts", "celpip", "pte_core"})
FRENCH_TESTS = frozenset({"tef", "tcf"})


class LanguageRole(models.TextChoices):
    FIRST = "first", "First official language"
    SECOND = "second", "Second official language"


class EducationLevel(models.TextChoices):
    NONE = "none", "Less than secondary school"
    SECONDARY = "secondary", "Secondary diploma"
    ONE_YEAR = "one_year", "One-year post-secondary program"
    TWO_YEAR = "two_year", "Two-year post-secondary program"
    BACHELORS = "bachelors", "Bachelor's degree or 3+ year program"
    TWO_OR_MORE = "two_or_more", "Two or more credentials, one of 3+ years"
    MASTERS = "masters", "Master's or entry-to-practice professional degree"
    PHD = "phd", "Doctoral (PhD)"


EDUCATION_RANK = {level.value: i for i, level in enumerate(EducationLevel)}


class EcaIssuer(models.TextChoices):
    WES = "wes", "World Education Services"
    ICAS = "icas", "International Credential Assessment Service of Canada"
    IQAS = "iqas", "International Qualifications Assessment Service"
    CES = "ces", "Comparative Education Service (U of T)"
    ICES = "ices", "International Credential Evaluation Service"
    MCC = "mcc", "Medical Council of Canada"
    PEBC = "pebc", "Pharmacy Examining Board of Canada"


class Province(models.TextChoices):
    AB = "AB", "Alberta"
    BC = "BC", "British Columbia"
    MB = "MB", "Manitoba"
    NB = "NB", "New Brunswick"
    NL = "NL", "Newfoundland and Labrador"
    NS = "NS", "Nova Scotia"
    NT = "NT", "Northwest Territories"
    NU = "NU", "Nunavut"
    ON = "ON", "Ontario"
    PE = "PE", "Prince Edward Island"
    QC = "QC", "Quebec"
    SK = "SK", "Saskatchewan"
    YT = "YT", "Yukon"
