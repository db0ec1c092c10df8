"""Input and output shapes of the pathway assessors.

Plain frozen dataclasses: no Django, no I/O. Facts that the firm's database holds about a client go in
:class:`ClientFacts`; facts that belong to one matter (a job offer, an ICT transfer, a referral, a
commitment certificate, a provincial stream) go in :class:`CaseFacts`. Every field is optional where a
fact may simply not be known yet: an unknown fact makes the criterion that needs it ``unknown``, never
``unmet``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from scoring.crs.facts import PersonFacts

CriterionStatus = Literal["met", "unmet", "unknown"]
Outcome = Literal["eligible", "not_eligible", "needs_information"]
Verification = Literal["official", "two_sources", "one_source", "unverified"]
Capacity = Literal["executive", "manager", "specialized_knowledge", "other"]
IctPosition = Literal["executive", "manager", "specialized_knowledge", "new_office"]
Relationship = Literal["parent", "subsidiary", "branch", "affiliate", "other"]
SuvOrgType = Literal["venture_capital_fund", "angel_investor_group", "business_incubator"]
Ability = Literal["listening", "reading", "writing", "speaking"]

ABILITIES: tuple[Ability, ...] = ("listening", "reading", "writing", "speaking")

# Education levels, lowest to highest. "certificate"/"diploma" are post-secondary credentials below a
# bachelor's degree; "bachelor" covers a baccalaureate or licenciatura.
EDUCATION_LEVELS: tuple[str, ...] = (
    "none",
    "secondary",
    "certificate",
    "diploma",
    "bachelor",
    "two_or_more",
    "master",
    "professional",
    "doctorate",
)


def education_rank(level: str | None) -> int:
    """Rank of an education level in :data:`EDUCATION_LEVELS` (-1 if unknown)."""
    if level is None or level not in EDUCATION_LEVELS:
        return -1
    return EDUCATION_LEVELS.index(level)


# ---------------------------------------------------------------------------------------------- client


@dataclass(frozen=True)
class EducationRecord:
    level: str  # one of EDUCATION_LEVELS
    field: str = ""
    country: str | None = None  # ISO alpha-2
    program_years: float | None = None
    credential_names: tuple[str, ...] = ()
    completed_on: date | None = None
    eca_date: date | None = None  # Educational Credential Assessment issue date (foreign credentials)


@dataclass(frozen=True)
class WorkPeriod:
    start: date
    end: date | None = None  # None: ongoing
    noc: str | None = None  # NOC 2021 five-digit code
    teer: int | None = None  # derived from the NOC when omitted
    employer: str = ""
    country: str | None = None  # ISO alpha-2
    in_canada: bool = False
    hours_per_week: float | None = None
    full_time: bool | None = None  # explicit; else hours_per_week >= 30
    paid: bool = True
    self_employed: bool = False
    job_title: str = ""
    capacity: Capacity | None = None
    province: str | None = None  # for Canadian work


@dataclass(frozen=True)
class LanguageTest:
    """Best valid result of one official language: CLB/NCLC level per ability, and the test date."""

    clb: Mapping[str, int]  # keys: listening, reading, writing, speaking
    test_date: date | None = None
    language: Literal["en", "fr"] = "en"
    test_name: str = ""

    def min_clb(self) -> int | None:
        if not all(a in self.clb for a in ABILITIES):
            return None
        return min(self.clb[a] for a in ABILITIES)


@dataclass(frozen=True)
class Licence:
    name: str
    jurisdiction: str = ""  # province code, US state, "MX", ...
    profession: str = ""
    kind: Literal["licence", "membership", "registration"] = "licence"
    valid_until: date | None = None


@dataclass(frozen=True)
class Nomination:
    province: str
    stream: str = ""
    nominated_on: date | None = None
    enhanced: bool | None = None  # Express Entry-linked


@dataclass(frozen=True)
class JobOffer:
    employer: str = ""
    noc: str | None = None
    teer: int | None = None  # derived from the NOC when omitted
    job_title: str = ""
    hourly_wage: float | None = None
    annual_wage: float | None = None
    province: str | None = None
    city: str | None = None
    full_time: bool | None = None
    hours_per_week: float | None = None
    permanent: bool | None = None  # no end date / indeterminate
    duration_months: float | None = None
    start_date: date | None = None
    end_date: date | None = None
    prevailing_wage_hourly: float | None = None  # Job Bank median for the NOC and region
    internal_wage_range_hourly: tuple[float, float] | None = None  # employer's current staff, same job
    self_employment: bool | None = None
    unionized: bool | None = None


@dataclass(frozen=True)
class ClientFacts:
    citizenships: tuple[str, ...] = ()
    country_of_residence: str | None = None
    date_of_birth: date | None = None
    education: tuple[EducationRecord, ...] = ()
    work: tuple[WorkPeriod, ...] = ()
    first_language: LanguageTest | None = None
    second_language: LanguageTest | None = None
    licences: tuple[Licence, ...] = ()
    nomination: Nomination | None = None
    job_offer: JobOffer | None = None
    family_size: int | None = None
    settlement_funds_cad: float | None = None
    intended_province: str | None = None
    ee_profile_submitted_on: date | None = None
    ee_ita_date: date | None = None
    ee_crs_score: int | None = None
    medical_exam_date: date | None = None
    police_certificate_date: date | None = None  # certificate from the current country of residence
    holds_work_permit: bool | None = None
    refugee_claimant: bool | None = None
    # The CRS engine's facts on the same date, from the same snapshot (firm.facts.crs.person_facts):
    # Express Entry program and category eligibility are computed from these, as for the stored score.
    crs: PersonFacts | None = None

    def highest_education(self) -> EducationRecord | None:
        if not self.education:
            return None
        return max(self.education, key=lambda e: education_rank(e.level))


# ------------------------------------------------------------------------------------------------ case


@dataclass(frozen=True)
class PermitPeriod:
    """A past or current work permit (e.g. an ICT permit) for cumulative caps."""

    code: str  # exemption code: C12, C61, C62, C63, T24, T37, T38, ...
    start: date
    end: date | None = None


@dataclass(frozen=True)
class LabourMarketBenefitsPlan:
    has_plan: bool | None = None
    mandatory_benefits: tuple[str, ...] = ()  # "job_creation", "skills_training"
    complementary_benefits: int | None = None  # number of complementary benefits (each with >= 1 activity)
    signed_on: date | None = None


@dataclass(frozen=True)
class Lmia:
    positive: bool | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    number: str = ""
    used_for_work_permit: bool | None = None


@dataclass(frozen=True)
class SuvCommitment:
    issued_on: date | None = None
    organization: str = ""
    organization_type: SuvOrgType | None = None
    designated: bool | None = None
    investment_cad: float | None = None
    accepted_into_incubator_program: bool | None = None
    applicants_count: int | None = None
    applicant_voting_pct: float | None = None  # this applicant's share of voting rights
    combined_voting_pct: float | None = None  # applicants + designated entity together


@dataclass(frozen=True)
class PnpFacts:
    province: str | None = None  # BC, ON, AB, SK, MB
    stream: str | None = None  # e.g. "bc_tech_legacy" to ask for the legacy BC PNP Tech rules
    noi_date: date | None = None  # OINP Notification of Interest
    ita_date: date | None = None  # provincial invitation to apply
    laa_date: date | None = None  # MPNP Letter of Advice to Apply
    job_offer_portal_date: date | None = None  # OINP employer job offer entered in the Employer Portal
    ee_profile_active: bool | None = None
    ee_primary_noc: str | None = None
    employer_revenue_cad: float | None = None
    employer_fulltime_employees: int | None = None  # Canadian citizens / PRs at the location
    in_gta: bool | None = None
    job_approval_letter: bool | None = None  # SINP
    eligible_tech_employer: bool | None = None  # AAIP ATP industry
    months_with_employer_in_province: float | None = None  # explicit override


@dataclass(frozen=True)
class CaseFacts:
    job_offer: JobOffer | None = None  # the case's offer; falls back to the client's
    application_date: date | None = None  # date the permit / PR application is (or will be) made
    application_received_date: date | None = None  # Service Canada receipt (GTS LMIA)
    province: str | None = None  # province of the job / case
    # GTS
    gts_category: Literal["A", "B"] | None = None
    referral_partner: str | None = None
    referral_partner_designated: bool | None = None
    referral_reconfirmed: bool | None = None  # partner re-confirmation for a 3rd+ Category A position
    position_number_in_year: int | None = None  # 1 = first Category A position this calendar year
    positions_count: int | None = None  # positions in this LMIA (for fees)
    lmbp: LabourMarketBenefitsPlan | None = None
    lmia: Lmia | None = None
    # ICT / CUSMA
    canadian_employer: str | None = None
    foreign_employer: str | None = None
    relationship: Relationship | None = None
    same_capacity: bool | None = None
    position: IctPosition | None = None
    mnc_other_countries: int | None = None  # countries other than the home country with operations
    prior_ict_permits: tuple[PermitPeriod, ...] = ()
    ict_request: Literal["initial", "extension"] | None = None  # a first ICT permit or an extension
    requested_permit_months: int | None = None  # length of the requested ICT permit or extension
    initial_application_date: date | None = None  # the initial ICT application (experience window)
    cusma_profession: str | None = None  # slug or name from the CUSMA professions data file
    # Start-Up Visa
    suv: SuvCommitment | None = None
    # PNP
    pnp: PnpFacts | None = None
    # Yes/no facts that no structured field captures (keys documented by each assessor)
    attestations: Mapping[str, bool] = field(default_factory=dict)

    def attest(self, key: str) -> bool | None:
        return self.attestations.get(key)


# ---------------------------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    status: CriterionStatus
    reason: str
    source: str
    rule_version: str
    verification: Verification


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    required: bool = True
    note: str = ""
    source: str = ""
    verification: Verification = "unverified"
    # Who must provide it: principal, spouse, each_child, each_person, each_accompanying, each_job,
    # each_police_country (see pathways.checklists); and when: married, common_law, stream:<a,b>.
    per: str = "principal"
    when: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyDate:
    kind: str
    label: str
    due: date | None
    basis: str
    source: str = ""
    verification: Verification = "unverified"


@dataclass(frozen=True)
class Fee:
    kind: str
    label: str
    amount_cad: float | None
    payer: str
    source: str
    verification: Verification


@dataclass(frozen=True)
class Assessment:
    pathway: str
    stream: str
    outcome: Outcome
    criteria: tuple[Criterion, ...]
    checklist: tuple[ChecklistItem, ...] = ()
    key_dates: tuple[KeyDate, ...] = ()
    rule_versions: Mapping[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    fees: tuple[Fee, ...] = ()
    as_of: date | None = None

    @property
    def unmet(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.status == "unmet")

    @property
    def unknown(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.status == "unknown")

    @property
    def unverified(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.verification == "unverified")

    def criterion(self, key: str) -> Criterion:
        for c in self.criteria:
            if c.key == key:
                return c
        raise KeyError(key)


def outcome_of(criteria: tuple[Criterion, ...] | list[Criterion]) -> Outcome:
    """Any unmet -> not_eligible; else any unknown -> needs_information; else eligible."""
    statuses = {c.status for c in criteria}
    if "unmet" in statuses:
        return "not_eligible"
    if "unknown" in statuses:
        return "needs_information"
    return "eligible"
