"""Scoring models: stored CRS scores and eligibility (scores.py); Express Entry draws, matches and the
notification outbox (draws.py)."""

from scoring.models.draws import Draw, DrawCategory, DrawMatch, Notification
from scoring.models.scores import CRSScore, Eligibility

__all__ = ["CRSScore", "Draw", "DrawCategory", "DrawMatch", "Eligibility", "Notification"]
