"""Pure pathway assessors (no Django): facts in, :class:`Assessment` out.

Public API::

    from pathways.rules import ClientFacts, CaseFacts, assess_all, ASSESSORS
    results = assess_all(client, case, as_of=date.today())
"""

from pathways.rules.cusma import assess_cusma_professional
from pathways.rules.data import Fact, RuleSet, all_datasets, load, rules_at
from pathways.rules.express_entry import assess_express_entry, crs_facts
from pathways.rules.gts import assess_gts
from pathways.rules.ict import assess_cusma_ict, assess_ict
from pathways.rules.pnp import assess_aaip, assess_bcpnp, assess_mpnp, assess_oinp, assess_sinp
from pathways.rules.registry import ASSESSORS, assess_all, rank_key
from pathways.rules.suv import assess_suv
from pathways.rules.types import (
    Assessment,
    CaseFacts,
    ChecklistItem,
    ClientFacts,
    Criterion,
    EducationRecord,
    Fee,
    JobOffer,
    KeyDate,
    LabourMarketBenefitsPlan,
    LanguageTest,
    Licence,
    Lmia,
    Nomination,
    PermitPeriod,
    PnpFacts,
    SuvCommitment,
    WorkPeriod,
    outcome_of,
)

__all__ = [
    "ASSESSORS",
    "Assessment",
    "CaseFacts",
    "ChecklistItem",
    "ClientFacts",
    "Criterion",
    "EducationRecord",
    "Fact",
    "Fee",
    "JobOffer",
    "KeyDate",
    "LabourMarketBenefitsPlan",
    "LanguageTest",
    "Licence",
    "Lmia",
    "Nomination",
    "PermitPeriod",
    "PnpFacts",
    "RuleSet",
    "SuvCommitment",
    "WorkPeriod",
    "all_datasets",
    "assess_aaip",
    "assess_all",
    "assess_bcpnp",
    "assess_cusma_ict",
    "assess_cusma_professional",
    "assess_express_entry",
    "assess_gts",
    "assess_ict",
    "assess_mpnp",
    "assess_oinp",
    "assess_sinp",
    "assess_suv",
    "crs_facts",
    "load",
    "outcome_of",
    "rank_key",
    "rules_at",
]
