"""Scoring models: stored CRS scores and eligibility (scores.py); Express Entry draws and matches
(draws.py); the stored ITA outlook per client (outlook.py). The outbox their alerts go through is
`notifications.models.Notification`."""

from scoring.models.draws import Draw, DrawCategory, DrawMatch
from scoring.models.feed import DrawFeedSync
from scoring.models.outlook import ClientOutlook
from scoring.models.scores import CRSScore, Eligibility

__all__ = ["CRSScore", "ClientOutlook", "Draw", "DrawCategory", "DrawFeedSync", "DrawMatch", "Eligibility"]
