"""ITA outlook engine (pure: numpy, no Django): pool rank and the chance of an invitation.

See docs/outlook.md. Django parts: scoring.models.outlook, scoring.services.outlook.
"""

from scoring.outlook.kinds import ELIGIBLE_KEYS, MODEL_KINDS, kinds_open_to, model_kind
from scoring.outlook.model import (
    HORIZONS,
    HorizonOutlook,
    KindFit,
    ModelParams,
    Outlook,
    OutlookModel,
    RoundRecord,
    fit,
)
from scoring.outlook.pool import PoolRank, rank

__all__ = [
    "ELIGIBLE_KEYS",
    "HORIZONS",
    "MODEL_KINDS",
    "HorizonOutlook",
    "KindFit",
    "ModelParams",
    "Outlook",
    "OutlookModel",
    "PoolRank",
    "RoundRecord",
    "fit",
    "kinds_open_to",
    "model_kind",
    "rank",
]
