"""Scoring models: stored CRS scores and eligibility (scores.py); Express Entry draws, matches and the
notification outbox (draws.py, added by the draws work)."""

from scoring.models.scores import CRSScore, Eligibility

__all__ = ["CRSScore", "Eligibility"]
